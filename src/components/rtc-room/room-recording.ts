import { css, html, nothing } from 'lit';
import type { Participant, RtcSession } from '../../core/session.js';
import { canRecord } from '../../core/recording/recorder.js';
import type { RtcRecordButton } from '../rtc-record-button/rtc-record-button.js';
import type { Strings } from '../../i18n/strings.js';
import { loadElements } from '../../internal/lazy-elements.js';

/**
 * rtc-room's recording UI (src/core/recording): the "Record call" / "Stop recording" item of the
 * More menu, and, over the top left corner of the tiles (so nothing moves when it comes and
 * goes), our `<rtc-record-button>` while we record or have a file to download, and "● REC Ada is
 * recording" while others record. Screen readers hear of the others' recordings from the room's
 * announcer, and of ours from the button.
 */

/** The More menu's item: starts the recording through the button (which knows the room's layout), or stops it. */
export function recordMenuItem(root: ParentNode, participants: readonly Participant[], close: () => void, t: Strings) {
  if (!canRecord()) return nothing;
  const recording = !!participants.find((p) => p.isLocal)?.recording;
  const onClick = async () => {
    close();
    await loadElements(['rtc-record-button']); // the button's chunk comes after the call starts: maybe not yet
    const button = root.querySelector<RtcRecordButton>('rtc-record-button.rec-control');
    if (recording) void button?.stop();
    else button?.start();
  };
  return html`<button part="menu-item record-item" class="menu-item" type="button" role="menuitem" tabindex="-1" @click=${onClick}>
    ${recording ? t.stopRecording : t.recordCall}
  </button>`;
}

/**
 * Tell screen readers when someone else starts or stops recording ("Ada is recording", "Ada
 * stopped recording"), also someone already recording when we arrive. Ours is the button's to say.
 */
export function announceRecording(session: RtcSession, say: (text: string) => void, t: () => Strings): () => void {
  let was = new Map<string, boolean>();
  return session.participants.subscribe((list) => {
    const now = new Map<string, boolean>();
    for (const p of list) {
      if (p.isLocal) continue;
      const on = !!p.recording;
      if (on !== (was.get(p.id) ?? false)) say(on ? t().isRecording(p.name) : t().stoppedRecording(p.name));
      now.set(p.id, on);
    }
    was = now;
  });
}

/** Who else records, in words: "Ada is recording", "Ada and Bob are recording", "3 people are recording". */
export function othersRecordingText(participants: readonly Participant[], t: Strings): string | null {
  const names = participants.filter((p) => !p.isLocal && p.recording).map((p) => p.name);
  return names.length ? t.othersRecording(names) : null;
}

/** The overlay over the tiles' top left corner. */
export function recordingOverlay(participants: readonly Participant[], t: Strings) {
  const others = othersRecordingText(participants, t);
  return html`<div class="rec-slot">
    <div class="rec-items">
      <rtc-record-button part="record" class="rec-control"></rtc-record-button>
      ${
        others
          ? html`<div part="recording-badge" class="rec-badge" title=${others}>
            <span class="rec-dot" aria-hidden="true"></span><span class="rec-word" aria-hidden="true">${t.recBadge}</span> <span class="rec-who">${others}</span>
          </div>`
          : nothing
      }
    </div>
  </div>`;
}

export const roomRecordingStyles = css`
  /* A line of no height above the tiles: what hangs from it covers their top left corner (our
     own tile's, first in the grid, where a tile has no controls) and moves nothing. */
  .rec-slot {
    position: relative;
    z-index: 3;
    height: 0;
    /* No gap of its own in the room's column. */
    margin-bottom: calc(-1 * var(--_room-gap, 0px));
    pointer-events: none;
  }
  .rec-items {
    position: absolute;
    top: var(--_space-s);
    inset-inline-start: var(--_space-s);
    max-width: calc(100% - 2 * var(--_space-s));
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-xs);
  }
  .rec-control,
  .rec-badge {
    pointer-events: auto;
    border-radius: calc(var(--_radius) * 0.75);
    background: color-mix(in srgb, var(--_surface) 92%, transparent);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.3);
  }
  .rec-control[state='idle'] {
    display: none;
  }
  .rec-control {
    padding: var(--_space-xs);
  }
  /* A file is ready: the overlay offers only its download (Record again is in the More menu). */
  .rec-control[state='ready']::part(record-toggle) {
    display: none;
  }
  .rec-badge {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-s);
    min-height: 2rem;
    max-width: 100%;
    padding: var(--_space-xs) var(--_space-m);
    font-size: 0.9rem;
  }
  .rec-dot {
    flex: none;
    width: 0.7em;
    height: 0.7em;
    border-radius: 50%;
    background: var(--rtc-record-color, #ef4444);
  }
  .rec-word {
    font-weight: 700;
    letter-spacing: 0.05em;
  }
  .rec-who {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  /* After the call: the last recording's download, under "You left the call". */
  .rec-left[state='idle'],
  .rec-left::part(record-toggle) {
    display: none;
  }
  @media (forced-colors: active) {
    .rec-control,
    .rec-badge {
      border: 1px solid CanvasText;
    }
    .rec-dot {
      background: CanvasText;
      forced-color-adjust: none;
    }
  }
`;
