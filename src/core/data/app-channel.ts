/**
 * App data channels (docs/protocol.md §10 "App channels"): a named channel of the app's own to
 * every peer in the call, for game state, telemetry or anything else. Each one is a negotiated
 * RTCDataChannel whose id derives from the label, created on the SCTP association the connection
 * already has, so opening one never renegotiates, and peers that join later get it too.
 *
 * Negotiated channels open on each side on their own: a frame sent before the remote made its
 * end is lost. So each side says `hello` until it knows the other heard it, and a peer counts as
 * ready (in `peers`, sent to) only once its hello arrived. Everything that arrives comes from a
 * stranger: frames are size-checked, parsed without throwing, and dropped when malformed.
 */
import { createNanoEvents } from 'nanoevents';
import * as v from 'valibot';
import { store, type ReadableStore } from '../state/store.js';

export interface AppChannelOptions {
  /** Deliver in order (default true). Unordered suits state where only the latest counts. */
  ordered?: boolean;
  /** Retransmit a lost message at most this often (0: never). Makes the channel unreliable. */
  maxRetransmits?: number;
  /** Retransmit a lost message for at most this long (ms). Makes the channel unreliable. */
  maxPacketLifeTime?: number;
}

/** What send() can take: a string, binary data, or any other JSON-serialisable value. */
export type AppData = string | ArrayBuffer | ArrayBufferView | boolean | number | null | object;

export interface AppMessage {
  /** The sender's peer id. */
  from: string;
  /** A string, a parsed JSON value, or an ArrayBuffer: as the sender gave it. */
  data: unknown;
}

export interface SendResult {
  /** Peers the message was handed to (queued, on a reliable channel). */
  sent: number;
  /** Ready peers it was not: an unreliable channel's buffer was above its high-water mark (stale state is worthless), or a reliable channel's queue was full. */
  dropped: number;
}

export interface AppChannelEvents {
  message: (message: AppMessage) => void;
  /** A peer's end is ready (its hello arrived): messages now reach it. */
  'peer-open': (id: string) => void;
  /** A peer's end went away (it closed the channel, left, or the connection was replaced). */
  'peer-close': (id: string) => void;
  /** close() was called: the channel is gone for good. */
  close: () => void;
}

export const APP_CHANNEL_LIMITS = {
  /** Negotiated ids of app channels: 16 to 1023 (0–15 are the library's; 0, 1 and 3 are in use). */
  firstId: 16,
  lastId: 1023,
  /** A label, in UTF-16 code units. */
  label: 64,
  /** One frame (tag included), in bytes; also never above the connection's sctp.maxMessageSize. */
  frame: 64 * 1024,
  /** A hello frame, in characters. */
  hello: 256,
  /** Unreliable channels drop a message to a peer while that much waits in its buffer. */
  unreliableHighWater: 64 * 1024,
  /** Reliable channels queue a message of their own while the browser buffers that much... */
  reliableHighWater: 1024 * 1024,
  /** ...and hand the queue on when the buffer falls to this (`bufferedAmountLowThreshold`). */
  lowWater: 256 * 1024,
  /** Bytes a reliable channel queues for one peer before it drops (await drained() between bursts). */
  queue: 16 * 1024 * 1024,
} as const;

/** Text frames start with one of these; binary frames are the app's bytes, untouched. */
const TAG = { string: 's', json: 'j', hello: 'h' } as const;
/** Hello frame body: `seen` says the sender has heard our hello. Unknown fields are ignored. */
const HelloSchema = v.object({ v: v.literal(1), seen: v.optional(v.boolean(), false) });
/** Hello again until both sides heard each other: quickly at first (the remote may be just behind), then every 2 s. */
const HELLO_DELAYS_MS = [100, 250, 500, 1000, 2000];
/** Answers to a hello that says it has not heard ours, at most one per this long (a peer cannot make us flood). */
const HELLO_REPLY_GAP_MS = 100;
/** A peer's end closed while the connection lives: ours is made again (it may reopen) this many times. */
const MAX_REOPENS = 10;

/**
 * The negotiated id of an app channel: 16 + (FNV-1a 32-bit of the label's UTF-8 bytes mod 1008),
 * so 16–1023. Any client computes the same id from the same label (docs/protocol.md §10).
 */
export function appChannelId(label: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(label)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const span = APP_CHANNEL_LIMITS.lastId - APP_CHANNEL_LIMITS.firstId + 1;
  return APP_CHANNEL_LIMITS.firstId + (h % span);
}

/** What an app channel needs of a peer link (PeerLink.appChannel). */
export interface AppLink {
  readonly pc: RTCPeerConnection;
  appChannel(label: string, init: RTCDataChannelInit & { id: number }): RTCDataChannel | undefined;
}

interface Peer {
  link: AppLink;
  ch: RTCDataChannel;
  /** Its hello arrived: it is ready. */
  heard: boolean;
  /** It said it heard ours. */
  seen: boolean;
  helloTimer?: ReturnType<typeof setTimeout>;
  hellos: number;
  lastReply: number;
  /** Reliable channels: frames waiting for the buffer to go down, and their bytes. */
  queue: (string | ArrayBuffer | ArrayBufferView)[];
  queued: number;
  reopens: number;
}

/**
 * The app channels of one session, by label; every link of the session is attached to each.
 * Made by RtcSession; apps get channels from `session.channel(label, options)`.
 */
export class AppChannels {
  readonly #channels = new Map<string, AppChannel>();
  readonly #links = new Map<string, AppLink>();

  /** The channel named `label`: the open one with the same options, or a new one on every link. */
  channel(label: string, options: AppChannelOptions = {}): AppChannel {
    if (typeof label !== 'string' || label.length < 1 || label.length > APP_CHANNEL_LIMITS.label) {
      throw new TypeError(`An app channel label is 1 to ${APP_CHANNEL_LIMITS.label} characters.`);
    }
    const init = channelInit(options);
    const existing = this.#channels.get(label);
    if (existing) {
      if (!sameInit(existing.init, init)) {
        throw new TypeError(`The app channel "${label}" is open already with other options (${describe(existing.init)}): close it first.`);
      }
      return existing;
    }
    const id = appChannelId(label);
    const clash = [...this.#channels.values()].find((c) => c.id === id);
    if (clash) throw new RangeError(`The app channel labels "${label}" and "${clash.label}" map to the same id (${id}): choose another label.`);
    const channel = new AppChannel(label, id, init, () => this.#channels.delete(label));
    this.#channels.set(label, channel);
    for (const [peerId, link] of this.#links) channel.attach(peerId, link);
    return channel;
  }

  /** A link's channels exist (a new link, or one replacing the old one): every app channel opens on it. */
  attach(peerId: string, link: AppLink): void {
    this.#links.set(peerId, link);
    for (const channel of this.#channels.values()) channel.attach(peerId, link);
  }

  /** The peer's link is gone: its channels close. */
  detach(peerId: string): void {
    this.#links.delete(peerId);
    for (const channel of this.#channels.values()) channel.detach(peerId);
  }
}

export class AppChannel {
  readonly label: string;
  /** The negotiated data channel id (docs/protocol.md §10). */
  readonly id: number;
  readonly init: RTCDataChannelInit;
  /** Ready peers (their hello arrived), by peer id: send() reaches these. */
  readonly peers: ReadableStore<readonly string[]>;
  /** Counters, for diagnostics and tests. */
  readonly stats = {
    /** Messages handed to a peer. */
    sent: 0,
    /** Messages delivered to the app. */
    received: 0,
    /** Outgoing messages dropped for backpressure. */
    dropped: 0,
    /** Frames from peers dropped as malformed, oversized or of an unknown kind. */
    invalid: 0,
  };
  readonly #peersStore = store<readonly string[]>([]);
  readonly #peers = new Map<string, Peer>();
  /** The links we are attached to, by peer id (an end that closed is made again only on its link). */
  readonly #links = new Map<string, AppLink>();
  readonly #events = createNanoEvents<AppChannelEvents>();
  readonly #onClose: () => void;
  readonly #reliable: boolean;
  #closed = false;
  #drainWaiters: (() => void)[] = [];

  constructor(label: string, id: number, init: RTCDataChannelInit, onClose: () => void) {
    this.label = label;
    this.id = id;
    this.init = init;
    this.#onClose = onClose;
    this.#reliable = init.maxRetransmits === undefined && init.maxPacketLifeTime === undefined;
    this.peers = this.#peersStore;
  }

  get reliable(): boolean {
    return this.#reliable;
  }
  get closed(): boolean {
    return this.#closed;
  }

  on<E extends keyof AppChannelEvents>(event: E, cb: AppChannelEvents[E]): () => void {
    return this.#events.on(event, cb);
  }

  /**
   * Send to every ready peer, or (two arguments) to one. Strings arrive as strings, binary data
   * as an ArrayBuffer, anything else as its JSON round trip. Throws for data that cannot be sent
   * at all (not serialisable, or a frame above APP_CHANNEL_LIMITS.frame bytes).
   */
  send(data: AppData): SendResult;
  send(to: string, data: AppData): SendResult;
  send(...args: [AppData] | [string, AppData]): SendResult {
    const [to, data] = args.length === 2 ? args : [undefined, args[0]];
    const result: SendResult = { sent: 0, dropped: 0 };
    if (this.#closed) return result;
    const frame = encode(data);
    const size = frameSize(frame);
    if (size > APP_CHANNEL_LIMITS.frame) throw new RangeError(`An app channel message is at most ${APP_CHANNEL_LIMITS.frame} bytes; this one is ${size}.`);
    for (const [peerId, peer] of this.#peers) {
      if (to !== undefined && peerId !== to) continue;
      if (!peer.heard || peer.ch.readyState !== 'open') continue;
      const max = peer.link.pc.sctp?.maxMessageSize;
      if (max && size > max) {
        result.dropped++;
        continue;
      }
      if (this.#deliver(peer, frame, size)) result.sent++;
      else result.dropped++;
    }
    this.stats.sent += result.sent;
    this.stats.dropped += result.dropped;
    return result;
  }

  /**
   * Resolves once everything sent so far has left our buffers (every ready peer's queue is empty
   * and its channel's buffer at most APP_CHANNEL_LIMITS.lowWater), or the channel closed.
   */
  drained(): Promise<void> {
    if (this.#isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** The data channel to one peer (diagnostics, tests); undefined when there is none. */
  dataChannel(peerId: string): RTCDataChannel | undefined {
    return this.#peers.get(peerId)?.ch;
  }

  /** Close the channel to everyone, for good; the label may then be opened again (a new AppChannel). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of new Set([...this.#peers.keys(), ...this.#links.keys()])) this.detach(id);
    this.#onClose();
    this.#events.emit('close');
    this.#wakeDrainers();
  }

  /** @internal A link's channels exist: open ours on it (AppChannels). */
  attach(peerId: string, link: AppLink): void {
    if (this.#closed) return;
    const old = this.#peers.get(peerId);
    if (old?.link === link) return;
    if (old) this.detach(peerId);
    this.#links.set(peerId, link);
    this.#open(peerId, link, 0);
  }

  /** @internal The peer's link is gone (AppChannels), or we close. */
  detach(peerId: string): void {
    this.#links.delete(peerId);
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    this.#forget(peerId, peer);
    peer.ch.close();
  }

  /** Make our end on `link`; false when it cannot be made now (the id is still being released, or the connection is going). */
  #open(peerId: string, link: AppLink, reopens: number): boolean {
    let ch: RTCDataChannel | undefined;
    try {
      ch = link.appChannel(`app:${this.label}`, { ...this.init, id: this.id });
    } catch {
      ch = undefined;
    }
    if (!ch) return false;
    ch.binaryType = 'arraybuffer';
    ch.bufferedAmountLowThreshold = APP_CHANNEL_LIMITS.lowWater;
    const peer: Peer = { link, ch, heard: false, seen: false, hellos: 0, lastReply: 0, queue: [], queued: 0, reopens };
    this.#peers.set(peerId, peer);
    const current = () => this.#peers.get(peerId) === peer;
    ch.onopen = () => current() && this.#hello(peer);
    ch.onmessage = ({ data }: MessageEvent) => current() && this.#receive(peerId, peer, data);
    ch.onbufferedamountlow = () => current() && this.#flush(peer);
    ch.onclose = () => {
      if (!current()) return;
      // The peer closed its end (close(), or it left): ours is closed with it. While the
      // connection lives, make ours again, so the channel works once the peer opens it again.
      this.#peers.delete(peerId);
      this.#forget(peerId, peer);
      this.#reopen(peerId, link, peer.reopens + 1);
    };
    if (ch.readyState === 'open') this.#hello(peer);
    return true;
  }

  /** Our end closed with the peer's while the connection lives: make it again, a little later (bounded). */
  #reopen(peerId: string, link: AppLink, reopens: number): void {
    if (this.#closed || reopens > MAX_REOPENS || link.pc.connectionState !== 'connected') return;
    setTimeout(() => {
      if (this.#closed || this.#peers.has(peerId) || this.#links.get(peerId) !== link || link.pc.connectionState !== 'connected') return;
      if (!this.#open(peerId, link, reopens)) this.#reopen(peerId, link, reopens + 1);
    }, 250 * reopens);
  }

  /** The peer's end is gone: no longer ready, nothing more sent. */
  #forget(peerId: string, peer: Peer): void {
    clearTimeout(peer.helloTimer);
    peer.ch.onopen = peer.ch.onmessage = peer.ch.onbufferedamountlow = peer.ch.onclose = null;
    peer.queue = [];
    peer.queued = 0;
    if (peer.heard) {
      this.#peersStore.set(this.#peersStore.get().filter((id) => id !== peerId));
      this.#events.emit('peer-close', peerId);
    }
    this.#wakeDrainers();
  }

  /** Say hello, and again later until the peer heard us and we heard it. */
  #hello(peer: Peer): void {
    clearTimeout(peer.helloTimer);
    peer.helloTimer = undefined;
    if (peer.ch.readyState !== 'open') return;
    try {
      peer.ch.send(`${TAG.hello}${JSON.stringify({ v: 1, seen: peer.heard })}`);
    } catch {
      return; // closing
    }
    if (peer.heard && peer.seen) return;
    const delay = HELLO_DELAYS_MS[Math.min(peer.hellos++, HELLO_DELAYS_MS.length - 1)];
    peer.helloTimer = setTimeout(() => this.#hello(peer), delay);
  }

  #receive(peerId: string, peer: Peer, data: unknown): void {
    if (data instanceof ArrayBuffer) {
      if (data.byteLength > APP_CHANNEL_LIMITS.frame) return void this.stats.invalid++;
      this.#emit(peerId, data);
      return;
    }
    if (typeof data !== 'string' || data.length < 1 || data.length > APP_CHANNEL_LIMITS.frame) return void this.stats.invalid++;
    const tag = data[0];
    const body = data.slice(1);
    if (tag === TAG.string) return this.#emit(peerId, body);
    if (tag === TAG.json) {
      try {
        return this.#emit(peerId, JSON.parse(body));
      } catch {
        return void this.stats.invalid++;
      }
    }
    if (tag === TAG.hello && body.length <= APP_CHANNEL_LIMITS.hello) {
      let hello: v.InferOutput<typeof HelloSchema> | undefined;
      try {
        const r = v.safeParse(HelloSchema, JSON.parse(body));
        if (r.success) hello = r.output;
      } catch {
        /* below */
      }
      if (!hello) return void this.stats.invalid++;
      return this.#onHello(peerId, peer, hello.seen);
    }
    this.stats.invalid++;
  }

  #onHello(peerId: string, peer: Peer, seen: boolean): void {
    const first = !peer.heard;
    peer.heard = true;
    peer.reopens = 0;
    if (seen) peer.seen = true;
    if (first) {
      this.#peersStore.set([...this.#peersStore.get(), peerId]);
      this.#events.emit('peer-open', peerId);
    }
    // Tell it we heard it: at once when it does not know yet (rate-limited), else the timer stops.
    const now = performance.now();
    if ((first || !seen) && now - peer.lastReply >= HELLO_REPLY_GAP_MS) {
      peer.lastReply = now;
      this.#hello(peer);
    } else if (peer.heard && peer.seen) {
      clearTimeout(peer.helloTimer);
      peer.helloTimer = undefined;
    }
  }

  #emit(from: string, data: unknown): void {
    this.stats.received++;
    this.#events.emit('message', { from, data });
  }

  /** Hand one frame to a peer now, or queue it (reliable) or drop it (unreliable) when its buffer is full. */
  #deliver(peer: Peer, frame: string | ArrayBuffer | ArrayBufferView, size: number): boolean {
    const { ch } = peer;
    if (!this.#reliable) {
      if (ch.bufferedAmount > APP_CHANNEL_LIMITS.unreliableHighWater) return false;
      return trySend(ch, frame);
    }
    if (peer.queue.length === 0 && ch.bufferedAmount <= APP_CHANNEL_LIMITS.reliableHighWater) return trySend(ch, frame);
    if (peer.queued + size > APP_CHANNEL_LIMITS.queue) return false;
    // Binary data is copied: the app may reuse its buffer once send() returned.
    peer.queue.push(typeof frame === 'string' ? frame : copy(frame));
    peer.queued += size;
    return true;
  }

  #flush(peer: Peer): void {
    while (peer.queue.length && peer.ch.bufferedAmount <= APP_CHANNEL_LIMITS.reliableHighWater) {
      const frame = peer.queue.shift()!;
      peer.queued -= frameSize(frame);
      if (!trySend(peer.ch, frame)) break;
    }
    this.#wakeDrainers();
  }

  #isDrained(): boolean {
    if (this.#closed) return true;
    for (const peer of this.#peers.values()) {
      if (peer.ch.readyState !== 'open') continue;
      if (peer.queue.length || peer.ch.bufferedAmount > APP_CHANNEL_LIMITS.lowWater) return false;
    }
    return true;
  }

  #wakeDrainers(): void {
    if (!this.#drainWaiters.length || !this.#isDrained()) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function channelInit({ ordered = true, maxRetransmits, maxPacketLifeTime }: AppChannelOptions): RTCDataChannelInit {
  if (maxRetransmits !== undefined && maxPacketLifeTime !== undefined) {
    throw new TypeError('An app channel takes maxRetransmits or maxPacketLifeTime, not both.');
  }
  const init: RTCDataChannelInit = { ordered: !!ordered };
  for (const [key, value] of [
    ['maxRetransmits', maxRetransmits],
    ['maxPacketLifeTime', maxPacketLifeTime],
  ] as const) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > 65535) throw new RangeError(`${key} is an integer from 0 to 65535.`);
    init[key] = value;
  }
  return init;
}

const sameInit = (a: RTCDataChannelInit, b: RTCDataChannelInit) =>
  a.ordered === b.ordered && a.maxRetransmits === b.maxRetransmits && a.maxPacketLifeTime === b.maxPacketLifeTime;

const describe = (init: RTCDataChannelInit) => JSON.stringify(init);

/** The frame for a message: binary as is, strings tagged `s`, anything else JSON tagged `j`. */
function encode(data: AppData): string | ArrayBuffer | ArrayBufferView {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data;
  if (typeof Blob !== 'undefined' && data instanceof Blob) throw new TypeError('Send a Blob as an ArrayBuffer (await blob.arrayBuffer()).');
  if (typeof data === 'string') return TAG.string + data;
  const json = JSON.stringify(data);
  if (json === undefined) throw new TypeError('App channel data must be a string, binary data or a JSON-serialisable value.');
  return TAG.json + json;
}

/** Bytes of a frame (UTF-8 for text, measured only when it could matter). */
function frameSize(frame: string | ArrayBuffer | ArrayBufferView): number {
  if (typeof frame !== 'string') return frame.byteLength;
  if (frame.length * 3 <= APP_CHANNEL_LIMITS.frame) return frame.length; // a lower bound, and surely within the limit
  return new TextEncoder().encode(frame).byteLength;
}

function copy(frame: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  const view = frame instanceof ArrayBuffer ? new Uint8Array(frame) : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  return view.slice().buffer;
}

function trySend(ch: RTCDataChannel, frame: string | ArrayBuffer | ArrayBufferView): boolean {
  try {
    ch.send(frame as string); // one overload per type in lib.dom
    return true;
  } catch {
    return false; // closing meanwhile
  }
}
