import { expect, fixture, html, oneEvent, elementUpdated } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import { RtcRoom, RtcSession, type RtcErrorEvent, type RtcJoinEvent, type RtcPeerJoinEvent, type RtcPeerLeaveEvent } from '../../src/index.js';
import { waitForFrames } from '../helpers/rtc-stats.js';
import {
  LoopbackHub,
  button,
  cleanupSessions,
  connectedPeers,
  deep,
  expectReleased,
  failGetUserMedia,
  makeRejoinableSession,
  makeSession,
  resources,
  sleep,
  track,
  waitFor,
} from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;

describe('<rtc-room>', function () {
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
    await cleanupSessions();
  });

  it('runs the whole default call: pre-join, join, a remote peer with live video, peer leave, Leave', async () => {
    const a = makeSession(hub, 'flow');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    expect(el.session).to.equal(a);

    // Pre-join: local preview, "Your name", "Join".
    const prejoin = await waitFor(() => sr(el).querySelector('rtc-prejoin'), 'the pre-join step');
    await waitFor(() => a.localMedia.get().hasVideo, 'the preview camera');
    const preview = await waitFor(() => deep<HTMLVideoElement>(prejoin, 'rtc-video-tile', 'video'), 'preview video');
    await waitFor(() => preview.srcObject === a.localMedia.get().stream, 'preview shows the local stream');
    expect(preview.muted, 'preview muted').to.equal(true);
    const input = deep<HTMLInputElement>(prejoin, 'input')!;
    expect(sr(prejoin).querySelector(`label[for="${input.id}"]`)?.textContent?.trim()).to.equal('Your name');
    await expect(el).shadowDom.to.be.accessible();

    // Type the name with real key presses.
    input.focus();
    await sendKeys({ type: 'Ada' });
    expect(input.value).to.equal('Ada');

    const joined = oneEvent(el, 'rtc-join') as Promise<RtcJoinEvent>;
    button(prejoin, 'Join')!.click();
    const joinEvent = await joined;
    expect(joinEvent.room).to.equal('flow');
    expect(joinEvent.id).to.equal(a.localId);
    expect(joinEvent.bubbles && joinEvent.composed).to.equal(true);
    expect(localStorage.getItem('rtc-widgets:name'), 'name remembered').to.equal('Ada');

    // The grid: the local tile first, and the controls.
    const localTile = await waitFor(() => sr(el).querySelector('rtc-video-tile[local]'), 'local tile');
    expect(deep(localTile, '[part=label]')!.textContent).to.equal('Ada');
    expect(sr(el).querySelector('rtc-controls')).to.exist;
    expect(sr(el).querySelector('rtc-prejoin')).to.equal(null);

    // A second person joins on the same hub.
    const b = makeSession(hub, 'flow', 'Bob');
    const peerJoined = oneEvent(el, 'rtc-peer-join') as Promise<RtcPeerJoinEvent>;
    await b.join();
    expect((await peerJoined).participant.name).to.equal('Bob');
    const remoteTile = await waitFor(() => sr(el).querySelector(`rtc-video-tile[participant-id="${b.localId}"]`), 'remote tile');
    const tiles: Element[] = [...sr(el).querySelectorAll('rtc-video-tile')];
    expect(tiles.indexOf(localTile), 'local first').to.equal(0);
    expect(deep(remoteTile, '[part=label]')!.textContent).to.equal('Bob');
    await connectedPeers(a, 1);
    const remoteVideo = deep<HTMLVideoElement>(remoteTile, 'video')!;
    await waitFor(() => (remoteVideo.srcObject as MediaStream | null)?.getVideoTracks().length, 'remote video track');
    expect(remoteVideo.muted, 'remote audio plays').to.equal(false);
    await waitForFrames(a.peerConnection(b.localId)!, 10);
    await waitFor(() => remoteVideo.videoWidth > 0 && !remoteVideo.paused, 'remote video playing');
    await expect(el).shadowDom.to.be.accessible();

    // The peer leaves: the tile goes, rtc-peer-leave fires.
    const peerLeft = oneEvent(el, 'rtc-peer-leave') as Promise<RtcPeerLeaveEvent>;
    const bId = b.localId;
    await b.leave();
    const leaveEvent = await peerLeft;
    expect([leaveEvent.id, leaveEvent.name, leaveEvent.reason]).to.deep.equal([bId, 'Bob', 'left']);
    await waitFor(() => !sr(el).querySelector(`rtc-video-tile[participant-id="${bId}"]`), 'remote tile removed');

    // Another peer, then Leave: rtc-leave, every track ended, every connection closed.
    const c = makeSession(hub, 'flow', 'Cy');
    await c.join();
    await connectedPeers(a, 1);
    const held = resources(a);
    expect(held.tracks.length).to.be.greaterThan(1);
    expect(held.pcs.length).to.equal(1);
    const left = oneEvent(el, 'rtc-leave');
    const controls = sr(el).querySelector('rtc-controls')!;
    button(controls, 'Leave')!.click();
    await left;
    await expectReleased(held, 'after Leave');
    await waitFor(() => c.participants.get().length === 1, 'the other side sees us go');
    await waitFor(() => button(el, 'Rejoin'), '"You left the call" with Rejoin');
    expect(sr(el).textContent).to.contain('You left the call');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('leaves the call and stops every track when removed from the DOM', async () => {
    const a = makeSession(hub, 'remove', 'Ada');
    const b = makeSession(hub, 'remove', 'Bob');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    await el.join();
    await b.join();
    await connectedPeers(a, 1);
    const held = resources(a);
    const left = oneEvent(el, 'rtc-leave');
    el.remove();
    await left;
    await expectReleased(held, 'after removal');
    expect(a.status.get()).to.equal('left');
    await waitFor(() => b.participants.get().length === 1, 'the peer sees us go');
  });

  it('stops the preview tracks when removed before joining', async () => {
    const a = makeSession(hub, 'remove-early');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    await waitFor(() => a.localMedia.get().hasVideo && a.localMedia.get().hasAudio, 'preview devices');
    const { tracks } = resources(a);
    el.remove();
    await expectReleased({ tracks, pcs: [] }, 'preview after removal');
  });

  it('releases devices that were still opening when the room was removed', async () => {
    const a = makeSession(hub, 'remove-pending');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    // The pre-join step has asked for the camera; remove before getUserMedia answers.
    el.remove();
    await sleep(1500);
    const tracks = a.localMedia.get().stream.getTracks();
    expect(tracks.filter((t) => t.readyState === 'live').map((t) => t.kind), 'live tracks').to.deep.equal([]);
  });

  it('does not end up in the call when removed while joining', async () => {
    const a = makeSession(hub, 'remove-joining', 'Ada');
    const b = makeSession(hub, 'remove-joining', 'Bob');
    await b.join();
    const el = await fixture<RtcRoom>(html`<rtc-room auto-join .session=${a}></rtc-room>`);
    expect(a.status.get()).to.equal('joining');
    el.remove();
    await sleep(1500);
    expect(a.status.get()).to.equal('left');
    expect(a.localMedia.get().stream.getTracks().filter((t) => t.readyState === 'live').map((t) => t.kind), 'live tracks').to.deep.equal([]);
    expect(b.participants.get().length, 'the peer never saw us').to.equal(1);
  });

  it('keeps the call when moved (disconnected and reconnected in the same task)', async () => {
    const a = makeSession(hub, 'move', 'Ada');
    const b = makeSession(hub, 'move', 'Bob');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    await el.join();
    await b.join();
    await connectedPeers(a, 1);
    const held = resources(a);
    const elsewhere = document.createElement('section');
    document.body.append(elsewhere);
    try {
      elsewhere.append(el); // disconnect + connect, same task
      await sleep(300);
      expect(a.status.get()).to.equal('joined');
      expect(held.tracks.every((t) => t.readyState === 'live')).to.equal(true);
      expect(held.pcs[0].connectionState).to.equal('connected');
      await waitFor(() => sr(el).querySelector(`rtc-video-tile[participant-id="${b.localId}"]`), 'grid still there');
      const localVideo = deep<HTMLVideoElement>(el, 'rtc-video-tile[local]', 'video')!;
      await waitFor(() => !localVideo.paused, 'local video resumed after the move');
    } finally {
      elsewhere.remove();
    }
    await expectReleased(held, 'after the moved room is removed');
  });

  it('makes one stable session from room/server and a new one when the room changes outside a call', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room room="first"></rtc-room>`);
    const first = track(el.session);
    expect(first).to.be.instanceOf(RtcSession);
    expect(first.room).to.equal('first');
    el.requestUpdate();
    await elementUpdated(el);
    expect(el.session, 'stable across updates').to.equal(first);
    await waitFor(() => first.localMedia.get().hasVideo, 'preview of the first session');
    const firstTracks = first.localMedia.get().stream.getTracks();

    el.room = 'second';
    await elementUpdated(el);
    const second = track(el.session);
    expect(second).to.not.equal(first);
    expect(second.room).to.equal('second');
    await expectReleased({ tracks: firstTracks, pcs: [] }, 'the old preview');
    // The pre-join step now works on the new session.
    await waitFor(() => second.localMedia.get().hasVideo, 'preview of the second session');

    // No room at all: an empty state, no crash.
    el.room = '';
    await elementUpdated(el);
    expect(el.session).to.equal(undefined);
    expect(sr(el).textContent).to.contain('No room');
  });

  it('auto-join joins without the pre-join step', async () => {
    const a = makeSession(hub, 'auto', 'Ada');
    const el = await fixture<RtcRoom>(html`<rtc-room auto-join .session=${a}></rtc-room>`);
    expect(sr(el).querySelector('rtc-prejoin'), 'no pre-join').to.equal(null);
    if (a.status.get() !== 'joined') await oneEvent(el, 'rtc-join');
    await waitFor(() => sr(el).querySelector('rtc-video-tile[local]'), 'local tile');
    expect(sr(el).querySelector('rtc-prejoin')).to.equal(null);
  });

  it('shows "Joining…", then after Leave offers Rejoin, which joins again', async () => {
    const a = makeRejoinableSession(hub, 'rejoin', 'Ada');
    const b = makeSession(hub, 'rejoin', 'Bob');
    await b.join();
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    const joining = el.join();
    await elementUpdated(el);
    expect(sr(el).querySelector('[role=status]')?.textContent).to.equal('Joining…');
    await joining;
    await connectedPeers(a, 1);
    await el.leave();
    const rejoin = await waitFor(() => button(el, 'Rejoin'), 'Rejoin button');
    const joined = oneEvent(el, 'rtc-join');
    rejoin.click();
    await joined;
    await connectedPeers(a, 1);
    await waitFor(() => sr(el).querySelector(`rtc-video-tile[participant-id="${b.localId}"]`), 'the peer again');
  });

  it('moves focus to Rejoin when Leave (which had focus) disappears', async () => {
    const a = makeSession(hub, 'focus', 'Ada');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    await el.join();
    const controls = await waitFor(() => sr(el).querySelector('rtc-controls'), 'controls');
    await elementUpdated(controls);
    button(controls, 'Leave')!.focus();
    await sendKeys({ press: 'Enter' });
    const rejoin = await waitFor(() => button(el, 'Rejoin'), 'Rejoin');
    await waitFor(() => sr(el).activeElement === rejoin, 'focus on Rejoin');
  });

  it('shows a failure (room full) with its message and retries with "Try again"', async () => {
    const small = new LoopbackHub({ capacity: 1 });
    const occupant = makeSession(small, 'full', 'Olga');
    await occupant.join();
    const a = makeRejoinableSession(small, 'full', 'Ada');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    const errorEvent = oneEvent(el, 'rtc-error') as Promise<RtcErrorEvent>;
    let failure: unknown;
    await el.join().catch((e) => (failure = e));
    expect((failure as Error).message).to.equal('This room is full.');
    expect((await errorEvent).error.code).to.equal('room-full');
    await elementUpdated(el);
    const alert = sr(el).querySelector('[role=alert]')!;
    expect(alert.textContent).to.contain('This room is full.');
    await expect(el).shadowDom.to.be.accessible();

    await occupant.leave();
    const joined = oneEvent(el, 'rtc-join');
    button(el, 'Try again')!.click();
    await joined;
    await waitFor(() => sr(el).querySelector('rtc-video-tile[local]'), 'in the call');
  });

  it('shows an unreachable server with the error message', async function () {
    // Port 9 (discard) has no socket.io: the default transport gives up after its 10 s ack timeout.
    this.timeout(40000);
    const el = await fixture<RtcRoom>(html`<rtc-room room="nowhere" server="http://127.0.0.1:9" name="Ada"></rtc-room>`);
    track(el.session);
    await el.join().catch(() => undefined);
    await elementUpdated(el);
    expect(el.session!.status.get()).to.equal('failed');
    expect(sr(el).querySelector('[role=alert]')!.textContent).to.contain('Could not reach the call server');
    expect(button(el, 'Try again')).to.exist;
  });

  it('shows session errors in a dismissible alert banner while the call goes on', async () => {
    const a = makeSession(hub, 'banner', 'Ada');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}></rtc-room>`);
    await el.join();
    await a.setCameraEnabled(false);
    restore = failGetUserMedia(['video'], 'NotReadableError');
    await a.setCameraEnabled(true);
    await elementUpdated(el);
    const banner = sr(el).querySelector('[part=banner]')!;
    expect(banner.getAttribute('role')).to.equal('alert');
    expect(banner.textContent).to.contain('The camera is in use by another application');
    await expect(el).shadowDom.to.be.accessible();
    button(el, 'Dismiss')!.click();
    await elementUpdated(el);
    expect(sr(el).querySelector('[part=banner]')).to.equal(null);
    expect(a.status.get()).to.equal('joined');
    expect(sr(el).querySelector('rtc-video-tile[local]')).to.exist;
  });

  it('with children renders only a slot and hands its session to them', async () => {
    const a = makeSession(hub, 'compose', 'Ada');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a}>
      <rtc-video-tile local></rtc-video-tile>
      <rtc-controls></rtc-controls>
    </rtc-room>`);
    expect([...sr(el).children].map((c) => c.localName)).to.deep.equal(['slot']);
    const tile = el.querySelector('rtc-video-tile')!;
    const controls = el.querySelector('rtc-controls')!;
    expect(tile.session).to.equal(a);
    expect(controls.session).to.equal(a);
    await el.join();
    await waitFor(() => (deep<HTMLVideoElement>(tile, 'video')?.srcObject as MediaStream | null)?.getVideoTracks().length, 'the tile shows the camera');
    await expect(el).to.be.accessible();
  });

  it('gives its session to a child that upgraded before the room did (late upgrade)', async () => {
    const tag = `rtc-room-late-${Math.random().toString(36).slice(2, 8)}`;
    const a = makeSession(hub, 'late', 'Ada');
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    host.innerHTML = `<${tag}><rtc-video-tile local></rtc-video-tile></${tag}>`;
    const tile = host.querySelector('rtc-video-tile')!;
    await elementUpdated(tile);
    expect(tile.session, 'nobody to ask yet').to.equal(undefined);
    const room = host.firstElementChild as RtcRoom;
    (room as unknown as { session: RtcSession }).session = a; // before the upgrade: a plain property, taken over on upgrade
    customElements.define(tag, class extends RtcRoom {});
    await waitFor(() => tile.session === a, 'the tile received the session');
    await a.startMedia();
    await waitFor(() => deep<HTMLVideoElement>(tile, 'video')?.srcObject === a.localMedia.get().stream, 'the tile shows the preview');
  });
});
