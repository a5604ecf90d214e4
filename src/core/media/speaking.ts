import { watchAudioLevel } from './audio-level.js';

/** Tuning of speaking detection (levels are linear 0..1, as RTCRtpSynchronizationSource.audioLevel). */
export const SPEAKING = {
  /** A level at or above this counts as speech. */
  threshold: 0.03,
  /** Speaking ends after this long below the threshold (bridges pauses between words). */
  holdMs: 700,
  /** How often remote receivers are read. */
  pollMs: 200,
} as const;

/** Where remote audio levels come from: a receiver per participant key. */
export type ReceiverSource = () => Iterable<[key: string, receiver: RTCRtpReceiver | undefined]>;

interface Voice {
  speaking: boolean;
  lastLoud: number;
  /** Timestamp of the newest synchronization source seen (remote only): unchanged means no new audio. */
  lastPacket?: number;
}

/**
 * Who is speaking: the local microphone through an AnalyserNode, remote participants through
 * their audio receiver's synchronization sources (the audio level the sender put in each RTP
 * packet). Calls `onChange` only when someone starts or stops speaking, never per reading.
 */
export class SpeakingMonitor {
  readonly #voices = new Map<string, Voice>();
  readonly #onChange: () => void;
  #lastSpeaker: string | null = null;
  #local?: { key: string; track: MediaStreamTrack; stop: () => void };
  #timer?: ReturnType<typeof setInterval>;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  isSpeaking(key: string): boolean {
    return this.#voices.get(key)?.speaking ?? false;
  }

  /** Who started speaking most recently (may have stopped since); null once they are gone. */
  get lastSpeaker(): string | null {
    return this.#lastSpeaker;
  }

  /** Watch the local microphone; null (no microphone, or muted) is silence at once. */
  setLocal(key: string, track: MediaStreamTrack | null): void {
    if (this.#local?.track === track && this.#local.key === key) return;
    this.#local?.stop();
    this.#local = undefined;
    if (!track) {
      this.#set(key, false);
      return;
    }
    const stop = watchAudioLevel(track, (level) => this.#level(key, level, performance.now()));
    this.#local = { key, track, stop };
  }

  /** Read remote levels every SPEAKING.pollMs until stopPolling(). */
  startPolling(source: ReceiverSource): void {
    this.stopPolling();
    this.#timer = setInterval(() => this.#poll(source), SPEAKING.pollMs);
  }

  stopPolling(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Forget a participant (left, or muted: silence at once). */
  forget(key: string): void {
    const had = this.#voices.get(key)?.speaking;
    this.#voices.delete(key);
    const wasLast = this.#lastSpeaker === key;
    if (wasLast) this.#lastSpeaker = null;
    if (had || wasLast) this.#onChange();
  }

  /** Stop everything (leaving): the local analyser, the poller, all state. */
  stop(): void {
    this.stopPolling();
    this.#local?.stop();
    this.#local = undefined;
    const changed = [...this.#voices.values()].some((v) => v.speaking) || this.#lastSpeaker !== null;
    this.#voices.clear();
    this.#lastSpeaker = null;
    if (changed) this.#onChange();
  }

  #poll(source: ReceiverSource): void {
    const now = performance.now();
    for (const [key, receiver] of source()) {
      if (!receiver) {
        this.#set(key, false); // muted, or no audio yet
        continue;
      }
      let level = 0;
      let newest = 0;
      for (const s of receiver.getSynchronizationSources?.() ?? []) {
        newest = Math.max(newest, s.timestamp);
        level = Math.max(level, s.audioLevel ?? 0);
      }
      const voice = this.#voices.get(key);
      // No packet since the last reading (the sender stopped): the remembered level is stale.
      const fresh = newest > 0 && newest !== voice?.lastPacket;
      this.#level(key, fresh ? level : 0, now);
      const v = this.#voices.get(key);
      if (v) v.lastPacket = newest;
    }
  }

  #level(key: string, level: number, now: number): void {
    let voice = this.#voices.get(key);
    if (!voice) this.#voices.set(key, (voice = { speaking: false, lastLoud: -Infinity }));
    if (level >= SPEAKING.threshold) {
      voice.lastLoud = now;
      if (!voice.speaking) this.#set(key, true);
    } else if (voice.speaking && now - voice.lastLoud >= SPEAKING.holdMs) {
      this.#set(key, false);
    }
  }

  #set(key: string, speaking: boolean): void {
    let voice = this.#voices.get(key);
    if (!voice) {
      if (!speaking) return;
      this.#voices.set(key, (voice = { speaking: false, lastLoud: performance.now() }));
    }
    if (voice.speaking === speaking) return;
    voice.speaking = speaking;
    if (speaking) this.#lastSpeaker = key;
    this.#onChange();
  }
}
