import { expect } from '@open-wc/testing';
import { LoopbackHub, type Participant, type RtcSession } from '../../src/core/index.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { connected as connectedWithin, delayFirstDescription, remoteOf, restoreLinkTiming, sessionSet, useLinkTiming } from '../helpers/sessions.js';
import { inbound, waitForAudio, waitForFrames } from '../helpers/rtc-stats.js';

describe('RtcSession over a loopback hub', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  // connectedPair: Ada joins, then Bob; resolves when both see each other connected.
  const { make, connected, joinAll, pair: connectedPair, leaveAll } = sessionSet(() => ({ room: 'core', hub }), { timeout: 15000 });

  beforeEach(() => {
    hub = new LoopbackHub();
  });
  afterEach(async () => {
    restoreLinkTiming();
    await leaveAll();
  });

  /** Ada, whose first answer is lost on the way, then Bob, who offers to her; and whether it was lost yet. */
  async function answerLostPair(): Promise<[RtcSession, RtcSession, () => boolean]> {
    const t = hub.connect();
    const send = t.signal.bind(t);
    let dropped = false;
    t.signal = (to, data) => {
      if (!dropped && 'description' in data && data.description.type === 'answer')
        dropped = true; // lost
      else send(to, data);
    };
    const [a, b] = [make('Ada', { transport: t }), make('Bob')];
    await a.join();
    await b.join();
    return [a, b, () => dropped];
  }

  it('connects two sessions with one offer/answer and decodes video and audio both ways', async () => {
    const [a, b] = await connectedPair();
    expect(remoteOf(a, b.localId)?.name).to.equal('Bob');
    expect(remoteOf(b, a.localId)?.name).to.equal('Ada');
    const pcA = a.peerConnection(b.localId)!;
    const pcB = b.peerConnection(a.localId)!;
    await Promise.all([waitForFrames(pcA), waitForFrames(pcB), waitForAudio(pcA), waitForAudio(pcB)]);
    // Tracks were in place before the first offer: a single exchange carried media both ways.
    const sa = a.negotiationStats(b.localId)!;
    const sb = b.negotiationStats(a.localId)!;
    expect(sa.offersSent + sb.offersSent, 'offers').to.equal(1);
    expect(sa.answersSent + sb.answersSent, 'answers').to.equal(1);
    const remoteStream = remoteOf(a, b.localId)!.stream!;
    expect(remoteStream.getVideoTracks()).to.have.length(1);
    expect(remoteStream.getAudioTracks()).to.have.length(1);
  });

  it('mutes and unmutes the microphone without renegotiation, and peers hear of it', async () => {
    const [a, b] = await connectedPair();
    const before = { ...b.negotiationStats(a.localId)! };
    await a.setMicrophoneEnabled(false);
    expect(a.media.audioTrack!.enabled).to.equal(false);
    await waitFor(() => remoteOf(b, a.localId)?.audioMuted === true, 'remote sees mute');
    await a.setMicrophoneEnabled(true);
    await waitFor(() => remoteOf(b, a.localId)?.audioMuted === false, 'remote sees unmute');
    const after = b.negotiationStats(a.localId)!;
    expect(after.offersSent + after.offersReceived).to.equal(before.offersSent + before.offersReceived);
  });

  it('turns the camera off (track ended) and on again with replaceTrack; the remote decodes again', async () => {
    const [a, b] = await connectedPair();
    const pcB = b.peerConnection(a.localId)!;
    await waitForFrames(pcB);
    const sender = a
      .peerConnection(b.localId)!
      .getSenders()
      .find((s) => s.track?.kind === 'video')!;
    const oldTrack = a.media.videoTrack!;
    await a.setCameraEnabled(false);
    expect(oldTrack.readyState).to.equal('ended');
    expect(sender.track === null, 'sender has no track').to.equal(true);
    await waitFor(() => remoteOf(b, a.localId)?.videoMuted === true, 'remote sees camera off');
    await a.setCameraEnabled(true);
    expect(sender.track?.readyState).to.equal('live');
    expect(sender.track !== oldTrack, 'a new track').to.equal(true);
    await waitFor(() => remoteOf(b, a.localId)?.videoMuted === false, 'remote sees camera on');
    await waitForFrames(pcB, 5);
    const stats = a.negotiationStats(b.localId)!;
    expect(stats.offersSent + stats.offersReceived, 'no renegotiation').to.equal(1);
  });

  it('camera on then off at once (before the camera opened) ends with the camera off', async () => {
    const [a, b] = await connectedPair();
    await a.setCameraEnabled(false);
    const sender = a
      .peerConnection(b.localId)!
      .getSenders()
      .find((s) => s.track === null || s.track.kind === 'video')!;
    // Not awaited: the second click comes while getUserMedia is still opening the camera.
    const on = a.setCameraEnabled(true);
    const off = a.setCameraEnabled(false);
    await Promise.all([on, off]);
    expect(a.media.videoTrack, 'no camera track left').to.equal(null);
    expect(a.localMedia.get().videoEnabled).to.equal(false);
    expect(sender.track, 'nothing sent').to.equal(null);
    await waitFor(() => remoteOf(b, a.localId)?.videoMuted === true, 'remote sees camera off');
  });

  it('survives glare: both sides renegotiate at the same instant and converge', async () => {
    // With 300 ms of signaling latency both offers are surely in flight at once: a real collision.
    hub = new LoopbackHub({ latencyMs: 300 });
    const [a, b] = await connectedPair();
    const pcA = a.peerConnection(b.localId)!;
    const pcB = b.peerConnection(a.localId)!;
    const ufrag = (pc: RTCPeerConnection) => pc.localDescription!.sdp.match(/a=ice-ufrag:(\S+)/)![1];
    const before = [ufrag(pcA), ufrag(pcB)];
    const politeStats = () => (a.localId < b.localId ? a.negotiationStats(b.localId)! : b.negotiationStats(a.localId)!);
    const politeAnswersBefore = politeStats().answersSent;
    // Both restart ICE in the same task (a network change on both ends): both offer at once.
    pcA.restartIce();
    pcB.restartIce();
    await waitFor(
      () => pcA.signalingState === 'stable' && pcB.signalingState === 'stable' && ufrag(pcA) !== before[0] && ufrag(pcB) !== before[1],
      'both stable with new ICE credentials',
    );
    const sa = a.negotiationStats(b.localId)!;
    const sb = b.negotiationStats(a.localId)!;
    expect(sa.offersSent + sb.offersSent, 'both offered').to.be.at.least(3);
    // The impolite side ignored the colliding offer; the polite one rolled back and answered.
    expect(politeStats().answersSent, 'polite side answered the colliding offer').to.be.greaterThan(politeAnswersBefore);
    await waitForFrames(pcA);
    await waitForFrames(pcB);
  });

  for (const cameraOff of [false, true])
    for (const polite of ['newcomer', 'member'] as const)
      it(`a newcomer's late first offer crossing the member's fallback offer, the ${polite} polite${cameraOff ? ' (newcomer without a camera)' : ''}: media both ways all the same`, async () => {
        // The newcomer's first offer arrives after the member's wait (4 s; 1.5 s here): the member
        // offers too, and the two first offers cross. The polite side (the lower id: the hub numbers its clients in
        // order) rolls back, and must answer with its own camera and microphone on the offered
        // m-lines (a busy machine made this happen: the fifth joiner of a call sent nothing).
        const [ta, tb] = polite === 'member' ? [hub.connect(), hub.connect()] : [hub.connect(), hub.connect()].reverse();
        const sendA = ta.signal.bind(ta);
        let memberOffers = 0;
        ta.signal = (to, data) => {
          if ('description' in data && data.description.type === 'offer') memberOffers++;
          sendA(to, data);
        };
        // Held, not reordered: all that follows the offer (its candidates, the answer of a link that
        // rolled back) waits as well.
        useLinkTiming({ offerFallbackMs: 1500 });
        delayFirstDescription(tb, 2500);
        const [a, b] = [make('Ada', { transport: ta }), make('Bob', { transport: tb, ...(cameraOff ? { media: { audio: true, video: false } } : {}) })];
        await a.join();
        await b.join();
        await Promise.all([connectedWithin(a, [b], { timeout: 30_000 }), connectedWithin(b, [a], { timeout: 30_000 })]);
        expect(a.localId < b.localId, 'the member is the polite one').to.equal(polite === 'member');
        expect(memberOffers, 'the member offered too').to.be.at.least(1);
        const pcA = a.peerConnection(b.localId)!;
        const pcB = b.peerConnection(a.localId)!;
        await Promise.all([cameraOff ? undefined : waitForFrames(pcA), waitForFrames(pcB), waitForAudio(pcA), waitForAudio(pcB)]);
        const media = (pc: RTCPeerConnection) =>
          pc
            .getTransceivers()
            .filter((t) => t.mid !== null && t.currentDirection !== 'stopped')
            .map((t) => `${t.receiver.track.kind}:${t.currentDirection}`);
        await waitFor(() => pcA.signalingState === 'stable' && pcB.signalingState === 'stable', 'stable');
        // One audio and one video line carry media both ways, and nothing is left over: the side that
        // rolled back had its transceivers reused for the remote's m-lines.
        for (const pc of [pcA, pcB]) expect(media(pc).sort(), 'one audio and one video line, both ways').to.deep.equal(['audio:sendrecv', 'video:sendrecv']);
        // And the links the media flows on are the ones each side keeps.
        expect([a.peerConnection(b.localId), b.peerConnection(a.localId)], 'links kept').to.deep.equal([pcA, pcB]);
      });

  it('an answer lost on the way: the offer is sent again and answered again', async () => {
    useLinkTiming({ answerTimeoutMs: 2000 });
    const [a, b, lost] = await answerLostPair();
    await Promise.all([connectedWithin(a, [b], { timeout: 30_000 }), connectedWithin(b, [a], { timeout: 30_000 })]);
    expect(lost(), 'the first answer was dropped').to.equal(true);
    const [sa, sb] = [a.negotiationStats(b.localId)!, b.negotiationStats(a.localId)!];
    // Again at least once: on a busy machine the resend timer may fire twice before an answer lands.
    expect(sb.offersSent, 'the offer, then the same offer again').to.be.at.least(2);
    expect(sa.answersSent, 'the answer, then the same answer again').to.be.at.least(2);
    // A resend that arrives after the answer went out is answered again, not applied again; one
    // that outlived a slow answer may be a new offer, which is applied.
    expect(sa.offersReceived, 'resends answered without applying them').to.be.at.most(sb.offersSent - 1);
    await Promise.all([waitForFrames(a.peerConnection(b.localId)!), waitForFrames(b.peerConnection(a.localId)!)]);
  });

  it('an answer lost while the polite answerer offers an ICE restart: it gives way to the offer sent again', async () => {
    // Ada (the hub's first transport: the smaller id) is the polite side, and the one that answers.
    useLinkTiming({ answerTimeoutMs: 2000 });
    const [a, b, lost] = await answerLostPair();
    await waitFor(lost, 'the answer dropped');
    const pcA = a.peerConnection(b.localId)!;
    expect(a.negotiationStats(b.localId)!.offersReceived, 'Ada answered').to.equal(1);
    // Ada's connection has both descriptions but never comes up: it restarts ICE, as its timer would.
    pcA.restartIce();
    await waitFor(() => pcA.signalingState === 'have-local-offer', 'Ada offers a restart');
    // Bob, impolite and still waiting for its answer, ignores that offer and sends its own again.
    await Promise.all([connectedWithin(a, [b], { timeout: 30_000 }), connectedWithin(b, [a], { timeout: 30_000 })]);
    expect(a.negotiationStats(b.localId)!.answersSent, 'the same answer again').to.be.at.least(2);
    await Promise.all([waitForFrames(pcA), waitForFrames(b.peerConnection(a.localId)!)]);
  });

  it('restarts ICE and keeps media flowing', async () => {
    const [a, b] = await connectedPair();
    const pcA = a.peerConnection(b.localId)!;
    const ufrag = () => pcA.localDescription!.sdp.match(/a=ice-ufrag:(\S+)/)![1];
    const before = ufrag();
    await pcA.restartIce();
    await waitFor(() => pcA.signalingState === 'stable' && ufrag() !== before, 'new ICE credentials');
    await waitForFrames(b.peerConnection(a.localId)!);
  });

  it('channels that stay open but carry nothing: the unanswered restart offer goes again through the server, and so does the answer', async () => {
    useLinkTiming({ answerTimeoutMs: 1500 });
    const [a, b] = await connectedPair();
    const [pcA, pcB] = [a.peerConnection(b.localId)!, b.peerConnection(a.localId)!];
    const ufrag = (pc: RTCPeerConnection) => pc.localDescription!.sdp.match(/a=ice-ufrag:(\S+)/)![1];
    const restarted = async (what: string) => {
      const before = [ufrag(pcA), ufrag(pcB)];
      void pcA.restartIce();
      await waitFor(
        () => pcA.signalingState === 'stable' && pcB.signalingState === 'stable' && ufrag(pcA) !== before[0] && ufrag(pcB) !== before[1],
        what,
        20_000,
      );
    };
    // First with working channels: the restart is signalled over them.
    await waitFor(
      () => a.dataChannel(b.localId, 'control')?.readyState === 'open' && b.dataChannel(a.localId, 'control')?.readyState === 'open',
      'control channels open',
    );
    const viaChannel = a.negotiationStats(b.localId)!.signalsViaChannel;
    await restarted('a restart over the channels');
    expect(a.negotiationStats(b.localId)!.signalsViaChannel, 'signalled over the channel').to.be.greaterThan(viaChannel);
    // Then both channels swallow every signal while they stay open (a path that died under them).
    for (const [s, o] of [
      [a, b],
      [b, a],
    ] as const) {
      const ch = s.dataChannel(o.localId, 'control')!;
      const send = ch.send.bind(ch) as (d: string) => void;
      ch.send = ((d: string) => {
        if (!(typeof d === 'string' && d.includes('"type":"signal"'))) send(d);
      }) as typeof ch.send;
    }
    const errors: string[] = [];
    for (const s of [a, b]) s.on('error', (e) => errors.push(`${s.name}: ${e.message}`));
    await restarted('the restart done through the server');
    await Promise.all([waitForFrames(pcA), waitForFrames(pcB)]);
    expect(errors).to.deep.equal([]);
  });

  it('forms a three-peer mesh, and a leaver disappears from the others', async () => {
    const [a, b, c] = [make('Ada'), make('Bob'), make('Cy')];
    const left: string[] = [];
    a.on('peer-leave', (e) => left.push(e.id));
    for (const s of [a, b, c]) await s.join();
    await Promise.all([a, b, c].map((s) => connected(s, 2)));
    for (const s of [a, b, c]) for (const other of [a, b, c]) if (s !== other) await waitForFrames(s.peerConnection(other.localId)!, 3);
    const cId = c.localId;
    const pcs = [a.peerConnection(cId)!, b.peerConnection(cId)!];
    await c.leave();
    await waitFor(() => !remoteOf(a, cId) && !remoteOf(b, cId), 'C gone from A and B');
    expect(left).to.deep.equal([cId]);
    expect(pcs.map((p) => p.connectionState)).to.deep.equal(['closed', 'closed']);
    expect(a.participants.get().map((p) => p.name)).to.deep.equal(['Ada', 'Bob']);
  });

  it('leave() stops every track and closes every connection', async () => {
    const a = make('Ada');
    const b = make('Bob');
    await a.join();
    await b.join();
    await connected(a, 1);
    const tracks = a.media.state.get().stream.getTracks();
    const pc = a.peerConnection(b.localId)!;
    expect(tracks.length).to.equal(2);
    await a.leave();
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
    expect(pc.connectionState).to.equal('closed');
    expect(a.status.get()).to.equal('left');
    expect(a.participants.get()).to.have.length(1);
    await waitFor(() => b.participants.get().length === 1, 'B sees A leave');
  });

  it('a dropped connection (closed tab) removes the peer', async () => {
    const a = make('Ada');
    const t = hub.connect();
    const b = make('Bob', { transport: t });
    await a.join();
    await b.join();
    await connected(a, 1);
    const reasons: string[] = [];
    a.on('peer-leave', (e) => reasons.push(e.reason));
    t.drop();
    await waitFor(() => a.participants.get().length === 1, 'peer removed');
    expect(reasons).to.deep.equal(['disconnected']);
  });

  it('a late signal from a peer that already left does not bring it back as a ghost', async () => {
    // Signals take 200 ms, the leave notice does not: Bob's offer lands after he is gone.
    hub = new LoopbackHub({ latencyMs: 200 });
    const a = make('Ada');
    const t = hub.connect();
    const b = make('Bob', { transport: t });
    await a.join();
    await b.join();
    await waitFor(() => b.negotiationStats(a.localId)?.offersSent === 1, 'Bob sent his offer');
    t.drop();
    await sleep(800);
    expect(a.participants.get().map((p) => p.name)).to.deep.equal(['Ada']);
  });

  it('joins receive-only when no device can be opened, and still sees the others', async () => {
    // This session asks for no devices at all: it must still receive.
    const [a, b] = await joinAll(make('Ada'), make('Watcher', { media: { audio: false, video: false } }));
    await waitForFrames(b.peerConnection(a.localId)!);
    const watcher = remoteOf(a, b.localId) as Participant;
    await waitFor(() => remoteOf(a, b.localId)?.videoMuted === true, 'watcher announced as camera off');
    expect(watcher.name).to.equal('Watcher');
    expect((await inbound(a.peerConnection(b.localId)!, 'video')).frames).to.equal(0);
  });

  it('a full room refuses with a clear error and the session can retry elsewhere', async () => {
    hub = new LoopbackHub({ capacity: 1 });
    const a = make('Ada');
    const b = make('Bob');
    await a.join();
    const errors: string[] = [];
    b.on('error', (e) => errors.push(e.code));
    let thrown: unknown;
    await b.join().catch((e) => (thrown = e));
    expect((thrown as { code?: string }).code).to.equal('room-full');
    expect(b.status.get()).to.equal('failed');
    expect(errors).to.include('room-full');
    expect(b.error.get()?.message).to.match(/full/);
  });
});
