import { expect } from '@open-wc/testing';
import { RtcSession, type ChatMessage } from '../../src/core/index.js';
import { Chat, type ChatOptions, type DataHost } from '../../src/core/data/chat.js';
import { CHANNEL_IDS, chatSignedText, randomId, type ChatWire } from '../../src/core/data/wire.js';
import { createIdentity, type Identity } from '../../src/core/signaling/identity.js';
import { SIGNALING, signaling, type Signaling } from '../helpers/signaling.js';
import { channelsOpen, sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';

// Once over an in-page LoopbackHub, once through the real signaling server (signal-plugin.ts).
for (const kind of SIGNALING)
  describe(`Chat over the chat data channel (${kind} signaling)`, function () {
    this.timeout(60000);
    let sig: Signaling;

    // No devices: these tests are about data, and fake cameras cost CPU on a busy machine.
    // "Connected" here: the chat channel is open. room(...names): they join in order, then all chat.
    const {
      make,
      room,
      connected: chatOpen,
      leaveAll,
    } = sessionSet(() => ({ room: sig.room, transport: sig.transport, media: { audio: false, video: false } }), {
      timeout: 40000,
      linked: channelsOpen('chat'),
    });
    const texts = (s: RtcSession) => s.chat.messages.get().map((m) => m.text);
    const nextMessage = (s: RtcSession) =>
      new Promise<ChatMessage>((resolve) => {
        const off = s.on('message', (m) => {
          off();
          resolve(m);
        });
      });

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
      expect(a.dataChannel(b.localId, 'files')!.id).to.equal(CHANNEL_IDS.files);
      expect(CHANNEL_IDS.files, 'files moved to a new id with P2P version 2').to.equal(3);
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
      const seen = new Map<RtcSession, string[]>([
        [b, []],
        [c, []],
      ]);
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

    it('a late joiner gets the recent history, signed by its authors, from one peer already there, once, in order (server); none without keys (loopback)', async () => {
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
      if (kind === 'loopback') {
        // Hub ids derive from no key: nobody can sign, so nobody hands anything on (and C takes nothing unsigned).
        await sleep(300);
        expect(c.chat.messages.get()).to.deep.equal([]);
        expect(a.chat.messages.get().every((m) => !m.verified)).to.equal(true);
      } else {
        await waitFor(() => c.chat.messages.get().length === 6, 'history at C');
        await sleep(300); // both A and B hand history over: only one is taken, and nothing may come twice
        const got = c.chat.messages.get();
        expect(got.map((m) => m.text)).to.deep.equal(said);
        expect(got.map((m) => m.name)).to.deep.equal(['Ada', 'Bob', 'Ada', 'Bob', 'Ada', 'Bob']);
        expect(got.every((m) => !m.local && m.verified)).to.equal(true);
        const by = got[0].relayedBy;
        expect([a.localId, b.localId]).to.include(by);
        expect(
          got.every((m) => m.relayedBy === by),
          'all from one peer',
        ).to.equal(true);
        expect(c.chat.dropped['history-other-peer'], 'the other peer’s copy was not taken').to.equal(6);
      }
      // The old members got nothing new from the newcomer, and history raised no message events.
      expect(texts(a)).to.deep.equal(said);
      expect(texts(b)).to.deep.equal(said);

      // Chat goes on with the newcomer.
      const atC = nextMessage(c);
      await a.chat.send('welcome Cy');
      expect((await atC).name).to.equal('Ada');
    });

    // Server only: the hub has no keys, so no history (the test above checks that).
    if (kind === 'server')
      it('hands over at most the last 100 messages', async function () {
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
        // A signature that is not 86 base64url characters does not even parse.
        JSON.stringify({ t: 'msg', id: 'badsig', text: 'x', time: 1, sig: 'not a signature' }),
        '{"__proto__":{"polluted":true},"t":"msg","id":"proto","text":"proto"}',
        // A forward outside a broadcast (only a presenter hands viewers' messages on): not taken.
        JSON.stringify({
          t: 'fwd',
          id: 'fwd1',
          from: 'someone-else',
          name: 'Eve',
          time: Date.now(),
          text: 'relayed',
          key: 'k'.repeat(122),
          sig: 's'.repeat(86),
        }),
      ];
      for (const f of frames) raw.send(f as string);
      // Unsigned history from someone who already left: dropped (only what its author signed is taken).
      raw.send(JSON.stringify({ t: 'hist', id: 'gone1', from: 'gone-peer', name: '<img src=x onerror=alert(1)>', time: 9e15, text: 'from the past' }));
      await b.chat.send('still works');
      await waitFor(() => events.some((m) => m.text === 'still works'), 'the real message');
      await sleep(200);
      // Through the server B has a key: its unsigned message is dropped; on the hub it has none, and the channel vouches for it.
      expect(events.map((m) => m.text)).to.deep.equal(kind === 'loopback' ? ['proto', 'still works'] : ['still works']);
      expect(a.chat.dropped.unsigned ?? 0).to.equal(kind === 'loopback' ? 0 : 1);
      expect(({} as { polluted?: boolean }).polluted).to.equal(undefined);
      expect(a.chat.messages.get().some((m) => m.id === 'gone1' || m.id === 'forged' || m.id === 'fwd1')).to.equal(false);
      expect(a.chat.dropped['forward-not-allowed'], 'a forward in a meeting').to.equal(1);
      const d = a.chat.dropped;
      expect((d['history-unsigned'] ?? 0) + (d['history-late'] ?? 0), 'unsigned history dropped').to.equal(2);
      // And A still talks to B.
      const atB = nextMessage(b);
      await a.chat.send('and back');
      expect((await atB).text).to.equal('and back');
    });
  });

// ---- Honest chat: signatures and history, at the Chat level over in-page channels ----
// Peers here are Chat objects joined by a FakeChannel pair (ordered, like a reliable data channel),
// each with a real WebCrypto identity whose key its id derives from (as the server derives ids),
// so the tests choose exactly who says what, and when.

class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  binaryType: BinaryType = 'arraybuffer';
  bufferedAmount = 0;
  other?: FakeChannel;
  /** Every frame sent on this end. */
  readonly sent: string[] = [];
  send(data: string): void {
    if (this.readyState !== 'open') throw new DOMException('The channel is not open.', 'InvalidStateError');
    this.sent.push(data);
    const to = this.other!;
    setTimeout(() => to.readyState === 'open' && to.dispatchEvent(new MessageEvent('message', { data })), 0);
  }
  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
}

interface Member {
  id: string;
  name: string;
  identity: Identity | null;
  chat: Chat;
  /** 'message' events (live messages from others). */
  received: ChatMessage[];
  /** Our end of the channel to each peer. */
  to: Map<string, FakeChannel>;
}

describe('Honest chat: signed messages, and history only as its authors signed it', function () {
  this.timeout(20000);
  const ROOM = 'honest-room';
  /** Who is in the call (id → name), as every member's session would know it. */
  let roster: Map<string, string>;
  beforeEach(() => (roster = new Map()));

  async function member(name: string, { keyless = false, options = {} as ChatOptions } = {}): Promise<Member> {
    const identity = keyless ? null : await createIdentity();
    const id = identity?.id ?? `socket-${name}-${randomId()}`;
    roster.set(id, name);
    const m: Member = { id, name, identity, received: [], to: new Map(), chat: undefined! };
    const host: DataHost = { localId: () => id, nameOf: (p) => roster.get(p), peers: () => [...m.to.keys()], room: () => ROOM, identity: () => identity };
    m.chat = new Chat(host, (msg) => m.received.push(msg), options);
    return m;
  }
  /** Connect x and y (both ends open at once); returns x's end. */
  function link(x: Member, y: Member): FakeChannel {
    const [a, b] = [new FakeChannel(), new FakeChannel()];
    a.other = b;
    b.other = a;
    x.to.set(y.id, a);
    y.to.set(x.id, b);
    x.chat.attach(y.id, a as unknown as RTCDataChannel);
    y.chat.attach(x.id, b as unknown as RTCDataChannel);
    a.open();
    b.open();
    return a;
  }
  /** A raw channel from a peer `id` (no Chat behind it) into `to`'s chat: the test speaks for that peer. */
  function rawPeer(to: Member, id: string, name: string): FakeChannel {
    roster.set(id, name);
    const [a, b] = [new FakeChannel(), new FakeChannel()];
    a.other = b;
    b.other = a;
    to.chat.attach(id, b as unknown as RTCDataChannel);
    a.readyState = 'open';
    b.open();
    return a;
  }
  const frames = (ch: FakeChannel) => ch.sent.map((f) => JSON.parse(f) as ChatWire);
  /** `author`'s live `msg` frame for `text`, as it went out on `ch`, turned into a `hist` entry (with changes). */
  function histFrom(author: Member, ch: FakeChannel, text: string, change: Partial<ChatWire & { t: 'hist' }> = {}): string {
    const msg = frames(ch).find((f) => f.t === 'msg' && f.text === text) as ChatWire & { t: 'msg' };
    return JSON.stringify({
      t: 'hist',
      id: msg.id,
      from: author.id,
      name: author.name,
      time: msg.time,
      text: msg.text,
      key: author.identity!.key,
      sig: msg.sig,
      ...change,
    });
  }
  const texts = (m: Member) => m.chat.messages.get().map((x) => x.text);
  /** A live message from the test's raw peer `id`, then wait for `to` to show it: every frame before it was handled. */
  async function marker(ch: FakeChannel, to: Member, id: string): Promise<void> {
    const mid = randomId();
    ch.send(JSON.stringify({ t: 'msg', id: mid, text: `marker ${mid}` }));
    await waitFor(() => to.chat.messages.get().some((m) => m.from === id && m.id === mid), 'the marker message');
  }

  it('a peer forging history attributed to a present third member: never shown as that member’s words', async () => {
    const tina = await member('Tina');
    const mal = await member('Mal');
    const tinaToMal = link(tina, mal);
    await tina.chat.send('the meeting is at 3');
    await waitFor(() => texts(mal).length === 1, 'Tina’s message at Mal');
    const tinaKey = tina.identity!.key;
    const malSig = (text: string) => mal.identity!.sign(text);

    const ann = await member('Ann'); // the newcomer; Tina is still in the call
    const malToAnn = link(ann, mal) && mal.to.get(ann.id)!;
    const now = Date.now();
    const forged = [
      // 1. No key, no signature: the old protocol, where anyone could say anything for anyone.
      { t: 'hist', id: 'forged1', from: tina.id, name: 'Tina', time: now, text: 'FORGED: I owe Mal 100 €' },
      // 2. Signed by Mal with Mal's own key: the key does not derive to Tina's id.
      {
        t: 'hist',
        id: 'forged2',
        from: tina.id,
        name: 'Tina',
        time: now,
        text: 'FORGED: Mal is right',
        key: mal.identity!.key,
        sig: await malSig(chatSignedText(ROOM, tina.id, 'forged2', now, 'FORGED: Mal is right')),
      },
      // 3. Tina's real key (Mal has it from her hello), but Mal's signature.
      {
        t: 'hist',
        id: 'forged3',
        from: tina.id,
        name: 'Tina',
        time: now,
        text: 'FORGED: fire Ann',
        key: tinaKey,
        sig: await malSig(chatSignedText(ROOM, tina.id, 'forged3', now, 'FORGED: fire Ann')),
      },
      // 4. Tina's real message and signature, the words changed.
      JSON.parse(histFrom(tina, tinaToMal, 'the meeting is at 3', { id: 'forged4', text: 'FORGED: the meeting is cancelled' })),
    ];
    for (const f of forged) malToAnn.send(JSON.stringify(f));
    await mal.chat.send('hi Ann');
    await waitFor(() => ann.received.some((m) => m.text === 'hi Ann'), 'Mal’s live message at Ann');

    const shown = ann.chat.messages.get();
    expect(
      shown.filter((m) => m.text.startsWith('FORGED')),
      'no forged words',
    ).to.deep.equal([]);
    expect(
      shown.filter((m) => m.from === tina.id).map((m) => m.text),
      'Tina said only this',
    ).to.deep.equal(['the meeting is at 3']);
    // Her genuine message came as history Mal handed over, and is marked so.
    expect(shown[0]).to.include({ from: tina.id, name: 'Tina', relayedBy: mal.id, verified: true, local: false });
    expect(shown.map((m) => m.text)).to.deep.equal(['the meeting is at 3', 'hi Ann']);
    expect(ann.chat.dropped).to.deep.include({ 'history-unsigned': 1, 'history-bad-key': 1, 'history-bad-signature': 2 });
  });

  it('history after the hand-over window is ignored', async () => {
    const tina = await member('Tina');
    const mal = await member('Mal');
    const tinaToMal = link(tina, mal);
    await tina.chat.send('said early');
    await waitFor(() => texts(mal).length === 1, 'Tina’s message at Mal');
    const ann = await member('Ann', { options: { historyWindowMs: 300 } });
    const relay = rawPeer(ann, 'relay-peer', 'Rel');
    const opened = performance.now();
    await waitFor(() => performance.now() - opened > 400, 'the window to pass'); // the condition is the clock itself
    relay.send(histFrom(tina, tinaToMal, 'said early')); // genuine, but late
    await marker(relay, ann, 'relay-peer');
    expect(texts(ann).some((t) => t === 'said early')).to.equal(false);
    expect(ann.chat.dropped['history-late']).to.equal(1);
  });

  it('genuine history is shown marked as relayed, before what was seen live, and never replaces it', async () => {
    const tina = await member('Tina');
    const mal = await member('Mal');
    link(tina, mal);
    await tina.chat.send('one');
    await waitFor(() => texts(mal).length === 1, 'one at Mal');
    await mal.chat.send('two');
    await waitFor(() => texts(tina).length === 2, 'two at Tina');

    const ann = await member('Ann');
    // Kim has no key (an insecure page): live, the channel vouches for Kim.
    const kim = await member('Kim', { keyless: true });
    link(ann, kim);
    await kim.chat.send('live first');
    await waitFor(() => texts(ann).includes('live first'), 'Kim’s live message at Ann');
    link(ann, mal);
    await waitFor(() => texts(ann).length === 3, 'history at Ann');
    const shown = ann.chat.messages.get();
    expect(shown.map((m) => m.text)).to.deep.equal(['one', 'two', 'live first']);
    expect(shown.map((m) => m.name)).to.deep.equal(['Tina', 'Mal', 'Kim']);
    expect(shown.map((m) => m.relayedBy)).to.deep.equal([mal.id, mal.id, undefined]);
    expect(shown.map((m) => m.verified)).to.deep.equal([true, true, false]);
    expect(
      ann.received.map((m) => m.text),
      'history raises no message events',
    ).to.deep.equal(['live first']);

    // Tina, linked now, hands over the same history: one source only, and nothing twice.
    link(ann, tina);
    await tina.chat.send('three');
    await waitFor(() => texts(ann).includes('three'), 'three at Ann');
    expect(texts(ann)).to.deep.equal(['one', 'two', 'live first', 'three']);
    expect(ann.chat.dropped['history-other-peer']).to.be.at.least(1);

    // Kim's words were never signed: nobody can hand them on, and a relay claiming them is dropped.
    const bo = await member('Bo');
    const relay = rawPeer(bo, 'relay-2', 'Rel');
    link(bo, ann);
    await waitFor(() => texts(bo).includes('three'), 'history at Bo');
    expect(texts(bo)).to.deep.equal(['one', 'two', 'three']);
    relay.send(JSON.stringify({ t: 'hist', id: 'kim1', from: kim.id, name: 'Kim', time: Date.now(), text: 'Kim said so' }));
    await marker(relay, bo, 'relay-2');
    expect(texts(bo)).to.not.include('Kim said so');
  });

  it("a message sent while a newcomer's channel is still opening reaches them live once it opens, once", async () => {
    const tina = await member('Tina');
    const ann = await member('Ann');
    const [a, b] = [new FakeChannel(), new FakeChannel()];
    a.other = b;
    b.other = a;
    tina.to.set(ann.id, a);
    ann.to.set(tina.id, b);
    tina.chat.attach(ann.id, a as unknown as RTCDataChannel);
    ann.chat.attach(tina.id, b as unknown as RTCDataChannel);
    await tina.chat.send('said while you were connecting');
    b.open();
    a.open();
    await waitFor(() => ann.received.length === 1, 'the message at Ann');
    await tina.chat.send('and after');
    await waitFor(() => ann.received.length === 2, 'the second at Ann');
    expect(ann.received.map((m) => [m.text, m.name, m.relayedBy])).to.deep.equal([
      ['said while you were connecting', 'Tina', undefined],
      ['and after', 'Tina', undefined],
    ]);
    expect(texts(ann)).to.deep.equal(['said while you were connecting', 'and after']);
  });

  it('a tampered signature is dropped, live or relayed', async () => {
    const tina = await member('Tina');
    const mal = await member('Mal');
    const tinaToMal = link(tina, mal);
    await tina.chat.send('pay 10');
    await waitFor(() => texts(mal).length === 1, 'at Mal');
    const ann = await member('Ann');
    const relay = rawPeer(ann, 'relay-3', 'Rel');
    const genuine = JSON.parse(histFrom(tina, tinaToMal, 'pay 10')) as { sig: string };
    // One character of the signature changed.
    const flipped = genuine.sig.slice(0, 10) + (genuine.sig[10] === 'A' ? 'B' : 'A') + genuine.sig.slice(11);
    relay.send(histFrom(tina, tinaToMal, 'pay 10', { sig: flipped }));
    relay.send(histFrom(tina, tinaToMal, 'pay 10', { time: 1 })); // another time than was signed
    await marker(relay, ann, 'relay-3');
    expect(texts(ann)).to.not.include('pay 10');
    expect(ann.chat.dropped['history-bad-signature']).to.equal(2);

    // Live: Mal announced a key, so each of Mal's messages must carry Mal's signature of exactly it.
    const annToMal = link(ann, mal);
    const malToAnn = mal.to.get(ann.id)!;
    await mal.chat.send('signed');
    await waitFor(() => texts(ann).includes('signed'), 'a signed live message');
    const sent = frames(malToAnn).find((f) => f.t === 'msg') as ChatWire & { t: 'msg' };
    malToAnn.send(JSON.stringify({ ...sent, id: 'tampered', text: 'not what was signed' }));
    malToAnn.send(JSON.stringify({ t: 'msg', id: 'unsigned', text: 'no signature' }));
    await mal.chat.send('after');
    await waitFor(() => texts(ann).includes('after'), 'the next genuine message');
    expect(texts(ann)).to.not.include('not what was signed');
    expect(texts(ann)).to.not.include('no signature');
    expect(ann.chat.dropped).to.deep.include({ 'bad-signature': 1, unsigned: 1 });
    expect(annToMal.readyState).to.equal('open');
  });
});
