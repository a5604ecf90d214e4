import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { LocalMediaState } from '../../core/media/local-media.js';
import type { DeviceKind } from '../../core/media/devices.js';
import { watchAudioLevel } from '../../core/media/audio-level.js';
import type { Participant, SessionStatus } from '../../core/session.js';
import type { PrejoinSession } from '../../core/setup/call-setup.js';
import { loadElements } from '../../internal/lazy-elements.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { prejoinStyles } from './rtc-prejoin.styles.js';
import { Localize } from '../../i18n/localize.js';

const NOT_IN_CALL: (SessionStatus | undefined)[] = ['idle', 'left', 'failed'];

/**
 * @summary The step before joining: a local preview, a live microphone level, pickers for
 * camera, microphone and speaker, the display name and a Join button. The name and the devices
 * are remembered on this device. Device problems are shown under their pickers, but joining
 * stays possible (to listen and watch). In an audio room (a session without video) only the
 * level and the microphone and speaker pickers are shown; a viewer sees a note, the name and
 * "Join as viewer", and no device is asked for. Where it is given 46rem or more, the preview sits
 * beside the form; narrower, everything is in one compact column. Join stays in view while the
 * form scrolls under it. While the session joins, the step stays as it is and its button says
 * "Joining…" (and keeps the focus) until the call view takes its place.
 * @tag rtc-prejoin
 * @property session - The session to join. Set it to work without an enclosing `<rtc-room>`; it wins over the room's.
 * @dependency rtc-video-tile
 * @dependency rtc-device-picker
 *
 * @slot - Extra content below the name field.
 *
 * @csspart base - The form.
 * @csspart preview - The local preview (an `<rtc-video-tile>`; style its own parts with `::part` on it); not in an audio room nor for a viewer.
 * @csspart viewer-note - Instead of the preview, the level meter and device choice when we join as a viewer (`media="none"` or the token's role).
 * @csspart level - The microphone level meter (`role="meter"`, `aria-valuenow` 0–100).
 * @csspart devices - The `<rtc-device-picker>` (its parts `select` and `error` are exported too).
 * @csspart select - A device picker's `<select>`.
 * @csspart error - A device problem.
 * @csspart input - The name field.
 * @csspart button - The Join button.
 *
 * @cssprop --rtc-prejoin-max-width - Width of the form (default 36rem; 62rem where the preview sits beside the form, from 46rem wide).
 * @cssprop --rtc-prejoin-level-color - The level meter's bar (default `--rtc-color-accent`).
 * @cssprop --rtc-color-surface - Form background.
 * @cssprop --rtc-color-accent - The Join button.
 */
export class RtcPrejoin extends RtcSessionElement<PrejoinSession> {
  static override styles = [componentStyles, prejoinStyles];

  /** localStorage key the name is remembered under; empty = do not remember. */
  @property({ attribute: 'storage-key' }) storageKey = 'rtc-widgets:name';

  /** The name in the field. */
  @state() private displayName = '';
  /** Microphone level shown, 0–100. */
  @state() private level = 0;

  readonly #media = new StoreController<LocalMediaState>(this);
  readonly #status = new StoreController<SessionStatus>(this);
  readonly #i18n = new Localize(this);
  /** The user typed: the session's name or a stored one no longer overrides the field. */
  #edited = false;
  /** Sessions whose preview this element already asked for (once per connection: a failed camera must not be asked again on every update). */
  #previewed = new WeakSet<PrejoinSession>();
  /** The microphone track the meter listens to, and how to stop listening. */
  #metered?: MediaStreamTrack;
  #stopMeter?: () => void;

  protected override sessionChanged(s: PrejoinSession | undefined): void {
    this.#media.attach(s?.localMedia);
    this.#status.attach(s?.status);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#previewed = new WeakSet();
    this.#meter(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!this.#edited && !this.displayName) this.displayName = this.session?.name || this.#stored() || '';
    // Here, not in updated(): the preview's first state and the meter's reset show in this update
    // instead of asking for another (which lit's development build warns about).
    const session = this.session;
    // Open the devices for the preview (the session keeps them for the call).
    if (session && this.isConnected && !this.#previewed.has(session) && NOT_IN_CALL.includes(this.#status.value)) {
      this.#previewed.add(session);
      const live = session.localMedia
        .get()
        .stream.getTracks()
        .some((t) => t.readyState === 'live');
      if (!live) void session.startMedia();
    }
    const track = this.#media.value?.stream.getAudioTracks()[0];
    this.#meter(this.isConnected && track?.readyState === 'live' ? track : undefined);
  }

  protected override render() {
    const session = this.session;
    // The preview's tile comes in a chunk of its own, asked for as the camera opens.
    if (!customElements.get('rtc-video-tile')) void loadElements(['rtc-video-tile']).catch(() => undefined);
    const m = this.#media.value;
    const joining = this.#status.value === 'joining';
    const viewer = !!session?.isViewer;
    // An audio room never opens a camera: no preview, no camera picker.
    const request = session?.requestedMedia ?? { audio: true, video: true };
    const video = !!request.video;
    const audio = !!request.audio;
    const kinds = [...(video ? ['videoinput'] : []), ...(audio ? ['audioinput'] : []), 'audiooutput'] as DeviceKind[];
    const t = this.#i18n.t;
    return html`
      <form part="base" class="base" @submit=${this.#onSubmit}>
        ${viewer || !video || !m ? nothing : html`<rtc-video-tile part="preview" local .participant=${this.#previewOf(m)}></rtc-video-tile>`}
        <div class="fields">
        ${
          viewer
            ? html`<p part="viewer-note" class="note">
              ${session?.mayPresent ? t.liveStreamNote : t.viewerNote}
            </p>`
            : html`${audio ? this.#renderLevel(!!m?.hasAudio) : nothing}
              <rtc-device-picker part="devices" exportparts="select, error" .session=${session} .kinds=${kinds}></rtc-device-picker>`
        }
        <div class="field">
          <label for="name">${t.yourName}</label>
          <input
            id="name"
            part="input"
            name="name"
            autocomplete="name"
            maxlength="64"
            .value=${live(this.displayName)}
            @input=${this.#onInput}
          />
        </div>
        <slot></slot>
        <div class="actions">
          <!-- While joining: aria-disabled, not disabled, so the focus stays on it (a disabled button drops it to the page) until the call view takes it. -->
          <button part="button" class="button primary" type="submit" ?disabled=${!session} aria-disabled=${joining ? 'true' : nothing} title=${session ? nothing : t.noCallToJoin}>
            ${joining ? t.joining : viewer && !session?.mayPresent ? t.joinAsViewer : t.join}
          </button>
          <!-- A focused button's new name is not read out reliably: this is. (Present from the start: a live region must be.) -->
          <span class="visually-hidden" role="status">${joining ? t.joining : ''}</span>
        </div>
        </div>
      </form>
    `;
  }

  #preview?: { media: LocalMediaState; name: string; record: Participant };
  /**
   * The preview tile is handed our own record, made from the local media (a session that is
   * still loading has no participants yet); the same object while nothing changed, so a
   * re-render of the form (the level meter) does not re-render the tile.
   */
  #previewOf(media: LocalMediaState): Participant {
    const name = this.displayName.trim() || this.#i18n.t.you;
    if (this.#preview?.media !== media || this.#preview.name !== name) {
      const record: Participant = {
        id: 'local',
        name,
        isLocal: true,
        stream: media.stream,
        screenStream: null,
        audioMuted: !media.audioEnabled,
        videoMuted: !media.videoEnabled,
        connectionState: 'new',
        screenSharing: false,
        speaking: false,
        reconnecting: false,
        role: 'guest',
      };
      this.#preview = { media, name, record };
    }
    return this.#preview.record;
  }

  /**
   * The row is there before the microphone opens (and when there is none), only invisible: the
   * form must not shift under the pointer of someone about to click Join.
   */
  #renderLevel(hasAudio: boolean) {
    return html`<div class="field level ${hasAudio ? '' : 'off'}" aria-hidden=${hasAudio ? nothing : 'true'}>
      <span id="level-label" class="level-label">${this.#i18n.t.microphoneLevel}</span>
      <div
        part="level"
        class="meter"
        role=${hasAudio ? 'meter' : nothing}
        aria-labelledby="level-label"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${this.level}
        style="--_level: ${this.level / 100}"
      ></div>
    </div>`;
  }

  #onInput = (e: Event) => {
    this.#edited = true;
    this.displayName = (e.target as HTMLInputElement).value;
  };

  #onSubmit = (e: Event) => {
    e.preventDefault();
    const session = this.session;
    if (!session || this.#status.value === 'joining') return;
    const name = this.displayName.trim();
    this.#store(name);
    // Failures land in the session's status and error stores, which the room shows.
    session.join(name || undefined).catch(() => undefined);
  };

  /** Listen to `track`'s level (or stop listening). */
  #meter(track: MediaStreamTrack | undefined): void {
    if (track === this.#metered) return;
    this.#stopMeter?.();
    this.#stopMeter = undefined;
    this.#metered = track;
    this.level = 0;
    if (!track) return;
    this.#stopMeter = watchAudioLevel(track, (rms) => {
      // Shown in decibels, as level meters are: -60 dB (and below) is empty, 0 dB full.
      const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
      this.level = Math.round(Math.max(0, Math.min(1, (db + 60) / 60)) * 100);
    });
  }

  #stored(): string | null {
    if (!this.storageKey) return null;
    try {
      return localStorage.getItem(this.storageKey);
    } catch {
      return null; // storage blocked (sandboxed iframe, privacy settings)
    }
  }

  #store(name: string): void {
    if (!this.storageKey) return;
    try {
      if (name) localStorage.setItem(this.storageKey, name);
      else localStorage.removeItem(this.storageKey);
    } catch {
      // storage blocked: nothing to remember
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-prejoin': RtcPrejoin;
  }
}
