import { expect } from '@open-wc/testing';
import { watchAudioLevel, type Participant, type RtcSession } from '../../src/core/index.js';
import { audioLevelWatchers } from '../../src/core/media/audio-level.js';
import { SpeakingMonitor } from '../../src/core/media/speaking.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { playRemoteAudio, remoteOf, sessions, talkingMicrophones, tone, webAudioRuns } from './media-helpers.js';

/** Headless Firefox here has no audio output, so Web Audio never runs: no local level there. */
let webAudio = false;
before(async () => {
  webAudio = await webAudioRuns();
});

describe('watchAudioLevel', function () {
  this.timeout(20000);

  it('reports a loud level for a tone, near zero for silence, ~10 times a second, and stops', async function () {
    if (!webAudio) this.skip(); // no audio output: an AudioContext never starts (headless Firefox)
    const loud = tone(0.5);
    const quiet = tone(0);
    const levels: number[] = [];
    const times: number[] = [];
    const silent: number[] = [];
    const stopLoud = watchAudioLevel(loud.track, (l) => (levels.push(l), times.push(performance.now())));
    const stopQuiet = watchAudioLevel(quiet.track, (l) => silent.push(l));
    expect(audioLevelWatchers()).to.equal(2);
    // A busy machine delays timers, so the count in a second says little; what must hold is that
    // readings keep coming, and never faster than about ten a second.
    await waitFor(() => levels.length >= 8 && silent.length >= 8, 'eight readings of each', 15_000);
    stopLoud();
    stopQuiet();
    expect(audioLevelWatchers()).to.equal(0);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const median = gaps.sort((x, y) => x - y)[Math.floor(gaps.length / 2)]!;
    expect(median, 'median ms between readings (about 100)').to.be.at.least(70);
    // A sine of amplitude 0.5 has an RMS of 0.35.
    expect(Math.max(...levels)).to.be.within(0.2, 0.5);
    expect(Math.max(...silent)).to.be.below(0.01);
    const n = levels.length;
    await sleep(300);
    expect(levels.length, 'no readings after stop').to.equal(n);
    await Promise.all([loud.close(), quiet.close()]);
  });
});

describe('SpeakingMonitor: who is the active speaker', function () {
  this.timeout(30000);

  it('when the active speaker stops, whoever still speaks takes over; with nobody speaking it rests on the last voice', async () => {
    // Receivers whose inbound audio energy grows as if loud (level 0.1) or silent, 0.2 s per reading.
    const loud = new Map([
      ['a', false],
      ['b', false],
    ]);
    const totals = new Map<string, { e: number; d: number }>();
    const receiver = (key: string) =>
      ({
        getStats: async () => {
          const t = totals.get(key) ?? { e: 0, d: 0 };
          t.d += 0.2;
          if (loud.get(key)) t.e += 0.2 * 0.01;
          totals.set(key, t);
          return new Map([['in', { type: 'inbound-rtp', totalAudioEnergy: t.e, totalSamplesDuration: t.d }]]);
        },
      }) as unknown as RTCRtpReceiver;
    const receivers = new Map([...loud.keys()].map((k) => [k, receiver(k)]));
    const m = new SpeakingMonitor(() => undefined);
    m.startPolling(() => receivers.entries());
    try {
      loud.set('a', true);
      await waitFor(() => m.lastSpeaker === 'a', 'a speaks');
      loud.set('b', true);
      await waitFor(() => m.lastSpeaker === 'b', 'b cuts in');
      // b stops while a goes on talking: a, not the silent b, is the active speaker.
      loud.set('b', false);
      await waitFor(() => !m.isSpeaking('b'), 'b silent');
      expect(m.lastSpeaker).to.equal('a');
      loud.set('a', false);
      await waitFor(() => !m.isSpeaking('a'), 'a silent');
      expect(m.lastSpeaker, 'nobody speaks: the last voice stays').to.equal('a');
      m.forget('a');
      expect(m.lastSpeaker).to.equal(null);
    } finally {
      m.stop();
    }
  });
});

describe('Speaking and active speaker', function () {
  this.timeout(90000);
  const s = sessions();
  const cleanups: (() => void)[] = [];
  // Voices that never pause: an oscillator where Web Audio runs (the fake Chromium microphone only
  // beeps); else the browser's fake microphone (a steady tone in Firefox).
  beforeEach(() => {
    if (webAudio) cleanups.push(talkingMicrophones());
  });
  afterEach(async () => {
    await s.leaveAll();
    cleanups.splice(0).forEach((c) => c());
  });

  it('shows who speaks, locally and on the other side; muting silences at once and is seen within a second', async () => {
    const [a, b] = await s.pair();
    cleanups.push(playRemoteAudio(a), playRemoteAudio(b));
    // Only Ada talks; Bob mutes.
    await b.setMicrophoneEnabled(false);
    if (webAudio) await waitFor(() => a.participants.get()[0].speaking, 'Ada sees herself speaking');
    await waitFor(() => remoteOf(b, a.localId)?.speaking, 'Bob sees Ada speaking');
    expect(b.participants.get()[0].speaking, 'Bob is muted').to.equal(false);
    await waitFor(() => b.activeSpeaker.get() === a.localId, 'Ada is the active speaker for Bob');
    if (webAudio) await waitFor(() => a.activeSpeaker.get() === a.localId, 'and for herself');

    const t0 = performance.now();
    await a.setMicrophoneEnabled(false);
    expect(a.participants.get()[0].speaking, 'muted: not speaking, at once').to.equal(false);
    await waitFor(() => remoteOf(b, a.localId)?.audioMuted, 'Bob sees Ada muted');
    expect(performance.now() - t0, 'mute seen within a second').to.be.below(1000);
    expect(remoteOf(b, a.localId)!.speaking).to.equal(false);
    // The spotlight stays on whoever spoke last.
    expect(b.activeSpeaker.get()).to.equal(a.localId);

    // Bob talks now.
    await b.setMicrophoneEnabled(true);
    await waitFor(() => remoteOf(a, b.localId)?.speaking, 'Ada sees Bob speaking');
    await waitFor(() => a.activeSpeaker.get() === b.localId, 'Bob is the active speaker for Ada');
  });

  it('publishes participants only when someone starts or stops speaking, not on every level reading', async () => {
    const [a, b] = await s.pair();
    cleanups.push(playRemoteAudio(a), playRemoteAudio(b));
    await b.setMicrophoneEnabled(false);
    // Ada talks steadily: both sides read her level ~5-10 times a second.
    await waitFor(() => remoteOf(b, a.localId)?.speaking && (!webAudio || a.participants.get()[0].speaking), 'Ada speaking on both sides');
    await sleep(300);
    // What changed on each publish, to say why if one happens. A connection grade arriving or
    // changing (measured stats, every few seconds) is a real change, not a level reading.
    const changes: string[] = [];
    const watch = (side: RtcSession) => {
      const text = (list: Participant[]) => JSON.stringify(list.map(({ quality: _, ...p }) => ({ ...p, stream: p.stream?.id })));
      const grades = (list: Participant[]) => JSON.stringify(list.map((p) => p.quality));
      let before = side.participants.get();
      return side.participants.listen((list) => {
        const [was, now] = [text(before), text(list)];
        if (was !== now) changes.push(`${side.name}: ${was} -> ${now}`);
        else if (grades(before) === grades(list)) changes.push(`${side.name}: published without a change`);
        before = list;
      });
    };
    const offs = [watch(a), watch(b)];
    await sleep(2000);
    offs.forEach((off) => off());
    expect(changes).to.deep.equal([]);
    expect(remoteOf(b, a.localId)!.speaking).to.equal(true);
  });

  it('leave() stops the level watcher and the poller; the active speaker clears', async () => {
    const [a, b] = await s.pair();
    cleanups.push(playRemoteAudio(b));
    await waitFor(() => (webAudio ? a.participants.get()[0].speaking : remoteOf(b, a.localId)?.speaking), 'Ada speaking');
    expect(audioLevelWatchers()).to.be.greaterThan(0);
    await s.leaveAll();
    expect(audioLevelWatchers()).to.equal(0);
    expect(a.activeSpeaker.get()).to.equal(null);
    expect(a.participants.get()[0].speaking).to.equal(false);
  });
});
