import { store } from '../state/store.js';
import { RtcError, mediaError, type MediaKind } from '../errors.js';

export interface MediaRequest {
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
}

export interface LocalMediaState {
  /** The local stream (preview); holds whatever tracks are live. */
  stream: MediaStream;
  /** A live microphone track exists. */
  hasAudio: boolean;
  /** A live camera track exists (false while the camera is off). */
  hasVideo: boolean;
  /** The microphone sends sound (false = muted). */
  audioEnabled: boolean;
  /** The camera is on and sending. */
  videoEnabled: boolean;
  /** Why a device is unavailable, per kind. */
  errors: Partial<Record<MediaKind, RtcError>>;
  /** getUserMedia has been asked at least once. */
  acquired: boolean;
}

/**
 * The local microphone and camera. Muting the microphone disables its track (no renegotiation);
 * turning the camera off stops its track so the camera light goes out, and turning it on again
 * opens a new track that the session swaps in with replaceTrack.
 */
export class LocalMedia {
  readonly #state = store<LocalMediaState>({
    stream: new MediaStream(),
    hasAudio: false,
    hasVideo: false,
    audioEnabled: false,
    videoEnabled: false,
    errors: {},
    acquired: false,
  });
  readonly state = this.#state;
  /** Called when a track is replaced or removed, so peers can swap it on their senders; awaited. */
  onTrackChange?: (kind: MediaKind, track: MediaStreamTrack | null) => Promise<void> | void;
  #pending?: Promise<LocalMediaState>;
  /** Bumped by stop(): a getUserMedia that answers after it must not bring the devices back. */
  #generation = 0;
  #request: MediaRequest = { audio: true, video: true };

  get audioTrack(): MediaStreamTrack | null {
    return this.#state.get().stream.getAudioTracks()[0] ?? null;
  }
  get videoTrack(): MediaStreamTrack | null {
    return this.#state.get().stream.getVideoTracks()[0] ?? null;
  }

  /**
   * Open the devices asked for. A device that fails is reported in `errors` and the rest still
   * opens: a denied camera leaves an audio-only call, no devices at all leaves a receive-only one.
   */
  acquire(request: MediaRequest = this.#request): Promise<LocalMediaState> {
    this.#request = request;
    if (!this.#pending) {
      const pending: Promise<LocalMediaState> = this.#acquire(request).finally(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
      this.#pending = pending;
    }
    return this.#pending;
  }

  async #acquire(request: MediaRequest): Promise<LocalMediaState> {
    const generation = this.#generation;
    const errors: Partial<Record<MediaKind, RtcError>> = {};
    const want = (['audio', 'video'] as const).filter((k) => request[k] && !this.#track(k));
    let tracks: MediaStreamTrack[] = [];
    if (want.length) {
      try {
        tracks = (await this.#getUserMedia(Object.fromEntries(want.map((k) => [k, request[k]])))).getTracks();
      } catch (err) {
        // Ask again per device, so one failure (e.g. camera denied) does not cost the other.
        if (want.length === 1) errors[want[0]] = mediaError(err, want[0]);
        else
          for (const kind of want) {
            try {
              tracks.push(...(await this.#getUserMedia({ [kind]: request[kind] })).getTracks());
            } catch (e) {
              errors[kind] = mediaError(e, kind);
            }
          }
      }
    }
    if (generation !== this.#generation) {
      // stop() ran while the browser was opening the devices: release what it opened.
      for (const track of tracks) track.stop();
      return this.#state.get();
    }
    for (const track of tracks) this.#addTrack(track);
    const s = this.#state.get();
    this.#state.set({ ...s, errors: { ...s.errors, ...errors }, acquired: true, ...this.#flags() });
    return this.#state.get();
  }

  async #getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    if (!navigator.mediaDevices?.getUserMedia) throw new TypeError('getUserMedia is not available');
    return navigator.mediaDevices.getUserMedia(constraints);
  }

  /** Mute or unmute the microphone: the track stays, so nothing is renegotiated. */
  async setAudioEnabled(on: boolean): Promise<void> {
    if (on && !this.audioTrack) {
      await this.#reopen('audio');
      if (!this.audioTrack) return;
    }
    const track = this.audioTrack;
    if (track) track.enabled = on;
    this.#publish();
  }

  /** Camera off stops the track (the light goes out); on opens the camera again. */
  async setVideoEnabled(on: boolean): Promise<void> {
    const current = this.videoTrack;
    if (!on) {
      if (current) {
        this.#removeTrack(current);
        await this.onTrackChange?.('video', null);
      }
      this.#publish();
      return;
    }
    if (current) return;
    await this.#reopen('video');
  }

  async #reopen(kind: MediaKind): Promise<void> {
    const request = this.#request[kind] || true;
    const generation = this.#generation;
    try {
      const [track] = (await this.#getUserMedia({ [kind]: request })).getTracks();
      if (generation !== this.#generation) {
        track.stop(); // stopped meanwhile
        return;
      }
      const s = this.#state.get();
      const errors = { ...s.errors };
      delete errors[kind];
      this.#state.set({ ...s, errors });
      this.#addTrack(track);
      await this.onTrackChange?.(kind, track);
    } catch (err) {
      const s = this.#state.get();
      this.#state.set({ ...s, errors: { ...s.errors, [kind]: mediaError(err, kind) } });
      throw this.#state.get().errors[kind];
    } finally {
      this.#publish();
    }
  }

  /** Stop every track (leaving the call or removing the element). */
  stop(): void {
    this.#generation++;
    this.#pending = undefined;
    for (const track of this.#state.get().stream.getTracks()) this.#removeTrack(track);
    this.#publish();
  }

  #track(kind: MediaKind): MediaStreamTrack | null {
    return kind === 'audio' ? this.audioTrack : this.videoTrack;
  }

  #addTrack(track: MediaStreamTrack): void {
    const stream = this.#state.get().stream;
    // A device unplugged or revoked ends its track: reflect it instead of showing a frozen frame.
    track.addEventListener('ended', () => {
      if (!stream.getTracks().includes(track)) return;
      stream.removeTrack(track);
      void this.onTrackChange?.(track.kind as MediaKind, null);
      this.#publish();
    });
    stream.addTrack(track);
  }

  #removeTrack(track: MediaStreamTrack): void {
    track.stop();
    this.#state.get().stream.removeTrack(track);
  }

  #flags() {
    const audio = this.audioTrack;
    const video = this.videoTrack;
    return {
      hasAudio: !!audio,
      hasVideo: !!video,
      audioEnabled: !!audio && audio.enabled,
      videoEnabled: !!video && video.enabled,
    };
  }

  #publish(): void {
    this.#state.set({ ...this.#state.get(), ...this.#flags() });
  }
}
