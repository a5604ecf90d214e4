import { expect } from '@open-wc/testing';
import { LoopbackHub, type RtcSession } from '../../src/core/index.js';
import type { RtcError } from '../../src/core/errors.js';
import type { PeerSignal, SignalData } from '../../src/core/signaling/protocol.js';
import { fromBase64url, newRoomSecret, roomSealer, roomSecretFromHash, toBase64url } from '../../src/core/signaling/sealed.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { sessionSet } from '../helpers/sessions.js';

const ROOM = 'standup-42';
const ADA = '-3p7mbUQYPtThMJBfY7TDA';
const BOB = 'ENfZ2BTgspOYLCIXuWTx4A';
const candidate: PeerSignal = { candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 } };

/** A realistic offer (~4 KB): 2 media sections, a data channel, fingerprints, codecs. */
function fakeOffer(): PeerSignal {
  const lines = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2'];
  for (const [i, kind] of ['audio', 'video', 'application'].entries()) {
    lines.push(`m=${kind} 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126`, 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:abcd', 'a=ice-pwd:0123456789abcdef01234567');
    lines.push('a=fingerprint:sha-256 ' + Array.from({ length: 32 }, (_, j) => ((j * 37 + i) & 255).toString(16).padStart(2, '0').toUpperCase()).join(':'));
    lines.push('a=setup:actpass', `a=mid:${i}`, 'a=sendrecv', 'a=rtcp-mux');
    for (let c = 96; c < 120; c++) lines.push(`a=rtpmap:${c} VP8/90000`, `a=rtcp-fb:${c} nack`);
  }
  return { description: { type: 'offer', sdp: lines.join('\r\n') + '\r\n' } };
}

function flipByte(sealed: string, at: number): string {
  const bytes = fromBase64url(sealed)!;
  bytes[at] ^= 0x01;
  return toBase64url(bytes);
}

function stats(samples: number[]): { median: number; p95: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

describe('sealed signals', function () {
  this.timeout(60000);

  it('opens what it sealed: offers, candidates and end of candidates', async () => {
    const secret = newRoomSecret();
    const ada = await roomSealer(secret, ROOM);
    const bob = await roomSealer(secret, ROOM);
    for (const signal of [fakeOffer(), candidate, { candidate: null } satisfies PeerSignal]) {
      const sealed = await ada.seal(ADA, BOB, signal);
      expect(Object.keys(sealed)).to.deep.equal(['sealed']);
      expect(sealed.sealed).to.match(/^[A-Za-z0-9_-]+$/);
      expect(sealed.sealed).not.to.contain('fingerprint');
      expect(await bob.open(ADA, BOB, sealed)).to.deep.equal(signal);
    }
  });

  it('opens the reference vector of docs/protocol.md (interoperability)', async () => {
    const sealer = await roomSealer('r4nd0m-r00m-s3cret_Xy', ROOM);
    const sealed =
      'AAECAwQFBgcICQoLR_onsqcuHjb1P7oowfHmH104vebrfTHHwMabR-cu-F5HDDBfiu5qbqCq9vHJISPwV5BvuSkuLq9V47Lcu1RgpeKPQSLIxTvMj88oreS7ZvaZc1cT3CoCsRnWXSo45kieMav2YvHemwZz1w4cydeLRT9Wbw04RIOX-FbeMy2vVFRt3w';
    expect(await sealer.open(ADA, BOB, { sealed })).to.deep.equal(candidate);
  });

  it('uses a fresh nonce for every signal', async () => {
    const sealer = await roomSealer(newRoomSecret(), ROOM);
    const a = await sealer.seal(ADA, BOB, candidate);
    const b = await sealer.seal(ADA, BOB, candidate);
    expect(a.sealed).not.to.equal(b.sealed);
    expect(a.sealed.slice(0, 16)).not.to.equal(b.sealed.slice(0, 16));
    // 12-byte nonce + JSON + 16-byte tag
    expect(fromBase64url(a.sealed)!.length).to.equal(12 + JSON.stringify(candidate).length + 16);
  });

  it('refuses another key, another room, another sender or recipient, and any altered byte', async () => {
    const secret = newRoomSecret();
    const ada = await roomSealer(secret, ROOM);
    const bob = await roomSealer(secret, ROOM);
    const sealed = await ada.seal(ADA, BOB, fakeOffer());
    expect(await (await roomSealer(newRoomSecret(), ROOM)).open(ADA, BOB, sealed), 'other key').to.equal(null);
    expect(await (await roomSealer(secret, 'another-room')).open(ADA, BOB, sealed), 'other room').to.equal(null);
    expect(await bob.open('mallory', BOB, sealed), 'other sender').to.equal(null);
    expect(await bob.open(ADA, 'carol', sealed), 'replayed to another peer').to.equal(null);
    expect(await bob.open(BOB, ADA, sealed), 'sent back').to.equal(null);
    const length = fromBase64url(sealed.sealed)!.length;
    for (const at of [0, 11, 12, 100, length - 17, length - 1])
      expect(await bob.open(ADA, BOB, { sealed: flipByte(sealed.sealed, at) }), `byte ${at}`).to.equal(null);
    expect(await bob.open(ADA, BOB, { sealed: sealed.sealed.slice(0, -4) }), 'truncated').to.equal(null);
    expect(await bob.open(ADA, BOB, { sealed: '' }), 'empty').to.equal(null);
    expect(await bob.open(ADA, BOB, { sealed: 'not base64!' }), 'not base64url').to.equal(null);
    expect(await bob.open(ADA, BOB, { sealed: 'AAAA' }), 'too short').to.equal(null);
    expect(await bob.open(ADA, BOB, {} as { sealed: string }), 'no field').to.equal(null);
    // Decrypts, but is not a signal: refused by the schema.
    const bogus = await ada.seal(ADA, BOB, { description: { type: 'rollback', sdp: '' } } as unknown as PeerSignal);
    expect(await bob.open(ADA, BOB, bogus), 'not a PeerSignal').to.equal(null);
  });

  it('makes fresh secrets and reads them from a URL fragment', () => {
    const a = newRoomSecret();
    expect(a).to.match(/^[A-Za-z0-9_-]{22}$/);
    expect(fromBase64url(a)!.length).to.equal(16);
    expect(newRoomSecret()).not.to.equal(a);
    expect(roomSecretFromHash(`#key=${a}`)).to.equal(a);
    expect(roomSecretFromHash(`#x=1&key=${a}`)).to.equal(a);
    expect(roomSecretFromHash('#key=')).to.equal(null);
    expect(roomSecretFromHash('')).to.equal(null);
    expect(roomSecretFromHash('#section-2')).to.equal(null);
  });

  it('measures the added latency of sealing and opening', async () => {
    const ada = await roomSealer(newRoomSecret(), ROOM);
    const results: Record<string, string> = {};
    for (const [what, signal] of [
      ['offer (~' + Math.round(JSON.stringify(fakeOffer()).length / 1024) + ' KB)', fakeOffer()],
      ['candidate', candidate],
    ] as const) {
      // Timers are coarse (Firefox: 1 ms), so time batches of 50 and divide.
      const seal: number[] = [];
      const open: number[] = [];
      for (let round = 0; round < 8; round++) {
        const sealed: { sealed: string }[] = [];
        let t = performance.now();
        for (let i = 0; i < 50; i++) sealed.push(await ada.seal(ADA, BOB, signal));
        seal.push((performance.now() - t) / 50);
        t = performance.now();
        for (const x of sealed) await ada.open(ADA, BOB, x);
        open.push((performance.now() - t) / 50);
      }
      const f = (x: { median: number; p95: number; mean: number }) =>
        `median of 8 batches ${(x.median * 1000).toFixed(0)} µs/op (max batch ${(x.p95 * 1000).toFixed(0)} µs/op)`;
      results[what] = `seal ${f(stats(seal))}; open ${f(stats(open))}`;
      expect(stats(seal).median).to.be.below(20);
      expect(stats(open).median).to.be.below(20);
    }
    const t = performance.now();
    for (let i = 0; i < 20; i++) await roomSealer(newRoomSecret(), ROOM);
    results['key derivation (once per session)'] = `${(((performance.now() - t) / 20) * 1000).toFixed(0)} µs`;
    console.log(`[sealed-latency] ${navigator.userAgent.includes('Firefox') ? 'Firefox' : 'Chromium'} ${JSON.stringify(results)}`);
  });
});

describe('RtcSession with a room key', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  const { make, connected, leaveAll } = sessionSet(() => ({ room: 'sealed', hub }), { timeout: 30000 });
  beforeEach(() => (hub = new LoopbackHub()));
  afterEach(leaveAll);

  /** A session whose transport records (and may rewrite) what it hands to the "server". */
  function recorded(name: string, roomKey: string | undefined, tamper?: (data: SignalData) => SignalData) {
    const transport = hub.connect();
    const sent: SignalData[] = [];
    const signal = transport.signal.bind(transport);
    transport.signal = (to, data) => {
      sent.push(data);
      signal(to, tamper ? tamper(data) : data);
    };
    const session = make(name, { transport, roomKey });
    const errors: RtcError[] = [];
    session.on('error', (e) => errors.push(e));
    return { session, sent, errors };
  }

  it('connects two sessions with the same key; the server only sees sealed signals', async () => {
    const key = newRoomSecret();
    const a = recorded('Ada', key);
    const b = recorded('Bob', key);
    await a.session.join();
    await b.session.join();
    await Promise.all([connected(a.session, [b.session]), connected(b.session, [a.session])]);
    expect(a.sent.length + b.sent.length).to.be.greaterThan(2);
    for (const data of [...a.sent, ...b.sent]) expect(Object.keys(data)).to.deep.equal(['sealed']);
    expect(a.errors, 'no error for Ada').to.deep.equal([]);
    expect(b.errors, 'no error for Bob').to.deep.equal([]);
    const [codeA, codeB] = await Promise.all([a.session.safetyCode(b.session.localId), b.session.safetyCode(a.session.localId)]);
    expect(codeA).to.match(/^[a-z]+( [a-z]+){3}$/);
    expect(codeA).to.equal(codeB);
  });

  it('keeps the order of signals although sealing and opening take varying times', async () => {
    // Every encrypt and decrypt is slowed by a random 0-25 ms, so that later signals would overtake
    // earlier ones if nothing kept them in line.
    const proto = SubtleCrypto.prototype;
    const { encrypt, decrypt } = proto;
    const made: { route: string; signal: unknown }[] = [];
    const slow = (original: typeof encrypt, onCall?: (args: Parameters<typeof encrypt>) => void) =>
      function (this: SubtleCrypto, ...args: Parameters<typeof encrypt>) {
        onCall?.(args);
        const result = original.apply(this, args);
        return new Promise<ArrayBuffer>((resolve, reject) => setTimeout(() => result.then(resolve, reject), Math.random() * 25));
      };
    const utf8 = new TextDecoder();
    proto.encrypt = slow(encrypt, ([params, , data]) => {
      const aad = utf8.decode((params as AesGcmParams).additionalData as Uint8Array);
      made.push({ route: aad.split('\n').slice(2).join('>'), signal: JSON.parse(utf8.decode(data as Uint8Array)) });
    });
    proto.decrypt = slow(decrypt);
    try {
      const key = newRoomSecret();
      const a = recorded('Ada', key);
      const b = recorded('Bob', key);
      await a.session.join();
      await b.session.join();
      await Promise.all([connected(a.session, [b.session]), connected(b.session, [a.session])]);
      // Candidates (and the end of them) may still be on their slowed way out: wait until every
      // signal sealed so far has left.
      const route = (x: typeof a, y: typeof a) => `${x.session.localId}>${y.session.localId}`;
      await waitFor(
        () => a.sent.length === made.filter((m) => m.route === route(a, b)).length && b.sent.length === made.filter((m) => m.route === route(b, a)).length,
        'every signal sealed has been sent',
      );
      proto.encrypt = encrypt;
      proto.decrypt = decrypt;
      const sealer = await roomSealer(key, 'sealed');
      for (const [who, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const from = who.session.localId;
        const to = other.session.localId;
        const opened: unknown[] = [];
        for (const data of who.sent) opened.push(await sealer.open(from, to, data as { sealed: string }));
        expect(opened.length).to.be.greaterThan(1);
        expect(opened, `${who.session.name}: sent in the order made`).to.deep.equal(made.filter((m) => m.route === `${from}>${to}`).map((m) => m.signal));
      }
    } finally {
      proto.encrypt = encrypt;
      proto.decrypt = decrypt;
    }
  });

  it('refuses signals that were tampered with, and says so once per peer', async () => {
    const key = newRoomSecret();
    const flip = (data: SignalData): SignalData => ('sealed' in data ? { sealed: flipByte(data.sealed, 20) } : data);
    const a = recorded('Ada', key, flip);
    const b = recorded('Bob', key, flip);
    await a.session.join();
    await b.session.join();
    await waitFor(() => a.errors.length && b.errors.length, 'both refused');
    await sleep(1500); // let more candidates arrive: still one message per peer
    for (const [who, other] of [
      [a, 'Bob'],
      [b, 'Ada'],
    ] as const) {
      expect(who.errors.map((e) => e.code)).to.deep.equal(['signal-refused']);
      expect(who.errors[0]!.message).to.equal(
        `A connection attempt from ${other} was refused: it was not sealed with this room's key (someone without the key, perhaps the server, tried to take part).`,
      );
    }
    const remote = (s: RtcSession) => s.participants.get().find((p) => !p.isLocal);
    expect(remote(a.session)?.connectionState).not.to.equal('connected');
    expect(remote(b.session)?.connectionState).not.to.equal('connected');
  });

  it('refuses plain signals with a key, and sealed ones without a key', async () => {
    const a = recorded('Ada', newRoomSecret());
    const b = recorded('Bob', undefined);
    await a.session.join();
    await b.session.join();
    await waitFor(() => a.errors.length && b.errors.length, 'both refused');
    expect(a.errors[0]!.code).to.equal('signal-refused');
    expect(a.errors[0]!.message).to.contain("it was not sealed with this room's key");
    expect(b.errors[0]!.code).to.equal('signal-refused');
    expect(b.errors[0]!.message).to.equal(
      'A connection attempt from Ada was refused: it was sealed with a room key this page does not have (open the full invite link, with its #key=).',
    );
  });

  it('refuses signals sealed with another key', async () => {
    const a = recorded('Ada', newRoomSecret());
    const b = recorded('Bob', newRoomSecret());
    await a.session.join();
    await b.session.join();
    await waitFor(() => a.errors.length && b.errors.length, 'both refused');
    expect([a.errors[0]!.code, b.errors[0]!.code]).to.deep.equal(['signal-refused', 'signal-refused']);
  });
});

describe('<rtc-room> room key', () => {
  const hash = location.hash;
  afterEach(() => history.replaceState(null, '', `${location.pathname}${location.search}${hash}`));

  async function room(attrs: string): Promise<RtcSession | undefined> {
    await import('../../src/define.js');
    const holder = document.createElement('div');
    holder.innerHTML = `<rtc-room room="sealed-attr" server="http://127.0.0.1:9" ${attrs}></rtc-room>`;
    document.body.append(holder);
    const el = holder.firstElementChild as HTMLElement & { session?: RtcSession; updateComplete: Promise<unknown> };
    await el.updateComplete;
    const session = el.session;
    holder.remove();
    return session;
  }

  it('takes the key from the room-key attribute, else from #key= in the address, else none', async () => {
    expect((await room('room-key="attr-secret"'))?.sealed).to.equal(true);
    history.replaceState(null, '', `${location.pathname}${location.search}#key=${newRoomSecret()}`);
    expect((await room(''))?.sealed, 'from the fragment').to.equal(true);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    expect((await room(''))?.sealed, 'no key').to.equal(false);
  });
});
