import { store, type ReadableStore } from '../state/store.js';
import { sendError, trySend, type DataHost } from './chat.js';
import { hashJob, type HashJob } from './hash-worker.js';
import { transferErrorText, type TransferError, type TransferErrorCode } from './transfer-errors.js';
import { BLOCK_HASH, TransferHashJob, XXH64, loadTransferHashes, pickTransferHash, transferHashes, type TransferHash } from './transfer-hash.js';
import { CHUNK_HEADER, DATA_LIMITS, FileWireSchema, parseFrame, randomId, sanitizeFileName, type FileWire, type StopReason } from './wire.js';

/**
 * 'pending': waiting for the channel; 'offered': the offer is out and the receiver has not answered
 * (on the receiving side: waiting for accept() or decline()); 'declined': the receiver said no, or
 * did not answer in time (nothing was transferred).
 */
export type TransferState = 'pending' | 'offered' | 'sending' | 'receiving' | 'done' | 'cancelled' | 'declined' | 'failed';

/** One file transfer as the `transfers` store shows it (an immutable snapshot). */
export interface Transfer {
  /** Local id, for cancel() and dismiss(). */
  id: string;
  direction: 'send' | 'receive';
  /** The receivers (send) or the sender (receive). */
  peers: string[];
  /** Their display names when the transfer started. Plain text: render it as text. */
  peerNames: string[];
  /** Sanitised file name, safe as a download name. Render it as text. */
  name: string;
  /** Size in bytes, as announced. */
  size: number;
  /** MIME type as announced (informative only; '' if none or malformed). */
  mime: string;
  /** Bytes sent or received so far (for several receivers, the slowest one's). */
  bytes: number;
  /** Bytes per second, smoothed; 0 until measured. */
  rate: number;
  /** Seconds left at the current rate, or null when unknown. */
  eta: number | null;
  state: TransferState;
  /** The received file, once every byte arrived and its checksum matched (receive only). */
  blob?: Blob;
  /** An object URL of `blob`, revoked by dismiss() and clear(). */
  url?: string;
  /** Why it failed, or which receivers it did not reach (English). */
  error?: string;
  /** The same as a code with the values it names, for an element to word in its language. */
  errorInfo?: TransferError;
  /** When it started (ms since the epoch). */
  startedAt: number;
}

export interface FileTransferEvents {
  /** A peer offers us a file (`state` 'offered'): accept() or decline() it (unless auto-accepted: then 'receiving'). */
  'file-offered': (transfer: Transfer) => void;
  /** Bytes moved on a transfer (throttled, about ten times a second, and always at 100 %). */
  'transfer-progress': (transfer: Transfer) => void;
  /** A file arrived whole and its checksum matched. */
  'file-received': (transfer: Transfer) => void;
  /** A file we sent was received and verified by at least one receiver (and every receiver is done). */
  'file-sent': (transfer: Transfer) => void;
  /** A transfer ended without success: `state` is 'cancelled', 'declined' or 'failed', `error` says why. */
  'transfer-failed': (transfer: Transfer) => void;
}

/** Which offers are accepted without asking: 'none' (default), 'all', or those of at most this many bytes. */
export type AutoAccept = 'none' | 'all' | number;

/** What we take without asking, and what we refuse outright (can change during a call: setPolicy()). */
export interface FilePolicy {
  /** Offers accepted at once, without accept(); default 'none' (every offer waits for accept() or decline()). */
  autoAccept?: AutoAccept;
  /** Offers of larger files are refused outright ('too-large'); default 4 GiB. */
  maxFileSize?: number;
}

export interface FileTransfersOptions extends FilePolicy {
  /** An offer not answered within this many ms is withdrawn (both sides say so); default 60 s. */
  offerTimeoutMs?: number;
  /** Offers one peer may have waiting for our answer; more are declined at once ('throttled'). Default 4. */
  maxPendingOffers?: number;
  /** Offers one peer may make in a minute; more are declined at once ('throttled'). Default 20. */
  offersPerMinute?: number;
  /** Bytes of file data per message, header excluded; capped by the connection's sctp.maxMessageSize. Default 256 KiB. */
  chunkSize?: number;
  /** Queue no more while the channel's bufferedAmount is above this; default 1 MiB. */
  highWaterMark?: number;
  /**
   * Resume when bufferedAmount falls to this (bufferedAmountLowThreshold); default 512 KiB: what
   * is left keeps the channel busy while a busy page gets round to the event.
   */
  lowWaterMark?: number;
  /**
   * Gather received files in a Web Worker, off the page's main thread; with a peer that can use
   * neither XXH64 nor the block hash (before P2P 1.11, or no WebAssembly and no WebCrypto), hash
   * files there too, both ways. Default true. Where no worker can start (e.g. a Content-Security-Policy
   * without `worker-src blob:`) it happens on the main thread, as with false.
   */
  hashInWorker?: boolean;
}

type Emit = <K extends keyof FileTransferEvents>(event: K, ...args: Parameters<FileTransferEvents[K]>) => void;

/** Bytes read from the file at a time; sent as several chunks. */
const READ_BLOCK = 1024 * 1024;
/** Files smaller than this are hashed on the main thread (some 40 ms of work in all, less than starting a worker). */
const WORKER_MIN_SIZE = 8 * 1024 * 1024;
/** The sender reads no further while the worker has more than this left to hash. */
const HASH_BACKLOG = 8 * 1024 * 1024;
/**
 * The same for the block hash (XXH64 has no backlog): digests not yet resolved (WebCrypto's queue,
 * which chat's signatures share) may not pile up beyond this.
 */
const BLOCK_BACKLOG = 1024 * 1024;
/** How often progress is published. */
const PUBLISH_MS = 100;
/** Finished transfers kept in the store; older ones are dismissed. */
const KEEP_ENDED = 100;
/** The sender waits this much longer than its offer timeout: the receiver's own 'expired' normally decides first. */
const OFFER_GRACE_MS = 5000;
const ENDED = new Set<string>(['done', 'cancelled', 'declined', 'failed']);

interface Base {
  id: string;
  n: number;
  name: string;
  size: number;
  mime: string;
  state: TransferState;
  error?: TransferError;
  startedAt: number;
  peerNames: string[];
  rate: number;
  lastT: number;
  lastBytes: number;
  reported: number;
  /** Last published state (a state change is published even when no byte moved). */
  reportedState?: TransferState;
}
interface Leg {
  peer: string;
  bytes: number;
  state: 'pending' | 'offered' | 'sending' | 'sent' | 'done' | 'cancelled' | 'declined' | 'failed';
  error?: TransferError;
  /** Withdraws the offer when the receiver does not answer in time. */
  timer?: ReturnType<typeof setTimeout>;
  /** The hash the receiver chose in its `accept` (P2P 1.11), or undefined: the whole file's SHA-256. */
  hash?: TransferHash;
}
interface Outgoing extends Base {
  direction: 'send';
  file?: Blob;
  legs: Map<string, Leg>;
}
interface Incoming extends Base {
  direction: 'receive';
  peer: string;
  bytes: number;
  /** Hashes the received bytes and gathers them into a Blob; undefined once ended. */
  job?: HashJob;
  /** `end` arrived and the hash is being finished. */
  verifying: boolean;
  /** The hashes the sender offered besides the whole file's SHA-256. */
  offeredHashes: string[];
  /** The one of them we chose in `accept`, or undefined: the whole file's SHA-256. */
  hash?: TransferHash;
  /** Withdraws an offer we did not answer in time. */
  timer?: ReturnType<typeof setTimeout>;
  blob?: Blob;
  url?: string;
}
type Rec = Outgoing | Incoming;
interface Peer {
  ch: RTCDataChannel;
  maxMessageSize: () => number | undefined;
}

/**
 * Peer-to-peer file transfer over each peer connection's `files` data channel (negotiated id 3,
 * ordered, reliable), separate from chat so a transfer never holds messages up. Several transfers
 * share the channel: every binary frame starts with the sender's 4-byte transfer number.
 *
 * Nothing moves without the receiver's consent: the sender offers (name, size, type) and sends no
 * byte until the receiver accepts (accept(), or an auto-accept policy); a declined offer, or one
 * not answered within a minute, transfers nothing. Offers above the receiver's size limit are
 * refused outright, and a peer making too many offers is throttled (declined at once).
 *
 * The sender reads the file in slices as it goes (never the whole file), sends it in messages as
 * large as the connection allows (256 KiB), keeps the channel's bufferedAmount between two marks,
 * refilling on `bufferedamountlow`, hashes as it goes, and sends the hash at the end. The receiver
 * copies what arrives into a 4 MiB stage that becomes a Blob part when full (made on a Web
 * Worker, hash-worker.ts, where one can run; nothing else is kept), hashes as it goes, refuses
 * more bytes than announced, and only offers the file once its hash matches. The hash is XXH64
 * (in WebAssembly) or else the block hash (WebCrypto) when both ends can use it (transfer-hash.ts),
 * else the whole file's SHA-256 (in JavaScript: on the worker on both sides where one can run).
 */
export class FileTransfers {
  readonly #transfers = store<Transfer[]>([]);
  readonly #recs = new Map<string, Rec>();
  readonly #outgoing = new Map<number, Outgoing>();
  /** Incoming by `${peer}/${n}`, only while receiving. */
  readonly #incoming = new Map<string, Incoming>();
  /** Offers waiting for our answer, by `${peer}/${n}`. */
  readonly #offers = new Map<string, Incoming>();
  /** When each peer made its recent offers (the last minute), for throttling. */
  readonly #offerTimes = new Map<string, number[]>();
  readonly #peers = new Map<string, Peer>();
  readonly #settled = new Map<string, ((t: Transfer) => void)[]>();
  readonly #host: DataHost;
  readonly #emit: Emit;
  #o: Required<FileTransfersOptions>;
  #refused = 0;
  #nextN = 1;
  #timer?: ReturnType<typeof setTimeout>;

  /** Every transfer, both directions, in the order they started. */
  readonly transfers: ReadableStore<Transfer[]> = this.#transfers;

  constructor(host: DataHost, emit: Emit, options: FileTransfersOptions = {}) {
    this.#host = host;
    this.#emit = emit;
    this.#o = {
      maxFileSize: DATA_LIMITS.fileSize,
      chunkSize: 256 * 1024,
      highWaterMark: 1024 * 1024,
      lowWaterMark: 512 * 1024,
      hashInWorker: true,
      autoAccept: 'none',
      offerTimeoutMs: DATA_LIMITS.offerTimeoutMs,
      maxPendingOffers: DATA_LIMITS.pendingOffersPerPeer,
      offersPerMinute: DATA_LIMITS.offersPerMinute,
      ...definedOnly(options),
    };
  }

  /** What we accept without asking and the largest file we take; applies to offers from now on. */
  setPolicy(policy: FilePolicy): void {
    this.#o = { ...this.#o, ...definedOnly(policy) };
  }

  /** The current policy. */
  get policy(): Required<FilePolicy> {
    return { autoAccept: this.#o.autoAccept, maxFileSize: this.#o.maxFileSize };
  }

  /** Offers refused without asking so far (too large, throttled, busy): diagnostics. */
  get refusedOffers(): number {
    return this.#refused;
  }

  /** Accept a file a peer offered (state 'offered'): the sender starts sending it. No-op otherwise. */
  async accept(id: string): Promise<void> {
    await loadTransferHashes(); // first use: compiled now, not at start-up for pages that never share files
    const rec = this.#recs.get(id);
    if (!rec || rec.direction !== 'receive' || rec.state !== 'offered') return;
    const key = `${rec.peer}/${rec.n}`;
    if (this.#offers.get(key) !== rec) return;
    if (this.#running(rec.peer) >= DATA_LIMITS.incomingPerPeer) {
      this.#sendTo(rec.peer, { t: 'stop', n: rec.n, reason: 'busy' });
      return this.#endIncoming(rec, 'failed', { code: 'too-many-from', name: rec.peerNames[0] });
    }
    clearTimeout(rec.timer);
    this.#offers.delete(key);
    rec.state = 'receiving';
    rec.hash = pickTransferHash(rec.offeredHashes);
    rec.job = this.#hashJob(rec.size, true, rec.hash);
    rec.lastT = performance.now();
    this.#incoming.set(key, rec);
    this.#sendTo(rec.peer, rec.hash ? { t: 'accept', n: rec.n, hash: rec.hash } : { t: 'accept', n: rec.n });
    this.#progress(rec, true);
  }

  /** Decline a file a peer offered: nothing is transferred, and the sender sees "declined". */
  async decline(id: string): Promise<void> {
    const rec = this.#recs.get(id);
    if (!rec || rec.direction !== 'receive' || rec.state !== 'offered') return;
    this.#sendTo(rec.peer, { t: 'stop', n: rec.n, reason: 'declined' });
    this.#endIncoming(rec, 'declined', { code: 'you-declined' });
  }

  /**
   * Send a file (a File, or any Blob with an optional `name`) to everyone in the call, or to the
   * participant `to`. Resolves at once with the new transfer; follow it in `transfers` or with
   * settled(). Rejects with a RangeError when there is nobody to send to (`code`: 'nobody-else', 'not-in-call').
   */
  async send(file: Blob & { name?: string }, options: { to?: string } = {}): Promise<Transfer> {
    await loadTransferHashes();
    const peers = options.to === undefined ? this.#host.peers() : [options.to];
    if (options.to !== undefined && !this.#host.peers().includes(options.to)) throw sendError('not-in-call', 'That participant is not in the call.');
    if (!peers.length) throw sendError('nobody-else', 'Nobody else is in the call.');
    const rec: Outgoing = {
      ...this.#base(randomId(), this.#number(), sanitizeFileName(file.name ?? ''), file.size, file.type, peers),
      direction: 'send',
      state: 'pending',
      file,
      legs: new Map(peers.map((peer) => [peer, { peer, bytes: 0, state: 'pending' }])),
    };
    this.#outgoing.set(rec.n, rec);
    this.#recs.set(rec.id, rec);
    for (const peer of peers) this.#startLeg(rec, peer);
    this.#publish();
    return this.#snapshot(rec);
  }

  /** Cancel a transfer in either direction; the other side hears of it. No-op once it ended. */
  async cancel(id: string): Promise<void> {
    const rec = this.#recs.get(id);
    if (!rec || ENDED.has(rec.state)) return;
    if (rec.direction === 'receive') {
      if (rec.state === 'offered') return this.decline(id);
      this.#sendTo(rec.peer, { t: 'stop', n: rec.n, reason: 'cancelled' });
      this.#endIncoming(rec, 'cancelled', { code: 'you-cancelled' });
    } else {
      for (const leg of rec.legs.values()) {
        if (leg.state === 'offered' || leg.state === 'sending' || leg.state === 'sent') this.#sendTo(leg.peer, { t: 'cancel', n: rec.n });
        clearTimeout(leg.timer);
        if (!ENDED.has(leg.state)) leg.state = 'cancelled';
      }
      this.#finishOutgoing(rec, 'cancelled', { code: 'you-cancelled' });
    }
  }

  /** Resolves with the transfer once it is done, cancelled or failed. */
  settled(id: string): Promise<Transfer> {
    const rec = this.#recs.get(id);
    if (!rec) return Promise.reject(new RangeError('No such transfer.'));
    if (ENDED.has(rec.state)) return Promise.resolve(this.#snapshot(rec));
    return new Promise((resolve) => this.#settled.set(id, [...(this.#settled.get(id) ?? []), resolve]));
  }

  /** Remove an ended transfer from the store and revoke its URL (cancels it first if running). */
  async dismiss(id: string): Promise<void> {
    const rec = this.#recs.get(id);
    if (!rec) return;
    await this.cancel(id);
    if (rec.direction === 'receive' && rec.url) URL.revokeObjectURL(rec.url);
    this.#recs.delete(id);
    this.#publish();
  }

  /** Dismiss every ended transfer. */
  async clear(): Promise<void> {
    for (const rec of [...this.#recs.values()]) if (ENDED.has(rec.state)) await this.dismiss(rec.id);
  }

  /** Received bytes held in memory for transfers still running (diagnostics, tests): 0 when nothing is being received. */
  heldBytes(): number {
    let n = 0;
    for (const rec of this.#incoming.values()) n += rec.bytes;
    return n;
  }

  /** @internal The session hands over a peer's `files` channel as soon as it exists. */
  attach(peerId: string, ch: RTCDataChannel, maxMessageSize: () => number | undefined = () => undefined): void {
    this.#peers.set(peerId, { ch, maxMessageSize });
    ch.binaryType = 'arraybuffer';
    ch.bufferedAmountLowThreshold = this.#o.lowWaterMark;
    const kick = () => {
      for (const rec of this.#outgoing.values()) if (rec.legs.get(peerId)?.state === 'pending') this.#startLeg(rec, peerId);
    };
    if (ch.readyState === 'open') kick();
    else ch.addEventListener('open', kick, { once: true });
    ch.addEventListener('message', ({ data }) => {
      try {
        this.#onMessage(peerId, data);
      } catch {
        // a broken frame must not take the channel down
      }
    });
    ch.addEventListener('close', () => this.#peers.get(peerId)?.ch === ch && this.detach(peerId));
  }

  /**
   * @internal The peer left, or its channel closed, or we left (`reason` says so): its transfers
   * fail and their memory is freed.
   */
  detach(peerId: string, reason?: TransferError): void {
    this.#peers.delete(peerId);
    const name = this.#host.nameOf(peerId) ?? 'Guest';
    for (const rec of [...this.#incoming.values(), ...this.#offers.values()]) {
      if (rec.peer === peerId) this.#endIncoming(rec, 'failed', reason ?? { code: 'peer-left', name: rec.peerNames[0] });
    }
    this.#offerTimes.delete(peerId);
    for (const rec of [...this.#outgoing.values()]) {
      const leg = rec.legs.get(peerId);
      if (leg && !ENDED.has(leg.state)) this.#endLeg(rec, leg, 'failed', reason ?? { code: 'peer-left', name });
    }
  }

  /** The next transfer number: a uint32 other than 0, not in use. */
  #number(): number {
    let n = this.#nextN;
    while (this.#outgoing.has(n)) n = n >= 0xffffffff ? 1 : n + 1;
    this.#nextN = n >= 0xffffffff ? 1 : n + 1;
    return n;
  }

  #base(id: string, n: number, name: string, size: number, mime: string, peers: string[]): Base {
    const now = Date.now();
    return {
      id,
      n,
      name,
      size,
      mime,
      state: 'pending',
      startedAt: now,
      peerNames: peers.map((p) => this.#host.nameOf(p) ?? 'Guest'),
      rate: 0,
      lastT: performance.now(),
      lastBytes: 0,
      reported: -1,
    };
  }

  // ---- sending ----

  /** Offer the file to one receiver once its channel is open; the data waits for its `accept`. */
  #startLeg(rec: Outgoing, peerId: string): void {
    const leg = rec.legs.get(peerId);
    const peer = this.#peers.get(peerId);
    if (!leg || leg.state !== 'pending' || !rec.file || peer?.ch.readyState !== 'open') return;
    leg.state = 'offered';
    if (rec.state === 'pending') rec.state = 'offered';
    this.#sendTo(peerId, { t: 'offer', n: rec.n, name: rec.name, size: rec.size, mime: rec.mime, hashes: transferHashes() });
    leg.timer = setTimeout(() => {
      if (leg.state !== 'offered') return;
      this.#sendTo(peerId, { t: 'cancel', n: rec.n });
      this.#endLeg(rec, leg, 'declined', { code: 'peer-expired', name: this.#host.nameOf(peerId) });
    }, this.#o.offerTimeoutMs + OFFER_GRACE_MS);
    this.#progress(rec, true);
  }

  /** The receiver accepted: now the bytes go. */
  #sendLeg(rec: Outgoing, leg: Leg): void {
    const peerId = leg.peer;
    const peer = this.#peers.get(peerId);
    if (leg.state !== 'offered' || !rec.file || peer?.ch.readyState !== 'open') return;
    clearTimeout(leg.timer);
    leg.state = 'sending';
    rec.state = 'sending';
    this.#progress(rec, true);
    void this.#pump(rec, leg, peer).catch((err) => {
      if (leg.state !== 'sending') return;
      this.#sendTo(peerId, { t: 'cancel', n: rec.n });
      this.#endLeg(rec, leg, 'failed', { code: 'send-failed', detail: (err instanceof Error && err.message) || undefined });
    });
  }

  async #pump(rec: Outgoing, leg: Leg, { ch, maxMessageSize }: Peer): Promise<void> {
    const file = rec.file!;
    const size = file.size;
    const chunk = Math.max(1024, Math.min(this.#o.chunkSize, (maxMessageSize() ?? 65536) - CHUNK_HEADER));
    const hasher = this.#hashJob(size, false, leg.hash);
    const read = (at: number) => {
      const p = file.slice(at, Math.min(size, at + READ_BLOCK)).arrayBuffer();
      p.catch(() => undefined); // read ahead: awaited below unless the leg ends first
      return p;
    };
    const active = () => leg.state === 'sending';
    try {
      let next = size ? read(0) : undefined;
      /** The frame being filled, its file bytes so far, and the file bytes given to frames. */
      let frame: Uint8Array<ArrayBuffer> | undefined;
      let filled = 0;
      let framed = 0;
      for (let at = 0; at < size;) {
        const block = new Uint8Array(await next!);
        if (!active()) return;
        if (!block.length || at + block.length > size) throw new Error('the file could not be read');
        at += block.length;
        next = at < size ? read(at) : undefined;
        // Every frame carries `chunk` bytes (the last one the rest), across read blocks: a limit
        // just under a block's quarter (Chromium's 256 KiB) would otherwise add a tiny fifth frame per block.
        for (let p = 0; p < block.length;) {
          if (!frame) {
            if (ch.bufferedAmount > this.#o.highWaterMark) await drained(ch);
            if (!active()) return;
            frame = new Uint8Array(CHUNK_HEADER + Math.min(chunk, size - framed));
            new DataView(frame.buffer).setUint32(0, rec.n);
            framed += frame.length - CHUNK_HEADER;
            filled = 0;
          }
          const n = Math.min(frame.length - CHUNK_HEADER - filled, block.length - p);
          frame.set(block.subarray(p, p + n), CHUNK_HEADER + filled);
          filled += n;
          p += n;
          if (CHUNK_HEADER + filled === frame.length) {
            ch.send(frame);
            frame = undefined;
            leg.bytes += filled;
            this.#progress(rec);
          }
        }
        // The frames are copies: the block itself goes to the hash (XXH64 at once, WebCrypto, which
        // copies it, or the worker, which takes it), which may not fall far behind.
        hasher.update(block);
        const backlog = leg.hash ? BLOCK_BACKLOG : HASH_BACKLOG;
        if (hasher.pending > backlog) await hasher.below(backlog / 2);
      }
      const { digest } = await hasher.finish();
      if (!active()) return;
      this.#sendTo(leg.peer, endMessage(rec.n, leg.hash, digest));
      leg.state = 'sent'; // until the receiver confirms the hash
      this.#progress(rec);
    } finally {
      hasher.drop(); // frees the worker's part when the leg ended early; nothing once finished
    }
  }

  /**
   * A hash job: the hash the receiver chose (XXH64 or the block hash), else the whole file's
   * SHA-256. For files of some size the worker (when allowed) makes the received Blob, and
   * computes the whole-file SHA-256.
   */
  #hashJob(size: number, keep: boolean, hash: TransferHash | undefined): HashJob {
    const worker = this.#o.hashInWorker && size >= WORKER_MIN_SIZE;
    // These two run here (XXH64 in WebAssembly, the block hash in WebCrypto, which in Chromium also
    // runs on this thread): the worker only makes the received Blob.
    if (hash) return new TransferHashJob(hash, keep, keep && worker ? hashJob({ keep, worker, hash: false }) : undefined);
    return hashJob({ keep, worker });
  }

  #endLeg(rec: Outgoing, leg: Leg, state: 'done' | 'cancelled' | 'declined' | 'failed', error?: TransferError): void {
    clearTimeout(leg.timer);
    leg.state = state;
    leg.error = error;
    const legs = [...rec.legs.values()];
    if (legs.some((l) => !ENDED.has(l.state))) {
      if (rec.state === 'offered' && !legs.some((l) => l.state === 'offered' || l.state === 'pending')) rec.state = 'sending';
      return this.#progress(rec, true);
    }
    const done = legs.filter((l) => l.state === 'done').length;
    const missed = legs.filter((l) => l.state !== 'done');
    const why: TransferError | undefined =
      missed.length === 1 ? missed[0].error : missed.length ? { code: 'not-delivered', missed: missed.length, total: legs.length } : undefined;
    const end = done ? 'done' : legs.some((l) => l.state === 'cancelled') ? 'cancelled' : legs.every((l) => l.state === 'declined') ? 'declined' : 'failed';
    this.#finishOutgoing(rec, end, why);
  }

  #finishOutgoing(rec: Outgoing, state: 'done' | 'cancelled' | 'declined' | 'failed', error?: TransferError): void {
    rec.state = state;
    rec.error = error;
    rec.file = undefined;
    this.#outgoing.delete(rec.n);
    this.#ended(rec, state === 'done' ? 'file-sent' : 'transfer-failed');
  }

  // ---- receiving ----

  #onMessage(peerId: string, data: unknown): void {
    if (typeof data === 'string') {
      const msg = parseFrame(FileWireSchema, data, DATA_LIMITS.fileFrame);
      if (msg) this.#onControl(peerId, msg);
      return;
    }
    if (!(data instanceof ArrayBuffer) || data.byteLength < CHUNK_HEADER) return;
    const rec = this.#incoming.get(`${peerId}/${new DataView(data).getUint32(0)}`);
    if (!rec) return; // cancelled, refused or never offered: in-flight data is dropped
    const part = new Uint8Array(data, CHUNK_HEADER);
    if (rec.bytes + part.length > rec.size) return this.#refuse(rec, 'too-large', { code: 'overrun' });
    rec.bytes += part.length;
    // Hashed and kept by the job (the ArrayBuffer moves to the worker: no copy here).
    rec.job!.update(part);
    this.#progress(rec, rec.bytes === rec.size);
  }

  #onControl(peerId: string, msg: FileWire): void {
    const key = `${peerId}/${msg.n}`;
    switch (msg.t) {
      case 'offer': {
        if (this.#incoming.has(key) || this.#offers.has(key)) return; // a number in use: ignore the impostor
        // Throttle first: every offer counts, refused or not, so a flood stays refused.
        const now = performance.now();
        const times = (this.#offerTimes.get(peerId) ?? []).filter((t) => now - t < 60_000);
        times.push(now);
        this.#offerTimes.set(peerId, times);
        const pending = [...this.#offers.values()].filter((r) => r.peer === peerId).length;
        const refuse = (reason: StopReason) => {
          this.#refused++;
          this.#sendTo(peerId, { t: 'stop', n: msg.n, reason });
        };
        if (times.length > this.#o.offersPerMinute || pending >= this.#o.maxPendingOffers) return refuse('throttled');
        if (msg.size > this.#o.maxFileSize) return refuse('too-large');
        if (this.#running(peerId) >= DATA_LIMITS.incomingPerPeer) return refuse('busy');
        const rec: Incoming = {
          ...this.#base(randomId(), msg.n, msg.name, msg.size, msg.mime, [peerId]),
          direction: 'receive',
          state: 'offered',
          peer: peerId,
          bytes: 0,
          verifying: false,
          offeredHashes: msg.hashes,
        };
        this.#offers.set(key, rec);
        this.#recs.set(rec.id, rec);
        rec.timer = setTimeout(() => {
          if (this.#offers.get(key) !== rec) return;
          this.#sendTo(peerId, { t: 'stop', n: msg.n, reason: 'expired' });
          this.#endIncoming(rec, 'declined', { code: 'not-accepted' });
        }, this.#o.offerTimeoutMs);
        this.#trim();
        this.#progress(rec, true);
        this.#emit('file-offered', this.#snapshot(rec));
        const auto = this.#o.autoAccept;
        if (auto === 'all' || (typeof auto === 'number' && msg.size <= auto)) void this.accept(rec.id);
        return;
      }
      case 'accept': {
        const rec = this.#outgoing.get(msg.n);
        const leg = rec?.legs.get(peerId);
        if (!rec || !leg || leg.state !== 'offered') return;
        // Only what we offered (we offer only what we can compute).
        leg.hash = transferHashes().find((h) => h === msg.hash);
        this.#sendLeg(rec, leg);
        return;
      }
      case 'end': {
        const rec = this.#incoming.get(key);
        if (!rec || rec.verifying) return;
        if (rec.bytes !== rec.size) return this.#refuse(rec, 'error', { code: 'incomplete' });
        // The hash we asked for in `accept` (the job computed that one).
        const expected = rec.hash === XXH64 ? msg.xxh64 : rec.hash === BLOCK_HASH ? msg.sha256Blocks : msg.sha256;
        if (!expected) return this.#refuse(rec, 'error', { code: 'no-hash' });
        rec.verifying = true;
        const job = rec.job!;
        void job.finish().then(
          ({ digest, blob }) => {
            if (this.#incoming.get(key) !== rec) return; // cancelled or failed meanwhile
            if (digest !== expected) return this.#refuse(rec, 'mismatch', { code: 'damaged' });
            // application/octet-stream whatever was announced: opened from its blob: URL, an HTML or
            // SVG file from a stranger would otherwise run in this page's origin.
            rec.blob = new Blob(blob ? [blob] : [], { type: 'application/octet-stream' });
            rec.url = URL.createObjectURL(rec.blob);
            this.#sendTo(peerId, { t: 'done', n: msg.n });
            this.#endIncoming(rec, 'done');
          },
          () => this.#incoming.get(key) === rec && this.#refuse(rec, 'error', { code: 'check-failed' }),
        );
        return;
      }
      case 'cancel': {
        const rec = this.#incoming.get(key) ?? this.#offers.get(key);
        if (rec) this.#endIncoming(rec, 'cancelled', { code: rec.state === 'offered' ? 'peer-withdrew' : 'peer-cancelled', name: rec.peerNames[0] });
        return;
      }
      case 'done':
      case 'stop': {
        const rec = this.#outgoing.get(msg.n);
        const leg = rec?.legs.get(peerId);
        if (!rec || !leg || ENDED.has(leg.state)) return;
        if (msg.t === 'done') {
          if (leg.state === 'sent') this.#endLeg(rec, leg, 'done');
          return;
        }
        const name = this.#host.nameOf(peerId);
        const why: Record<StopReason, TransferErrorCode> = {
          cancelled: 'peer-cancelled',
          'too-large': 'too-large',
          busy: 'peer-busy',
          mismatch: 'peer-damaged',
          error: 'peer-error',
          declined: 'peer-declined',
          expired: 'peer-expired',
          throttled: 'peer-throttled',
        };
        const state = msg.reason === 'cancelled' ? 'cancelled' : msg.reason === 'declined' || msg.reason === 'expired' ? 'declined' : 'failed';
        // A refusal ends only an offer; once sending, only a stop that makes sense mid-transfer.
        if ((msg.reason === 'declined' || msg.reason === 'expired') && leg.state !== 'offered') return;
        this.#endLeg(rec, leg, state, { code: why[msg.reason], name });
      }
    }
  }

  /** Stop receiving because the sender misbehaved, and tell it. */
  #refuse(rec: Incoming, reason: StopReason, error: TransferError): void {
    this.#sendTo(rec.peer, { t: 'stop', n: rec.n, reason });
    this.#endIncoming(rec, 'failed', error);
  }

  #endIncoming(rec: Incoming, state: 'done' | 'cancelled' | 'declined' | 'failed', error?: TransferError): void {
    clearTimeout(rec.timer);
    rec.state = state;
    rec.error = error;
    // Free everything received: only a verified Blob stays.
    rec.job?.drop();
    rec.job = undefined;
    const key = `${rec.peer}/${rec.n}`;
    if (this.#incoming.get(key) === rec) this.#incoming.delete(key);
    if (this.#offers.get(key) === rec) this.#offers.delete(key);
    this.#ended(rec, state === 'done' ? 'file-received' : 'transfer-failed');
  }

  /** Transfers from `peerId` being received now. */
  #running(peerId: string): number {
    let n = 0;
    for (const r of this.#incoming.values()) if (r.peer === peerId) n++;
    return n;
  }

  // ---- shared ----

  #sendTo(peerId: string, msg: FileWire): void {
    const ch = this.#peers.get(peerId)?.ch;
    if (ch?.readyState === 'open') trySend(ch, JSON.stringify(msg));
  }

  #ended(rec: Rec, event: 'file-received' | 'file-sent' | 'transfer-failed'): void {
    this.#progress(rec, true);
    const snap = this.#snapshot(rec);
    this.#emit(event, snap);
    for (const resolve of this.#settled.get(rec.id) ?? []) resolve(snap);
    this.#settled.delete(rec.id);
    this.#trim();
  }

  /** Keep at most KEEP_ENDED finished transfers (a peer could send thousands of tiny files). */
  #trim(): void {
    const ended = [...this.#recs.values()].filter((r) => ENDED.has(r.state));
    for (const rec of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) {
      if (rec.direction === 'receive' && rec.url) URL.revokeObjectURL(rec.url);
      this.#recs.delete(rec.id);
    }
  }

  #bytes(rec: Rec): number {
    if (rec.direction === 'receive') return rec.bytes;
    const legs = [...rec.legs.values()];
    // The slowest receiver that is taking it (one still deciding does not hold the others' progress back).
    const moving = legs.filter((l) => l.state === 'sending' || l.state === 'sent' || l.state === 'done');
    const live = legs.filter((l) => l.state !== 'cancelled' && l.state !== 'failed' && l.state !== 'declined');
    return Math.min(...(moving.length ? moving : live.length ? live : legs).map((l) => l.bytes));
  }

  /** Note progress: the store and 'transfer-progress' follow at most every PUBLISH_MS, or now when `now`. */
  #progress(rec: Rec, now = false): void {
    if (now || this.#bytes(rec) === rec.size) this.#publish();
    else this.#timer ??= setTimeout(() => this.#publish(), PUBLISH_MS);
  }

  #publish(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const t = performance.now();
    const changed: Rec[] = [];
    for (const rec of this.#recs.values()) {
      const bytes = this.#bytes(rec);
      const dt = t - rec.lastT;
      if (dt >= 250 && !ENDED.has(rec.state)) {
        const rate = ((bytes - rec.lastBytes) * 1000) / dt;
        rec.rate = rec.rate ? rec.rate * 0.6 + rate * 0.4 : rate;
        rec.lastT = t;
        rec.lastBytes = bytes;
      }
      if (bytes !== rec.reported || rec.state !== rec.reportedState) {
        rec.reported = bytes;
        rec.reportedState = rec.state;
        changed.push(rec);
      }
    }
    this.#transfers.set([...this.#recs.values()].map((r) => this.#snapshot(r)));
    for (const rec of changed) this.#emit('transfer-progress', this.#snapshot(rec));
  }

  #snapshot(rec: Rec): Transfer {
    const bytes = this.#bytes(rec);
    const ended = ENDED.has(rec.state);
    const t: Transfer = {
      id: rec.id,
      direction: rec.direction,
      peers: rec.direction === 'send' ? [...rec.legs.keys()] : [rec.peer],
      peerNames: rec.peerNames,
      name: rec.name,
      size: rec.size,
      mime: rec.mime,
      bytes,
      rate: ended ? 0 : rec.rate,
      eta: ended ? 0 : rec.rate > 0 ? (rec.size - bytes) / rec.rate : null,
      state: rec.state,
      startedAt: rec.startedAt,
    };
    if (rec.error) {
      t.error = transferErrorText(rec.error);
      t.errorInfo = { ...rec.error };
    }
    if (rec.direction === 'receive' && rec.blob) {
      t.blob = rec.blob;
      t.url = rec.url;
    }
    return t;
  }
}

/** Resolves when the channel's buffer has drained to its low-water mark (or it closed). */
function drained(ch: RTCDataChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      ch.removeEventListener('bufferedamountlow', done);
      ch.removeEventListener('close', done);
      resolve();
    };
    ch.addEventListener('bufferedamountlow', done);
    ch.addEventListener('close', done);
  });
}

/** The sender's `end`: the digest in the field of the hash the receiver chose. */
function endMessage(n: number, hash: TransferHash | undefined, digest: string): FileWire {
  if (hash === XXH64) return { t: 'end', n, xxh64: digest };
  if (hash === BLOCK_HASH) return { t: 'end', n, sha256Blocks: digest };
  return { t: 'end', n, sha256: digest };
}

/** `o` without its undefined fields (so that they do not override defaults). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A policy from element attributes: `autoAccept` is 'none', 'all' or a number of bytes (offers up
 * to that size are accepted without asking); `maxSize` a number of bytes (larger offers are
 * refused outright). Anything else leaves that part of the policy at its default.
 */
export function parseFilePolicy(autoAccept?: string | null, maxSize?: string | number | null): FilePolicy {
  const policy: FilePolicy = {};
  const auto = autoAccept?.trim().toLowerCase();
  if (auto === 'none' || auto === 'all') policy.autoAccept = auto;
  else if (auto && /^\d+$/.test(auto)) policy.autoAccept = Number(auto);
  const max = typeof maxSize === 'string' && /^\s*\d+\s*$/.test(maxSize) ? Number(maxSize) : maxSize;
  if (typeof max === 'number' && Number.isSafeInteger(max) && max >= 0) policy.maxFileSize = max;
  return policy;
}
