import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Participant, RtcSession, SessionStatus } from '../../core/session.js';
import { isInCall } from '../../core/state/status.js';
import { RtcError } from '../../core/errors.js';
import { canRecord, type Recording, type RecordingResult } from '../../core/recording/recorder.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { recordButtonStyles } from './rtc-record-button.styles.js';
import { RtcRecordingStartEvent, RtcRecordingStopEvent } from './rtc-record-events.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';

/** The state shown: nothing recorded yet, recording now, or a file ready to download. */
export type RecordButtonState = 'idle' | 'recording' | 'ready';

/**
 * The last file recorded in each session, kept apart from any element: the room's call view (and
 * its button) goes away when the call ends, and leaving stops a recording, but its file must
 * still be offered afterwards. Gone with the session, or with the next recording, or Clear.
 */
const finished = new WeakMap<RtcSession, RecordingResult>();
/** Tells every button that a file was kept or dropped (another button may have watched it end). */
const finishedChanged = new EventTarget();
function keep(session: RtcSession, result: RecordingResult | null): void {
  if (result) finished.set(session, result);
  else finished.delete(session);
  finishedChanged.dispatchEvent(new Event('change'));
}

/** "1:05", "12:00", "1:02:03" from ms. */
export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

/**
 * @summary Records the call on this device: Record starts (the whole call as the room shows it,
 * everyone's sound mixed, or one participant with `participant-id` or the `choose` picker),
 * the button then says Stop with the time recorded, and at the end a link downloads the WebM
 * file (`<room>-<date>-<time>.webm`). Everyone in the call sees that you record. Starting and
 * stopping are announced to screen readers; the file never leaves the device.
 * @tag rtc-record-button
 * @property session - The session to record. Set it to work without an enclosing `<rtc-room>`; it wins over the room's.
 *
 * @fires {RtcRecordingStartEvent} rtc-recording-start - Our recording started (`recording`).
 * @fires {RtcRecordingStopEvent} rtc-recording-stop - It ended and its file is ready (`result.blob`, `result.filename`; `error` if it failed).
 *
 * @csspart record-toggle - The Record / Stop button (its name says what it does: "Record", "Stop 01:23").
 * @csspart elapsed - The time recorded (mm:ss) inside the button while recording.
 * @csspart target - The "Record" picker (whole call or one participant), with `choose`.
 * @csspart download - The download link of the last recording.
 * @csspart clear - The button that discards it.
 * @csspart error - Why the last recording failed.
 *
 * @cssprop --rtc-record-color - The red of the recording dot (default #ef4444).
 */
export class RtcRecordButton extends RtcSessionElement {
  static override styles = [componentStyles, recordButtonStyles];
  /** focus() on the element lands on its first control. */
  static override shadowRootOptions: ShadowRootInit = { ...RtcElement.shadowRootOptions, delegatesFocus: true };

  /** Record only this participant (a peer id, or `local`), instead of the whole call. */
  @property({ attribute: 'participant-id' }) participantId?: string;

  /** Offer a picker before Record: the whole call, or one participant. */
  @property({ type: Boolean }) choose = false;

  /** Reflects (read-only) what the button shows: `idle`, `recording` or `ready` (a file to download). */
  @property({ reflect: true }) state: RecordButtonState = 'idle';

  @state() private picked = '';
  @state() private announcement = '';

  readonly #recording = new StoreController<Recording | null>(this, (r) => this.#onRecording(r ?? null));
  readonly #status = new StoreController<SessionStatus>(this);
  readonly #participants = new StoreController<Participant[]>(this);
  /** The recording shown (ours, running), and its clock. */
  #watched: Recording | null = null;
  readonly #elapsed = new StoreController<number>(this);
  readonly #i18n = new Localize(this, en);
  #url: { result: RecordingResult; href: string } | null = null;
  #error: string | null = null;
  /** Move focus to the download link once it renders (the Stop button that had it is gone). */
  #focusDownload = false;

  protected override sessionChanged(s: RtcSession | undefined): void {
    this.#recording.attach(s?.recording);
    this.#status.attach(s?.status);
    this.#participants.attach(s?.participants);
  }

  /** The last recording's file, until cleared or a new recording starts. */
  get result(): RecordingResult | null {
    const s = this.session;
    return (s && finished.get(s)) ?? null;
  }

  /** Start recording (what Record does); the recording, or null when it could not start (the error is shown). */
  start(): Recording | null {
    const session = this.session;
    if (!session || session.recording.get()) return session?.recording.get() ?? null;
    const target = this.participantId ?? (this.picked || undefined);
    const participant = target === 'local' ? session.localId : target;
    try {
      return session.startRecording({ participant, spotlight: this.#roomSpotlight() });
    } catch (err) {
      this.#error = err instanceof RtcError ? this.#i18n.error(err) : err instanceof Error ? err.message : String(err);
      this.requestUpdate();
      return null;
    }
  }

  /** Stop recording (what Stop does); the file, or null when not recording. */
  async stop(): Promise<RecordingResult | null> {
    return (await this.session?.stopRecording()) ?? null;
  }

  /** Forget the last file (its link goes away and its memory is freed). */
  clear(): void {
    const s = this.session;
    if (s) keep(s, null);
    this.#revoke();
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    finishedChanged.addEventListener('change', this.#onFinishedChanged);
  }

  #onFinishedChanged = () => this.requestUpdate();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    finishedChanged.removeEventListener('change', this.#onFinishedChanged);
    // The object URL belongs to this element; the file stays in `finished` for the next one.
    this.#revoke();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // 'stopping' (the encoder's last data is on its way) still shows Stop: the focused button stays until the link replaces it.
    const running = !!this.#watched && ['recording', 'stopping'].includes(this.#watched.state.get());
    this.state = running ? 'recording' : this.result ? 'ready' : 'idle';
  }

  protected override render() {
    const session = this.session;
    const status = this.#status.value;
    const inCall = isInCall(status);
    const supported = canRecord();
    const recording = this.state === 'recording';
    const elapsed = formatElapsed(this.#elapsed.value ?? 0);
    const disabled = !session || (!recording && (!inCall || !supported));
    const t = this.#i18n.t;
    const why = !session ? t.notConnected : !supported ? t.cannotRecord : !inCall && !recording ? t.notInCall : undefined;
    const result = this.result;
    return html`
      ${this.choose && !recording && !this.participantId ? this.#renderPicker(disabled) : nothing}
      <button
        part="button record-toggle"
        class="button ${recording ? 'recording' : ''}"
        type="button"
        ?disabled=${disabled}
        title=${why ?? nothing}
        @click=${this.#onToggle}
      >
        <span class="dot" aria-hidden="true"></span>
        ${recording ? html`<span>${t.stop}</span> <span part="elapsed" class="elapsed" role="timer">${elapsed}</span>` : html`<span>${t.record}</span>`}
      </button>
      ${result && !recording ? this.#renderDownload(result) : nothing}
      ${this.#error ? html`<p part="error" class="error" role="alert">${this.#error}</p>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  #renderPicker(disabled: boolean) {
    const people = this.#participants.value ?? [];
    const t = this.#i18n.t;
    return html`<select part="target" aria-label=${t.whatToRecord} ?disabled=${disabled} .value=${this.picked} @change=${(e: Event) => (this.picked = (e.target as HTMLSelectElement).value)}>
      <option value="" ?selected=${this.picked === ''}>${t.wholeCall}</option>
      ${people.map((p) => html`<option value=${p.isLocal ? 'local' : p.id} ?selected=${this.picked === (p.isLocal ? 'local' : p.id)}>${p.isLocal ? t.nameYou(p.name) : p.name}</option>`)}
    </select>`;
  }

  #renderDownload(result: RecordingResult) {
    if (this.#url?.result !== result) {
      this.#revoke();
      this.#url = { result, href: URL.createObjectURL(result.blob) };
    }
    const t = this.#i18n.t;
    return html`<a part="download" class="download" href=${this.#url.href} download=${result.filename}
        ><span>${t.downloadRecording}</span> <span class="size">${formatElapsed(result.duration)} · ${this.#i18n.bytes(result.blob.size)}</span></a
      ><button part="button clear" class="button clear" type="button" aria-label=${t.discardRecording} title=${t.discardRecording} @click=${this.#onClear}>
        ✕
      </button>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const link = this.renderRoot.querySelector<HTMLElement>('.download');
    if (this.#focusDownload && link) {
      this.#focusDownload = false;
      link.focus();
    }
  }

  #roomSpotlight(): (() => string | null | undefined) | undefined {
    // Inside an <rtc-room> (its default UI renders us in its shadow root): record what it shows large.
    for (let n: Node | null = this.parentNode; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
      const room = n as HTMLElement & { currentLayout?: { mode: string; spotlight: string | null } };
      if (room.localName === 'rtc-room' && 'currentLayout' in room) {
        return () => {
          const layout = room.currentLayout;
          return layout?.mode === 'spotlight' ? layout.spotlight : null;
        };
      }
    }
    return undefined;
  }

  #onToggle = async () => {
    if (this.state === 'recording') await this.stop();
    else this.start();
  };

  #onClear = () => {
    this.clear();
    void this.#announce(this.#i18n.t.recordingDiscarded);
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.button')?.focus());
  };

  /** session.recording changed: follow a recording that started (from here or elsewhere) to its end. */
  #onRecording(recording: Recording | null): void {
    if (!recording || recording === this.#watched) return;
    const session = this.session;
    if (session) keep(session, null);
    this.#revoke();
    this.#error = null;
    this.#focusDownload = false;
    this.#watched = recording;
    this.#elapsed.attach(recording.elapsed);
    // Built first, so the manifest takes the event from @fires, not from the constructor's arguments.
    const event = new RtcRecordingStartEvent(recording);
    this.dispatchEvent(event);
    void this.#announce(this.#i18n.t.recordingStarted);
    const off = recording.state.subscribe((state) => {
      if (state === 'stopping') this.#focusDownload = this.matches(':focus-within');
      if (state !== 'stopped' && state !== 'failed') return this.requestUpdate();
      queueMicrotask(() => off());
      if (session && recording.result) keep(session, recording.result);
      if (this.#watched === recording) {
        this.#watched = null;
        this.#elapsed.attach(undefined);
      }
      this.#error = recording.error ? this.#i18n.error(recording.error) : null;
      // The Stop button (focused when pressed) turns into the download link: focus follows.
      this.#focusDownload ||= this.matches(':focus-within');
      if (recording.result) {
        const stopped = new RtcRecordingStopEvent(recording.result, recording.error);
        this.dispatchEvent(stopped);
      }
      void this.#announce(recording.error ? this.#i18n.t.recordingFailed(this.#i18n.error(recording.error)) : this.#i18n.t.recordingReady);
    });
  }

  #revoke(): void {
    if (this.#url) URL.revokeObjectURL(this.#url.href);
    this.#url = null;
  }

  async #announce(text: string): Promise<void> {
    // Cleared first, so the same words twice in a row are read twice.
    this.announcement = '';
    await this.updateComplete;
    this.announcement = text;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-record-button': RtcRecordButton;
  }
}
