import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import type { Participant, RtcSession } from '../../core/session.js';
import type { DevicesState } from '../../core/media/devices.js';
import { RtcError } from '../../core/errors.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcErrorEvent } from '../../events/rtc-events.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { cameraOffIcon, micOffIcon, screenShareIcon, speakingIcon } from '../../internal/icons.js';
import { connectionText, hueOf, initialsOf } from '../../internal/participant-text.js';
import type { ConnectionQuality, QualityLevel } from '../../core/stats/quality.js';
import { componentStyles } from '../../styles/component.styles.js';
import { videoTileStyles } from './rtc-video-tile.styles.js';
import { ViewSizeController } from './view-size.js';
import { ParticipantLookup } from './participant-lookup.js';
import { ReactionOverlay, reactionOverlayStyles } from '../rtc-reactions/reaction-overlay.js';
import { Localize, localizedError } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

export { initialsOf };

/**
 * @summary The video (and sound) of one participant, with their name, muted-microphone,
 * speaking and screen-sharing indicators, the connection state in words, and a placeholder with
 * their initials when the camera is off. Remote sound plays on the speaker chosen in the
 * session's devices (`setSinkId`, where the browser can).
 * @tag rtc-video-tile
 * @property session - The session to show a participant of. Set it to work without an enclosing `<rtc-room>`; it wins over the room's. Reading it gives the session in use.
 *
 * @slot empty - Shown when there is no session or no such participant.
 * @slot controls - Buttons over the tile's top-right corner (`<rtc-room>` puts its Pin button here).
 *
 * @fires {RtcErrorEvent} rtc-error - The chosen speaker could not be used (code `media-failed`); the sound goes on on the previous one.
 *
 * @csspart base - The tile's frame.
 * @csspart video - The `<video>` element.
 * @csspart placeholder - Shown instead of the picture when the camera is off or absent, and always in an `audio-only` tile.
 * @csspart initials - The initials inside the placeholder, on a colour of their own from the name (the same on every page), ringed while speaking.
 * @csspart camera-off-indicator - The "Camera off" icon beside the name (not in an `audio-only` tile).
 * @csspart label - The display name.
 * @csspart muted-indicator - The "Microphone muted" icon.
 * @csspart speaking-indicator - The "Speaking" icon (with a ring around the tile).
 * @csspart screen-indicator - The "Sharing screen" icon.
 * @csspart recording-indicator - A red dot while the participant records the call.
 * @csspart quality - A remote participant's connection quality: signal bars (`data-level` good, fair, poor, lost), labelled and with a tooltip saying why ("Connection: poor (high packet loss)").
 * @csspart controls - The box around the `controls` slot.
 * @csspart status - The connection state in words ("Connecting…", "Reconnecting…", "Connection lost").
 * @csspart play-button - The "Click to play" button shown when the browser blocked autoplay.
 * @csspart verify-button - The "Verify" button of a connected remote participant: shows the safety code.
 * @csspart safety-code - The safety code panel: four words to compare with the participant (docs/security.md).
 * @csspart hand-indicator - The raised-hand badge (top left) with the place in the queue.
 * @csspart reactions - The layer the reactions float up in.
 * @csspart reaction - Each floating emoji (3 s; still with `prefers-reduced-motion`).
 *
 * @cssprop --rtc-video-tile-radius - Corner radius (default `--rtc-radius`, 12px).
 * @cssprop --rtc-video-tile-background - Behind the video (default #111827).
 * @cssprop --rtc-video-tile-aspect-ratio - Tile shape (default 16 / 9).
 * @cssprop --rtc-video-tile-object-fit - How the video fills the tile (default cover).
 * @cssprop --rtc-video-tile-label-background - Behind the name and status (default translucent black).
 * @cssprop --rtc-video-tile-speaking-color - Ring around a speaking participant's tile (default #22c55e).
 * @cssprop --rtc-video-tile-quality-good-color - Bars of a good connection (default #4ade80).
 * @cssprop --rtc-video-tile-quality-fair-color - Bars of a fair connection (default #facc15).
 * @cssprop --rtc-video-tile-quality-poor-color - Bars of a poor or lost connection (default #f87171).
 * @cssprop --rtc-video-tile-hand-color - The raised-hand badge (default #f59e0b).
 * @cssprop --rtc-video-tile-hand-text-color - Its text (default #111827).
 * @cssprop --rtc-record-color - The red dot beside the name of a participant who records the call (default #ef4444).
 * @cssprop --rtc-color-accent - Placeholder circle.
 * @cssprop --rtc-color-surface - Placeholder background.
 */
export class RtcVideoTile extends RtcSessionElement {
  static override styles = [componentStyles, videoTileStyles, reactionOverlayStyles];

  /** Peer id of the participant to show (from the session's `participants`). */
  @property({ attribute: 'participant-id' }) participantId?: string;

  /**
   * Show the local participant (mirrored, muted preview). Also reflects whether the shown
   * participant is the local one.
   */
  @property({ type: Boolean, reflect: true }) local = false;

  /**
   * What of the participant to show: `camera` (camera and microphone, the default) or `screen`
   * (their shared screen and its sound, `Participant.screenStream`; empty while they do not share).
   */
  @property({ reflect: true }) source: 'camera' | 'screen' = 'camera';

  /**
   * A participant object to show as given, instead of looking one up in the session. Handed the
   * session's record (as `<rtc-room>` does), the tile updates only when that participant changes.
   */
  @property({ attribute: false }) participant?: Participant;

  /**
   * A compact audio tile: the initials in a circle (ringed while speaking), the name and the muted
   * state; no video is shown, and the participant is told so (its client sends us none). Sound plays.
   */
  @property({ type: Boolean, reflect: true, attribute: 'audio-only' }) audioOnly = false;

  /** Reflects (read-only) that the participant's microphone is muted. */
  @property({ type: Boolean, reflect: true, attribute: 'audio-muted' }) audioMuted = false;

  /** Reflects (read-only) that the participant's camera is off or absent. */
  @property({ type: Boolean, reflect: true, attribute: 'video-muted' }) videoMuted = false;

  /** Reflects (read-only) that the participant is speaking. */
  @property({ type: Boolean, reflect: true }) speaking = false;

  /** Reflects (read-only) that the participant shares their screen (shown whole, never mirrored). */
  @property({ type: Boolean, reflect: true, attribute: 'screen-sharing' }) screenSharing = false;

  /** Reflects (read-only) the participant's connection state (`new`, `connecting`, `connected`, `disconnected`, `failed`, `closed`). */
  @property({ reflect: true, attribute: 'connection-state' }) connectionState?: RTCPeerConnectionState;

  /** Reflects (read-only) how well a remote participant is received: `good`, `fair`, `poor`, `lost`; absent until measured, and for the local one. */
  @property({ reflect: true }) quality?: QualityLevel;

  @state() private playBlocked = false;
  /** The safety code panel is open; its words (undefined while computing, null when not connected). */
  @state() private safetyOpen = false;
  @state() private safetyWords?: string[] | null;
  @query('video') private video?: HTMLVideoElement;

  /** Our record, when not handed one: looked up in the session, updating only when it changes. */
  readonly #lookup = new ParticipantLookup(this, () =>
    this.participant ? undefined : this.participantId ? { id: this.participantId } : this.local ? 'local' : undefined,
  );
  /** Tells the session how large a remote participant is shown (receiver-driven quality). */
  readonly #viewSize = new ViewSizeController(this);
  readonly #devices = new StoreController<DevicesState>(this);
  readonly #i18n = new Localize(this, en);
  /** Reactions floating over the tile and the raised-hand badge. */
  readonly #reactions = new ReactionOverlay(this, () => this.shownParticipant?.id);

  protected override sessionChanged(s: RtcSession | undefined): void {
    this.#lookup.attach(s?.participants);
    this.#devices.attach(s?.devices?.state);
    this.#reactions.attach(s);
  }

  /** The participant shown now, if any. */
  get shownParticipant(): Participant | undefined {
    return this.participant ?? this.#lookup.current;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.#lookup.sync();
    const p = this.shownParticipant;
    // Reflect state on the host, for styling (`rtc-video-tile[audio-muted]::part(base)`).
    if (p && (this.participant || this.participantId)) this.local = p.isLocal;
    this.audioMuted = !!p?.audioMuted;
    this.screenSharing = !!p?.screenSharing;
    // A shared screen is the picture even when the camera is off (an older peer sends it instead of the camera).
    this.videoMuted = !p || (this.#showsScreen(p) ? !hasLiveVideo(this.#stream(p)) : (p.videoMuted && !p.screenSharing) || !hasLiveVideo(p.stream));
    // A screen's tile says nothing about the microphone (the camera's tile does).
    this.speaking = !!p?.speaking && !p.audioMuted && this.source !== 'screen';
    // A new connection (or another participant) has other certificates: compute the words again.
    const other = changed.has('participantId') || (changed.has('participant') && changed.get('participant')?.id !== p?.id);
    if (this.safetyOpen && (p?.connectionState !== this.connectionState || other)) this.#loadSafetyCode();
    this.connectionState = p?.connectionState;
    this.quality = p && !p.isLocal ? p.quality?.level : undefined;
  }

  protected override render() {
    const p = this.shownParticipant;
    if (!p) return html`<div part="base" class="base empty"><slot name="empty"></slot></div>`;
    const t = this.#i18n.t;
    const status = connectionText(p, t);
    return html`
      <div
        part="base"
        class=${classMap({ base: true, 'video-hidden': this.videoMuted || this.audioOnly, screen: this.#showsScreen(p), verifiable: this.#verifiable(p) })}
      >
        <!-- Out of the Tab order: Firefox makes a media element focusable, and this one has no controls. -->
        <video
          part="video"
          class=${classMap({ mirrored: p.isLocal && !this.#showsScreen(p) })}
          tabindex="-1"
          autoplay
          playsinline
          @playing=${this.#onPlaying}
        ></video>
        ${
          this.videoMuted || this.audioOnly
            ? html`<div part="placeholder" class="placeholder" aria-hidden="true" style="--_hue: ${hueOf(p.name)}">
              <span part="initials" class="initials">${initialsOf(p.name)}</span>
            </div>`
            : nothing
        }
        ${status ? html`<div part="status" class="status">${status}</div>` : nothing} ${this.#reactions.render(p)}
        ${
          this.playBlocked
            ? html`<button part="play-button" class="button primary play" type="button" @click=${this.#onPlayClick}>${t.clickToPlay}</button>`
            : nothing
        }
        <div class="footer">
          ${
            p.recording && this.source !== 'screen'
              ? html`<span part="recording-indicator" class="indicator recording" role="img" aria-label=${t.recording} title=${t.recordingTheCall}></span>`
              : nothing
          }
          ${
            p.audioMuted && this.source !== 'screen'
              ? html`<span part="muted-indicator" class="indicator mic-muted" role="img" aria-label=${t.microphoneMuted}>${micOffIcon}</span>`
              : nothing
          }
          ${
            this.videoMuted && !this.audioOnly && !this.#showsScreen(p)
              ? html`<span part="camera-off-indicator" class="indicator" role="img" aria-label=${t.cameraOff}>${cameraOffIcon}</span>`
              : nothing
          }
          ${
            this.speaking
              ? html`<span part="speaking-indicator" class="indicator speaking" role="img" aria-label=${t.speaking}>${speakingIcon}</span>`
              : nothing
          }
          ${
            this.screenSharing && (this.source === 'screen' || !p.screenStream)
              ? html`<span part="screen-indicator" class="indicator" role="img" aria-label=${t.sharingScreen}>${screenShareIcon}</span>`
              : nothing
          }
          ${p.quality && !p.isLocal && this.source !== 'screen' ? qualityIndicator(p.quality, t) : nothing}
          <span part="label" class="label">${this.source === 'screen' ? t.screenOf(p.name) : p.name}</span>
        </div>
        <div part="controls" class="controls"><slot name="controls"></slot></div>
        <!-- After the controls, so that Tab reaches the room's Pin buttons tile by tile first. -->
        ${
          this.#verifiable(p)
            ? html`<button
              part="verify-button"
              class="verify"
              type="button"
              aria-expanded=${this.safetyOpen ? 'true' : 'false'}
              aria-controls="safety-code"
              @click=${this.#onVerifyClick}
            >
              ${t.verify}
            </button>`
            : nothing
        }
        ${this.safetyOpen && !p.isLocal ? this.#renderSafetyCode(p) : nothing}
      </div>
    `;
  }

  /** A connected remote participant of a session: the safety code can be computed (on the camera tile). */
  #verifiable(p: Participant): boolean {
    return this.source !== 'screen' && !p.isLocal && p.connectionState === 'connected' && !!this.session;
  }

  /** The picture is a screen: this tile shows `screenStream`, or an older peer sends its screen instead of the camera. */
  #showsScreen(p: Participant): boolean {
    return this.source === 'screen' || (p.screenSharing && !p.screenStream);
  }

  /** The stream this tile plays. */
  #stream(p: Participant): MediaStream | null {
    return this.source === 'screen' ? (p.screenStream ?? null) : p.stream;
  }

  #renderSafetyCode(p: Participant) {
    const words = this.safetyWords;
    const t = this.#i18n.t;
    return html`<div part="safety-code" id="safety-code" class="safety" role="region" aria-label=${t.safetyCodeWith(p.name)} aria-live="polite">
      ${
        words === undefined
          ? html`<p>${t.computingSafetyCode}</p>`
          : words === null
            ? html`<p>${t.noSafetyCode(p.name)}</p>`
            : html`<p>${t.compareWords(p.name)}</p>
              <ol class="words" aria-label=${t.safetyCode}>
                ${words.map((w) => html`<li>${w}</li>`)}
              </ol>`
      }
    </div>`;
  }

  #safetyRequest = 0;
  #loadSafetyCode(): void {
    const request = ++this.#safetyRequest;
    const id = this.shownParticipant?.id;
    this.safetyWords = undefined;
    const pending = id && this.session ? this.session.safetyCode(id) : Promise.resolve(null);
    pending.then(
      (code) => {
        if (request === this.#safetyRequest) this.safetyWords = code ? code.split(' ') : null;
      },
      () => {
        if (request === this.#safetyRequest) this.safetyWords = null;
      },
    );
  }

  #onVerifyClick = () => {
    this.safetyOpen = !this.safetyOpen;
    if (this.safetyOpen) this.#loadSafetyCode();
  };

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const video = this.video;
    const shown = this.shownParticipant;
    // A `view` describes the camera: the screen is sent whole whatever its tile's size.
    this.#viewSize.observe(video ?? undefined, shown && !shown.isLocal && this.source !== 'screen' ? shown.id : undefined, !this.audioOnly);
    if (!video) return;
    const p = this.shownParticipant!;
    // Our own voice must never play back (echo); remote sound must, so remote video is unmuted.
    // Set before srcObject so autoplay policy sees the final muted state.
    video.muted = p.isLocal;
    // Attach a stream only once it has a track: in Chromium a <video> given an empty MediaStream
    // stays at readyState 0 even after a microphone track is added to it, and holds the page's
    // load event forever (e.g. the preview when the camera is denied or absent).
    const shownStream = this.#stream(p);
    const stream = shownStream?.getTracks().length ? shownStream : null;
    if (video.srcObject !== stream) {
      video.srcObject = stream;
      this.playBlocked = false;
      if (stream) this.#play(video);
    } else if (this.#resume && stream && video.paused) {
      this.#play(video);
    }
    this.#resume = false;
    this.#applySpeaker(video, p);
  }

  /** The audiooutput id last asked of this <video> (a new element starts on the default). */
  #sink?: { video: HTMLVideoElement; id: string };

  /** Remote sound goes to the speaker chosen in the session; our own preview plays nothing. */
  #applySpeaker(video: HTMLVideoElement, p: Participant): void {
    const devices = this.#devices.value;
    if (p.isLocal || !devices?.speakerSelectable || typeof video.setSinkId !== 'function') return;
    const id = devices.selected.audiooutput;
    // Asked once per choice: a failing device is reported once, not on every render.
    if (this.#sink?.video === video ? this.#sink.id === id : id === '') return;
    this.#sink = { video, id };
    if (video.sinkId === id) return;
    video.setSinkId(id).catch((cause: unknown) => {
      // Reported, never thrown: the sound goes on where it was. (The event is built first so the
      // manifest takes it from @fires, not from the constructor's arguments.)
      const error = localizedError(new RtcError('media-failed', this.#i18n.t.speakerFailed, { kind: 'audio', cause }));
      const event = new RtcErrorEvent(error);
      this.dispatchEvent(event);
    });
  }

  /** Removing a media element pauses it, and autoplay does not restart it on re-insertion. */
  #resume = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) {
      this.#resume = true;
      this.requestUpdate();
    }
  }

  #play(video: HTMLVideoElement): void {
    video.play().catch((err: unknown) => {
      // NotAllowedError = autoplay with sound blocked until the user interacts: offer a button.
      // Other rejections (AbortError: a newer srcObject replaced this one) need nothing.
      if ((err as { name?: string })?.name === 'NotAllowedError' && video.srcObject) this.playBlocked = true;
    });
  }

  #onPlaying = () => {
    this.playBlocked = false;
  };

  #onPlayClick = () => {
    const video = this.video;
    if (!video) return;
    video.play().then(
      () => (this.playBlocked = false),
      () => undefined,
    );
  };
}

const BARS: Record<QualityLevel, number> = { good: 3, fair: 2, poor: 1, lost: 0 };

/** Signal bars, filled by level; its words for screen readers and as a tooltip. */
function qualityIndicator(q: ConnectionQuality, t: Strings) {
  const filled = BARS[q.level];
  const reasons = q.reasons.map((r) => t.qualityReasons[r]);
  const label = t.connectionQuality(t.qualityLevels[q.level], reasons);
  const tooltip = q.relayed ? t.connectionQuality(t.qualityLevels[q.level], [...reasons, t.relayedThroughTurn]) : label;
  return html`<span part="quality" class="indicator quality" data-level=${q.level} role="img" aria-label=${label} title=${tooltip}
    ><svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      ${[0, 1, 2].map((i) => svg`<rect x=${3 + i * 7} y=${15 - i * 5} width="4" height=${6 + i * 5} rx="1" class=${i < filled ? 'on' : 'off'} />`)}
      ${q.level === 'lost' ? svg`<path d="M15 3l6 6M21 3l-6 6" class="cross" />` : nothing}
    </svg></span
  >`;
}

function hasLiveVideo(stream: MediaStream | null): boolean {
  return !!stream?.getVideoTracks().some((t) => t.readyState === 'live');
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-video-tile': RtcVideoTile;
  }
}
