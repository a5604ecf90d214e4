import { createNanoEvents } from 'nanoevents';
import { store, type ReadableStore } from './state/store.js';
import { RtcError, type MediaKind } from './errors.js';
import { LocalMedia, type LocalMediaState, type MediaRequest } from './media/local-media.js';
import { PeerLink } from './peer/peer-link.js';
import { SocketIoTransport } from './signaling/socket-io-transport.js';
import type { SignalingTransport } from './signaling/transport.js';
import type { PeerInfo, SignalData } from './signaling/protocol.js';
import { Chat, type ChatEvents, type ChatOptions, type DataHost } from './data/chat.js';
import { FileTransfers, type FileTransferEvents, type FileTransfersOptions } from './data/file-transfer.js';

export type SessionStatus = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'left' | 'failed';

export interface Participant {
  /** Peer id given by the server; for the local participant before joining, 'local'. */
  id: string;
  name: string;
  isLocal: boolean;
  /** Live media of this participant (local preview or remote tracks). */
  stream: MediaStream | null;
  audioMuted: boolean;
  videoMuted: boolean;
  /** For remote participants the peer connection's state; for the local one, derived from the session. */
  connectionState: RTCPeerConnectionState;
}

export interface RtcSessionOptions {
  room: string;
  /** Signaling server URL (e.g. 'https://call.example.com'); defaults to the page's origin. */
  server?: string;
  /**
   * A transport to use instead of the socket.io client (tests use LoopbackHub). Give a factory to
   * allow joining again after leave(), which closes the transport.
   */
  transport?: SignalingTransport | (() => SignalingTransport);
  /** Display name; can also be given to join(). */
  name?: string;
  /** ICE servers added to the ones the server hands out. */
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Which devices to open; default both. */
  media?: MediaRequest;
  /** Chat limits (messages kept, history handed to newcomers). */
  chat?: ChatOptions;
  /** File transfer limits and tuning (largest accepted file, chunk size, buffering). */
  files?: FileTransfersOptions;
}

/** `session.on(...)` events; chat and file events come from `session.chat` and `session.files`. */
export interface SessionEvents extends ChatEvents, FileTransferEvents {
  join: (info: { id: string; room: string }) => void;
  leave: () => void;
  'peer-join': (participant: Participant) => void;
  'peer-leave': (info: { id: string; name: string; reason: 'left' | 'disconnected' | 'failed' }) => void;
  error: (error: RtcError) => void;
}

interface Remote {
  info: PeerInfo;
  link: PeerLink;
  unsubscribe: () => void;
}

/**
 * A call in one room: the signaling transport, the local media and one PeerLink per remote peer.
 * State is exposed as stores (participants, status, local media, last error); actions are async
 * methods. Framework-free: elements only subscribe to it.
 */
export class RtcSession {
  readonly room: string;
  readonly media = new LocalMedia();
  readonly #status = store<SessionStatus>('idle');
  readonly #participants = store<Participant[]>([]);
  readonly #error = store<RtcError | null>(null);
  readonly #events = createNanoEvents<SessionEvents>();
  readonly #remotes = new Map<string, Remote>();
  /** Peers that left: their late signals must not bring them back as ghosts (ids are never reused). */
  readonly #departed = new Set<string>();
  readonly #options: RtcSessionOptions;
  #transport?: SignalingTransport;
  #transportOff: (() => void)[] = [];
  #localId = 'local';
  /** Counts join attempts; leave() bumps it to cancel one in progress. */
  #attempt = 0;
  #name: string;
  #iceServers: RTCIceServer[] = [];

  /** 'idle' → 'joining' → 'joined' (→ 'reconnecting' → 'joined') → 'left'; 'failed' if joining failed. */
  readonly status: ReadableStore<SessionStatus> = this.#status;
  /** Everyone in the call, the local participant first. */
  readonly participants: ReadableStore<Participant[]> = this.#participants;
  /** The most recent error, for a banner; cleared by dismissError(). */
  readonly error: ReadableStore<RtcError | null> = this.#error;
  readonly localMedia: ReadableStore<LocalMediaState> = this.media.state;
  /** Text chat with everyone in the call, over peer-to-peer data channels. */
  readonly chat: Chat;
  /** Peer-to-peer file transfers, to everyone or one participant. */
  readonly files: FileTransfers;

  constructor(options: RtcSessionOptions) {
    this.#options = options;
    this.room = options.room;
    this.#name = options.name ?? '';
    const host: DataHost = {
      localId: () => this.#localId,
      nameOf: (id) => (id === this.#localId ? this.#name || 'You' : this.#remotes.get(id)?.info.name),
      peers: () => [...this.#remotes.keys()],
    };
    this.chat = new Chat(host, (m) => this.#events.emit('message', m), options.chat);
    this.files = new FileTransfers(host, (event, ...args) => this.#events.emit(event, ...args), options.files);
    this.media.onTrackChange = (kind, track) => this.#onLocalTrack(kind, track);
    this.#status.listen(() => this.#publish());
    this.media.state.listen(() => {
      this.#publish();
      for (const r of this.#remotes.values()) r.link.sendState();
    });
    this.#publish();
  }

  get localId(): string {
    return this.#localId;
  }
  get name(): string {
    return this.#name;
  }

  on<E extends keyof SessionEvents>(event: E, cb: SessionEvents[E]): () => void {
    return this.#events.on(event, cb);
  }

  /** Open camera and microphone before joining (a pre-join preview). Never rejects: see localMedia.errors. */
  async startMedia(): Promise<LocalMediaState> {
    const state = await this.media.acquire(this.#options.media);
    for (const err of Object.values(state.errors)) if (err) this.#reportOnce(err);
    return state;
  }

  /** Join the room: opens the devices (if not yet), connects, and calls everyone already there. */
  async join(name?: string): Promise<void> {
    const status = this.#status.get();
    if (status === 'joining' || status === 'joined' || status === 'reconnecting') return;
    if (name !== undefined) this.#name = name;
    const attempt = ++this.#attempt;
    // leave() while joining (e.g. the element was removed) cancels the attempt: nothing it opens may outlive it.
    const cancelled = () => attempt !== this.#attempt;
    this.#status.set('joining');
    this.#error.set(null);
    try {
      await this.startMedia();
      if (cancelled()) throw new Error('cancelled');
      this.#transport ??= this.#createTransport();
      await this.#joinRoom();
      if (cancelled()) throw new Error('cancelled');
      this.#status.set('joined');
      this.#events.emit('join', { id: this.#localId, room: this.room });
    } catch (err) {
      if (cancelled()) {
        this.#teardown();
        this.media.stop();
        throw new RtcError('join-failed', 'The call was left before it was joined.', { cause: err });
      }
      const error = err instanceof RtcError ? err : new RtcError('join-failed', 'Could not join the call.', { cause: err });
      this.#teardown();
      this.#status.set('failed');
      this.#report(error);
      throw error;
    }
  }

  /** Leave the call: closes every peer connection and the socket, and stops every track. */
  async leave(): Promise<void> {
    this.#attempt++;
    const wasInCall = ['joining', 'joined', 'reconnecting'].includes(this.#status.get());
    await this.#transport?.leave().catch(() => undefined);
    this.#teardown();
    this.media.stop();
    this.#status.set('left');
    this.#publish();
    if (wasInCall) this.#events.emit('leave');
  }

  /** Mute or unmute the microphone (no renegotiation). */
  async setMicrophoneEnabled(on: boolean): Promise<void> {
    await this.#mediaAction(() => this.media.setAudioEnabled(on));
  }

  /** Turn the camera off (the device is released) or on again (sent to everyone with replaceTrack). */
  async setCameraEnabled(on: boolean): Promise<void> {
    await this.#mediaAction(() => this.media.setVideoEnabled(on));
  }

  toggleMicrophone(): Promise<void> {
    return this.setMicrophoneEnabled(!this.media.state.get().audioEnabled);
  }
  toggleCamera(): Promise<void> {
    return this.setCameraEnabled(!this.media.state.get().videoEnabled);
  }

  dismissError(): void {
    this.#error.set(null);
  }

  /** The peer connection to one participant (for stats and diagnostics). */
  peerConnection(id: string): RTCPeerConnection | undefined {
    return this.#remotes.get(id)?.link.pc;
  }
  /** One of the data channels to a participant (diagnostics, tests). */
  dataChannel(id: string, label: 'control' | 'chat' | 'files'): RTCDataChannel | undefined {
    return this.#remotes.get(id)?.link.channel(label);
  }
  /** Negotiation counters for one participant (diagnostics, tests). */
  negotiationStats(id: string): PeerLink['stats'] | undefined {
    return this.#remotes.get(id)?.link.stats;
  }

  async #mediaAction(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      if (err instanceof RtcError) this.#report(err);
      else throw err;
    }
  }

  #createTransport(): SignalingTransport {
    const custom = this.#options.transport;
    if (custom) return typeof custom === 'function' ? custom() : custom;
    const server = this.#options.server || globalThis.location?.origin;
    if (!server) throw new RtcError('signaling-failed', 'No signaling server was given.');
    return new SocketIoTransport(server);
  }

  async #joinRoom(): Promise<void> {
    const t = this.#transport!;
    this.#transportOff.forEach((off) => off());
    this.#transportOff = [
      t.on('peer-joined', (p) => this.#addRemote(p, false)),
      t.on('peer-left', (e) => this.#removeRemote(e.id, e.reason)),
      t.on('signal', ({ from, data }) => this.#onSignal(from, data)),
      t.on('disconnect', () => {
        if (this.#status.get() === 'joined') this.#status.set('reconnecting');
      }),
      t.on('reconnect', () => void this.#rejoin()),
      t.on('server-error', (e) => this.#report(new RtcError('protocol-error', e.message, { cause: e }))),
    ];
    const reply = await t.join(this.room, this.#name);
    this.#localId = reply.id;
    this.#iceServers = reply.iceServers;
    // The newcomer calls everyone already there; they wait for our offer.
    for (const peer of reply.peers) this.#addRemote(peer, true);
    this.#publish();
  }

  /** After a signaling reconnect the server knows us under a new id: start the room over. */
  async #rejoin(): Promise<void> {
    for (const id of [...this.#remotes.keys()]) this.#removeRemote(id, 'disconnected');
    try {
      await this.#joinRoom();
      this.#status.set('joined');
    } catch (err) {
      this.#report(err instanceof RtcError ? err : new RtcError('join-failed', 'Could not rejoin the call.', { cause: err }));
    }
  }

  #addRemote(info: PeerInfo, offer: boolean): Remote {
    this.#departed.delete(info.id); // back through the server (e.g. we rejoined after a drop)
    const existing = this.#remotes.get(info.id);
    if (existing) {
      existing.info = info;
      this.#publish();
      return existing;
    }
    const link = new PeerLink({
      localId: this.#localId,
      remoteId: info.id,
      configuration: this.#rtcConfiguration(this.#iceServers),
      send: (data) => this.#transport?.signal(info.id, data),
      tracks: () => ({ audio: this.media.audioTrack, video: this.media.videoTrack, stream: this.media.state.get().stream }),
      localState: () => {
        const m = this.media.state.get();
        return { type: 'state', audioMuted: !m.audioEnabled, videoMuted: !m.videoEnabled };
      },
      refreshIceServers: async () => {
        const reply = await this.#transport!.iceServers();
        this.#iceServers = reply.iceServers;
        return this.#rtcConfiguration(reply.iceServers).iceServers!;
      },
      onError: (message, cause) => this.#report(new RtcError('peer-failed', `${info.name}: ${message}.`, { peerId: info.id, cause })),
      onChannels: ({ chat, files }) => {
        this.chat.attach(info.id, chat);
        this.files.attach(info.id, files, () => link.pc.sctp?.maxMessageSize);
      },
    });
    const remote: Remote = { info, link, unsubscribe: link.state.listen(() => this.#publish()) };
    this.#remotes.set(info.id, remote);
    if (offer) link.start();
    else link.expectOffer();
    this.#publish();
    const participant = this.#participants.get().find((p) => p.id === info.id);
    if (participant) this.#events.emit('peer-join', participant);
    return remote;
  }

  #removeRemote(id: string, reason: 'left' | 'disconnected' | 'failed'): void {
    this.#departed.add(id);
    const remote = this.#remotes.get(id);
    if (!remote) return;
    this.#detachData(id);
    remote.unsubscribe();
    remote.link.close();
    this.#remotes.delete(id);
    this.#publish();
    this.#events.emit('peer-leave', { id, name: remote.info.name, reason });
  }

  #onSignal(from: string, data: SignalData): void {
    let remote = this.#remotes.get(from);
    if (!remote) {
      // An offer can overtake the peer-joined notice (e.g. across clustered servers); anything
      // else from an unknown or departed peer is a leftover of a call that has ended.
      const isOffer = 'description' in data && data.description.type === 'offer';
      if (!isOffer || this.#departed.has(from)) return;
      remote = this.#addRemote({ id: from, name: 'Guest' }, false);
    }
    void remote.link.handleSignal(data);
  }

  async #onLocalTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    const links = [...this.#remotes.values()].map((r) => r.link);
    const results = await Promise.allSettled(links.map((link) => link.setTrack(kind, track)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) this.#report(new RtcError('media-failed', 'Could not switch the track.', { kind, cause: failed.reason }));
  }

  #rtcConfiguration(serverIce: RTCIceServer[]): RTCConfiguration {
    return {
      iceServers: [...serverIce, ...(this.#options.iceServers ?? [])],
      iceTransportPolicy: this.#options.iceTransportPolicy ?? 'all',
    };
  }

  #teardown(): void {
    this.#transportOff.forEach((off) => off());
    this.#transportOff = [];
    for (const id of [...this.#remotes.keys()]) {
      const r = this.#remotes.get(id)!;
      this.#detachData(id, 'You left the call.');
      r.unsubscribe();
      r.link.close();
      this.#remotes.delete(id);
    }
    this.#transport?.close();
    this.#transport = undefined;
  }

  /** The peer is gone: its chat channel closes and its transfers fail (their memory is freed). */
  #detachData(id: string, reason?: string): void {
    this.chat.detach(id);
    this.files.detach(id, reason);
  }

  #reported = new WeakSet<RtcError>();
  #reportOnce(error: RtcError): void {
    if (this.#reported.has(error)) return;
    this.#reported.add(error);
    this.#report(error);
  }

  #report(error: RtcError): void {
    this.#error.set(error);
    this.#events.emit('error', error);
  }

  #publish(): void {
    const m = this.media.state.get();
    const status = this.#status.get();
    const local: Participant = {
      id: this.#localId,
      name: this.#name || 'You',
      isLocal: true,
      stream: m.stream,
      audioMuted: !m.audioEnabled,
      videoMuted: !m.videoEnabled,
      connectionState: status === 'joined' ? 'connected' : status === 'joining' || status === 'reconnecting' ? 'connecting' : 'new',
    };
    const remotes: Participant[] = [...this.#remotes.values()].map(({ info, link }) => {
      const s = link.state.get();
      const stream = s.stream;
      return {
        id: info.id,
        name: info.name,
        isLocal: false,
        stream,
        audioMuted: s.remote ? s.remote.audioMuted : stream.getAudioTracks().length === 0,
        videoMuted: s.remote ? s.remote.videoMuted : stream.getVideoTracks().length === 0,
        connectionState: s.connectionState,
      };
    });
    this.#participants.set([local, ...remotes]);
  }
}
