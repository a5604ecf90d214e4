import { expect } from '@open-wc/testing';
import { DeviceManager, type RtcError } from '../../src/core/index.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { waitForAudio, waitForFrames } from '../helpers/rtc-stats.js';
import { isFirefox, negotiations, remoteOf, sender, sessions, stubMediaDevices } from './media-helpers.js';

const info = (kind: MediaDeviceKind, deviceId: string, label: string, groupId = 'g'): MediaDeviceInfo =>
  ({ kind, deviceId, label, groupId, toJSON: () => ({}) }) as MediaDeviceInfo;

describe('DeviceManager', function () {
  this.timeout(30000);
  const restores: (() => void)[] = [];
  const key = 'rtc-test:device-manager';
  afterEach(() => {
    restores.splice(0).forEach((r) => r());
    localStorage.removeItem(key);
  });

  it('lists devices per kind with labels never empty, and follows devicechange until unwatched', async () => {
    let list = [info('videoinput', 'cam1', 'HD Camera'), info('videoinput', 'cam2', ''), info('audioinput', 'mic1', '')];
    restores.push(stubMediaDevices('enumerateDevices', () => async () => list));
    const m = new DeviceManager({ storageKey: null });
    expect(m.state.get().ready).to.equal(false);
    const unwatch = m.watch();
    await waitFor(() => m.state.get().ready, 'first enumeration');
    expect(m.state.get().videoinput.map((d) => d.label)).to.deep.equal(['HD Camera', 'Camera 2']);
    expect(m.state.get().audioinput.map((d) => d.label)).to.deep.equal(['Microphone 1']);
    expect(m.state.get().speakerSelectable).to.equal('setSinkId' in HTMLMediaElement.prototype);

    // A camera is plugged in.
    list = [...list, info('videoinput', 'cam3', 'USB Camera')];
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await waitFor(() => m.state.get().videoinput.length === 3, 'the new camera listed');
    expect(m.state.get().videoinput[2]).to.deep.include({ deviceId: 'cam3', label: 'USB Camera', kind: 'videoinput' });

    // Once unwatched, a change is no longer followed.
    unwatch();
    list = list.slice(0, 1);
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await sleep(200);
    expect(m.state.get().videoinput).to.have.length(3);
  });

  it('remembers choices in localStorage for the next DeviceManager; storageKey null remembers nothing', () => {
    const first = new DeviceManager({ storageKey: key });
    first.choose('videoinput', 'cam2');
    first.choose('audiooutput', 'spk1');
    expect(first.state.get().selected).to.deep.equal({ audioinput: '', videoinput: 'cam2', audiooutput: 'spk1' });
    const next = new DeviceManager({ storageKey: key });
    expect(next.preferred('videoinput')).to.equal('cam2');
    expect(next.preferred('audioinput')).to.equal(undefined);
    expect(next.state.get().selected.audiooutput).to.equal('spk1');
    next.choose('videoinput', ''); // back to the default: forgotten
    expect(new DeviceManager({ storageKey: key }).preferred('videoinput')).to.equal(undefined);

    const forgetful = new DeviceManager({ storageKey: null });
    forgetful.choose('videoinput', 'cam9');
    expect(forgetful.preferred('videoinput')).to.equal('cam9');
    expect(new DeviceManager({ storageKey: null }).preferred('videoinput')).to.equal(undefined);
  });

  it('survives garbage in storage', () => {
    localStorage.setItem(key, '{not json');
    expect(new DeviceManager({ storageKey: key }).preferred('audioinput')).to.equal(undefined);
    localStorage.setItem(key, JSON.stringify({ audioinput: 42, videoinput: 'ok' }));
    const m = new DeviceManager({ storageKey: key });
    expect(m.preferred('audioinput')).to.equal(undefined);
    expect(m.preferred('videoinput')).to.equal('ok');
  });
});

describe('Device switching in a call', function () {
  this.timeout(90000);
  const s = sessions();
  const restores: (() => void)[] = [];
  afterEach(async () => {
    restores.splice(0).forEach((r) => r());
    await s.leaveAll();
  });

  /** Another microphone if the browser has one (Chromium lists three fake ones), else the same one again. */
  const otherMic = async (current: string) => {
    const mics = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput' && d.deviceId);
    return (mics.find((d) => d.deviceId !== current && d.deviceId !== 'default') ?? mics[0]).deviceId;
  };

  it('switches the microphone on the same sender, without an offer, keeping mute; the remote keeps receiving', async () => {
    const [a, b] = await s.pair();
    const pcB = b.peerConnection(a.localId)!;
    await waitForAudio(pcB);
    const audioSender = sender(a, b, 'audio');
    const old = a.media.audioTrack!;
    expect(audioSender.track).to.equal(old);
    const before = negotiations(a, b);
    const target = await otherMic(old.getSettings().deviceId ?? '');

    await a.selectDevice('audioinput', target);
    const next = a.media.audioTrack!;
    expect(next, 'a new track').to.not.equal(old);
    expect(old.readyState, 'old track stopped').to.equal('ended');
    expect(sender(a, b, 'audio'), 'same sender').to.equal(audioSender);
    expect(audioSender.track, 'sender carries the new track').to.equal(next);
    if (!isFirefox) expect(next.getSettings().deviceId).to.equal(target);
    expect(a.devices.state.get().selected.audioinput).to.equal(target);
    expect(a.devices.preferred('audioinput'), 'remembered').to.equal(target);
    await waitForAudio(pcB);

    // Muted before a switch stays muted after it.
    await a.setMicrophoneEnabled(false);
    await a.selectDevice('audioinput', target);
    expect(a.media.audioTrack!.enabled).to.equal(false);
    expect(a.localMedia.get().audioEnabled).to.equal(false);
    expect(negotiations(a, b), 'no new offer/answer').to.equal(before);
    expect(a.error.get()).to.equal(null);
  });

  it('switches the camera on the same sender, without an offer; the remote keeps decoding', async () => {
    const [a, b] = await s.pair();
    const pcB = b.peerConnection(a.localId)!;
    await waitForFrames(pcB);
    const videoSender = sender(a, b, 'video');
    const old = a.media.videoTrack!;
    const before = negotiations(a, b);
    const cams = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    // The fake browsers have one camera: opening it again by id still swaps in a new track.
    const target = (cams.find((d) => d.deviceId !== old.getSettings().deviceId) ?? cams[0]).deviceId;

    await a.selectDevice('videoinput', target);
    const next = a.media.videoTrack!;
    expect(next).to.not.equal(old);
    expect(old.readyState).to.equal('ended');
    expect(next.readyState).to.equal('live');
    expect(sender(a, b, 'video')).to.equal(videoSender);
    expect(videoSender.track).to.equal(next);
    expect(a.localMedia.get().stream.getVideoTracks()).to.deep.equal([next]);
    await waitForFrames(pcB, 10);
    expect(negotiations(a, b), 'no new offer/answer').to.equal(before);
    expect(remoteOf(b, a.localId)!.videoMuted).to.equal(false);
  });

  it('before joining, a switch changes the preview; the choice opens the same device after a reload', async () => {
    const a = s.make('Ada');
    await a.startMedia();
    const old = a.media.audioTrack!;
    const target = await otherMic(old.getSettings().deviceId ?? '');
    await a.selectDevice('audioinput', target);
    expect(old.readyState).to.equal('ended');
    expect(a.localMedia.get().stream.getAudioTracks()).to.deep.equal([a.media.audioTrack]);
    await a.leave();

    // "Reload": a new session on the same storage opens the remembered device.
    const asked: MediaStreamConstraints[] = [];
    restores.push(
      stubMediaDevices('getUserMedia', (original) => (c?: MediaStreamConstraints) => {
        asked.push(c ?? {});
        return original(c);
      }),
    );
    const again = s.make('Ada');
    expect(again.devices.preferred('audioinput')).to.equal(target);
    await again.startMedia();
    const audio = asked[0].audio as MediaTrackConstraints;
    expect(audio.deviceId).to.deep.equal({ exact: target });
    expect(asked[0].video, 'no camera chosen: the default').to.equal(true);
    if (!isFirefox) expect(again.media.audioTrack!.getSettings().deviceId).to.equal(target);
  });

  it('a remembered device that is gone opens the default one instead, without an error', async () => {
    localStorage.setItem(s.storageKey, JSON.stringify({ videoinput: 'unplugged-camera' }));
    const a = s.make('Ada');
    const state = await a.startMedia();
    expect(state.errors).to.deep.equal({});
    expect(a.media.videoTrack?.readyState).to.equal('live');
    expect(a.error.get()).to.equal(null);
    expect(a.devices.preferred('videoinput'), 'still remembered for when it is back').to.equal('unplugged-camera');
    expect(a.devices.state.get().selected.videoinput, 'the one in use').to.equal(a.media.videoTrack!.getSettings().deviceId);
  });

  it('a speaker choice is recorded and remembered without opening anything', async () => {
    const a = s.make('Ada');
    let opened = 0;
    restores.push(stubMediaDevices('getUserMedia', (original) => (c) => (opened++, original(c))));
    await a.selectDevice('audiooutput', 'spk-2');
    expect(a.devices.state.get().selected.audiooutput).to.equal('spk-2');
    expect(a.devices.preferred('audiooutput')).to.equal('spk-2');
    expect(opened).to.equal(0);
  });

  it('when the active camera goes away, falls back to the default one, says so, and the call goes on', async () => {
    const [a, b] = await s.pair();
    const pcB = b.peerConnection(a.localId)!;
    await waitForFrames(pcB);
    const videoSender = sender(a, b, 'video');
    const old = a.media.videoTrack!;
    const before = negotiations(a, b);
    const errors: RtcError[] = [];
    a.on('error', (e) => errors.push(e));

    old.dispatchEvent(new Event('ended')); // what an unplugged camera does
    await waitFor(() => a.error.get()?.code === 'device-lost', 'device-lost reported');
    expect(errors.map((e) => e.code)).to.deep.equal(['device-lost']);
    expect(a.error.get()!.message).to.match(/^Your camera was disconnected\. Using “.+” instead\.$/);
    const next = a.media.videoTrack!;
    expect(next).to.not.equal(old);
    expect(next.readyState).to.equal('live');
    expect(old.readyState).to.equal('ended');
    expect(videoSender.track).to.equal(next);
    await waitForFrames(pcB, 10);
    expect(negotiations(a, b)).to.equal(before);
    expect(a.status.get()).to.equal('joined');
  });

  it('a device that leaves the list (devicechange) while in use is replaced the same way', async () => {
    const [a, b] = await s.pair();
    const pcB = b.peerConnection(a.localId)!;
    await waitForFrames(pcB);
    await waitFor(() => a.devices.state.get().audioinput.length > 0, 'devices listed');
    const old = a.media.audioTrack!;
    const oldId = old.getSettings().deviceId!;
    expect(a.devices.state.get().audioinput.map((d) => d.deviceId)).to.include(oldId);

    // The microphone in use is unplugged: the list no longer has it.
    restores.push(stubMediaDevices('enumerateDevices', (original) => async () => (await original()).filter((d) => d.deviceId !== oldId)));
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await waitFor(() => a.error.get()?.code === 'device-lost', 'device-lost reported');
    expect(a.error.get()!.message).to.match(/^Your microphone was disconnected\./);
    expect(a.devices.state.get().audioinput.map((d) => d.deviceId)).to.not.include(oldId);
    expect(old.readyState).to.equal('ended');
    expect(a.media.audioTrack?.readyState).to.equal('live');
    expect(sender(a, b, 'audio').track).to.equal(a.media.audioTrack);
    await waitForAudio(pcB);
  });

  it('a busy or missing device is named in the error, and a failed switch keeps a working camera', async () => {
    const a = s.make('Ada');
    await a.startMedia();
    await waitFor(() => a.devices.state.get().videoinput.some((d) => d.label), 'labelled devices');
    const cam = a.devices.state.get().videoinput[0];
    const old = a.media.videoTrack!;

    // The chosen camera is busy (the first try and the retry after releasing ours); ours opens again.
    let refusals = 2;
    restores.push(
      stubMediaDevices('getUserMedia', (original) => async (c) => {
        if (refusals-- > 0) throw new DOMException('Could not start video source', 'NotReadableError');
        return original(c);
      }),
    );
    await a.selectDevice('videoinput', cam.deviceId);
    expect(a.error.get()?.code).to.equal('device-busy');
    expect(a.error.get()!.message).to.equal(`“${cam.label}” is in use by another application or could not be started.`);
    expect(old.readyState).to.equal('ended');
    expect(a.media.videoTrack?.readyState, 'the camera was opened again').to.equal('live');
    expect(a.localMedia.get().videoEnabled).to.equal(true);

    a.dismissError();
    const current = a.media.videoTrack!;
    await a.selectDevice('videoinput', 'no-such-camera');
    expect(a.error.get()?.code).to.equal('no-device');
    expect(a.error.get()!.message).to.equal('The chosen camera is not available. Choose another camera.');
    expect(a.media.videoTrack, 'untouched').to.equal(current);
    expect(a.devices.preferred('videoinput'), 'a failed choice is not remembered').to.equal(undefined);
    expect(a.devices.state.get().selected.videoinput, 'the one in use').to.equal(current.getSettings().deviceId);
    expect(current.readyState).to.equal('live');
  });
});
