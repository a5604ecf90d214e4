import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Participant, RtcSession } from '../../core/session.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { cameraOffIcon, micOffIcon, screenShareIcon, speakingIcon } from '../../internal/icons.js';
import { connectionText, initialsOf } from '../../internal/participant-text.js';
import { componentStyles } from '../../styles/component.styles.js';
import { participantListStyles } from './rtc-participant-list.styles.js';
import { HostControls } from './host-controls.js';
import { SafetyCodes } from './safety-codes.js';
import { HandQueue, handQueueStyles } from './hand-queue.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';

/**
 * @summary Everyone in the call, ourselves first, with their state: microphone muted, camera
 * off, speaking, sharing their screen, and the connection when it is not up. Works inside an
 * `<rtc-room>` (it takes the room's session) in any layout, or with `.session`.
 * @tag rtc-participant-list
 * @property session - The session to list. Set it to work without an enclosing `<rtc-room>`; it wins over the room's.
 *
 * @slot empty - Shown when there is no session.
 *
 * @csspart base - The frame.
 * @csspart heading - "People" and the count.
 * @csspart list - The `<ul>`.
 * @csspart participant - Each `<li>` (`data-speaking`, `data-audio-muted`, `data-video-muted`, `data-screen-sharing` and `data-local` reflect the state).
 * @csspart avatar - The initials.
 * @csspart name - The display name.
 * @csspart you - "(you)" after our own name.
 * @csspart state - Each state icon (with its words for screen readers and as a tooltip).
 * @csspart connection - The connection state in words ("Connecting…", "Reconnecting…", "Connection lost").
 * @csspart role - "Host" or "Viewer" after a name.
 * @csspart lobby - (Hosts) who is waiting to be let in, with Admit and Deny.
 * @csspart room-settings - (Hosts) the lobby and lock switches.
 * @csspart button - Every button; also `verify`, `admit`, `deny`, `ask-mute`, `remove`, `end-room`, and in a broadcast room (hosts) `invite-on-stage` (a viewer) and `move-to-audience` (a guest).
 * @csspart hands - The raised-hands queue above the list, first raised first (shown while any hand is up).
 * @csspart hand - Each entry of the queue (`data-id`).
 * @csspart hand-position - Its place in the queue.
 * @csspart lower-hand - "Lower" beside an entry (our own, or anyone's for a host; also part `button`).
 * @csspart safety-code - Under a name after Verify: the four words to compare with that person (docs/security.md).
 *
 * @cssprop --rtc-participant-list-background - Behind the list (default `--rtc-color-surface`).
 * @cssprop --rtc-participant-list-speaking-color - The speaking icon and avatar ring (default #22c55e).
 * @cssprop --rtc-participant-list-hand-color - The place numbers of the raised-hands queue (default #f59e0b).
 * @cssprop --rtc-participant-list-hand-text-color - Their text (default #111827).
 * @cssprop --rtc-color-accent - The avatars.
 * @cssprop --rtc-color-text-muted - State icons and the connection state.
 */
export class RtcParticipantList extends RtcSessionElement {
  static override styles = [componentStyles, participantListStyles, handQueueStyles];

  readonly #participants = new StoreController<Participant[]>(this);
  readonly #host = new HostControls(this);
  readonly #codes = new SafetyCodes(this);
  readonly #hands = new HandQueue(this);
  readonly #i18n = new Localize(this, en);

  protected override sessionChanged(s: RtcSession | undefined): void {
    this.#participants.attach(s?.participants);
    this.#hands.attach(s);
    this.#host.attach(s);
    this.#codes.attach(s);
  }

  /** Everyone listed now. */
  get participants(): readonly Participant[] {
    return this.#participants.value ?? [];
  }

  protected override render() {
    if (!this.session) return html`<div part="base" class="base"><slot name="empty"></slot></div>`;
    const people = this.participants;
    const t = this.#i18n.t;
    return html`<div part="base" class="base">
      <div part="heading" class="heading" id="heading">${t.people} <span class="count">${t.peopleCount(people.length)}</span></div>
      ${this.#host.renderTop()} ${this.#hands.render(people)}
      <ul part="list" class="list" aria-labelledby="heading">
        ${repeat(
          people,
          (p) => (p.isLocal ? 'local' : p.id),
          (p) => this.#item(p),
        )}
      </ul>
      ${this.#host.renderBottom()}
    </div>`;
  }

  #item(p: Participant) {
    const speaking = p.speaking && !p.audioMuted;
    const videoOff = p.videoMuted && !p.screenSharing;
    const t = this.#i18n.t;
    const connection = connectionText(p, t);
    return html`<li
      part="participant"
      class="participant"
      data-id=${p.id}
      ?data-local=${p.isLocal}
      ?data-speaking=${speaking}
      ?data-audio-muted=${p.audioMuted}
      ?data-video-muted=${videoOff}
      ?data-screen-sharing=${p.screenSharing}
    >
      <span part="avatar" class="avatar" aria-hidden="true">${initialsOf(p.name)}</span>
      <span class="who">
        <span part="name" class="name">${p.name}</span>${p.isLocal ? html`<span part="you" class="you"> ${t.youMark}</span>` : nothing}${
          connection ? html`<span part="connection" class="connection">${t.comma}${connection}</span>` : nothing
        }
        ${this.#codes.code(p)}
      </span>
      ${this.#codes.button(p)} ${this.#host.renderRow(p)}
      <span class="states">
        ${speaking ? state('speaking', speakingIcon, t.speaking, t.comma) : nothing}
        ${p.screenSharing ? state('screen', screenShareIcon, t.sharingScreen, t.comma) : nothing}
        ${p.audioMuted ? state('audio-muted', micOffIcon, t.microphoneMuted, t.comma) : nothing}
        ${videoOff ? state('video-muted', cameraOffIcon, t.cameraOff, t.comma) : nothing}
      </span>
    </li>`;
  }
}

/** An icon for the eye, its words for screen readers (and as a tooltip). */
const state = (name: string, icon: unknown, words: string, comma: string) =>
  html`<span part="state" class="state" data-state=${name} title=${words}>${icon}<span class="visually-hidden">${comma}${words}</span></span>`;

declare global {
  interface HTMLElementTagNameMap {
    'rtc-participant-list': RtcParticipantList;
  }
}
