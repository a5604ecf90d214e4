import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FLUSH_BYTES } from './hash-worker/flush-bytes.js';
import { BacklogWaiters, type HashJob, type HashResult } from './hash-worker.js';

/**
 * The checks a file transfer can use besides the whole file's SHA-256 (docs/protocol.md `files`),
 * the cheapest first: the receiver takes the first of the offer's `hashes` it can compute.
 *
 * - `xxh64` (P2P 1.12): XXH64 of the file, seed 0. The sender sends the check over the same
 *   DTLS channel as the bytes, so no hash can catch a sender that lies, and DTLS already stops
 *   anyone else changing them; what is left to catch is a client's own mistake (a lost, doubled or
 *   misplaced frame), which a 64-bit checksum does. It costs 0.2 ms per MiB in WebAssembly, where
 *   Chromium's WebCrypto SHA-256 takes 1.7 ms, on the page's main thread, on both sides.
 * - `sha256-blocks` (P2P 1.11): the SHA-256 of the SHA-256 digests of the file's 1 MiB blocks, in
 *   order (the last block may be shorter; an empty file has none). As strong as SHA-256 of the
 *   whole file, and every block is a native one-shot WebCrypto digest, where the whole file's
 *   would have to be computed in JavaScript.
 */
export const XXH64 = 'xxh64';
export const BLOCK_HASH = 'sha256-blocks';
export type TransferHash = typeof XXH64 | typeof BLOCK_HASH;

/** Bytes per block of the block hash. */
export const HASH_BLOCK = 1024 * 1024;

let xxh: XXHashAPI | null = null;
let loading: Promise<unknown> | undefined;

/**
 * Compiles XXH64's WebAssembly (1–2 ms, once per page, on the first send or accept) and resolves
 * when it is ready or cannot be (no WebAssembly, or a Content-Security-Policy without
 * `wasm-unsafe-eval`): then transfers use the block hash.
 */
export function loadTransferHashes(): Promise<unknown> {
  loading ??= xxhash().then(
    (api) => (xxh = api),
    () => undefined,
  );
  return loading;
}

/** The hashes this page can compute now, the cheapest first (what a sender lists in `offer`). */
export function transferHashes(): TransferHash[] {
  const out: TransferHash[] = [];
  if (xxh) out.push(XXH64);
  if (typeof crypto === 'object' && typeof crypto?.subtle?.digest === 'function') out.push(BLOCK_HASH);
  return out;
}

/** The first of a peer's `hashes` this page can compute, or undefined (the whole file's SHA-256). */
export function pickTransferHash(offered: readonly string[]): TransferHash | undefined {
  const ours = transferHashes();
  return offered.find((h): h is TransferHash => (ours as string[]).includes(h));
}

/**
 * A job of one of these hashes. A `keep` job (receiving) also gathers everything into a 4 MiB stage
 * that becomes one Blob part when full (the Blob copies it, so the stage is reused): the received
 * messages are never kept. Given a `store` (a job of the hashing worker that only gathers), full
 * stages go there instead (transferred, not copied) and the worker makes the Blob parts: making a
 * Blob waits for the browser process in Chromium, which on the page's main thread would hold up
 * chat. For the block hash, WebCrypto copies its input when called, so blocks are hashed straight
 * from the caller's bytes where they are whole and aligned, and otherwise from the stage.
 */
export class TransferHashJob implements HashJob {
  readonly #keep: boolean;
  readonly #store?: HashJob;
  /** XXH64's running state, or undefined for the block hash. */
  readonly #xxh?: ReturnType<XXHashAPI['create64']>;
  /** Bytes not yet hashed (a partial block), or for `keep` everything since the last Blob part. */
  #stage: Uint8Array<ArrayBuffer> | null = null;
  #staged = 0;
  /** How much of the stage the block hash has digested (whole blocks); XXH64 hashes bytes as they come. */
  #hashed = 0;
  #digests: Promise<ArrayBuffer>[] = [];
  #blobs: Blob[] = [];
  /** Digests asked for and not yet resolved. */
  #inFlight = 0;
  readonly #waiters = new BacklogWaiters();
  #over = false;

  /** `hash`: XXH64 only once loadTransferHashes() has resolved with it (transferHashes() lists it). */
  constructor(hash: TransferHash, keep: boolean, store?: HashJob) {
    if (hash === XXH64) {
      if (!xxh) throw new Error('XXH64 is not loaded');
      this.#xxh = xxh.create64();
    }
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
    if (this.#xxh) {
      this.#xxh.update(bytes);
      if (!this.#keep) return;
    } else if (!this.#keep) {
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
      if (!this.#xxh)
        for (; this.#staged - this.#hashed >= HASH_BLOCK; this.#hashed += HASH_BLOCK)
          this.#digest(this.#stage.subarray(this.#hashed, this.#hashed + HASH_BLOCK));
      if (this.#staged === size) this.#flush();
    }
  }

  below(bytes: number): Promise<void> {
    return this.#waiters.wait(this.#over ? 0 : this.pending, bytes);
  }

  async finish(): Promise<HashResult> {
    if (this.#over) throw new Error('the hash job is over');
    if (!this.#xxh && this.#staged > this.#hashed) this.#digest(this.#stage!.subarray(this.#hashed, this.#staged));
    this.#flush();
    const digest = this.#xxh ? this.#xxh.digest().toString(16).padStart(16, '0') : await this.#blockDigest();
    const blob = this.#store ? (await this.#store.finish()).blob : this.#keep ? new Blob(this.#blobs) : undefined;
    this.#end();
    return { digest, blob };
  }

  drop(): void {
    this.#store?.drop();
    this.#end();
  }

  async #blockDigest(): Promise<string> {
    const digests = await Promise.all(this.#digests);
    const list = new Uint8Array(digests.length * 32);
    digests.forEach((d, i) => list.set(new Uint8Array(d), i * 32));
    return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', list)));
  }

  #digest(block: Uint8Array<ArrayBuffer>): void {
    this.#inFlight++;
    const d = crypto.subtle.digest('SHA-256', block);
    this.#digests.push(d);
    const settle = () => {
      this.#inFlight--;
      this.#waiters.release(this.pending, this.#over);
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

  #end(): void {
    this.#over = true;
    this.#stage = null;
    this.#blobs = [];
    this.#digests = [];
    this.#waiters.release(this.pending, true);
  }
}
