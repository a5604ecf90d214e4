import { store, type ReadableStore } from '../state/store.js';

export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

export interface DeviceOption {
  deviceId: string;
  groupId: string;
  kind: DeviceKind;
  /** Never empty: "Camera 2" etc. when the browser hides labels (before permission). */
  label: string;
}

export interface DevicesState {
  audioinput: DeviceOption[];
  videoinput: DeviceOption[];
  audiooutput: DeviceOption[];
  /** The device in use or chosen per kind; '' = the browser's default. */
  selected: Record<DeviceKind, string>;
  /** HTMLMediaElement.prototype.setSinkId exists: offer a speaker picker, else hide it. */
  speakerSelectable: boolean;
  /** enumerateDevices has answered at least once. */
  ready: boolean;
}

export interface DeviceManagerOptions {
  /** localStorage key for the remembered choices; null = remember nothing. */
  storageKey?: string | null;
}

export const DEVICE_KINDS: readonly DeviceKind[] = ['audioinput', 'videoinput', 'audiooutput'];
const DEFAULT_KEY = 'rtc-widgets:devices';
const FALLBACK_LABEL: Record<DeviceKind, string> = { audioinput: 'Microphone', videoinput: 'Camera', audiooutput: 'Speaker' };

/**
 * The camera, microphone and speaker lists, kept current while watched (`devicechange`), and the
 * choice per kind, remembered in localStorage so the next visit opens the same devices. It only
 * lists and remembers: opening devices and swapping tracks is the session's job.
 */
export class DeviceManager {
  readonly #state = store<DevicesState>({
    audioinput: [],
    videoinput: [],
    audiooutput: [],
    selected: { audioinput: '', videoinput: '', audiooutput: '' },
    speakerSelectable: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
    ready: false,
  });
  readonly state: ReadableStore<DevicesState> = this.#state;
  readonly #key: string | null;
  /** The choices, also when nothing is stored (storageKey null, or storage blocked). */
  readonly #chosen: Partial<Record<DeviceKind, string>>;
  #watchers = 0;
  #refreshing?: Promise<void>;
  #again = false;
  readonly #onChange = () => void this.refresh();

  constructor(options: DeviceManagerOptions = {}) {
    this.#key = options.storageKey === undefined ? DEFAULT_KEY : options.storageKey;
    this.#chosen = this.#load();
    this.#state.set({ ...this.#state.get(), selected: { ...this.#state.get().selected, ...this.#chosen } });
  }

  /** Enumerate now and follow `devicechange` until the returned function is called (ref-counted). */
  watch(): () => void {
    const md = navigator.mediaDevices;
    if (this.#watchers++ === 0) md?.addEventListener?.('devicechange', this.#onChange);
    void this.refresh();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.#watchers === 0) md?.removeEventListener?.('devicechange', this.#onChange);
    };
  }

  /** Enumerate the devices again (after permission was granted labels appear). */
  refresh(): Promise<void> {
    // One enumeration at a time; a change during it asks for exactly one more.
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    const run = async (): Promise<void> => {
      do {
        this.#again = false;
        await this.#enumerate();
      } while (this.#again);
    };
    this.#refreshing = run().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** Record a choice (remembered for next time). Does not touch tracks. */
  choose(kind: DeviceKind, deviceId: string): void {
    const s = this.#state.get();
    if (s.selected[kind] !== deviceId) this.#state.set({ ...s, selected: { ...s.selected, [kind]: deviceId } });
    if (deviceId) this.#chosen[kind] = deviceId;
    else delete this.#chosen[kind];
    // Another tab may have remembered other kinds meanwhile: merge into what is stored.
    const saved = { ...this.#load(), [kind]: deviceId };
    if (!deviceId) delete saved[kind];
    this.#save(saved);
  }

  /** The remembered choice, if any. */
  preferred(kind: DeviceKind): string | undefined {
    return this.#chosen[kind] || undefined;
  }

  /** Note which device is actually in use (e.g. after a fallback) without remembering it. */
  markInUse(kind: DeviceKind, deviceId: string): void {
    const s = this.#state.get();
    if (s.selected[kind] !== deviceId) this.#state.set({ ...s, selected: { ...s.selected, [kind]: deviceId } });
  }

  /** The listed device with this id, if it is still there. */
  find(kind: DeviceKind, deviceId: string): DeviceOption | undefined {
    return this.#state.get()[kind].find((d) => d.deviceId === deviceId);
  }

  async #enumerate(): Promise<void> {
    let raw: MediaDeviceInfo[];
    try {
      raw = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    } catch {
      raw = []; // no permission to list, or no mediaDevices (insecure page): an empty list
    }
    const lists: Record<DeviceKind, DeviceOption[]> = { audioinput: [], videoinput: [], audiooutput: [] };
    for (const d of raw) {
      const kind = d.kind as DeviceKind;
      const list = lists[kind];
      // Before permission the browser hides ids too; one entry per kind is all that tells us.
      if (!list || list.some((x) => x.deviceId === d.deviceId)) continue;
      list.push({ deviceId: d.deviceId, groupId: d.groupId, kind, label: d.label || `${FALLBACK_LABEL[kind]} ${list.length + 1}` });
    }
    this.#state.set({ ...this.#state.get(), ...lists, ready: true });
  }

  #load(): Partial<Record<DeviceKind, string>> {
    if (!this.#key) return {};
    try {
      const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(this.#key) ?? '{}');
      const out: Partial<Record<DeviceKind, string>> = {};
      if (parsed && typeof parsed === 'object')
        for (const kind of DEVICE_KINDS) {
          const id = (parsed as Record<string, unknown>)[kind];
          if (typeof id === 'string' && id.length <= 512) out[kind] = id;
        }
      return out;
    } catch {
      return {}; // storage blocked (private mode, sandboxed iframe) or garbage: remember nothing
    }
  }

  #save(value: Partial<Record<DeviceKind, string>>): void {
    if (!this.#key) return;
    try {
      globalThis.localStorage?.setItem(this.#key, JSON.stringify(value));
    } catch {
      // storage full or blocked: the choice still holds for this page
    }
  }
}
