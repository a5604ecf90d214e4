/**
 * The pre-join step without the call engine: the camera and microphone preview, the device
 * choice and the name. `<rtc-room>` shows it at once from the page's first script while the
 * engine (RtcSession: signaling, peer connections, data channels) loads in the background; the
 * session then adopts the same devices and tracks, so the preview never restarts.
 */
import { store, type ReadableStore } from '../state/store.js';
import { RtcError } from '../errors.js';
import { LocalMedia, type LocalMediaState, type MediaRequest } from '../media/local-media.js';
import { DeviceManager, type DeviceKind, type DeviceManagerOptions } from '../media/devices.js';
import { roleInToken } from '../moderation/token-hint.js';
import type { RoomMode } from '../signaling/protocol.js';
import type { SessionStatus } from '../session.js';

/** What the pre-join elements work on: RtcSession has all of it, and so does CallSetup. */
export interface PrejoinSession {
  readonly room: string;
  /** Cameras, microphones and speakers, and the choice per kind. */
  readonly devices: DeviceManager;
  readonly localMedia: ReadableStore<LocalMediaState>;
  readonly status: ReadableStore<SessionStatus>;
  readonly error: ReadableStore<RtcError | null>;
  readonly name: string;
  readonly requestedMedia: Readonly<MediaRequest>;
  readonly isViewer: boolean;
  readonly mayPresent: boolean;
  /** Open the camera and microphone for the preview. Never rejects: see localMedia.errors. */
  startMedia(): Promise<LocalMediaState>;
  selectDevice(kind: DeviceKind, deviceId: string): Promise<void>;
  join(name?: string): Promise<void>;
}

export interface CallSetupOptions {
  room: string;
  name?: string;
  /** A join token (only read for the role it carries: a viewer opens no device). */
  token?: string;
  media?: MediaRequest;
  viewer?: boolean;
  mode?: RoomMode;
  devices?: DeviceManagerOptions;
  /** Joins for real: loads the engine and hands over (the setup shows 'joining' meanwhile). */
  join: (name: string | undefined) => Promise<void>;
}

export class CallSetup implements PrejoinSession {
  readonly room: string;
  readonly devices: DeviceManager;
  /** The tracks of the preview; the session that takes over keeps them. */
  readonly media: LocalMedia;
  readonly localMedia: ReadableStore<LocalMediaState>;
  readonly #status = store<SessionStatus>('idle');
  readonly #error = store<RtcError | null>(null);
  readonly status: ReadableStore<SessionStatus> = this.#status;
  readonly error: ReadableStore<RtcError | null> = this.#error;
  readonly #options: CallSetupOptions;
  #name: string;
  #unwatchDevices?: () => void;

  constructor(options: CallSetupOptions) {
    this.#options = options;
    this.room = options.room;
    this.#name = options.name ?? '';
    this.devices = new DeviceManager(options.devices);
    this.media = new LocalMedia(this.devices);
    this.localMedia = this.media.state;
  }

  get name(): string {
    return this.#name;
  }

  get requestedMedia(): Readonly<MediaRequest> {
    return this.#options.media ?? { audio: true, video: true };
  }

  /** The same rules as RtcSession before joining: asked to watch, a viewer token, or a broadcast without a token role. */
  get isViewer(): boolean {
    const role = roleInToken(this.#options.token);
    return !!this.#options.viewer || role === 'viewer' || (this.#options.mode === 'broadcast' && !role);
  }

  get mayPresent(): boolean {
    return this.#options.mode === 'broadcast' && !this.#options.viewer && !roleInToken(this.#options.token);
  }

  async startMedia(): Promise<LocalMediaState> {
    if (this.isViewer) return this.media.state.get();
    this.#unwatchDevices ??= this.devices.watch();
    const state = await this.media.acquire(this.#options.media);
    const first = Object.values(state.errors).find((e) => e);
    if (first) this.#error.set(first);
    return state;
  }

  async selectDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    try {
      if (kind !== 'audiooutput') await this.media.switchDevice(kind === 'audioinput' ? 'audio' : 'video', deviceId);
      this.devices.choose(kind, deviceId);
    } catch (err) {
      if (err instanceof RtcError) this.#error.set(err);
      else throw err;
    }
  }

  async join(name?: string): Promise<void> {
    if (this.#status.get() === 'joining') return;
    if (name !== undefined) this.#name = name;
    this.#status.set('joining');
    try {
      await this.#options.join(name);
    } finally {
      this.#status.set('idle');
    }
  }

  /** The session took the devices over: stop following them here (it follows them itself). */
  release(): void {
    this.#unwatchDevices?.();
    this.#unwatchDevices = undefined;
  }

  /** Nobody takes over (the element went away, the room changed): stop the preview's tracks. */
  stop(): void {
    this.release();
    this.media.stop();
  }
}
