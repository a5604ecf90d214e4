/**
 * `<rtc-room media="audio">` (an audio room) and `<rtc-room media="none">` (a viewer), through the
 * real signaling server in each browser. Elements and sessions in one page stand for people on
 * different machines; getUserMedia is instrumented around the element under test only.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/define-all.js';
import { RtcSession, SocketIoTransport, type RtcRoom, type RtcSessionOptions } from '../../src/index.js';
import type { RtcParticipantList } from '../../src/components/rtc-participant-list/rtc-participant-list.js';
import { signalUrl, uniqueRoom } from '../helpers/signaling.js';
import { sessionSet, remoteOf } from '../helpers/sessions.js';
import { inbound, waitForFrames } from '../helpers/rtc-stats.js';
import { stubMediaDevices } from '../core/media-helpers.js';
import { button, deep, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const text = (el: Element) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
const tiles = (el: RtcRoom) => [...sr(el).querySelectorAll('rtc-video-tile')];
const controls = (el: RtcRoom) => sr(el).querySelector('rtc-controls')!;
const controlParts = (el: RtcRoom) => [...sr(controls(el)).querySelectorAll('button')].map((b) => b.getAttribute('part') ?? '');

/** Record every getUserMedia request (and still answer it) until the returned stop(). */
function recordGetUserMedia(): { calls: MediaStreamConstraints[]; stop: () => void } {
  const calls: MediaStreamConstraints[] = [];
  const stop = stubMediaDevices('getUserMedia', (original) => (constraints?: MediaStreamConstraints) => {
    calls.push(constraints ?? {});
    return original(constraints);
  });
  return { calls, stop };
}

/** Samples of audio `pc` decoded so far rise by more than 1000 (the page plays it: a tile's element). */
async function hears(pc: RTCPeerConnection, what: string): Promise<void> {
  const start = (await inbound(pc, 'audio')).samples;
  await waitFor(async () => (await inbound(pc, 'audio')).samples > start + 1000, `${what}: totalSamplesReceived rises`, 30_000);
}

describe('audio rooms and viewers through <rtc-room media> (real server)', function () {
  this.timeout(120_000);
  let url: string;
  let room: string;
  const { make, track, leaveAll, connected } = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url) }), { ignoreLeaveErrors: true });
  const made: Element[] = [];
  // Side by side in the viewport: a tile scrolled out of view reports 0 × 0 and gets no video.
  const roomEl = async (media: string, name: string): Promise<RtcRoom> => {
    const style = `position: fixed; top: 0; left: ${made.length * 25}vw; width: 25vw; height: 100vh; overflow: hidden`;
    const el = await fixture<RtcRoom>(html`<rtc-room style=${style} room=${room} server=${url} media=${media} name=${name}></rtc-room>`);
    made.push(el);
    track(el.session);
    return el;
  };
  beforeEach(async () => {
    url = await signalUrl();
    room = uniqueRoom('media');
  });
  afterEach(async () => {
    made.splice(0).forEach((el) => el.remove());
    await leaveAll();
  });

  it('media="audio": no camera is asked for, the pre-join shows only microphone, speaker and level, tiles are audio tiles with initials, and the others hear it', async () => {
    // Someone with a camera is already there (before the instrumentation: their camera is theirs).
    const cy = make('Cy Video');
    await cy.join();
    const gum = recordGetUserMedia();
    let ada: RtcRoom;
    let bo: RtcRoom;
    try {
      ada = await roomEl('audio', 'Ada Lovelace');
      bo = await roomEl('audio', 'Bo Diddley');
      const prejoin = await waitFor(() => sr(ada).querySelector('rtc-prejoin'), 'the pre-join step');
      const picker = await waitFor(() => deep(prejoin, 'rtc-device-picker'), 'the device picker');
      await waitFor(() => deep(prejoin, '[part="level"][role="meter"]'), 'the level meter, live');
      expect(deep(prejoin, 'rtc-video-tile'), 'no camera preview').to.equal(null);
      expect((picker as unknown as { kinds: string[] }).kinds).to.deep.equal(['audioinput', 'audiooutput']);
      expect(sr(picker).textContent).not.to.match(/Camera/);
      await ada.join();
      await bo.join();
      await connected(ada.session!, [bo.session!, cy]);
      await connected(bo.session!, [ada.session!, cy]);
    } finally {
      gum.stop();
    }
    expect(gum.calls.length, 'the microphone was asked for').to.be.greaterThan(0);
    for (const c of gum.calls) expect(c.video, `no video in ${JSON.stringify(c)}`).to.equal(undefined);
    expect(ada.session!.localMedia.get().stream.getVideoTracks()).to.have.length(0);

    // Compact audio tiles with initials for everyone, the video participant included.
    await waitFor(() => sr(ada).querySelector('[part~="grid"][data-media="audio"]') && tiles(ada).length === 3, 'three tiles');
    for (const t of tiles(ada)) expect(t.hasAttribute('audio-only')).to.equal(true);
    const initials = tiles(ada).map((t) => deep(t, '[part="initials"]')?.textContent?.trim());
    expect(initials).to.have.members(['AL', 'BD', 'CV']);
    expect(
      tiles(ada).every((t) => t.getBoundingClientRect().height < 260),
      'compact tiles',
    ).to.equal(true);

    // No camera or screen button where there is no camera; the microphone, chat and people stay.
    const parts = controlParts(ada);
    expect(
      parts.some((p) => p.includes('camera')),
      'no Camera button',
    ).to.equal(false);
    expect(
      parts.some((p) => p.includes('screen-share')),
      'no Share screen button',
    ).to.equal(false);
    expect(parts.some((p) => p.includes('microphone'))).to.equal(true);
    expect(button(ada, 'Chat') ?? sr(ada).querySelector('[part~="chat-toggle"]'), 'Chat').to.not.equal(null);
    expect(sr(ada).querySelector('[part~="people-toggle"]'), 'People').to.not.equal(null);

    // The others hear Ada (their pages play her through her tile).
    await hears(bo.session!.peerConnection(ada.session!.localId)!, 'Bo hears Ada');
    const cyPlays = document.createElement('audio');
    cyPlays.srcObject = remoteOf(cy, ada.session!.localId)!.stream;
    document.body.append(cyPlays);
    void cyPlays.play().catch(() => undefined);
    try {
      await hears(cy.peerConnection(ada.session!.localId)!, 'Cy hears Ada');
    } finally {
      cyPlays.remove();
    }
    // Ada's page shows no video: Cy is told so and stops sending her his picture.
    await waitFor(() => cy.qualityState(ada.session!.localId).link?.applied?.active === false, "Cy's video to Ada is inactive (view 0 × 0)", 20_000);
    // Ada and Bo send no video at all.
    expect(
      ada
        .session!.peerConnection(cy.localId)!
        .getSenders()
        .filter((x) => x.track?.kind === 'video'),
      'Ada sends no video track',
    ).to.have.length(0);
    expect((await inbound(cy.peerConnection(ada.session!.localId)!, 'video')).frames, 'Cy decodes no video from Ada').to.equal(0);
  });

  it('media="none": no device is asked for, the viewer decodes the others, is listed as a viewer, and can chat', async () => {
    const ada = make('Ada');
    await ada.join();
    const list = await fixture<RtcParticipantList>(html`<rtc-participant-list .session=${ada}></rtc-participant-list>`);
    made.push(list);
    const gum = recordGetUserMedia();
    let vi: RtcRoom;
    try {
      vi = await roomEl('none', 'Vi');
      const prejoin = await waitFor(() => sr(vi).querySelector('rtc-prejoin'), 'the pre-join step');
      await waitFor(() => deep(prejoin, '[part="viewer-note"]'), 'the viewer note');
      expect(deep(prejoin, 'rtc-video-tile'), 'no preview').to.equal(null);
      expect(deep(prejoin, 'rtc-device-picker'), 'no device picker').to.equal(null);
      const join = await waitFor(() => button(prejoin, 'Join as viewer'), 'the Join as viewer button');
      join.click();
      await waitFor(() => vi.session!.status.get() === 'joined', 'the viewer joins');
      await connected(vi.session!, [ada]);
      await waitForFrames(vi.session!.peerConnection(ada.localId)!, 5);
    } finally {
      gum.stop();
    }
    expect(gum.calls, 'getUserMedia never called').to.have.length(0);
    const viewer = vi.session!;
    expect(viewer.moderation.role.get()).to.equal('viewer');
    expect(viewer.isViewer).to.equal(true);
    // The others see a viewer: in the participants and in the People list, and no tile of theirs.
    await waitFor(() => remoteOf(ada, viewer.localId)?.role === 'viewer', 'Ada sees Vi as a viewer');
    const row = await waitFor(() => [...sr(list).querySelectorAll('li')].find((li) => li.textContent?.includes('Vi')), "Vi's row");
    expect(row.textContent).to.contain('Viewer');
    // The viewer's page: Ada's tile with video, none of its own; no media buttons, chat and people kept.
    await waitFor(() => tiles(vi).length === 1 && !tiles(vi)[0].hasAttribute('video-muted'), "Ada's video tile");
    const parts = controlParts(vi);
    for (const b of ['microphone', 'camera', 'screen-share'])
      expect(
        parts.some((p) => p.split(' ').includes(b)),
        `no ${b} button`,
      ).to.equal(false);
    expect(sr(vi).querySelector('[part~="chat-toggle"]')).to.not.equal(null);
    expect(sr(vi).querySelector('[part~="people-toggle"]')).to.not.equal(null);
    // It can chat (its control and chat channels are open like anyone's).
    await viewer.chat.send('hello from the audience');
    await waitFor(() => ada.chat.messages.get().some((m) => m.text === 'hello from the audience' && m.from === viewer.localId), 'Ada gets the message');
    expect(text(vi)).not.to.match(/Camera|Microphone/);
  });

  it('a mixed room: an audio page, a video page and a viewer; everyone hears the audio participant, video goes where it is shown', async () => {
    const audio = await roomEl('audio', 'Ann Audio');
    const video = await roomEl('audio video', 'Val Video');
    const viewer = await roomEl('none', 'Vic Viewer');
    await audio.join();
    await video.join();
    await viewer.join();
    const [a, v, w] = [audio.session!, video.session!, viewer.session!];
    await connected(a, [v, w]);
    await connected(v, [a, w]);
    await connected(w, [a, v]);
    expect(w.moderation.role.get()).to.equal('viewer');
    // Everyone hears Ann: the video page and the viewer play her through her tile.
    await hears(v.peerConnection(a.localId)!, 'the video page hears Ann');
    await hears(w.peerConnection(a.localId)!, 'the viewer hears Ann');
    // The video page shows Val's own video and Ann as a placeholder with initials; the viewer decodes Val.
    await waitFor(() => tiles(video).find((t) => t.hasAttribute('local') && !t.hasAttribute('video-muted')), "Val's own video");
    const annAtVal = await waitFor(() => tiles(video).find((t) => t.getAttribute('participant-id') === a.localId), "Ann's tile on the video page");
    await waitFor(() => annAtVal.hasAttribute('video-muted') && deep(annAtVal, '[part="initials"]')?.textContent?.trim() === 'AA', "Ann's initials");
    await waitForFrames(w.peerConnection(v.localId)!, 5);
    await waitFor(
      () => tiles(viewer).find((t) => t.getAttribute('participant-id') === v.localId && !t.hasAttribute('video-muted')),
      "Val's video on the viewer's page",
    );
    // Nobody shows a tile for the viewer; the audio page shows Val as an audio tile, and Val stops sending it video.
    expect(tiles(audio).some((t) => t.getAttribute('participant-id') === w.localId)).to.equal(false);
    expect(tiles(video).some((t) => t.getAttribute('participant-id') === w.localId)).to.equal(false);
    const valAtAnn = await waitFor(() => tiles(audio).find((t) => t.getAttribute('participant-id') === v.localId), "Val's tile on the audio page");
    expect(valAtAnn.hasAttribute('audio-only')).to.equal(true);
    await waitFor(() => v.qualityState(a.localId).link?.applied?.active === false, "Val's video to Ann is inactive", 20_000);
    expect(v.qualityState(w.localId).link?.applied?.active, 'Val still sends the viewer video').to.not.equal(false);
  });

  it('a session made by hand with media { audio: true, video: false } in a room element behaves the same', async () => {
    const s = track(new RtcSession({ room, transport: () => new SocketIoTransport(url), media: { audio: true, video: false } } as RtcSessionOptions));
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${s}></rtc-room>`);
    made.push(el);
    const prejoin = await waitFor(() => sr(el).querySelector('rtc-prejoin'), 'the pre-join step');
    await waitFor(() => deep(prejoin, 'rtc-device-picker'), 'the device picker');
    expect(deep(prejoin, 'rtc-video-tile'), 'no camera preview').to.equal(null);
  });
});
