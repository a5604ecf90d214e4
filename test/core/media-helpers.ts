/** Shared by the core media tests (devices, screen share, speaking): calls on a LoopbackHub and browser stubs. */
import { LoopbackHub, type RtcSession } from '../../src/core/index.js';
import { sessionSet } from '../helpers/sessions.js';

export { remoteOf } from '../helpers/sessions.js';

export const isFirefox = navigator.userAgent.includes('Firefox');

/** Sessions made in one test; `leaveAll()` in afterEach. Device choices go to a per-test storage key. */
export function sessions(storageKey = `rtc-test:devices:${Math.random().toString(36).slice(2)}`) {
  let hub = new LoopbackHub();
  const set = sessionSet(() => ({ room: 'media', hub, devices: { storageKey } }), { timeout: 20000 });
  return {
    storageKey,
    make: set.make,
    connected: set.connected,
    pair: set.pair,
    async leaveAll() {
      await set.leaveAll();
      localStorage.removeItem(storageKey);
      hub = new LoopbackHub();
    },
  };
}

/** Offers and answers either side has sent so far on the link between a and b. */
export function negotiations(a: RtcSession, b: RtcSession): number {
  const sa = a.negotiationStats(b.localId)!;
  const sb = b.negotiationStats(a.localId)!;
  return sa.offersSent + sa.answersSent + sb.offersSent + sb.answersSent;
}

export function sender(a: RtcSession, b: RtcSession, kind: 'audio' | 'video'): RTCRtpSender {
  const pc = a.peerConnection(b.localId)!;
  // The transceivers are created in a fixed order (audio, then video) and never replaced.
  const t = pc.getTransceivers().find((x) => x.receiver.track.kind === kind)!;
  return t.sender;
}

/** Replace a method of navigator.mediaDevices for one test; returns the restore function. */
export function stubMediaDevices<K extends 'enumerateDevices' | 'getUserMedia' | 'getDisplayMedia'>(
  name: K,
  impl: (original: MediaDevices[K]) => MediaDevices[K],
): () => void {
  const md = navigator.mediaDevices;
  const original = md[name].bind(md) as MediaDevices[K];
  Object.defineProperty(md, name, { value: impl(original), configurable: true, writable: true });
  // The own property shadows the prototype's method; deleting it restores the original.
  return () => void delete (md as unknown as Record<string, unknown>)[name];
}

/** A "screen" from a canvas (Firefox headless has no screen to capture): 320×180, always moving. */
export function canvasScreen(): { stream: MediaStream; stop: () => void } {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const ctx = canvas.getContext('2d')!;
  let n = 0;
  const timer = setInterval(() => {
    ctx.fillStyle = `hsl(${(n += 7) % 360} 80% 50%)`;
    ctx.fillRect(0, 0, 320, 180);
  }, 33);
  const stream = canvas.captureStream(30);
  return { stream, stop: () => clearInterval(timer) };
}

/** Size of the video the remote decodes (inbound-rtp frameWidth/frameHeight). */
export async function inboundSize(pc: RTCPeerConnection): Promise<{ width: number; height: number }> {
  let out = { width: 0, height: 0 };
  (await pc.getStats()).forEach((s: RTCInboundRtpStreamStats & { frameWidth?: number; frameHeight?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video' && s.frameWidth) out = { width: s.frameWidth, height: s.frameHeight ?? 0 };
  });
  return out;
}

/**
 * Microphones that "talk" without pause: getUserMedia's audio comes from an oscillator (the fake
 * Chromium microphone only beeps for 20 ms twice a second, too short to be sure of a sample).
 * Video still comes from the fake camera. Returns the restore function.
 */
export function talkingMicrophones(gain = 0.3): () => void {
  const tones: ReturnType<typeof tone>[] = [];
  const restore = stubMediaDevices('getUserMedia', (original) => async (c?: MediaStreamConstraints) => {
    const stream = c?.video ? await original({ video: c.video }) : new MediaStream();
    if (c?.audio) {
      const t = tone(gain);
      tones.push(t);
      stream.addTrack(t.track);
    }
    return stream;
  });
  return () => {
    restore();
    for (const t of tones) void t.close();
  };
}

/** A tone (or silence) as a MediaStreamTrack, from an oscillator. */
export function tone(gain: number): { track: MediaStreamTrack; close: () => Promise<void> } {
  const ctx = new AudioContext();
  const osc = ctx.createOscillator();
  const amp = ctx.createGain();
  amp.gain.value = gain;
  const out = ctx.createMediaStreamDestination();
  osc.connect(amp).connect(out);
  osc.start();
  const [track] = out.stream.getAudioTracks();
  return { track, close: () => (track.stop(), ctx.close()) };
}

/** Play every remote participant's audio, as a room does (Chromium decodes remote audio only while played). */
export function playRemoteAudio(s: RtcSession): () => void {
  const els: HTMLAudioElement[] = [];
  for (const p of s.participants.get()) {
    if (p.isLocal || !p.stream) continue;
    const el = document.createElement('audio');
    el.srcObject = p.stream;
    document.body.append(el);
    void el.play().catch(() => undefined);
    els.push(el);
  }
  return () => els.forEach((el) => el.remove());
}

let webAudio: Promise<boolean> | undefined;
/**
 * Web Audio runs here. Headless Firefox without an audio output never starts an AudioContext
 * (resume() never settles), so the local level reads silence; the remote level (RTP) still works.
 */
export function webAudioRuns(): Promise<boolean> {
  return (webAudio ??= (async () => {
    const ctx = new AudioContext();
    const running = await Promise.race([ctx.resume().then(() => ctx.state === 'running'), new Promise<false>((r) => setTimeout(() => r(false), 2000))]);
    void ctx.close().catch(() => undefined);
    return running;
  })());
}
