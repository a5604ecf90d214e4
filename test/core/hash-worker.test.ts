import { expect } from '@open-wc/testing';
import { hashJob } from '../../src/core/data/hash-worker.js';

async function subtleHex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}
function random(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(size, at + 65536)));
  return out;
}
/** Feed `bytes` in uneven pieces (fresh copies: the worker takes their buffers). */
async function run(bytes: Uint8Array<ArrayBuffer>, options: { keep: boolean; worker: boolean }) {
  const job = hashJob(options);
  for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 13) % 300000 || 1) {
    job.update(bytes.slice(at, Math.min(bytes.length, at + step)));
    await job.below(8 * 1024 * 1024);
  }
  return job.finish();
}

describe('SHA-256 jobs (worker and main thread)', function () {
  this.timeout(60000);
  // Count the workers the pool starts, so a silent fall back to the main thread cannot pass as the worker.
  let started = 0;
  const original = globalThis.Worker;
  before(() => {
    globalThis.Worker = class extends original {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        started++;
      }
    };
  });
  after(() => {
    globalThis.Worker = original;
  });
  for (const worker of [true, false]) {
    const where = worker ? 'on the worker' : 'on the main thread';
    for (const size of [0, 1, 55, 64, 1000, 9 * 1024 * 1024 + 17]) {
      it(`${where}: ${size} bytes give the same digest as WebCrypto, and the kept Blob holds them`, async () => {
        const bytes = random(size);
        const expected = await subtleHex(bytes);
        const { digest: sha256, blob } = await run(bytes, { keep: true, worker });
        expect(sha256).to.equal(expected);
        expect(blob!.size).to.equal(size);
        expect(await subtleHex(new Uint8Array(await blob!.arrayBuffer()))).to.equal(expected);
        expect((await run(bytes, { keep: false, worker })).blob).to.equal(undefined);
      });
    }
  }

  it('the worker jobs really ran on a worker', () => {
    expect(started, 'workers started').to.be.greaterThan(0);
  });
});
