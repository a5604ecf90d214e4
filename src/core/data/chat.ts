import { store, type ReadableStore } from '../state/store.js';
import { ChatWireSchema, DATA_LIMITS, parseFrame, randomId, type ChatWire } from './wire.js';

/** What the data services need from the session. */
export interface DataHost {
  /** Our peer id (it changes when the session rejoins). */
  localId(): string;
  /** The display name of a participant (ours for our id), or undefined when not in the call. */
  nameOf(peerId: string): string | undefined;
  /** Peer ids of the remote participants. */
  peers(): string[];
}

export interface ChatMessage {
  /** Chosen by the sender; unique together with `from`. */
  id: string;
  /** The sender's peer id. */
  from: string;
  /** The sender's display name, from the session's participant list (never from the message). Plain text from a stranger: render it as text. */
  name: string;
  /** Plain text from a stranger: render it as text, never as HTML. */
  text: string;
  /** When it was sent (ours) or received, in ms since the epoch; for history, the time the peer who handed it over has for it. */
  time: number;
  /** We sent it. */
  local: boolean;
  /** Handed over as history by this peer (not received live from the sender). */
  via?: string;
}

export interface ChatEvents {
  /** A message arrived live from a peer (not history, not our own). */
  message: (message: ChatMessage) => void;
}

export interface ChatOptions {
  /** Messages kept in `messages` (the oldest go first); default 500. */
  maxMessages?: number;
  /** Messages handed to a newcomer; default 100. */
  historyLimit?: number;
}

const keyOf = (m: { from: string; id: string }) => `${m.from}\n${m.id}`;

/**
 * Text chat over each peer connection's `chat` data channel (negotiated id 1, ordered, reliable).
 * Our messages go to every open channel; when a channel opens, we hand the peer our recent
 * history, so a newcomer sees what was said (no server keeps anything). Messages are deduplicated
 * by sender and id, so history from several peers merges into one list.
 */
export class Chat {
  readonly #messages = store<ChatMessage[]>([]);
  readonly #keys = new Set<string>();
  readonly #channels = new Map<string, RTCDataChannel>();
  readonly #host: DataHost;
  readonly #emit: (message: ChatMessage) => void;
  readonly #max: number;
  readonly #history: number;

  /** Every message, oldest first (ours included), at most `maxMessages`. */
  readonly messages: ReadableStore<ChatMessage[]> = this.#messages;

  constructor(host: DataHost, emit: (message: ChatMessage) => void, options: ChatOptions = {}) {
    this.#host = host;
    this.#emit = emit;
    this.#max = options.maxMessages ?? 500;
    this.#history = Math.min(options.historyLimit ?? DATA_LIMITS.history, this.#max);
  }

  /**
   * Send `text` to everyone in the call (and keep it, for people who join later). Rejects with a
   * RangeError when it is blank or longer than 4000 characters.
   */
  async send(text: string): Promise<ChatMessage> {
    text = text.trim();
    if (!text) throw new RangeError('The message is empty.');
    if (text.length > DATA_LIMITS.text) throw new RangeError(`The message is longer than ${DATA_LIMITS.text} characters.`);
    const from = this.#host.localId();
    const message: ChatMessage = { id: randomId(), from, name: this.#host.nameOf(from) ?? 'You', text, time: Date.now(), local: true };
    this.#add(message, true);
    const frame = JSON.stringify({ t: 'msg', id: message.id, text } satisfies ChatWire);
    for (const ch of this.#channels.values()) if (ch.readyState === 'open') trySend(ch, frame);
    return message;
  }

  /** Forget every message (ours and others'); the peers keep theirs. */
  clear(): void {
    this.#keys.clear();
    this.#messages.set([]);
  }

  /** @internal The session hands over a peer's `chat` channel as soon as it exists. */
  attach(peerId: string, ch: RTCDataChannel): void {
    this.#channels.set(peerId, ch);
    ch.binaryType = 'arraybuffer';
    const open = () => this.#sendHistory(peerId, ch);
    if (ch.readyState === 'open') open();
    else ch.addEventListener('open', open, { once: true });
    ch.addEventListener('message', ({ data }) => {
      const msg = parseFrame(ChatWireSchema, data, DATA_LIMITS.chatFrame);
      if (msg) this.#receive(peerId, msg);
    });
    ch.addEventListener('close', () => this.#channels.get(peerId) === ch && this.detach(peerId));
  }

  /** @internal The peer left (or its channel closed). */
  detach(peerId: string): void {
    this.#channels.delete(peerId);
  }

  #sendHistory(peerId: string, ch: RTCDataChannel): void {
    for (const m of this.#messages.get().slice(-this.#history)) {
      if (m.from === peerId) continue;
      const frame: ChatWire = { t: 'hist', id: m.id, from: m.from, name: m.name, time: m.time, text: m.text };
      if (!trySend(ch, JSON.stringify(frame))) return;
    }
  }

  #receive(peerId: string, msg: ChatWire): void {
    if (msg.t === 'msg') {
      const message: ChatMessage = { id: msg.id, from: peerId, name: this.#host.nameOf(peerId) ?? 'Guest', text: msg.text, time: Date.now(), local: false };
      if (this.#add(message, true)) this.#emit(message);
      return;
    }
    // History: nobody may put words in our mouth; a participant still here is named by the
    // session, someone gone only by the peer who hands the message over.
    if (msg.from === this.#host.localId()) return;
    this.#add(
      {
        id: msg.id,
        from: msg.from,
        name: this.#host.nameOf(msg.from) ?? msg.name,
        text: msg.text,
        time: Math.max(0, Math.min(msg.time, Date.now())),
        local: false,
        via: peerId,
      },
      false,
    );
  }

  /** Live messages go last; history goes in by time. Returns false for a duplicate. */
  #add(message: ChatMessage, live: boolean): boolean {
    const key = keyOf(message);
    if (this.#keys.has(key)) return false;
    const list = this.#messages.get();
    let i = list.length;
    if (!live) while (i > 0 && list[i - 1].time > message.time) i--;
    if (list.length >= this.#max && i === 0) return false; // older than everything we keep
    this.#keys.add(key);
    const next = [...list.slice(0, i), message, ...list.slice(i)];
    while (next.length > this.#max) this.#keys.delete(keyOf(next.shift()!));
    this.#messages.set(next);
    return true;
  }
}

/** send() throws on a closing channel or a full buffer: a lost message, not a crash. */
export function trySend(ch: RTCDataChannel, data: string): boolean {
  try {
    ch.send(data);
    return true;
  } catch {
    return false;
  }
}
