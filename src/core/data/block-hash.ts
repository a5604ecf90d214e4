import { bytesToHex } from '@noble/hashes/utils.js';
import { FLUSH_BYTES } from './hash-worker/flush-bytes.js';
import type { HashJob, HashResult } from './hash-worker.js';

/**
 * The block hash of a file transfer (P2P 1.11, docs/protocol.md `files`): the SHA-256 of the
 * SHA-256 digests of the file's 1 MiB blocks, in order (the last block may be shorter; an empty
 * file has none). It is as strong as SHA-256 of the whole file, but every block is hashed by
 * WebCrypto, natively and off the main thread, where one whole-file digest has to be computed
 * incrementally in JavaScript (WebCrypto cannot take a stream): some ten times the CPU time on both
 * sides, which on a busy machine is throughput the transfer does not get.
 */
export const BLOCK_HASH = 'sha256-blocks';

/** Bytes per block of the block hash. */
export const HASH_BLOCK = 1024 * 1024;

/** Whether this page can compute block hashes (WebCrypto needs a secure context). */
export function blockHashAvailable(): boolean {
  return typeof crypto === 'object' && typeof crypto?.subtle?.digest === 'function';
}

interface Waiter {
  bytes: number;
  resolve: () => void;
}

/**
 * A block-hash job. WebCrypto copies its input when called, so blocks are hashed straight from
 * the caller's bytes where they are whole and aligned, and otherwise gathered first. A `keep` job
 * (receiving) gathers everything into a 4 MiB stage that becomes one Blob part when full (the
 * Blob copies it, so the stage is reused): the received messages are never kept. Given a `store`
 * (a job of the hashing worker that only gathers), full stages go there instead (transferred, not
 * copied) and the worker makes the Blob parts: making a Blob waits for the browser process in
 * Chromium, which on the page's main thread would hold up chat.
 */
export class BlockHashJob implements HashJob {
  readonly #keep: boolean;
  readonly #store?: HashJob;
  /** Bytes not yet hashed (a partial block), or for `keep` everything since the last Blob part. */
  #stage: Uint8Array<ArrayBuffer> | null = null;
  #staged = 0;
  /** How much of the stage is hashed already (whole blocks). */
  #hashed = 0;
  #digests: Promise<ArrayBuffer>[] = [];
  #blobs: Blob[] = [];
  /** Digests asked for and not yet resolved. */
  #inFlight = 0;
  #waiters: Waiter[] = [];
  #over = false;

  constructor(keep: boolean, store?: HashJob) {
    this.#keep = keep;
    this.#store = keep ? store : undefined;
  }

  /** Bytes handed to WebCrypto and not hashed yet. */
  get pending(): number {
    return this.#inFlight * HASH_BLOCK;
  }

  update(bytes: Uint8Array<ArrayBuffer>): void {
    if (this.#over) return;
    let p = 0;
    if (!this.#keep) {
      // Whole blocks straight from the caller's bytes (the sender's reads are block-aligned).
      for (; this.#staged === 0 && bytes.length - p >= HASH_BLOCK; p += HASH_BLOCK) this.#digest(bytes.subarray(p, p + HASH_BLOCK));
    }
    const size = this.#keep ? FLUSH_BYTES : HASH_BLOCK;
    while (p < bytes.length) {
      this.#stage ??= new Uint8Array(size);
      const n = Math.min(bytes.length - p, size - this.#staged);
      this.#stage.set(bytes.subarray(p, p + n), this.#staged);
      this.#staged += n;
      p += n;
      for (; this.#staged - this.#hashed >= HASH_BLOCK; this.#hashed += HASH_BLOCK) this.#digest(this.#stage.subarray(this.#hashed, this.#hashed + HASH_BLOCK));
      if (this.#staged === size) this.#flush();
    }
  }

  below(bytes: number): Promise<void> {
    if (this.pending <= bytes || this.#over) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }

  async finish(): Promise<HashResult> {
    if (this.#over) throw new Error('the hash job is over');
    if (this.#staged > this.#hashed) this.#digest(this.#stage!.subarray(this.#hashed, this.#staged));
    this.#flush();
    const digests = await Promise.all(this.#digests);
    const list = new Uint8Array(digests.length * 32);
    digests.forEach((d, i) => list.set(new Uint8Array(d), i * 32));
    const sha256 = bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', list)));
    const blob = this.#store ? (await this.#store.finish()).blob : this.#keep ? new Blob(this.#blobs) : undefined;
    this.#end();
    return { sha256, blob };
  }

  drop(): void {
    this.#store?.drop();
    this.#end();
  }

  #digest(block: Uint8Array<ArrayBuffer>): void {
    this.#inFlight++;
    const d = crypto.subtle.digest('SHA-256', block);
    this.#digests.push(d);
    const settle = () => {
      this.#inFlight--;
      this.#release();
    };
    d.then(settle, settle);
  }

  /** The stage is full (or the file ended): keep its bytes as a Blob part, start it over. */
  #flush(): void {
    if (this.#keep && this.#staged) {
      if (this.#store) {
        this.#store.update(this.#stage!.subarray(0, this.#staged));
        this.#stage = null; // its buffer may have gone to the worker
      } else this.#blobs.push(new Blob([this.#stage!.subarray(0, this.#staged)]));
    }
    this.#staged = 0;
    this.#hashed = 0;
  }

  #release(): void {
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (this.pending <= w.bytes || this.#over) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }

  #end(): void {
    this.#over = true;
    this.#stage = null;
    this.#blobs = [];
    this.#digests = [];
    this.#release();
  }
}
