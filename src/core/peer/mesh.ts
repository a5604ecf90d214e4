/**
 * The mesh: one PeerLink per remote participant, and their lifecycle. The server only introduces
 * peers (`add`, `remove`, `signal`); once connected, links live on their own, across signaling
 * drops and server restarts. After a resume, `reconcile` brings the mesh in line with the room as
 * the server knows it, without touching links that are still good.
 */
import type { TransferError } from '../data/transfer-errors.js';
import type { PeerInfo, PeerSignal } from '../signaling/protocol.js';
import { PeerLink, type DataChannels, type PeerLinkOptions } from './peer-link.js';
import type { FeatureMessage, ViewMessage } from './control.js';
import type { SpareConnection } from './spare-connection.js';

export type LeaveReason = 'left' | 'disconnected' | 'failed';

export interface Remote {
  info: PeerInfo;
  link: PeerLink;
  unsubscribe: () => void;
}

/** What the mesh needs from its session. */
export interface MeshHost {
  localId(): string;
  configuration(): RTCConfiguration;
  /** A connection made ahead for the next new link that offers, if one is ready (taken: asked once per such link). */
  spare?(): SpareConnection | undefined;
  /** Through the signaling server; false when it is unreachable now. */
  sendViaServer(to: string, data: PeerSignal): boolean;
  link: Pick<PeerLinkOptions, 'tracks' | 'localState' | 'refreshIceServers'>;
  /** A link's problem, in words, for the participant named. */
  linkError(info: PeerInfo, message: string, cause?: unknown): void;
  /** A link's chat and files channels exist (a new link for this participant may replace the old one's). */
  channels(id: string, channels: DataChannels, link: PeerLink): void;
  /** The participant's channels are gone for good; `reason` is what their transfers say. */
  detach(id: string, reason?: TransferError): void;
  /** Links or their states changed: publish. */
  changed(): void;
  joined(remote: Remote): void;
  /** The participant told us how it shows our video (receiver-driven quality). */
  view?(id: string, view: ViewMessage): void;
  /** A link's control channel opened (a new link to this participant, or the first). */
  controlOpen?(id: string): void;
  /** A feature's message from the participant (reactions, hands, recording), validated on the control channel. */
  feature?(id: string, msg: FeatureMessage): void;
  left(info: PeerInfo, reason: LeaveReason): void;
}

export class Mesh {
  readonly #host: MeshHost;
  readonly #remotes = new Map<string, Remote>();
  /** Peers that left: their late signals must not bring them back as ghosts. */
  readonly #departed = new Set<string>();
  /** Names of peers we have met, for one that comes back with a fresh connection. */
  readonly #known = new Map<string, PeerInfo>();
  /** Peers the server did not list when we resumed: removed unless they come back in time. */
  readonly #absent = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(host: MeshHost) {
    this.#host = host;
  }

  get(id: string): Remote | undefined {
    return this.#remotes.get(id);
  }
  ids(): string[] {
    return [...this.#remotes.keys()];
  }
  values(): IterableIterator<Remote> {
    return this.#remotes.values();
  }
  get size(): number {
    return this.#remotes.size;
  }

  /** A peer the server told us about; `offer` when we are the newcomer. Known peers keep their link. */
  add(info: PeerInfo, offer: boolean): Remote {
    this.#departed.delete(info.id); // (back) through the server
    this.#clearAbsent(info.id);
    this.#known.set(info.id, { id: info.id, name: info.name });
    const existing = this.#remotes.get(info.id);
    if (existing) {
      if (existing.info.name !== info.name) {
        existing.info = { id: info.id, name: info.name };
        this.#host.changed();
      }
      return existing;
    }
    const remote = this.#create({ id: info.id, name: info.name }, offer);
    this.#host.changed();
    this.#host.joined(remote);
    return remote;
  }

  remove(id: string, reason: LeaveReason, { remember = true } = {}): void {
    if (remember) this.#departed.add(id);
    this.#clearAbsent(id);
    const remote = this.#remotes.get(id);
    if (!remote) return;
    this.#dispose(remote);
    this.#host.changed();
    this.#host.left(remote.info, reason);
  }

  /** A signal from a peer through the server (those on its own channel go to its link directly). */
  signal(from: string, data: PeerSignal): void {
    let remote = this.#remotes.get(from);
    const offer = 'description' in data && data.description.type === 'offer' ? data.description : undefined;
    if (remote && offer && remote.link.isFromAnotherConnection(offer)) {
      // The peer started over with a new connection (it had given ours up): so do we.
      this.#dispose(remote);
      remote = this.#create(remote.info, false);
      this.#host.changed();
    }
    if (!remote) {
      // An offer can overtake the peer-joined notice (e.g. across clustered servers), or come from
      // a peer that closed our link and starts over; anything else from an unknown or departed
      // peer is a leftover of a call that has ended.
      if (!offer || this.#departed.has(from)) return;
      remote = this.add(this.#known.get(from) ?? { id: from, name: 'Guest' }, false);
    }
    void remote.link.handleSignal(data, true);
  }

  /**
   * We resumed after a signaling drop: `peers` is the room as the server knows it now. Links to
   * listed peers stay (new ones are called); peers not listed (yet) get `graceMs` to come back.
   */
  reconcile(peers: PeerInfo[], graceMs: number): void {
    const listed = new Set(peers.map((p) => p.id));
    for (const p of peers) this.add(p, true);
    for (const id of this.#remotes.keys()) {
      if (listed.has(id) || this.#absent.has(id)) continue;
      this.#absent.set(
        id,
        setTimeout(() => {
          this.#absent.delete(id);
          this.remove(id, 'disconnected');
        }, graceMs),
      );
    }
  }

  /** Signaling works again: links redo what could not be delivered meanwhile. */
  signalingRestored(): void {
    for (const { link } of this.#remotes.values()) link.signalingRestored();
  }

  /** Close every link (leaving, or starting over under a new id); `reason` is what their transfers say. */
  closeAll(reason?: TransferError, announce: LeaveReason | false = false): void {
    for (const remote of [...this.#remotes.values()]) {
      this.#dispose(remote, reason);
      this.#clearAbsent(remote.info.id);
      if (announce) this.#host.left(remote.info, announce);
    }
    this.#departed.clear();
    this.#known.clear();
    this.#host.changed();
  }

  #create(info: PeerInfo, offer: boolean, ignoreSession?: string): Remote {
    const host = this.#host;
    const link: PeerLink = new PeerLink({
      ignoreSession,
      localId: host.localId(),
      remoteId: info.id,
      configuration: host.configuration(),
      // Not for a link made again: its remote replaces its link on a new SDP session from us, spare or not.
      spare: offer && !ignoreSession ? host.spare?.() : undefined,
      sendViaServer: (data) => host.sendViaServer(info.id, data),
      ...host.link,
      onError: (message, cause) => host.linkError(remote.info, message, cause),
      onChannels: (channels) => host.channels(info.id, channels, link),
      onView: (view) => {
        if (this.#remotes.get(info.id)?.link === link) host.view?.(info.id, view);
      },
      onControlOpen: () => {
        if (this.#remotes.get(info.id)?.link === link) host.controlOpen?.(info.id);
      },
      onFeature: (msg) => {
        if (this.#remotes.get(info.id)?.link === link) host.feature?.(info.id, msg);
      },
      // The remote closed its end: it left, or will start over with a new connection (an offer
      // from it then finds no link and makes one).
      onRemoteClosed: () => {
        if (this.#remotes.get(info.id)?.link === link) this.remove(info.id, 'left', { remember: false });
      },
      onTransportLost: (remoteOffers) => {
        if (this.#remotes.get(info.id)?.link === link) this.#rebuild(info.id, !remoteOffers);
      },
      onFirstOfferCrossed: (offer) => {
        const current = this.#remotes.get(info.id);
        if (current?.link !== link) return;
        // Our first offer is dropped by the (impolite) remote; answer its offer from a new link.
        this.#dispose(current);
        void this.#create(current.info, false).link.handleSignal(offer);
        this.#host.changed();
      },
    });
    const remote: Remote = { info, link, unsubscribe: link.state.listen(() => host.changed()) };
    this.#remotes.set(info.id, remote);
    if (offer) link.start();
    else link.expectOffer();
    return remote;
  }

  /**
   * The path failed and took the link's data channels with it: start over with a new connection
   * to the same participant (nobody left). We offer (or, with `offer` false, wait for the remote's
   * offer, and make ours if none comes); offers still coming from the remote's old connection (its
   * ICE restarts) are ignored, and the remote replaces its link when our offer arrives from a new
   * SDP session.
   */
  #rebuild(id: string, offer = true): void {
    const remote = this.#remotes.get(id);
    if (!remote) return;
    const stale = remote.link.remoteSession;
    this.#dispose(remote, { code: 'connection-lost' });
    this.#create(remote.info, offer, stale);
    this.#host.changed();
  }

  #dispose(remote: Remote, reason?: TransferError): void {
    this.#host.detach(remote.info.id, reason);
    remote.unsubscribe();
    remote.link.close();
    this.#remotes.delete(remote.info.id);
  }

  #clearAbsent(id: string): void {
    clearTimeout(this.#absent.get(id));
    this.#absent.delete(id);
  }
}
