import { expect } from '@open-wc/testing';
import { BlockHashJob, HASH_BLOCK } from '../../src/core/data/block-hash.js';
import { hashJob } from '../../src/core/data/hash-worker.js';

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}
const hex = (d: Uint8Array) => Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
function random(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(size, at + 65536)));
  return out;
}
/** The block hash as docs/protocol.md defines it, computed the plain way. */
async function expected(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const blocks = Math.ceil(bytes.length / HASH_BLOCK);
  const list = new Uint8Array(blocks * 32);
  for (let i = 0; i < blocks; i++) list.set(await sha256(bytes.slice(i * HASH_BLOCK, (i + 1) * HASH_BLOCK)), i * 32);
  return hex(await sha256(list));
}
/** Feed `bytes` as `pieces` says: 'blocks' (1 MiB reads, as the sender does) or uneven pieces (as messages arrive). */
async function run(bytes: Uint8Array<ArrayBuffer>, keep: boolean, pieces: 'blocks' | 'uneven', worker = false) {
  const job = new BlockHashJob(keep, worker ? hashJob({ keep, worker, hash: false }) : undefined);
  for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 13) % 300000 || 1) {
    if (pieces === 'blocks') step = HASH_BLOCK;
    job.update(bytes.slice(at, Math.min(bytes.length, at + step)));
    await job.below(HASH_BLOCK);
  }
  return job.finish();
}

describe('Block hash (P2P 1.11): SHA-256 of the 1 MiB blocks’ SHA-256 digests', function () {
  this.timeout(60000);
  for (const size of [0, 1, 1000, HASH_BLOCK - 1, HASH_BLOCK, HASH_BLOCK + 1, 9 * HASH_BLOCK + 17]) {
    it(`${size} bytes: the defined digest, however they are cut, and the kept Blob holds them`, async () => {
      const bytes = random(size);
      const want = await expected(bytes);
      if (size === 0) expect(want, 'no block: the SHA-256 of nothing').to.equal(hex(await sha256(new Uint8Array(0))));
      for (const pieces of ['blocks', 'uneven'] as const) {
        const kept = await run(bytes, true, pieces);
        expect(kept.sha256, `keep, ${pieces}`).to.equal(want);
        expect(kept.blob!.size).to.equal(size);
        expect(hex(await sha256(new Uint8Array(await kept.blob!.arrayBuffer())))).to.equal(hex(await sha256(bytes)));
        const sent = await run(bytes, false, pieces);
        expect(sent.sha256, `no keep, ${pieces}`).to.equal(want);
        expect(sent.blob).to.equal(undefined);
      }
      // Received files of some size are gathered into their Blob on the hashing worker.
      const onWorker = await run(bytes, true, 'uneven', true);
      expect(onWorker.sha256, 'on the worker').to.equal(want);
      expect(hex(await sha256(new Uint8Array(await onWorker.blob!.arrayBuffer())))).to.equal(hex(await sha256(bytes)));
    });
  }

  it('a different byte gives a different digest; a dropped job cannot finish', async () => {
    const bytes = random(2 * HASH_BLOCK + 5);
    const a = await run(bytes, false, 'uneven');
    bytes[HASH_BLOCK + 3] ^= 1;
    const b = await run(bytes, false, 'uneven');
    expect(a.sha256).to.not.equal(b.sha256);
    const job = new BlockHashJob(true);
    job.update(bytes.slice());
    job.drop();
    let err: unknown;
    await job.finish().catch((e) => (err = e));
    expect(err).to.be.instanceOf(Error);
  });
});
