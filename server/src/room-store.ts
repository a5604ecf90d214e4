/**
 * Protocol-3 room state that outlives a socket (docs/protocol.md §5): each room's settings, bans
 * after `remove`, lobby admissions, and the roles of members whose connection dropped (so a resume
 * keeps its role). In memory for one process; in redis (plain keys with expiries) for a cluster, so
 * every process sees the same. Who is waiting in the lobby needs no store: knockers are members of
 * a socket.io room of their own, which the adapter lists across the cluster.
 */
import type { RoomSettings, Role } from 'rtc-widgets/protocol';
import type { RedisClient } from './redis.js';

export const DEFAULT_SETTINGS: Readonly<RoomSettings> = Object.freeze({ locked: false, lobby: false });

/** The settings as stored and sent: `mode` only in a broadcast room (a meeting's settings stay as version 3 had them). */
export function cleanSettings(s: Partial<RoomSettings>): RoomSettings {
  return { locked: s.locked === true, lobby: s.lobby === true, ...(s.mode === 'broadcast' ? { mode: 'broadcast' as const } : {}) };
}

export interface RoomStore {
  settings(room: string): Promise<RoomSettings>;
  setSettings(room: string, settings: RoomSettings): Promise<void>;
  /** Back to the defaults (the room ended, or it was empty). */
  clearSettings(room: string): Promise<void>;
  ban(room: string, keys: string[], ms: number): Promise<void>;
  /** Whether any of `keys` is banned in `room`. */
  banned(room: string, keys: string[]): Promise<boolean>;
  admit(room: string, id: string, ms: number): Promise<void>;
  admitted(room: string, id: string): Promise<boolean>;
  keepRole(room: string, id: string, role: Role, ms: number): Promise<void>;
  keptRole(room: string, id: string): Promise<Role | undefined>;
  /** A host ended `room`: for `ms`, no resume into it is trusted (not even right after a restart). */
  markEnded(room: string, ms: number): Promise<void>;
  ended(room: string): Promise<boolean>;
}

/** A map whose entries expire; swept as it grows. */
class Expiring<V> {
  #map = new Map<string, { value: V; until: number }>();
  set(key: string, value: V, ms: number): void {
    if (this.#map.size > 1000 && this.#map.size % 100 === 0) this.sweep();
    this.#map.set(key, { value, until: Date.now() + ms });
  }
  get(key: string): V | undefined {
    const e = this.#map.get(key);
    if (!e) return undefined;
    if (e.until <= Date.now()) {
      this.#map.delete(key);
      return undefined;
    }
    return e.value;
  }
  delete(key: string): void {
    this.#map.delete(key);
  }
  sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.#map) if (e.until <= now) this.#map.delete(k);
  }
}

/** Settings are kept this long after the last change (a room nobody uses forgets them). */
const SETTINGS_TTL_MS = 24 * 3600_000;
const SEP = '\n'; // never in a room name, a peer id or a ban key

export function memoryRoomStore(): RoomStore {
  const settings = new Expiring<RoomSettings>();
  const bans = new Expiring<true>();
  const admissions = new Expiring<true>();
  const roles = new Expiring<Role>();
  const ended = new Expiring<true>();
  return {
    async markEnded(room, ms) {
      ended.set(room, true, ms);
    },
    async ended(room) {
      return ended.get(room) === true;
    },
    async settings(room) {
      return { ...(settings.get(room) ?? DEFAULT_SETTINGS) };
    },
    async setSettings(room, s) {
      settings.set(room, cleanSettings(s), SETTINGS_TTL_MS);
    },
    async clearSettings(room) {
      settings.delete(room);
    },
    async ban(room, keys, ms) {
      for (const k of keys) bans.set(room + SEP + k, true, ms);
    },
    async banned(room, keys) {
      return keys.some((k) => bans.get(room + SEP + k));
    },
    async admit(room, id, ms) {
      admissions.set(room + SEP + id, true, ms);
    },
    async admitted(room, id) {
      return admissions.get(room + SEP + id) === true;
    },
    async keepRole(room, id, role, ms) {
      roles.set(room + SEP + id, role, ms);
    },
    async keptRole(room, id) {
      return roles.get(room + SEP + id);
    },
  };
}

const P = 'rtc-widgets:';
// Keys hold a room name and an id or ban key: room names have no ':' (protocol.ts), so `room:…` is unambiguous.
const k = (kind: string, room: string, rest = '') => `${P}${kind}:${room}${rest ? `:${rest}` : ''}`;

export function redisRoomStore(client: RedisClient): RoomStore {
  return {
    async markEnded(room, ms) {
      await client.set(k('ended', room), '1', { PX: ms } as never);
    },
    async ended(room) {
      return Number(await client.exists(k('ended', room))) > 0;
    },
    async settings(room) {
      const raw = await client.get(k('settings', room));
      if (!raw) return { ...DEFAULT_SETTINGS };
      try {
        return cleanSettings(JSON.parse(String(raw)) as Partial<RoomSettings>);
      } catch {
        return { ...DEFAULT_SETTINGS };
      }
    },
    async setSettings(room, s) {
      await client.set(k('settings', room), JSON.stringify(cleanSettings(s)), { PX: SETTINGS_TTL_MS } as never);
    },
    async clearSettings(room) {
      await client.del(k('settings', room));
    },
    async ban(room, keys, ms) {
      await Promise.all(keys.map((key) => client.set(k('ban', room, key), '1', { PX: ms } as never)));
    },
    async banned(room, keys) {
      if (!keys.length) return false;
      const found = await client.exists(keys.map((key) => k('ban', room, key)));
      return Number(found) > 0;
    },
    async admit(room, id, ms) {
      await client.set(k('admit', room, id), '1', { PX: ms } as never);
    },
    async admitted(room, id) {
      return Number(await client.exists(k('admit', room, id))) > 0;
    },
    async keepRole(room, id, role, ms) {
      await client.set(k('role', room, id), role, { PX: ms } as never);
    },
    async keptRole(room, id) {
      const r = await client.get(k('role', room, id));
      return r === 'host' || r === 'guest' || r === 'viewer' ? r : undefined;
    },
  };
}
