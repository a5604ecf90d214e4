import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from './wire.js';
import { FLUSH_BYTES } from './hash-worker/flush-bytes.js';
import { WORKER_SOURCE } from './hash-worker/worker-source.generated.js';

/**
 * SHA-256 of a file transfer, computed off the main thread when the page can start a worker.
 *
 * File transfers hash every byte on both sides; in JavaScript that costs about as much main-thread
 * time as moving the bytes, so on the page's main thread it slows the transfer and holds up chat
 * and the UI. A job sends its bytes to one shared Web Worker (the ArrayBuffers are transferred,
 * not copied) and gets the hex digest back at the end; a receiving job also builds the received
 * Blob there. Where no worker can start (a Content-Security-Policy without `worker-src blob:`, no
 * Worker at all) or before it has answered, nothing is lost: jobs fall back to hashing on the main
 * thread with @noble/hashes, which gives the same digest.
 *
 * The worker (hash-worker/worker.ts, with @noble/hashes) is bundled into a string at build time and
 * run from a blob: URL, so it needs no second file next to the bundle (a worker script must be
 * same-origin, which a CDN is not).
 */

/** What a finished job hands back. */
export interface HashResult {
  /** Lower-case hex digest of every byte given to update(): the SHA-256 here, the job's own hash in transfer-hash.ts. */
  digest: string;
  /** For a job made with `keep`: every byte, in order, as a Blob (else undefined). */
  blob?: Blob;
}

export interface HashJob {
  /**
   * Hash `bytes` next (and keep them, for a `keep` job). Their ArrayBuffer may be transferred to
   * the worker: the caller must not touch `bytes.buffer` afterwards.
   */
  update(bytes: Uint8Array<ArrayBuffer>): void;
  /** Bytes given to update() and not hashed yet (0 on the main thread; for a `keep` job, those not yet sent to the worker). */
  readonly pending: number;
  /** Resolves once `pending` is at most `bytes` (at once on the main thread). */
  below(bytes: number): Promise<void>;
  /** The digest (and Blob); the job is over after this. Rejects if the worker died. */
  finish(): Promise<HashResult>;
  /** Abandon the job and free what it holds. */
  drop(): void;
}

export { FLUSH_BYTES };

/** How long a new worker has to say it runs before jobs fall back to the main thread. */
const READY_TIMEOUT_MS = 5000;
/** An idle worker is ended after this (starting one takes some 50–200 ms: files often come in a row). */
const IDLE_MS = 10_000;

/** Hashing on the main thread: @noble/hashes, and the Blob built here. */
class MainJob implements HashJob {
  readonly pending = 0;
  readonly #keep: boolean;
  readonly #hash: boolean;
  readonly #hasher = sha256.create();
  #parts: Uint8Array<ArrayBuffer>[] = [];
  #partBytes = 0;
  #blobs: Blob[] = [];

  constructor(keep: boolean, hash = true) {
    this.#keep = keep;
    this.#hash = hash;
  }

  update(bytes: Uint8Array<ArrayBuffer>): void {
    if (this.#hash) this.#hasher.update(bytes);
    if (!this.#keep) return;
    this.#parts.push(bytes);
    this.#partBytes += bytes.length;
    if (this.#partBytes >= FLUSH_BYTES) this.#flush();
  }

  async below(): Promise<void> {}

  async finish(): Promise<HashResult> {
    const hex = this.#hash ? toHex(this.#hasher.digest()) : '';
    if (!this.#keep) return { digest: hex };
    this.#flush();
    return { digest: hex, blob: new Blob(this.#blobs) };
  }

  drop(): void {
    this.#parts = [];
    this.#blobs = [];
  }

  #flush(): void {
    // One copy into blob storage, then the ArrayBuffers can go.
    if (this.#parts.length) this.#blobs.push(new Blob(this.#parts));
    this.#parts = [];
    this.#partBytes = 0;
  }
}

/** The callers of a job's below(): each waits until the job's backlog is at most its `bytes`. */
export class BacklogWaiters {
  #waiters: { bytes: number; resolve: () => void }[] = [];

  /** Resolves once release() sees `pending` at most `bytes` (at once if it is already). */
  wait(pending: number, bytes: number): Promise<void> {
    if (pending <= bytes) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }

  /** The backlog is `pending` now; `over`: the job ended, so everyone goes. */
  release(pending: number, over: boolean): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (pending > w.bytes && !over) return true;
      w.resolve();
      return false;
    });
  }
}

/** The one worker of the page, shared by every job; it is ended when it has been idle a while. */
class Pool {
  #worker?: Worker;
  #state: 'none' | 'starting' | 'ready' = 'none';
  /** A worker could not start here (or died): main thread from now on. */
  #broken = false;
  #nextId = 1;
  readonly #jobs = new Map<number, WorkerJob>();
  #url?: string;
  #timer?: ReturnType<typeof setTimeout>;
  #idle?: ReturnType<typeof setTimeout>;

  job(keep: boolean, hash: boolean): HashJob {
    if (this.#broken || typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') {
      return new MainJob(keep, hash);
    }
    if (this.#state === 'none' && !this.#start()) return new MainJob(keep, hash);
    clearTimeout(this.#idle);
    const job = new WorkerJob(this, this.#nextId++, keep, hash);
    this.#jobs.set(job.id, job);
    if (this.#state === 'ready') job.attach(this.#worker!);
    return job;
  }

  /** @internal A job is over. */
  release(job: WorkerJob): void {
    this.#jobs.delete(job.id);
    if (this.#jobs.size) return;
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#jobs.size || this.#stop(), IDLE_MS);
  }

  #start(): boolean {
    try {
      this.#url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
      this.#worker = new Worker(this.#url, { name: 'rtc-widgets sha256' });
    } catch {
      this.#fail(true);
      return false;
    }
    this.#state = 'starting';
    const worker = this.#worker;
    worker.onmessage = ({ data }: MessageEvent) => {
      if (data?.ready) {
        clearTimeout(this.#timer);
        this.#revoke();
        this.#state = 'ready';
        for (const job of this.#jobs.values()) job.attach(worker);
        return;
      }
      this.#jobs.get(data?.id)?.onMessage(data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.#fail(true);
    };
    worker.onmessageerror = () => this.#fail(true);
    // Slow to start (a very busy machine): these jobs go on without it; the next ones try again.
    this.#timer = setTimeout(() => this.#fail(false), READY_TIMEOUT_MS);
    return true;
  }

  /**
   * The worker did not start in time, or failed: every job carries on (or fails) without it.
   * `broken`: it cannot run here (or died), so later jobs use the main thread too.
   */
  #fail(broken: boolean): void {
    if (broken) this.#broken = true;
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    this.#stop();
    for (const job of jobs) job.detach();
  }

  #stop(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#idle);
    this.#revoke();
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#state = 'none';
  }

  #revoke(): void {
    if (this.#url) URL.revokeObjectURL(this.#url);
    this.#url = undefined;
  }
}

/** Bytes gathered before they are posted to the worker together (one message instead of many). */
const BATCH_BYTES = 1024 * 1024;

/**
 * A job on the worker. Until the worker has said it runs, updates wait here (as views, nothing
 * copied); if it never does, they are hashed on the main thread instead.
 */
class WorkerJob implements HashJob {
  readonly id: number;
  readonly #pool: Pool;
  readonly #keep: boolean;
  readonly #hash: boolean;
  #worker?: Worker;
  /** Main-thread fallback, once the worker is out. */
  #main?: HashJob;
  /** Updates not yet posted: the worker is starting, or the batch is not full yet. */
  #queue: Uint8Array<ArrayBuffer>[] = [];
  #queued = 0;
  /** Posted, not yet acknowledged (tracked for sending jobs only: receiving ones do not wait). */
  #unacked = 0;
  readonly #waiters = new BacklogWaiters();
  #finishing?: { resolve: (r: HashResult) => void; reject: (e: Error) => void };
  /** Something was posted: after the worker dies this job cannot be finished. */
  #posted = false;
  #over = false;

  constructor(pool: Pool, id: number, keep: boolean, hash: boolean) {
    this.#pool = pool;
    this.id = id;
    this.#keep = keep;
    this.#hash = hash;
  }

  get pending(): number {
    return this.#main ? this.#main.pending : this.#queued + this.#unacked;
  }

  /** @internal The worker is ready: post what waited. */
  attach(worker: Worker): void {
    if (this.#over || this.#main) return;
    this.#worker = worker;
    worker.postMessage({ op: 'new', id: this.id, keep: this.#keep, hash: this.#hash });
    if (this.#finishing || this.#queued >= BATCH_BYTES) this.#post();
    if (this.#finishing) worker.postMessage({ op: 'end', id: this.id });
  }

  /** @internal The worker is gone: carry on on the main thread if nothing was posted, else fail. */
  detach(): void {
    this.#worker = undefined;
    if (this.#over) return;
    const f = this.#finishing;
    this.#finishing = undefined;
    if (this.#posted) {
      this.#over = true;
      this.#queue = [];
      this.#queued = 0;
      this.#releaseWaiters();
      f?.reject(new Error('the hashing worker stopped'));
      return;
    }
    const main = new MainJob(this.#keep, this.#hash);
    for (const bytes of this.#queue) main.update(bytes);
    this.#main = main;
    this.#queue = [];
    this.#queued = 0;
    this.#releaseWaiters();
    if (f) main.finish().then(f.resolve, f.reject);
  }

  /** @internal */
  onMessage(data: { acked?: number; sha256?: string; blob?: Blob }): void {
    if (typeof data.acked === 'number') {
      this.#unacked -= data.acked;
      this.#releaseWaiters();
    } else if (typeof data.sha256 === 'string') {
      const f = this.#finishing;
      this.#finishing = undefined;
      this.#end();
      f?.resolve({ digest: data.sha256, blob: this.#keep ? data.blob : undefined });
    }
  }

  update(bytes: Uint8Array<ArrayBuffer>): void {
    if (this.#main) return this.#main.update(bytes);
    if (this.#over || this.#finishing) return;
    this.#queue.push(bytes);
    this.#queued += bytes.length;
    if (this.#worker && this.#queued >= BATCH_BYTES) this.#post();
  }

  below(bytes: number): Promise<void> {
    if (this.#main) return this.#main.below(bytes);
    if (this.#worker && this.#queued) this.#post(); // what waits in the batch counts too
    return this.#waiters.wait(this.#over ? 0 : this.pending, bytes);
  }

  finish(): Promise<HashResult> {
    if (this.#main) return this.#main.finish();
    if (this.#over || this.#finishing) return Promise.reject(new Error('the hash job is over'));
    return new Promise((resolve, reject) => {
      this.#finishing = { resolve, reject };
      if (this.#worker) {
        this.#post();
        this.#worker.postMessage({ op: 'end', id: this.id });
      }
    });
  }

  drop(): void {
    if (this.#main) return this.#main.drop();
    if (this.#over) return;
    this.#worker?.postMessage({ op: 'drop', id: this.id });
    const f = this.#finishing;
    this.#finishing = undefined;
    this.#end();
    f?.reject(new Error('the hash job was dropped'));
  }

  /** Post the queued bytes: their ArrayBuffers are transferred (no copy; they are the caller's no more). */
  #post(): void {
    if (!this.#queued && !this.#queue.length) return;
    // Callers never give two views of one buffer (a transfer list may not name one twice).
    const parts = this.#queue.map((b) => [b.buffer, b.byteOffset, b.length] as const);
    const ack = !this.#keep;
    this.#worker!.postMessage(
      { op: 'data', id: this.id, parts, ack },
      this.#queue.map((b) => b.buffer),
    );
    if (ack) this.#unacked += this.#queued;
    this.#posted = true;
    this.#queue = [];
    this.#queued = 0;
    this.#releaseWaiters();
  }

  #releaseWaiters(): void {
    this.#waiters.release(this.pending, this.#over);
  }

  #end(): void {
    this.#over = true;
    this.#queue = [];
    this.#queued = 0;
    this.#releaseWaiters();
    this.#pool.release(this);
  }
}

const pool = new Pool();

/**
 * A new SHA-256 job: on the shared worker when `worker` and one can run here, else on the main
 * thread. `keep`: also gather the bytes into a Blob (receiving). `hash: false`: only that (the
 * transfer's hash is computed elsewhere, transfer-hash.ts): its `digest` is ''.
 */
export function hashJob(options: { keep: boolean; worker: boolean; hash?: boolean }): HashJob {
  const hash = options.hash ?? true;
  return options.worker ? pool.job(options.keep, hash) : new MainJob(options.keep, hash);
}
