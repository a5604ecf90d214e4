import { expect, fixture, html, elementUpdated } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { RtcControls } from '../../src/index.js';
import { LoopbackHub, button, cleanupSessions, connectedPeers, failGetUserMedia, makeSession, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const live = (el: Element) => sr(el).querySelector('[aria-live=polite]')!;

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
    const a = makeSession(hub, 'controls', 'Ada');
    const b = makeSession(hub, 'controls', 'Bob');
    await a.join();
    await b.join();
    await Promise.all([connectedPeers(a, 1), connectedPeers(b, 1)]);
    const el = await fixture<RtcControls>(html`<rtc-controls .session=${a}></rtc-controls>`);
    const remoteA = () => b.participants.get().find((p) => p.id === a.localId)!;
    return { a, b, el, remoteA };
  }

  it('has buttons named Microphone, Camera and Leave, and is accessible', async () => {
    const { el } = await call();
    for (const name of ['Microphone', 'Camera', 'Leave']) expect(button(el, name), name).to.exist;
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

  it('works from the keyboard (Tab, Enter, Space)', async () => {
    const { a, el } = await call();
    const mic = button(el, 'Microphone')!;
    const cam = button(el, 'Camera')!;
    el.focus(); // delegatesFocus: the first button
    expect(sr(el).activeElement).to.equal(mic);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => mic.getAttribute('aria-pressed') === 'false', 'Enter toggled the microphone');
    expect(a.media.audioTrack!.enabled).to.equal(false);
    await sendKeys({ press: ' ' });
    await waitFor(() => mic.getAttribute('aria-pressed') === 'true', 'Space toggled it back');
    await sendKeys({ press: 'Tab' });
    expect(sr(el).activeElement).to.equal(cam);
    await sendKeys({ press: ' ' });
    await waitFor(() => cam.getAttribute('aria-pressed') === 'false', 'Space turned the camera off');
    expect(sr(el).activeElement, 'focus stays on the toggle').to.equal(cam);
    await sendKeys({ press: 'Tab' });
    expect(sr(el).activeElement).to.equal(button(el, 'Leave'));
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
    for (const name of ['Microphone', 'Camera', 'Leave']) expect(button(el, name)!.disabled, name).to.equal(true);
    await expect(el).shadowDom.to.be.accessible();
  });
});
