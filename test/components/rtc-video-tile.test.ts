import { expect, fixture, html, elementUpdated, oneEvent } from '@open-wc/testing';
import '../helpers/define-all.js';
import type { Participant, RtcErrorEvent, RtcSession, RtcVideoTile } from '../../src/index.js';
import { waitForFrames } from '../helpers/rtc-stats.js';
import { LoopbackHub, cleanupSessions, connectedPeers, deep, joinAll, makeSession, sleep, waitFor } from './helpers.js';

const EVIL = '<img src=x onerror=window.__pwned=1>';
const sr = (el: Element) => el.shadowRoot!;

describe('<rtc-video-tile>', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  const originalPlay = HTMLMediaElement.prototype.play;

  beforeEach(() => {
    hub = new LoopbackHub();
    delete (window as { __pwned?: unknown }).__pwned;
  });
  afterEach(async () => {
    HTMLMediaElement.prototype.play = originalPlay;
    await cleanupSessions();
  });

  it('renders a display name as text, never as HTML (local and remote)', async () => {
    const a = makeSession(hub, 'xss', EVIL);
    const b = makeSession(hub, 'xss', 'Bob');
    await a.join();
    await b.join();
    await connectedPeers(b, 1);
    const local = await fixture<RtcVideoTile>(html`<rtc-video-tile local .session=${a}></rtc-video-tile>`);
    const remote = await fixture<RtcVideoTile>(html`<rtc-video-tile participant-id=${a.localId} .session=${b}></rtc-video-tile>`);
    await sleep(200);
    for (const tile of [local, remote]) {
      expect(deep(tile, '[part=label]')!.textContent).to.equal(EVIL);
      expect(sr(tile).querySelector('img')).to.equal(null);
    }
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('shows the local participant mirrored and muted, a remote one unmuted', async () => {
    const a = makeSession(hub, 'media', 'Ada Lovelace');
    const b = makeSession(hub, 'media', 'Bob');
    await a.join();
    await b.join();
    await connectedPeers(a, 1);
    const local = await fixture<RtcVideoTile>(html`<rtc-video-tile local .session=${a}></rtc-video-tile>`);
    const remote = await fixture<RtcVideoTile>(html`<rtc-video-tile participant-id=${b.localId} .session=${a}></rtc-video-tile>`);
    const lv = deep<HTMLVideoElement>(local, 'video')!;
    const rv = deep<HTMLVideoElement>(remote, 'video')!;
    expect(lv.getAttribute('part')).to.equal('video');
    expect(lv.hasAttribute('playsinline') && lv.hasAttribute('autoplay')).to.equal(true);
    expect(lv.tabIndex, 'no Tab stop on a video without controls (Firefox would add one)').to.equal(-1);
    expect(lv.srcObject).to.equal(a.localMedia.get().stream);
    expect(lv.muted).to.equal(true);
    expect(getComputedStyle(lv).transform).to.not.equal('none'); // scaleX(-1)
    expect(rv.srcObject).to.equal(a.participants.get().find((p) => p.id === b.localId)!.stream);
    expect(rv.muted).to.equal(false);
    expect(getComputedStyle(rv).transform).to.equal('none');
    expect(local.hasAttribute('local')).to.equal(true);
    expect(remote.hasAttribute('local')).to.equal(false);
    expect(remote.getAttribute('connection-state')).to.equal('connected');
    await waitFor(() => rv.videoWidth > 0, 'remote picture');
    await expect(local).shadowDom.to.be.accessible();
    await expect(remote).shadowDom.to.be.accessible();
  });

  it('reflects muted microphone and camera on the host, with an indicator and initials', async () => {
    const a = makeSession(hub, 'mute', 'Ada Lovelace');
    await a.startMedia();
    const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile local .session=${a}></rtc-video-tile>`);
    expect(tile.hasAttribute('audio-muted')).to.equal(false);
    expect(tile.hasAttribute('video-muted')).to.equal(false);
    expect(sr(tile).querySelector('[part=placeholder]')).to.equal(null);

    await a.setMicrophoneEnabled(false);
    await elementUpdated(tile);
    expect(tile.hasAttribute('audio-muted')).to.equal(true);
    const indicator = sr(tile).querySelector('[part=muted-indicator]')!;
    expect(indicator.getAttribute('role')).to.equal('img');
    expect(indicator.getAttribute('aria-label')).to.equal('Microphone muted');

    await a.setCameraEnabled(false);
    await elementUpdated(tile);
    expect(tile.hasAttribute('video-muted')).to.equal(true);
    expect(deep(tile, '[part=initials]')!.textContent).to.equal('AL');
    await expect(tile).shadowDom.to.be.accessible();

    await a.setCameraEnabled(true);
    await elementUpdated(tile);
    expect(tile.hasAttribute('video-muted')).to.equal(false);
  });

  it('says the connection state in words when not connected', async () => {
    const p: Participant = {
      id: 'x',
      name: 'Zed',
      isLocal: false,
      stream: null,
      audioMuted: false,
      videoMuted: true,
      connectionState: 'connecting',
      screenSharing: false,
      speaking: false,
      reconnecting: false,
      role: 'guest',
    };
    const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile .participant=${p}></rtc-video-tile>`);
    const words = () => sr(tile).querySelector('[part=status]')?.textContent;
    expect(words()).to.equal('Connecting…');
    expect(tile.getAttribute('connection-state')).to.equal('connecting');
    for (const [state, text] of [
      ['disconnected', 'Reconnecting…'],
      ['failed', 'Connection lost'],
      ['connected', undefined],
    ] as const) {
      tile.participant = { ...p, connectionState: state };
      await elementUpdated(tile);
      expect(words(), state).to.equal(text);
      expect(tile.getAttribute('connection-state')).to.equal(state);
    }
    // An ICE restart under way: not lost yet, whatever the raw state says.
    tile.participant = { ...p, connectionState: 'failed', reconnecting: true };
    await elementUpdated(tile);
    expect(words()).to.equal('Reconnecting…');
  });

  it('offers "Click to play" when autoplay is blocked, and plays on click', async () => {
    const a = makeSession(hub, 'autoplay', 'Ada');
    const b = makeSession(hub, 'autoplay', 'Bob');
    await a.join();
    await b.join();
    await connectedPeers(a, 1);
    let blocked = true;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      if (blocked) {
        this.pause();
        return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
      }
      return originalPlay.call(this);
    };
    const el = await fixture<RtcVideoTile>(html`<rtc-video-tile participant-id=${b.localId}></rtc-video-tile>`);
    el.session = a;
    const playButton = await waitFor(() => sr(el).querySelector<HTMLButtonElement>('[part=play-button]'), '"Click to play"');
    expect(playButton.textContent?.trim()).to.equal('Click to play');
    await expect(el).shadowDom.to.be.accessible();
    blocked = false;
    playButton.click();
    await waitFor(() => !sr(el).querySelector('[part=play-button]'), 'button gone');
    const video = deep<HTMLVideoElement>(el, 'video')!;
    await waitFor(() => !video.paused, 'playing');
  });

  it('with no session renders an empty state without errors', async () => {
    const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile local></rtc-video-tile>`);
    expect(tile.session).to.equal(undefined);
    expect(sr(tile).querySelector('video')).to.equal(null);
    expect(sr(tile).querySelector('[part=base]')).to.exist;
    await expect(tile).shadowDom.to.be.accessible();
  });

  it('an explicit .session wins over the room context', async () => {
    const a = makeSession(hub, 'ctx-a', 'Ada');
    const b = makeSession(hub, 'ctx-b', 'Bea');
    const room = await fixture(
      html`<rtc-room .session=${a}><rtc-video-tile local .session=${b}></rtc-video-tile><rtc-video-tile local></rtc-video-tile></rtc-room>`,
    );
    const [explicit, fromContext] = [...room.querySelectorAll('rtc-video-tile')];
    expect(explicit.session).to.equal(b);
    expect(fromContext.session).to.equal(a);
    await elementUpdated(explicit);
    expect(deep(explicit, '[part=label]')!.textContent).to.equal('Bea');
    explicit.session = undefined;
    await elementUpdated(explicit);
    expect(explicit.session, 'falls back to the context').to.equal(a);
  });

  /** Ada and Bob in a call; `tile` is Bob's tile of Ada. */
  async function call(room: string): Promise<{ a: RtcSession; b: RtcSession; tile: RtcVideoTile }> {
    const quiet = { devices: { storageKey: null } };
    const [a, b] = await joinAll(makeSession(hub, room, 'Ada Lovelace', quiet), makeSession(hub, room, 'Bob', quiet));
    const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile participant-id=${a.localId} .session=${b}></rtc-video-tile>`);
    return { a, b, tile };
  }

  it("shows a remote participant's mute within a second (signalled on the control channel)", async () => {
    const { a, tile } = await call('remote-mute');
    await waitFor(() => deep(tile, 'video'), 'the remote tile');
    expect(tile.hasAttribute('audio-muted')).to.equal(false);
    await a.setMicrophoneEnabled(false);
    await waitFor(() => tile.hasAttribute('audio-muted'), 'audio-muted on the remote tile', 1000);
    const indicator = sr(tile).querySelector('[part=muted-indicator]')!;
    expect(indicator.getAttribute('aria-label')).to.equal('Microphone muted');
    await expect(tile).shadowDom.to.be.accessible();
    await a.setMicrophoneEnabled(true);
    await waitFor(() => !tile.hasAttribute('audio-muted') && !sr(tile).querySelector('[part=muted-indicator]'), 'unmuted', 3000);
  });

  it('camera off: the local track ends and the remote tile shows initials; on again: frames decode again', async () => {
    const { a, b, tile } = await call('remote-camera');
    const pc = b.peerConnection(a.localId)!;
    await waitForFrames(pc, 5);
    const video = deep<HTMLVideoElement>(tile, 'video')!;
    const track = a.localMedia.get().stream.getVideoTracks()[0];
    await a.setCameraEnabled(false);
    expect(track.readyState, 'the camera is released').to.equal('ended');
    await waitFor(() => tile.hasAttribute('video-muted'), 'video-muted on the remote tile', 2000);
    expect(deep(tile, '[part=initials]')!.textContent).to.equal('AL');
    // The last frame must not stay on screen.
    expect(getComputedStyle(video).visibility).to.equal('hidden');
    await expect(tile).shadowDom.to.be.accessible();

    await a.setCameraEnabled(true);
    await waitForFrames(pc, 10);
    await waitFor(() => !tile.hasAttribute('video-muted') && !sr(tile).querySelector('[part=placeholder]'), 'the picture again');
    expect(getComputedStyle(video).visibility).to.equal('visible');
  });

  it('shows who is speaking (fake microphone), and stops when they mute', async () => {
    const { a, b, tile } = await call('speaking');
    // On a timeout, say what the receiver heard: then the core's detection, not the tile, is at fault.
    const heard: string[] = [];
    const sample = setInterval(() => {
      const receiver = b
        .peerConnection(a.localId)
        ?.getReceivers()
        .find((r) => r.track.kind === 'audio');
      heard.push((receiver?.getSynchronizationSources() ?? []).map((s) => s.audioLevel?.toFixed(3)).join('/') || '-');
    }, 500);
    await waitFor(() => tile.hasAttribute('speaking'), 'the speaking indicator for the remote fake microphone', 20000)
      .catch((e: Error) => {
        throw new Error(`${e.message} (audio levels every 500 ms: ${heard.join(' ')})`);
      })
      .finally(() => clearInterval(sample));
    const indicator = sr(tile).querySelector('[part=speaking-indicator]')!;
    expect(indicator.getAttribute('role')).to.equal('img');
    expect(indicator.getAttribute('aria-label')).to.equal('Speaking');
    await expect(tile).shadowDom.to.be.accessible();
    await a.setMicrophoneEnabled(false);
    await waitFor(() => !tile.hasAttribute('speaking') && !sr(tile).querySelector('[part=speaking-indicator]'), 'not speaking once muted', 2000);
  });

  it('plays remote sound on the chosen speaker, and reports (never throws) a speaker that fails', async function () {
    const { b, tile } = await call('speaker');
    if (!b.devices.state.get().speakerSelectable) this.skip(); // no setSinkId in this browser
    const local = await fixture<RtcVideoTile>(html`<rtc-video-tile local .session=${b}></rtc-video-tile>`);
    const remoteVideo = deep<HTMLVideoElement>(tile, 'video')!;
    const localVideo = deep<HTMLVideoElement>(local, 'video')!;
    const asked: [HTMLMediaElement, string][] = [];
    const original = HTMLMediaElement.prototype.setSinkId;
    HTMLMediaElement.prototype.setSinkId = function (this: HTMLMediaElement, id: string) {
      asked.push([this, id]);
      return original.call(this, id);
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);
    window.addEventListener('unhandledrejection', onUnhandled);
    try {
      // A speaker the browser knows, if it lists any; the default ('') otherwise.
      await b.devices.refresh();
      const speaker = b.devices.state.get().audiooutput.find((d) => d.deviceId && d.deviceId !== 'default');
      if (speaker) {
        await b.selectDevice('audiooutput', speaker.deviceId);
        await waitFor(() => remoteVideo.sinkId === speaker.deviceId, 'the remote sound on the chosen speaker');
      }

      const failed = oneEvent(tile, 'rtc-error') as Promise<RtcErrorEvent>;
      await b.selectDevice('audiooutput', 'no-such-speaker');
      const event = await failed;
      expect(event.error.code).to.equal('media-failed');
      expect(event.error.message).to.contain('speaker');
      expect(event.bubbles && event.composed).to.equal(true);
      expect(remoteVideo.sinkId, 'the sound stays where it was').to.equal(speaker?.deviceId ?? '');
      expect(asked.some(([el, id]) => el === remoteVideo && id === 'no-such-speaker')).to.equal(true);
      // Asked once per choice, not on every render.
      tile.requestUpdate();
      await elementUpdated(tile);
      expect(asked.filter(([el, id]) => el === remoteVideo && id === 'no-such-speaker')).to.have.length(1);
      expect(
        asked.some(([el]) => el === localVideo),
        'our own preview plays no sound',
      ).to.equal(false);
      await sleep(100);
      expect(unhandled).to.deep.equal([]);
    } finally {
      HTMLMediaElement.prototype.setSinkId = original;
      window.removeEventListener('unhandledrejection', onUnhandled);
    }
  });

  it('shows a shared screen whole and unmirrored, with a "Sharing screen" indicator', async () => {
    const canvas = document.createElement('canvas');
    canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
    const stream = canvas.captureStream(5);
    try {
      // Our own share with the camera off: the screen is the picture.
      const p: Participant = {
        id: 'me',
        name: 'Ada',
        isLocal: true,
        stream,
        audioMuted: false,
        videoMuted: true,
        connectionState: 'connected',
        screenSharing: true,
        speaking: false,
        reconnecting: false,
        role: 'guest',
      };
      const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile .participant=${p}></rtc-video-tile>`);
      const video = deep<HTMLVideoElement>(tile, 'video')!;
      expect(tile.hasAttribute('screen-sharing')).to.equal(true);
      expect(tile.hasAttribute('video-muted')).to.equal(false);
      expect(sr(tile).querySelector('[part=placeholder]')).to.equal(null);
      expect(getComputedStyle(video).transform).to.equal('none');
      expect(getComputedStyle(video).objectFit).to.equal('contain');
      expect(sr(tile).querySelector('[part=screen-indicator]')!.getAttribute('aria-label')).to.equal('Sharing screen');
      await expect(tile).shadowDom.to.be.accessible();
      tile.participant = { ...p, screenSharing: false };
      await elementUpdated(tile);
      expect(tile.hasAttribute('screen-sharing')).to.equal(false);
      expect(getComputedStyle(video).transform, 'the camera is mirrored again').to.not.equal('none');
    } finally {
      stream.getTracks().forEach((t) => t.stop());
    }
  });

  it('shows buttons given in the controls slot over the tile', async () => {
    const p: Participant = {
      id: 'x',
      name: 'Zed',
      isLocal: false,
      stream: null,
      audioMuted: false,
      videoMuted: true,
      connectionState: 'connected',
      screenSharing: false,
      speaking: false,
      reconnecting: false,
      role: 'guest',
    };
    const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile .participant=${p}><button slot="controls">Pin Zed</button></rtc-video-tile>`);
    const slot = sr(tile).querySelector<HTMLSlotElement>('[part=controls] slot[name=controls]')!;
    expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal(['Pin Zed']);
    await expect(tile).to.be.accessible();
  });
});
