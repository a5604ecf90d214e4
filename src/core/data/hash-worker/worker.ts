/**
 * The hashing worker (see ../hash-worker.ts). Bundled with @noble/hashes into one script by
 * scripts/build-hash-worker.mjs, which the page starts from a blob: URL.
 *
 * Messages in: {op: 'new', id, keep, hash} (`hash` false: only gather the bytes) | {op: 'data', id, parts: [[buf, off, len], …], ack} (the
 * bufs transferred) | {op: 'end', id} | {op: 'drop', id}. Out: {ready: true} once, {id, acked:
 * bytes} after each 'data' that asked for it, {id, sha256, blob} after 'end'.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FLUSH_BYTES } from './flush-bytes.js';

type In =
  | { op: 'new'; id: number; keep: boolean; hash?: boolean }
  | { op: 'data'; id: number; parts: [ArrayBuffer, number, number][]; ack?: boolean }
  | { op: 'end'; id: number }
  | { op: 'drop'; id: number };

/** Free an ArrayBuffer now (detach it) instead of at the next garbage collection. */
function free(b: ArrayBuffer): void {
  const t = b as ArrayBuffer & { transfer?: (n: number) => ArrayBuffer; detached?: boolean };
  if (typeof t.transfer === 'function' && !t.detached) t.transfer(0);
}

/**
 * One transfer: hashes its bytes; a `keep` job also copies them into a stage buffer that becomes
 * one Blob part when full (one Blob item per 4 MiB, not one per 64 KiB message; the Blob copies,
 * so the stage is reused).
 */
class Job {
  readonly hasher = sha256.create();
  stage: Uint8Array<ArrayBuffer> | null = null;
  staged = 0;
  blobs: Blob[] = [];
  constructor(
    readonly keep: boolean,
    readonly hash: boolean,
  ) {}

  update(u: Uint8Array<ArrayBuffer>): void {
    if (this.hash) this.hasher.update(u);
    if (!this.keep) return;
    for (let p = 0; p < u.length;) {
      this.stage ??= new Uint8Array(FLUSH_BYTES);
      const n = Math.min(u.length - p, FLUSH_BYTES - this.staged);
      this.stage.set(u.subarray(p, p + n), this.staged);
      this.staged += n;
      p += n;
      if (this.staged === FLUSH_BYTES) this.flush();
    }
  }
  flush(): void {
    if (this.staged) this.blobs.push(new Blob([this.stage!.subarray(0, this.staged)]));
    this.staged = 0;
  }
  release(): void {
    if (this.stage) free(this.stage.buffer);
    this.stage = null;
    this.blobs = [];
  }
}

const jobs = new Map<number, Job>();
const post = (m: unknown) => (self as unknown as { postMessage(m: unknown): void }).postMessage(m);

self.onmessage = ({ data: m }: MessageEvent<In>) => {
  const job = jobs.get(m.id);
  if (m.op === 'new') jobs.set(m.id, new Job(m.keep, m.hash !== false));
  else if (m.op === 'data') {
    let n = 0;
    for (const [b, o, l] of m.parts) {
      job?.update(new Uint8Array(b, o, l));
      free(b);
      n += l;
    }
    if (m.ack) post({ id: m.id, acked: n });
  } else if (m.op === 'end') {
    jobs.delete(m.id);
    if (!job) return;
    const hex = job.hash ? bytesToHex(job.hasher.digest()) : '';
    let blob: Blob | undefined;
    if (job.keep) {
      job.flush();
      blob = new Blob(job.blobs);
    }
    job.release();
    post({ id: m.id, sha256: hex, blob });
  } else if (m.op === 'drop') {
    job?.release();
    jobs.delete(m.id);
  }
};
post({ ready: true });
