import { expect, fixture, html, elementUpdated } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '../helpers/define-all.js';
import type { RtcPrejoin } from '../../src/index.js';
import { audioLevelWatchers } from '../../src/core/media/audio-level.js';
import { LoopbackHub, button, cleanupSessions, failGetUserMedia, makeSession, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const picker = (el: Element) => sr(el).querySelector('rtc-device-picker')!;
const meter = (el: Element) => sr(el).querySelector<HTMLElement>('[role=meter]');
const DEVICES = 'rtc-widgets:devices';

describe('<rtc-prejoin>', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  let restore: (() => void) | undefined;

  beforeEach(() => {
    hub = new LoopbackHub();
    localStorage.removeItem('rtc-widgets:name');
    localStorage.removeItem(DEVICES);
  });
  afterEach(async () => {
    await cleanupSessions();
    restore?.();
    restore = undefined;
    localStorage.removeItem('rtc-widgets:name');
    localStorage.removeItem(DEVICES);
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
    // Each problem under its picker.
    const errorOf = (kind: string) => picker(el).shadowRoot?.querySelector(`#${kind}-error`)?.textContent ?? '';
    await waitFor(() => errorOf('audioinput') && errorOf('videoinput'), 'two device errors');
    expect(errorOf('audioinput')).to.contain('Access to the microphone was blocked');
    expect(errorOf('videoinput')).to.contain('Access to the camera was blocked');
    expect(meter(el), 'no level meter without a microphone').to.equal(null);
    await expect(el).shadowDom.to.be.accessible();
    const join = button(el, 'Join')!;
    expect(join.disabled).to.equal(false);
    join.click();
    await waitFor(() => a.status.get() === 'joined', 'joined without devices');
  });

  it('has pickers for camera and microphone and a level meter that moves with the microphone', async () => {
    const a = makeSession(hub, 'pre-level');
    const el = await fixture<RtcPrejoin>(html`<rtc-prejoin .session=${a}></rtc-prejoin>`);
    await waitFor(() => picker(el).shadowRoot?.querySelector('select#videoinput option'), 'camera picker');
    expect(picker(el).shadowRoot!.querySelector('select#audioinput')).to.exist;
    const m = await waitFor(() => meter(el), 'the level meter');
    expect(sr(el).getElementById(m.getAttribute('aria-labelledby')!)!.textContent).to.equal('Microphone level');
    // Web Audio may wait for a gesture on the page (autoplay policy): click into the name
    // field, as someone about to join would.
    const input = sr(el).querySelector('input')!;
    input.scrollIntoView({ block: 'center' });
    const box = input.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
    expect(sr(el).activeElement).to.equal(input);
    // The fake microphone beeps (Chromium) or plays a tone (Firefox): sound shows; muted, it drops to 0; back on, it rises.
    const level = () => Number(m.getAttribute('aria-valuenow'));
    await waitFor(() => level() > 10, 'the level to show the sound', 15000, 30);
    await expect(el).shadowDom.to.be.accessible();
    await a.setMicrophoneEnabled(false);
    await waitFor(() => level() === 0, 'silent while muted');
    await a.setMicrophoneEnabled(true);
    await waitFor(() => level() > 10, 'the sound again', 15000, 30);
    // Removed: the meter stops listening.
    const watching = audioLevelWatchers();
    el.remove();
    expect(audioLevelWatchers()).to.equal(watching - 1);
  });

  it('remembers the devices picked, and a reload opens them', async () => {
    // One real fake camera plus a "Cam Two" that the fake camera answers for.
    const md = navigator.mediaDevices;
    const enumerate = md.enumerateDevices.bind(md);
    const gum = md.getUserMedia.bind(md);
    const asked: MediaStreamConstraints[] = [];
    md.enumerateDevices = async () => [
      ...(await enumerate()),
      { deviceId: 'cam-2', groupId: 'g2', kind: 'videoinput', label: 'Cam Two', toJSON: () => ({}) } as MediaDeviceInfo,
    ];
    md.getUserMedia = (c: MediaStreamConstraints = {}) => {
      asked.push(c);
      return JSON.stringify(c.video ?? '').includes('cam-2') ? gum({ ...c, video: true }) : gum(c);
    };
    restore = () => {
      delete (md as { enumerateDevices?: unknown }).enumerateDevices;
      delete (md as { getUserMedia?: unknown }).getUserMedia;
    };
    const a = makeSession(hub, 'pre-dev');
    const el = await fixture<RtcPrejoin>(html`<rtc-prejoin .session=${a}></rtc-prejoin>`);
    await waitFor(() => a.localMedia.get().hasVideo, 'preview');
    const cams = await waitFor(
      () => picker(el).shadowRoot?.querySelector<HTMLSelectElement>('select#videoinput option[value="cam-2"]')?.parentElement as HTMLSelectElement,
      'Cam Two listed',
    );
    cams.value = 'cam-2';
    cams.dispatchEvent(new Event('change'));
    await waitFor(() => asked.some((c) => JSON.stringify(c.video ?? '').includes('cam-2')), 'the preview switched to Cam Two');
    // Remembered once the switch has succeeded (a failed choice is not), a moment after the request.
    await waitFor(() => localStorage.getItem(DEVICES), 'the choice remembered');
    expect(JSON.parse(localStorage.getItem(DEVICES)!)).to.deep.include({ videoinput: 'cam-2' });

    // Reload: a new session and element; the first getUserMedia already asks for Cam Two.
    el.remove();
    await a.leave();
    asked.length = 0;
    const b = makeSession(hub, 'pre-dev');
    await fixture<RtcPrejoin>(html`<rtc-prejoin .session=${b}></rtc-prejoin>`);
    await waitFor(() => b.localMedia.get().hasVideo, 'preview after the reload');
    const first = asked.find((c) => c.video);
    expect(JSON.stringify(first?.video), 'the first camera request').to.contain('cam-2');
  });

  it('keeps Join where it is while the camera and microphone open', async () => {
    // Hold getUserMedia until the form has been measured: the meter row must not push Join down
    // under the pointer of someone about to click it (it did, and a click landed on nothing).
    const md = navigator.mediaDevices;
    const gum = md.getUserMedia.bind(md);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    md.getUserMedia = async (c?: MediaStreamConstraints) => {
      await held;
      return gum(c);
    };
    restore = () => delete (md as { getUserMedia?: unknown }).getUserMedia;
    const a = makeSession(hub, 'pre-still');
    const el = await fixture<RtcPrejoin>(html`<rtc-prejoin .session=${a}></rtc-prejoin>`);
    const join = () => button(el, 'Join')!.getBoundingClientRect();
    const before = join();
    expect(a.localMedia.get().hasAudio, 'the microphone is still opening').to.equal(false);
    release();
    await waitFor(() => meter(el), 'the level meter');
    await waitFor(() => (sr(el).querySelector('rtc-video-tile')?.shadowRoot?.querySelector('video')?.videoWidth ?? 0) > 0, 'the preview playing');
    await elementUpdated(el);
    const after = join();
    expect({ x: after.x, y: after.y }).to.deep.equal({ x: before.x, y: before.y });
  });

  it('with no session renders without errors and cannot join', async () => {
    const el = await fixture<RtcPrejoin>(html`<rtc-prejoin></rtc-prejoin>`);
    await elementUpdated(el);
    expect(button(el, 'Join')!.disabled).to.equal(true);
    await expect(el).shadowDom.to.be.accessible();
  });
});
