import { adoptStyles, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import type { Participant, RtcSession, SessionStatus } from '../../core/session.js';
import { isJoiningOrInCall } from '../../core/state/status.js';
import { CallSetup } from '../../core/setup/call-setup.js';
import { RtcError } from '../../core/errors.js';
import { roomSecretFromHash } from '../../core/signaling/room-secret.js';
import type { Layout, LayoutMode } from '../../core/layout/layout.js';
import type { KnockInfo, Role, RoomMode } from '../../core/signaling/protocol.js';
import { sessionContext } from '../../context/rtc-context.js';
import { StoreController } from '../../controllers/store-controller.js';
import {
  RtcErrorEvent,
  RtcJoinEvent,
  RtcLeaveEvent,
  RtcMessageEvent,
  RtcPeerJoinEvent,
  RtcPeerLeaveEvent,
  RtcStatusEvent,
  RtcTransferCompleteEvent,
  RtcTransferErrorEvent,
  RtcTransferProgressEvent,
} from '../../events/rtc-events.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { roomStyles } from './rtc-room.styles.js';
import { parseRoomMedia } from './room-media.js';
import { CALL_LATER_TAGS, CALL_TAGS, loadElements, whenIdle } from '../../internal/lazy-elements.js';
import { Localize, localizedError, refreshAll, STRINGS_OVERRIDE } from '../../i18n/localize.js';
import type { FirstStrings, Strings } from '../../i18n/strings.js';
import type * as RoomSessionModule from './room-session.js';
import type * as RoomCallModule from './room-call.js';
import type { PeerNews } from './announcer.js';

const GRID: Layout = { mode: 'grid', spotlight: null, reason: null, pinned: null };
/** Viewers send nothing: they are in the People list (as viewers), not in the tiles. */
const onStage = (participants: readonly Participant[]): Participant[] => participants.filter((p) => p.role !== 'viewer');
type View = 'empty' | 'prejoin' | 'joining' | 'waiting' | 'call' | 'left' | 'failed' | 'ended';

/**
 * @summary A video call in one room. Alone it renders the whole call UI (pre-join step, the
 * participants in a grid or a spotlight, controls, chat and people panels, errors); with
 * children it only provides its session to them, so they compose their own layout.
 *
 * The default UI fills the box the page gives the element (`height: 100vh`, a flex or grid cell,
 * a 400 × 300 sidebar); given no height, its stage takes a 16:9 shape of its width. The tiles fill
 * the stage above a control bar that stays in place whoever joins or shares: the grid picks the
 * columns and rows that show everyone largest, and tiles that would be too small go to pages. In a
 * room narrower than 40rem (a phone) tiles go edge to edge, our own camera floats in a corner
 * (drag it to another), the bar's buttons are at least 44 px and Chat and People open as sheets
 * over the room with a Close button.
 *
 * The spotlight layout shows one tile large and the others in a strip: a pinned participant,
 * else a remote screen share (pinned automatically while it lasts), else, with
 * `layout="spotlight"`, the active speaker. A shared screen has a tile of its own beside its
 * sharer's camera tile: a remote one takes the spotlight (the camera stays in the strip); our
 * own is a small muted tile, never spotlighted automatically. Joins, departures and screen shares are announced to
 * screen readers.
 *
 * The control bar's React button (an emoji picker) and Raise hand toggle: a reaction floats over
 * the sender's tile on every page; raised hands get a badge on their tiles and a queue, in raise
 * order, at the top of the People list, where a host can lower them. Both are announced.
 * @tag rtc-room
 * @dependency rtc-prejoin
 * @dependency rtc-precall-check
 * @dependency rtc-video-tile
 * @dependency rtc-controls
 * @dependency rtc-chat
 * @dependency rtc-participant-list
 * @dependency rtc-stats
 * @dependency rtc-record-button
 *
 * @slot - Your own call layout (e.g. `<rtc-video-tile local>`, `<rtc-controls>`). When given, the default UI is not rendered.
 *
 * @fires {RtcJoinEvent} rtc-join - We joined the room (`id`, `room`).
 * @fires {RtcLeaveEvent} rtc-leave - We left the call (Leave button, `leave()`, or the element was removed).
 * @fires {RtcPeerJoinEvent} rtc-peer-join - A remote participant joined (`participant`).
 * @fires {RtcPeerLeaveEvent} rtc-peer-leave - A remote participant left or was lost (`id`, `name`, `reason`).
 * @fires {RtcStatusEvent} rtc-status - The call's status changed (`status`: 'joining', 'joined', 'reconnecting' while the signaling server is unreachable and the call goes on, 'left', 'failed').
 * @fires {RtcErrorEvent} rtc-error - Something went wrong (`error`: an RtcError with `code` and a user-facing `message`).
 * @fires {RtcMessageEvent} rtc-message - A chat message arrived from a peer (`message`: `from`, `name`, `text`, `time`).
 * @fires {RtcTransferProgressEvent} rtc-transfer-progress - A file transfer moved on (`transfer`: `bytes` of `size`, `rate`, `eta`).
 * @fires {RtcTransferCompleteEvent} rtc-transfer-complete - A file arrived and its checksum matched (`transfer.blob`, `transfer.url`), or one we sent was received.
 * @fires {RtcTransferErrorEvent} rtc-transfer-error - A file transfer was cancelled or failed (`transfer.state`, `transfer.error`).
 * @fires {RtcLayoutChangeEvent} rtc-layout-change - The layout (`layout`: 'grid' or 'spotlight') or the participant in the spotlight (`spotlight`) changed.
 * @fires {RtcPinChangeEvent} rtc-pin-change - The pinned tile changed (`participantId`, null = none; `automatic`: pinned because they share their screen).
 *
 * @csspart base - The default UI's frame.
 * @csspart prejoin - The `<rtc-prejoin>` step.
 * @csspart precall-check - The `<rtc-precall-check>` in the pre-join step (with `precall-check`).
 * @csspart grid - The box of tiles (`data-layout` is 'grid' or 'spotlight'; `data-strip` 'right' or 'bottom' where the spotlight's strip is).
 * @csspart page-button - The previous / next page buttons, when the tiles do not all fit.
 * @csspart chat-close - The Close button in the chat panel's header.
 * @csspart people-close - The Close button in the people panel's header.
 * @csspart tile - Each `<rtc-video-tile>`.
 * @csspart screen-tile - A shared screen's `<rtc-video-tile>` (`source="screen"`; also a `tile`).
 * @csspart spotlight - The tile shown large in the spotlight layout (also part `tile`).
 * @csspart pin-button - The Pin button on each tile (a toggle: `aria-pressed`).
 * @csspart controls - The `<rtc-controls>` bar.
 * @csspart chat-toggle - The Chat button in the control bar (`aria-pressed`; shows the unread count).
 * @csspart chat-panel - The side panel around the `<rtc-chat>`.
 * @csspart chat - The `<rtc-chat>` in the side panel.
 * @csspart people-toggle - The People button in the control bar (`aria-pressed`; shows the number of people).
 * @csspart people-panel - The side panel around the `<rtc-participant-list>`.
 * @csspart people - The `<rtc-participant-list>` in the side panel.
 * @csspart banner - The error banner shown during the call.
 * @csspart notice - "Reconnecting to the server…" over the tiles while the signaling server is unreachable (the call goes on).
 * @csspart message - The "Joining…" (auto-join and rejoin; from the pre-join step its Join button says it), "You left the call" and failure messages.
 * @csspart viewer-count - `mode="broadcast"`: "Live · 8 watching" above the stage (`data-count`), for everyone.
 * @csspart more-toggle - The More button in the control bar (a menu button: `aria-expanded`).
 * @csspart more-menu - Its menu.
 * @csspart menu-item - Each entry of the menu ("Call statistics").
 * @csspart reactions-toggle - The React button in the control bar (a menu button: `aria-expanded`).
 * @csspart reactions-menu - Its emoji picker (`role="menu"`).
 * @csspart reaction - Each emoji in the picker (`data-emoji`).
 * @csspart hand-toggle - The Raise hand button (`aria-pressed`).
 * @csspart stats-dialog - The modal dialog around `<rtc-stats>` (Escape closes it).
 * @csspart stats - The `<rtc-stats>` in the dialog.
 * @csspart stats-close - The dialog's Close button.
 * @csspart record-item - The More menu's "Record call" / "Stop recording" item (also part `menu-item`).
 * @csspart record - Our `<rtc-record-button>` over the tiles' top left corner, while we record (Stop, time) or have a file to download.
 * @csspart recording-badge - "● REC Ada is recording" over the tiles' top left corner while others record.
 * @csspart button - The Rejoin, Try again, Dismiss, Chat, People, More, Close and Pin buttons.
 *
 * @cssprop --rtc-room-background - Behind the default UI (default `--rtc-color-surface`).
 * @cssprop --rtc-room-tile-min-width - Narrowest a grid tile gets before the others go to further pages (default 160px).
 * @cssprop --rtc-room-gap - Space between tiles (default `--rtc-space-s`).
 * @cssprop --rtc-room-chat-width - Width of the chat and people panels beside the tiles (default 22rem; on a phone they cover the room).
 * @cssprop --rtc-room-strip-tile-width - Widest the small tiles beside the spotlight get (default 180px).
 * @cssprop --rtc-room-spotlight-max-height - No longer used: the spotlight takes the stage's room beside its strip (the stage's size is the page's).
 * @cssprop --rtc-room-hand-color - The Raise hand button while pressed (default #f59e0b).
 * @cssprop --rtc-record-color - The red dot of the recording badge (default #ef4444).
 * @cssprop --rtc-color-accent - Accent colour (buttons, spinner, placeholders).
 * @cssprop --rtc-color-surface - Background of panels.
 * @cssprop --rtc-color-text - Text colour.
 * @cssprop --rtc-color-danger - Error banner and Leave button.
 * @cssprop --rtc-radius - Corner radius.
 * @cssprop --rtc-font-family - Font.
 * @cssprop --rtc-space-m - Base spacing.
 */
export class RtcRoom extends RtcElement {
  static override styles = [componentStyles, roomStyles];

  /** The room to join. Changing it while not in a call starts over with a new session. */
  @property() room = '';

  /** Signaling server URL; defaults to the page's origin. */
  @property() server?: string;

  /** Display name to join with (the pre-join step starts with it). */
  @property() name?: string;

  /**
   * A join token from your backend, for a server started with a token secret: it lets us into
   * this room with the name and role (host, guest, viewer) it carries.
   */
  @property() token?: string;

  /**
   * The room's secret: signals through the server are sealed with it, and unsealed ones refused
   * (docs/security.md). Without it, `key` of the page's URL fragment (`#key=…`, read once) is used.
   * It is never sent to the server.
   */
  @property({ attribute: 'room-key' }) roomKey?: string;
  /** `#key=` of the page's address when the element was made (the fragment never reaches a server). */
  readonly #hashKey = globalThis.location ? roomSecretFromHash(globalThis.location.hash) : null;

  /** Show a pre-call check (`<rtc-precall-check>`: camera, microphone, speaker, network) in the pre-join step. */
  @property({ type: Boolean, attribute: 'precall-check' }) precallCheck = false;

  /** Join at once, without the pre-join step. */
  @property({ type: Boolean, attribute: 'auto-join' }) autoJoin = false;

  /** Files accepted without asking: 'none' (default: every offer waits for Accept), 'all', or a size in bytes (offers up to it). */
  @property({ attribute: 'files-auto-accept' }) filesAutoAccept?: string;

  /** Offers of files larger than this many bytes are refused outright (default 4 GiB). */
  @property({ attribute: 'files-max-size' }) filesMaxSize?: string;

  /**
   * What we send: `audio video` (default); `audio`, an audio room: no camera is ever asked for,
   * the pre-join step shows only the microphone and speaker, and every tile is a compact audio
   * tile (initials, speaking ring, muted state; no video is shown, nor sent to us); or `none`, a
   * viewer: no device is asked for, we see and hear everyone and can chat, and the others see us
   * as a viewer (in the People list; viewers get no tile). Read when the session is made
   * (changing it while not in a call starts over).
   */
  @property() media = 'audio video';

  /**
   * 'broadcast': a live stream (docs/protocol.md §13). Whoever starts the room presents; later
   * members watch (viewers: no device is asked for, they see the presenters on a stage, can chat,
   * and connect only to the presenters); everyone sees how many watch ("8 watching"); a host
   * invites a viewer on stage from the People panel, whose page then asks for the camera and
   * microphone. Used when the room is empty (the first member sets it); read when the session is made.
   */
  @property({ reflect: true }) mode: RoomMode = 'meeting';

  /**
   * 'grid' (default): everyone alike, until someone is pinned or a remote participant shares their
   * screen. 'spotlight': one tile large, following the active speaker, the others in a strip.
   */
  @property({ reflect: true }) layout: LayoutMode = 'grid';

  /** Peer id of the participant the user pinned (shown large), or null. Cleared when they leave. */
  @property({ attribute: false }) pinned: string | null = null;

  /**
   * Words to use instead of ours, in this room and everything inside it (a partial strings table,
   * e.g. `{ leave: 'Hang up' }`), over whatever language `lang` picks. For every room of the page
   * and per language, use `registerStrings()`.
   */
  @property({ attribute: false }) strings?: Partial<Strings>;
  get [STRINGS_OVERRIDE](): Partial<Strings> | undefined {
    return this.strings;
  }

  readonly #i18n = new Localize(this);

  readonly #provider = new ContextProvider(this, { context: sessionContext });
  readonly #status = new StoreController<SessionStatus>(this);
  readonly #error = new StoreController<RtcError | null>(this);
  readonly #participants = new StoreController<Participant[]>(this);
  readonly #activeSpeaker = new StoreController<string | null>(this);
  readonly #offline = new StoreController<boolean>(this);
  readonly #lobby = new StoreController<KnockInfo[]>(this);
  readonly #roomMode = new StoreController<RoomMode>(this);
  readonly #viewerCount = new StoreController<number>(this);
  /** A word for the user that is not an error (e.g. "Ada asked you to mute"), until dismissed; said in the language shown. */
  #info: ((t: FirstStrings) => string) | null = null;
  /** The call view (tiles, controls, panels), once its chunk arrived: a call started. */
  #call?: RoomCallModule.RoomCall;
  #callLoading?: Promise<RoomCallModule.RoomCall>;
  /** The panels' elements were asked for (once per element's life). */
  #laterLoading = false;
  /** Joins and leaves in the call while its view was loading: its announcer says them when it comes. */
  #unannounced: PeerNews[] = [];
  /** An error reported by one of our elements (e.g. a tile's speaker), shown when the session has none. */
  #elementError: RtcError | null = null;
  #session?: RtcSession;
  /** The pre-join step's devices and name while the engine (the room-session chunk) loads. */
  #setup?: CallSetup;
  /** The engine loading for #setup: resolves to the session made (undefined if superseded or failed). */
  #loading?: Promise<RtcSession | undefined>;
  /** The room-session module, once loaded. */
  #engine?: typeof RoomSessionModule;
  /** The session was set from outside (not made from `room`/`server`). */
  #injected = false;
  /** room + server of the session we made. */
  #madeFor = '';
  #off: (() => void)[] = [];
  #cleanupTimer?: ReturnType<typeof setTimeout>;
  /** The call ended because the element was removed: if it comes back, start from the pre-join step, not "You left". */
  #freshStart = false;
  #hasChildren = false;
  #view: View = 'empty';

  /**
   * The call's session: made from `room` and `server` when connected, or set here to use your own
   * (e.g. one on a custom transport). Descendants receive it through context. Apps reach the core
   * through it, e.g. `room.session.channel('game', { ordered: false, maxRetransmits: 0 })` for a
   * data channel of their own (on `rtc-join`; see demo/game.html). The session's code loads
   * while the pre-join step shows: until then this is undefined (`await room.updateComplete`
   * waits for it).
   */
  @property({ attribute: false })
  get session(): RtcSession | undefined {
    return this.#session;
  }
  set session(session: RtcSession | undefined) {
    if (session) {
      this.#injected = true;
      this.#madeFor = '';
      this.#setSession(session);
    } else {
      this.#injected = false;
      this.#madeFor = '';
      this.#setSession(undefined);
      this.#ensureSession();
    }
  }

  /** Join the call with `name`, else the name used before (at first the `name` attribute). Rejects with an RtcError if joining fails. */
  async join(name?: string): Promise<void> {
    this.#ensureSession();
    const session = this.#session ?? (await this.#loading);
    if (!session) throw this.#loadError ?? new RtcError('join-failed', 'No room was given.');
    this.#freshStart = false;
    // Rejoin keeps the name typed in the pre-join step; the attribute only fills a blank.
    await session.join(name ?? (session.name ? undefined : this.name || undefined));
  }

  /** The layout shown now: `mode`, the participant in the `spotlight`, the `pinned` tile and why (`reason`). */
  get currentLayout(): Readonly<Layout> {
    return this.#call?.layout.current ?? GRID;
  }

  /** Open the "Call statistics" dialog (`<rtc-stats>`), as the More menu does. */
  async openStats(): Promise<void> {
    await (await this.#loadCall()).openStats();
  }

  /** Leave the call: every peer connection is closed and every camera and microphone track stopped. */
  async leave(): Promise<void> {
    await this.#session?.leave();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Disconnected and reconnected within one task = moved in the DOM: the call goes on.
    clearTimeout(this.#cleanupTimer);
    this.#cleanupTimer = undefined;
    this.#hasChildren = this.#lightDomHasContent();
    this.#ensureSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#cleanupTimer = setTimeout(() => this.#afterRemoval(), 0);
  }

  #afterRemoval(): void {
    this.#cleanupTimer = undefined;
    if (!this.isConnected && !this.#session && this.#setup) {
      // Removed before the engine took over: release the preview; coming back starts afresh.
      this.#setup.stop();
      this.#setSetup(undefined);
      this.#madeFor = '';
    }
    if (this.isConnected || !this.#session) return;
    // Removed for good: leave the call and release the devices. (rtc-leave still reaches
    // listeners on this element.)
    this.#freshStart = true;
    void this.#session.leave().catch(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Our words changed: the elements inside (and those a page composed in us) look again.
    if (changed.has('strings')) refreshAll();
    if (changed.has('room') || changed.has('server') || changed.has('token') || changed.has('roomKey') || changed.has('media') || changed.has('mode'))
      this.#ensureSession();
    // Before the view is worked out: joining changes the status at once, and this update shows it
    // (from updated() it would take another update, which lit's development build warns about).
    this.#maybeAutoJoin();
    if ((changed.has('filesAutoAccept') || changed.has('filesMaxSize')) && this.#engine)
      this.#session?.files.setPolicy(this.#engine.parseFilePolicy(this.filesAutoAccept, this.filesMaxSize));
    const status = this.#status.value;
    if (isJoiningOrInCall(status)) this.#freshStart = false;
    // The call's own elements: preloaded while the pre-join step shows (#preloadCall), asked for
    // here at the latest; its panels' elements once the call is up, away from the join's path.
    if (status && status !== 'idle' && !this.#hasChildren && !this.#call && !this.#callLoading) {
      void loadElements(CALL_TAGS).catch(this.#onChunkFailed);
      void this.#loadCall().catch(this.#onChunkFailed);
    }
    if (status === 'joined' && !this.#hasChildren && !this.#laterLoading) {
      this.#laterLoading = true;
      // A second on: the first links' answers and candidates are handled meanwhile, and nobody opens a panel sooner.
      setTimeout(() => whenIdle(() => void loadElements(CALL_LATER_TAGS).catch(this.#onChunkFailed)), 1000);
    }
    if (this.precallCheck && !this.#hasChildren) void loadElements(['rtc-precall-check']).catch(this.#onChunkFailed);
    const previous = this.#view;
    this.#view = this.#computeView();
    if (this.#call) {
      this.#call.layout.audioOnly = parseRoomMedia(this.media).audioOnly;
      this.#call.layout.compute(onStage(this.#participants.value ?? []), this.#activeSpeaker.value ?? null);
    }
    // A view change removes whatever had focus (e.g. the Leave button): once a view with a
    // natural target renders, put focus there, unless the user has moved on meanwhile.
    if (previous !== this.#view && this.hasUpdated && this.matches(':focus-within')) this.#restoreFocus = true;
  }

  protected override render() {
    // The language's direction (Arabic: right to left) for the default UI and composed children alike.
    const dir = this.#i18n.dir;
    const slot = html`<slot dir=${dir} @slotchange=${this.#onSlotChange}></slot>`;
    if (this.#hasChildren) return slot;
    return html`<div part="base" class="base" dir=${dir} @rtc-error=${this.#onElementError}>${this.#renderView()}</div>
      ${slot}`;
  }

  #restoreFocus = false;

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.#restoreFocus) {
      const target = this.renderRoot.querySelector<HTMLElement>('[data-autofocus]');
      const active = document.activeElement;
      const lost = !active || active === document.body || active === this;
      if (target && (lost || this.matches(':focus-within'))) {
        this.#restoreFocus = false;
        // The control bar renders its buttons after this update: focus() on it before then lands nowhere.
        const rendered = (target as { updateComplete?: Promise<unknown> }).updateComplete;
        if (rendered) void rendered.then(() => document.activeElement === active && target.focus());
        else target.focus();
      } else if (!lost && !this.matches(':focus-within')) this.#restoreFocus = false;
    }
    if (this.#view === 'call') this.#call?.layout.tell();
  }

  #computeView(): View {
    // The engine's chunk could not be loaded: say so (Try again loads it anew).
    if (!this.#session && this.#loadError) return 'failed';
    const session = this.#session ?? this.#setup;
    if (!session) return 'empty';
    switch (this.#status.value ?? session.status.get()) {
      case 'idle':
        return this.autoJoin ? 'joining' : 'prejoin';
      case 'joining':
        // From the pre-join step, that step stays (its Join button says "Joining…" and keeps the
        // focus) until the call view replaces it: one change of view, not two, and nothing for the
        // page to render while the join request and the first offers go out.
        return this.#view === 'prejoin' ? 'prejoin' : 'joining';
      case 'waiting':
        return 'waiting';
      case 'ended':
        return 'ended';
      case 'joined':
      case 'reconnecting':
        return 'call';
      case 'failed':
        return 'failed';
      case 'left':
        return this.#freshStart ? (this.autoJoin ? 'joining' : 'prejoin') : 'left';
    }
  }

  #renderView() {
    const t = this.#i18n.t;
    switch (this.#view) {
      case 'empty':
        return html`<div class="message" part="message" data-view="empty"><p>${t.noRoom}</p></div>`;
      case 'prejoin':
        return html`<rtc-prejoin part="prejoin" data-view="prejoin" .session=${this.#session ?? this.#setup}
          >${this.precallCheck ? html`<rtc-precall-check part="precall-check" server=${this.server || nothing}></rtc-precall-check>` : nothing}</rtc-prejoin
        >`;
      case 'joining':
        return html`<div class="message" part="message" data-view="joining">
          <div class="spinner" aria-hidden="true"></div>
          <p role="status">${t.joining}</p>
        </div>`;
      case 'waiting':
        return html`<div class="message" part="message" data-view="waiting">
          <div class="spinner" aria-hidden="true"></div>
          <p role="status">${t.waitingForHost}</p>
          <button part="button" class="button" type="button" data-autofocus @click=${this.#onStopWaiting}>${t.leave}</button>
        </div>`;
      case 'ended': {
        const error = this.#error.value;
        return html`<div class="message" part="message" data-view="ended">
          <p role="alert">${error ? this.#i18n.error(error) : t.callEnded}</p>
          ${
            error?.code === 'removed'
              ? nothing
              : html`<button part="button" class="button primary" type="button" data-autofocus @click=${this.#onRejoin}>${t.joinAgain}</button>`
          }
        </div>`;
      }
      case 'call':
        return this.#renderCall();
      case 'left':
        return html`<div class="message" part="message" data-view="left">
          <p role="status">${t.youLeft}</p>
          <rtc-record-button part="record" class="rec-left"></rtc-record-button>
          <button part="button" class="button primary" type="button" data-autofocus @click=${this.#onRejoin}>${t.rejoin}</button>
        </div>`;
      case 'failed':
        return html`<div class="message" part="message" data-view="failed">
          <p role="alert">${this.#errorText(this.#session ? this.#error.value : this.#loadError) ?? t.couldNotJoin}</p>
          <button part="button" class="button primary" type="button" data-autofocus @click=${this.#onRejoin}>${t.tryAgain}</button>
        </div>`;
    }
  }

  #errorText(error: RtcError | null | undefined): string | undefined {
    return error ? this.#i18n.error(error) : undefined;
  }

  #renderCall() {
    const t = this.#i18n.t;
    const call = this.#call;
    // The call's chunk is on its way (it was asked for on Join): a moment more of "Joining…".
    if (!call)
      return html`<div class="message" part="message" data-view="joining">
        <div class="spinner" aria-hidden="true"></div>
        <p role="status">${t.joining}</p>
      </div>`;
    const everyone = this.#participants.value ?? [];
    const reconnecting = this.#status.value === 'reconnecting';
    return call.render({
      session: this.#session,
      participants: onStage(everyone),
      everyone,
      error: this.#error.value ?? this.#elementError,
      reconnecting,
      offline: reconnecting && !!this.#offline.value,
      knocks: this.#lobby.value ?? [],
      roomMode: this.#roomMode.value ?? 'meeting',
      viewerCount: this.#viewerCount.value ?? 0,
      info: this.#info?.(t) ?? null,
      onDismiss: this.#onDismiss,
      onReconnect: this.#onReconnect,
      onDismissInfo: this.#onDismissInfo,
    });
  }

  #notYetAnnounced(session: RtcSession, news: PeerNews): void {
    if (!this.#call && session.status.get() === 'joined') this.#unannounced.push(news);
  }

  /**
   * Fetch and run the call view's modules (not its render) while the pre-join step is open: a page
   * that shows its own layout does not need them. A failure here is left for the join to report.
   */
  #preloadCall(): void {
    whenIdle(() => {
      if (this.#hasChildren || !this.isConnected || this.#callLoading) return;
      // The first number and plural rule of a page set up the language's Intl data: tens of ms.
      this.#i18n.number(0);
      this.#i18n.plural(1);
      void Promise.all([import('./room-call.js'), loadElements(CALL_TAGS)])
        .then(([call]) => whenIdle(() => call.warmStyles(CALL_TAGS)))
        .catch(() => undefined);
    });
  }

  /** Load the call view (once) and take on its styles. */
  #loadCall(): Promise<RoomCallModule.RoomCall> {
    this.#callLoading ??= import('./room-call.js').then(
      ({ RoomCall, callStyles }) => {
        const call = new RoomCall(this);
        call.attach(this.#session, this.#unannounced.splice(0));
        if (this.renderRoot instanceof ShadowRoot) adoptStyles(this.renderRoot, [...(this.constructor as typeof RtcRoom).elementStyles, ...callStyles]);
        this.#call = call;
        this.requestUpdate();
        return call;
      },
      (err: unknown) => {
        this.#callLoading = undefined; // may be asked for again
        throw err;
      },
    );
    return this.#callLoading;
  }

  #onDismissInfo = () => {
    this.#info = null;
    this.requestUpdate();
  };

  #onStopWaiting = () => {
    this.#freshStart = false;
    void this.leave();
  };

  #onReconnect = () => this.#session?.reconnect();

  /** A tile's rtc-error (it bubbles on to the page): shown in the banner too. */
  #onElementError = (e: RtcErrorEvent) => {
    this.#elementError = e.error;
    this.requestUpdate();
  };

  #onRejoin = () => {
    this.join().catch(() => undefined); // the failure view shows it
  };

  #onDismiss = () => {
    this.#elementError = null;
    this.requestUpdate();
    this.#session?.dismissError();
  };

  #onSlotChange = () => {
    const has = this.#lightDomHasContent();
    if (has !== this.#hasChildren) {
      this.#hasChildren = has;
      this.requestUpdate();
    }
  };

  #lightDomHasContent(): boolean {
    return Array.from(this.childNodes).some((n) => n.nodeType === Node.ELEMENT_NODE || (n.nodeType === Node.TEXT_NODE && !!n.textContent?.trim()));
  }

  /**
   * Make our own session from room and server, unless one was set from outside: at once a
   * CallSetup (the pre-join step works on it), and the session itself once its chunk arrives.
   */
  #ensureSession(): void {
    if (this.#injected || !this.isConnected) return;
    const roomKey = this.roomKey || this.#hashKey || undefined;
    const media = parseRoomMedia(this.media);
    const mode = this.mode === 'broadcast' ? 'broadcast' : undefined;
    const key = this.room ? JSON.stringify([this.room, this.server ?? '', this.token ?? '', roomKey ?? '', media, mode ?? '']) : '';
    if (key === this.#madeFor && (this.#session || this.#setup || !key)) return;
    const current = this.#session;
    // Mid-call the room does not change under the user; it does once the call is over.
    if (current && isJoiningOrInCall(current.status.get())) return;
    current?.leave().catch(() => undefined); // releases its preview devices
    this.#setup?.stop();
    this.#madeFor = key;
    this.#freshStart = false;
    this.#loadError = null;
    this.#setSession(undefined);
    if (!key) return this.#setSetup(undefined);
    const input = {
      room: this.room,
      server: this.server || undefined,
      name: this.name || undefined,
      token: this.token || undefined,
      roomKey,
      filesAutoAccept: this.filesAutoAccept,
      filesMaxSize: this.filesMaxSize,
      ...(media.media ? { media: media.media } : {}),
      ...(media.viewer ? { viewer: true } : {}),
      ...(mode ? { mode } : {}),
    } satisfies RoomSessionModule.RoomSessionInput;
    const setup = new CallSetup({
      room: input.room,
      name: input.name,
      token: input.token,
      media: input.media,
      viewer: input.viewer,
      mode: input.mode,
      join: async (name) => {
        const session = await this.#loading;
        if (!session) throw this.#loadError ?? new RtcError('join-failed', 'Could not join the call.');
        await session.join(name);
      },
    });
    this.#setSetup(setup);
    const loading: Promise<RtcSession | undefined> = import('./room-session.js').then(
      (engine) => {
        this.#engine = engine;
        if (this.#setup !== setup) return this.#loading === loading ? this.#session : undefined; // superseded
        setup.release();
        const session = engine.createSession(input, setup);
        this.#setSetup(undefined);
        this.#setSession(session);
        // The preview's tracks are the session's now: it follows their devices and reports their errors.
        if (setup.localMedia.get().acquired) void session.startMedia();
        // While the user looks at the preview: connect, fetch the ICE servers, start gathering;
        // then, in idle time, the call view's code, so that Join only sends and renders.
        void session.prepare().then(() => this.#preloadCall());
        return session;
      },
      (err: unknown) => {
        if (this.#setup !== setup) return undefined;
        this.#loadError = localizedError(new RtcError('join-failed', this.#i18n.t.loadFailed, { cause: err }));
        this.#madeFor = ''; // Try again makes a new attempt
        this.requestUpdate();
        return undefined;
      },
    );
    this.#loading = loading;
  }

  /** Why the engine could not be loaded (e.g. offline when its chunk was asked for). */
  #loadError: RtcError | null = null;

  #onChunkFailed = (err: unknown) => {
    this.#elementError = localizedError(new RtcError('join-failed', this.#i18n.t.partLoadFailed, { cause: err }));
    this.requestUpdate();
  };

  /** The first update also waits for the engine: once `updateComplete` resolves, `session` is there. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.#setup && this.#loading) {
      const loading = this.#loading;
      await loading;
      result = await super.getUpdateComplete();
      if (loading === this.#loading) break;
    }
    return result;
  }

  #setSetup(setup: CallSetup | undefined): void {
    if (setup === this.#setup) return;
    this.#setup = setup;
    if (!this.#session) {
      this.#status.attach(setup?.status);
      this.#error.attach(setup?.error);
    }
    this.requestUpdate();
  }

  #setSession(session: RtcSession | undefined): void {
    if (session === this.#session) return;
    const old = this.#session;
    this.#off.forEach((off) => off());
    this.#off = [];
    this.#call?.attach(session);
    this.#unannounced = [];
    this.#elementError = null;
    this.#session = session;
    this.#provider.setValue(session);
    this.#status.attach(session?.status);
    this.#error.attach(session?.error);
    this.#participants.attach(session?.participants);
    this.#activeSpeaker.attach(session?.activeSpeaker);
    this.#offline.attach(session?.offline);
    this.#lobby.attach(session?.moderation.lobby);
    this.#roomMode.attach(session?.roomMode);
    this.#viewerCount.attach(session?.viewerCount);
    this.#info = null;
    if (session) {
      // Core events become DOM events on this element (the core itself knows no DOM). One
      // emit() so the manifest takes the events from @fires, not from constructor arguments.
      const emit = (event: Event) => this.dispatchEvent(event);
      this.#off = [
        session.on('join', ({ id, room }) => {
          this.#elementError = null; // about the previous call
          emit(new RtcJoinEvent(id, room));
        }),
        session.on('leave', () => emit(new RtcLeaveEvent())),
        session.on('status', (status) => emit(new RtcStatusEvent(status))),
        session.on('mute-requested', ({ byName, kind }) => {
          this.#info = (t) => t.askedToMute(byName, kind);
          this.requestUpdate();
        }),
        session.on('peer-join', (p) => {
          this.#notYetAnnounced(session, { name: p.name });
          emit(new RtcPeerJoinEvent(p));
        }),
        session.on('peer-leave', ({ id, name, reason }) => {
          this.#notYetAnnounced(session, { name, left: reason });
          emit(new RtcPeerLeaveEvent(id, name, reason));
        }),
        session.on('error', (error) => emit(new RtcErrorEvent(error))),
        session.on('message', (message) => {
          this.#call?.messageArrived();
          emit(new RtcMessageEvent(message));
        }),
        session.on('transfer-progress', (t) => emit(new RtcTransferProgressEvent(t))),
        session.on('file-received', (t) => emit(new RtcTransferCompleteEvent(t))),
        session.on('file-sent', (t) => emit(new RtcTransferCompleteEvent(t))),
        session.on('transfer-failed', (t) => emit(new RtcTransferErrorEvent(t))),
        this.#followStage(session),
      ];
    }
    this.requestUpdate('session', old);
  }

  /**
   * A broadcast: a host invited us on stage (viewer → guest or host): ask for the camera and
   * microphone and send them; moved back to the audience, the session has stopped them. Either way, say so.
   */
  #followStage(session: RtcSession): () => void {
    let was: Role = session.moderation.role.get();
    return session.moderation.role.listen((role) => {
      const before = was;
      was = role;
      if (session.roomMode.get() !== 'broadcast' || session.status.get() !== 'joined' || (before === 'viewer') === (role === 'viewer')) return;
      if (role === 'viewer') this.#info = (t) => t.backInAudience;
      else {
        this.#info = (t) => t.onStage;
        void session.startMedia();
      }
      this.requestUpdate();
    });
  }

  #maybeAutoJoin(): void {
    const session = this.#session;
    if (!this.autoJoin || !session || !this.isConnected) return;
    const status = session.status.get();
    if (status === 'idle' || (status === 'left' && this.#freshStart)) this.join().catch(() => undefined);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-room': RtcRoom;
  }
}
