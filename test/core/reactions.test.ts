/**
 * Reactions and raised hands (P2P 1.7, src/core/reactions) through the real signaling server:
 * sessions in one page stand for people on different machines.
 */
import { expect } from '@open-wc/testing';
import { REACTIONS, RtcError, SocketIoTransport, type ReactionEvent, type RtcSession } from '../../src/core/index.js';
import { Hands, MAX_CLOCK_SKEW_MS } from '../../src/core/reactions/hands.js';
import { signalUrl, uniqueRoom } from '../helpers/signaling.js';
import { channelsOpen, remoteOf, sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';

/** Everything `s` hears on `reaction` from now on. */
function reactionsOf(s: RtcSession): ReactionEvent[] {
  const got: ReactionEvent[] = [];
  s.on('reaction', (e) => got.push(e));
  return got;
}

/** The raised-hands queue as names, as `s` sees it. */
const queueOf = (s: RtcSession, names: Map<string, string>) => s.hands.get().map((h) => names.get(h.id) ?? h.id);

/** A raw frame on the control channel from `from` to `to` (what a hostile client could send). */
function raw(from: RtcSession, to: RtcSession, msg: unknown): void {
  from.dataChannel(to.localId, 'control')!.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
}

describe('Reactions and raised hands (real server)', function () {
  this.timeout(120_000);
  let url: string;
  let room: string;
  // No media: these tests are about the control channel (and three cameras slow a 2-core machine).
  const set = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url), media: { audio: false, video: false } }), {
    linked: channelsOpen('control'),
  });
  beforeEach(async () => {
    url = await signalUrl();
    room = uniqueRoom('hands');
  });
  afterEach(() => set.leaveAll());

  /** Ada (the first in, so the host), Bob and Cy, all connected. */
  async function three() {
    const all = await set.room('Ada', 'Bob', 'Cy');
    const names = new Map(all.map((s) => [s.localId, s.name]));
    return { all, names, ada: all[0]!, bob: all[1]!, cy: all[2]! };
  }

  it('a reaction arrives at each other page exactly once with the sender id, and at the sender itself', async () => {
    const { all, bob } = await three();
    const heard = all.map(reactionsOf);
    expect(bob.react('👏')).to.equal(true);
    await waitFor(() => heard.every((h) => h.length >= 1), 'everyone hears it');
    await sleep(500); // a second copy would have arrived by now
    for (const h of heard) expect(h).to.deep.equal([{ from: bob.localId, emoji: '👏' }]);
    expect(() => bob.react('💩')).to.throw(TypeError);
  });

  it('orders raised hands by raise time, the same on every page; a late joiner gets the queue; lowering and leaving take a hand out', async () => {
    const { all, names, ada, bob, cy } = await three();
    const expectQueue = (sessions: RtcSession[], want: string[], what: string) =>
      waitFor(() => sessions.every((s) => JSON.stringify(queueOf(s, names)) === JSON.stringify(want)), `${what}: ${want.join(', ')}`);
    // Raised in a known order: Cy, then Ada, then Bob (each seen everywhere before the next).
    cy.raiseHand();
    await expectQueue(all, ['Cy'], 'Cy raised');
    ada.raiseHand();
    await expectQueue(all, ['Cy', 'Ada'], 'Ada raised');
    bob.raiseHand();
    await expectQueue(all, ['Cy', 'Ada', 'Bob'], 'Bob raised');
    expect(bob.handRaised).to.equal(true);
    // The participant records say it too.
    for (const s of all) {
      const rec = (id: string) => s.participants.get().find((p) => p.id === id)!;
      expect([rec(cy.localId).handPosition, rec(ada.localId).handPosition, rec(bob.localId).handPosition]).to.deep.equal([1, 2, 3]);
      expect(rec(bob.localId).handRaised).to.equal(true);
    }

    // Dee joins later: every member tells her its own hand when the control channel opens.
    const dee = set.make('Dee');
    await dee.join();
    await set.connected(dee, all);
    names.set(dee.localId, 'Dee');
    const everyone = [...all, dee];
    await expectQueue(everyone, ['Cy', 'Ada', 'Bob'], 'Dee sees the queue');
    expect(dee.hands.get().map((h) => h.at)).to.deep.equal(ada.hands.get().map((h) => h.at));

    dee.raiseHand();
    await expectQueue(everyone, ['Cy', 'Ada', 'Bob', 'Dee'], 'Dee raised last');
    ada.lowerHand();
    await expectQueue(everyone, ['Cy', 'Bob', 'Dee'], 'Ada lowered her own');
    ada.raiseHand();
    await expectQueue(everyone, ['Cy', 'Bob', 'Dee', 'Ada'], 'Ada raised again: at the end');

    // Cy leaves: her hand leaves the queue everywhere.
    await cy.leave();
    await expectQueue([ada, bob, dee], ['Bob', 'Dee', 'Ada'], 'Cy left');
    expect(remoteOf(ada, cy.localId)).to.equal(undefined);
    // Out of the call, our own hand is down.
    expect(cy.handRaised).to.equal(false);
    expect(cy.hands.get()).to.deep.equal([]);
  });

  it('a host lowers someone else’s hand; a guest may not', async () => {
    const { all, names, ada, bob, cy } = await three();
    expect(ada.moderation.role.get(), 'the first one in is the host').to.equal('host');
    expect(ada.canLowerHands).to.equal(true);
    expect(cy.canLowerHands).to.equal(false);
    bob.raiseHand();
    await waitFor(() => all.every((s) => queueOf(s, names).join() === 'Bob'), 'Bob raised');

    // A guest asking through the API is refused at once…
    expect(() => cy.lowerHand(bob.localId))
      .to.throw(RtcError)
      .with.property('code', 'not-allowed');
    // …and the same request sent raw (a modified client) is dropped by Bob.
    raw(cy, bob, { type: 'lower-hand', id: bob.localId });
    await sleep(800);
    expect(bob.handRaised, 'a guest cannot lower it').to.equal(true);
    // A host's request about someone else is ignored by the one it reaches.
    raw(ada, cy, { type: 'lower-hand', id: bob.localId });

    ada.lowerHand(bob.localId);
    await waitFor(() => all.every((s) => s.hands.get().length === 0), 'Bob’s hand is down everywhere');
    expect(bob.handRaised).to.equal(false);
  });

  it('drops invalid reactions, unknown types and fields, over-rate reactions, and takes a future raise time as now', async () => {
    const { ada, bob } = await three();
    const heard = reactionsOf(ada);
    const bad = [
      { type: 'reaction', emoji: '💩' },
      { type: 'reaction', emoji: '👍👍' },
      { type: 'reaction', emoji: '<img src=x onerror=alert(1)>' },
      { type: 'reaction' },
      { type: 'reaction', emoji: 42 },
      { type: 'hand', raised: 'yes', at: 1 },
      { type: 'hand', raised: true, at: -5 },
      { type: 'hand', raised: true, at: 1.5 },
      { type: 'lower-hand', id: '' },
      { type: 'wave', emoji: '👍' },
      'not json',
      JSON.stringify({ type: 'reaction', emoji: '👍' }).replace('}', ''),
    ];
    for (const m of bad) raw(bob, ada, m);
    // A compatible future field is ignored: the reaction itself arrives, without the field.
    raw(bob, ada, { type: 'reaction', emoji: '🎉', color: 'red' });
    await waitFor(() => heard.length === 1, 'the valid reaction');
    expect(heard[0]).to.deep.equal({ from: bob.localId, emoji: '🎉' });
    expect(ada.hands.get(), 'no bad hand got in').to.deep.equal([]);

    // A burst of 30 in a moment: at most 5 per second get through.
    await sleep(1100);
    heard.length = 0;
    for (let i = 0; i < 30; i++) raw(bob, ada, { type: 'reaction', emoji: REACTIONS[i % REACTIONS.length] });
    await waitFor(() => heard.length >= 5, 'the first 5');
    await sleep(300);
    expect(heard.length, 'the rest of the burst is dropped').to.equal(5);
    // Our own side keeps to the same rate (the others would drop more).
    await sleep(1100);
    const sent = Array.from({ length: 8 }, () => bob.react('👍'));
    expect(sent.filter(Boolean)).to.have.length(5);
    expect(ada.isViewer).to.equal(false);

    // A raise time an hour in the future is taken as the time it arrived.
    const before = Date.now();
    raw(bob, ada, { type: 'hand', raised: true, at: Date.now() + 3_600_000 });
    await waitFor(() => ada.hands.get().length === 1, 'Bob’s hand');
    expect(ada.hands.get()[0]!.at).to.be.within(before, Date.now());
    // A live raise claiming a time long past is placed at most MAX_CLOCK_SKEW_MS earlier.
    raw(bob, ada, { type: 'hand', raised: false, at: 0 });
    await waitFor(() => ada.hands.get().length === 0, 'lowered');
    raw(bob, ada, { type: 'hand', raised: true, at: 1 });
    await waitFor(() => ada.hands.get().length === 1, 'raised again');
    expect(ada.hands.get()[0]!.at).to.be.above(before - 11_000);
  });
});

describe('Reactions and hands of viewers (real server, join tokens)', function () {
  this.timeout(90_000);
  let url: string;
  let room: string;
  const set = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url), media: { audio: false, video: false } }), {
    linked: channelsOpen('control'),
  });
  beforeEach(async () => {
    url = ((await (await fetch('/__signal/secured')).json()) as { url: string }).url;
    room = uniqueRoom('viewer-hands');
  });
  afterEach(() => set.leaveAll());
  const token = async (name: string, role: string) =>
    ((await (await fetch(`/__token?${new URLSearchParams({ room, name, role })}`)).json()) as { token: string }).token;

  it('a viewer reacts and raises a hand; the host sees both and may lower it', async () => {
    const host = set.make('Host', { token: await token('Host', 'host') });
    const vi = set.make('Vi', { token: await token('Vi', 'viewer') });
    await set.joinAll(host, vi);
    expect(vi.moderation.role.get()).to.equal('viewer');
    const heard = reactionsOf(host);
    expect(vi.react('❤️')).to.equal(true);
    await waitFor(() => heard.length === 1, 'the viewer’s reaction');
    expect(heard[0]).to.deep.equal({ from: vi.localId, emoji: '❤️' });
    vi.raiseHand();
    await waitFor(() => host.hands.get()[0]?.id === vi.localId, 'the viewer’s hand');
    expect(remoteOf(host, vi.localId)).to.include({ handRaised: true, handPosition: 1, role: 'viewer' });
    host.lowerHand(vi.localId);
    await waitFor(() => !vi.handRaised && host.hands.get().length === 0, 'lowered by the host');
  });
});

describe('Hands queue rules (no network)', () => {
  /** A Hands with a fake host: what it sent, and who may lower. */
  function hands(localId = 'me', hosts: string[] = []) {
    const sent: { msg: unknown; to?: string }[] = [];
    const lowered: string[] = [];
    const h = new Hands({
      localId: () => localId,
      send: (msg, to) => sent.push({ msg, to }),
      mayLower: (from) => hosts.includes(from),
      changed: () => undefined,
      loweredBy: (by) => lowered.push(by),
    });
    return { h, sent, lowered };
  }
  const ids = (h: Hands) => h.queue.get().map((x) => x.id);

  it('orders by time, then by peer id for equal times', () => {
    const { h } = hands();
    const t = Date.now() - 1000;
    for (const id of ['b', 'c', 'a']) h.controlOpened(id); // snapshots: times taken as given
    h.received('c', { type: 'hand', raised: true, at: t });
    h.received('b', { type: 'hand', raised: true, at: t });
    h.received('a', { type: 'hand', raised: true, at: t + 1 });
    expect(ids(h)).to.deep.equal(['b', 'c', 'a']);
    expect(h.position('c')).to.equal(2);
    expect(h.position('zz')).to.equal(0);
  });

  it('clamps a future time to now and a live raise to at most MAX_CLOCK_SKEW_MS ago; a re-announced hand keeps its place', () => {
    const { h } = hands();
    h.controlOpened('old');
    h.received('old', { type: 'hand', raised: true, at: 1000 }); // a snapshot: an old raise is believed
    expect(h.queue.get()[0]).to.deep.equal({ id: 'old', at: 1000 });
    const before = Date.now();
    h.received('future', { type: 'hand', raised: true, at: before + 3_600_000 });
    expect(h.queue.get()[1]!.at).to.be.within(before, Date.now());
    h.received('liar', { type: 'hand', raised: true, at: 5 }); // live: no earlier than 10 s ago
    const liar = h.queue.get().find((x) => x.id === 'liar')!;
    expect(liar.at).to.be.within(before - MAX_CLOCK_SKEW_MS, Date.now());
    h.received('liar', { type: 'hand', raised: true, at: 1 });
    expect(h.queue.get().find((x) => x.id === 'liar')!.at, 'keeps its place').to.equal(liar.at);
    h.forget('old');
    expect(ids(h)).to.not.include('old');
  });

  it('our hand: raise, lower, announced on a new channel; lower-hand only from an allowed peer and only about us', () => {
    const { h, sent, lowered } = hands('me', ['host']);
    h.raise();
    expect(h.raised).to.equal(true);
    expect(sent.at(-1)!.msg).to.include({ type: 'hand', raised: true });
    h.controlOpened('newcomer');
    expect(sent.at(-1)).to.deep.include({ to: 'newcomer' });
    h.received('guest', { type: 'lower-hand', id: 'me' });
    expect(h.raised, 'a guest may not').to.equal(true);
    h.received('host', { type: 'lower-hand', id: 'someone-else' });
    expect(h.raised, 'not about us').to.equal(true);
    h.received('host', { type: 'lower-hand', id: 'me' });
    expect(h.raised).to.equal(false);
    expect(lowered).to.deep.equal(['host']);
    expect(sent.at(-1)!.msg).to.deep.equal({ type: 'hand', raised: false, at: 0 });
    h.lowerOther('x');
    expect(sent.at(-1)).to.deep.equal({ msg: { type: 'lower-hand', id: 'x' }, to: 'x' });
  });

  it('drops a flood of hand messages from one peer', () => {
    const { h } = hands();
    for (let i = 0; i < 40; i++) h.received('noisy', { type: 'hand', raised: i % 2 === 0, at: Date.now() });
    // 10 taken (5 raises, 5 lowers): the last taken was a lower.
    expect(ids(h)).to.deep.equal([]);
    h.received('noisy', { type: 'hand', raised: true, at: Date.now() });
    expect(ids(h), 'still over the rate').to.deep.equal([]);
  });
});
