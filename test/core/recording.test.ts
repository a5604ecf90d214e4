import { expect } from '@open-wc/testing';
import { RtcError, recordingFileName, type Recording, type RtcSession } from '../../src/core/index.js';
import { tileRects } from '../../src/core/recording/tile-grid.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { channelsOpen, remoteOf, sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { talkingMicrophones } from './media-helpers.js';

/** What a recorded WebM holds once decoded back in this page. */
interface Decoded {
  duration: number;
  width: number;
  height: number;
  /** Seconds of decoded sound, and its loudness (RMS over all channels). */
  audioSeconds: number;
  audioRms: number;
  /** Distinct colours in a frame from the middle (a blank canvas has one). */
  colours: number;
}

/**
 * Load `blob` in a <video> and decode its sound with Web Audio. Chromium reports `duration ===
 * Infinity` for MediaRecorder's WebM (no duration in the header) until it has seen the end: seek
 * far past it, and the real duration arrives with durationchange.
 */
async function decode(blob: Blob): Promise<Decoded> {
  const url = URL.createObjectURL(blob);
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  try {
    video.src = url;
    await waitFor(
      () => {
        if (video.error) throw new Error(`the <video> refused the recording: ${video.error.message || video.error.code}`);
        return video.readyState >= 1;
      },
      'the WebM metadata',
      15000,
    );
    if (!Number.isFinite(video.duration)) {
      video.currentTime = 1e9;
      // The seek completes once the whole file was read: the duration is final then, not before.
      await waitFor(() => !video.seeking && Number.isFinite(video.duration) && video.duration > 0, 'the WebM duration after seeking to the end', 15000);
    }
    const duration = video.duration;
    video.currentTime = duration / 2;
    await waitFor(() => !video.seeking && video.readyState >= 2, 'a decoded frame from the middle', 15000);
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(video, 0, 0);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4 * 97) colours.add((pixels[i]! >> 4) * 256 + (pixels[i + 1]! >> 4) * 16 + (pixels[i + 2]! >> 4));
    const ac = new OfflineAudioContext(1, 1, 48000);
    const audio = await ac.decodeAudioData(await blob.arrayBuffer());
    let sum = 0;
    let n = 0;
    for (let c = 0; c < audio.numberOfChannels; c++) {
      const data = audio.getChannelData(c);
      // The second half: the mix has long been running there.
      for (let i = Math.floor(data.length / 2); i < data.length; i++) ((sum += data[i]! * data[i]!), n++);
    }
    return {
      duration,
      width: video.videoWidth,
      height: video.videoHeight,
      audioSeconds: audio.duration,
      audioRms: Math.sqrt(sum / Math.max(1, n)),
      colours: colours.size,
    };
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

const recordingOf = (s: RtcSession, of: RtcSession) => remoteOf(s, of.localId)?.recording;

/** Until `rec` has recorded `ms` and handed over some data (what the clock shows, not a fixed sleep). */
const recorded = (rec: Recording, ms: number) => waitFor(() => rec.elapsed.get() >= ms && rec.bytes.get() > 0, `${ms} ms recorded`, ms + 30000);

describe('Local recording (real signaling server)', function () {
  this.timeout(120000);
  let sig: Signaling;
  let restoreMics: () => void;
  // "Connected": the control channel is open (the recording message travels on it).
  const { make, room, joinAll, connected, leaveAll } = sessionSet(() => ({ room: sig.room, transport: sig.transport }), {
    timeout: 60000,
    linked: channelsOpen('control'),
  });

  beforeEach(async () => {
    sig = await signaling('server', 'rec');
    // Every microphone plays a steady tone: the recording's sound can be measured.
    restoreMics = talkingMicrophones(0.3);
  });
  afterEach(async () => {
    await leaveAll();
    restoreMics();
    expect(sig.serverErrors, 'server-error events').to.deep.equal([]);
  });

  it('records the call as WebM that decodes back with picture and sound; everyone, late joiners too, sees it', async () => {
    const [ada, bob] = await room('Ada', 'Bob');
    // Ada's own microphone is off: the sound in her recording can only be Bob's, mixed from the call.
    await ada.setMicrophoneEnabled(false);
    expect(recordingOf(bob, ada)).to.equal(false);
    const rec = ada.startRecording({ fps: 15, width: 640, height: 360 });
    expect(ada.recording.get()).to.equal(rec);
    expect(rec.state.get()).to.equal('recording');
    expect(ada.participants.get()[0]!.recording, 'our own record').to.equal(true);
    await waitFor(() => recordingOf(bob, ada), 'Bob sees that Ada records');
    expect(() => ada.startRecording(), 'a second recording').to.throw(RtcError);

    // Cy joins while Ada records: told as its control channel opens.
    const cy = make('Cy');
    await cy.join();
    await connected(cy, [ada, bob]);
    await waitFor(() => recordingOf(cy, ada), 'the late joiner sees that Ada records');
    expect(recordingOf(cy, bob)).to.equal(false);

    // 4 s of wall time for a file of more than 2 s: on a loaded machine the encoder starts late and drops frames.
    await recorded(rec, 4000);
    const result = await ada.stopRecording();
    expect(result).to.not.equal(null);
    expect(rec.state.get()).to.equal('stopped');
    expect(ada.recording.get()).to.equal(null);
    await waitFor(() => recordingOf(bob, ada) === false && recordingOf(cy, ada) === false, 'the others see that the recording stopped');

    expect(result!.blob.type).to.equal('video/webm');
    expect(result!.blob.size).to.be.greaterThan(10_000);
    expect(result!.filename).to.match(new RegExp(`^${sig.room}-\\d{4}-\\d\\d-\\d\\d-\\d{4}\\.webm$`));
    expect(result!.mimeType).to.match(/^video\/webm/);
    expect(result!.duration).to.be.greaterThan(3900);
    // Everything let go: no live canvas track, the AudioContext closed.
    expect(rec.videoTrack.readyState).to.equal('ended');
    await waitFor(() => rec.audioContext?.state === 'closed', 'the AudioContext closed');

    const decoded = await decode(result!.blob);
    expect(decoded.duration, 'duration').to.be.greaterThan(2);
    expect([decoded.width, decoded.height]).to.deep.equal([640, 360]);
    expect(decoded.colours, 'colours in a frame (not a blank canvas)').to.be.greaterThan(3);
    // Firefox's file holds up to ~1.5 s less sound than picture (its encoder starts the sound late
    // on a loaded machine); the picture's duration is the recording's.
    expect(decoded.audioSeconds, 'seconds of sound').to.be.greaterThan(1);
    // Bob's tone (0.3 sine ≈ 0.2 RMS; 0.13–0.15 measured alone) mixed in, not silence (RMS 0). In
    // a full run the tone has filled only part of the file (0.012 and 0.0046 seen), so any sound counts.
    expect(decoded.audioRms, 'loudness of the sound').to.be.greaterThan(0.001);
  });

  it('records one participant alone, under a file name with their name', async () => {
    const [ada, bob] = await room('Ada', 'Bob');
    await ada.setMicrophoneEnabled(false);
    const rec = ada.startRecording({ participant: bob.localId, fps: 15, width: 320, height: 180 });
    expect(rec.participant).to.equal(bob.localId);
    await waitFor(() => recordingOf(bob, ada), 'Bob sees that Ada records');
    await recorded(rec, 4000);
    const result = await rec.stop();
    expect(result.participant).to.equal(bob.localId);
    expect(result.filename).to.match(new RegExp(`^${sig.room}-Bob-\\d{4}-\\d\\d-\\d\\d-\\d{4}\\.webm$`));
    const decoded = await decode(result.blob);
    expect(decoded.duration).to.be.greaterThan(2);
    expect([decoded.width, decoded.height]).to.deep.equal([320, 180]);
    expect(decoded.audioRms, "Bob's sound").to.be.greaterThan(0.02);
    expect(() => ada.startRecording({ participant: 'nobody' })).to.throw(RtcError);
  });

  it('leaving stops the recording, keeps its file and releases the canvas and the AudioContext', async () => {
    const [ada, bob] = await room('Ada', 'Bob');
    const rec = ada.startRecording({ fps: 10, width: 320, height: 180 });
    await waitFor(() => recordingOf(bob, ada), 'Bob sees that Ada records');
    await recorded(rec, 1000);
    await ada.leave();
    await waitFor(() => rec.state.get() === 'stopped', 'the recording stopped');
    expect(ada.recording.get()).to.equal(null);
    expect(rec.result!.blob.size).to.be.greaterThan(0);
    expect(rec.videoTrack.readyState).to.equal('ended');
    await waitFor(() => rec.audioContext?.state === 'closed', 'the AudioContext closed');
    await waitFor(() => !remoteOf(bob, ada.localId), 'Ada gone for Bob');
    // Not in a call: nothing to record.
    expect(() => ada.startRecording()).to.throw(RtcError);
  });

  it("drops malformed recording messages; a flood of toggles ends on the sender's last word", async () => {
    // Nothing recorded here: a camera, no microphone (sound costs CPU).
    const camera = { media: { audio: false, video: true } };
    const [ada, bob] = await joinAll(make('Ada', camera), make('Bob', camera));
    const control = ada.dataChannel(bob.localId, 'control')!;
    let changes = 0;
    let last = false;
    const off = bob.participants.listen((list) => {
      const r = !!list.find((p) => p.id === ada.localId)?.recording;
      if (r !== last) changes++;
      last = r;
    });
    try {
      for (const bad of ['{"type":"recording","on":"yes"}', '{"type":"recording"}', '{"type":"recording","on":1}', 'recording']) control.send(bad);
      await sleep(500); // they would have arrived by now
      expect(recordingOf(bob, ada), 'after malformed messages').to.equal(false);
      expect(changes).to.equal(0);
      // 100 toggles at once, the last one "on": at most 4 changes a second are shown, and the last word wins.
      for (let i = 0; i < 100; i++) control.send(JSON.stringify({ type: 'recording', on: i % 2 === 1 }));
      await waitFor(() => recordingOf(bob, ada) === true, "the flood's last word");
      await sleep(600);
      expect(recordingOf(bob, ada)).to.equal(true);
      expect(changes, 'changes shown').to.be.at.most(3);
      expect(
        bob.participants.get().some((p) => p.id === ada.localId && p.connectionState === 'connected'),
        'the link is fine',
      ).to.equal(true);
    } finally {
      off();
    }
  });
});

describe('Recording helpers', () => {
  it('lays tiles out like the room: a grid, or a spotlight above a strip', () => {
    const four = tileRects(4, 1280, 720, 10);
    expect(four).to.have.length(4);
    // 2 × 2, each 16:9, none overlapping the canvas edge.
    expect(new Set(four.map((r) => r.y)).size).to.equal(2);
    for (const r of four) {
      expect(Math.abs(r.w / r.h - 16 / 9)).to.be.lessThan(0.02);
      expect(r.x).to.be.at.least(0);
      expect(r.x + r.w).to.be.at.most(1280);
      expect(r.y + r.h).to.be.at.most(720);
    }
    const spot = tileRects(3, 1280, 720, 10, 1);
    expect(spot[1]!.w).to.be.greaterThan(spot[0]!.w * 2);
    expect(spot[0]!.y).to.equal(spot[2]!.y);
    expect(spot[0]!.y).to.be.greaterThan(spot[1]!.y + spot[1]!.h - 1);
  });

  it('names the file after the room and the time, with only safe characters', () => {
    const at = new Date(2026, 10, 30, 9, 5);
    expect(recordingFileName('team', at)).to.equal('team-2026-11-30-0905.webm');
    expect(recordingFileName('a/b:c', at, 'Zoë <x>')).to.equal('a-b-c-Zoë-x-2026-11-30-0905.webm');
  });
});
