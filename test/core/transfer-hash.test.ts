import { expect } from '@open-wc/testing';
import {
  BLOCK_HASH,
  HASH_BLOCK,
  TransferHashJob,
  XXH64,
  loadTransferHashes,
  pickTransferHash,
  transferHashes,
  type TransferHash,
} from '../../src/core/data/transfer-hash.js';
import { hashJob } from '../../src/core/data/hash-worker.js';

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}
/** Whether `blob` holds exactly `bytes` (chai's deep equal is slow on megabytes). */
async function holds(blob: Blob, bytes: Uint8Array): Promise<boolean> {
  const got = new Uint8Array(await blob.arrayBuffer());
  return got.length === bytes.length && got.every((b, i) => b === bytes[i]);
}
const hex = (d: Uint8Array) => Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
function random(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(size, at + 65536)));
  return out;
}
/** The block hash as docs/protocol.md defines it, computed the plain way. */
async function blockHash(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const blocks = Math.ceil(bytes.length / HASH_BLOCK);
  const list = new Uint8Array(blocks * 32);
  for (let i = 0; i < blocks; i++) list.set(await sha256(bytes.slice(i * HASH_BLOCK, (i + 1) * HASH_BLOCK)), i * 32);
  return hex(await sha256(list));
}
/** Feed `bytes` as `pieces` says: 'blocks' (1 MiB reads, as the sender does) or uneven pieces (as messages arrive). */
async function run(hash: TransferHash, bytes: Uint8Array<ArrayBuffer>, keep: boolean, pieces: 'blocks' | 'uneven', worker = false) {
  const job = new TransferHashJob(hash, keep, worker ? hashJob({ keep, worker, hash: false }) : undefined);
  for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 13) % 300000 || 1) {
    if (pieces === 'blocks') step = HASH_BLOCK;
    job.update(bytes.slice(at, Math.min(bytes.length, at + step)));
    await job.below(HASH_BLOCK);
  }
  return job.finish();
}
/** 3 MiB + 123 bytes of `(i * 31 + 7) % 251`, whose XXH64 the reference `xxhsum -H1` gives as 38d4f1e8836eb7ec. */
function pattern(): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(3 * HASH_BLOCK + 123);
  for (let i = 0; i < out.length; i++) out[i] = (i * 31 + 7) % 251;
  return out;
}

describe('Transfer hashes', function () {
  this.timeout(60000);
  before(() => loadTransferHashes());

  it('lists XXH64 before the block hash, and a receiver takes the first it can compute', () => {
    expect(transferHashes()).to.deep.equal([XXH64, BLOCK_HASH]);
    expect(pickTransferHash(['sha256-blocks', 'xxh64'])).to.equal(BLOCK_HASH, 'the sender’s order decides');
    expect(pickTransferHash(['blake3', 'xxh64'])).to.equal(XXH64, 'unknown names are skipped');
    expect(pickTransferHash(['md5'])).to.equal(undefined, 'nothing known: the whole file’s SHA-256');
    expect(pickTransferHash([])).to.equal(undefined);
  });

  describe('XXH64 (P2P 1.12)', () => {
    it('gives the reference digests (xxhsum -H1), however the bytes are cut', async () => {
      const vectors: [Uint8Array<ArrayBuffer>, string][] = [
        [new Uint8Array(0), 'ef46db3751d8e999'],
        [new TextEncoder().encode('abc'), '44bc2cf5ad770999'],
        [pattern(), '38d4f1e8836eb7ec'],
      ];
      for (const [bytes, want] of vectors) {
        for (const pieces of ['blocks', 'uneven'] as const) {
          expect((await run(XXH64, bytes, false, pieces)).digest, `${bytes.length} bytes, ${pieces}`).to.equal(want);
          const kept = await run(XXH64, bytes, true, pieces);
          expect(kept.digest).to.equal(want);
          expect(await holds(kept.blob!, bytes), 'the kept Blob holds the bytes').to.equal(true);
        }
        const onWorker = await run(XXH64, bytes, true, 'uneven', true);
        expect(onWorker.digest, 'Blob made on the worker').to.equal(want);
        expect(await holds(onWorker.blob!, bytes), 'the worker’s Blob holds the bytes').to.equal(true);
      }
    });

    it('two transfers hashed at once do not mix, and one changed byte changes the digest', async () => {
      const a = pattern();
      const b = pattern();
      b[HASH_BLOCK + 3] ^= 1;
      const ja = new TransferHashJob(XXH64, false);
      const jb = new TransferHashJob(XXH64, true);
      for (let at = 0; at < a.length; at += 70000) {
        ja.update(a.slice(at, at + 70000));
        jb.update(b.slice(at, at + 70000));
      }
      const [ra, rb] = await Promise.all([ja.finish(), jb.finish()]);
      expect(ra.digest).to.equal('38d4f1e8836eb7ec');
      expect(rb.digest)
        .to.match(/^[0-9a-f]{16}$/)
        .and.not.equal(ra.digest);
    });
  });

  describe('Block hash (P2P 1.11): SHA-256 of the 1 MiB blocks’ SHA-256 digests', () => {
    for (const size of [0, 1, 1000, HASH_BLOCK - 1, HASH_BLOCK, HASH_BLOCK + 1, 9 * HASH_BLOCK + 17]) {
      it(`${size} bytes: the defined digest, however they are cut, and the kept Blob holds them`, async () => {
        const bytes = random(size);
        const want = await blockHash(bytes);
        if (size === 0) expect(want, 'no block: the SHA-256 of nothing').to.equal(hex(await sha256(new Uint8Array(0))));
        for (const pieces of ['blocks', 'uneven'] as const) {
          const kept = await run(BLOCK_HASH, bytes, true, pieces);
          expect(kept.digest, `keep, ${pieces}`).to.equal(want);
          expect(kept.blob!.size).to.equal(size);
          expect(hex(await sha256(new Uint8Array(await kept.blob!.arrayBuffer())))).to.equal(hex(await sha256(bytes)));
          const sent = await run(BLOCK_HASH, bytes, false, pieces);
          expect(sent.digest, `no keep, ${pieces}`).to.equal(want);
          expect(sent.blob).to.equal(undefined);
        }
        // Received files of some size are gathered into their Blob on the hashing worker.
        const onWorker = await run(BLOCK_HASH, bytes, true, 'uneven', true);
        expect(onWorker.digest, 'on the worker').to.equal(want);
        expect(hex(await sha256(new Uint8Array(await onWorker.blob!.arrayBuffer())))).to.equal(hex(await sha256(bytes)));
      });
    }

    it('a different byte gives a different digest; a dropped job cannot finish', async () => {
      const bytes = random(2 * HASH_BLOCK + 5);
      const a = await run(BLOCK_HASH, bytes, false, 'uneven');
      bytes[HASH_BLOCK + 3] ^= 1;
      const b = await run(BLOCK_HASH, bytes, false, 'uneven');
      expect(a.digest).to.not.equal(b.digest);
      const job = new TransferHashJob(BLOCK_HASH, true);
      job.update(bytes.slice());
      job.drop();
      let err: unknown;
      await job.finish().catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(Error);
    });
  });
});
