import { expect } from '@open-wc/testing';
import { RtcSession, type Transfer } from '../../src/core/index.js';
import type { FileTransfersOptions } from '../../src/core/data/file-transfer.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { channelsOpen, sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';

const MiB = 1024 * 1024;
/** For waits on throughput: a loaded 2-core machine can move a few MiB very slowly. */
const SLOW = 60000;

/** `size` random bytes as a File (getRandomValues fills at most 64 KiB at a time). */
function randomFile(size: number, name = 'random.bin'): File {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 0; at < size; at += 65536) parts.push(crypto.getRandomValues(new Uint8Array(Math.min(65536, size - at))));
  return new File(parts, name, { type: 'application/octet-stream' });
}
async function sha256Bytes(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}
async function sha256(blob: Blob): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}
/** A 4-byte big-endian transfer number, then `bytes`. */
function frame(n: number, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const f = new Uint8Array(4 + bytes.length);
  new DataView(f.buffer).setUint32(0, n);
  f.set(bytes, 4);
  return f;
}

// Through the real signaling server (signal-plugin.ts) only: signaling just sets the call up, and
// every byte of a transfer goes over the peers' own data channel, so an in-page hub would run the
// same transfers again (the suite's largest file, in both browsers) for no other path.
describe('FileTransfers over the files data channel (server signaling)', function () {
  this.timeout(180000);
  let sig: Signaling;

  // room(...names): they join in order, then every files and chat channel is open. Everyone's file
  // options are `files` (per name: `filesFor`): the transfer tests auto-accept everything, the
  // consent tests below set their own.
  let files: FileTransfersOptions;
  let filesFor: Record<string, FileTransfersOptions>;
  const { make, joinAll, leaveAll } = sessionSet(() => ({ room: sig.room, transport: sig.transport, media: { audio: false, video: false } }), {
    timeout: 40000,
    linked: channelsOpen('files', 'chat'),
  });
  const room = (...names: string[]) => joinAll(...names.map((n) => make(n, { files: filesFor[n] ?? files })));
  const incoming = (s: RtcSession) => s.files.transfers.get().filter((t) => t.direction === 'receive');
  const incomingOf = (s: RtcSession, name: string) => incoming(s).find((t) => t.name === name);
  const outgoing = (s: RtcSession, id: string) => s.files.transfers.get().find((t) => t.id === id)!;

  beforeEach(async () => {
    sig = await signaling('server', 'files');
    files = { autoAccept: 'all' };
    filesFor = {};
  });
  afterEach(async () => {
    await leaveAll();
    // Through the real server: no signal was dropped (rate limit) or refused (size) on the way.
    expect(sig.serverErrors, 'server-error events').to.deep.equal([]);
  });

  it('sends a 20 MiB random file with identical bytes (SHA-256), progress rising to 100 % on both sides', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const file = randomFile(20 * MiB, 'big random.bin');
    const sent: number[] = [];
    const received: number[] = [];
    a.on('transfer-progress', (t) => sent.push(t.bytes / t.size));
    b.on('transfer-progress', (t) => received.push(t.bytes / t.size));
    const gotFile = new Promise<Transfer>((resolve) => b.on('file-received', resolve));
    const gotSent = new Promise<Transfer>((resolve) => a.on('file-sent', resolve));
    const t = await a.files.send(file);
    expect(t).to.include({ direction: 'send', name: 'big random.bin', size: 20 * MiB });
    expect(t.peers).to.deep.equal([b.localId]);
    expect(t.peerNames).to.deep.equal(['Bob']);

    // Mid-way the receiver shows a rate and a time left.
    const mid = await waitFor(
      () => {
        const r = incomingOf(b, 'big random.bin');
        return r && r.bytes > 4 * MiB && r.rate > 0 ? r : undefined;
      },
      'the receiver mid-way',
      SLOW,
    );
    expect(mid.state).to.equal('receiving');
    expect(mid.eta).to.be.a('number').and.above(0);
    expect(mid.blob, 'no file before the end').to.equal(undefined);
    expect(mid.url).to.equal(undefined);

    const done = await gotFile;
    expect(done).to.include({ state: 'done', name: 'big random.bin', size: 20 * MiB, bytes: 20 * MiB, direction: 'receive' });
    expect(done.peerNames).to.deep.equal(['Ada']);
    expect(done.blob!.size).to.equal(20 * MiB);
    expect(done.url).to.match(/^blob:/);
    expect(await sha256(done.blob!)).to.equal(await sha256(file));
    expect((await gotSent).state).to.equal('done');
    expect((await a.files.settled(t.id)).state).to.equal('done');
    expect(b.files.heldBytes()).to.equal(0);

    for (const [side, list] of [
      ['sender', sent],
      ['receiver', received],
    ] as const) {
      expect(list.length, `${side} progress events`).to.be.above(3);
      expect(
        list.every((p, i) => i === 0 || p >= list[i - 1]),
        `${side} progress never falls`,
      ).to.equal(true);
      expect(list.at(-1), `${side} ends at 100 %`).to.equal(1);
    }
    // The download link is usable.
    const fetched = await (await fetch(done.url!)).blob();
    expect(fetched.size).to.equal(20 * MiB);
    await b.files.dismiss(done.id);
    expect(incoming(b)).to.have.length(0);
  });

  /** Text frames `s` got from `from` on the files channel, parsed. */
  function textFrames(s: RtcSession, from: RtcSession): Record<string, unknown>[] {
    const seen: Record<string, unknown>[] = [];
    s.dataChannel(from.localId, 'files')!.addEventListener('message', ({ data }) => typeof data === 'string' && seen.push(JSON.parse(data)));
    return seen;
  }

  it('moves the data in messages as large as the connection allows, checked with XXH64, the bytes identical', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const sizes: number[] = [];
    b.dataChannel(a.localId, 'files')!.addEventListener('message', ({ data }) => typeof data !== 'string' && sizes.push((data as ArrayBuffer).byteLength - 4));
    const atB = textFrames(b, a);
    const atA = textFrames(a, b);
    const file = randomFile(5 * MiB + 3, 'frames.bin');
    const t = await a.files.send(file);
    expect((await a.files.settled(t.id)).state).to.equal('done');
    const got = incomingOf(b, 'frames.bin')!;
    expect(got.state).to.equal('done');
    expect(await sha256(got.blob!)).to.equal(await sha256(file));
    // 256 KiB of data per message, or less where the connection's limit (header included) is lower.
    const limit = a.peerConnection(b.localId)!.sctp!.maxMessageSize;
    const chunk = Math.min(256 * 1024, limit - 4);
    expect(Math.max(...sizes), `max-message-size ${limit}`).to.equal(chunk);
    expect(sizes.reduce((x, y) => x + y, 0)).to.equal(5 * MiB + 3);
    expect(sizes.length).to.equal(Math.ceil((5 * MiB + 3) / chunk));
    // Both ends speak P2P 1.12: the sender lists XXH64 first, the receiver chose it, and only it was sent.
    expect(atB.find((m) => m.t === 'offer')).to.deep.include({ hashes: ['xxh64', 'sha256-blocks'] });
    expect(atA.find((m) => m.t === 'accept')).to.deep.include({ hash: 'xxh64' });
    const end = atB.find((m) => m.t === 'end')!;
    expect(end.xxh64).to.match(/^[0-9a-f]{16}$/);
    expect(end.sha256Blocks).to.equal(undefined);
    expect(end.sha256).to.equal(undefined);
  });

  it('with a P2P 1.11 peer (the block hash, no XXH64) the block hash is used both ways', async () => {
    files = {};
    const [a, b] = await room('Ada', 'Bob');
    // Bob's library stays out of it (nothing is auto-accepted); his channel answers as a 1.11 client.
    const raw = b.dataChannel(a.localId, 'files')!;
    const atB = textFrames(b, a);
    const file = randomFile(MiB + 5, 'to-111.bin');
    const t = await a.files.send(file);
    const offer = await waitFor(() => atB.find((m) => m.t === 'offer'), 'the offer');
    raw.send(JSON.stringify({ t: 'accept', n: offer.n, hash: 'sha256-blocks' }));
    const end = await waitFor(() => atB.find((m) => m.t === 'end'), 'the end', SLOW);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const blocks = [bytes.subarray(0, MiB), bytes.subarray(MiB)];
    const digests = await Promise.all(blocks.map(async (x) => new Uint8Array(await crypto.subtle.digest('SHA-256', x))));
    expect(end.sha256Blocks).to.equal(await sha256(new Blob(digests)));
    expect(end.xxh64).to.equal(undefined);
    raw.send(JSON.stringify({ t: 'done', n: offer.n }));
    expect((await a.files.settled(t.id)).state).to.equal('done');

    // The other way: a 1.11 sender lists only the block hash, and Ada's library asks for it.
    const mine = b.dataChannel(a.localId, 'files')!;
    const small = crypto.getRandomValues(new Uint8Array(1000));
    mine.send(JSON.stringify({ t: 'offer', n: 5001, name: 'from-111.bin', size: small.length, hashes: ['sha256-blocks'] }));
    const got = await waitFor(() => a.files.transfers.get().find((x) => x.name === 'from-111.bin'), 'the offer at Ada');
    await a.files.accept(got.id);
    const accept = await waitFor(() => atB.find((m) => m.t === 'accept' && m.n === 5001), 'the accept');
    expect(accept.hash).to.equal('sha256-blocks');
    mine.send(frame(5001, small));
    mine.send(JSON.stringify({ t: 'end', n: 5001, sha256Blocks: await sha256(new Blob([await sha256Bytes(small)])) }));
    const done = await waitFor(() => a.files.transfers.get().find((x) => x.name === 'from-111.bin' && x.state === 'done'), 'from-111.bin at Ada');
    expect(await sha256(done.blob!)).to.equal(await sha256(new Blob([small])));
  });

  it('an older sender (no block hash) still gets its file through, checked with the whole-file SHA-256', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const raw = a.dataChannel(b.localId, 'files')!;
    const atA = textFrames(a, b);
    const bytes = new Uint8Array(await randomFile(MiB + 77).arrayBuffer());
    // What a P2P 1.10 sender says: no `hashes` in the offer, `sha256` of the whole file in `end`.
    raw.send(JSON.stringify({ t: 'offer', n: 3001, name: 'old.bin', size: bytes.length }));
    await waitFor(() => atA.find((m) => m.t === 'accept' && m.n === 3001), 'the accept');
    expect(atA.find((m) => m.t === 'accept')!.hash, 'not offered, not asked for').to.equal(undefined);
    for (let at = 0; at < bytes.length; at += 65536) raw.send(frame(3001, bytes.subarray(at, at + 65536)));
    raw.send(JSON.stringify({ t: 'end', n: 3001, sha256: await sha256(new Blob([bytes])) }));
    const got = await waitFor(() => (incomingOf(b, 'old.bin')?.state === 'done' ? incomingOf(b, 'old.bin') : undefined), 'old.bin at Bob', SLOW);
    expect(await sha256(got.blob!)).to.equal(await sha256(new Blob([bytes])));
    await waitFor(() => atA.find((m) => m.t === 'done' && m.n === 3001), 'done');
    // Offered the block hash but sent `sha256` (or nothing): refused, not taken unchecked.
    raw.send(JSON.stringify({ t: 'offer', n: 3002, name: 'odd.bin', size: 3, hashes: ['sha256-blocks'] }));
    await waitFor(() => atA.find((m) => m.t === 'accept' && m.n === 3002), 'the second accept');
    raw.send(frame(3002, new Uint8Array([1, 2, 3])));
    raw.send(JSON.stringify({ t: 'end', n: 3002, sha256: await sha256(new Blob([new Uint8Array([1, 2, 3])])) }));
    await waitFor(() => incomingOf(b, 'odd.bin')?.state === 'failed', 'odd.bin refused');
    expect(incomingOf(b, 'odd.bin')!.error).to.match(/did not send the hash/);
    // The same with XXH64: asked for, so the block hash does not do either.
    raw.send(JSON.stringify({ t: 'offer', n: 3003, name: 'odd2.bin', size: 3, hashes: ['xxh64'] }));
    await waitFor(() => atA.find((m) => m.t === 'accept' && m.n === 3003), 'the third accept');
    expect(atA.find((m) => m.t === 'accept' && m.n === 3003)!.hash).to.equal('xxh64');
    raw.send(frame(3003, new Uint8Array([1, 2, 3])));
    raw.send(JSON.stringify({ t: 'end', n: 3003, sha256Blocks: '0'.repeat(64) }));
    await waitFor(() => incomingOf(b, 'odd2.bin')?.state === 'failed', 'odd2.bin refused');
    expect(incomingOf(b, 'odd2.bin')!.error).to.match(/did not send the hash/);
  });

  it('sends to an older receiver (no block hash in its accept) with the whole-file SHA-256', async () => {
    files = {};
    const [a, b] = await room('Ada', 'Bob');
    const raw = b.dataChannel(a.localId, 'files')!;
    const atB = textFrames(b, a);
    const data = countBinary(b, a);
    const file = randomFile(2 * MiB + 9, 'to-old.bin');
    const t = await a.files.send(file);
    const offer = await waitFor(() => atB.find((m) => m.t === 'offer'), 'the offer');
    // Bob's library leaves the offer waiting; we answer as a P2P 1.10 receiver would.
    raw.send(JSON.stringify({ t: 'accept', n: offer.n }));
    const end = await waitFor(() => atB.find((m) => m.t === 'end'), 'the end', SLOW);
    expect(end.sha256).to.equal(await sha256(file));
    expect(end.sha256Blocks).to.equal(undefined);
    expect(data.bytes).to.equal(2 * MiB + 9);
    raw.send(JSON.stringify({ t: 'done', n: offer.n }));
    expect((await a.files.settled(t.id)).state).to.equal('done');
  });

  it('a cancel by the sender ends the transfer on both sides and frees it', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const t = await a.files.send(randomFile(20 * MiB, 'cancel-me.bin'));
    await waitFor(() => (incomingOf(b, 'cancel-me.bin')?.bytes ?? 0) > MiB, 'some bytes at B', SLOW);
    const failed = new Promise<Transfer>((resolve) => b.on('transfer-failed', resolve));
    await a.files.cancel(t.id);
    expect(outgoing(a, t.id).state).to.equal('cancelled');
    const atB = await failed;
    expect(atB).to.include({ state: 'cancelled', error: 'Ada cancelled it.' });
    expect(atB.blob).to.equal(undefined);
    expect(b.files.heldBytes()).to.equal(0);
    const bytes = outgoing(a, t.id).bytes;
    await sleep(300);
    expect(outgoing(a, t.id).bytes, 'the sender stopped').to.equal(bytes);
    expect(incomingOf(b, 'cancel-me.bin')!.state).to.equal('cancelled');
  });

  it('a cancel by the receiver ends the transfer on both sides and frees it', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const t = await a.files.send(randomFile(20 * MiB, 'refuse-me.bin'));
    const atB = await waitFor(
      () => {
        const r = incomingOf(b, 'refuse-me.bin');
        return r && r.bytes > MiB ? r : undefined;
      },
      'some bytes at B',
      SLOW,
    );
    const failed = new Promise<Transfer>((resolve) => a.on('transfer-failed', resolve));
    await b.files.cancel(atB.id);
    expect(incomingOf(b, 'refuse-me.bin')).to.include({ state: 'cancelled' });
    expect(b.files.heldBytes()).to.equal(0);
    const atA = await failed;
    expect(atA).to.include({ id: t.id, state: 'cancelled', error: 'Bob cancelled it.' });
    // The sender stops pumping: its buffer drains and its count stands still.
    const ch = a.dataChannel(b.localId, 'files')!;
    await waitFor(() => ch.bufferedAmount === 0, 'sender buffer drained', SLOW);
    const bytes = outgoing(a, t.id).bytes;
    await sleep(300);
    expect(outgoing(a, t.id).bytes).to.equal(bytes);
    expect(bytes).to.be.below(20 * MiB);
  });

  it('a file sent to one peer in a three-peer room reaches only that peer', async () => {
    const [a, b, c] = await room('Ada', 'Bob', 'Cy');
    const bEvents: Transfer[] = [];
    b.on('transfer-progress', (t) => bEvents.push(t));
    const file = randomFile(2 * MiB + 17, 'for-cy.bin');
    const t = await a.files.send(file, { to: c.localId });
    expect(t.peers).to.deep.equal([c.localId]);
    const done = await a.files.settled(t.id);
    expect(done.state).to.equal('done');
    const atC = await waitFor(() => (incomingOf(c, 'for-cy.bin')?.state === 'done' ? incomingOf(c, 'for-cy.bin') : undefined), 'C has it', SLOW);
    expect(await sha256(atC.blob!)).to.equal(await sha256(file));
    await sleep(300);
    expect(b.files.transfers.get()).to.have.length(0);
    expect(bEvents).to.have.length(0);
    // Nobody who is not in the call.
    let err: unknown;
    await a.files.send(file, { to: 'nobody' }).catch((e) => (err = e));
    expect(err).to.be.instanceOf(RangeError);
  });

  it('sends to everyone, and several transfers at once in both directions', async () => {
    const [a, b, c] = await room('Ada', 'Bob', 'Cy');
    const files = {
      one: randomFile(3 * MiB, 'one.bin'),
      two: randomFile(MiB + 12345, 'two.bin'),
      back: randomFile(2 * MiB, 'back.bin'),
      empty: new File([], 'empty.txt'),
    };
    const ts = await Promise.all([a.files.send(files.one), a.files.send(files.two), b.files.send(files.back, { to: a.localId }), c.files.send(files.empty)]);
    expect(ts[0].peers.sort()).to.deep.equal([b.localId, c.localId].sort());
    const ends = await Promise.all([a.files.settled(ts[0].id), a.files.settled(ts[1].id), b.files.settled(ts[2].id), c.files.settled(ts[3].id)]);
    expect(ends.map((t) => t.state)).to.deep.equal(['done', 'done', 'done', 'done']);
    for (const [s, names] of [
      [b, ['one.bin', 'two.bin', 'empty.txt']],
      [c, ['one.bin', 'two.bin']],
      [a, ['back.bin', 'empty.txt']],
    ] as const) {
      for (const name of names) {
        const t = await waitFor(() => (incomingOf(s, name)?.state === 'done' ? incomingOf(s, name) : undefined), `${s.name} has ${name}`, SLOW);
        const src = Object.values(files).find((f) => f.name === name)!;
        expect(await sha256(t.blob!), `${s.name}: ${name}`).to.equal(await sha256(src));
      }
    }
  });

  it('chat messages still arrive quickly while a large transfer runs', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const t = await a.files.send(randomFile(20 * MiB, 'busy.bin'));
    await waitFor(() => (incomingOf(b, 'busy.bin')?.bytes ?? 0) > 2 * MiB, 'the transfer under way', SLOW);
    const latencies: number[] = [];
    const during: boolean[] = [];
    const sentAt = new Map<string, number>();
    b.on('message', (m) => {
      latencies.push(performance.now() - sentAt.get(m.text)!);
      during.push(incomingOf(b, 'busy.bin')!.state === 'receiving');
    });
    const bytesBefore = incomingOf(b, 'busy.bin')!.bytes;
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      sentAt.set(`ping ${i}`, performance.now());
      await a.chat.send(`ping ${i}`);
      await sleep(100);
    }
    await waitFor(() => latencies.length === 5, 'five pings');
    const msPerMiB = (performance.now() - started) / ((incomingOf(b, 'busy.bin')!.bytes - bytesBefore) / MiB);
    expect(during, 'arrived while the file was still arriving').to.deep.equal([true, true, true, true, true]);
    // Against the file's own pace in the same moments, so a busy machine slows both alike: a message
    // stuck behind the file would wait for the 17+ MiB still to come; 8 MiB's time leaves room for jitter.
    const bound = Math.max(8 * msPerMiB, 1500);
    expect(Math.max(...latencies), `latencies ${latencies.map(Math.round).join(', ')} ms; the file moved at ${Math.round(msPerMiB)} ms per MiB`).to.be.below(
      bound,
    );
    await a.files.cancel(t.id);
  });

  it('a sender leaving mid-transfer fails it at the receiver and frees its memory', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const sent = await a.files.send(randomFile(20 * MiB, 'orphan.bin'));
    await waitFor(() => (incomingOf(b, 'orphan.bin')?.bytes ?? 0) > MiB, 'some bytes at B', SLOW);
    const failed = new Promise<Transfer>((resolve) => b.on('transfer-failed', resolve));
    await a.leave();
    const mine = outgoing(a, sent.id);
    expect(mine.state).to.equal('failed');
    expect(mine.error).to.equal('You left the call.');
    const t = await failed;
    expect(t).to.include({ state: 'failed', error: 'Ada left the call.' });
    expect(t.blob).to.equal(undefined);
    expect(b.files.heldBytes()).to.equal(0);
  });

  it('a receiver leaving fails only its part of a send to everyone', async () => {
    const [a, b, c] = await room('Ada', 'Bob', 'Cy');
    const t = await a.files.send(randomFile(8 * MiB, 'both.bin'));
    await waitFor(() => (incomingOf(c, 'both.bin')?.bytes ?? 0) > MiB, 'some bytes at C', SLOW);
    await c.leave();
    const end = await a.files.settled(t.id);
    expect(end.state).to.equal('done');
    expect(end.error).to.equal('Cy left the call.');
    expect(incomingOf(b, 'both.bin')!.state).to.equal('done');
  });

  it('survives garbage, oversized offers, extra bytes and a wrong hash on the files channel', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const raw = a.dataChannel(b.localId, 'files')!;
    const failures: Transfer[] = [];
    b.on('transfer-failed', (t) => failures.push(t));
    const refusals: string[] = [];
    raw.addEventListener('message', ({ data }) => typeof data === 'string' && refusals.push(data));

    for (const f of ['garbage', '{"t":"offer"}', '{"t":"end","n":1,"sha256":"zz"}', 'x'.repeat(5000), '[]']) raw.send(f);
    raw.send(new Uint8Array([1, 2])); // shorter than a header
    raw.send(frame(4242, new Uint8Array(100))); // a transfer nobody offered
    // (Bob auto-accepts everything here, so data may follow each offer at once.)
    // An offer over the 4 GiB default limit is refused, and nothing is kept for it.
    raw.send(JSON.stringify({ t: 'offer', n: 1001, name: 'huge.iso', size: 5 * 1024 ** 3, mime: 'application/x-iso9660-image' }));
    await waitFor(() => refusals.some((r) => r.includes('"n":1001') && r.includes('too-large')), 'too-large refusal');
    expect(incomingOf(b, 'huge.iso')).to.equal(undefined);

    // More bytes than announced: failed, memory freed.
    raw.send(JSON.stringify({ t: 'offer', n: 1002, name: 'small.txt', size: 10 }));
    raw.send(frame(1002, new Uint8Array(20)));
    await waitFor(() => incomingOf(b, 'small.txt')?.state === 'failed', 'extra bytes refused');
    expect(incomingOf(b, 'small.txt')!.error).to.match(/more than it announced/);

    // The right size, the wrong hash: no file.
    raw.send(JSON.stringify({ t: 'offer', n: 1003, name: '../../etc/passwd', size: 4, mime: 'text/html' }));
    raw.send(frame(1003, new Uint8Array([1, 2, 3, 4])));
    raw.send(JSON.stringify({ t: 'end', n: 1003, sha256: '0'.repeat(64) }));
    await waitFor(() => incomingOf(b, 'passwd')?.state === 'failed', 'hash mismatch');
    const bad = incomingOf(b, 'passwd')!;
    expect(bad.error).to.match(/checksum did not match/);
    expect(bad.blob).to.equal(undefined);
    expect(bad.url).to.equal(undefined);
    // The same with XXH64: one changed byte, and the file is refused.
    const four = new Uint8Array([1, 2, 3, 4]);
    raw.send(JSON.stringify({ t: 'offer', n: 1004, name: 'flipped.bin', size: 4, hashes: ['xxh64'] }));
    raw.send(frame(1004, four));
    // XXH64 of bytes 1, 2, 3, 5 (xxhsum -H1): the sender's bytes were not those.
    raw.send(JSON.stringify({ t: 'end', n: 1004, xxh64: '22fe6105140ea3f4' }));
    await waitFor(() => incomingOf(b, 'flipped.bin')?.state === 'failed', 'XXH64 mismatch');
    expect(incomingOf(b, 'flipped.bin')!.errorInfo?.code).to.equal('damaged');
    // And with the right one (542620e3a2a92ed1 for 1, 2, 3, 4), the file is taken.
    raw.send(JSON.stringify({ t: 'offer', n: 1005, name: 'four.bin', size: 4, hashes: ['xxh64'] }));
    raw.send(frame(1005, four));
    raw.send(JSON.stringify({ t: 'end', n: 1005, xxh64: '542620e3a2a92ed1' }));
    await waitFor(() => incomingOf(b, 'four.bin')?.state === 'done', 'four.bin taken');
    expect([...new Uint8Array(await incomingOf(b, 'four.bin')!.blob!.arrayBuffer())]).to.deep.equal([1, 2, 3, 4]);
    expect(b.files.heldBytes()).to.equal(0);
    expect(failures.map((t) => t.name)).to.deep.equal(['small.txt', 'passwd', 'flipped.bin']);

    // Too many at once from one peer: the ninth offer is refused as busy.
    for (let n = 2000; n < 2009; n++) raw.send(JSON.stringify({ t: 'offer', n, name: `f${n}`, size: 1 }));
    await waitFor(() => refusals.some((r) => r.includes('"n":2008') && r.includes('busy')), 'busy refusal');
    expect(incoming(b).filter((t) => t.state === 'receiving')).to.have.length(8);
    for (let n = 2000; n < 2008; n++) raw.send(JSON.stringify({ t: 'cancel', n }));
    await waitFor(() => incoming(b).every((t) => t.state !== 'receiving'), 'sender cancels');

    // After all that, a real transfer works both ways, and so does chat.
    const file = randomFile(MiB, 'fine.bin');
    const t = await a.files.send(file);
    expect((await a.files.settled(t.id)).state).to.equal('done');
    const back = await b.files.send(randomFile(1000, 'back.bin'));
    expect((await b.files.settled(back.id)).state).to.equal('done');
    const atB = incomingOf(b, 'fine.bin')!;
    expect(await sha256(atB.blob!)).to.equal(await sha256(file));
    expect(atB.blob!.type, 'never an active type').to.equal('application/octet-stream');
  });
  // ---- Files you agree to: offer → consent ----

  /** Bytes of file data that reached `s` from `from` on the files channel (binary frames, headers excluded). */
  function countBinary(s: RtcSession, from: RtcSession): { bytes: number; frames: number } {
    const seen = { bytes: 0, frames: 0 };
    s.dataChannel(from.localId, 'files')!.addEventListener('message', ({ data }) => {
      if (typeof data === 'string') return;
      seen.frames++;
      seen.bytes += (data as ArrayBuffer).byteLength - 4;
    });
    return seen;
  }
  const offered = (s: RtcSession) =>
    new Promise<Transfer>((resolve) => {
      const off = s.on('file-offered', (t) => {
        off();
        resolve(t);
      });
    });

  it('declined: nothing beyond the offer moves, and the sender sees "declined"', async () => {
    files = {};
    const [a, b] = await room('Ada', 'Bob');
    const atB = countBinary(b, a);
    const offer = offered(b);
    const file = randomFile(2 * MiB, 'unwanted.bin');
    const t = await a.files.send(file);
    const o = await offer;
    expect(o).to.include({ state: 'offered', direction: 'receive', name: 'unwanted.bin', size: 2 * MiB, bytes: 0 });
    expect(o.peerNames).to.deep.equal(['Ada']);
    expect(outgoing(a, t.id).state).to.equal('offered');
    await sleep(500); // data that should not flow would have started by now
    expect(atB, 'no data before an answer').to.deep.equal({ bytes: 0, frames: 0 });
    expect(outgoing(a, t.id).bytes).to.equal(0);

    await b.files.decline(o.id);
    const end = await a.files.settled(t.id);
    expect(end).to.include({ state: 'declined', error: 'Bob declined it.', bytes: 0 });
    const mine = incomingOf(b, 'unwanted.bin')!;
    expect(mine).to.include({ state: 'declined', bytes: 0 });
    expect(mine.blob).to.equal(undefined);
    expect(mine.url).to.equal(undefined);
    expect(b.files.heldBytes()).to.equal(0);
    await sleep(300);
    expect(atB, 'no data after declining').to.deep.equal({ bytes: 0, frames: 0 });
    expect(a.dataChannel(b.localId, 'files')!.bufferedAmount).to.equal(0);
  });

  it('accepted: the bytes arrive identical, SHA-256 verified', async () => {
    files = {};
    const [a, b] = await room('Ada', 'Bob');
    const atB = countBinary(b, a);
    const offer = offered(b);
    const file = randomFile(3 * MiB + 5, 'wanted.bin');
    const t = await a.files.send(file);
    const o = await offer;
    expect(atB.frames).to.equal(0);
    await b.files.accept(o.id);
    const got = await waitFor(() => (incomingOf(b, 'wanted.bin')?.state === 'done' ? incomingOf(b, 'wanted.bin') : undefined), 'the file at Bob', SLOW);
    expect(got).to.include({ bytes: 3 * MiB + 5, size: 3 * MiB + 5 });
    expect(await sha256(got.blob!)).to.equal(await sha256(file));
    expect((await a.files.settled(t.id)).state).to.equal('done');
    expect(atB.bytes).to.equal(3 * MiB + 5);
  });

  it('an offer nobody answers is withdrawn after the timeout, having moved nothing', async () => {
    files = { offerTimeoutMs: 1500 };
    const [a, b] = await room('Ada', 'Bob');
    const atB = countBinary(b, a);
    const offer = offered(b);
    const t = await a.files.send(randomFile(MiB, 'ignored.bin'));
    await offer;
    const end = await a.files.settled(t.id);
    expect(end.state).to.equal('declined');
    expect(end.error).to.match(/did not accept it in time/);
    await waitFor(() => incomingOf(b, 'ignored.bin')?.state === 'declined', 'withdrawn at Bob');
    expect(incomingOf(b, 'ignored.bin')!.bytes).to.equal(0);
    expect(atB).to.deep.equal({ bytes: 0, frames: 0 });
  });

  it('auto-accepts offers up to its limit, and asks for larger ones', async () => {
    files = {};
    filesFor = { Bob: { autoAccept: MiB } };
    const [a, b] = await room('Ada', 'Bob');
    const small = randomFile(MiB, 'small.bin');
    const t = await a.files.send(small);
    expect((await a.files.settled(t.id)).state, 'taken without asking').to.equal('done');
    expect(await sha256(incomingOf(b, 'small.bin')!.blob!)).to.equal(await sha256(small));
    const offer = offered(b);
    const big = await a.files.send(randomFile(MiB + 1, 'bigger.bin'));
    expect((await offer).state).to.equal('offered');
    expect(outgoing(a, big.id).state).to.equal('offered');
    // The policy can change during the call (what <rtc-chat files-auto-accept> does).
    b.files.setPolicy({ autoAccept: 'all' });
    const again = await a.files.send(randomFile(2 * MiB, 'all.bin'));
    expect((await a.files.settled(again.id)).state).to.equal('done');
    await b.files.decline(incomingOf(b, 'bigger.bin')!.id);
    expect((await a.files.settled(big.id)).state).to.equal('declined');
  });

  it('refuses offers over its maximum size outright', async () => {
    files = {};
    filesFor = { Bob: { maxFileSize: MiB, autoAccept: 'all' } };
    const [a, b] = await room('Ada', 'Bob');
    const atB = countBinary(b, a);
    const t = await a.files.send(randomFile(MiB + 1, 'too-big.bin'));
    const end = await a.files.settled(t.id);
    expect(end).to.include({ state: 'failed', error: 'The file is too large for Bob.', bytes: 0 });
    expect(incomingOf(b, 'too-big.bin'), 'not even shown').to.equal(undefined);
    expect(b.files.refusedOffers).to.equal(1);
    expect(atB).to.deep.equal({ bytes: 0, frames: 0 });
  });

  it('throttles a peer that floods offers: pending at most 4, and a number per minute', async () => {
    files = {};
    filesFor = { Bob: { offersPerMinute: 10 } };
    const [a, b] = await room('Ada', 'Bob');
    const atB = countBinary(b, a);
    // Through the library: 8 offers at once, 4 wait for Bob, 4 are declined at once.
    const sent = await Promise.all(Array.from({ length: 8 }, (_, i) => a.files.send(new File([`file ${i}`], `flood${i}.txt`))));
    const ends = await Promise.all(sent.slice(4).map((t) => a.files.settled(t.id)));
    expect(ends.map((t) => t.error)).to.deep.equal(Array(4).fill('Bob is getting too many offers; try again later.'));
    await waitFor(() => incoming(b).length === 4, 'four offers at Bob');
    expect(incoming(b).every((t) => t.state === 'offered')).to.equal(true);
    // A raw flood: each refused with 'throttled', and Bob keeps nothing for them.
    const raw = a.dataChannel(b.localId, 'files')!;
    const refusals: string[] = [];
    raw.addEventListener('message', ({ data }) => typeof data === 'string' && data.includes('throttled') && refusals.push(data));
    for (let n = 5000; n < 5100; n++) raw.send(JSON.stringify({ t: 'offer', n, name: `raw${n}`, size: 10 }));
    await waitFor(() => refusals.length === 100, '100 throttled refusals');
    expect(incoming(b)).to.have.length(4);
    // Bob declines the four: no longer pending, but this minute's allowance (10) is spent.
    for (const t of incoming(b)) await b.files.decline(t.id);
    const late = await a.files.send(new File(['x'], 'late.txt'));
    expect((await a.files.settled(late.id)).error).to.equal('Bob is getting too many offers; try again later.');
    expect(b.files.refusedOffers).to.equal(4 + 100 + 1);
    expect(atB).to.deep.equal({ bytes: 0, frames: 0 });
  });
});
