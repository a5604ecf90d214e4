import { expect, fixture, html, elementUpdated } from '@open-wc/testing';
import '../../src/define.js';
import type { RtcPrejoin } from '../../src/index.js';
import { LoopbackHub, button, cleanupSessions, failGetUserMedia, makeSession, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;

describe('<rtc-prejoin>', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  let restore: (() => void) | undefined;

  beforeEach(() => {
    hub = new LoopbackHub();
    localStorage.removeItem('rtc-widgets:name');
  });
  afterEach(async () => {
    restore?.();
    restore = undefined;
    localStorage.removeItem('rtc-widgets:name');
    await cleanupSessions();
  });

  it('previews the camera, fills in the remembered name and joins with it', async () => {
    localStorage.setItem('rtc-widgets:name', 'Remembered Ruth');
    const a = makeSession(hub, 'pre');
    const el = await fixture<RtcPrejoin>(html`<rtc-prejoin .session=${a}></rtc-prejoin>`);
    const input = sr(el).querySelector('input')!;
    expect(input.value).to.equal('Remembered Ruth');
    await waitFor(() => a.localMedia.get().hasVideo, 'preview opened the camera');
    await waitFor(() => sr(el).querySelector('rtc-video-tile')?.shadowRoot?.querySelector('video')?.srcObject, 'preview video');
    await expect(el).shadowDom.to.be.accessible();
    input.value = 'Ruth';
    input.dispatchEvent(new Event('input'));
    button(el, 'Join')!.click();
    await waitFor(() => a.status.get() === 'joined', 'joined');
    expect(a.name).to.equal('Ruth');
    expect(localStorage.getItem('rtc-widgets:name')).to.equal('Ruth');
  });

  it('shows device errors but still lets you join (receive-only)', async () => {
    restore = failGetUserMedia(['audio', 'video'], 'NotAllowedError');
    const a = makeSession(hub, 'pre-err', 'Ada');
    const el = await fixture<RtcPrejoin>(html`<rtc-prejoin .session=${a}></rtc-prejoin>`);
    await waitFor(() => sr(el).querySelectorAll('[part=error]').length === 2, 'two device errors');
    const text = sr(el).querySelector('.errors')!.textContent!;
    expect(text).to.contain('Access to the microphone was blocked');
    expect(text).to.contain('Access to the camera was blocked');
    await expect(el).shadowDom.to.be.accessible();
    const join = button(el, 'Join')!;
    expect(join.disabled).to.equal(false);
    join.click();
    await waitFor(() => a.status.get() === 'joined', 'joined without devices');
  });

  it('with no session renders without errors and cannot join', async () => {
    const el = await fixture<RtcPrejoin>(html`<rtc-prejoin></rtc-prejoin>`);
    await elementUpdated(el);
    expect(button(el, 'Join')!.disabled).to.equal(true);
    await expect(el).shadowDom.to.be.accessible();
  });
});
