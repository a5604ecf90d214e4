import { expect } from '@open-wc/testing';
import { RtcSession, type ChatMessage } from '../../src/core/index.js';
import { SIGNALING, signaling, type Signaling } from '../helpers/signaling.js';
import { channelsOpen, sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';

// Once over an in-page LoopbackHub, once through the real signaling server (signal-plugin.ts).
for (const kind of SIGNALING) describe(`Chat over the chat data channel (${kind} signaling)`, function () {
  this.timeout(60000);
  let sig: Signaling;

  // No devices: these tests are about data, and fake cameras cost CPU on a busy machine.
  // "Connected" here: the chat channel is open. room(...names): they join in order, then all chat.
  const { make, room, connected: chatOpen, leaveAll } = sessionSet(
    () => ({ room: sig.room, transport: sig.transport, media: { audio: false, video: false } }),
    { timeout: 40000, linked: channelsOpen('chat') },
  );
  const texts = (s: RtcSession) => s.chat.messages.get().map((m) => m.text);
  const nextMessage = (s: RtcSession) => new Promise<ChatMessage>((resolve) => { const off = s.on('message', (m) => { off(); resolve(m); }); });

  beforeEach(async () => {
    sig = await signaling(kind, 'chat');
  });
  afterEach(async () => {
    await leaveAll();
    // Through the real server: no signal was dropped (rate limit) or refused (size) on the way.
    expect(sig.serverErrors, 'server-error events').to.deep.equal([]);
  });

  it('chats both ways; the name comes from the session, and no renegotiation was needed', async () => {
    const [a, b] = await room('Ada', 'Bob');
    // The ids come from whoever signals: the hub's, or socket ids from the real server.
    expect(a.localId.startsWith('loop-'), `${a.localId} is a ${kind} id`).to.equal(kind === 'loopback');
    const atB = nextMessage(b);
    const sent = await a.chat.send('  hello Bob  ');
    expect(sent).to.include({ text: 'hello Bob', from: a.localId, name: 'Ada', local: true });
    const got = await atB;
    expect(got).to.include({ id: sent.id, text: 'hello Bob', from: a.localId, name: 'Ada', local: false });
    expect(got.time).to.be.closeTo(Date.now(), 5000);

    const atA = nextMessage(a);
    await b.chat.send('hi Ada');
    expect(await atA).to.include({ text: 'hi Ada', name: 'Bob', from: b.localId });
    expect(texts(a)).to.deep.equal(['hello Bob', 'hi Ada']);
    expect(texts(b)).to.deep.equal(['hello Bob', 'hi Ada']);

    // The chat and files channels are negotiated with fixed ids, like control: one offer/answer in all.
    const sa = a.negotiationStats(b.localId)!;
    const sb = b.negotiationStats(a.localId)!;
    expect(sa.offersSent + sb.offersSent, 'offers').to.equal(1);
    expect(a.dataChannel(b.localId, 'chat')!.id).to.equal(1);
    expect(a.dataChannel(b.localId, 'files')!.id).to.equal(2);
  });

  it('rejects blank and over-long messages', async () => {
    const [a] = await room('Ada');
    let err: unknown;
    await a.chat.send('   ').catch((e) => (err = e));
    expect(err).to.be.instanceOf(RangeError);
    err = undefined;
    await a.chat.send('x'.repeat(4001)).catch((e) => (err = e));
    expect(err).to.be.instanceOf(RangeError);
    expect(a.chat.messages.get()).to.have.length(0);
  });

  it('a burst of 200 messages reaches everyone complete, once each, in order', async () => {
    const [a, b, c] = await room('Ada', 'Bob', 'Cy');
    const seen = new Map<RtcSession, string[]>([[b, []], [c, []]]);
    for (const [s, list] of seen) s.on('message', (m) => list.push(m.text));
    const want = Array.from({ length: 200 }, (_, i) => `burst ${i}`);
    await Promise.all(want.map((t) => a.chat.send(t)));
    for (const [s, list] of seen) await waitFor(() => list.length >= 200, `${s.name} has 200`, 30000);
    await sleep(300); // duplicates would arrive by now
    for (const [s, list] of seen) {
      expect(list, `${s.name} events`).to.deep.equal(want);
      expect(texts(s), `${s.name} store`).to.deep.equal(want);
      expect(new Set(s.chat.messages.get().map((m) => m.id)).size).to.equal(200);
    }
    expect(texts(a)).to.deep.equal(want);
  });

  it('a late joiner gets the recent history from the peers already there, merged once, in order', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const said: string[] = [];
    for (let i = 0; i < 6; i++) {
      const [from, to] = i % 2 ? [b, a] : [a, b];
      const arrived = nextMessage(to);
      said.push((await from.chat.send(`line ${i}`)).text);
      await arrived;
      await sleep(5); // distinct times
    }
    const c = make('Cy');
    await c.join();
    await chatOpen(c, [a, b]);
    await waitFor(() => c.chat.messages.get().length === 6, 'history at C');
    await sleep(300); // both A and B hand history over: nothing may come twice
    const got = c.chat.messages.get();
    expect(got.map((m) => m.text)).to.deep.equal(said);
    expect(got.map((m) => m.name)).to.deep.equal(['Ada', 'Bob', 'Ada', 'Bob', 'Ada', 'Bob']);
    expect(got.every((m) => !m.local && (m.via === a.localId || m.via === b.localId))).to.equal(true);
    // The old members got nothing new from the newcomer, and history raised no message events.
    expect(texts(a)).to.deep.equal(said);
    expect(texts(b)).to.deep.equal(said);

    // Chat goes on with the newcomer.
    const atC = nextMessage(c);
    await a.chat.send('welcome Cy');
    expect((await atC).name).to.equal('Ada');
  });

  it('hands over at most the last 100 messages', async () => {
    const [a] = await room('Ada');
    for (let i = 0; i < 130; i++) await a.chat.send(`m${i}`);
    const b = make('Bob');
    await b.join();
    await chatOpen(b, [a]);
    await waitFor(() => b.chat.messages.get().length === 100, '100 messages at B');
    await sleep(200);
    expect(texts(b)).to.deep.equal(Array.from({ length: 100 }, (_, i) => `m${i + 30}`));
  });

  it('drops garbage and forged frames, and the channel keeps working', async () => {
    const [a, b] = await room('Ada', 'Bob');
    const raw = b.dataChannel(a.localId, 'chat')!;
    const events: ChatMessage[] = [];
    a.on('message', (m) => events.push(m));
    const frames: (string | Uint8Array<ArrayBuffer>)[] = [
      'not json',
      '{"t":"msg"',
      'null',
      '[1,2,3]',
      '{"t":"msg"}',
      '{"t":"msg","id":"ok1","text":""}',
      JSON.stringify({ t: 'msg', id: 'long', text: 'x'.repeat(4001) }),
      JSON.stringify({ t: 'msg', id: '../../etc', text: 'bad id' }),
      JSON.stringify({ t: 'msg', id: 'n1', text: 42 }),
      JSON.stringify({ t: 'nope', id: 'n2', text: 'unknown type' }),
      'x'.repeat(60 * 1024), // over the frame limit
      new Uint8Array(1000), // binary on a text channel
      // History claiming to be from A itself: nobody may put words in A's mouth.
      JSON.stringify({ t: 'hist', id: 'forged', from: a.localId, name: 'Ada', time: Date.now(), text: 'I owe Bob money' }),
      '{"__proto__":{"polluted":true},"t":"msg","id":"proto","text":"proto"}',
    ];
    for (const f of frames) raw.send(f as string);
    // A message from someone who already left, with a hostile name and a time in the future.
    raw.send(JSON.stringify({ t: 'hist', id: 'gone1', from: 'gone-peer', name: '<img src=x onerror=alert(1)>', time: 9e15, text: 'from the past' }));
    await b.chat.send('still works');
    await waitFor(() => events.some((m) => m.text === 'still works'), 'the real message');
    await sleep(200);
    expect(events.map((m) => m.text)).to.deep.equal(['proto', 'still works']);
    expect(({} as { polluted?: boolean }).polluted).to.equal(undefined);
    const hist = a.chat.messages.get().find((m) => m.id === 'gone1')!;
    expect(hist).to.include({ name: '<img src=x onerror=alert(1)>', via: b.localId, from: 'gone-peer' });
    expect(hist.time).to.be.at.most(Date.now());
    expect(a.chat.messages.get().some((m) => m.id === 'forged')).to.equal(false);
    // And A still talks to B.
    const atB = nextMessage(b);
    await a.chat.send('and back');
    expect((await atB).text).to.equal('and back');
  });
});
