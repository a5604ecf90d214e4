/**
 * Who runs the room (protocol 3): our role, the room's settings, who knocks in the lobby, and the
 * host's actions. The server enforces all of it; this only keeps what it told us and asks it.
 */
import { RtcError } from '../errors.js';
import type { HostCommand, KnockInfo, Role, RoomSettings } from '../signaling/protocol.js';
import { store, type ReadableStore } from '../state/store.js';

export interface ModerationHost {
  /** Send a host command; rejects with the server's refusal. */
  send(command: HostCommand): Promise<void>;
  /** Report an error to the user. */
  report(error: RtcError): void;
}

const OPEN: RoomSettings = { locked: false, lobby: false };

export class Moderation {
  readonly #role = store<Role>('guest');
  readonly #settings = store<RoomSettings>(OPEN);
  readonly #lobby = store<KnockInfo[]>([]);
  readonly #host: ModerationHost;

  /** Our role in the room: 'host' runs it, 'guest' takes part, 'viewer' only watches and listens. */
  readonly role: ReadableStore<Role> = this.#role;
  /** Locked (nobody new) and lobby (newcomers wait for a host). */
  readonly settings: ReadableStore<RoomSettings> = this.#settings;
  /** Who is waiting to be let in (hosts only; empty for everyone else). */
  readonly lobby: ReadableStore<KnockInfo[]> = this.#lobby;

  constructor(host: ModerationHost) {
    this.#host = host;
  }

  get isHost(): boolean {
    return this.#role.get() === 'host';
  }

  /** Let someone in from the lobby. */
  admit(id: string): Promise<void> {
    return this.#run({ action: 'admit', id }, () => this.#forget(id));
  }
  /** Turn someone in the lobby away. */
  deny(id: string): Promise<void> {
    return this.#run({ action: 'deny', id }, () => this.#forget(id));
  }
  /** Disconnect a participant; the server refuses them in this room for a while. */
  remove(id: string): Promise<void> {
    return this.#run({ action: 'remove', id });
  }
  /** Ask a participant to mute: their own page mutes and tells them who asked. */
  requestMute(id: string, kind: 'audio' | 'video' = 'audio'): Promise<void> {
    return this.#run({ action: 'mute', id, kind });
  }
  setLocked(locked: boolean): Promise<void> {
    return this.#run({ action: 'settings', locked }, () => this.#settings.set({ ...this.#settings.get(), locked }));
  }
  setLobby(lobby: boolean): Promise<void> {
    return this.#run({ action: 'settings', lobby }, () => this.#settings.set({ ...this.#settings.get(), lobby }));
  }
  setRole(id: string, role: Role): Promise<void> {
    return this.#run({ action: 'role', id, role });
  }
  /** End the call for everyone. */
  endRoom(): Promise<void> {
    return this.#run({ action: 'end' });
  }

  // What the session hears from the server.

  /** From the join reply (a server before protocol 3 sends none of it: everyone is a guest there). */
  joined(reply: { role?: Role; settings?: RoomSettings; lobby?: KnockInfo[] }): void {
    this.#role.set(reply.role ?? 'guest');
    this.#settings.set(reply.settings ?? OPEN);
    this.#lobby.set(reply.role === 'host' ? [...(reply.lobby ?? [])] : []);
  }
  knocked(knock: KnockInfo): void {
    if (typeof knock?.id !== 'string' || typeof knock.name !== 'string') return;
    this.#lobby.set([...this.#lobby.get().filter((k) => k.id !== knock.id), { id: knock.id, name: knock.name }]);
  }
  knockGone(id: string): void {
    this.#forget(id);
  }
  settingsChanged(settings: RoomSettings): void {
    this.#settings.set({ locked: settings?.locked === true, lobby: settings?.lobby === true });
  }
  /** Our own role changed (e.g. promoted when the last host left). */
  roleChanged(role: Role): void {
    this.#role.set(role);
    if (role !== 'host') this.#lobby.set([]);
  }
  reset(): void {
    this.#role.set('guest');
    this.#settings.set(OPEN);
    this.#lobby.set([]);
  }

  #forget(id: string): void {
    const lobby = this.#lobby.get();
    if (lobby.some((k) => k.id === id)) this.#lobby.set(lobby.filter((k) => k.id !== id));
  }

  async #run(command: HostCommand, done?: () => void): Promise<void> {
    try {
      await this.#host.send(command);
      done?.();
    } catch (err) {
      const error = err instanceof RtcError ? err : new RtcError('protocol-error', 'The call server did not do that.', { cause: err });
      this.#host.report(error);
      throw error;
    }
  }
}
