import { expect } from '@open-wc/testing';
import '../helpers/full-camera.js';
import type { RtcSession } from '../../src/core/index.js';
import { waitFor } from '../helpers/wait.js';
import { canvasScreen, isFirefox, negotiations, remoteOf, sender, sessions, stubMediaDevices, tone } from './media-helpers.js';
import { parseControl } from '../../src/core/peer/control.js';
import { MIN_BITRATE_BPS, SCREEN_FPS, screenEncodingFor } from '../../src/core/peer/quality.js';

type VideoIn = { id: string; frames: number; width: number; height: number };

/** Every inbound video RTP stream of `pc` with its decoded frames and size. */
async function inboundVideos(pc: RTCPeerConnection): Promise<VideoIn[]> {
  const out: VideoIn[] = [];
  (await pc.getStats()).forEach((s: RTCInboundRtpStreamStats & { framesDecoded?: number; frameWidth?: number; frameHeight?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video')
      out.push({ id: String(s.ssrc ?? s.id), frames: s.framesDecoded ?? 0, width: s.frameWidth ?? 0, height: s.frameHeight ?? 0 });
  });
  return out;
}

/** The m-lines of the connection's current description (they must not grow with each share). */
const mLines = (pc: RTCPeerConnection) => (pc.currentLocalDescription?.sdp.match(/^m=/gm) ?? []).length;

/**
 * Wait until the remote decodes two video tracks from the sharer, both moving: the camera, and
 * the screen (320×180, unlike any camera).
 */
async function expectTwoVideos(pc: RTCPeerConnection) {
  const start = await waitFor(
    async () => {
      const v = (await inboundVideos(pc)).filter((x) => x.frames > 0);
      const screen = v.find((x) => x.width === 320 && x.height === 180);
      const camera = v.find((x) => x !== screen && x.width > 0 && !(x.width === 320 && x.height === 180));
      return screen && camera ? { screen, camera } : null;
    },
    'the camera and a 320×180 screen both decoded',
    30000,
  );
  await waitFor(
    async () => {
      const v = await inboundVideos(pc);
      const now = (id: string) => v.find((x) => x.id === id)?.frames ?? 0;
      return now(start.screen.id) >= start.screen.frames + 5 && now(start.camera.id) >= start.camera.frames + 5;
    },
    'frames decoded on both video tracks',
    30000,
  );
}

/** Wait until the video RTP stream(s) decode `more` frames; with `size`, only one that size. */
async function expectDecoding(pc: RTCPeerConnection, what: string, pick: (v: VideoIn) => boolean, more = 5) {
  const before = new Map((await inboundVideos(pc)).map((v) => [v.id, v.frames]));
  await waitFor(async () => (await inboundVideos(pc)).some((v) => pick(v) && v.frames >= (before.get(v.id) ?? 0) + more), what, 30000);
}
const isScreen = (v: VideoIn) => v.width === 320 && v.height === 180;

describe('Screen share rules (P2P 1.6)', () => {
  it('`state` takes an optional `screen` with bounded mids; anything else in it drops the message', () => {
    const base = { type: 'state', audioMuted: false, videoMuted: false, screenSharing: true };
    expect(parseControl(JSON.stringify({ ...base, screen: { mid: '2', audioMid: '3' } }))).to.deep.include({ screen: { mid: '2', audioMid: '3' } });
    expect(parseControl(JSON.stringify(base))!).not.to.have.property('screen');
    for (const screen of [{ mid: '' }, { mid: 'x'.repeat(33) }, { mid: 2 }, { audioMid: '3' }, 'video', { mid: '2', audioMid: 3 }])
      expect(parseControl(JSON.stringify({ ...base, screen })), JSON.stringify(screen)).to.equal(null);
  });

  it("the screen's encoding: full resolution, 15 fps, 2/3 of the link's upload share", () => {
    expect(screenEncodingFor(1_500_000)).to.deep.equal({ active: true, scaleResolutionDownBy: 1, maxBitrate: 1_000_000, maxFramerate: SCREEN_FPS });
    expect(screenEncodingFor(10_000).maxBitrate).to.equal(MIN_BITRATE_BPS);
  });
});

describe('Screen share (camera and screen together, P2P 1.6)', function () {
  this.timeout(120000);
  const s = sessions();
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    cleanups.splice(0).forEach((c) => c());
    await s.leaveAll();
  });

  /** Fail getDisplayMedia as the browser would (a DOMException of `name`). */
  const refuseDisplay = (name: string, message = '') =>
    cleanups.push(
      stubMediaDevices('getDisplayMedia', () => async () => {
        throw new DOMException(message, name);
      }),
    );
  /** A new canvas "screen" (320×180) per getDisplayMedia call; with `audio`, the tab's sound too (a tone). */
  const canvasDisplay = ({ audio = false } = {}) => {
    const calls: MediaStreamConstraints[] = [];
    cleanups.push(
      stubMediaDevices('getDisplayMedia', () => async (c?: DisplayMediaStreamOptions) => {
        calls.push(c as MediaStreamConstraints);
        const screen = canvasScreen();
        cleanups.push(screen.stop);
        if (audio) {
          const t = tone(0.3);
          cleanups.push(() => void t.close());
          screen.stream.addTrack(t.track);
        }
        return screen.stream;
      }),
    );
    return calls;
  };

  /** Everything a share must look like to both sides; returns the screen stream. */
  async function expectSharing(a: RtcSession, b: RtcSession) {
    const m = a.localMedia.get();
    expect(m.screenSharing).to.equal(true);
    const screen = m.screenStream!;
    expect(screen.getVideoTracks()[0]!.readyState).to.equal('live');
    const me = a.participants.get()[0]!;
    expect(me.screenStream, 'local screenStream').to.equal(screen);
    expect(me.stream, 'the local stream stays the camera').to.equal(m.stream);
    const pcA = a.peerConnection(b.localId)!;
    expect(
      pcA.getSenders().some((x) => x.track === screen.getVideoTracks()[0]),
      'a sender carries the screen',
    ).to.equal(true);
    if (a.media.videoTrack) expect(sender(a, b, 'video').track, 'the camera stays on its sender').to.equal(a.media.videoTrack);

    await waitFor(() => remoteOf(b, a.localId)?.screenStream?.getVideoTracks().length, 'Bob gets a screenStream from Ada');
    const remote = remoteOf(b, a.localId)!;
    expect(remote.screenSharing).to.equal(true);
    expect(remote.stream!.getVideoTracks(), 'one camera track in stream').to.have.length(1);
    expect(remote.stream!.getVideoTracks()[0]).not.to.equal(remote.screenStream!.getVideoTracks()[0]);
    const pcB = b.peerConnection(a.localId)!;
    // The remote decodes two video tracks from the sharer (the camera's when it is on).
    if (a.media.videoTrack) await expectTwoVideos(pcB);
    else await expectDecoding(pcB, 'Bob decodes the screen', isScreen);
    // The share was announced with its mid, and that is where Bob gets it.
    await waitFor(
      () => pcB.getTransceivers().some((t) => t.mid !== null && t.receiver.track === remote.screenStream!.getVideoTracks()[0]),
      'screen on a transceiver',
    );
    return screen;
  }

  async function expectStopped(a: RtcSession, b: RtcSession, screen: MediaStream) {
    await waitFor(() => screen.getVideoTracks()[0]!.readyState === 'ended', 'screen track stopped');
    expect(a.localMedia.get()).to.deep.include({ screenSharing: false, screenStream: null });
    expect(a.participants.get()[0]!.screenStream).to.equal(null);
    await waitFor(() => remoteOf(b, a.localId)?.screenSharing === false, 'Bob sees the share end');
    expect(remoteOf(b, a.localId)!.screenStream).to.equal(null);
    // Nothing goes out on the screen's sender any more.
    const pcA = a.peerConnection(b.localId)!;
    const screenSenders = pcA.getTransceivers().filter((t) => t.sender !== sender(a, b, 'video') && t.sender !== sender(a, b, 'audio') && t.mid !== null);
    for (const t of screenSenders) expect(t.sender.track, 'no screen track on the sender').to.equal(null);
    // The camera goes on.
    if (a.media.videoTrack) await expectDecoding(b.peerConnection(a.localId)!, 'Bob still decodes the camera', (v) => !isScreen(v));
  }

  // Chromium only: headless Firefox has no screen to capture (getDisplayMedia: NotFoundError); the canvas tests cover it there.
  if (!isFirefox)
    it('shares the real screen (headless Chromium capture) beside the camera; stop leaves the camera', async function () {
      const [a, b] = await s.pair();
      const camera = a.media.videoTrack!;
      await a.startScreenShare();
      const screen = a.localMedia.get().screenStream!;
      await waitFor(() => remoteOf(b, a.localId)?.screenStream, 'Bob gets the screen');
      const pcB = b.peerConnection(a.localId)!;
      // The headless "screen" is 800 wide (the camera 640): two tracks of two sizes.
      await waitFor(
        async () => {
          const v = (await inboundVideos(pcB)).filter((x) => x.frames > 0);
          return v.some((x) => x.width === 800) && v.some((x) => x.width === 640);
        },
        'Bob decodes the camera and the 800-wide screen',
        30000,
      );
      expect(camera.readyState, 'the camera keeps going').to.equal('live');
      await a.stopScreenShare();
      await expectStopped(a, b, screen);
      expect(a.error.get()).to.equal(null);
    });

  it('sends the screen beside the camera; the browser\'s "Stop sharing" stops it; sharing again reuses the m-lines', async () => {
    const calls = canvasDisplay();
    const [a, b] = await s.pair();
    await a.toggleScreenShare();
    expect(calls[0], "asks for the screen's sound too").to.deep.include({ audio: true });
    let screen = await expectSharing(a, b);
    const pcA = a.peerConnection(b.localId)!;
    const pcB = b.peerConnection(a.localId)!;
    await waitFor(() => pcA.signalingState === 'stable' && pcB.signalingState === 'stable', 'negotiated');
    const lines = mLines(pcA);
    const transceivers = pcA.getTransceivers().length;
    // The screen's own encoding: full resolution, 15 fps, the larger share of the upload.
    const screenSender = pcA.getSenders().find((x) => x.track === screen.getVideoTracks()[0])!;
    const enc = await waitFor(
      () => (screenSender.getParameters().encodings?.[0]?.maxFramerate ? screenSender.getParameters().encodings[0] : null),
      'screen encoding applied',
    );
    expect(enc).to.deep.include({ maxFramerate: 15, scaleResolutionDownBy: 1 });
    const camera = sender(a, b, 'video').getParameters().encodings[0]!;
    expect(enc.maxBitrate!, 'the screen gets more than the camera').to.be.greaterThan(camera.maxBitrate ?? 0);

    screen.getVideoTracks()[0]!.dispatchEvent(new Event('ended')); // what the browser's "Stop sharing" button does
    await expectStopped(a, b, screen);

    const before = negotiations(a, b);
    await a.startScreenShare();
    screen = await expectSharing(a, b);
    await waitFor(() => negotiations(a, b) > before && pcA.signalingState === 'stable' && pcB.signalingState === 'stable', 'renegotiated');
    expect(mLines(pcA), 'no new m-line on the second share').to.equal(lines);
    expect(pcA.getTransceivers().length, 'no new transceiver').to.equal(transceivers);
    await a.stopScreenShare();
    await expectStopped(a, b, screen);
    expect(a.error.get()).to.equal(null);
    expect(b.error.get()).to.equal(null);
  });

  it("sends the screen's sound where the browser gives it", async () => {
    canvasDisplay({ audio: true });
    const [a, b] = await s.pair();
    await a.startScreenShare();
    await expectSharing(a, b);
    await waitFor(() => remoteOf(b, a.localId)?.screenStream?.getAudioTracks().length, 'Bob gets the screen sound');
    const remote = remoteOf(b, a.localId)!;
    expect(remote.stream!.getAudioTracks(), 'the microphone alone in stream').to.have.length(1);
    // Audio packets arrive on two inbound streams: the microphone and the screen.
    const pcB = b.peerConnection(a.localId)!;
    await waitFor(
      async () => {
        let n = 0;
        (await pcB.getStats()).forEach((x: RTCInboundRtpStreamStats) => {
          if (x.type === 'inbound-rtp' && x.kind === 'audio' && (x.packetsReceived ?? 0) > 10) n++;
        });
        return n >= 2;
      },
      'two audio streams received',
      30000,
    );
  });

  it('with the camera off the screen still goes out; stopping it sends no video, the camera stays off', async () => {
    canvasDisplay();
    const [a, b] = await s.pair();
    await a.startScreenShare();
    await expectSharing(a, b);
    await a.setCameraEnabled(false);
    expect(a.media.videoTrack).to.equal(null);
    await waitFor(() => remoteOf(b, a.localId)?.videoMuted, 'Bob sees the camera off');
    expect(remoteOf(b, a.localId)!.screenStream).not.to.equal(null);
    await expectDecoding(b.peerConnection(a.localId)!, 'the screen keeps coming', isScreen);

    const screen = a.localMedia.get().screenStream!;
    await a.toggleScreenShare();
    expect(sender(a, b, 'video').track).to.equal(null);
    await expectStopped(a, b, screen);
    await waitFor(() => remoteOf(b, a.localId)?.videoMuted && !remoteOf(b, a.localId)?.screenSharing, 'Bob sees no video');
    expect(a.participants.get()[0]!.videoMuted).to.equal(true);
  });

  it("both sharing at once: each decodes the other's camera and screen", async () => {
    canvasDisplay();
    const [a, b] = await s.pair();
    await Promise.all([a.startScreenShare(), b.startScreenShare()]);
    await expectSharing(a, b);
    await expectSharing(b, a);
    // Stop one: the other's share goes on.
    const screenA = a.localMedia.get().screenStream!;
    await a.stopScreenShare();
    await expectStopped(a, b, screenA);
    await expectDecoding(a.peerConnection(b.localId)!, "Ada still decodes Bob's screen", isScreen);
    expect(remoteOf(a, b.localId)!.screenStream).not.to.equal(null);
    expect(a.error.get()).to.equal(null);
    expect(b.error.get()).to.equal(null);
  });

  it('cancelling the picker is not an error; a real failure is reported plainly', async () => {
    const [a] = await s.pair();
    const errors: string[] = [];
    a.on('error', (e) => errors.push(e.code));
    refuseDisplay('NotAllowedError', 'Permission denied');
    await a.startScreenShare();
    expect(a.localMedia.get().screenSharing).to.equal(false);
    expect(a.error.get()).to.equal(null);
    expect(errors).to.deep.equal([]);

    cleanups.splice(0).forEach((c) => c());
    refuseDisplay('NotReadableError', 'Could not start video source');
    await a.startScreenShare();
    expect(a.error.get()?.code).to.equal('screen-share-failed');
    expect(a.error.get()!.message).to.equal('The screen could not be captured; another application may be blocking it.');

    cleanups.splice(0).forEach((c) => c());
    refuseDisplay('NotAllowedError', 'Permission denied by system');
    await a.startScreenShare();
    expect(a.error.get()!.message).to.match(/system's privacy settings/);
    expect(errors).to.deep.equal(['screen-share-failed', 'screen-share-failed']);
    expect(a.localMedia.get().screenSharing).to.equal(false);
  });

  it('leave() stops the shared screen', async () => {
    canvasDisplay({ audio: true });
    const [a] = await s.pair();
    await a.startScreenShare();
    const tracks = a.localMedia.get().screenStream!.getTracks();
    expect(tracks).to.have.length(2);
    await a.leave();
    for (const t of tracks) expect(t.readyState).to.equal('ended');
    expect(a.localMedia.get()).to.deep.include({ screenSharing: false, screenStream: null });
  });

  it('a peer joining during a share receives the camera and the screen', async () => {
    canvasDisplay();
    const a = s.make('Ada');
    await a.join();
    await a.startScreenShare();
    const b = s.make('Bob');
    await b.join();
    await Promise.all([s.connected(a, 1), s.connected(b, 1)]);
    await expectSharing(a, b);
  });
});
