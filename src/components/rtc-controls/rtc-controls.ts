import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { LocalMediaState } from '../../core/media/local-media.js';
import type { MediaKind, RtcError } from '../../core/errors.js';
import type { RtcSession, SessionStatus } from '../../core/session.js';
import { SessionController } from '../../controllers/session-controller.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { cameraIcon, cameraOffIcon, leaveIcon, micIcon, micOffIcon } from '../../internal/icons.js';
import { componentStyles } from '../../styles/component.styles.js';
import { controlsStyles } from './rtc-controls.styles.js';

const IN_CALL: SessionStatus[] = ['joining', 'joined', 'reconnecting'];
/** Errors no click can fix (nothing to open, or the page is not secure): the button is disabled. */
const UNAVAILABLE = new Set(['no-device', 'insecure-context']);
const deviceWord = { audio: 'Microphone', video: 'Camera' } as const;

/**
 * @summary Call controls: Microphone and Camera toggles (`aria-pressed`, true = on) and Leave.
 * State changes are announced to screen readers.
 * @tag rtc-controls
 *
 * @slot - Extra controls, placed between Camera and Leave.
 *
 * @csspart base - The group around the buttons.
 * @csspart button - Every button.
 * @csspart microphone - The Microphone toggle.
 * @csspart camera - The Camera toggle.
 * @csspart leave - The Leave button.
 *
 * @cssprop --rtc-controls-gap - Space between buttons (default `--rtc-space-s`).
 * @cssprop --rtc-controls-background - Behind the buttons (default transparent).
 * @cssprop --rtc-controls-on-background - A toggle that is on (default `--rtc-color-surface-raised`).
 * @cssprop --rtc-controls-off-background - A toggle that is off (default #e5e7eb).
 * @cssprop --rtc-controls-off-color - Text of a toggle that is off (default #111827).
 * @cssprop --rtc-color-danger - The Leave button.
 */
export class RtcControls extends RtcElement {
  static override styles = [componentStyles, controlsStyles];
  /** focus() on the element lands on its first button. */
  static override shadowRootOptions: ShadowRootInit = { ...RtcElement.shadowRootOptions, delegatesFocus: true };

  @state() private announcement = '';
  /** Toggles in progress: a second click while the camera opens is ignored (the button keeps focus, unlike a disabled one). */
  readonly #busy = new Set<MediaKind>();

  readonly #media = new StoreController<LocalMediaState>(this);
  readonly #status = new StoreController<SessionStatus>(this);
  readonly #session = new SessionController(this, (s) => {
    this.#media.attach(s?.localMedia);
    this.#status.attach(s?.status);
  });

  /** The session to control. Set it to work without an enclosing `<rtc-room>`; it wins over the room's. */
  @property({ attribute: false })
  get session(): RtcSession | undefined {
    return this.#session.session;
  }
  set session(session: RtcSession | undefined) {
    this.#session.explicit = session;
  }

  protected override render() {
    const session = this.session;
    const status = this.#status.value;
    const inCall = !!status && IN_CALL.includes(status);
    return html`
      <div part="base" class="base" role="group" aria-label="Call controls">
        ${this.#toggle('audio')} ${this.#toggle('video')}
        <slot></slot>
        <button
          part="button leave"
          class="button danger"
          type="button"
          ?disabled=${!session || !inCall}
          title=${!session || inCall ? nothing : 'Not in a call'}
          @click=${this.#onLeave}
        >
          ${leaveIcon}<span>Leave</span>
        </button>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  #toggle(kind: MediaKind) {
    const m = this.#media.value;
    const on = kind === 'audio' ? !!m?.audioEnabled : !!m?.videoEnabled;
    const has = kind === 'audio' ? !!m?.hasAudio : !!m?.hasVideo;
    const error: RtcError | undefined = m?.errors[kind];
    const unavailable = !!error && !has && UNAVAILABLE.has(error.code);
    const disabled = !this.session || unavailable;
    const title = !this.session ? 'Not connected to a call' : error && !has ? error.message : undefined;
    const part = kind === 'audio' ? 'microphone' : 'camera';
    const icon = kind === 'audio' ? (on ? micIcon : micOffIcon) : on ? cameraIcon : cameraOffIcon;
    return html`<button
      part="button ${part}"
      class="button"
      type="button"
      aria-pressed=${on ? 'true' : 'false'}
      ?disabled=${disabled}
      title=${title ?? nothing}
      @click=${() => this.#onToggle(kind)}
    >
      ${icon}<span>${deviceWord[kind]}</span>
    </button>`;
  }

  async #onToggle(kind: MediaKind): Promise<void> {
    const session = this.session;
    if (!session || this.#busy.has(kind)) return;
    this.#busy.add(kind);
    try {
      if (kind === 'audio') await session.toggleMicrophone();
      else await session.toggleCamera();
    } finally {
      this.#busy.delete(kind);
    }
    const m = session.localMedia.get();
    const on = kind === 'audio' ? m.audioEnabled : m.videoEnabled;
    await this.#announce(`${deviceWord[kind]} ${on ? 'on' : 'off'}`);
  }

  #onLeave = () => {
    void this.session?.leave();
  };

  async #announce(text: string): Promise<void> {
    // Clear first so the same words twice in a row are announced twice.
    this.announcement = '';
    await this.updateComplete;
    this.announcement = text;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-controls': RtcControls;
  }
}
