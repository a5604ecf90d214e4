import { expect, fixture, html, elementUpdated } from '@open-wc/testing';
import '../../src/define.js';
import type { Participant, RtcVideoTile } from '../../src/index.js';
import { LoopbackHub, cleanupSessions, connectedPeers, deep, makeSession, sleep, waitFor } from './helpers.js';

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
    const p: Participant = { id: 'x', name: 'Zed', isLocal: false, stream: null, audioMuted: false, videoMuted: true, connectionState: 'connecting' };
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
    const room = await fixture(html`<rtc-room .session=${a}><rtc-video-tile local .session=${b}></rtc-video-tile><rtc-video-tile local></rtc-video-tile></rtc-room>`);
    const [explicit, fromContext] = [...room.querySelectorAll('rtc-video-tile')];
    expect(explicit.session).to.equal(b);
    expect(fromContext.session).to.equal(a);
    await elementUpdated(explicit);
    expect(deep(explicit, '[part=label]')!.textContent).to.equal('Bea');
    explicit.session = undefined;
    await elementUpdated(explicit);
    expect(explicit.session, 'falls back to the context').to.equal(a);
  });
});
