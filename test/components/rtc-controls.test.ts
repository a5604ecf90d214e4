import { expect, fixture, html, elementUpdated } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../helpers/define-all.js';
import type { RtcCameraButton, RtcControls, RtcLeaveButton, RtcMicButton, RtcScreenShareButton } from '../../src/index.js';
import { LoopbackHub, button, cleanupSessions, failGetUserMedia, joinAll, makeSession, sleep, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const live = (el: Element) => sr(el).querySelector('[aria-live=polite]')!;

/**
 * Replace getDisplayMedia for one test: `share` answers the picker (a camera track stands in for
 * the screen), or `undefined` removes it as on browsers without screen sharing. Returns restore.
 */
function stubDisplayMedia(share: ((c?: DisplayMediaStreamOptions) => Promise<MediaStream>) | undefined): () => void {
  const md = navigator.mediaDevices;
  Object.defineProperty(md, 'getDisplayMedia', { value: share, configurable: true, writable: true });
  return () => void delete (md as { getDisplayMedia?: unknown }).getDisplayMedia;
}
const fakeScreen = () => navigator.mediaDevices.getUserMedia({ video: true });

describe('<rtc-controls>', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  let restore: (() => void) | undefined;

  beforeEach(() => (hub = new LoopbackHub()));
  afterEach(async () => {
    restore?.();
    restore = undefined;
    await cleanupSessions();
  });

  async function call() {
    const [a, b] = await joinAll(makeSession(hub, 'controls', 'Ada'), makeSession(hub, 'controls', 'Bob'));
    const el = await fixture<RtcControls>(html`<rtc-controls .session=${a}></rtc-controls>`);
    const remoteA = () => b.participants.get().find((p) => p.id === a.localId)!;
    return { a, b, el, remoteA };
  }

  it('has buttons named Microphone, Camera, Share screen and Leave, and is accessible', async () => {
    const { el } = await call();
    for (const name of ['Microphone', 'Camera', 'Share screen', 'Leave']) expect(button(el, name), name).to.exist;
    expect(button(el, 'Share screen')!.getAttribute('aria-pressed')).to.equal('false');
    expect(button(el, 'Microphone')!.getAttribute('aria-pressed')).to.equal('true');
    expect(button(el, 'Camera')!.getAttribute('aria-pressed')).to.equal('true');
    expect(live(el).classList.contains('visually-hidden')).to.equal(true);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('Microphone toggles aria-pressed and the track, and announces it', async () => {
    const { a, el, remoteA } = await call();
    const mic = button(el, 'Microphone')!;
    const track = a.media.audioTrack!;
    mic.click();
    await waitFor(() => mic.getAttribute('aria-pressed') === 'false', 'aria-pressed false');
    expect(track.enabled).to.equal(false);
    await waitFor(() => live(el).textContent?.trim() === 'Microphone off', 'announced');
    await waitFor(() => remoteA().audioMuted, 'the peer sees the mute');
    mic.click();
    await waitFor(() => mic.getAttribute('aria-pressed') === 'true', 'aria-pressed true');
    expect(track.enabled).to.equal(true);
    await waitFor(() => live(el).textContent?.trim() === 'Microphone on', 'announced');
  });

  it('Camera off ends the video track and the remote sees videoMuted; on again restores it', async () => {
    const { a, el, remoteA } = await call();
    const cam = button(el, 'Camera')!;
    const track = a.media.videoTrack!;
    cam.click();
    await waitFor(() => cam.getAttribute('aria-pressed') === 'false', 'aria-pressed false');
    expect(track.readyState).to.equal('ended');
    await waitFor(() => remoteA().videoMuted === true, 'remote videoMuted');
    await waitFor(() => live(el).textContent?.trim() === 'Camera off', 'announced');
    cam.click();
    await waitFor(() => cam.getAttribute('aria-pressed') === 'true', 'aria-pressed true');
    expect(a.media.videoTrack!.readyState).to.equal('live');
    await waitFor(() => remoteA().videoMuted === false, 'remote sees the camera again');
  });

  it('works from the keyboard (Tab, Enter, Space), with visible focus', async () => {
    const { a, el } = await call();
    const mic = button(el, 'Microphone')!;
    const cam = button(el, 'Camera')!;
    // Tab in from a control before the bar, as a keyboard user arrives.
    const before = document.createElement('button');
    before.textContent = 'Before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    await waitFor(() => sr(el).activeElement === mic, 'Tab reaches the microphone');
    expect(mic.matches(':focus-visible'), 'focus ring shown').to.equal(true);
    expect(getComputedStyle(mic).outlineStyle).to.equal('solid');
    before.remove();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => mic.getAttribute('aria-pressed') === 'false', 'Enter toggled the microphone');
    expect(a.media.audioTrack!.enabled).to.equal(false);
    await sendKeys({ press: ' ' });
    await waitFor(() => mic.getAttribute('aria-pressed') === 'true', 'Space toggled it back');
    await sendKeys({ press: 'Tab' });
    await waitFor(() => sr(el).activeElement === cam, 'Tab reaches the camera');
    await sendKeys({ press: ' ' });
    await waitFor(() => cam.getAttribute('aria-pressed') === 'false', 'Space turned the camera off');
    expect(sr(el).activeElement, 'focus stays on the toggle').to.equal(cam);
    await sendKeys({ press: 'Tab' });
    await waitFor(() => sr(el).activeElement === button(el, 'Share screen'), 'Tab reaches Share screen');
    await sendKeys({ press: 'Tab' });
    await waitFor(() => sr(el).activeElement === button(el, 'Leave'), 'Tab reaches Leave');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => a.status.get() === 'left', 'Enter on Leave left the call');
  });

  it('disables a toggle whose device is missing, with the reason as title', async () => {
    restore = failGetUserMedia(['video'], 'NotFoundError');
    const a = makeSession(hub, 'nodevice', 'Ada');
    await a.join();
    const el = await fixture<RtcControls>(html`<rtc-controls .session=${a}></rtc-controls>`);
    const cam = button(el, 'Camera')!;
    const mic = button(el, 'Microphone')!;
    expect(cam.disabled).to.equal(true);
    expect(cam.getAttribute('aria-pressed')).to.equal('false');
    expect(cam.title).to.equal('No camera was found. You can still join to listen and watch.');
    expect(mic.disabled).to.equal(false);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('Leave leaves the call', async () => {
    const { a, el } = await call();
    button(el, 'Leave')!.click();
    await waitFor(() => a.status.get() === 'left', 'left');
    await elementUpdated(el);
    expect(button(el, 'Leave')!.disabled).to.equal(true);
  });

  it('with no session renders disabled buttons without errors', async () => {
    const el = await fixture<RtcControls>(html`<rtc-controls></rtc-controls>`);
    for (const name of ['Microphone', 'Camera', 'Share screen', 'Leave']) expect(button(el, name)!.disabled, name).to.equal(true);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('Share screen sends the screen beside the camera, announces it, and stops it', async () => {
    restore = stubDisplayMedia(fakeScreen);
    const { a, el, remoteA } = await call();
    const share = button(el, 'Share screen')!;
    const pc = a.peerConnection(a.participants.get()[1].id)!;
    const sender = pc.getSenders().find((s) => s.track?.kind === 'video')!;
    const camera = sender.track!;
    share.click();
    await waitFor(() => share.getAttribute('aria-pressed') === 'true', 'aria-pressed true');
    await waitFor(() => live(el).textContent?.trim() === 'Screen sharing started', 'announced');
    await waitFor(() => remoteA().screenSharing && remoteA().screenStream, 'the peer sees the screen share');
    const screen = a.localMedia.get().screenStream!.getVideoTracks()[0]!;
    await waitFor(() => pc.getSenders().some((s) => s.track === screen), 'the screen on a sender of its own');
    expect(sender.track, 'the camera stays on its sender').to.equal(camera);
    share.click();
    await waitFor(() => share.getAttribute('aria-pressed') === 'false', 'aria-pressed false');
    await waitFor(() => live(el).textContent?.trim() === 'Screen sharing stopped', 'announced');
    await waitFor(() => !remoteA().screenSharing, 'the peer sees it stop');
    expect(screen.readyState).to.equal('ended');
    expect(sender.track, 'the camera goes on').to.equal(camera);
  });

  it("the browser's own Stop sharing is announced too", async () => {
    restore = stubDisplayMedia(fakeScreen);
    const { a, el } = await call();
    const share = button(el, 'Share screen')!;
    share.click();
    await waitFor(() => a.localMedia.get().screenSharing, 'sharing');
    // What the browser does when its "Stop sharing" bar is used: the track ends. (Only the
    // event: Firefox drops events on a track already stopped.)
    const screen = a.localMedia.get().screenStream!.getVideoTracks()[0];
    screen.dispatchEvent(new Event('ended'));
    await waitFor(() => share.getAttribute('aria-pressed') === 'false', 'aria-pressed false');
    expect(screen.readyState, 'released').to.equal('ended');
    await waitFor(() => live(el).textContent?.trim() === 'Screen sharing stopped', 'announced');
  });

  it('cancelling the screen picker is not an error and changes nothing', async () => {
    let asked = 0;
    restore = stubDisplayMedia(() => (asked++, Promise.reject(new DOMException('Permission denied by user', 'NotAllowedError'))));
    const { a, el } = await call();
    const share = button(el, 'Share screen')!;
    share.click();
    await waitFor(() => asked === 1, 'the picker was asked for');
    await sleep(300);
    expect(share.getAttribute('aria-pressed')).to.equal('false');
    expect(a.error.get(), 'no error').to.equal(null);
    expect(live(el).textContent?.trim()).to.equal('');
    expect(a.localMedia.get().videoEnabled, 'the camera still on').to.equal(true);
  });

  it('hides Share screen where getDisplayMedia does not exist', async () => {
    restore = stubDisplayMedia(undefined);
    const { el } = await call();
    expect(button(el, 'Share screen')).to.equal(null);
    expect(button(el, 'Microphone')).to.exist;
    await expect(el).shadowDom.to.be.accessible();
  });

  it('with `devices`, a Devices button opens the device pickers and Escape closes them', async () => {
    const { el } = await call();
    el.devices = true;
    await elementUpdated(el);
    const toggle = button(el, 'Devices')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => toggle.getAttribute('aria-expanded') === 'true', 'expanded');
    const picker = await waitFor(() => sr(el).querySelector('rtc-device-picker'), 'picker');
    await waitFor(() => picker.shadowRoot?.querySelector('select#videoinput option'), 'camera options');
    expect(sr(el).activeElement, 'focus moved into the panel').to.equal(picker);
    await expect(el).shadowDom.to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitFor(() => toggle.getAttribute('aria-expanded') === 'false', 'collapsed');
    await waitFor(() => sr(el).activeElement === toggle, 'focus back on the toggle');
  });
});

describe('single call buttons', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  let restore: (() => void) | undefined;

  beforeEach(() => (hub = new LoopbackHub()));
  afterEach(async () => {
    restore?.();
    restore = undefined;
    await cleanupSessions();
  });

  it('<rtc-mic-button> and <rtc-camera-button> toggle on their own and announce it', async () => {
    const a = makeSession(hub, 'single', 'Ada');
    await a.join();
    const mic = await fixture<RtcMicButton>(html`<rtc-mic-button .session=${a}></rtc-mic-button>`);
    const cam = await fixture<RtcCameraButton>(html`<rtc-camera-button .session=${a}></rtc-camera-button>`);
    await expect(mic).shadowDom.to.be.accessible();
    await expect(cam).shadowDom.to.be.accessible();
    const micButton = button(mic, 'Microphone')!;
    expect(micButton.getAttribute('aria-pressed')).to.equal('true');
    mic.focus(); // delegatesFocus: its button
    expect(sr(mic).activeElement).to.equal(micButton);
    await sendKeys({ press: ' ' });
    await waitFor(() => a.localMedia.get().audioEnabled === false, 'muted by Space');
    await waitFor(() => live(mic).textContent?.trim() === 'Microphone off', 'announced');
    button(cam, 'Camera')!.click();
    await waitFor(() => a.localMedia.get().videoEnabled === false, 'camera off');
    await waitFor(() => button(cam, 'Camera')!.getAttribute('aria-pressed') === 'false', 'aria-pressed false');
  });

  it('<rtc-screen-share-button> shares, and renders nothing without getDisplayMedia', async () => {
    restore = stubDisplayMedia(fakeScreen);
    const a = makeSession(hub, 'single-share', 'Ada');
    await a.join();
    const el = await fixture<RtcScreenShareButton>(html`<rtc-screen-share-button .session=${a}></rtc-screen-share-button>`);
    await expect(el).shadowDom.to.be.accessible();
    button(el, 'Share screen')!.click();
    await waitFor(() => a.localMedia.get().screenSharing, 'sharing');
    await waitFor(() => live(el).textContent?.trim() === 'Screen sharing started', 'announced');
    restore();
    restore = stubDisplayMedia(undefined);
    const b = makeSession(hub, 'single-share', 'Bob');
    const none = await fixture<RtcScreenShareButton>(html`<rtc-screen-share-button .session=${b}></rtc-screen-share-button>`);
    expect(sr(none).querySelector('button')).to.equal(null);
  });

  it('<rtc-leave-button> leaves, and takes the session from an enclosing room', async () => {
    const a = makeSession(hub, 'single-leave', 'Ada');
    const room = await fixture(html`<rtc-room .session=${a}><rtc-leave-button></rtc-leave-button></rtc-room>`);
    const el = room.querySelector<RtcLeaveButton>('rtc-leave-button')!;
    await a.join();
    await elementUpdated(el);
    const leave = await waitFor(() => (button(el, 'Leave')?.disabled === false ? button(el, 'Leave') : null), 'Leave enabled');
    await expect(el).shadowDom.to.be.accessible();
    leave.click();
    await waitFor(() => a.status.get() === 'left', 'left');
  });
});
