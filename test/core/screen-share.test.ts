import { expect } from '@open-wc/testing';
import type { RtcSession } from '../../src/core/index.js';
import { waitFor } from '../helpers/wait.js';
import { waitForFrames } from '../helpers/rtc-stats.js';
import { canvasScreen, inboundSize, isFirefox, negotiations, remoteOf, sender, sessions, stubMediaDevices } from './media-helpers.js';

describe('Screen share', function () {
  this.timeout(90000);
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
  /** A canvas as the "screen" (320×180, unlike any camera). */
  const canvasDisplay = () => {
    const screen = canvasScreen();
    cleanups.push(screen.stop, stubMediaDevices('getDisplayMedia', () => async () => screen.stream));
    return screen;
  };

  /** Everything a share must look like to both sides; returns the screen track. */
  async function expectSharing(a: RtcSession, b: RtcSession, size: { width: number; height?: number }) {
    const m = a.localMedia.get();
    expect(m.screenSharing).to.equal(true);
    const screen = m.screenStream!.getVideoTracks()[0];
    expect(screen.readyState).to.equal('live');
    expect(sender(a, b, 'video').track, 'the screen on the video sender').to.equal(screen);
    expect(a.participants.get()[0]).to.deep.include({ screenSharing: true, videoMuted: false, stream: m.screenStream });
    await waitFor(() => remoteOf(b, a.localId)?.screenSharing, 'Bob sees Ada sharing');
    expect(remoteOf(b, a.localId)!.videoMuted).to.equal(false);
    // The remote decodes the screen: its size, not the camera's.
    const pcB = b.peerConnection(a.localId)!;
    await waitFor(async () => {
      const got = await inboundSize(pcB);
      return got.width === size.width && (size.height === undefined || got.height === size.height);
    }, `Bob decodes ${size.width}×${size.height ?? 'any'} frames`, 20000);
    await waitForFrames(pcB, 10);
    return screen;
  }

  async function expectCameraBack(a: RtcSession, b: RtcSession, screen: MediaStreamTrack) {
    await waitFor(() => screen.readyState === 'ended', 'screen track stopped');
    expect(a.localMedia.get()).to.deep.include({ screenSharing: false, screenStream: null });
    expect(sender(a, b, 'video').track, 'the camera back on the sender').to.equal(a.media.videoTrack);
    expect(a.participants.get()[0].stream).to.equal(a.localMedia.get().stream);
    await waitFor(() => remoteOf(b, a.localId)?.screenSharing === false, 'Bob sees the share end');
    await waitForFrames(b.peerConnection(a.localId)!, 10);
  }

  it('shares the real screen (headless Chromium capture) on the same sender without an offer; stop returns to the camera', async function () {
    // Headless Firefox has no screen to capture (getDisplayMedia: NotFoundError); the canvas test below covers it.
    if (isFirefox) this.skip();
    const [a, b] = await s.pair();
    await waitForFrames(b.peerConnection(a.localId)!);
    const before = negotiations(a, b);
    const videoSender = sender(a, b, 'video');
    const camera = a.media.videoTrack!;

    await a.startScreenShare();
    // The headless "screen" is 800 wide (the camera 640); its height follows the window.
    const screen = await expectSharing(a, b, { width: 800 });
    expect(camera.readyState, 'the camera waits, still open').to.equal('live');

    await a.stopScreenShare();
    await expectCameraBack(a, b, screen);
    expect(sender(a, b, 'video')).to.equal(videoSender);
    expect(negotiations(a, b), 'no offer/answer').to.equal(before);
    expect(a.error.get()).to.equal(null);
  });

  it('shares a screen and returns to the camera when the browser\'s own "Stop sharing" ends it', async () => {
    canvasDisplay();
    const [a, b] = await s.pair();
    const before = negotiations(a, b);
    await a.toggleScreenShare();
    const screen = await expectSharing(a, b, { width: 320, height: 180 });
    screen.dispatchEvent(new Event('ended')); // what the browser's "Stop sharing" button does
    await expectCameraBack(a, b, screen);
    expect(negotiations(a, b)).to.equal(before);
  });

  it('with the camera off, stopping the share sends no video, and the camera stays off', async () => {
    canvasDisplay();
    const [a, b] = await s.pair();
    await a.startScreenShare();
    await expectSharing(a, b, { width: 320, height: 180 });
    await a.setCameraEnabled(false); // while sharing: the screen keeps going out
    expect(a.media.videoTrack).to.equal(null);
    expect(sender(a, b, 'video').track).to.equal(a.localMedia.get().screenStream!.getVideoTracks()[0]);
    expect(remoteOf(b, a.localId)!.videoMuted).to.equal(false);

    await a.toggleScreenShare();
    expect(sender(a, b, 'video').track).to.equal(null);
    await waitFor(() => remoteOf(b, a.localId)?.videoMuted && !remoteOf(b, a.localId)?.screenSharing, 'Bob sees no video');
    expect(a.participants.get()[0].videoMuted).to.equal(true);
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
    canvasDisplay();
    const [a] = await s.pair();
    await a.startScreenShare();
    const screen = a.localMedia.get().screenStream!.getVideoTracks()[0];
    await a.leave();
    expect(screen.readyState).to.equal('ended');
    expect(a.localMedia.get()).to.deep.include({ screenSharing: false, screenStream: null });
  });

  it('a peer joining during a share receives the screen, told so on the control channel', async () => {
    canvasDisplay();
    const a = s.make('Ada');
    await a.join();
    await a.startScreenShare();
    const b = s.make('Bob');
    await b.join();
    await Promise.all([s.connected(a, 1), s.connected(b, 1)]);
    await expectSharing(a, b, { width: 320, height: 180 });
  });
});
