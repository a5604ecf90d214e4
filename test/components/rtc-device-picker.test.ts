import { expect, fixture, html, oneEvent, elementUpdated } from '@open-wc/testing';
import '../helpers/define-all.js';
import type { RtcDeviceChangeEvent, RtcDevicePicker } from '../../src/index.js';
import { LoopbackHub, cleanupSessions, failGetUserMedia, joinAll, makeSession, waitFor } from './helpers.js';
import { waitForFrames } from '../helpers/rtc-stats.js';

const KEY = 'rtc-widgets:devices';
const sr = (el: Element) => el.shadowRoot!;
const select = (el: Element, kind: string) => sr(el).querySelector<HTMLSelectElement>(`select#${kind}`);
const options = (el: Element, kind: string) => [...(select(el, kind)?.options ?? [])].map((o) => o.textContent!.trim());
const live = (el: Element) => sr(el).querySelector('[aria-live=polite]')!;
const speakerSelectable = 'setSinkId' in HTMLMediaElement.prototype;

type Fake = { deviceId: string; kind: MediaDeviceKind; label: string };
const device = (kind: MediaDeviceKind, deviceId: string, label: string): Fake => ({ kind, deviceId, label });

/** Make enumerateDevices answer `list` (changeable with set(); dispatch 'devicechange' yourself). */
function stubDevices(list: Fake[]) {
  const md = navigator.mediaDevices;
  let current = list;
  Object.defineProperty(md, 'enumerateDevices', {
    configurable: true,
    writable: true,
    value: async () => current.map((d) => ({ ...d, groupId: `g-${d.deviceId}`, toJSON: () => d }) as MediaDeviceInfo),
  });
  return {
    set(next: Fake[]) {
      current = next;
      md.dispatchEvent(new Event('devicechange'));
    },
    restore: () => void delete (md as { enumerateDevices?: unknown }).enumerateDevices,
  };
}

/** Record getUserMedia's constraints; `swap` may answer instead (e.g. for a device that does not exist here). */
function spyGetUserMedia(swap?: (c: MediaStreamConstraints) => Promise<MediaStream> | undefined) {
  const md = navigator.mediaDevices;
  const original = md.getUserMedia.bind(md);
  const calls: MediaStreamConstraints[] = [];
  md.getUserMedia = (c: MediaStreamConstraints = {}) => {
    calls.push(c);
    return swap?.(c) ?? original(c);
  };
  return {
    calls,
    original,
    restore: () => void delete (md as { getUserMedia?: unknown }).getUserMedia,
  };
}

describe('<rtc-device-picker>', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  const restores: (() => void)[] = [];

  beforeEach(() => {
    hub = new LoopbackHub();
    localStorage.removeItem(KEY);
  });
  afterEach(async () => {
    // Elements first (they stop watching; a room left in the page after its session left kept
    // Firefox from navigating to the next test file for over 30 s), then the stubs.
    document.querySelectorAll('rtc-room, rtc-device-picker').forEach((el) => el.remove());
    await cleanupSessions();
    while (restores.length) restores.pop()!();
    localStorage.removeItem(KEY);
  });

  it('on its own: labelled pickers for camera and microphone (speaker where setSinkId exists), accessible', async () => {
    const el = await fixture<RtcDevicePicker>(html`<rtc-device-picker></rtc-device-picker>`);
    await waitFor(() => options(el, 'videoinput').length && options(el, 'audioinput').length, 'options from the fake devices');
    expect(select(el, 'videoinput')!.labels[0].textContent).to.equal('Camera');
    expect(select(el, 'audioinput')!.labels[0].textContent).to.equal('Microphone');
    for (const label of [...options(el, 'videoinput'), ...options(el, 'audioinput')]) expect(label, 'never empty').to.not.equal('');
    if (speakerSelectable) expect(select(el, 'audiooutput')!.labels[0].textContent).to.equal('Speaker');
    else expect(select(el, 'audiooutput'), 'no speaker picker without setSinkId').to.equal(null);
    await expect(el).shadowDom.to.be.accessible();
    el.focus(); // delegatesFocus: the first picker
    expect(sr(el).activeElement).to.equal(select(el, 'videoinput'));
  });

  it('`kinds` limits the pickers', async () => {
    const el = await fixture<RtcDevicePicker>(html`<rtc-device-picker kinds="audioinput"></rtc-device-picker>`);
    await waitFor(() => options(el, 'audioinput').length, 'microphones');
    expect(select(el, 'videoinput')).to.equal(null);
    expect(select(el, 'audiooutput')).to.equal(null);
    el.setAttribute('kinds', 'videoinput audioinput');
    await waitFor(() => options(el, 'videoinput').length, 'cameras too');
    expect([...sr(el).querySelectorAll('select')].map((s) => s.id)).to.deep.equal(['videoinput', 'audioinput']);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('follows devicechange: a plugged-in camera appears, an unplugged one leaves', async () => {
    const mic = device('audioinput', 'mic-1', 'Desk Mic');
    const devices = stubDevices([device('videoinput', 'cam-1', 'Cam One'), mic]);
    restores.push(devices.restore);
    const el = await fixture<RtcDevicePicker>(html`<rtc-device-picker></rtc-device-picker>`);
    await waitFor(() => options(el, 'videoinput').join() === 'Cam One', 'one camera');
    devices.set([device('videoinput', 'cam-1', 'Cam One'), device('videoinput', 'cam-2', 'Cam Two'), mic]);
    await waitFor(() => options(el, 'videoinput').join() === 'Cam One,Cam Two', 'the plugged camera listed');
    devices.set([device('videoinput', 'cam-2', 'Cam Two'), mic]);
    await waitFor(() => options(el, 'videoinput').join() === 'Cam Two', 'the unplugged camera gone');
    devices.set([mic]);
    await waitFor(() => options(el, 'videoinput').join() === 'No camera found', 'no camera left');
    expect(select(el, 'videoinput')!.disabled).to.equal(true);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('on its own: the choice fires rtc-device-change, is remembered, and opens in a later call (after a reload)', async () => {
    const devices = stubDevices([
      device('videoinput', 'cam-1', 'Cam One'),
      device('videoinput', 'cam-2', 'Cam Two'),
      device('audioinput', 'mic-1', 'Desk Mic'),
    ]);
    restores.push(devices.restore);
    const el = await fixture<RtcDevicePicker>(html`<rtc-device-picker></rtc-device-picker>`);
    await waitFor(() => options(el, 'videoinput').length === 2, 'two cameras');
    const cams = select(el, 'videoinput')!;
    cams.value = 'cam-2';
    const changed = oneEvent(el, 'rtc-device-change') as unknown as Promise<RtcDeviceChangeEvent>;
    cams.dispatchEvent(new Event('change', { bubbles: true }));
    const event = await changed;
    expect([event.kind, event.deviceId]).to.deep.equal(['videoinput', 'cam-2']);
    expect(JSON.parse(localStorage.getItem(KEY)!)).to.deep.include({ videoinput: 'cam-2' });

    // "Reload": a new element and a new session read what was remembered.
    el.remove();
    const again = await fixture<RtcDevicePicker>(html`<rtc-device-picker></rtc-device-picker>`);
    await waitFor(() => options(again, 'videoinput').length === 2, 'two cameras again');
    expect(select(again, 'videoinput')!.value).to.equal('cam-2');
    const gum = spyGetUserMedia();
    restores.push(gum.restore);
    const a = makeSession(hub, 'remembered', 'Ada');
    await a.startMedia();
    const video = gum.calls.map((c) => c.video).find((v) => v && typeof v === 'object') as MediaTrackConstraints | undefined;
    expect(JSON.stringify(video?.deviceId), 'getUserMedia asked for the remembered camera').to.contain('cam-2');
  });

  it('in a call: switching the camera keeps the same sender, sends no new offer, and is announced', async () => {
    const [a, b] = await joinAll(makeSession(hub, 'switch', 'Ada'), makeSession(hub, 'switch', 'Bob'));
    const camId = a.media.videoTrack!.getSettings().deviceId ?? 'cam-1';
    const devices = stubDevices([device('videoinput', camId, 'Cam One'), device('videoinput', 'cam-2', 'Cam Two'), device('audioinput', 'mic-1', 'Desk Mic')]);
    restores.push(devices.restore);
    // "Cam Two" does not exist here: the fake camera answers for it.
    const gum = spyGetUserMedia((c) => (JSON.stringify(c.video ?? '').includes('cam-2') ? gum.original({ video: true }) : undefined));
    restores.push(gum.restore);

    const el = await fixture<RtcDevicePicker>(html`<rtc-device-picker .session=${a}></rtc-device-picker>`);
    await waitFor(() => options(el, 'videoinput').length === 2, 'two cameras');
    expect(select(el, 'videoinput')!.value, 'the camera in use is selected').to.equal(camId);
    const pcA = a.peerConnection(b.localId)!;
    const sender = pcA.getSenders().find((s) => s.track?.kind === 'video')!;
    const old = sender.track!;
    const before = { ...a.negotiationStats(b.localId)! };
    const beforeB = { ...b.negotiationStats(a.localId)! };

    const cams = select(el, 'videoinput')!;
    cams.value = 'cam-2';
    cams.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => sender.track && sender.track !== old && sender.track.readyState === 'live', 'the new camera on the sender');
    expect(old.readyState, 'the old camera released').to.equal('ended');
    expect(pcA.getSenders().filter((s) => s.track?.kind === 'video' || s === sender)).to.deep.equal([sender]);
    await waitFor(() => live(el).textContent?.trim() === 'Switched to Cam Two', 'announced');
    await waitForFrames(b.peerConnection(a.localId)!, 5);
    expect(a.negotiationStats(b.localId), 'no offer from us').to.deep.equal(before);
    expect(b.negotiationStats(a.localId), 'no offer to them').to.deep.equal(beforeB);
    expect(JSON.stringify(gum.calls.at(-1)?.video), 'the chosen camera was opened').to.contain('cam-2');
  });

  it('in a call: unplugging the camera in use leaves the list and the picker says what happened', async () => {
    const a = makeSession(hub, 'unplug', 'Ada');
    await a.join();
    const camId = a.media.videoTrack!.getSettings().deviceId!;
    const mic = device('audioinput', 'mic-1', 'Desk Mic');
    const devices = stubDevices([device('videoinput', camId, 'Cam One'), device('videoinput', 'cam-2', 'Cam Two'), mic]);
    restores.push(devices.restore);
    const el = await fixture<RtcDevicePicker>(html`<rtc-device-picker .session=${a}></rtc-device-picker>`);
    await waitFor(() => options(el, 'videoinput').join() === 'Cam One,Cam Two', 'two cameras');
    const old = a.media.videoTrack!;
    devices.set([device('videoinput', 'cam-2', 'Cam Two'), mic]);
    await waitFor(() => options(el, 'videoinput').join() === 'Cam Two', 'Cam One gone');
    const error = () => sr(el).getElementById('videoinput-error')!.textContent!;
    await waitFor(() => error().includes('Your camera was disconnected.'), 'the problem under the Camera picker');
    expect(old.readyState).to.equal('ended');
    expect(a.media.videoTrack?.readyState, 'the call goes on with another camera').to.equal('live');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('in a session: the speaker choice is recorded (or there is no speaker picker without setSinkId)', async () => {
    const devices = stubDevices([
      device('audiooutput', 'spk-1', 'Speakers'),
      device('audiooutput', 'spk-2', 'Headphones'),
      device('audioinput', 'mic-1', 'Desk Mic'),
    ]);
    restores.push(devices.restore);
    const a = makeSession(hub, 'speaker', 'Ada');
    const el = await fixture<RtcDevicePicker>(html`<rtc-device-picker .session=${a}></rtc-device-picker>`);
    await waitFor(() => options(el, 'audioinput').length, 'listed');
    if (!speakerSelectable) {
      expect(select(el, 'audiooutput')).to.equal(null);
      return;
    }
    const speakers = select(el, 'audiooutput')!;
    expect(options(el, 'audiooutput')).to.deep.equal(['Speakers', 'Headphones']);
    speakers.value = 'spk-2';
    const changed = oneEvent(el, 'rtc-device-change') as unknown as Promise<RtcDeviceChangeEvent>;
    speakers.dispatchEvent(new Event('change', { bubbles: true }));
    expect((await changed).deviceId).to.equal('spk-2');
    expect(a.devices.state.get().selected.audiooutput).to.equal('spk-2');
    expect(a.devices.preferred('audiooutput')).to.equal('spk-2');
  });

  it('shows the problem of a device under its picker', async () => {
    restores.push(failGetUserMedia(['video'], 'NotAllowedError'));
    const a = makeSession(hub, 'blocked', 'Ada');
    await a.startMedia();
    const el = await fixture<RtcDevicePicker>(html`<rtc-device-picker .session=${a}></rtc-device-picker>`);
    const cams = select(el, 'videoinput')!;
    const error = sr(el).getElementById(cams.getAttribute('aria-describedby')!)!;
    expect(error.textContent).to.contain('Access to the camera was blocked');
    const micError = sr(el).getElementById(select(el, 'audioinput')!.getAttribute('aria-describedby')!)!;
    expect(micError.textContent!.trim(), 'the microphone is fine').to.equal('');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('inside <rtc-room> it takes the session from context', async () => {
    const a = makeSession(hub, 'ctx', 'Ada');
    const room = await fixture(html`<rtc-room .session=${a}><rtc-device-picker></rtc-device-picker></rtc-room>`);
    const el = room.querySelector<RtcDevicePicker>('rtc-device-picker')!;
    await elementUpdated(el);
    expect(el.session).to.equal(a);
    await waitFor(() => options(el, 'audioinput').length, 'the session’s device lists');
  });
});
