import { store, type ReadableStore } from '../state/store.js';
import { importPeerKey, verifyText, type Identity, type PeerKey } from '../signaling/identity.js';
import { ChatWireSchema, DATA_LIMITS, chatSignedText, parseFrame, randomId, type ChatWire } from './wire.js';

/** What the data services need from the session. */
export interface DataHost {
  /** Our peer id (it changes when the session rejoins). */
  localId(): string;
  /** The display name of a participant (ours for our id), or undefined when not in the call. */
  nameOf(peerId: string): string | undefined;
  /** Peer ids of the remote participants. */
  peers(): string[];
  /** The room, which chat signatures cover (so words cannot be carried into another room); default ''. */
  room?(): string;
  /** Our identity, whose key derives to localId(): it signs our chat messages. None: we send unsigned. */
  identity?(): Identity | null | undefined;
  /**
   * Who should get a live message of `from` forwarded by us (a broadcast's presenter: the other
   * viewers, who are not connected to `from`); none by default.
   */
  forwardTo?(from: string): string[];
  /** Whether we take forwarded messages from `peerId` (we watch a broadcast that it presents). */
  takesForwardsFrom?(peerId: string): boolean;
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
  /** When it was sent (ours) or received (live), in ms since the epoch; for history, when its author signed it (never in the future). */
  time: number;
  /** We sent it. */
  local: boolean;
  /**
   * The author's signature was checked against the key its peer id derives from. False only for
   * live messages from a peer without a key (an insecure page, or protocol 1): the channel itself
   * vouches for who sent them, but nobody can hand them on as history.
   */
  verified: boolean;
  /** Handed over as history by this peer (not received live from the sender). Shown before every live message. */
  relayedBy?: string;
}

export interface ChatEvents {
  /** A message arrived live from a peer (not history, not our own). */
  message: (message: ChatMessage) => void;
}

export interface ChatOptions {
  /** Messages kept in `messages` (the oldest go first); default 500. */
  maxMessages?: number;
  /** Messages handed to a newcomer, and the most we take from the peer handing us history; default 100. */
  historyLimit?: number;
  /** How long after a chat channel opens its peer may hand us history (ms); default 10 s. */
  historyWindowMs?: number;
}

/** Why a frame was dropped (counted in `dropped`). */
export type ChatDropReason =
  | 'bad-key'
  | 'unsigned'
  | 'bad-signature'
  | 'history-late'
  | 'history-other-peer'
  | 'history-limit'
  | 'history-unsigned'
  | 'history-self'
  | 'history-bad-key'
  | 'history-bad-signature'
  | 'forward-not-allowed'
  | 'forward-self'
  | 'forward-bad-key'
  | 'forward-bad-signature';

const keyOf = (m: { from: string; id: string }) => `${m.from}\n${m.id}`;

/** What lets a message be handed on: its author's key, signature and signed time. */
interface Proof {
  key: string;
  sig: string;
  time: number;
}

/** Messages kept for a channel that is still opening. */
const MAX_WAITING = 50;

interface PeerState {
  ch: RTCDataChannel;
  /** Announced key: undefined before `hello`, null when it was not this peer's key. */
  key?: PeerKey | null;
  /** Frames are handled one after another (verifying is asynchronous; order must hold). */
  queue: Promise<void>;
  /** performance.now() when the channel opened, for the history window. */
  openedAt?: number;
  helloSent: boolean;
  /** Our messages sent while this channel was still opening: they go out live once it opens. */
  waiting: { id: string; json: string }[];
  histCount: number;
  histChars: number;
}

/**
 * Text chat over each peer connection's `chat` data channel (negotiated id 1, ordered, reliable).
 * Our messages go to every open channel, signed with our identity's key (announced once per channel
 * in a `hello`); a peer's messages are checked against the key its id derives from. When a channel
 * opens we hand the peer our recent history, each message with its author's key and signature, so
 * a newcomer sees what was said (no server keeps anything) and nobody can put words in a present
 * member's mouth: history is taken only during the hand-over, from one peer, bounded, verified,
 * marked with who handed it over, and kept before every message seen live. Messages are
 * deduplicated by sender and id.
 */
export class Chat {
  readonly #messages = store<ChatMessage[]>([]);
  readonly #keys = new Set<string>();
  readonly #proofs = new Map<string, Proof>();
  readonly #peers = new Map<string, PeerState>();
  /** Imported authors' keys (for history), by base64url SPKI. */
  readonly #authorKeys = new Map<string, Promise<PeerKey | null>>();
  readonly #dropped = new Map<ChatDropReason, number>();
  readonly #host: DataHost;
  readonly #emit: (message: ChatMessage) => void;
  readonly #max: number;
  readonly #history: number;
  readonly #windowMs: number;
  /** History entries at the front of the list (they never mix with live ones). */
  #historyLength = 0;
  /** The one peer whose history we took, for the local id it was taken under. */
  #historySource?: { localId: string; peer: string };
  #sending: Promise<unknown> = Promise.resolve();

  /** Every message, oldest first (ours included), at most `maxMessages`: relayed history first, then what was seen live. */
  readonly messages: ReadableStore<ChatMessage[]> = this.#messages;

  constructor(host: DataHost, emit: (message: ChatMessage) => void, options: ChatOptions = {}) {
    this.#host = host;
    this.#emit = emit;
    this.#max = options.maxMessages ?? 500;
    this.#history = Math.min(options.historyLimit ?? DATA_LIMITS.history, this.#max);
    this.#windowMs = options.historyWindowMs ?? DATA_LIMITS.historyWindowMs;
  }

  /** Frames dropped so far, by reason (forged, unsigned, late or excess history…): diagnostics, never shown. */
  get dropped(): Readonly<Partial<Record<ChatDropReason, number>>> {
    return Object.fromEntries(this.#dropped);
  }

  /**
   * Send `text` to everyone in the call (and keep it, for people who join later). Rejects with a
   * RangeError when it is blank or longer than 4000 characters (`code`: 'empty', 'too-long').
   */
  async send(text: string): Promise<ChatMessage> {
    text = text.trim();
    if (!text) throw sendError('empty', 'The message is empty.');
    if (text.length > DATA_LIMITS.text) throw sendError('too-long', `The message is longer than ${DATA_LIMITS.text} characters.`);
    const from = this.#host.localId();
    const identity = this.#identity();
    const message: ChatMessage = { id: randomId(), from, name: this.#host.nameOf(from) ?? 'You', text, time: Date.now(), local: true, verified: !!identity };
    this.#add(message, true);
    const room = this.#room();
    // Signing is asynchronous: one after another, so the messages leave in the order typed.
    const deliver = async () => {
      let frame: ChatWire = { t: 'msg', id: message.id, text };
      if (identity) {
        const sig = await identity.sign(chatSignedText(room, from, message.id, message.time, text));
        frame = { ...frame, time: message.time, sig };
        if (this.#keys.has(keyOf(message))) this.#proofs.set(keyOf(message), { key: identity.key, sig, time: message.time });
      }
      const json = JSON.stringify(frame);
      for (const state of this.#peers.values()) {
        // Someone whose channel is still opening has joined: they get it live once it opens.
        if (state.ch.readyState === 'connecting' && state.waiting.length < MAX_WAITING) state.waiting.push({ id: message.id, json });
        if (state.ch.readyState !== 'open') continue;
        this.#hello(state);
        trySend(state.ch, json);
      }
    };
    const sent = this.#sending.then(deliver, deliver);
    this.#sending = sent.catch(() => undefined);
    await sent;
    return message;
  }

  /** Forget every message (ours and others'); the peers keep theirs. */
  clear(): void {
    this.#keys.clear();
    this.#proofs.clear();
    this.#historyLength = 0;
    this.#messages.set([]);
  }

  /** @internal The session hands over a peer's `chat` channel as soon as it exists. */
  attach(peerId: string, ch: RTCDataChannel): void {
    const state: PeerState = { ch, queue: Promise.resolve(), helloSent: false, waiting: [], histCount: 0, histChars: 0 };
    this.#peers.set(peerId, state);
    ch.binaryType = 'arraybuffer';
    const open = () => {
      state.openedAt = performance.now();
      this.#hello(state);
      const waiting = state.waiting.splice(0);
      this.#sendHistory(peerId, ch, new Set(waiting.map((w) => w.id)));
      for (const { json } of waiting) trySend(ch, json);
    };
    if (ch.readyState === 'open') open();
    else ch.addEventListener('open', open, { once: true });
    ch.addEventListener('message', ({ data }) => {
      const msg = parseFrame(ChatWireSchema, data, DATA_LIMITS.chatFrame);
      if (!msg) return;
      // The window is judged on arrival, not once the frames before it were verified.
      const inWindow = state.openedAt !== undefined && performance.now() - state.openedAt <= this.#windowMs;
      state.queue = state.queue.then(() => this.#receive(peerId, state, msg, inWindow)).catch(() => undefined);
    });
    ch.addEventListener('close', () => this.#peers.get(peerId)?.ch === ch && this.detach(peerId));
  }

  /** @internal The peer left (or its channel closed). */
  detach(peerId: string): void {
    this.#peers.delete(peerId);
  }

  #identity(): Identity | null {
    const identity = this.#host.identity?.() ?? null;
    // A key that does not derive to our id would only get our messages dropped.
    return identity && identity.id === this.#host.localId() ? identity : null;
  }

  #room(): string {
    return this.#host.room?.() ?? '';
  }

  #drop(reason: ChatDropReason, peerId: string): void {
    this.#dropped.set(reason, (this.#dropped.get(reason) ?? 0) + 1);
    console.debug(`rtc-widgets chat: dropped a frame from ${peerId} (${reason})`);
  }

  /** Our key, once per channel, before anything else we send on it. */
  #hello(state: PeerState): void {
    if (state.helloSent) return;
    const identity = this.#identity();
    if (!identity) return;
    state.helloSent = trySend(state.ch, JSON.stringify({ t: 'hello', key: identity.key } satisfies ChatWire));
  }

  /** What was said before `peerId` joined, except `live` (our messages that go to it live). */
  #sendHistory(peerId: string, ch: RTCDataChannel, live: Set<string>): void {
    const recent = this.#messages.get().slice(-this.#history);
    for (const m of recent) {
      if (m.from === peerId || live.has(m.id)) continue;
      // Only what its author signed can be handed on: the newcomer would drop anything else.
      const proof = this.#proofs.get(keyOf(m));
      if (!proof) continue;
      const frame: ChatWire = { t: 'hist', id: m.id, from: m.from, name: m.name, time: proof.time, text: m.text, key: proof.key, sig: proof.sig };
      if (!trySend(ch, JSON.stringify(frame))) return;
    }
  }

  async #receive(peerId: string, state: PeerState, msg: ChatWire, inWindow: boolean): Promise<void> {
    if (msg.t === 'hello') {
      if (state.key !== undefined) return; // announced already: a key cannot change mid-channel
      const key = await importPeerKey(msg.key);
      state.key = key && key.id === peerId ? key : null;
      if (!state.key) this.#drop('bad-key', peerId);
      return;
    }
    if (msg.t === 'msg') {
      let proof: Proof | undefined;
      if (state.key === null) return this.#drop('bad-key', peerId);
      if (state.key) {
        // A peer with a key signs every message; one without (insecure page, protocol 1) cannot,
        // and is vouched for by the channel alone.
        if (msg.sig === undefined || msg.time === undefined) return this.#drop('unsigned', peerId);
        if (!(await verifyText(state.key, chatSignedText(this.#room(), peerId, msg.id, msg.time, msg.text), msg.sig)))
          return this.#drop('bad-signature', peerId);
        proof = { key: state.key.key, sig: msg.sig, time: msg.time };
      }
      const message: ChatMessage = {
        id: msg.id,
        from: peerId,
        name: this.#host.nameOf(peerId) ?? 'Guest',
        text: msg.text,
        time: Date.now(),
        local: false,
        verified: !!proof,
      };
      if (this.#add(message, true)) {
        if (proof) {
          this.#proofs.set(keyOf(message), proof);
          this.#forward(message, proof);
        }
        this.#emit(message);
      }
      return;
    }
    if (msg.t === 'fwd') return this.#receiveForward(peerId, msg);
    // History: only during the hand-over, from one peer, bounded, and only what its author signed.
    const localId = this.#host.localId();
    if (!inWindow) return this.#drop('history-late', peerId);
    const source = this.#historySource?.localId === localId ? this.#historySource.peer : undefined;
    if (source !== undefined && source !== peerId) return this.#drop('history-other-peer', peerId);
    if (state.histCount >= this.#history || state.histChars + msg.text.length > DATA_LIMITS.historyChars) return this.#drop('history-limit', peerId);
    if (msg.key === undefined || msg.sig === undefined || !Number.isSafeInteger(msg.time)) return this.#drop('history-unsigned', peerId);
    // Nobody may put words in our mouth (ours we have; anything else claiming our id is forged).
    if (msg.from === localId) return this.#drop('history-self', peerId);
    const author = await this.#authorKey(msg.key);
    if (!author || author.id !== msg.from) return this.#drop('history-bad-key', peerId);
    if (!(await verifyText(author, chatSignedText(this.#room(), msg.from, msg.id, msg.time, msg.text), msg.sig)))
      return this.#drop('history-bad-signature', peerId);
    // The first peer whose history checks out is the one we take it from (peers are verified side
    // by side: look again now).
    if (this.#historySource?.localId === localId && this.#historySource.peer !== peerId) return this.#drop('history-other-peer', peerId);
    if (this.#host.localId() !== localId) return;
    this.#historySource = { localId, peer: peerId };
    state.histCount++;
    state.histChars += msg.text.length;
    const message: ChatMessage = {
      id: msg.id,
      from: msg.from,
      // An author still here is named by the session; someone gone only by the peer handing it over.
      name: this.#host.nameOf(msg.from) ?? msg.name,
      text: msg.text,
      time: Math.max(0, Math.min(msg.time, Date.now())),
      local: false,
      verified: true,
      relayedBy: peerId,
    };
    if (this.#add(message, false)) this.#proofs.set(keyOf(message), { key: msg.key, sig: msg.sig, time: msg.time });
  }

  /** A broadcast's presenter hands a viewer's signed message on to the viewers it cannot reach. */
  #forward(m: ChatMessage, proof: Proof): void {
    const to = this.#host.forwardTo?.(m.from) ?? [];
    if (!to.length) return;
    const frame: ChatWire = { t: 'fwd', id: m.id, from: m.from, name: m.name, time: proof.time, text: m.text, key: proof.key, sig: proof.sig };
    const json = JSON.stringify(frame);
    for (const id of to) {
      const state = this.#peers.get(id);
      if (state?.ch.readyState !== 'open') continue;
      this.#hello(state);
      trySend(state.ch, json);
    }
  }

  /** Only from a presenter we watch, and only what its author signed: the presenter cannot put words in anyone's mouth. */
  async #receiveForward(peerId: string, msg: Extract<ChatWire, { t: 'fwd' }>): Promise<void> {
    if (!this.#host.takesForwardsFrom?.(peerId)) return this.#drop('forward-not-allowed', peerId);
    const localId = this.#host.localId();
    if (msg.from === localId) return this.#drop('forward-self', peerId);
    const author = await this.#authorKey(msg.key);
    if (!author || author.id !== msg.from) return this.#drop('forward-bad-key', peerId);
    if (!(await verifyText(author, chatSignedText(this.#room(), msg.from, msg.id, msg.time, msg.text), msg.sig)))
      return this.#drop('forward-bad-signature', peerId);
    if (this.#host.localId() !== localId) return;
    // Named by the session when it knows the author (the server announced everyone), else by the presenter.
    const message: ChatMessage = {
      id: msg.id,
      from: msg.from,
      name: this.#host.nameOf(msg.from) ?? msg.name,
      text: msg.text,
      time: Date.now(),
      local: false,
      verified: true,
    };
    if (this.#add(message, true)) {
      this.#proofs.set(keyOf(message), { key: msg.key, sig: msg.sig, time: msg.time });
      this.#emit(message);
    }
  }

  #authorKey(key: string): Promise<PeerKey | null> {
    let p = this.#authorKeys.get(key);
    if (!p) {
      if (this.#authorKeys.size >= 256) this.#authorKeys.clear();
      p = importPeerKey(key);
      this.#authorKeys.set(key, p);
    }
    return p;
  }

  /**
   * Live messages go last; history goes, by time, among the history before every live message.
   * Returns false for a duplicate (a live message is never replaced by history, nor history by a live copy).
   */
  #add(message: ChatMessage, live: boolean): boolean {
    const key = keyOf(message);
    if (this.#keys.has(key)) return false;
    const list = this.#messages.get();
    let i = list.length;
    if (!live) {
      i = this.#historyLength;
      while (i > 0 && list[i - 1].time > message.time) i--;
    }
    if (list.length >= this.#max && i === 0) return false; // older than everything we keep
    this.#keys.add(key);
    if (!live) this.#historyLength++;
    const next = [...list.slice(0, i), message, ...list.slice(i)];
    while (next.length > this.#max) {
      const gone = keyOf(next.shift()!);
      this.#keys.delete(gone);
      this.#proofs.delete(gone);
      if (this.#historyLength) this.#historyLength--;
    }
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

/** Why a message or a file could not be sent, as a code an element words in its language. */
export type SendErrorCode = 'empty' | 'too-long' | 'nobody-else' | 'not-in-call';
/** A RangeError (as documented) with a `code`. */
export type SendError = RangeError & { code: SendErrorCode };
export function sendError(code: SendErrorCode, message: string): SendError {
  return Object.assign(new RangeError(message), { code });
}
