/**
 * Calls that survive their signaling: a dropped connection, a server that restarts with no memory,
 * a seat that expired while the room filled up. Through the real server and real faults (a TCP
 * proxy that drops every connection, a server restarted on its port: test/harness/net-plugin.ts),
 * plus the same rules on a loopback hub.
 */
import { expect } from '@open-wc/testing';
import { LoopbackHub, RtcSession, SocketIoTransport, type RtcSessionOptions, type SessionStatus } from '../../src/core/index.js';
import { signalUrl } from '../helpers/signaling.js';
import { ownServer, proxyTo, silentServer } from '../helpers/net.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { connected as connectedTo } from '../helpers/sessions.js';
import { waitForFrames } from '../helpers/rtc-stats.js';

describe('Calls that survive their signaling', function () {
  this.timeout(90_000);
  let sessions: RtcSession[] = [];
  let room = '';
  let n = 0;

  const make = (name: string, server: string, extra: Partial<RtcSessionOptions> = {}) => {
    const s = new RtcSession({ room, name, transport: () => new SocketIoTransport(server), ...extra });
    sessions.push(s);
    return s;
  };
  const statuses = (s: RtcSession) => {
    const seen: SessionStatus[] = [];
    s.on('status', (st) => seen.push(st));
    return seen;
  };
  const departures = (s: RtcSession) => {
    const seen: string[] = [];
    s.on('peer-leave', (e) => seen.push(`${e.name} ${e.reason}`));
    return seen;
  };
  const camera = { media: { audio: false, video: true } as const };
  const offers = (s: RtcSession, o: RtcSession) => {
    const st = s.negotiationStats(o.localId)!;
    return st.offersSent + st.offersReceived;
  };

  beforeEach(() => {
    room = `resume-${Math.random().toString(36).slice(2, 8)}-${++n}`;
    sessions = [];
  });
  afterEach(async () => {
    await Promise.all(sessions.map((s) => s.leave()));
  });

  it('a dropped signaling connection changes nothing: same id, no departure, no renegotiation, chat on', async () => {
    const direct = await signalUrl();
    const proxy = await proxyTo(direct);
    const quiet = { media: { audio: true, video: true } };
    const a = make('Ada', proxy.url, quiet);
    const b = make('Bob', direct, quiet);
    await a.join();
    await b.join();
    await Promise.all([connectedTo(a, [b]), connectedTo(b, [a])]);
    await waitFor(() => a.dataChannel(b.localId, 'chat')?.readyState === 'open', 'chat open');
    const id = a.localId;
    const seenA = statuses(a);
    const leftB = departures(b);
    const offersBefore = [offers(a, b), offers(b, a)];

    expect(await proxy.cut(1500), 'connections cut').to.be.greaterThan(0);
    await waitFor(() => a.status.get() === 'reconnecting', 'Ada reconnecting');
    // While the server cannot be reached, the call goes on peer to peer.
    b.chat.send('while you were away');
    await waitFor(() => a.chat.messages.get().some((m) => m.text === 'while you were away'), 'chat during the outage');
    await waitFor(() => a.status.get() === 'joined', 'Ada back', 20_000);

    expect(a.localId, 'same id').to.equal(id);
    expect(seenA).to.deep.equal(['reconnecting', 'joined']);
    await sleep(500); // a departure, if any, would have been sent at once
    expect(leftB, 'Bob heard of no departure').to.deep.equal([]);
    expect([offers(a, b), offers(b, a)], 'no renegotiation').to.deep.equal(offersBefore);
    expect(
      a.chat.messages.get().filter((m) => m.text === 'while you were away'),
      'once',
    ).to.have.length(1);
    await Promise.all([waitForFrames(a.peerConnection(b.localId)!), waitForFrames(b.peerConnection(a.localId)!)]);
  });

  /** Ada through a proxy that can drop her connection, Bob straight to the server, cameras only; connected. */
  const adaThroughProxy = async () => {
    const direct = await signalUrl();
    const proxy = await proxyTo(direct);
    let made: SocketIoTransport | undefined;
    const a = make('Ada', proxy.url, { ...camera, transport: () => (made = new SocketIoTransport(proxy.url)) });
    const b = make('Bob', direct, camera);
    await a.join();
    await b.join();
    await Promise.all([connectedTo(a, [b]), connectedTo(b, [a])]);
    return { direct, proxy, a, b, id: a.localId, leftB: departures(b), transport: () => made! };
  };
  /** In the room again as the server knows it: a newcomer's offer reaches Ada through it. */
  const newcomerReaches = async (direct: string, a: RtcSession, b: RtcSession) => {
    const c = make('Cy', direct, camera);
    await c.join();
    await Promise.all([connectedTo(c, [a, b]), connectedTo(a, [b, c])]);
  };

  it('a resume the server never answers is given up with its connection: the next one gets back in under the same id', async () => {
    const { direct, proxy, a, b, id, leftB } = await adaThroughProxy();
    const stalled = await silentServer();

    // Ada's connection drops, and the next one reaches a server that greets her and never answers.
    await proxy.retarget(stalled.url);
    expect(await proxy.cut(), 'connections cut').to.be.greaterThan(0);
    await waitFor(async () => (await stalled.joins()) > 0, 'her resume reaching the stalled server', 30_000);
    await proxy.retarget(direct);
    // Still connected there: only her own timeout on the unanswered resume can bring her back.
    await waitFor(() => a.status.get() === 'joined', 'Ada back', 40_000);
    expect(a.localId, 'same id').to.equal(id);
    expect(leftB, 'Bob heard of no departure').to.deep.equal([]);
    await newcomerReaches(direct, a, b);
  });

  it('a connection that drops again while the resume is being signed: signed anew for the next one, back under the same id', async () => {
    const { direct, proxy, a, b, id, leftB, transport } = await adaThroughProxy();
    const seenA = statuses(a);

    // A slow device: signing the resume's proof takes until we say so.
    const subtle = crypto.subtle;
    const sign = subtle.sign.bind(subtle);
    let signs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const proofs = (data: BufferSource) => new TextDecoder().decode(data).startsWith('rtc-widgets join\n');
    subtle.sign = async (...args: Parameters<SubtleCrypto['sign']>) => {
      if (proofs(args[2])) {
        signs++;
        await gate;
      }
      return sign(...args);
    };
    try {
      expect(await proxy.cut(), 'connections cut').to.be.greaterThan(0);
      await waitFor(() => signs > 0, 'the resume being signed', 20_000);
      // That connection drops too, and the next one is up before the signature is done.
      await proxy.cut();
      await waitFor(() => !transport().online, 'that connection gone', 20_000);
      await waitFor(() => transport().online, 'a new connection', 20_000);
      release();
      await waitFor(() => a.status.get() === 'joined' || a.status.get() === 'failed', 'Ada back', 30_000);
    } finally {
      release();
      subtle.sign = sign;
    }
    expect(a.error.get(), 'no error').to.equal(null);
    expect(a.status.get()).to.equal('joined');
    expect(a.localId, 'same id').to.equal(id);
    expect(leftB, 'Bob heard of no departure').to.deep.equal([]);
    await newcomerReaches(direct, a, b);
    expect(seenA, 'back once, never failed').to.deep.equal(['reconnecting', 'joined']);
    expect(a.error.get(), 'still no error').to.equal(null);
  });

  it('a server restarted with no memory: everyone resumes under the same id, and a newcomer reaches all', async () => {
    const server = await ownServer();
    const media = { media: { audio: false, video: true } as const };
    const all = ['Ada', 'Bob', 'Cy'].map((name) => make(name, server.url, media));
    for (const s of all) await s.join();
    await Promise.all(
      all.map((s) =>
        connectedTo(
          s,
          all.filter((o) => o !== s),
        ),
      ),
    );
    const ids = all.map((s) => s.localId);
    const left = all.map(departures);

    await server.restart();
    await Promise.all(all.map((s) => waitFor(() => s.status.get() === 'joined' && s.localId, `${s.name} back`, 20_000)));
    expect(
      all.map((s) => s.localId),
      'same ids',
    ).to.deep.equal(ids);
    expect(left.flat(), 'no departures').to.deep.equal([]);

    const dee = make('Dee', server.url, media);
    await dee.join();
    await Promise.all([connectedTo(dee, all), ...all.map((s) => connectedTo(s, [dee]))]);
    await waitForFrames(all[0].peerConnection(all[1].localId)!);
  });

  it('a seat that expired while the room filled up: a clear message, and joining again works once there is room', async () => {
    const server = await ownServer({ capacity: 2, graceMs: 1500 });
    const proxy = await proxyTo(server.url);
    const media = { media: { audio: false, video: false } as const };
    const a = make('Ada', proxy.url, media);
    const b = make('Bob', server.url, media);
    await a.join();
    await b.join();
    await Promise.all([connectedTo(a, [b]), connectedTo(b, [a])]);
    const oldId = a.localId;
    const leftB = departures(b);

    await proxy.cut(60_000); // Ada stays cut off until the proxy lets her through again
    await waitFor(() => leftB.includes('Ada disconnected'), 'Bob told that Ada left, after the grace period', 15_000);
    const cy = make('Cy', server.url, media);
    await cy.join();
    await connectedTo(cy, [b]);
    await proxy.cut(0); // Ada's network is back
    await waitFor(() => a.status.get() === 'failed', 'Ada refused', 20_000);
    expect(a.error.get()?.code).to.equal('room-full');
    expect(a.error.get()?.message).to.match(/full/);
    expect(
      a.participants.get().filter((p) => !p.isLocal),
      'no links left',
    ).to.have.length(0);

    await cy.leave();
    await a.join(); // "Try again"
    await Promise.all([connectedTo(a, [b]), connectedTo(b, [a])]);
    expect(a.localId, 'a newcomer with a new id').to.not.equal(oldId);
  });

  it('renegotiates over its own channel while the server is away (loopback)', async () => {
    const hub = new LoopbackHub();
    const ta = hub.connect();
    const mk = (name: string, transport: () => ReturnType<LoopbackHub['connect']>) => {
      const s = new RtcSession({ room, name, transport, media: { audio: false, video: false } });
      sessions.push(s);
      return s;
    };
    const a = mk('Ada', () => ta);
    const b = mk('Bob', () => hub.connect());
    await a.join();
    await b.join();
    await Promise.all([connectedTo(a, [b]), connectedTo(b, [a])]);
    await waitFor(() => a.participants.get().find((p) => p.id === b.localId) && a.negotiationStats(b.localId), 'stats');
    ta.interrupt();
    await waitFor(() => a.status.get() === 'reconnecting', 'reconnecting');
    const before = a.negotiationStats(b.localId)!.offersSent + b.negotiationStats(a.localId)!.offersSent;
    // Renegotiate (an ICE restart while connected): only the data channel can carry it now.
    a.peerConnection(b.localId)!.restartIce();
    await waitFor(
      () =>
        a.negotiationStats(b.localId)!.offersSent + b.negotiationStats(a.localId)!.offersSent > before &&
        a.peerConnection(b.localId)!.signalingState === 'stable',
      'an offer answered without the server',
      20_000, // if it went out before the peer said it takes signals on the channel, it is sent again after 8 s
    );
    expect(a.negotiationStats(b.localId)!.signalsViaChannel, 'signals sent on the channel').to.be.greaterThan(0);
    ta.restore();
    await waitFor(() => a.status.get() === 'joined', 'back');
  });

  it('a member that never comes back after a resume is dropped everywhere after the grace period (loopback)', async () => {
    const hub = new LoopbackHub({ resumeGraceMs: 1000 });
    const transports = [hub.connect(), hub.connect(), hub.connect()];
    const all = ['Ada', 'Bob', 'Cy'].map((name, i) => {
      const s = new RtcSession({ room, name, transport: () => transports[i], media: { audio: false, video: false } });
      sessions.push(s);
      return s;
    });
    for (const s of all) await s.join();
    await Promise.all(
      all.map((s) =>
        connectedTo(
          s,
          all.filter((o) => o !== s),
        ),
      ),
    );
    const [a, b, c] = all;
    const [ta, , tc] = transports;
    ta.interrupt();
    tc.interrupt(); // Cy never comes back
    ta.restore();
    await waitFor(() => a.status.get() === 'joined', 'Ada resumed');
    const names = (s: RtcSession) =>
      s.participants
        .get()
        .filter((p) => !p.isLocal)
        .map((p) => p.name)
        .sort();
    await waitFor(() => names(a).join() === 'Bob' && names(b).join() === 'Ada', 'Cy gone from Ada and Bob', 10_000);
    void c;
  });
});
