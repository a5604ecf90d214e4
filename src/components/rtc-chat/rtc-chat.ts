import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage, SendError } from '../../core/data/chat.js';
import { DATA_LIMITS } from '../../core/data/wire.js';
import { parseFilePolicy, type Transfer } from '../../core/data/file-transfer.js';
import type { Participant, RtcSession, SessionStatus } from '../../core/session.js';
import { isInCall } from '../../core/state/status.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { chatStyles } from './rtc-chat.styles.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';

const ACTIVE = ['pending', 'offered', 'sending', 'receiving'];

/**
 * @summary Chat and file sharing for a call. Messages show name, time and text, newest at the
 * bottom. The "Message" box sends on Enter (Shift+Enter for a new line) or with Send. "Attach
 * file", or dropping files on the chat, sends them peer to peer to everyone or to the person
 * chosen in "Send files to"; each transfer shows progress, speed and time left, can be cancelled,
 * and offers a download link once the file arrived and its checksum matched. A file offered to us
 * arrives only once we Accept it (Decline, or no answer within a minute, transfers nothing), unless
 * `files-auto-accept` allows it. Messages handed over as history when we joined come first, under
 * "Earlier messages, shared by …": each was signed by its author and checked.
 * Everything peers send (names, text, file names) is shown as text, never as HTML.
 * @tag rtc-chat
 * @property session - The session to chat in. Set it to work without an enclosing `<rtc-room>`; it wins over the room's.
 *
 * @csspart base - The frame around everything (also the drop zone).
 * @csspart log - The list of messages (`role="log"`).
 * @csspart message - One message; own messages also have the `local` class, relayed history the `relayed` class.
 * @csspart relayed - The note above relayed history ("Earlier messages, shared by …").
 * @csspart name - The sender's name.
 * @csspart time - The time of a message.
 * @csspart text - The text of a message.
 * @csspart transfers - The list of file transfers.
 * @csspart transfer - One transfer row (with `data-state`).
 * @csspart progress - A transfer's `<progress>`.
 * @csspart download - The download link of a received file.
 * @csspart accept - The Accept button of a file offered to us.
 * @csspart decline - The Decline button of a file offered to us.
 * @csspart form - The message form.
 * @csspart input - The Message box.
 * @csspart button - Every button.
 * @csspart recipient - The "Send files to" picker.
 * @csspart drop - The overlay shown while files are dragged over the chat.
 *
 * @cssprop --rtc-chat-background - Behind the chat (default `--rtc-color-surface`).
 * @cssprop --rtc-chat-own-background - Behind own messages (default `--rtc-color-surface-raised`).
 * @cssprop --rtc-chat-height - Height of the element (default 100%, at least 18rem).
 */
export class RtcChat extends RtcSessionElement {
  static override styles = [componentStyles, chatStyles];

  /** "Send files to": '' for everyone, else a peer id. */
  @state() private recipient = '';
  @state() private dragging = false;
  /** Status line: a file could not be sent, or a transfer ended. */
  @state() private notice = '';

  readonly #messages = new StoreController<ChatMessage[]>(this);
  readonly #transfers = new StoreController<Transfer[]>(this, (list) => this.#noteEnded(list));
  readonly #participants = new StoreController<Participant[]>(this);
  readonly #status = new StoreController<SessionStatus>(this);
  readonly #i18n = new Localize(this, en);
  #stick = true;
  #states = new Map<string, string>();

  /**
   * Files accepted without asking, for this chat's session: 'none' (every offer waits for Accept),
   * 'all', or a size in bytes (offers up to it). Unset: the session's policy (default 'none').
   */
  @property({ attribute: 'files-auto-accept' }) filesAutoAccept?: string;

  /** Offers of files larger than this many bytes are refused outright. Unset: the session's limit (default 4 GiB). */
  @property({ attribute: 'files-max-size' }) filesMaxSize?: string;

  #policyFor?: RtcSession;

  protected override sessionChanged(s: RtcSession | undefined): void {
    this.#messages.attach(s?.chat.messages);
    this.#transfers.attach(s?.files.transfers);
    this.#participants.attach(s?.participants);
    this.#status.attach(s?.status);
  }

  /** Focus the Message box. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('textarea')?.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.recipient && !this.#remotes().some((p) => p.id === this.recipient)) this.recipient = '';
    // Our attributes, if any, set the session's file policy (a new session gets them too).
    const session = this.session;
    if (session && (changed.has('filesAutoAccept') || changed.has('filesMaxSize') || session !== this.#policyFor)) {
      this.#policyFor = session;
      if (this.filesAutoAccept !== undefined || this.filesMaxSize !== undefined)
        session.files.setPolicy(parseFilePolicy(this.filesAutoAccept, this.filesMaxSize));
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Follow new messages when the reader was at the bottom. Only when the log changed: this
    // element re-renders on every participant update, and reading the log's size forces a layout
    // of the page each time.
    const shown = [this.#messages.value, this.#transfers.value] as const;
    if (shown[0] === this.#followed[0] && shown[1] === this.#followed[1]) return;
    this.#followed = shown;
    const log = this.renderRoot.querySelector('.log');
    if (log && this.#stick) log.scrollTop = log.scrollHeight;
  }

  #followed: readonly [unknown, unknown] = [undefined, undefined];

  /** The reader scrolled (or we did): follow new messages only while at the bottom. */
  readonly #onScroll = (e: Event): void => {
    const log = e.currentTarget as HTMLElement;
    this.#stick = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  };

  protected override render() {
    const messages = this.#messages.value ?? [];
    const transfers = this.#transfers.value ?? [];
    const status = this.#status.value;
    const inCall = isInCall(status);
    const remotes = this.#remotes();
    const canSendFiles = inCall && remotes.length > 0;
    const t = this.#i18n.t;
    return html`
      <div
        part="base"
        class="base"
        @dragenter=${this.#onDragOver}
        @dragover=${this.#onDragOver}
        @dragleave=${this.#onDragLeave}
        @drop=${this.#onDrop}
      >
        <div part="log" class="log" role="log" aria-label=${t.chatMessages} tabindex="0" @scroll=${this.#onScroll}>
          ${
            messages.length
              ? repeat(
                  this.#rows(messages),
                  (row) => row.key,
                  (row) =>
                    row.note !== undefined
                      ? html`<p part="relayed" class="relayed-note">${row.note}</p>`
                      : html`<div part="message" class="message ${row.m.local ? 'local' : ''} ${row.m.relayedBy ? 'relayed' : ''}" data-relayed-by=${row.m.relayedBy ?? nothing}>
                        <div class="meta">
                          <span part="name" class="name">${row.m.name}</span>
                          <time part="time" datetime=${new Date(row.m.time).toISOString()}>${this.#i18n.time(row.m.time)}</time>
                        </div>
                        <div part="text" class="text">${row.m.text}</div>
                      </div>`,
                )
              : html`<p class="empty">${this.session ? t.noMessages : t.notConnectedToCall}</p>`
          }
        </div>
        ${
          transfers.length
            ? html`<ul part="transfers" class="transfers" aria-label=${t.fileTransfers}>
              ${repeat(
                transfers,
                (t) => t.id,
                (t) => this.#renderTransfer(t),
              )}
            </ul>`
            : nothing
        }
        <form part="form" class="form" @submit=${this.#onSubmit}>
          <label class="visually-hidden" for="message">${t.message}</label>
          <textarea
            id="message"
            part="input"
            rows="2"
            maxlength="4000"
            placeholder=${t.message}
            ?disabled=${!inCall}
            @keydown=${this.#onKeyDown}
          ></textarea>
          <button part="button" class="button primary" type="submit" ?disabled=${!inCall}>${t.send}</button>
        </form>
        <div class="files">
          <button part="button" class="button" type="button" ?disabled=${!canSendFiles} @click=${this.#onAttach}>${t.attachFile}</button>
          <input type="file" multiple hidden tabindex="-1" @change=${this.#onPick} />
          <label>
            ${t.sendFilesTo}
            <select part="recipient" ?disabled=${!canSendFiles} @change=${this.#onRecipient}>
              <option value="" ?selected=${!this.recipient}>${t.everyone}</option>
              ${remotes.map((p) => html`<option value=${p.id} ?selected=${p.id === this.recipient}>${p.name}</option>`)}
            </select>
          </label>
        </div>
        <p class="notice" role="status">${this.notice}</p>
        ${this.dragging ? html`<div part="drop" class="drop" aria-hidden="true">${t.dropFiles}</div>` : nothing}
      </div>
    `;
  }

  /** Messages, with a note above each run of history handed over by one peer. */
  #rows(messages: ChatMessage[]): ({ key: string; note: string; m?: undefined } | { key: string; note?: undefined; m: ChatMessage })[] {
    const rows: ({ key: string; note: string; m?: undefined } | { key: string; note?: undefined; m: ChatMessage })[] = [];
    let by: string | undefined;
    for (const m of messages) {
      if (m.relayedBy && m.relayedBy !== by) {
        const name = (this.#participants.value ?? []).find((p) => p.id === m.relayedBy)?.name;
        rows.push({ key: `note/${m.relayedBy}/${rows.length}`, note: this.#i18n.t.earlierMessages(name) });
      }
      by = m.relayedBy;
      rows.push({ key: `${m.from}/${m.id}`, m });
    }
    return rows;
  }

  #renderTransfer(t: Transfer) {
    if (t.state === 'offered') return this.#renderOffer(t);
    const active = ACTIVE.includes(t.state);
    const s = this.#i18n.t;
    const who = this.#who(t);
    const pct = t.size ? Math.floor((t.bytes / t.size) * 100) : 100;
    return html`<li part="transfer" class="transfer" data-state=${t.state}>
      <div class="meta">
        <span class="file">${t.name}</span>
        <span class="who">${who} · ${this.#i18n.bytes(t.size)}</span>
      </div>
      ${
        active
          ? html`<progress part="progress" max=${t.size || 1} value=${t.bytes} aria-label=${t.name}></progress>
            <div class="stats">
              <span>${this.#i18n.number(pct / 100, { style: 'percent' })}${t.rate ? ` · ${this.#i18n.bytes(t.rate)}/s` : ''}${t.eta !== null && t.rate ? ` · ${s.timeLeft(this.#i18n.duration(t.eta))}` : ''}</span>
              <button part="button" class="button small" type="button" aria-label=${s.cancelFile(t.name)} @click=${() => this.session?.files.cancel(t.id)}>
                ${s.cancel}
              </button>
            </div>`
          : html`<div class="stats">
            ${
              t.url
                ? html`<a part="download" class="download" href=${t.url} download=${t.name}>${s.download}</a>`
                : html`<span class=${t.state === 'done' ? '' : 'error'}>${s.transferStates[t.state as keyof typeof s.transferStates] ?? s.transferStates.failed}</span>`
            }
            ${t.error ? html`<span class="error">${t.errorInfo ? s.transferError(t.errorInfo) : t.error}</span>` : nothing}
            <button part="button" class="button small" type="button" aria-label=${s.dismissFile(t.name)} @click=${() => this.session?.files.dismiss(t.id)}>
              ${s.dismiss}
            </button>
          </div>`
      }
    </li>`;
  }

  /** A file offered to us (Accept / Decline), or one we offered that waits for an answer. */
  #renderOffer(t: Transfer) {
    const incoming = t.direction === 'receive';
    const who = this.#who(t);
    const s = this.#i18n.t;
    return html`<li part="transfer" class="transfer" data-state=${t.state}>
      <div class="meta">
        <span class="file">${t.name}</span>
        <span class="who">${who} · ${this.#i18n.bytes(t.size)}</span>
      </div>
      <div class="stats">
        ${
          incoming
            ? html`<span>${s.wantsToSendYou}</span>
              <button part="button accept" class="button small primary" type="button" aria-label=${s.acceptFile(t.name)} @click=${() => this.session?.files.accept(t.id)}>
                ${s.accept}
              </button>
              <button part="button decline" class="button small" type="button" aria-label=${s.declineFile(t.name)} @click=${() => this.session?.files.decline(t.id)}>
                ${s.decline}
              </button>`
            : html`<span>${s.waitingToAccept(t.peers.length > 1 ? undefined : t.peerNames[0])}</span>
              <button part="button" class="button small" type="button" aria-label=${s.cancelFile(t.name)} @click=${() => this.session?.files.cancel(t.id)}>
                ${s.cancel}
              </button>`
        }
      </div>
    </li>`;
  }

  /** "to Ada", "to everyone", "from Bob". */
  #who(t: Transfer): string {
    const s = this.#i18n.t;
    return t.direction === 'send' ? s.toPeer(t.peers.length > 1 ? undefined : t.peerNames[0]) : s.fromPeer(t.peerNames[0] ?? '');
  }

  #remotes(): Participant[] {
    return (this.#participants.value ?? []).filter((p) => !p.isLocal);
  }

  /** Announce transfers that just ended (the rows themselves are not live regions). */
  #noteEnded(list: Transfer[] | undefined): void {
    const states = new Map((list ?? []).map((t) => [t.id, t.state]));
    for (const t of list ?? []) {
      const before = this.#states.get(t.id);
      const s = this.#i18n.t;
      if (!before && t.direction === 'receive' && t.state === 'offered') this.notice = s.offerNotice(t.peerNames[0] ?? '', t.name, this.#i18n.bytes(t.size));
      if (before && ACTIVE.includes(before) && !ACTIVE.includes(t.state))
        this.notice = s.transferEnded(
          t.name,
          t.state === 'done' ? (t.direction === 'send' ? 'sent' : 'received') : t.state === 'cancelled' || t.state === 'declined' ? t.state : 'failed',
        );
    }
    this.#states = states;
  }

  #onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.#sendText();
    }
  };

  #onSubmit = (e: Event) => {
    e.preventDefault();
    this.#sendText();
  };

  #sendText(): void {
    const box = this.renderRoot.querySelector('textarea')!;
    const text = box.value;
    if (!this.session || !text.trim()) return;
    box.value = '';
    this.#stick = true;
    this.session.chat.send(text).catch((err: Error) => {
      box.value = text;
      this.notice = this.#sendErrorText(err);
    });
  }

  #onAttach = () => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();

  #onPick = (e: Event) => {
    const input = e.target as HTMLInputElement;
    this.#sendFiles([...(input.files ?? [])]);
    input.value = '';
  };

  #onRecipient = (e: Event) => {
    this.recipient = (e.target as HTMLSelectElement).value;
  };

  #onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  #onDragLeave = (e: DragEvent) => {
    const to = e.relatedTarget as Node | null;
    if (!to || !this.renderRoot.contains(to)) this.dragging = false;
  };

  #onDrop = (e: DragEvent) => {
    this.dragging = false;
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    this.#sendFiles([...e.dataTransfer.files]);
  };

  #sendFiles(files: File[]): void {
    const session = this.session;
    if (!session) return;
    const to = this.recipient || undefined;
    for (const file of files) session.files.send(file, { to }).catch((err: Error) => (this.notice = `${file.name}: ${this.#sendErrorText(err)}`));
  }

  /** Why a message or file could not be sent, by the core's code, in the element's language. */
  #sendErrorText(err: Error): string {
    const t = this.#i18n.t;
    switch ((err as Partial<SendError>).code) {
      case 'too-long':
        return t.messageTooLong(DATA_LIMITS.text);
      case 'nobody-else':
        return t.nobodyElse;
      case 'not-in-call':
        return t.participantGone;
      default:
        return err.message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-chat': RtcChat;
  }
}
