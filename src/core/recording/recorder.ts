/**
 * Local recording of the call: the tiles composed on a canvas (compositor.ts) and everyone's sound
 * mixed with Web Audio (audio-mix.ts), or one participant alone, encoded as WebM by MediaRecorder
 * in the page. Nothing leaves the device: the result is a Blob to download. Started and stopped
 * through the session (`session.startRecording()`), which tells the others (docs/protocol.md §10).
 */
import { RtcError } from '../errors.js';
import { store, type ReadableStore } from '../state/store.js';
import { AudioMix } from './audio-mix.js';
import { Compositor, type CompositorTile } from './compositor.js';
import { startTicker, type Ticker } from './ticker.js';

export type RecordingState = 'recording' | 'stopping' | 'stopped' | 'failed';

export interface RecordingOptions {
  /** Record only this participant (their tile: video or initials card, and their sound); default everyone. */
  participant?: string;
  /** Frames per second drawn and recorded (default 24). */
  fps?: number;
  /** Size of the recorded picture (default 1280 × 720). */
  width?: number;
  height?: number;
  /** How often MediaRecorder hands over data, ms (default 1000). */
  timeslice?: number;
  /** Video bitrate asked of the encoder, bits/s (default: the browser's choice). */
  videoBitsPerSecond?: number;
  /**
   * Who is shown large, as in the room's layout (`<rtc-room>` passes its `currentLayout.spotlight`):
   * an id, null for the grid, or undefined for the default (a shared screen, else the grid).
   */
  spotlight?: () => string | null | undefined;
}

export interface RecordingResult {
  /** The WebM file (`video/webm`). */
  blob: Blob;
  /** A file name to save it under: `<room>-<date>-<time>.webm`. */
  filename: string;
  /** What MediaRecorder produced, codecs included (e.g. `video/webm;codecs=vp8,opus`). */
  mimeType: string;
  /** How long it recorded, ms. */
  duration: number;
  /** The participant recorded alone, if any. */
  participant: string | null;
}

/** A participant as the recording needs it (a core Participant fits). */
export interface RecordedParticipant extends CompositorTile {
  isLocal: boolean;
  /** A screen shared beside the camera (P2P 1.6): a tile of its own, as in the room. */
  screenStream?: MediaStream | null;
}

/** What the session gives a recording. */
export interface RecordingSource {
  room: string;
  /** Everyone in the call now, in the room's order. */
  participants(): readonly RecordedParticipant[];
  /** The audio tracks of `p` to record (the local one's microphone; a remote one's received audio). */
  audioOf(p: RecordedParticipant): readonly MediaStreamTrack[];
}

/** WebM with VP8 first: both browsers have it, and it costs less CPU to encode than VP9 beside a call. */
const TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8', 'video/webm'];

let known: { recorder: typeof MediaRecorder; type: string | null } | undefined;

/**
 * The WebM type this browser records, or null when it cannot record WebM at all. Asked once per
 * MediaRecorder: elements ask on every render, and isTypeSupported() is a slow call in Chromium.
 */
export function recordingMimeType(): string | null {
  if (typeof MediaRecorder !== 'function') return null;
  if (known?.recorder !== MediaRecorder) known = { recorder: MediaRecorder, type: TYPES.find((t) => MediaRecorder.isTypeSupported(t)) ?? null };
  return known.type;
}

/** Recording can work here: MediaRecorder with WebM, and a canvas that can be captured. */
export function canRecord(): boolean {
  return recordingMimeType() !== null && typeof HTMLCanvasElement === 'function' && 'captureStream' in HTMLCanvasElement.prototype;
}

/** `<room>[-<name>]-YYYY-MM-DD-HHMM.webm`, in local time, with only safe characters. */
export function recordingFileName(room: string, at: Date, who?: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}`;
  const parts = [room, who].map((s) => slug(s ?? '')).filter(Boolean);
  return `${[...parts, date].join('-') || 'recording'}.webm`;
}

function slug(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** Elapsed time moves in steps of this many ms (a clock shows seconds; 4 updates a second are plenty). */
const ELAPSED_STEP_MS = 250;
/** MediaRecorder's final `stop` event is waited for this long at most before letting go anyway. */
const STOP_TIMEOUT_MS = 5000;
/** Encoding waits at most this long for the sound mix to start running. */
const AUDIO_START_MS = 1500;

/**
 * One recording, from start to its file. `state`, `elapsed` (ms) and `bytes` are stores; stop()
 * gives the result, also when the recording already ended (left the call, or failed: then with
 * what was recorded until then, and `error` says why).
 */
export class Recording {
  readonly #state = store<RecordingState>('recording');
  readonly #elapsed = store(0);
  readonly #bytes = store(0);
  /** 'recording' → 'stopping' → 'stopped' (or 'failed'). */
  readonly state: ReadableStore<RecordingState> = this.#state;
  /** Time recorded so far, ms (in steps of 250 ms). */
  readonly elapsed: ReadableStore<number> = this.#elapsed;
  /** Bytes of WebM handed over by the encoder so far. */
  readonly bytes: ReadableStore<number> = this.#bytes;
  /** The participant recorded alone, or null for the whole call. */
  readonly participant: string | null;
  readonly mimeType: string;
  readonly startedAt = new Date();
  readonly filename: string;
  /** The file, once stopped. */
  result: RecordingResult | null = null;
  /** Why the recording failed, if it did. */
  error: RtcError | null = null;

  readonly #source: RecordingSource;
  readonly #options: RecordingOptions;
  readonly #compositor: Compositor;
  readonly #audio: AudioMix | null;
  readonly #recorder: MediaRecorder;
  readonly #ticker: Ticker;
  readonly #chunks: Blob[] = [];
  /** When encoding started (elapsed counts from there). */
  #t0?: number;
  #duration = 0;
  #name: string;
  #done?: Promise<RecordingResult>;
  #finish!: () => void;

  /** Use `session.startRecording()`; throws an RtcError when this browser cannot record. */
  constructor(source: RecordingSource, options: RecordingOptions = {}) {
    const mimeType = recordingMimeType();
    if (!mimeType || !canRecord()) throw new RtcError('media-failed', 'This browser cannot record the call (no WebM MediaRecorder).');
    this.#source = source;
    this.#options = options;
    this.participant = options.participant ?? null;
    const who = this.participant === null ? undefined : source.participants().find((p) => p.id === this.participant);
    if (this.participant !== null && !who) throw new RtcError('media-failed', 'That participant is not in the call.');
    this.#name = who?.name ?? '';
    this.filename = recordingFileName(source.room, this.startedAt, who ? (who.isLocal ? 'me' : who.name) : undefined);
    const fps = clamp(options.fps ?? 24, 1, 60);
    this.#compositor = new Compositor({ width: clamp(options.width ?? 1280, 16, 3840), height: clamp(options.height ?? 720, 16, 2160), fps });
    this.#audio = typeof AudioContext === 'function' ? tryAudioMix() : null;
    this.#frame();
    const tracks = [...this.#compositor.stream.getVideoTracks(), ...(this.#audio?.stream.getAudioTracks() ?? [])];
    try {
      this.#recorder = new MediaRecorder(new MediaStream(tracks), { mimeType, videoBitsPerSecond: options.videoBitsPerSecond });
      this.mimeType = this.#recorder.mimeType || mimeType;
      this.#recorder.ondataavailable = (e) => {
        if (!e.data.size) return;
        this.#chunks.push(e.data);
        this.#bytes.set(this.#bytes.get() + e.data.size);
      };
      this.#recorder.onerror = (e) => this.#fail((e as Event & { error?: unknown }).error);
      // Also when it stops by itself (its tracks ended).
      this.#recorder.onstop = () => this.#finish?.();
    } catch (cause) {
      this.#compositor.close();
      void this.#audio?.close();
      throw new RtcError('media-failed', 'The recording could not start.', { cause });
    }
    this.#ticker = startTicker(Math.round(1000 / fps), () => this.#frame());
    this.#done = new Promise<void>((resolve) => (this.#finish = resolve)).then(() => this.#release());
    void this.#begin(clamp(options.timeslice ?? 1000, 100, 60_000));
  }

  /**
   * Start encoding once the mix runs: an AudioContext starts suspended (Firefox always, Chromium
   * without a click) and gives no sound until it runs, so the sound would start late and the
   * file's sound be shorter than its picture. Not waited for more than AUDIO_START_MS.
   */
  async #begin(timeslice: number): Promise<void> {
    const ctx = this.#audio?.context;
    if (ctx && ctx.state !== 'running') {
      await Promise.race([ctx.resume().catch(() => undefined), new Promise((r) => setTimeout(r, AUDIO_START_MS))]);
    }
    if (this.#state.get() !== 'recording') return this.#finish();
    try {
      this.#recorder.start(timeslice);
      this.#t0 = performance.now();
    } catch (cause) {
      this.#fail(cause);
    }
  }

  /** The recorded AudioContext (tests check that it is closed after stop), or null without Web Audio. */
  get audioContext(): AudioContext | null {
    return this.#audio?.context ?? null;
  }

  /** The canvas track that is recorded (tests check that it ended after stop). */
  get videoTrack(): MediaStreamTrack {
    return this.#compositor.stream.getVideoTracks()[0]!;
  }

  /** Stop and make the file (the same result however often it is called). */
  stop(): Promise<RecordingResult> {
    if (this.#state.get() === 'recording') this.#state.set('stopping');
    this.#ticker.stop();
    if (this.#recorder.state !== 'inactive') {
      try {
        this.#recorder.stop(); // → the last dataavailable, then onstop → #finish
      } catch {
        this.#finish();
      }
    } else {
      this.#finish();
    }
    // A recorder that never says it stopped must not hold the devices' tracks for ever.
    const timer = setTimeout(() => this.#finish(), STOP_TIMEOUT_MS);
    return this.#done!.finally(() => clearTimeout(timer));
  }

  #frame(): void {
    const all = this.#source.participants();
    const shown = this.participant === null ? all : all.filter((p) => p.id === this.participant);
    if (this.participant !== null && !shown.length) this.#compositor.drawMessage(`${this.#name} left the call`);
    else {
      const tiles = shown.flatMap(tilesOf);
      this.#compositor.draw(tiles, this.#spotlight(shown, tiles));
    }
    this.#audio?.sync(shown.flatMap((p) => this.#source.audioOf(p)));
    if (this.#t0 === undefined) return;
    const ms = performance.now() - this.#t0;
    this.#elapsed.set(Math.floor(ms / ELAPSED_STEP_MS) * ELAPSED_STEP_MS);
  }

  /** The tile shown large: the room's spotlight (their screen, if they share one), else a shared screen. */
  #spotlight(shown: readonly RecordedParticipant[], tiles: readonly CompositorTile[]): string | null {
    if (tiles.length < 2) return null;
    const asked = this.#options.spotlight?.();
    if (asked !== undefined) {
      const screen = screenId(asked ?? '');
      return tiles.some((t) => t.id === screen) ? screen : asked;
    }
    // As the others see it: a shared screen large, ours included.
    return tiles.find((t) => t.screenSharing)?.id ?? null;
  }

  #fail(cause: unknown): void {
    this.error = new RtcError('media-failed', 'The recording stopped because of an error.', { cause });
    void this.stop();
  }

  #release(): RecordingResult {
    if (this.result) return this.result;
    this.#ticker.stop();
    this.#duration = this.#t0 === undefined ? 0 : performance.now() - this.#t0;
    this.#compositor.close();
    void this.#audio?.close();
    this.#recorder.ondataavailable = null;
    this.result = {
      blob: new Blob(this.#chunks, { type: 'video/webm' }),
      filename: this.filename,
      mimeType: this.mimeType,
      duration: this.#duration,
      participant: this.participant,
    };
    this.#state.set(this.error ? 'failed' : 'stopped');
    return this.result;
  }
}

const screenId = (id: string) => `${id}:screen`;

/** A participant's tiles: their camera, and a screen they share beside it in a tile of its own. */
function tilesOf(p: RecordedParticipant): CompositorTile[] {
  const screen = p.screenStream?.getVideoTracks().length ? p.screenStream : null;
  if (!screen) return [p];
  return [
    { ...p, screenSharing: false },
    { id: screenId(p.id), name: `${p.name} (screen)`, stream: screen, videoMuted: false, screenSharing: true },
  ];
}

function tryAudioMix(): AudioMix | null {
  try {
    return new AudioMix();
  } catch {
    return null; // the picture is still recorded
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isFinite(n) ? n : min));
}
