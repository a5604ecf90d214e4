/**
 * The connection prepare() makes ahead (src/core/peer/spare-connection.ts): the join's first offer
 * goes out on it, whatever changed on the devices meanwhile, and nothing of it outlives a leave.
 * And a member answers a newcomer's offer before it shows them.
 */
import { expect } from '@open-wc/testing';
import { LoopbackHub, RtcSession, SocketIoTransport } from '../../src/core/index.js';
import { SpareConnection, SpareSlot } from '../../src/core/peer/spare-connection.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { connected, delayFirstDescription, remoteOf, restoreLinkTiming, sessionSet, useLinkTiming } from '../helpers/sessions.js';
import { waitForAudio, waitForFrames } from '../helpers/rtc-stats.js';
import { sleep, waitFor } from '../helpers/wait.js';

/** Every RTCPeerConnection the page makes from now on, until restored. */
function recordConnections(): { made: RTCPeerConnection[]; restore: () => void } {
  const Native = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      made.push(this);
    }
  } as typeof RTCPeerConnection;
  return { made, restore: () => void (window.RTCPeerConnection = Native) };
}

const open = (pc: RTCPeerConnection) => pc.signalingState !== 'closed';

// Through the real server only: over the in-page hub too, every call here ran twice on the same
// browser path, a minute of a busy machine's suite (the crossing-offers case below uses the hub).
for (const kind of ['server'] as const)
  describe(`The connection made ahead (${kind} signaling)`, function () {
    this.timeout(60000);
    let sig: Signaling;
    let recorder: ReturnType<typeof recordConnections> | undefined;
    const { make, leaveAll } = sessionSet(() => ({ room: sig.room, transport: sig.transport() }), { timeout: 30000 });
    beforeEach(async () => (sig = await signaling(kind, 'spare')));
    afterEach(async () => {
      recorder?.restore();
      recorder = undefined;
      await leaveAll();
      expect(sig.serverErrors).to.deep.equal([]);
    });

    /** A camera, no microphone (sound costs CPU): for the tests that wait for no sound. */
    const camera = { media: { audio: false, video: true } };

    /** Ada in the room; Bob with his devices open and the join prepared, his connections recorded. */
    async function preparedNewcomer(bobOptions = {}, adaOptions = {}): Promise<[RtcSession, RtcSession, RTCPeerConnection[]]> {
      const a = make('Ada', adaOptions);
      await a.join();
      recorder = recordConnections();
      const b = make('Bob', bobOptions);
      await b.startMedia();
      await b.prepare();
      return [a, b, recorder.made];
    }

    it('the first offer goes out on it: one connection, one offer, media and chat both ways', async () => {
      const [a, b, made] = await preparedNewcomer();
      expect(made, 'made by prepare()').to.have.length(1);
      const spare = made[0]!;
      expect(spare.signalingState, 'its offer ready').to.equal('have-local-offer');
      const offerBefore = spare.localDescription!.sdp;
      await b.join();
      await Promise.all([connected(a, [b]), connected(b, [a])]);
      expect(b.peerConnection(a.localId), 'the link runs on it').to.equal(spare);
      expect(made, 'no other connection').to.have.members([spare, a.peerConnection(b.localId)!]);
      expect(b.negotiationStats(a.localId)).to.include({ madeAhead: true, offersSent: 1 });
      expect(a.negotiationStats(b.localId)).to.include({ madeAhead: false, offersReceived: 1, answersSent: 1 });
      // (The ports in its m-lines are those of the candidates gathered since.)
      const mLines = (sdp: string) => sdp.split('\r\n').flatMap((l) => (l.startsWith('m=') ? [l.replace(/ \d+ /, ' ')] : []));
      expect(mLines(spare.currentLocalDescription!.sdp), 'the offer it had made').to.deep.equal(mLines(offerBefore));
      const pcA = a.peerConnection(b.localId)!;
      await Promise.all([waitForFrames(pcA), waitForFrames(spare), waitForAudio(pcA), waitForAudio(spare)]);
      // Its channels are the link's: a message each way arrives once.
      await waitFor(() => b.dataChannel(a.localId, 'chat')?.readyState === 'open', 'chat open');
      await b.chat.send('from Bob');
      await a.chat.send('from Ada');
      const texts = (s: RtcSession) =>
        s.chat.messages
          .get()
          .map((m) => m.text)
          .sort();
      await waitFor(() => texts(a).length === 2 && texts(b).length === 2, 'both messages on both sides');
      await sleep(200); // a second copy would come now
      expect([texts(a), texts(b)]).to.deep.equal([
        ['from Ada', 'from Bob'],
        ['from Ada', 'from Bob'],
      ]);
    });

    it('its offer carries the candidates gathered before the join: none follow as signals of their own', async () => {
      const [a, b, made] = await preparedNewcomer(camera, camera);
      const spare = made[0]!;
      await waitFor(() => spare.iceGatheringState === 'complete', 'gathering done before the join');
      const gathered = spare.localDescription!.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:')).length;
      expect(gathered, 'candidates gathered').to.be.greaterThan(0);
      await b.join();
      await Promise.all([connected(a, [b]), connected(b, [a])]);
      expect(b.negotiationStats(a.localId)).to.include({ madeAhead: true, offersSent: 1, candidatesSent: 0 });
      // None were trickled, so those Ada knows came in the offer.
      const atAda = a
        .peerConnection(b.localId)!
        .remoteDescription!.sdp.split('\r\n')
        .filter((l) => l.startsWith('a=candidate:')).length;
      expect(atAda, 'candidates in the offer Ada applied').to.equal(gathered);
      await Promise.all([waitForFrames(a.peerConnection(b.localId)!), waitForFrames(spare)]);
    });

    it('devices opened or switched after prepare(): the link sends what is on at join()', async () => {
      const a = make('Ada');
      await a.join();
      recorder = recordConnections();
      // Prepared before any device was open (made with no tracks): join() opens them.
      const c = make('Cleo');
      await c.prepare();
      const spare = recorder.made[0]!;
      expect(
        spare.getTransceivers().map((t) => t.sender.track),
        'made without tracks',
      ).to.deep.equal([null, null]);
      await c.join();
      await Promise.all([connected(a, [c]), connected(c, [a])]);
      expect(c.peerConnection(a.localId)).to.equal(spare);
      await Promise.all([waitForFrames(a.peerConnection(c.localId)!), waitForAudio(a.peerConnection(c.localId)!)]);

      // A camera switched after prepare(): the one chosen since goes out.
      recorder.made.length = 0;
      const b = make('Bob');
      await b.startMedia();
      await b.prepare();
      const bSpare = recorder.made[0]!;
      const videoSender = () => bSpare.getTransceivers()[1]!.sender; // audio's, then video's
      const prepared = b.media.videoTrack!;
      expect(videoSender().track, 'prepared with the camera of then').to.equal(prepared);
      const cams = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
      await b.selectDevice('videoinput', (cams.find((d) => d.deviceId !== prepared.getSettings().deviceId) ?? cams[0]!).deviceId);
      const switched = b.media.videoTrack!;
      expect(switched, 'a new camera track').to.not.equal(prepared);
      await b.join();
      await Promise.all([connected(a, [b, c]), connected(b, [a, c])]);
      expect(b.peerConnection(a.localId)).to.equal(bSpare);
      await waitFor(() => videoSender().track === switched, 'the link sends the camera chosen since');
      await waitForFrames(a.peerConnection(b.localId)!);
      expect([b, c].map((s) => s.negotiationStats(a.localId)).map((st) => [st!.madeAhead, st!.offersSent])).to.deep.equal([
        [true, 1],
        [true, 1],
      ]);
    });

    it('made without a camera: joined with sound only, and the camera turned on later goes out without an offer', async () => {
      const [a, d, made] = await preparedNewcomer({ media: { audio: true, video: false } });
      await d.join();
      await Promise.all([connected(a, [d]), connected(d, [a])]);
      const pcD = d.peerConnection(a.localId)!;
      expect(pcD).to.equal(made[0]);
      expect(pcD.getTransceivers()[1]!.sender.track, 'no video').to.equal(null);
      await waitFor(() => remoteOf(a, d.localId)?.videoMuted === true, 'Ada sees no camera');
      await waitForAudio(a.peerConnection(d.localId)!);
      await d.setCameraEnabled(true);
      await waitForFrames(a.peerConnection(d.localId)!);
      expect(d.negotiationStats(a.localId)).to.include({ madeAhead: true, offersSent: 1 });
    });

    it('a camera turned off before joining stays off through join(), and turned on later goes out without an offer', async () => {
      const [a, d] = await preparedNewcomer();
      const first = d.media.videoTrack!;
      await d.setCameraEnabled(false);
      expect(first.readyState, 'camera released before joining').to.equal('ended');
      await d.join();
      await Promise.all([connected(a, [d]), connected(d, [a])]);
      // (Booleans: a failing expect on a track would serialize the track.)
      expect(d.media.videoTrack === null, 'join() did not open the camera again').to.equal(true);
      expect(d.localMedia.get().videoEnabled).to.equal(false);
      const pcD = d.peerConnection(a.localId)!;
      expect(pcD.getTransceivers()[1]!.sender.track === null, 'no video sent').to.equal(true);
      await waitFor(() => remoteOf(a, d.localId)?.videoMuted === true, 'Ada sees the camera off');
      await waitForAudio(a.peerConnection(d.localId)!);
      await d.setCameraEnabled(true);
      await waitForFrames(a.peerConnection(d.localId)!);
      expect(d.negotiationStats(a.localId)).to.include({ offersSent: 1 });
    });

    it('a pre-join step left open past its freshness: renewed with new credentials, and the join still only sends the offer', async () => {
      // Credentials good for 6 s: a spare is fresh for 3 s, then renewed.
      const info = (await (await fetch('/__signal/turn-variant?kind=short-ttl')).json()) as { url?: string; error?: string };
      if (!info.url) throw new Error(`no short-ttl server: ${info.error}`);
      const transport = () => new SocketIoTransport(info.url!);
      const a = make('Ada', { transport: transport(), ...camera });
      await a.join();
      recorder = recordConnections();
      const made = recorder.made;
      const b = make('Bob', { transport: transport(), ...camera });
      await b.startMedia();
      await b.prepare();
      expect(made, 'made by prepare()').to.have.length(1);
      const first = made[0]!;
      await waitFor(() => made[1]?.signalingState === 'have-local-offer', 'a renewed spare, its offer ready', 15000);
      const second = made[1]!;
      const renewedAt = performance.now();
      expect(first.signalingState, 'the stale one closed').to.equal('closed');
      const turnUser = (pc: RTCPeerConnection) => pc.getConfiguration().iceServers!.find((s) => s.username)?.username;
      expect(turnUser(second), 'new TURN credentials').to.be.a('string').and.not.equal(turnUser(first));
      await b.join();
      await Promise.all([connected(a, [b]), connected(b, [a])]);
      expect(b.peerConnection(a.localId), 'the link runs on the renewed one').to.equal(second);
      expect(b.negotiationStats(a.localId)).to.include({ madeAhead: true, offersSent: 1 });
      await Promise.all([waitForFrames(a.peerConnection(b.localId)!), waitForFrames(second)]);
      // In the call it is not renewed any more: past the time it would have been, Bob made nothing else.
      await sleep(Math.max(0, renewedAt + 3500 - performance.now()));
      expect(made, "only the two spares and Ada's connection").to.have.members([first, second, a.peerConnection(b.localId)!]);
    });

    it('nothing of it outlives leave(): before joining, while joining, and in an empty room', async () => {
      recorder = recordConnections();
      const alone = make('Alone', camera);
      await alone.startMedia();
      await alone.prepare();
      expect(recorder.made, 'made by prepare()').to.have.length(1);
      await alone.leave();
      expect(recorder.made.filter(open), 'closed by leave() before joining').to.deep.equal([]);

      recorder.made.length = 0;
      const a = make('Ada', camera);
      await a.startMedia();
      await a.prepare();
      await a.join(); // nobody there to take it
      expect(recorder.made.filter(open), 'closed once the join found the room empty').to.deep.equal([]);
      // Someone coming later is answered on a connection of its own.
      const b = make('Bob', camera);
      await b.join();
      await Promise.all([connected(a, [b]), connected(b, [a])]);
      expect(a.negotiationStats(b.localId)!.madeAhead).to.equal(false);
      await waitForFrames(a.peerConnection(b.localId)!);

      recorder.made.length = 0;
      const c = make('Cleo', camera);
      await c.startMedia();
      await c.prepare();
      const joining = c.join().catch((e: unknown) => e);
      await c.leave();
      await joining;
      await sleep(300); // a reply on its way must not make one again
      expect(recorder.made.length, 'made').to.be.at.least(1);
      expect(recorder.made.filter(open), 'closed by leave() while joining').to.deep.equal([]);
      expect(c.status.get()).to.equal('left');
    });

    it('a member answers the newcomer before it shows them; one whose offer does not come is shown all the same', async () => {
      const a = make('Ada', camera);
      await a.join();
      const atJoin: (string | undefined)[] = [];
      a.on('peer-join', (p) => atJoin.push(a.peerConnection(p.id)?.localDescription?.type));
      const b = make('Bob', camera);
      await b.startMedia();
      await b.prepare();
      await b.join();
      await waitFor(() => atJoin.length === 1, 'Bob announced');
      expect(atJoin, 'answered when announced').to.deep.equal(['answer']);
      await Promise.all([connected(a, [b]), connected(b, [a])]);

      // A newcomer whose offer is held up: shown after a moment anyway, not when the offer comes.
      const t = sig.transport();
      const send = t.signal.bind(t);
      const held: Parameters<typeof send>[] = [];
      t.signal = (to, data) => void held.push([to, data]);
      const c = make('Cleo', { transport: t, ...camera });
      await c.join();
      await waitFor(() => atJoin.length === 2, 'Cleo announced without her offer');
      expect(held.length, 'her offer still held').to.be.greaterThan(0);
      expect(remoteOf(a, c.localId)?.name).to.equal('Cleo');
      t.signal = send;
      for (const args of held.splice(0)) send(...args);
      await Promise.all([connected(a, [b, c]), connected(c, [a, b])]);
    });
  });

describe("The connection made ahead, its offer crossing the member's (loopback)", function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  const { make, leaveAll } = sessionSet(() => ({ room: 'spare-cross', hub }), { timeout: 30000 });
  beforeEach(() => (hub = new LoopbackHub()));
  afterEach(async () => {
    restoreLinkTiming();
    await leaveAll();
  });

  for (const polite of ['newcomer', 'member'] as const)
    it(`held until the member offers too, the ${polite} polite: one connection each, media both ways`, async () => {
      // As in session.test.ts, with the newcomer's offer made ahead: it arrives after the member's
      // own fallback offer, and the polite side answers from a new connection.
      const [ta, tb] = polite === 'member' ? [hub.connect(), hub.connect()] : [hub.connect(), hub.connect()].reverse();
      // The member waits 1.5 s here (4 s in the product) before its own offer.
      useLinkTiming({ offerFallbackMs: 1500 });
      delayFirstDescription(tb, 2500);
      const a = make('Ada', { transport: ta });
      await a.join();
      const b = make('Bob', { transport: tb });
      await b.startMedia();
      await b.prepare();
      await b.join();
      expect(b.negotiationStats(a.localId)!.madeAhead, 'the offer made ahead went out').to.equal(true);
      await Promise.all([connected(a, [b]), connected(b, [a])]);
      expect(a.localId < b.localId, 'the member is the polite one').to.equal(polite === 'member');
      const pcA = a.peerConnection(b.localId)!;
      const pcB = b.peerConnection(a.localId)!;
      await Promise.all([waitForFrames(pcA), waitForFrames(pcB), waitForAudio(pcA), waitForAudio(pcB)]);
      await waitFor(() => pcA.signalingState === 'stable' && pcB.signalingState === 'stable', 'stable');
      const media = (pc: RTCPeerConnection) =>
        pc
          .getTransceivers()
          .filter((t) => t.mid !== null && t.currentDirection !== 'stopped')
          .map((t) => `${t.receiver.track.kind}:${t.currentDirection}`)
          .sort();
      for (const pc of [pcA, pcB]) expect(media(pc), 'one audio and one video line, both ways').to.deep.equal(['audio:sendrecv', 'video:sendrecv']);
    });
});

describe('SpareSlot', function () {
  this.timeout(20000);
  const config: RTCConfiguration = { iceServers: [{ urls: 'stun:127.0.0.1:65000' }] };
  const tracks = () => ({ audio: null, video: null, stream: new MediaStream() });

  it('gives its connection once, to a link of the same route and stream, while fresh; else closes it', async () => {
    const slot = new SpareSlot();
    const t = tracks();
    await slot.make(config, t, 60_000);
    const spare = slot.take(config, t.stream);
    expect(spare).to.be.instanceOf(SpareConnection);
    expect(spare!.pc.localDescription?.type).to.equal('offer');
    expect(slot.take(config, t.stream), 'once').to.equal(undefined);
    spare!.close();

    const cases: [string, number, RTCConfiguration, MediaStream | undefined][] = [
      ['stale', 1, config, undefined],
      ['another route', 60_000, { iceServers: [{ urls: 'turn:127.0.0.1:65000', username: 'u', credential: 'c' }] }, undefined],
      ['relay only', 60_000, { ...config, iceTransportPolicy: 'relay' }, undefined],
      ['another stream', 60_000, config, new MediaStream()],
    ];
    const rec = recordConnections();
    try {
      for (const [what, freshMs, takeWith, stream] of cases) {
        const s = new SpareSlot();
        const t2 = tracks();
        await s.make(config, t2, freshMs);
        await sleep(5);
        expect(s.take(takeWith, stream ?? t2.stream), what).to.equal(undefined);
      }
      expect(
        rec.made.map((pc) => pc.signalingState),
        'each closed',
      ).to.deep.equal(cases.map(() => 'closed'));
    } finally {
      rec.restore();
    }
  });

  it('new credentials for the same servers do not matter; drop() closes it', async () => {
    const slot = new SpareSlot();
    const t = tracks();
    const rec = recordConnections();
    try {
      await slot.make({ iceServers: [{ urls: 'turn:127.0.0.1:65000', username: 'old', credential: 'a' }] }, t, 60_000);
      const spare = slot.take({ iceServers: [{ urls: 'turn:127.0.0.1:65000', username: 'new', credential: 'b' }] }, t.stream);
      expect(spare, 'same servers, newer credentials').to.be.instanceOf(SpareConnection);
      spare!.close();
      await slot.make(config, t, 60_000);
      slot.drop();
      expect(rec.made.map((pc) => pc.signalingState)).to.deep.equal(['closed', 'closed']);
    } finally {
      rec.restore();
    }
  });
});
