import { html, nothing, type ReactiveControllerHost } from 'lit';
import type { LocalMediaState } from '../../core/media/local-media.js';
import type { MediaKind, RtcError } from '../../core/errors.js';
import type { RtcSession, SessionStatus } from '../../core/session.js';
import { isJoiningOrInCall } from '../../core/state/status.js';
import type { Role } from '../../core/signaling/protocol.js';
import { StoreController } from '../../controllers/store-controller.js';
import { cameraIcon, cameraOffIcon, leaveIcon, micIcon, micOffIcon, screenShareIcon } from '../../internal/icons.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

/** Errors no click can fix (nothing to open, or the page is not secure): the button is disabled. */
const UNAVAILABLE = new Set(['no-device', 'insecure-context']);

/** The element CallControls serves: a session-aware element (RtcSessionElement). */
export type CallControlsHost = ReactiveControllerHost & HTMLElement & { readonly session?: RtcSession };

/** getDisplayMedia exists (not on most phones, nor on an insecure page): offer "Share screen". */
export const screenShareSupported = (): boolean => typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/**
 * The call buttons (Microphone, Camera, Share screen, Leave): their state, actions and
 * templates, shared by `<rtc-controls>` and the single-button elements so both behave alike.
 * `<rtc-controls>` renders these templates into its own shadow root instead of nesting the
 * button elements: one tab sequence, `::part(microphone)` etc. reach the native buttons, and a
 * slotted extra button sits beside them. The host renders `liveRegion()` once.
 */
export class CallControls {
  /** What the live region says now. */
  announcement = '';
  readonly #host: CallControlsHost;
  /** Toggles in progress: a second click while the camera opens is ignored (the button keeps focus, unlike a disabled one). */
  readonly #busy = new Set<string>();
  /** screenSharing as last seen, to announce changes, including the browser's own "Stop sharing". */
  #sharing?: boolean;
  readonly #media: StoreController<LocalMediaState>;
  readonly #status: StoreController<SessionStatus>;
  readonly #role: StoreController<Role>;
  readonly #i18n: Localize<Strings>;

  constructor(host: CallControlsHost) {
    this.#host = host;
    this.#i18n = new Localize(host, en);
    this.#media = new StoreController<LocalMediaState>(host, (m) => this.#onMedia(m));
    this.#status = new StoreController<SessionStatus>(host);
    this.#role = new StoreController<Role>(host);
  }

  /** The host's session changed (its `sessionChanged`): follow the new one's stores. */
  attach(session: RtcSession | undefined): void {
    this.#sharing = undefined;
    this.#media.attach(session?.localMedia);
    this.#status.attach(session?.status);
    this.#role.attach(session?.moderation.role);
  }

  /** The host's session in use. */
  get session(): RtcSession | undefined {
    return this.#host.session;
  }

  /** Joining or in the call: Leave and Share screen work. */
  get inCall(): boolean {
    return isJoiningOrInCall(this.#status.value);
  }

  microphone() {
    return this.#toggle('audio');
  }

  camera() {
    return this.#toggle('video');
  }

  /** Nothing where the browser cannot share a screen, nor in an audio room or for a viewer by choice. */
  screenShare() {
    const m = this.#media.value;
    if (!(m ? m.canShareScreen : screenShareSupported())) return nothing;
    if (this.#unused('video')) return nothing;
    const session = this.session;
    const on = !!m?.screenSharing;
    const disabled = !session || !this.inCall;
    // A viewer's button stays focusable and says why on click (aria-disabled, not disabled).
    const viewer = this.#role.value === 'viewer';
    const t = this.#i18n.t;
    return html`<button
      part="button screen-share"
      class="button"
      type="button"
      aria-pressed=${on ? 'true' : 'false'}
      aria-disabled=${viewer ? 'true' : nothing}
      ?disabled=${disabled}
      title=${!session ? t.notConnected : disabled ? t.notInCall : viewer ? t.viewersCannotSend : nothing}
      @click=${this.#onScreenShare}
    >
      ${screenShareIcon}<span>${t.shareScreen}</span>
    </button>`;
  }

  leave() {
    const session = this.session;
    const inCall = this.inCall;
    const t = this.#i18n.t;
    return html`<button
      part="button leave"
      class="button danger"
      type="button"
      ?disabled=${!session || !inCall}
      title=${!session || inCall ? nothing : t.notInCall}
      @click=${this.#onLeave}
    >
      ${leaveIcon}<span>${t.leave}</span>
    </button>`;
  }

  /** Visually hidden, read by screen readers: "Microphone off", "Screen sharing started"… */
  liveRegion() {
    return html`<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }

  async announce(text: string): Promise<void> {
    // Clear first so the same words twice in a row are announced twice.
    this.announcement = '';
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    this.announcement = text;
    this.#host.requestUpdate();
  }

  /**
   * A button that cannot serve: the session never opens this kind (`media="audio"` has no camera),
   * or we asked to be a viewer and still are one. (A viewer by token keeps the buttons, which say why
   * they do nothing: a host may let them take part.)
   */
  #unused(kind: MediaKind): boolean {
    const session = this.session;
    if (!session?.requestedMedia) return false;
    // (The role and status stores this element follows are what isViewer reads: it renders again when either changes.)
    return !session.requestedMedia[kind] || (session.viewerRequested && session.isViewer);
  }

  #toggle(kind: MediaKind) {
    if (this.#unused(kind)) return nothing;
    const m = this.#media.value;
    const on = kind === 'audio' ? !!m?.audioEnabled : !!m?.videoEnabled;
    const has = kind === 'audio' ? !!m?.hasAudio : !!m?.hasVideo;
    const error: RtcError | undefined = m?.errors[kind];
    const unavailable = !!error && !has && UNAVAILABLE.has(error.code);
    const disabled = !this.session || unavailable;
    const viewer = this.#role.value === 'viewer';
    const t = this.#i18n.t;
    const title = !this.session ? t.notConnected : viewer ? t.viewersCannotSend : error && !has ? this.#i18n.error(error) : undefined;
    const part = kind === 'audio' ? 'microphone' : 'camera';
    const icon = kind === 'audio' ? (on ? micIcon : micOffIcon) : on ? cameraIcon : cameraOffIcon;
    return html`<button
      part="button ${part}"
      class="button"
      type="button"
      aria-pressed=${on ? 'true' : 'false'}
      aria-disabled=${viewer ? 'true' : nothing}
      ?disabled=${disabled}
      title=${title ?? nothing}
      @click=${() => this.#onToggle(kind)}
    >
      ${icon}<span>${kind === 'audio' ? t.microphone : t.camera}</span>
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
    await this.announce(this.#i18n.t.deviceState(kind, on));
  }

  #onScreenShare = async () => {
    const session = this.session;
    if (!session || this.#busy.has('screen')) return;
    this.#busy.add('screen');
    const before = session.error.get();
    try {
      // Started/stopped is announced from the store (#onMedia); a cancelled picker changes nothing.
      await session.toggleScreenShare();
    } catch {
      // reported through session.error below
    } finally {
      this.#busy.delete('screen');
    }
    const error = session.error.get();
    if (error && error !== before && error.code === 'screen-share-failed') await this.announce(this.#i18n.error(error));
  };

  #onLeave = () => {
    void this.session?.leave();
  };

  #onMedia(m: LocalMediaState | undefined): void {
    const sharing = m ? !!m.screenSharing : undefined;
    const was = this.#sharing;
    this.#sharing = sharing;
    if (was === undefined || sharing === undefined || was === sharing) return;
    void this.announce(sharing ? this.#i18n.t.screenSharingStarted : this.#i18n.t.screenSharingStopped);
  }
}
