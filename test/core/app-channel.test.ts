import { expect } from '@open-wc/testing';
import { APP_CHANNEL_LIMITS, appChannelId, type AppChannel, type AppMessage, type RtcSession } from '../../src/core/index.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { channelsOpen, sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { negotiations } from './media-helpers.js';

/** App data channels (session.channel), through the real signaling server. */
describe('App channels (session.channel)', function () {
  this.timeout(90000);
  let sig: Signaling;
  // No devices: this is about data, and fake cameras cost CPU on a busy machine.
  const { make, room, joinAll, leaveAll } = sessionSet(() => ({ room: sig.room, transport: sig.transport, media: { audio: false, video: false } }), {
    timeout: 40000,
    linked: channelsOpen('control', 'chat'),
  });

  beforeEach(async () => {
    sig = await signaling('server', 'app');
  });
  afterEach(async () => {
    await leaveAll();
    expect(sig.serverErrors, 'server-error events').to.deep.equal([]);
  });

  /** Until `ch` counts every session of `others` as ready. */
  const ready = (ch: AppChannel, ...others: RtcSession[]) =>
    waitFor(() => others.every((o) => ch.peers.get().includes(o.localId)), `${ch.label}: ready with ${others.map((o) => o.name).join(', ')}`, 20000);
  /** The next `n` messages on `ch`. */
  const collect = (ch: AppChannel, n: number) =>
    new Promise<AppMessage[]>((resolve) => {
      const got: AppMessage[] = [];
      const off = ch.on('message', (m) => {
        got.push(m);
        if (got.length === n) (off(), resolve(got));
      });
    });
  /** Keep sending (unreliable: any one may be lost) until `ch` received something, then stop. */
  const untilReceived = async (from: AppChannel, to: AppChannel, data: unknown) => {
    const got = new Promise<AppMessage>((resolve) => {
      const off = to.on('message', (m) => (off(), resolve(m)));
    });
    let done = false;
    void got.then(() => (done = true));
    while (!done) {
      from.send(data as string);
      await Promise.race([got, sleep(50)]);
    }
    return got;
  };

  it('sends unordered, unreliable messages both ways on an open call, without renegotiating', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const before = negotiations(a, b);
    const ca = a.channel('game', { ordered: false, maxRetransmits: 0 });
    const cb = b.channel('game', { ordered: false, maxRetransmits: 0 });
    expect(ca.id).to.equal(appChannelId('game'));
    expect(ca.id).to.be.within(16, 1023);
    await Promise.all([ready(ca, b), ready(cb, a)]);

    const raw = ca.dataChannel(b.localId)!;
    expect(raw.id).to.equal(ca.id);
    expect(raw.negotiated).to.equal(true);
    expect(raw.ordered).to.equal(false);
    expect(raw.maxRetransmits).to.equal(0);

    const atB = await untilReceived(ca, cb, { x: 1, y: 2 });
    expect(atB).to.deep.equal({ from: a.localId, data: { x: 1, y: 2 } });
    const atA = await untilReceived(cb, ca, 'pong');
    expect(atA).to.deep.equal({ from: b.localId, data: 'pong' });

    // 60 messages at a game's pace: on a local path (nearly) all of them arrive.
    const got: number[] = [];
    cb.on('message', ({ data }) => typeof data === 'object' && data && 'seq' in data && got.push((data as { seq: number }).seq));
    for (let seq = 0; seq < 60; seq++) {
      expect(ca.send({ seq }).sent).to.equal(1);
      await sleep(16);
    }
    await waitFor(() => got.length >= 55, 'most of 60 unreliable messages', 10000);

    // Addressed to one peer; to one that is not there, nobody.
    const one = collect(ca, 1);
    expect(cb.send(a.localId, 'just you')).to.deep.equal({ sent: 1, dropped: 0 });
    expect(cb.send('nobody', 'x')).to.deep.equal({ sent: 0, dropped: 0 });
    await Promise.race([
      one,
      (async () => {
        for (;;) {
          await sleep(200);
          cb.send(a.localId, 'just you');
        }
      })(),
    ]);

    expect(negotiations(a, b), 'offers and answers after opening the channel').to.equal(before);
  });

  it('a late joiner gets the channel, with no renegotiation of the existing links', async () => {
    const ca = make('Ada');
    const cbS = make('Bob');
    // Channels opened before joining ride on each link's first offer/answer.
    const chA = ca.channel('telemetry', { ordered: false, maxRetransmits: 0 });
    const chB = cbS.channel('telemetry', { ordered: false, maxRetransmits: 0 });
    const [a, b] = await joinAll(ca, cbS);
    await Promise.all([ready(chA, b), ready(chB, a)]);
    const ab = negotiations(a, b);
    const abOffers = a.negotiationStats(b.localId)!.offersSent + b.negotiationStats(a.localId)!.offersSent;
    expect(abOffers, 'one offer for the first link').to.equal(1);

    const c = make('Cy');
    const chC = c.channel('telemetry', { ordered: false, maxRetransmits: 0 });
    await c.join();
    await Promise.all([ready(chA, b, c), ready(chB, a, c), ready(chC, a, b)]);
    for (const [x, y] of [
      [a, c],
      [b, c],
    ]) {
      const offers = x.negotiationStats(y.localId)!.offersSent + y.negotiationStats(x.localId)!.offersSent;
      expect(offers, `${x.name}–${y.name}: one offer`).to.equal(1);
    }
    expect(negotiations(a, b), 'Ada–Bob untouched').to.equal(ab);

    const m = await untilReceived(chC, chA, [1, 2, 3]);
    expect(m).to.deep.equal({ from: c.localId, data: [1, 2, 3] });
    const n = await untilReceived(chA, chC, 'hi Cy');
    expect(n.data).to.equal('hi Cy');
  });

  it('carries 1 MiB of binary messages intact on a reliable channel, with backpressure', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const ca = a.channel('bulk');
    const cb = b.channel('bulk');
    expect(ca.reliable).to.equal(true);
    await Promise.all([ready(ca, b), ready(cb, a)]);

    const size = 1024 * 1024;
    const chunk = 60 * 1024;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
    const n = Math.ceil(size / chunk);
    const arrived = collect(cb, n);
    for (let i = 0; i < n; i++) {
      // A view into the big buffer: only its bytes go.
      expect(ca.send(bytes.subarray(i * chunk, Math.min(size, (i + 1) * chunk)))).to.deep.equal({ sent: 1, dropped: 0 });
    }
    await ca.drained();
    const got = await arrived;
    const joined = new Uint8Array(size);
    let at = 0;
    for (const { from, data } of got) {
      expect(from).to.equal(a.localId);
      expect(data).to.be.instanceOf(ArrayBuffer);
      joined.set(new Uint8Array(data as ArrayBuffer), at);
      at += (data as ArrayBuffer).byteLength;
    }
    expect(at).to.equal(size);
    const hex = async (b: Uint8Array<ArrayBuffer>) =>
      [...new Uint8Array(await crypto.subtle.digest('SHA-256', b))].map((x) => x.toString(16).padStart(2, '0')).join('');
    expect(await hex(joined)).to.equal(await hex(bytes));
  });

  it('round-trips strings, JSON values and binary as sent', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const ca = a.channel('kinds', { ordered: true });
    const cb = b.channel('kinds', { ordered: true });
    await Promise.all([ready(ca, b), ready(cb, a)]);
    const values: unknown[] = ['plain', '', '{"looks":"like json"}', 'j', 'ünïcødé 🎮', { a: 1, b: [true, null, 'x'] }, [1, 2], 42, 0, null, true, false];
    const arrived = collect(cb, values.length + 2);
    for (const value of values) expect(ca.send(value as string).sent).to.equal(1);
    const view = new Uint8Array([9, 8, 7, 6, 5, 4]).subarray(1, 4);
    ca.send(view);
    ca.send(new Uint16Array([0xffff, 1]).buffer);
    const got = (await arrived).map((m) => m.data);
    expect(got.slice(0, values.length)).to.deep.equal(values);
    expect([...new Uint8Array(got[values.length] as ArrayBuffer)]).to.deep.equal([8, 7, 6]);
    expect([...new Uint16Array(got[values.length + 1] as ArrayBuffer)]).to.deep.equal([0xffff, 1]);

    // What cannot be sent throws at once, locally.
    expect(() => ca.send(undefined as unknown as string)).to.throw(TypeError);
    expect(() => ca.send(new Uint8Array(APP_CHANNEL_LIMITS.frame + 1))).to.throw(RangeError);
    expect(() => ca.send('s'.repeat(APP_CHANNEL_LIMITS.frame))).to.throw(RangeError); // the tag makes it one byte too many
  });

  it('drops malformed and oversized frames from a peer without an error, and keeps going', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const ca = a.channel('strict');
    const cb = b.channel('strict');
    await Promise.all([ready(ca, b), ready(cb, a)]);
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => errors.push('reason' in e ? e.reason : e.error);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    try {
      // Bob's client is "hostile": it writes raw frames on the channel.
      const raw = cb.dataChannel(a.localId)!;
      const bad = ['', 'x', 'zzz', 'j{not json', 'j', 'h', 'h{"v":2}', 'h{"v":1,"seen":"yes"}', `s${'x'.repeat(APP_CHANNEL_LIMITS.frame + 10)}`];
      for (const frame of bad) raw.send(frame);
      raw.send(new Uint8Array(APP_CHANNEL_LIMITS.frame + 1));
      const next = collect(ca, 1);
      raw.send('s still here');
      expect((await next)[0]).to.deep.equal({ from: b.localId, data: ' still here' });
      expect(ca.stats.invalid).to.equal(bad.length + 1); // every bad frame counted, none delivered
      expect(ca.stats.received).to.equal(1);
      expect(ca.peers.get()).to.deep.equal([b.localId]);
      expect(errors).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    }
  });

  it('one label, one channel: same options give it back, other options and id clashes throw', async () => {
    const a = make('Ada');
    const ch = a.channel('same', { ordered: false, maxRetransmits: 0 });
    expect(a.channel('same', { ordered: false, maxRetransmits: 0 })).to.equal(ch);
    expect(() => a.channel('same')).to.throw(TypeError, /other options/);
    expect(() => a.channel('x', { maxRetransmits: 1, maxPacketLifeTime: 100 })).to.throw(TypeError);
    expect(() => a.channel('')).to.throw(TypeError);
    // Two labels with the same id.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const label = `l${i}`;
      const id = appChannelId(label);
      if (seen.has(id)) pair = [seen.get(id)!, label];
      else seen.set(id, label);
    }
    a.channel(pair[0]);
    expect(() => a.channel(pair![1])).to.throw(RangeError, /same id/);
    // Known values, for other clients (docs/protocol.md §10): FNV-1a 32 of the UTF-8 label.
    expect([appChannelId('game'), appChannelId('cursors'), appChannelId('telemetry'), appChannelId('ü')]).to.deep.equal([983, 756, 80, 506]);
    ch.close();
    expect(a.channel('same')).to.not.equal(ch); // a closed channel's label is free again
  });

  it('close() and leave() close the channels; the others see the peer go', async () => {
    const [a, b, c] = await room('Ada', 'Bob', 'Cy');
    const [ca, cb, cc] = [a, b, c].map((s) => s.channel('life', { ordered: false, maxRetransmits: 0 }));
    await Promise.all([ready(ca, b, c), ready(cb, a, c), ready(cc, a, b)]);

    // Bob closes his channel: Ada and Cy see him go, their calls go on.
    const gone: string[] = [];
    ca.on('peer-close', (id) => gone.push(id));
    const rawAB = ca.dataChannel(b.localId)!;
    const rawBA = cb.dataChannel(a.localId)!;
    cb.close();
    expect(cb.closed).to.equal(true);
    expect(rawBA.readyState).to.be.oneOf(['closing', 'closed']);
    await waitFor(() => gone.includes(b.localId) && !cc.peers.get().includes(b.localId), 'Bob gone from the channel');
    expect(rawAB.readyState).to.be.oneOf(['closing', 'closed']);
    expect(cb.send('x').sent).to.equal(0);
    // He opens it again: everyone is back, still with no renegotiation.
    const before = negotiations(a, b);
    const again = b.channel('life', { ordered: false, maxRetransmits: 0 });
    await Promise.all([ready(again, a, c), ready(ca, b), ready(cc, b)]);
    expect(negotiations(a, b)).to.equal(before);

    // Cy leaves the call: her channels close, and Ada's and Bob's lose her.
    const rawCA = cc.dataChannel(a.localId)!;
    const rawAC = ca.dataChannel(c.localId)!;
    await c.leave();
    expect(cc.peers.get()).to.deep.equal([]);
    expect(rawCA.readyState).to.be.oneOf(['closing', 'closed']);
    await waitFor(() => !ca.peers.get().includes(c.localId) && !again.peers.get().includes(c.localId), 'Cy gone from the channel');
    await waitFor(() => rawAC.readyState === 'closed', "Ada's end to Cy closed");
    expect(ca.dataChannel(c.localId)).to.equal(undefined);
  });

  it('an unreliable channel drops what would queue up; a reliable one queues it', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const fast = a.channel('fast', { ordered: false, maxRetransmits: 0 });
    const sure = a.channel('sure');
    b.channel('fast', { ordered: false, maxRetransmits: 0 });
    const sureB = b.channel('sure');
    await Promise.all([ready(fast, b), ready(sure, b)]);
    const big = new Uint8Array(60 * 1024);
    // The buffer cannot drain within one task: past the high-water mark the rest is dropped.
    const results = Array.from({ length: 5 }, () => fast.send(big));
    expect(results.slice(0, 2).every((r) => r.sent === 1)).to.equal(true);
    expect(
      results.some((r) => r.dropped === 1),
      JSON.stringify(results),
    ).to.equal(true);
    // The reliable one takes 40 (2.4 MB, beyond its high-water mark) and delivers all of them.
    const arrived = collect(sureB, 40);
    for (let i = 0; i < 40; i++) expect(sure.send(big)).to.deep.equal({ sent: 1, dropped: 0 });
    await sure.drained();
    expect((await arrived).length).to.equal(40);
  });
});
