import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ContextProvider } from '@lit/context';
import { RtcSession, type Participant, type SessionStatus } from '../../core/session.js';
import { RtcError } from '../../core/errors.js';
import { sessionContext } from '../../context/rtc-context.js';
import { StoreController } from '../../controllers/store-controller.js';
import {
  RtcErrorEvent,
  RtcJoinEvent,
  RtcLeaveEvent,
  RtcMessageEvent,
  RtcPeerJoinEvent,
  RtcPeerLeaveEvent,
  RtcTransferCompleteEvent,
  RtcTransferErrorEvent,
  RtcTransferProgressEvent,
} from '../../events/rtc-events.js';
import { chatIcon } from '../../internal/icons.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { roomStyles } from './rtc-room.styles.js';

const IN_CALL: SessionStatus[] = ['joining', 'joined', 'reconnecting'];
type View = 'empty' | 'prejoin' | 'joining' | 'call' | 'left' | 'failed';

/**
 * @summary A video call in one room. Alone it renders the whole call UI (pre-join step, a grid of
 * participants, controls, errors); with children it only provides its session to them, so they
 * compose their own layout.
 * @tag rtc-room
 * @dependency rtc-prejoin
 * @dependency rtc-video-tile
 * @dependency rtc-controls
 * @dependency rtc-chat
 *
 * @slot - Your own call layout (e.g. `<rtc-video-tile local>`, `<rtc-controls>`). When given, the default UI is not rendered.
 *
 * @fires {RtcJoinEvent} rtc-join - We joined the room (`id`, `room`).
 * @fires {RtcLeaveEvent} rtc-leave - We left the call (Leave button, `leave()`, or the element was removed).
 * @fires {RtcPeerJoinEvent} rtc-peer-join - A remote participant joined (`participant`).
 * @fires {RtcPeerLeaveEvent} rtc-peer-leave - A remote participant left or was lost (`id`, `name`, `reason`).
 * @fires {RtcErrorEvent} rtc-error - Something went wrong (`error`: an RtcError with `code` and a user-facing `message`).
 * @fires {RtcMessageEvent} rtc-message - A chat message arrived from a peer (`message`: `from`, `name`, `text`, `time`).
 * @fires {RtcTransferProgressEvent} rtc-transfer-progress - A file transfer moved on (`transfer`: `bytes` of `size`, `rate`, `eta`).
 * @fires {RtcTransferCompleteEvent} rtc-transfer-complete - A file arrived and its SHA-256 matched (`transfer.blob`, `transfer.url`), or one we sent was received.
 * @fires {RtcTransferErrorEvent} rtc-transfer-error - A file transfer was cancelled or failed (`transfer.state`, `transfer.error`).
 *
 * @csspart base - The default UI's frame.
 * @csspart prejoin - The `<rtc-prejoin>` step.
 * @csspart grid - The grid of tiles.
 * @csspart tile - Each `<rtc-video-tile>` in the grid.
 * @csspart controls - The `<rtc-controls>` bar.
 * @csspart chat-toggle - The Chat button in the control bar (`aria-pressed`; shows the unread count).
 * @csspart chat-panel - The side panel around the `<rtc-chat>`.
 * @csspart chat - The `<rtc-chat>` in the side panel.
 * @csspart banner - The error banner shown during the call.
 * @csspart message - The "Joining…", "You left the call" and failure messages.
 * @csspart button - The Rejoin, Try again, Dismiss and Chat buttons.
 *
 * @cssprop --rtc-room-background - Behind the default UI (default `--rtc-color-surface`).
 * @cssprop --rtc-room-tile-min-width - Narrowest grid column before tiles wrap (default 240px).
 * @cssprop --rtc-room-gap - Space between tiles (default `--rtc-space-s`).
 * @cssprop --rtc-room-chat-width - Width of the chat panel (default 22rem; below the tiles when there is no room).
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

  /** Join at once, without the pre-join step. */
  @property({ type: Boolean, attribute: 'auto-join' }) autoJoin = false;

  readonly #provider = new ContextProvider(this, { context: sessionContext });
  readonly #status = new StoreController<SessionStatus>(this);
  readonly #error = new StoreController<RtcError | null>(this);
  readonly #participants = new StoreController<Participant[]>(this);
  #session?: RtcSession;
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
  #chatOpen = false;
  /** Messages that arrived while the chat panel was closed. */
  #unread = 0;

  /**
   * The call's session: made from `room` and `server` when connected, or set here to use your own
   * (e.g. one on a custom transport). Descendants receive it through context.
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
    const session = this.#session;
    if (!session) throw new RtcError('join-failed', 'No room was given.');
    this.#freshStart = false;
    // Rejoin keeps the name typed in the pre-join step; the attribute only fills a blank.
    await session.join(name ?? (session.name ? undefined : this.name || undefined));
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
    if (this.isConnected || !this.#session) return;
    // Removed for good: leave the call and release the devices. (rtc-leave still reaches
    // listeners on this element.)
    this.#freshStart = true;
    void this.#session.leave().catch(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('room') || changed.has('server')) this.#ensureSession();
    const status = this.#status.value;
    if (status && IN_CALL.includes(status)) this.#freshStart = false;
    const previous = this.#view;
    this.#view = this.#computeView();
    // A view change removes whatever had focus (e.g. the Leave button): once a view with a
    // natural target renders, put focus there, unless the user has moved on meanwhile.
    if (previous !== this.#view && this.hasUpdated && this.matches(':focus-within')) this.#restoreFocus = true;
  }

  protected override render() {
    const slot = html`<slot @slotchange=${this.#onSlotChange}></slot>`;
    if (this.#hasChildren) return slot;
    return html`<div part="base" class="base">${this.#renderView()}</div>
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
        target.focus();
      } else if (!lost && !this.matches(':focus-within')) this.#restoreFocus = false;
    }
    this.#maybeAutoJoin();
  }

  #computeView(): View {
    const session = this.#session;
    if (!session) return 'empty';
    switch (this.#status.value ?? session.status.get()) {
      case 'idle':
        return this.autoJoin ? 'joining' : 'prejoin';
      case 'joining':
        return 'joining';
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
    switch (this.#view) {
      case 'empty':
        return html`<div class="message" part="message" data-view="empty"><p>No room to join.</p></div>`;
      case 'prejoin':
        return html`<rtc-prejoin part="prejoin" data-view="prejoin"></rtc-prejoin>`;
      case 'joining':
        return html`<div class="message" part="message" data-view="joining">
          <div class="spinner" aria-hidden="true"></div>
          <p role="status">Joining…</p>
        </div>`;
      case 'call':
        return this.#renderCall();
      case 'left':
        return html`<div class="message" part="message" data-view="left">
          <p role="status">You left the call</p>
          <button part="button" class="button primary" type="button" data-autofocus @click=${this.#onRejoin}>Rejoin</button>
        </div>`;
      case 'failed':
        return html`<div class="message" part="message" data-view="failed">
          <p role="alert">${this.#error.value?.message ?? 'Could not join the call.'}</p>
          <button part="button" class="button primary" type="button" data-autofocus @click=${this.#onRejoin}>Try again</button>
        </div>`;
    }
  }

  #renderCall() {
    const participants = this.#participants.value ?? [];
    const error = this.#error.value;
    const unread = this.#unread;
    return html`
      ${error
        ? html`<div part="banner" class="banner" role="alert">
            <span>${error.message}</span>
            <button part="button" class="button" type="button" @click=${this.#onDismiss}>Dismiss</button>
          </div>`
        : nothing}
      ${this.#status.value === 'reconnecting' ? html`<p class="notice" role="status">Reconnecting…</p>` : nothing}
      <div class="stage">
        <div part="grid" class="grid" data-view="call" data-count=${participants.length}>
          ${repeat(
            participants,
            (p) => (p.isLocal ? 'local' : p.id),
            (p) =>
              p.isLocal
                ? html`<rtc-video-tile part="tile" local></rtc-video-tile>`
                : html`<rtc-video-tile part="tile" participant-id=${p.id}></rtc-video-tile>`,
          )}
        </div>
        <aside part="chat-panel" class="side" id="chat-panel" aria-label="Chat" ?hidden=${!this.#chatOpen} @keydown=${this.#onPanelKey}>
          <rtc-chat part="chat"></rtc-chat>
        </aside>
      </div>
      <rtc-controls part="controls" data-autofocus>
        <button
          part="button chat-toggle"
          class="button chat-toggle"
          type="button"
          aria-pressed=${this.#chatOpen ? 'true' : 'false'}
          aria-controls="chat-panel"
          @click=${this.#onToggleChat}
        >
          ${chatIcon}<span>Chat</span>${unread
            ? html`<span class="badge" aria-hidden="true">${unread}</span><span class="visually-hidden">, ${unread} unread</span>`
            : nothing}
        </button>
      </rtc-controls>
      <div class="visually-hidden" role="status" aria-live="polite">${unread ? `${unread} unread chat message${unread > 1 ? 's' : ''}` : ''}</div>
    `;
  }

  #onToggleChat = async () => {
    this.#chatOpen = !this.#chatOpen;
    this.#unread = 0;
    this.requestUpdate();
    await this.updateComplete;
    if (this.#chatOpen) this.renderRoot.querySelector('rtc-chat')?.focus();
  };

  /** Escape in the panel closes it and returns to the Chat button. */
  #onPanelKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    this.#chatOpen = false;
    this.requestUpdate();
    this.renderRoot.querySelector<HTMLElement>('.chat-toggle')?.focus();
  };

  #onRejoin = () => {
    this.join().catch(() => undefined); // the failure view shows it
  };

  #onDismiss = () => {
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
    return Array.from(this.childNodes).some(
      (n) => n.nodeType === Node.ELEMENT_NODE || (n.nodeType === Node.TEXT_NODE && !!n.textContent?.trim()),
    );
  }

  /** Make our own session from room and server, unless one was set from outside. */
  #ensureSession(): void {
    if (this.#injected || !this.isConnected) return;
    const key = this.room ? JSON.stringify([this.room, this.server ?? '']) : '';
    if (key === this.#madeFor && (this.#session || !key)) return;
    const current = this.#session;
    // Mid-call the room does not change under the user; it does once the call is over.
    if (current && IN_CALL.includes(current.status.get())) return;
    current?.leave().catch(() => undefined); // releases its preview devices
    this.#madeFor = key;
    this.#freshStart = false;
    this.#setSession(key ? new RtcSession({ room: this.room, server: this.server || undefined, name: this.name || undefined }) : undefined);
  }

  #setSession(session: RtcSession | undefined): void {
    if (session === this.#session) return;
    const old = this.#session;
    this.#off.forEach((off) => off());
    this.#off = [];
    this.#unread = 0;
    this.#session = session;
    this.#provider.setValue(session);
    this.#status.attach(session?.status);
    this.#error.attach(session?.error);
    this.#participants.attach(session?.participants);
    if (session) {
      // Core events become DOM events on this element (the core itself knows no DOM). One
      // emit() so the manifest takes the events from @fires, not from constructor arguments.
      const emit = (event: Event) => this.dispatchEvent(event);
      this.#off = [
        session.on('join', ({ id, room }) => emit(new RtcJoinEvent(id, room))),
        session.on('leave', () => emit(new RtcLeaveEvent())),
        session.on('peer-join', (p) => emit(new RtcPeerJoinEvent(p))),
        session.on('peer-leave', ({ id, name, reason }) => emit(new RtcPeerLeaveEvent(id, name, reason))),
        session.on('error', (error) => emit(new RtcErrorEvent(error))),
        session.on('message', (message) => {
          if (!this.#chatOpen) {
            this.#unread++;
            this.requestUpdate();
          }
          emit(new RtcMessageEvent(message));
        }),
        session.on('transfer-progress', (t) => emit(new RtcTransferProgressEvent(t))),
        session.on('file-received', (t) => emit(new RtcTransferCompleteEvent(t))),
        session.on('file-sent', (t) => emit(new RtcTransferCompleteEvent(t))),
        session.on('transfer-failed', (t) => emit(new RtcTransferErrorEvent(t))),
      ];
    }
    this.requestUpdate('session', old);
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
