import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/define-all.js';
import type { RtcRoom, RtcSession, RtcSessionOptions } from '../../src/index.js';
import { canvasScreen, stubMediaDevices } from '../core/media-helpers.js';
import { LoopbackHub, button, cleanupSessions, connectedPeers, makeSession, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const quiet: Partial<RtcSessionOptions> = { devices: { storageKey: null } };

/** The `<video>` inside a tile, once it plays a live video track. */
const playing = (tile: Element | null) => {
  const video = tile?.shadowRoot?.querySelector('video');
  const stream = video?.srcObject as MediaStream | null | undefined;
  return !!video && !!stream?.getVideoTracks().some((t) => t.readyState === 'live') && video.videoWidth > 0 ? video : null;
};

describe('<rtc-room> with a screen shared beside the camera (P2P 1.6)', function () {
  this.timeout(90000);
  const restore: (() => void)[] = [];
  afterEach(async () => {
    restore.splice(0).forEach((r) => r());
    await cleanupSessions();
  });
  /** Every getDisplayMedia gets a new canvas "screen" of 320×180. */
  function canvasDisplay() {
    restore.push(
      stubMediaDevices('getDisplayMedia', () => async () => {
        const screen = canvasScreen();
        restore.push(screen.stop);
        return screen.stream;
      }),
    );
  }

  async function call(room: string) {
    const hub = new LoopbackHub();
    const a = makeSession(hub, room, 'Ada', quiet);
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    await el.join();
    const b: RtcSession = makeSession(hub, room, 'Bob', quiet);
    await b.join();
    await connectedPeers(a, 1);
    await waitFor(() => sr(el).querySelectorAll('rtc-video-tile').length === 2, 'two tiles');
    return { a, b, el };
  }

  it("puts a remote share in the spotlight and the sharer's camera in the strip; stopping removes the screen tile", async () => {
    canvasDisplay();
    const { b, el } = await call('screen-tiles');
    await b.startScreenShare();
    const screenTile = await waitFor(() => sr(el).querySelector(`rtc-video-tile[participant-id="${b.localId}"][source=screen]`), "Bob's screen tile");
    await waitFor(() => screenTile.matches('[part~=spotlight]'), 'the screen in the spotlight');
    const camera = sr(el).querySelector(`rtc-video-tile[participant-id="${b.localId}"]:not([source=screen])`)!;
    expect(camera, "Bob's camera tile stays").to.exist;
    expect(camera.matches('[part~=spotlight]'), 'the camera is a thumbnail').to.equal(false);
    expect(sr(el).querySelector('[part=grid]')!.getAttribute('data-layout')).to.equal('spotlight');
    // Both play: the screen (320×180, whole) and the camera.
    const screenVideo = await waitFor(() => playing(screenTile), 'the screen plays');
    await waitFor(() => screenVideo.videoWidth === 320 && screenVideo.videoHeight === 180, 'the screen at its size');
    expect(screenVideo.muted, 'screen sound plays').to.equal(false);
    const cameraVideo = await waitFor(() => playing(camera), 'the camera plays');
    expect(cameraVideo.srcObject).not.to.equal(screenVideo.srcObject);
    expect(screenTile.shadowRoot!.querySelector('[part=label]')!.textContent).to.equal("Bob's screen");
    // The Pin button sits on the screen's tile (it is what a pin of Bob shows).
    const pin = button(el, 'Pin Bob');
    expect(pin?.closest('rtc-video-tile')).to.equal(screenTile);
    expect(pin!.getAttribute('aria-pressed')).to.equal('true');
    await expect(el).shadowDom.to.be.accessible();

    await b.stopScreenShare();
    await waitFor(() => !sr(el).querySelector('rtc-video-tile[source=screen]'), 'the screen tile gone');
    expect(sr(el).querySelectorAll('rtc-video-tile')).to.have.length(2);
    expect(sr(el).querySelector('[part=grid]')!.getAttribute('data-layout')).to.equal('grid');
    await waitFor(() => playing(sr(el).querySelector(`rtc-video-tile[participant-id="${b.localId}"]`)), 'the camera still plays');
  });

  it('our own share: a small tile of its own, muted, not in the spotlight; our camera tile stays', async () => {
    canvasDisplay();
    const { a, el } = await call('own-screen');
    await a.startScreenShare();
    const own = await waitFor(() => sr(el).querySelector('rtc-video-tile[local][source=screen]'), 'our screen tile');
    expect(own.matches('[part~=spotlight]')).to.equal(false);
    const video = await waitFor(() => playing(own), 'our screen plays');
    expect(video.muted, 'no loopback of our own screen sound').to.equal(true);
    expect(video.classList.contains('mirrored')).to.equal(false);
    expect(sr(el).querySelector('rtc-video-tile[local]:not([source=screen])')).to.exist;
    await a.stopScreenShare();
    await waitFor(() => !sr(el).querySelector('rtc-video-tile[source=screen]'), 'our screen tile gone');
  });
});
