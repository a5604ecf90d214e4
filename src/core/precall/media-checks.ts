/** Camera, microphone and speaker checks of the pre-call check (they open nothing that outlives `res`). */
import { mediaError } from '../errors.js';
import { watchAudioLevel } from '../media/audio-level.js';
import { Resources, abortable, until } from './resources.js';
import type { CameraResult, MicrophoneResult, PrecallCode, PrecallParams, PrecallStatus, SpeakerResult } from './types.js';

export interface StepOutcome<T> {
  status: PrecallStatus;
  message: string;
  code: PrecallCode;
  params?: PrecallParams;
  details: T | null;
}

const FRAMES_TIMEOUT_MS = 5000;
/** How long the microphone is listened to, at most (fake devices beep about once a second). */
const LISTEN_MS = 2500;
/** Quieter than this (dBFS) is taken for silence. */
export const MIC_FLOOR_DB = -50;

const constraint = (choice: boolean | string | undefined) => (typeof choice === 'string' && choice ? { deviceId: { exact: choice } } : true);

function noMediaDevices(): boolean {
  return !globalThis.navigator?.mediaDevices?.getUserMedia;
}

export async function checkCamera(choice: boolean | string | undefined, res: Resources, signal?: AbortSignal): Promise<StepOutcome<CameraResult>> {
  if (noMediaDevices())
    return { status: 'fail', code: 'no-media-devices', message: 'This page cannot use a camera (it needs https:// or localhost).', details: null };
  let stream: MediaStream;
  try {
    // Tracked as soon as it opens, even if the check was stopped meanwhile: then it is stopped at once.
    stream = await abortable(
      navigator.mediaDevices.getUserMedia({ video: constraint(choice) }).then((s) => res.track(s)),
      signal,
    );
  } catch (err) {
    if (signal?.aborted) throw err;
    const error = mediaError(err, 'video');
    return { status: 'fail', code: 'device-error', params: { error: error.code }, message: error.message, details: null };
  }
  const track = stream.getVideoTracks()[0]!;
  // Frames arriving: a detached, muted <video> plays the stream; each rendered frame is counted
  // (requestVideoFrameCallback), and where it is not called for an element outside the page,
  // the playback clock moving over a picture with a size counts as frames too.
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  res.add(() => (video.srcObject = null));
  let frames = 0;
  const rvfc = (video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number }).requestVideoFrameCallback;
  if (rvfc) {
    const onFrame = () => {
      frames++;
      if (!res.released) rvfc.call(video, onFrame);
    };
    rvfc.call(video, onFrame);
  }
  let lastTime = -1;
  let ticks = 0;
  const advanced = () => {
    if (video.videoWidth > 0 && video.currentTime > 0 && video.currentTime !== lastTime) {
      if (lastTime >= 0) ticks++;
      lastTime = video.currentTime;
    }
    return frames >= 2 || ticks >= 2;
  };
  void video.play().catch(() => undefined);
  const ok = await abortable(until(advanced, FRAMES_TIMEOUT_MS, video, ['timeupdate', 'resize']), signal);
  const settings = track.getSettings();
  const details: CameraResult = {
    width: video.videoWidth || settings.width || 0,
    height: video.videoHeight || settings.height || 0,
    frames: Math.max(frames, ticks),
    label: track.label,
  };
  video.pause();
  track.stop();
  if (!ok)
    return {
      status: 'fail',
      code: 'camera-no-frames',
      message: 'The camera opened but sends no picture. Close other apps that may use it, or choose another camera.',
      details,
    };
  return {
    status: 'pass',
    code: 'camera-works',
    params: { width: details.width, height: details.height },
    message: `Your camera works${details.width ? ` (${details.width}×${details.height})` : ''}.`,
    details,
  };
}

export async function checkMicrophone(choice: boolean | string | undefined, res: Resources, signal?: AbortSignal): Promise<StepOutcome<MicrophoneResult>> {
  if (noMediaDevices())
    return { status: 'fail', code: 'no-media-devices', message: 'This page cannot use a microphone (it needs https:// or localhost).', details: null };
  let stream: MediaStream;
  try {
    stream = await abortable(
      navigator.mediaDevices.getUserMedia({ audio: constraint(choice) }).then((s) => res.track(s)),
      signal,
    );
  } catch (err) {
    if (signal?.aborted) throw err;
    const error = mediaError(err, 'audio');
    return { status: 'fail', code: 'device-error', params: { error: error.code }, message: error.message, details: null };
  }
  const track = stream.getAudioTracks()[0]!;
  let peak = 0;
  const stop = watchAudioLevel(track, (rms) => (peak = Math.max(peak, rms)));
  res.add(stop);
  const floor = 10 ** (MIC_FLOOR_DB / 20);
  await abortable(
    until(() => peak >= floor, LISTEN_MS),
    signal,
  );
  stop();
  track.stop();
  const peakDb = peak > 0 ? Math.round(20 * Math.log10(peak)) : -Infinity;
  const details: MicrophoneResult = { peakLevel: peak, peakDb, label: track.label };
  if (peak < floor)
    return {
      status: 'warn',
      code: 'microphone-silent',
      message:
        'Your microphone opened but we heard nothing. Say something and test again; check that it is not muted (a switch on the headset?), or choose another microphone.',
      details,
    };
  return { status: 'pass', code: 'microphone-works', message: 'Your microphone picks up sound.', details };
}

export async function checkSpeaker(): Promise<StepOutcome<SpeakerResult>> {
  const selectable = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  let outputs = 0;
  try {
    outputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput').length;
  } catch {
    // no device list: the default speaker is used
  }
  const details = { selectable, outputs };
  if (selectable && outputs > 1)
    return {
      status: 'pass',
      code: 'speakers-choose',
      params: { outputs },
      message: `You can choose among ${outputs} speakers. Play a test sound to hear the one chosen.`,
      details,
    };
  if (selectable || outputs > 0)
    return { status: 'pass', code: 'speaker-works', message: 'Sound plays on your speaker. Play a test sound to hear it.', details };
  return {
    status: 'warn',
    code: 'speaker-default',
    message: "Sound plays on your system's default speaker (this browser cannot choose another). Play a test sound to hear it.",
    details,
  };
}

/**
 * A short tone on the chosen speaker (`sinkId`, where the browser can choose). Call it from a
 * click: browsers play sound only after the user did something on the page.
 */
export async function playTestTone({ sinkId, durationMs = 700 }: { sinkId?: string; durationMs?: number } = {}): Promise<void> {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  try {
    const withSink = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (sinkId && withSink.setSinkId) await withSink.setSinkId(sinkId).catch(() => undefined);
    // Without an audio output (a headless browser) resume() may never settle: do not wait for ever.
    await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 500))]);
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 440;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.05);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + durationMs / 1000);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + durationMs / 1000);
    await new Promise((r) => setTimeout(r, durationMs + 50));
  } finally {
    void ctx.close().catch(() => undefined);
  }
}
