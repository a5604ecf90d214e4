import { store, type ReadableStore } from '../state/store.js';
import { trySend, type DataHost } from './chat.js';
import { hashJob, type HashJob } from './hash-worker.js';
import { CHUNK_HEADER, DATA_LIMITS, FileWireSchema, parseFrame, randomId, sanitizeFileName, type FileWire, type StopReason } from './wire.js';

export type TransferState = 'pending' | 'sending' | 'receiving' | 'done' | 'cancelled' | 'failed';

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
  /** The received file, once every byte arrived and its SHA-256 matched (receive only). */
  blob?: Blob;
  /** An object URL of `blob`, revoked by dismiss() and clear(). */
  url?: string;
  /** Why it failed, or which receivers it did not reach. */
  error?: string;
  /** When it started (ms since the epoch). */
  startedAt: number;
}

export interface FileTransferEvents {
  /** Bytes moved on a transfer (throttled, about ten times a second, and always at 100 %). */
  'transfer-progress': (transfer: Transfer) => void;
  /** A file arrived whole and its SHA-256 matched. */
  'file-received': (transfer: Transfer) => void;
  /** A file we sent was received and verified by at least one receiver (and every receiver is done). */
  'file-sent': (transfer: Transfer) => void;
  /** A transfer ended without success: `state` is 'cancelled' or 'failed', `error` says why. */
  'transfer-failed': (transfer: Transfer) => void;
}

export interface FileTransfersOptions {
  /** Largest file we accept (announced size); default 4 GiB. */
  maxFileSize?: number;
  /** Bytes of file data per message, header excluded; capped by the connection's sctp.maxMessageSize. Default 64 KiB. */
  chunkSize?: number;
  /** Queue no more while the channel's bufferedAmount is above this; default 256 KiB (more only delays chat: the channels share one SCTP association). */
  highWaterMark?: number;
  /** Resume when bufferedAmount falls to this (bufferedAmountLowThreshold); default 64 KiB. */
  lowWaterMark?: number;
  /**
   * Compute the SHA-256 (and gather received files) in a Web Worker, off the page's main thread;
   * default true. Where no worker can start (e.g. a Content-Security-Policy without
   * `worker-src blob:`) it happens on the main thread, as with false.
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
/** How often progress is published. */
const PUBLISH_MS = 100;
/** Finished transfers kept in the store; older ones are dismissed. */
const KEEP_ENDED = 100;
const ENDED = new Set<string>(['done', 'cancelled', 'failed']);

interface Base {
  id: string;
  n: number;
  name: string;
  size: number;
  mime: string;
  state: TransferState;
  error?: string;
  startedAt: number;
  peerNames: string[];
  rate: number;
  lastT: number;
  lastBytes: number;
  reported: number;
}
interface Leg {
  peer: string;
  bytes: number;
  state: 'pending' | 'sending' | 'sent' | 'done' | 'cancelled' | 'failed';
  error?: string;
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
  blob?: Blob;
  url?: string;
}
type Rec = Outgoing | Incoming;
interface Peer {
  ch: RTCDataChannel;
  maxMessageSize: () => number | undefined;
}

/**
 * Peer-to-peer file transfer over each peer connection's `files` data channel (negotiated id 2,
 * ordered, reliable), separate from chat so a transfer never holds messages up. Several transfers
 * share the channel: every binary frame starts with the sender's 4-byte transfer number.
 *
 * The sender reads the file in slices as it goes (never the whole file), hashes it incrementally,
 * keeps the channel's bufferedAmount under a high-water mark, and sends the SHA-256 at the end. The
 * receiver keeps each received chunk once, moving them into a Blob every 4 MiB, hashes as it
 * goes, refuses more bytes than announced, and only offers the file once its hash matches.
 * Hashing (and, receiving, the Blob) happens in a Web Worker where one can run (hash-worker.ts):
 * the main thread only moves bytes, as a bare data channel would.
 */
export class FileTransfers {
  readonly #transfers = store<Transfer[]>([]);
  readonly #recs = new Map<string, Rec>();
  readonly #outgoing = new Map<number, Outgoing>();
  /** Incoming by `${peer}/${n}`, only while receiving. */
  readonly #incoming = new Map<string, Incoming>();
  readonly #peers = new Map<string, Peer>();
  readonly #settled = new Map<string, ((t: Transfer) => void)[]>();
  readonly #host: DataHost;
  readonly #emit: Emit;
  readonly #o: Required<FileTransfersOptions>;
  #nextN = 1;
  #timer?: ReturnType<typeof setTimeout>;

  /** Every transfer, both directions, in the order they started. */
  readonly transfers: ReadableStore<Transfer[]> = this.#transfers;

  constructor(host: DataHost, emit: Emit, options: FileTransfersOptions = {}) {
    this.#host = host;
    this.#emit = emit;
    this.#o = {
      maxFileSize: DATA_LIMITS.fileSize,
      chunkSize: 64 * 1024,
      highWaterMark: 256 * 1024,
      lowWaterMark: 64 * 1024,
      hashInWorker: true,
      ...options,
    };
  }

  /**
   * Send a file (a File, or any Blob with an optional `name`) to everyone in the call, or to the
   * participant `to`. Resolves at once with the new transfer; follow it in `transfers` or with
   * settled(). Rejects with a RangeError when there is nobody to send to.
   */
  async send(file: Blob & { name?: string }, options: { to?: string } = {}): Promise<Transfer> {
    const peers = options.to === undefined ? this.#host.peers() : [options.to];
    if (options.to !== undefined && !this.#host.peers().includes(options.to)) throw new RangeError('That participant is not in the call.');
    if (!peers.length) throw new RangeError('Nobody else is in the call.');
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
      this.#sendTo(rec.peer, { t: 'stop', n: rec.n, reason: 'cancelled' });
      this.#endIncoming(rec, 'cancelled', 'You cancelled it.');
    } else {
      for (const leg of rec.legs.values()) {
        if (leg.state === 'sending' || leg.state === 'sent') this.#sendTo(leg.peer, { t: 'cancel', n: rec.n });
        if (!ENDED.has(leg.state)) leg.state = 'cancelled';
      }
      this.#finishOutgoing(rec, 'cancelled', 'You cancelled it.');
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
  detach(peerId: string, reason?: string): void {
    this.#peers.delete(peerId);
    const name = this.#host.nameOf(peerId) ?? 'Guest';
    for (const rec of [...this.#incoming.values()]) {
      if (rec.peer === peerId) this.#endIncoming(rec, 'failed', reason ?? `${rec.peerNames[0]} left the call.`);
    }
    for (const rec of [...this.#outgoing.values()]) {
      const leg = rec.legs.get(peerId);
      if (leg && !ENDED.has(leg.state)) this.#endLeg(rec, leg, 'failed', reason ?? `${name} left the call.`);
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

  #startLeg(rec: Outgoing, peerId: string): void {
    const leg = rec.legs.get(peerId);
    const peer = this.#peers.get(peerId);
    if (!leg || leg.state !== 'pending' || !rec.file || peer?.ch.readyState !== 'open') return;
    leg.state = 'sending';
    rec.state = 'sending';
    void this.#pump(rec, leg, peer).catch((err) => {
      if (leg.state !== 'sending') return;
      this.#sendTo(peerId, { t: 'cancel', n: rec.n });
      this.#endLeg(rec, leg, 'failed', `Could not send the file${err instanceof Error && err.message ? `: ${err.message}` : '.'}`);
    });
  }

  async #pump(rec: Outgoing, leg: Leg, { ch, maxMessageSize }: Peer): Promise<void> {
    const file = rec.file!;
    const size = file.size;
    const chunk = Math.max(1024, Math.min(this.#o.chunkSize, (maxMessageSize() ?? 65536) - CHUNK_HEADER));
    const hasher = this.#hashJob(size, false);
    const read = (at: number) => {
      const p = file.slice(at, Math.min(size, at + READ_BLOCK)).arrayBuffer();
      p.catch(() => undefined); // read ahead: awaited below unless the leg ends first
      return p;
    };
    const active = () => leg.state === 'sending';
    try {
      this.#sendTo(leg.peer, { t: 'offer', n: rec.n, name: rec.name, size, mime: rec.mime });
      let next = size ? read(0) : undefined;
      for (let at = 0; at < size; ) {
        const block = new Uint8Array(await next!);
        if (!active()) return;
        if (!block.length) throw new Error('the file could not be read');
        at += block.length;
        next = at < size ? read(at) : undefined;
        for (let p = 0; p < block.length; p += chunk) {
          if (ch.bufferedAmount > this.#o.highWaterMark) await drained(ch);
          if (!active()) return;
          const part = block.subarray(p, p + chunk);
          const frame = new Uint8Array(CHUNK_HEADER + part.length);
          new DataView(frame.buffer).setUint32(0, rec.n);
          frame.set(part, CHUNK_HEADER);
          ch.send(frame);
          leg.bytes += part.length;
          this.#progress(rec);
        }
        // The frames are copies: the block itself goes to the hash (to the worker, not copied),
        // which may not fall far behind.
        hasher.update(block);
        if (hasher.pending > HASH_BACKLOG) await hasher.below(HASH_BACKLOG / 2);
      }
      const { sha256 } = await hasher.finish();
      if (!active()) return;
      this.#sendTo(leg.peer, { t: 'end', n: rec.n, sha256 });
      leg.state = 'sent'; // until the receiver confirms the hash
      this.#progress(rec);
    } finally {
      hasher.drop(); // frees the worker's part when the leg ended early; nothing once finished
    }
  }

  /** A SHA-256 job: in the worker for files of some size (when allowed), else on the main thread. */
  #hashJob(size: number, keep: boolean): HashJob {
    return hashJob({ keep, worker: this.#o.hashInWorker && size >= WORKER_MIN_SIZE });
  }

  #endLeg(rec: Outgoing, leg: Leg, state: 'done' | 'cancelled' | 'failed', error?: string): void {
    leg.state = state;
    leg.error = error;
    const legs = [...rec.legs.values()];
    if (legs.some((l) => !ENDED.has(l.state))) return this.#progress(rec, true);
    const done = legs.filter((l) => l.state === 'done').length;
    const missed = legs.filter((l) => l.state !== 'done');
    const why = missed.length === 1 ? missed[0].error : missed.length ? `Not delivered to ${missed.length} of ${legs.length}.` : undefined;
    this.#finishOutgoing(rec, done ? 'done' : legs.some((l) => l.state === 'cancelled') ? 'cancelled' : 'failed', why);
  }

  #finishOutgoing(rec: Outgoing, state: 'done' | 'cancelled' | 'failed', error?: string): void {
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
    if (rec.bytes + part.length > rec.size) return this.#refuse(rec, 'too-large', 'The sender sent more than it announced.');
    rec.bytes += part.length;
    // Hashed and kept by the job (the ArrayBuffer moves to the worker: no copy here).
    rec.job!.update(part);
    this.#progress(rec, rec.bytes === rec.size);
  }

  #onControl(peerId: string, msg: FileWire): void {
    const key = `${peerId}/${msg.n}`;
    switch (msg.t) {
      case 'offer': {
        if (this.#incoming.has(key)) return; // a number in use: ignore the impostor
        const busy = [...this.#incoming.values()].filter((r) => r.peer === peerId).length >= DATA_LIMITS.incomingPerPeer;
        if (busy || msg.size > this.#o.maxFileSize) return this.#sendTo(peerId, { t: 'stop', n: msg.n, reason: busy ? 'busy' : 'too-large' });
        const rec: Incoming = {
          ...this.#base(randomId(), msg.n, msg.name, msg.size, msg.mime, [peerId]),
          direction: 'receive',
          state: 'receiving',
          peer: peerId,
          bytes: 0,
          job: this.#hashJob(msg.size, true),
          verifying: false,
        };
        this.#incoming.set(key, rec);
        this.#recs.set(rec.id, rec);
        this.#trim();
        this.#progress(rec, true);
        return;
      }
      case 'end': {
        const rec = this.#incoming.get(key);
        if (!rec || rec.verifying) return;
        if (rec.bytes !== rec.size) return this.#refuse(rec, 'error', 'The file arrived incomplete.');
        rec.verifying = true;
        const job = rec.job!;
        void job.finish().then(
          ({ sha256, blob }) => {
            if (this.#incoming.get(key) !== rec) return; // cancelled or failed meanwhile
            if (sha256 !== msg.sha256) return this.#refuse(rec, 'mismatch', 'The file arrived damaged (its SHA-256 did not match).');
            // application/octet-stream whatever was announced: opened from its blob: URL, an HTML or
            // SVG file from a stranger would otherwise run in this page's origin.
            rec.blob = new Blob(blob ? [blob] : [], { type: 'application/octet-stream' });
            rec.url = URL.createObjectURL(rec.blob);
            this.#sendTo(peerId, { t: 'done', n: msg.n });
            this.#endIncoming(rec, 'done');
          },
          () => this.#incoming.get(key) === rec && this.#refuse(rec, 'error', 'The file could not be checked.'),
        );
        return;
      }
      case 'cancel': {
        const rec = this.#incoming.get(key);
        if (rec) this.#endIncoming(rec, 'cancelled', `${rec.peerNames[0]} cancelled it.`);
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
        const who = this.#host.nameOf(peerId) ?? 'The receiver';
        const why: Record<StopReason, string> = {
          cancelled: `${who} cancelled it.`,
          'too-large': `The file is too large for ${who}.`,
          busy: `${who} is receiving too many files.`,
          mismatch: `The file arrived damaged at ${who}.`,
          error: `${who} could not receive it.`,
        };
        this.#endLeg(rec, leg, msg.reason === 'cancelled' ? 'cancelled' : 'failed', why[msg.reason]);
      }
    }
  }

  /** Stop receiving because the sender misbehaved, and tell it. */
  #refuse(rec: Incoming, reason: StopReason, error: string): void {
    this.#sendTo(rec.peer, { t: 'stop', n: rec.n, reason });
    this.#endIncoming(rec, 'failed', error);
  }

  #endIncoming(rec: Incoming, state: 'done' | 'cancelled' | 'failed', error?: string): void {
    rec.state = state;
    rec.error = error;
    // Free everything received: only a verified Blob stays.
    rec.job?.drop();
    rec.job = undefined;
    this.#incoming.delete(`${rec.peer}/${rec.n}`);
    this.#ended(rec, state === 'done' ? 'file-received' : 'transfer-failed');
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
    const live = legs.filter((l) => l.state !== 'cancelled' && l.state !== 'failed');
    return Math.min(...(live.length ? live : legs).map((l) => l.bytes));
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
      if (bytes !== rec.reported) {
        rec.reported = bytes;
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
    if (rec.error) t.error = rec.error;
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
