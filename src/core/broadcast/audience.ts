/**
 * A session's view of the room's members as the server announced them (everyone, viewers included,
 * whether or not we are connected to them), the room's mode, and the live viewer count. In a
 * broadcast room it tells the session which peer connections should exist (through an
 * `AudiencePath`), so a role change (a viewer invited on stage, a presenter back in the audience)
 * opens the links that should now exist and closes the others.
 */
import type { JoinReply, PeerInfo, Role, RoomMode } from '../signaling/protocol.js';
import { store, type ReadableStore } from '../state/store.js';
import { meshFanout, type AudiencePath } from './fanout.js';

export interface AudienceChange {
  /** Members we should now be connected to and are not. */
  open: string[];
  /** Members we are connected to and should not be. */
  close: string[];
}

export class Audience {
  readonly #roster = new Map<string, { name: string; role: Role }>();
  readonly #mode = store<RoomMode>('meeting');
  readonly #viewers = store(0);
  readonly #path: AudiencePath;
  readonly #self: () => Role | undefined;

  /** 'broadcast' once the server says the room is one (join reply settings), else 'meeting'. */
  readonly mode: ReadableStore<RoomMode> = this.#mode;
  /** How many viewers the room has now (us included when we watch), as the server announced them. */
  readonly viewerCount: ReadableStore<number> = this.#viewers;

  /** `self`: our role now (undefined before joining). */
  constructor(self: () => Role | undefined, path: AudiencePath = meshFanout()) {
    this.#self = self;
    this.#path = path;
  }

  get path(): AudiencePath {
    return this.#path;
  }
  get broadcast(): boolean {
    return this.#mode.get() === 'broadcast';
  }

  /** The join (or resume) reply: the whole room anew. */
  joined(reply: Pick<JoinReply, 'peers' | 'settings'>): void {
    this.#roster.clear();
    for (const p of reply.peers) this.#roster.set(p.id, { name: p.name, role: p.role ?? 'guest' });
    this.#mode.set(reply.settings?.mode === 'broadcast' ? 'broadcast' : 'meeting');
    this.recount();
  }
  /** Someone joined (`peer-joined`). */
  add(peer: PeerInfo): void {
    this.#roster.set(peer.id, { name: peer.name, role: peer.role ?? 'guest' });
    this.recount();
  }
  /** Someone's role changed (`peer-role`). */
  setRole(id: string, role: Role): void {
    const member = this.#roster.get(id);
    if (!member) return;
    member.role = role;
    this.recount();
  }
  /** The member as announced (for a link opened after a role change). */
  info(id: string): PeerInfo | undefined {
    const m = this.#roster.get(id);
    return m && { id, name: m.name, role: m.role };
  }
  delete(id: string): void {
    if (this.#roster.delete(id)) this.recount();
  }
  roleOf(id: string): Role | undefined {
    return this.#roster.get(id)?.role;
  }
  reset(): void {
    this.#roster.clear();
    this.#mode.set('meeting');
    this.recount();
  }

  /** Whether we keep a peer connection to `id`: always in a meeting; in a broadcast as the path says (unknown members: yes, the server guards). */
  connects(id: string): boolean {
    if (!this.broadcast) return true;
    const self = this.#self();
    const peer = this.#roster.get(id)?.role;
    return !self || !peer || this.#path.connects(self, peer);
  }

  /** The cap on our video to `id` (bits/s), in a broadcast room; undefined otherwise. */
  linkCap(id: string): number | undefined {
    const self = this.#self();
    const peer = this.#roster.get(id)?.role;
    if (!this.broadcast || !self || !peer) return undefined;
    return this.#path.linkCap(self, peer);
  }

  /** Which links to open and close so that those we have (`linked`) are those that should exist. */
  plan(linked: Iterable<string>): AudienceChange {
    const have = new Set(linked);
    const open = [...this.#roster.keys()].filter((id) => !have.has(id) && this.connects(id));
    const close = [...have].filter((id) => !this.connects(id));
    return { open, close };
  }

  /** Our own role changed (or anyone's): count again. */
  recount(): void {
    let n = this.#self() === 'viewer' ? 1 : 0;
    for (const { role } of this.#roster.values()) if (role === 'viewer') n++;
    this.#viewers.set(n);
  }
}
