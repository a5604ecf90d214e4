/**
 * `<rtc-room>`'s call view: the stage (tiles in a grid or spotlight, the chat and people panels),
 * the control bar with its menus, the notices and the screen-reader log. Loaded while the
 * pre-join step is open, at the latest when a call starts (the room's first script has only the
 * pre-join step), with its styles.
 */
import { html, nothing, type CSSResultOrNative, type ReactiveControllerHost } from 'lit';
import type { Participant, RtcSession } from '../../core/session.js';
import type { RtcError } from '../../core/errors.js';
import type { LayoutMode } from '../../core/layout/layout.js';
import type { KnockInfo, RoomMode } from '../../core/signaling/protocol.js';
import { chatIcon, peopleIcon } from '../../internal/icons.js';
import { RoomLayout } from './room-layout.js';
import { CallAnnouncer, type PeerNews } from './announcer.js';
import { SidePanels } from './side-panels.js';
import { roomCallStyles } from './room-call.styles.js';
import { StatsMenu, statsMenuStyles } from '../rtc-stats/stats-menu.js';
import { recordingOverlay, recordMenuItem, roomRecordingStyles } from './room-recording.js';
import { ReactionControls, reactionControlsStyles } from '../rtc-reactions/reaction-controls.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

export const callStyles = [roomCallStyles, statsMenuStyles, reactionControlsStyles, roomRecordingStyles];

/**
 * Parse the style sheets the call view and `tags` adopt on their first render (lit makes each
 * CSSStyleSheet once, when first used), so that Join does not pay for it: called while the
 * pre-join step is idle.
 */
export function warmStyles(tags: readonly string[]): void {
  const sheets: CSSResultOrNative[] = [...callStyles];
  for (const tag of tags) {
    const ctor = customElements.get(tag) as { finalize?(): void; elementStyles?: CSSResultOrNative[] } | undefined;
    ctor?.finalize?.();
    sheets.push(...(ctor?.elementStyles ?? []));
  }
  for (const sheet of sheets) void (sheet as { styleSheet?: CSSStyleSheet }).styleSheet;
}

export interface CallHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  layout: LayoutMode;
  pinned: string | null;
}

/** What the room knows and the call view shows, handed down on each render. */
export interface CallState {
  session: RtcSession | undefined;
  /** On stage (viewers have no tile). */
  participants: readonly Participant[];
  /** Everyone, viewers too (counted in People). */
  everyone: readonly Participant[];
  error: RtcError | null;
  reconnecting: boolean;
  offline: boolean;
  knocks: readonly KnockInfo[];
  roomMode: RoomMode;
  viewerCount: number;
  info: string | null;
  onDismiss: () => void;
  onReconnect: () => void;
  onDismissInfo: () => void;
}

export class RoomCall {
  readonly layout: RoomLayout;
  readonly #panels: SidePanels;
  readonly #announcer: CallAnnouncer;
  readonly #statsMenu: StatsMenu;
  /** The Reactions picker and the Raise hand toggle in the control bar. */
  readonly #reactions: ReactionControls;
  readonly #host: CallHost;
  readonly #i18n: Localize<Strings>;

  constructor(host: CallHost) {
    this.#host = host;
    this.#i18n = new Localize(host, en);
    this.layout = new RoomLayout(host);
    this.#panels = new SidePanels(host);
    this.#announcer = new CallAnnouncer(host);
    this.#statsMenu = new StatsMenu(host);
    this.#reactions = new ReactionControls(host);
  }

  /** Follow `session` (a new session starts with closed panels and no pins); `missed`: joins and leaves before this view existed. */
  attach(session: RtcSession | undefined, missed: readonly PeerNews[] = []): void {
    this.#panels.reset();
    this.layout.reset();
    this.#announcer.attach(session, () => this.#i18n.t, missed);
    this.#reactions.attach(session);
  }

  messageArrived(): void {
    this.#panels.messageArrived();
  }

  openStats(): Promise<void> {
    return this.#statsMenu.openStats();
  }

  render(s: CallState) {
    const panels = this.#panels;
    const n = s.everyone.length;
    const error = s.error;
    const t = this.#i18n.t;
    const count = (x: number) => this.#i18n.number(x);
    return html`
      ${
        error && !(s.offline && error.code === 'signaling-failed')
          ? html`<div part="banner" class="banner" role="alert">
            <span>${this.#i18n.error(error)}</span>
            <button part="button" class="button" type="button" @click=${s.onDismiss}>${t.dismiss}</button>
          </div>`
          : nothing
      }
      ${this.#renderAudience(s)} ${recordingOverlay(s.everyone, t)}
      <div class="stage" data-mode=${s.roomMode}>
        ${this.layout.render(s.participants)}
        ${panels.panel('chat', t.chat, html`<rtc-chat part="chat"></rtc-chat>`, t)}
        ${panels.panel('people', t.people, html`<rtc-participant-list part="people"></rtc-participant-list>`, t, true)}
      </div>
      ${this.#renderNotice(s)}
      <rtc-controls part="controls" data-autofocus>
        ${this.#reactions.reactButton()} ${this.#reactions.handButton()}
        ${panels.toggleButton('chat', chatIcon, t.chat, panels.unread, t.unreadCount(panels.unread), false, count, t.comma)}
        ${panels.toggleButton('people', peopleIcon, t.people, n, t.inCallCount(n), true, count, t.comma)} ${this.#statsMenu.button(recordMenuItem(this.#host.renderRoot, s.everyone, () => this.#statsMenu.closeMenu(), t))}
      </rtc-controls>
      ${this.#statsMenu.dialog()}
      ${panels.unreadStatus(t)} ${this.#announcer.render()}
    `;
  }

  /** A broadcast: how many watch, for everyone (the presenters are the tiles: viewers have none). */
  #renderAudience(s: CallState) {
    if (s.roomMode !== 'broadcast') return nothing;
    const n = s.viewerCount;
    const t = this.#i18n.t;
    return html`<div part="viewer-count" class="viewer-count" data-count=${n}><span class="live">${t.live}</span> ${t.watching(n)}</div>`;
  }

  /**
   * While the signaling server is away the call goes on: a small notice over the bottom of the
   * tiles, where they show only names (never over a control, never moving anything), and once it
   * has been too long, what that means and a way to try again.
   */
  #renderNotice(s: CallState) {
    const knocks = s.knocks;
    const first = knocks[0];
    const moderation = s.session?.moderation;
    const company = s.everyone.some((p) => !p.isLocal);
    const t = this.#i18n.t;
    return html`<div class="notice-slot" role="status">
      <div class="notices">
        ${
          s.reconnecting
            ? html`<div part="notice" class="notice">
              ${
                s.offline
                  ? html`<span>${t.serverUnreachable(company)}</span>
                    <button part="button" class="button" type="button" @click=${s.onReconnect}>${t.tryAgain}</button>`
                  : html`<span class="spinner small" aria-hidden="true"></span><span>${t.reconnectingServer}</span>`
              }
            </div>`
            : nothing
        }
        ${
          first && moderation && this.#panels.open !== 'people' // the panel lists them with the same buttons
            ? html`<div part="notice knock" class="notice" data-id=${first.id}>
              <span>${t.wantsToJoin(first.name, knocks.length - 1)}</span>
              <button part="button" class="button primary" type="button" @click=${() => void moderation.admit(first.id).catch(() => undefined)}>${t.admit}</button>
              <button part="button" class="button" type="button" @click=${() => void moderation.deny(first.id).catch(() => undefined)}>${t.deny}</button>
            </div>`
            : nothing
        }
        ${
          s.info
            ? html`<div part="notice info" class="notice">
              <span>${s.info}</span>
              <button part="button" class="button" type="button" @click=${s.onDismissInfo}>${t.ok}</button>
            </div>`
            : nothing
        }
      </div>
    </div>`;
  }
}
