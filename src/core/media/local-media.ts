import { store } from '../state/store.js';
import { RtcError, mediaError, type MediaKind } from '../errors.js';
import { DeviceManager, type DeviceKind, type DevicesState } from './devices.js';
import { canShareScreen, captureScreen } from './screen-share.js';

export interface MediaRequest {
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
}

export interface LocalMediaState {
  /** The local stream (preview); holds whatever camera and microphone tracks are live. */
  stream: MediaStream;
  /** A live microphone track exists. */
  hasAudio: boolean;
  /** A live camera track exists (false while the camera is off). */
  hasVideo: boolean;
  /** The microphone sends sound (false = muted). */
  audioEnabled: boolean;
  /** The camera is on (it keeps going out while the screen is shared). */
  videoEnabled: boolean;
  /** Why a device is unavailable, per kind. */
  errors: Partial<Record<MediaKind, RtcError>>;
  /** getUserMedia has been asked at least once. */
  acquired: boolean;
  /** The screen is being shared: it goes out beside the camera, on transceivers of its own. */
  screenSharing: boolean;
  /** The shared screen while sharing (its video track, and its sound where the browser gave it), else null. */
  screenStream: MediaStream | null;
  /** The browser can share the screen (getDisplayMedia exists): else hide the button. */
  canShareScreen: boolean;
}

const DEVICE: Record<MediaKind, DeviceKind> = { audio: 'audioinput', video: 'videoinput' };
const NAME = { audio: 'microphone', video: 'camera' } as const;

/**
 * The local microphone, camera and shared screen. Muting the microphone disables its track (no
 * renegotiation); turning the camera off stops its track so the camera light goes out. Every
 * change of what goes out (device switch, camera on) is handed to `onTrackChange`, which the
 * session turns into replaceTrack on the existing senders; the shared screen goes to
 * `onScreenChange`, which sends it beside the camera (its own transceivers).
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
    screenSharing: false,
    screenStream: null,
    canShareScreen: canShareScreen(),
  });
  readonly state = this.#state;
  /** Called when the outgoing track of a kind is replaced or removed, so peers swap it on their senders; awaited. */
  onTrackChange?: (kind: MediaKind, track: MediaStreamTrack | null) => Promise<void> | void;
  /** Called when the screen share starts (its stream) or stops (null), so peers send it or stop; awaited. */
  onScreenChange?: (screen: MediaStream | null) => Promise<void> | void;
  /** Problems found without being asked (a device went away); the call goes on. */
  onError?: (error: RtcError) => void;
  #pending?: Promise<LocalMediaState>;
  /** Bumped by stop(): a getUserMedia that answers after it must not bring the devices back. */
  #generation = 0;
  #request: MediaRequest = { audio: true, video: true };
  /** Turned off by the user: acquire() (e.g. join() after a pre-join step) does not open them again. */
  readonly #turnedOff = new Set<MediaKind>();
  /** Track operations run one at a time, so two quick switches cannot leave two cameras open. */
  #lock: Promise<unknown> = Promise.resolve();
  #screen: MediaStream | null = null;
  #sharing?: Promise<void>;
  #unfollow?: () => void;

  /** `devices` gives the chosen device per kind and hears which one is in use. */
  constructor(readonly devices: DeviceManager = new DeviceManager({ storageKey: null })) {}

  get audioTrack(): MediaStreamTrack | null {
    return this.#state.get().stream.getAudioTracks()[0] ?? null;
  }
  /** The camera track (also while the screen is shared). */
  get videoTrack(): MediaStreamTrack | null {
    return this.#state.get().stream.getVideoTracks()[0] ?? null;
  }
  /** What the camera's video senders carry: the camera (the screen has senders of its own since P2P 1.6). */
  get outgoingVideo(): MediaStreamTrack | null {
    return this.videoTrack;
  }
  /** The shared screen's stream (video, and audio where given) while sharing, else null. */
  get screenStream(): MediaStream | null {
    return this.#screen;
  }

  /**
   * Open the devices asked for, preferring the chosen ones. A device that fails is reported in
   * `errors` and the rest still opens: a denied camera leaves an audio-only call, no devices at
   * all leaves a receive-only one.
   */
  acquire(request: MediaRequest = this.#request): Promise<LocalMediaState> {
    this.#request = request;
    this.#follow();
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
    const want = (['audio', 'video'] as const).filter((k) => request[k] && !this.#track(k) && !this.#turnedOff.has(k));
    let tracks: MediaStreamTrack[] = [];
    if (want.length) {
      try {
        tracks = (await this.#getUserMedia(Object.fromEntries(want.map((k) => [k, this.#constraints(k, 'exact')])))).getTracks();
      } catch (err) {
        // Ask again per device, so one failure (e.g. camera denied, or the chosen camera gone)
        // does not cost the other.
        if (want.length === 1 && !this.#chosen(want[0])) errors[want[0]] = mediaError(err, want[0]);
        else
          for (const kind of want) {
            try {
              tracks.push(await this.#openPreferred(kind));
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
    // Labels and ids are only listed once a device was granted.
    if (tracks.length) void this.devices.refresh();
    return this.#state.get();
  }

  async #getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    if (!navigator.mediaDevices?.getUserMedia) throw new TypeError('getUserMedia is not available');
    return navigator.mediaDevices.getUserMedia(constraints);
  }

  /** The chosen (or in use) device of a kind; '' = the browser's default. */
  #chosen(kind: MediaKind): string {
    return this.devices.state.get().selected[DEVICE[kind]];
  }

  /**
   * Open the chosen device, or the default one if the chosen one is gone. `exact` then a retry,
   * because Chromium ignores `ideal` for microphones and opens its default one.
   */
  async #openPreferred(kind: MediaKind): Promise<MediaStreamTrack> {
    try {
      return (await this.#getUserMedia({ [kind]: this.#constraints(kind, 'exact') })).getTracks()[0];
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      if (!this.#chosen(kind) || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) throw err;
      return (await this.#getUserMedia({ [kind]: this.#constraints(kind, 'none') })).getTracks()[0];
    }
  }

  /** The request for one kind with the chosen device (`exact`: fail if it is gone), or without one. */
  #constraints(kind: MediaKind, mode: 'exact' | 'none', deviceId = this.#chosen(kind)): boolean | MediaTrackConstraints {
    const base = this.#request[kind] || true;
    const { deviceId: _ignored, ...rest } = typeof base === 'object' ? base : ({} as MediaTrackConstraints);
    if (mode === 'none' || !deviceId) return typeof base === 'object' ? rest : true;
    return { ...rest, deviceId: { [mode]: deviceId } };
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
    if (on) {
      this.#turnedOff.delete('video');
      if (!this.videoTrack) await this.#reopen('video');
      return;
    }
    this.#turnedOff.add('video');
    // Queued behind a camera still opening (on, then off at once): that one must not stay on.
    await this.#serial(async () => {
      const current = this.videoTrack;
      if (current) {
        this.#removeTrack(current);
        await this.onTrackChange?.('video', null);
      }
      this.#publish();
    });
  }

  #reopen(kind: MediaKind): Promise<void> {
    return this.#serial(async () => {
      if (this.#track(kind)) return;
      const generation = this.#generation;
      try {
        const track = await this.#openPreferred(kind);
        if (generation !== this.#generation) {
          track.stop(); // stopped meanwhile
          return;
        }
        this.#clearError(kind);
        this.#addTrack(track);
        await this.#sendTrack(kind, track);
      } catch (err) {
        const s = this.#state.get();
        this.#state.set({ ...s, errors: { ...s.errors, [kind]: mediaError(err, kind) } });
        throw this.#state.get().errors[kind];
      } finally {
        this.#publish();
      }
    });
  }

  /**
   * Use another camera or microphone. If one is open, the new device opens first and its track
   * replaces the old one (mute state kept), then the old one stops; if none is open (camera
   * off), the choice applies when it next opens. Rejects with an RtcError naming the device.
   */
  switchDevice(kind: MediaKind, deviceId: string): Promise<void> {
    return this.#serial(async () => {
      const old = this.#track(kind);
      if (!old) return;
      const generation = this.#generation;
      const chosen = { label: this.devices.find(DEVICE[kind], deviceId)?.label };
      const open = async (id: string) => (await this.#getUserMedia({ [kind]: this.#constraints(kind, id ? 'exact' : 'none', id) })).getTracks()[0];
      let track: MediaStreamTrack;
      try {
        track = await open(deviceId);
      } catch (err) {
        const name = (err as { name?: string } | null)?.name;
        if (name !== 'NotReadableError' && name !== 'AbortError') throw mediaError(err, kind, chosen);
        // Some systems open a camera only once: release the old device and try again; if that
        // fails too, take the old one back so a failed switch never costs the device.
        const oldId = old.getSettings?.().deviceId ?? '';
        this.#removeTrack(old);
        try {
          track = await open(deviceId);
        } catch (e) {
          await this.#restore(kind, old, await open(oldId).catch(() => null), generation);
          throw mediaError(e, kind, chosen);
        }
      }
      await this.#restore(kind, old, track, generation);
    });
  }

  /** Put `track` in the place of `old` (which may already be stopped): same mute state, senders first, then stop. */
  async #restore(kind: MediaKind, old: MediaStreamTrack, track: MediaStreamTrack | null, generation: number): Promise<void> {
    if (generation !== this.#generation) {
      track?.stop(); // stop() ran meanwhile
      return;
    }
    const stream = this.#state.get().stream;
    stream.removeTrack(old);
    if (track) {
      track.enabled = old.enabled;
      this.#addTrack(track);
      this.#clearError(kind);
    }
    this.#publish();
    // Swap on the senders before stopping the old track, so peers never see a gap.
    await this.#sendTrack(kind, track);
    old.onended = null;
    old.stop();
  }

  /**
   * Share the screen: it goes out beside the camera until stopScreenShare() or the browser's own
   * "Stop sharing"; the camera stays as it was. Resolves
   * when sharing started or the user cancelled; rejects with 'screen-share-failed'.
   */
  startScreenShare(): Promise<void> {
    if (this.#screen) return Promise.resolve();
    this.#sharing ??= this.#startScreenShare().finally(() => (this.#sharing = undefined));
    return this.#sharing;
  }

  async #startScreenShare(): Promise<void> {
    const generation = this.#generation;
    const screen = await captureScreen();
    if (!screen) return; // the user cancelled the picker
    if (generation !== this.#generation) {
      for (const t of screen.getTracks()) t.stop();
      return;
    }
    this.#screen = screen;
    // `onended`, not addEventListener: Firefox delivers a track's ended only to the handler property.
    // The picture's end (the browser's "Stop sharing") ends the share; its sound alone does not.
    screen.getVideoTracks()[0]!.onended = () => void this.stopScreenShare();
    this.#state.set({ ...this.#state.get(), screenSharing: true, screenStream: screen });
    await this.onScreenChange?.(screen);
  }

  /** Stop sharing the screen: its tracks stop, the camera goes on as it was. */
  async stopScreenShare(): Promise<void> {
    const screen = this.#screen;
    if (!screen) return;
    this.#screen = null;
    this.#state.set({ ...this.#state.get(), screenSharing: false, screenStream: null });
    await this.onScreenChange?.(null);
    for (const t of screen.getTracks()) {
      t.onended = null;
      t.stop();
    }
  }

  /** Stop every track, the shared screen included (leaving the call or removing the element). */
  stop(): void {
    this.#generation++;
    this.#pending = undefined;
    this.#turnedOff.clear(); // a later start is a fresh one
    this.#unfollow?.();
    this.#unfollow = undefined;
    for (const track of this.#state.get().stream.getTracks()) this.#removeTrack(track);
    for (const t of this.#screen?.getTracks() ?? []) {
      t.onended = null;
      t.stop();
    }
    this.#screen = null;
    this.#state.set({ ...this.#state.get(), screenSharing: false, screenStream: null });
    this.#publish();
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(op, op);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  async #sendTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    await this.onTrackChange?.(kind, track);
  }

  #track(kind: MediaKind): MediaStreamTrack | null {
    return kind === 'audio' ? this.audioTrack : this.videoTrack;
  }

  #addTrack(track: MediaStreamTrack): void {
    const stream = this.#state.get().stream;
    // A device unplugged or revoked ends its track (stop() never fires 'ended'): fall back. The
    // handler property, as Firefox does not deliver ended to addEventListener listeners.
    track.onended = () => {
      if (stream.getTracks().includes(track)) void this.#lost(track.kind as MediaKind, track);
    };
    stream.addTrack(track);
    const id = track.getSettings?.().deviceId;
    if (id) this.devices.markInUse(DEVICE[track.kind as MediaKind], id);
  }

  #removeTrack(track: MediaStreamTrack): void {
    // Detach before stopping: Chromium keeps every getUserMedia result reachable after it is
    // stopped, and with it any handler still attached (one per call, found by the join/leave
    // cycle test).
    track.onended = null;
    track.stop();
    this.#state.get().stream.removeTrack(track);
  }

  /**
   * The device in use went away (unplugged, or taken by the system): drop its track and open the
   * default device instead, keeping the mute state, and say so. The call goes on either way.
   */
  #lost(kind: MediaKind, track: MediaStreamTrack): Promise<void> {
    return this.#serial(async () => {
      const stream = this.#state.get().stream;
      if (!stream.getTracks().includes(track)) return;
      const generation = this.#generation;
      const enabled = track.enabled;
      this.#removeTrack(track);
      await this.#sendTrack(kind, null);
      this.#publish();
      const device = NAME[kind];
      try {
        const [next] = (await this.#getUserMedia({ [kind]: this.#constraints(kind, 'none') })).getTracks();
        if (generation !== this.#generation || this.#track(kind)) {
          next.stop();
          return;
        }
        next.enabled = enabled;
        this.#addTrack(next);
        this.#publish();
        await this.#sendTrack(kind, next);
        const name = next.label ? `“${next.label}”` : `the default ${device}`;
        this.onError?.(new RtcError('device-lost', `Your ${device} was disconnected. Using ${name} instead.`, { kind }));
      } catch (err) {
        if (generation !== this.#generation) return;
        const s = this.#state.get();
        this.#state.set({ ...s, errors: { ...s.errors, [kind]: mediaError(err, kind) } });
        this.onError?.(new RtcError('device-lost', `Your ${device} was disconnected, and no other ${device} could be started.`, { kind, cause: err }));
      }
    });
  }

  /** Follow the device list: a device in use that leaves it is lost even if its track did not end. */
  #follow(): void {
    if (this.#unfollow) return;
    let before: DevicesState = this.devices.state.get();
    this.#unfollow = this.devices.state.listen((now) => {
      const was = before;
      before = now;
      for (const kind of ['audio', 'video'] as const) {
        const track = this.#track(kind);
        const id = track?.getSettings?.().deviceId;
        if (!track || !id) continue;
        const listed = (s: DevicesState) => s[DEVICE[kind]].some((d) => d.deviceId === id);
        if (listed(was) && !listed(now)) void this.#lost(kind, track);
      }
    });
  }

  #clearError(kind: MediaKind): void {
    const s = this.#state.get();
    if (!s.errors[kind]) return;
    const errors = { ...s.errors };
    delete errors[kind];
    this.#state.set({ ...s, errors });
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
