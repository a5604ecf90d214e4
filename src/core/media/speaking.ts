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
  /** When the current stretch of speech began (performance.now()). */
  since?: number;
  /** Timestamp of the newest synchronization source seen (remote only): unchanged means no new audio. */
  lastPacket?: number;
  /** Inbound audio energy and duration at the last reading (remote only). */
  lastEnergy?: { energy: number; duration: number };
}

/**
 * Who is speaking: the local microphone through an AnalyserNode, remote participants through
 * the inbound audio energy their receiver measured between two readings. Calls `onChange` only when someone starts or stops speaking, never per reading.
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

  /**
   * Who started speaking most recently; when they stop, whoever else still speaks (the latest to
   * start), else they stay (the spotlight rests on the last voice). Null once they are gone and
   * nobody speaks.
   */
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
    this.#timer = setInterval(() => void this.#poll(source), SPEAKING.pollMs);
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
    if (wasLast) this.#lastSpeaker = this.#latestSpeaking();
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

  #polling = false;
  async #poll(source: ReceiverSource): Promise<void> {
    if (this.#polling) return; // a slow getStats(): skip a beat rather than pile up
    this.#polling = true;
    try {
      const now = performance.now();
      await Promise.all(
        [...source()].map(async ([key, receiver]) => {
          if (!receiver) return this.#set(key, false); // muted, or no audio yet
          const level = await this.#remoteLevel(key, receiver);
          if (this.#timer !== undefined) this.#level(key, level, now); // not stopped meanwhile
        }),
      );
    } finally {
      this.#polling = false;
    }
  }

  /**
   * The level since the last reading: the mean of the inbound audio energy over the interval, so a
   * short word between two readings still counts. Where the stats lack energy, the level of the
   * newest packet (synchronization source), if one arrived since the last reading.
   */
  async #remoteLevel(key: string, receiver: RTCRtpReceiver): Promise<number> {
    let voice = this.#voices.get(key);
    if (!voice) this.#voices.set(key, (voice = { speaking: false, lastLoud: -Infinity }));
    const stats = await receiver.getStats().catch(() => undefined);
    let energy: { energy: number; duration: number } | undefined;
    stats?.forEach((r: { type: string; totalAudioEnergy?: number; totalSamplesDuration?: number }) => {
      if (r.type === 'inbound-rtp' && typeof r.totalAudioEnergy === 'number' && typeof r.totalSamplesDuration === 'number')
        energy = { energy: r.totalAudioEnergy, duration: r.totalSamplesDuration };
    });
    if (energy) {
      const last = voice.lastEnergy;
      voice.lastEnergy = energy;
      const d = last ? energy.duration - last.duration : 0;
      return d > 0 ? Math.sqrt(Math.max(0, energy.energy - last!.energy) / d) : 0;
    }
    let level = 0;
    let newest = 0;
    for (const s of receiver.getSynchronizationSources?.() ?? []) {
      newest = Math.max(newest, s.timestamp);
      level = Math.max(level, s.audioLevel ?? 0);
    }
    // No packet since the last reading (the sender stopped): the remembered level is stale.
    const fresh = newest > 0 && newest !== voice.lastPacket;
    voice.lastPacket = newest;
    return fresh ? level : 0;
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
    if (speaking) {
      voice.since = performance.now();
      this.#lastSpeaker = key;
    } else if (this.#lastSpeaker === key) {
      // Someone who was talking all along (e.g. while the one who stopped cut in) takes over.
      this.#lastSpeaker = this.#latestSpeaking() ?? key;
    }
    this.#onChange();
  }

  /** Of those speaking now, the one who started last. */
  #latestSpeaking(): string | null {
    let best: string | null = null;
    let since = -Infinity;
    for (const [key, v] of this.#voices) if (v.speaking && (v.since ?? 0) > since) [best, since] = [key, v.since ?? 0];
    return best;
  }
}
