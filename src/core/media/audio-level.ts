/** How often the level is read (ms). */
const INTERVAL_MS = 100;

let shared: AudioContext | undefined;
let users = 0;

/**
 * Live input level of an audio track, 0..1, updated ~10 times a second (Web Audio AnalyserNode).
 * Returns stop. One AudioContext is shared by all watchers (browsers cap how many a page may
 * open) and closed when the last watcher stops.
 */
export function watchAudioLevel(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
  const Ctx = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx || track.kind !== 'audio') return () => undefined;
  const ctx = (shared ??= new Ctx());
  users++;
  const source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  // ~43 ms of samples per reading: short sounds between two readings are less likely missed.
  analyser.fftSize = 2048;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let stopped = false;
  const timer = setInterval(() => {
    wake(ctx);
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    // RMS, as RTCRtpSynchronizationSource.audioLevel is a linear 0..1 value too.
    onLevel(Math.min(1, Math.sqrt(sum / samples.length)));
  }, INTERVAL_MS);
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    source.disconnect();
    analyser.disconnect();
    if (--users === 0 && shared) {
      const closing = shared;
      shared = undefined;
      void closing.close().catch(() => undefined);
    }
  };
}

let waking = false;
/**
 * A context made before any user gesture starts suspended (autoplay rules) and reads silence:
 * keep asking it to run. One request at a time: without an audio output (headless Firefox) a
 * resume() never settles.
 */
function wake(ctx: AudioContext): void {
  if (ctx.state !== 'suspended' || waking) return;
  waking = true;
  ctx.resume().then(
    () => (waking = false),
    () => (waking = false),
  );
}

/** How many audio level watchers are running (diagnostics, teardown tests). */
export function audioLevelWatchers(): number {
  return users;
}
