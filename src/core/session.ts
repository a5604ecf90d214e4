import { createNanoEvents } from 'nanoevents';
import { store, type ReadableStore } from './state/store.js';
import { RtcError, type MediaKind } from './errors.js';
import { LocalMedia, type LocalMediaState, type MediaRequest } from './media/local-media.js';
import { DeviceManager, type DeviceKind, type DeviceManagerOptions } from './media/devices.js';
import { SpeakingMonitor } from './media/speaking.js';
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
  /** Sharing the screen: the video track of `stream` is the screen (signalled on the control channel). */
  screenSharing: boolean;
  /** Speaking now (audio level with hysteresis); always false while muted. */
  speaking: boolean;
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
  /** Where device choices are remembered (default localStorage 'rtc-widgets:devices'), or a shared DeviceManager. */
  devices?: DeviceManagerOptions | DeviceManager;
}

/** `session.on(...)` events; chat and file events come from `session.chat` and `session.files`. */
export interface SessionEvents extends ChatEvents, FileTransferEvents {
  join: (info: { id: string; room: string }) => void;
  leave: () => void;
  'peer-join': (participant: Participant) => void;
  'peer-leave': (info: { id: string; name: string; reason: 'left' | 'disconnected' | 'failed' }) => void;
  error: (error: RtcError) => void;
}

/** The local participant's key in the speaking monitor (its id changes on joining). */
const LOCAL = ' local';

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
  /** Cameras, microphones and speakers, and the choice per kind (remembered). */
  readonly devices: DeviceManager;
  readonly media: LocalMedia;
  readonly #activeSpeaker = store<string | null>(null);
  readonly #speaking = new SpeakingMonitor(() => this.#publish());
  #unwatchDevices?: () => void;
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
  readonly localMedia: ReadableStore<LocalMediaState>;
  /** Text chat with everyone in the call, over peer-to-peer data channels. */
  readonly chat: Chat;
  /** Peer-to-peer file transfers, to everyone or one participant. */
  readonly files: FileTransfers;
  /** The participant who spoke most recently (for a spotlight), the local one included; null before anyone spoke. */
  readonly activeSpeaker: ReadableStore<string | null> = this.#activeSpeaker;

  constructor(options: RtcSessionOptions) {
    this.#options = options;
    this.room = options.room;
    this.devices = options.devices instanceof DeviceManager ? options.devices : new DeviceManager(options.devices);
    this.media = new LocalMedia(this.devices);
    this.localMedia = this.media.state;
    this.#name = options.name ?? '';
    const host: DataHost = {
      localId: () => this.#localId,
      nameOf: (id) => (id === this.#localId ? this.#name || 'You' : this.#remotes.get(id)?.info.name),
      peers: () => [...this.#remotes.keys()],
    };
    this.chat = new Chat(host, (m) => this.#events.emit('message', m), options.chat);
    this.files = new FileTransfers(host, (event, ...args) => this.#events.emit(event, ...args), options.files);
    this.media.onTrackChange = (kind, track) => this.#onLocalTrack(kind, track);
    this.media.onError = (error) => this.#report(error);
    this.#status.listen(() => this.#publish());
    this.media.state.listen((m) => {
      this.#speaking.setLocal(LOCAL, m.audioEnabled ? this.media.audioTrack : null);
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
    // Follow plugged and unplugged devices while we hold any: the active one may go away.
    this.#unwatchDevices ??= this.devices.watch();
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
      this.#speaking.startPolling(() => this.#audioReceivers());
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
    // Fail our transfers as ours before the server's ack: meanwhile the peers, told first, close
    // the channels, and the transfers would wrongly say that they left.
    for (const id of this.#remotes.keys()) this.#detachData(id, 'You left the call.');
    await this.#transport?.leave().catch(() => undefined);
    this.#teardown();
    this.media.stop();
    this.#speaking.stop();
    this.#unwatchDevices?.();
    this.#unwatchDevices = undefined;
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

  /**
   * Use another camera, microphone or speaker. A camera or microphone is opened and swapped in
   * on the same RTCRtpSender (no renegotiation) and the old track stopped; before joining it
   * changes the preview. A speaker is only recorded: elements apply it with setSinkId. The choice
   * is remembered for next time, unless the device failed to open (reported on `error`).
   */
  async selectDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    await this.#mediaAction(async () => {
      if (kind !== 'audiooutput') await this.media.switchDevice(kind === 'audioinput' ? 'audio' : 'video', deviceId);
      this.devices.choose(kind, deviceId);
    });
  }

  /**
   * Share the screen instead of the camera, on the same video sender (no renegotiation); everyone
   * sees `screenSharing`. The user cancelling the picker is not an error: nothing changes.
   */
  async startScreenShare(): Promise<void> {
    await this.#mediaAction(() => this.media.startScreenShare());
  }

  /** Stop sharing: back to the camera (or to no video if the camera is off). */
  async stopScreenShare(): Promise<void> {
    await this.#mediaAction(() => this.media.stopScreenShare());
  }

  toggleScreenShare(): Promise<void> {
    return this.media.state.get().screenSharing ? this.stopScreenShare() : this.startScreenShare();
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
      tracks: () => ({ audio: this.media.audioTrack, video: this.media.outgoingVideo, stream: this.media.state.get().stream }),
      localState: () => {
        const m = this.media.state.get();
        return { type: 'state', audioMuted: !m.audioEnabled, videoMuted: !m.videoEnabled && !m.screenSharing, screenSharing: m.screenSharing };
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
    this.#speaking.forget(id);
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
    this.#speaking.stopPolling();
    this.#transportOff.forEach((off) => off());
    this.#transportOff = [];
    for (const id of [...this.#remotes.keys()]) {
      const r = this.#remotes.get(id)!;
      this.#detachData(id, 'You left the call.');
      r.unsubscribe();
      r.link.close();
      this.#remotes.delete(id);
      this.#speaking.forget(id);
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

  /** Audio receivers of connected remotes, undefined for the muted ones (they are silent at once). */
  *#audioReceivers(): Iterable<[string, RTCRtpReceiver | undefined]> {
    for (const [id, { link }] of this.#remotes) {
      const s = link.state.get();
      yield [id, s.remote?.audioMuted || s.connectionState !== 'connected' ? undefined : link.receiver('audio')];
    }
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
      // While sharing, the screen is what the others see, so the local tile shows it too.
      stream: m.screenStream ?? m.stream,
      audioMuted: !m.audioEnabled,
      videoMuted: !m.videoEnabled && !m.screenSharing,
      connectionState: status === 'joined' ? 'connected' : status === 'joining' || status === 'reconnecting' ? 'connecting' : 'new',
      screenSharing: m.screenSharing,
      speaking: m.audioEnabled && this.#speaking.isSpeaking(LOCAL),
    };
    const remotes: Participant[] = [...this.#remotes.values()].map(({ info, link }) => {
      const s = link.state.get();
      const stream = s.stream;
      const audioMuted = s.remote ? s.remote.audioMuted : stream.getAudioTracks().length === 0;
      return {
        id: info.id,
        name: info.name,
        isLocal: false,
        stream,
        audioMuted,
        videoMuted: s.remote ? s.remote.videoMuted : stream.getVideoTracks().length === 0,
        connectionState: s.connectionState,
        screenSharing: s.remote?.screenSharing ?? false,
        speaking: !audioMuted && this.#speaking.isSpeaking(info.id),
      };
    });
    this.#participants.set([local, ...remotes]);
    const last = this.#speaking.lastSpeaker;
    this.#activeSpeaker.set(last === LOCAL ? this.#localId : last);
  }
}
