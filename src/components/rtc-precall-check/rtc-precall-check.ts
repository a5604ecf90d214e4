import { html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { emptyPrecallResult, runPrecallCheck } from '../../core/precall/precall-check.js';
import { playTestTone } from '../../core/precall/media-checks.js';
import type { NetworkResult, PrecallResult, PrecallStatus, PrecallStep } from '../../core/precall/types.js';
import { RtcError } from '../../core/errors.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { precallCheckStyles } from './rtc-precall-check.styles.js';
import { RtcPrecallResultEvent } from './precall-events.js';
import { Localize } from '../../i18n/localize.js';
import { en, type PrecallValues, type PrecallVerdictTexts } from '../../i18n/en.js';

const icon = (body: ReturnType<typeof svg>) =>
  svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;
const ICONS: Record<PrecallStatus, ReturnType<typeof svg>> = {
  pending: icon(svg`<circle cx="12" cy="12" r="9" stroke-dasharray="3 3"/>`),
  running: icon(svg`<path d="M21 12a9 9 0 1 1-9-9"/>`),
  pass: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M8 12.5l3 3 5-6"/>`),
  warn: icon(svg`<path d="M12 3l9.5 17h-19z"/><path d="M12 10v4M12 17.5v.01"/>`),
  fail: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M9 9l6 6M15 9l-6 6"/>`),
  skipped: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M8 12h8"/>`),
};

/**
 * @summary A pre-call check: on "Test my setup" it tests the camera (frames arrive), the
 * microphone (it hears something), the speaker (can one be chosen; a test sound on request) and
 * the network: ICE servers from the call server, the candidates they give, and a relay-only
 * connection through the TURN server with its round trip and throughput. Each step says what it
 * found in plain words; the network gets a verdict ("Direct connection possible", "Needs the TURN
 * relay (works)", "TURN unreachable or wrong credentials", "Blocked"). Nothing stays open after
 * the check: every track is stopped, every peer connection and the socket closed.
 *
 * Works alone (`server`, or the page's origin) and inside `<rtc-room precall-check>`, whose
 * session tells it which camera and microphone were chosen.
 * @tag rtc-precall-check
 * @property session - The session whose chosen devices are tested; an enclosing `<rtc-room>`'s by default.
 *
 * @fires {RtcPrecallResultEvent} rtc-precall-result - A check finished (`result`: steps, `network.verdict`, `network.relay.rttMs`, `network.relay.throughputBytesPerSecond`).
 *
 * @csspart base - The frame.
 * @csspart title - "Check your setup".
 * @csspart button - The "Test my setup" and "Play a test sound" buttons.
 * @csspart start - The "Test my setup" / "Test again" button (also part `button`).
 * @csspart tone - The "Play a test sound" button (also part `button`).
 * @csspart summary - The progress and overall result (a live region).
 * @csspart steps - The list of steps.
 * @csspart step - One step (`data-step`: camera, microphone, speaker, network; `data-status`: pending, running, pass, warn, fail, skipped).
 * @csspart icon - A step's status icon.
 * @csspart message - A step's result in words.
 * @csspart network - The network details: verdict, round trip and throughput through the relay.
 *
 * @cssprop --rtc-precall-check-background - Behind the check (default `--rtc-color-surface`).
 * @cssprop --rtc-precall-check-pass-color - The OK icon (default `--rtc-color-success`, green).
 * @cssprop --rtc-precall-check-warn-color - The Check icon (default `--rtc-color-warning`, amber).
 * @cssprop --rtc-precall-check-fail-color - The Problem icon (default `--rtc-color-danger`).
 * @cssprop --rtc-color-success - The OK icon when `--rtc-precall-check-pass-color` is not set (default #16a34a).
 * @cssprop --rtc-color-warning - The Check icon when `--rtc-precall-check-warn-color` is not set (default #d97706).
 */
export class RtcPrecallCheck extends RtcSessionElement {
  static override styles = [componentStyles, precallCheckStyles];

  /** Signaling server URL to get the ICE servers (TURN credentials) from; default the page's origin. */
  @property() server?: string;

  /** 'relay' tests only what a relay-only call would use; default 'all'. */
  @property({ attribute: 'ice-transport-policy' }) iceTransportPolicy: RTCIceTransportPolicy = 'all';

  /** ICE servers added to the server's. */
  @property({ attribute: false }) iceServers?: RTCIceServer[];

  /** The last result (or the one in progress); null before the first check. */
  @state() result: PrecallResult | null = null;

  /** A check is running. */
  @state() running = false;

  @state() private playing = false;

  readonly #i18n = new Localize(this, en);
  #abort?: AbortController;

  /** Run the check (again); resolves with the result, also fired as `rtc-precall-result`. */
  async run(): Promise<PrecallResult> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    const session = this.session;
    const selected = session?.devices.state.get().selected;
    const viewer = !!session?.isViewer;
    this.running = true;
    try {
      const result = await runPrecallCheck({
        server: this.server || globalThis.location?.origin,
        iceServers: this.iceServers,
        iceTransportPolicy: this.iceTransportPolicy,
        // Only the devices the call will use (an audio room never asks for a camera).
        camera: viewer || (session?.requestedMedia && !session.requestedMedia.video) ? false : selected?.videoinput || true,
        microphone: viewer || (session?.requestedMedia && !session.requestedMedia.audio) ? false : selected?.audioinput || true,
        signal: abort.signal,
        onProgress: (r) => {
          if (this.#abort === abort) this.result = r;
        },
      });
      if (this.#abort === abort) {
        this.result = result;
        this.#emit(new RtcPrecallResultEvent(result));
      }
      return result;
    } finally {
      if (this.#abort === abort) {
        this.#abort = undefined;
        this.running = false;
      }
    }
  }

  /** Through one method, so the manifest takes the event from @fires, not from constructor arguments. */
  #emit(event: Event): void {
    this.dispatchEvent(event);
  }

  /** Stop a running check (everything it opened is released). */
  stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.running = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  protected override render() {
    const result = this.result ?? emptyPrecallResult();
    const t = this.#i18n.t;
    return html`<section part="base" class="base" aria-labelledby="title">
      <div class="header">
        <p id="title" part="title" class="title">${t.checkYourSetup}</p>
        <button part="button start" class="button ${this.result ? '' : 'primary'}" type="button" aria-disabled=${this.running ? 'true' : 'false'} @click=${this.#onStart}>
          ${this.running ? t.testing : this.result ? t.testAgain : t.testMySetup}
        </button>
      </div>
      <p part="summary" class="summary" role="status">${this.#summary(result)}</p>
      <ul part="steps" class="steps" aria-labelledby="title">
        ${result.steps.map((s) => this.#renderStep(s, result))}
      </ul>
    </section>`;
  }

  #renderStep(s: PrecallStep, result: PrecallResult) {
    const t = this.#i18n.t;
    return html`<li part="step" class="step" data-step=${s.id} data-status=${s.status}>
      <span part="icon" class="icon">${ICONS[s.status]}</span>
      <div>
        <span class="step-label">${this.#label(s)}</span><span class="visually-hidden">: ${t.precallStatus[s.status]}.</span>
        <p part="message" class="step-message">${this.#message(s)}</p>
        ${
          s.id === 'speaker' && (s.status === 'pass' || s.status === 'warn')
            ? html`<button part="button tone" class="button" type="button" ?disabled=${this.playing} @click=${this.#onTone}>
              ${this.playing ? t.playing : t.playTestSound}
            </button>`
            : nothing
        }
        ${s.id === 'network' && result.network && s.status !== 'running' ? this.#renderNetwork(result) : nothing}
      </div>
    </li>`;
  }

  #renderNetwork(result: PrecallResult) {
    const n = result.network!;
    const relay = n.relay;
    const c = n.candidates;
    const t = this.#i18n.t;
    const ms = (x: number) => this.#i18n.number(x, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: x < 10 ? 1 : 0 });
    return html`<dl part="network" class="network">
      <dt>${t.verdict}</dt>
      <dd data-verdict=${n.verdict}>${t.precallVerdicts[verdictKey(n)]}</dd>
      <dt>${t.relayRoundTrip}</dt>
      <dd data-rtt>${relay?.rttMs != null ? ms(relay.rttMs) : t.notMeasured}</dd>
      <dt>${t.relayThroughput}</dt>
      <dd data-throughput>${relay?.throughputBytesPerSecond != null ? this.#rate(relay.throughputBytesPerSecond) : t.notMeasured}</dd>
      <dt>${t.addressesFound}</dt>
      <dd>${t.addresses(c.host, c.srflx, c.relay)}</dd>
    </dl>`;
  }

  /**
   * A step's result in the element's language, by its code (the core's `message` is English). A
   * step without a code (a result made elsewhere) shows its message.
   */
  #message(s: PrecallStep): string {
    const text = s.code && this.#i18n.t.precallTexts[s.code];
    if (!text) return s.message;
    const p = s.params ?? {};
    // A picture size is not a quantity: no grouping ("1280×720", not "1,280×720").
    const plain = (x: number) => this.#i18n.number(x, { useGrouping: false });
    const values: PrecallValues = {
      step: s.id,
      size: p.width ? `${plain(p.width)}×${plain(p.height ?? 0)}` : undefined,
      outputs: p.outputs ?? 0,
      rtt: p.rttMs != null ? this.#i18n.number(p.rttMs, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 }) : undefined,
      rate: p.throughputBytesPerSecond != null ? this.#rate(p.throughputBytesPerSecond) : undefined,
      turn: !!p.turn,
      relayError: p.relayError,
      directMayWork: !!p.directMayWork,
      error: p.error ? this.#i18n.error(new RtcError(p.error, s.message, { kind: s.id === 'camera' ? 'video' : 'audio' })) : s.message,
      detail: p.detail ?? '',
    };
    return text(values);
  }

  /** Megabits per second: whole from 10 up, else one decimal. */
  #rate(bytesPerSecond: number): string {
    const mbit = (bytesPerSecond * 8) / 1e6;
    const digits = mbit >= 10 ? 0 : 1;
    return this.#i18n.t.megabitsPerSecond(this.#i18n.number(mbit, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }

  #summary(result: PrecallResult): string {
    const t = this.#i18n.t;
    if (!this.result) return t.precallIntro;
    const running = result.steps.find((s) => s.status === 'running');
    if (!result.done) {
      const finished = result.steps.filter((s) => !['pending', 'running'].includes(s.status)).length;
      return t.precallProgress(running && this.#label(running), finished, result.steps.length);
    }
    if (result.steps.some((s) => s.status === 'fail')) return t.precallFailed;
    if (result.steps.some((s) => s.status === 'warn')) return t.precallWarned;
    return t.precallPassed;
  }

  /** A step's name in the element's language. */
  #label(s: PrecallStep): string {
    const t = this.#i18n.t;
    return s.id === 'network' ? t.network : t[s.id];
  }

  #onStart = () => {
    // aria-disabled rather than disabled while running: the button keeps the keyboard focus.
    if (this.running) return;
    void this.run().catch(() => undefined); // stopped: nothing to report
  };

  #onTone = async () => {
    this.playing = true;
    try {
      await playTestTone({ sinkId: this.session?.devices.state.get().selected.audiooutput || undefined });
    } finally {
      this.playing = false;
    }
  };
}

/** The verdict's words: a failed TURN told apart (refused credentials, or no data carried), as the core's verdictText does. */
function verdictKey(n: NetworkResult): keyof PrecallVerdictTexts {
  if (n.verdict !== 'turn-failed') return n.verdict;
  return n.turnAuthFailed ? 'turn-refused' : n.candidates.relay > 0 ? 'turn-no-data' : 'turn-failed';
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-precall-check': RtcPrecallCheck;
  }
}
