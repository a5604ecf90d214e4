import { createNanoEvents } from 'nanoevents';
import type { TransferError } from './data/transfer-errors.js';
import { store, type ReadableStore } from './state/store.js';
import { isInCall, isJoiningOrInCall } from './state/status.js';
import { RtcError, type MediaKind } from './errors.js';
import { LocalMedia, type LocalMediaState, type MediaRequest } from './media/local-media.js';
import { DeviceManager, type DeviceKind, type DeviceManagerOptions } from './media/devices.js';
import { SpeakingMonitor } from './media/speaking.js';
import type { PeerLink } from './peer/peer-link.js';
import type { FeatureMessage } from './peer/control.js';
import { Mesh, type LeaveReason } from './peer/mesh.js';
import { SpareSlot } from './peer/spare-connection.js';
import { CallStats } from './stats/sampler.js';
import type { ConnectionQuality } from './stats/quality.js';
import { expectedFps, QualityController, type QualityOptions, type Size } from './peer/quality.js';
import { SocketIoTransport } from './signaling/socket-io-transport.js';
import { hasOrigin, noServerError } from './signaling/connect-errors.js';
import type { SignalingTransport } from './signaling/transport.js';
import type { ByEvent, JoinReply, Role, RoomMode } from './signaling/protocol.js';
import { Audience } from './broadcast/audience.js';
import { meshFanout, type AudiencePath, type MeshFanoutOptions } from './broadcast/fanout.js';
import { Moderation } from './moderation/moderation.js';
import { roleInToken } from './moderation/token-hint.js';
import type { PeerSignal, SignalData } from './signaling/protocol.js';
import { roomSealer, type Sealer } from './signaling/sealed.js';
import { safetyCode as connectionSafetyCode } from './security/safety-code.js';
import { Chat, type ChatEvents, type ChatOptions, type DataHost } from './data/chat.js';
import { FileTransfers, type FileTransferEvents, type FileTransfersOptions } from './data/file-transfer.js';
import { AppChannels, type AppChannel, type AppChannelOptions } from './data/app-channel.js';
import { hasTurnServer, NO_RELAY_FIX, NO_RELAY_TEXT } from './precall/ice.js';
import { keepUnchanged } from './state/same-records.js';
import { isReaction, Reactions, type ReactionEvent } from './reactions/reactions.js';
import { Hands, type RaisedHand } from './reactions/hands.js';
import { Recording, type RecordingOptions, type RecordingResult } from './recording/recorder.js';
import { RecordingPresence } from './recording/presence.js';

/** Why a remote participant cannot be reached at all: 'no-relay' (no direct path, and no TURN server). */
export type ParticipantProblem = 'no-relay';

/**
 * 'waiting': in the lobby until a host lets us in. 'ended': a host removed us or ended the call
 * (the reason is in `error`).
 */
export type SessionStatus = 'idle' | 'joining' | 'waiting' | 'joined' | 'reconnecting' | 'left' | 'failed' | 'ended';

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
  /**
   * Sharing the screen (signalled on the control channel). With `screenStream` the screen comes
   * beside the camera (P2P 1.6); without it (an older peer) the video track of `stream` is the screen.
   */
  screenSharing: boolean;
  /**
   * The shared screen (its video, and its sound where sent) while sharing, beside the camera in
   * `stream`; else null. Always set in the session's records (optional for records made by hand).
   */
  screenStream?: MediaStream | null;
  /** Speaking now (audio level with hysteresis); always false while muted. */
  speaking: boolean;
  /** The connection to this participant dropped and is being restored (ICE restart); for the local one, the server is. */
  reconnecting: boolean;
  /** 'host' runs the room, 'guest' takes part, 'viewer' only watches and listens (as the server says). */
  role: Role;
  /** Remote participants: how well we receive them, graded from measured stats (undefined until sampled; src/core/stats). */
  quality?: ConnectionQuality;
  /** Remote participants: why no connection can be made, in English words (e.g. no relay server); absent otherwise. */
  problem?: string;
  /** The same as a code, for an element to word in its language: 'no-relay' (no direct path, and the call has no TURN server). */
  problemCode?: ParticipantProblem;
  /** Their hand is raised (P2P 1.7; `session.hands` has the queue). Always set by the session. */
  handRaised?: boolean;
  /** 1-based place in the raised-hands queue; 0 when the hand is down. Always set by the session. */
  handPosition?: number;
  /** They record the call on their device now (P2P 1.8; ours: `session.recording`). Always set by the session. */
  recording?: boolean;
}

export interface RtcSessionOptions {
  room: string;
  /**
   * Signaling server URL (e.g. 'https://call.example.com'); defaults to the page's origin. A join
   * that cannot connect says why: 'no-server' (none given, and the page's origin is not one),
   * 'server-unreachable' or 'origin-not-allowed' (docs/protocol.md §1, Origin check).
   */
  server?: string;
  /**
   * A transport to use instead of the socket.io client (tests use LoopbackHub). Give a factory to
   * allow joining again after leave(), which closes the transport.
   */
  transport?: SignalingTransport | (() => SignalingTransport);
  /** Display name; can also be given to join(). A join token's name wins over it. */
  name?: string;
  /** A join token from your backend, for servers that require one (it also sets name and role). */
  token?: string;
  /** ICE servers added to the ones the server hands out. */
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Which devices to open; default both. `{ audio: true, video: false }`: an audio room, no camera is ever asked for. */
  media?: MediaRequest;
  /**
   * Join as a viewer (protocol 4 `role: 'viewer'`): no device is opened, we receive everyone and
   * can chat, and the others see us as a viewer.
   */
  viewer?: boolean;
  /** Chat limits (messages kept, history handed to newcomers). */
  chat?: ChatOptions;
  /** File transfer limits and tuning (largest accepted file, chunk size, buffering). */
  files?: FileTransfersOptions;
  /** Where device choices are remembered (default localStorage 'rtc-widgets:devices'), or a shared DeviceManager. */
  devices?: DeviceManagerOptions | DeviceManager;
  /**
   * Tracks already open for a preview (a CallSetup's, made on the same `devices`): the session
   * sends those instead of opening the devices again.
   */
  localMedia?: LocalMedia;
  /**
   * The room's secret (e.g. the invite link's `#key=`): every signal through the server is sealed
   * with it, and signals that are not are refused (docs/security.md). Never sent to the server.
   */
  roomKey?: string;
  /**
   * Receiver-driven video quality (docs/protocol.md §10 `view`): tiles report how large they show
   * each participant, and each sender fits each link's encoding to it within the budgets (bits/s;
   * defaults: 2.5 Mbit/s download, 3 Mbit/s upload). `false`: send full quality to everyone and
   * tell nobody how we show them.
   */
  quality?: QualityOptions | false;
  /**
   * The room's mode, if we are the first to join it (docs/protocol.md §13): 'broadcast' makes the
   * first member present and later ones viewers who connect only to the presenters. Without a
   * token role, a broadcast join opens the devices only once the server made us a presenter.
   */
  mode?: RoomMode;
  /**
   * Broadcast rooms: the presenter → viewer path (default: the mesh, each viewer link capped at
   * `viewerBitrate`, default 500 kbit/s; src/core/broadcast/fanout.ts).
   */
  broadcast?: MeshFanoutOptions & { path?: AudiencePath };
}

/** `session.on(...)` events; chat and file events come from `session.chat` and `session.files`. */
export interface SessionEvents extends ChatEvents, FileTransferEvents {
  join: (info: { id: string; room: string }) => void;
  leave: () => void;
  'peer-join': (participant: Participant) => void;
  'peer-leave': (info: { id: string; name: string; reason: LeaveReason }) => void;
  /** The session's status changed (e.g. 'reconnecting' while the signaling server is unreachable). */
  status: (status: SessionStatus) => void;
  /** A host asked us to mute; we did (only our own page can). */
  'mute-requested': (event: ByEvent & { kind: MediaKind }) => void;
  /** Someone reacted (`from` = their id; ours too, for our own tile): show `emoji` over their tile for a moment. */
  reaction: (event: ReactionEvent) => void;
  /** A host (or anyone, in a room without hosts) lowered our raised hand. */
  'hand-lowered': (event: ByEvent) => void;
  error: (error: RtcError) => void;
}

/** A viewer's stream, whatever arrives from it (made on first use: importing the library opens nothing). */
let noMedia: MediaStream | undefined;

/** The local participant's key in the speaking monitor (its id changes on joining). */
const LOCAL = ' local';

/** Without a word from the server for this long, say so: the call goes on, but nobody new can join. */
const DEFAULT_RESUME_GRACE_MS = 30_000;

/** A join waits at most this long for its first offers to go out before the call view shows (they take milliseconds). */
const OFFERS_WAIT_MS = 1000;
/** How long a member shows nothing new while it answers a newcomer's first offer (it usually takes tens of ms). */
const ANSWER_WAIT_MS = 300;

/** Without a TURN server, a first connection still not made after this long is taken as impossible. */
const NO_PATH_MS = 30_000;
/** How often a connecting link is looked at again for that (only while one is, and there is no TURN). */
const NO_PATH_CHECK_MS = 1000;

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
  readonly #mesh: Mesh;
  /** App data channels (session.channel()), attached to every link. */
  readonly #apps = new AppChannels();
  readonly #quality?: QualityController;
  readonly #options: RtcSessionOptions;
  #transport?: SignalingTransport;
  #transportOff: (() => void)[] = [];
  #localId = 'local';
  /** Counts join attempts; leave() bumps it to cancel one in progress. */
  #attempt = 0;
  #name: string;
  #iceServers: RTCIceServer[] = [];
  /** From the last join reply: how long the server keeps our seat after a drop. */
  #resumeGraceMs = DEFAULT_RESUME_GRACE_MS;
  #offlineTimer?: ReturnType<typeof setTimeout>;
  readonly #offline = store(false);
  /** Roles of the others, as the server told them. */
  readonly #roles = new Map<string, Role>();
  /** While waiting in the lobby: stop waiting (leave() or a lost connection). */
  #stopWaiting?: (error?: RtcError) => void;
  /** prepare() under way or done, for the transport it prepared (a new transport is prepared anew). */
  #prepared?: { transport: SignalingTransport; done: Promise<void> };
  /**
   * While an exchange the page's renders would hold up is under way (a join's first offers, a
   * newcomer's offer answered): nothing is published; `held`, the peers whose `peer-join` waits.
   */
  #hold?: { count: number; held: string[] };
  /** The connection prepare() makes, offer ready, for the join's first link. */
  readonly #spare = new SpareSlot();
  /** When the spare goes stale with the pre-join step still open: renew it (#renewSpare). */
  #spareRenewal?: ReturnType<typeof setTimeout>;

  /** 'idle' → 'joining' → 'joined' (→ 'reconnecting' → 'joined') → 'left'; 'failed' if joining failed. */
  readonly status: ReadableStore<SessionStatus> = this.#status;
  /**
   * Everyone in the call, the local participant first. A participant who did not change keeps the
   * same record object from one value to the next (a view can compare records by identity).
   */
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
  /**
   * True once the signaling server has been unreachable for longer than it keeps our seat: the
   * call goes on with the people connected, but nobody new can join. `reconnect()` tries again now.
   */
  readonly offline: ReadableStore<boolean> = this.#offline;
  /** Our role, the room's settings, the lobby, and what a host can do. */
  readonly moderation: Moderation;
  /** Everyone in the room as the server announced them (viewers included), the mode, and who connects to whom (src/core/broadcast). */
  readonly #audience: Audience;
  /** How many viewers the room has now (us included when we watch); counted from the server's announcements. */
  readonly viewerCount: ReadableStore<number>;
  /** 'broadcast' when the room is one (the server's settings once joined), else 'meeting'. */
  readonly roomMode: ReadableStore<RoomMode>;
  /** Call statistics while joined: per-link samples and state timelines, the mesh's health, a JSON report. */
  readonly stats: CallStats;
  /** Emoji reactions (src/core/reactions). */
  readonly #reactions: Reactions;
  /** Raised hands, ours and the others' (src/core/reactions/hands.ts). */
  readonly #hands: Hands;
  /** Raised hands in queue order (first raised first); the same order on every page. */
  readonly hands: ReadableStore<RaisedHand[]>;
  readonly #recording = store<Recording | null>(null);
  /** Our recording while it runs (startRecording()), else null. */
  readonly recording: ReadableStore<Recording | null> = this.#recording;
  /** Who else records, as they told us (src/core/recording/presence.ts). */
  readonly #recorders = new RecordingPresence(() => this.#publish());

  constructor(options: RtcSessionOptions) {
    this.#options = options;
    this.room = options.room;
    this.devices = options.devices instanceof DeviceManager ? options.devices : new DeviceManager(options.devices);
    this.media = options.localMedia ?? new LocalMedia(this.devices);
    this.localMedia = this.media.state;
    this.#name = options.name ?? '';
    this.stats = new CallStats(
      {
        localId: () => this.#localId,
        localName: () => this.#name || 'You',
        remotes: () => [...this.#mesh.values()].map(({ info, link }) => ({ id: info.id, name: info.name, link })),
        localMedia: () => describeLocalMedia(this.media.state.get()),
        qualityChanged: () => this.#publish(),
        expectedFps: (id) => expectedFps(this.#quality?.views().get(id)),
        videoCap: (id) => this.#quality?.videoCap(id),
        linkSilent: (id) => void this.#mesh.get(id)?.link.restartIce(),
      },
      options.room,
    );
    this.moderation = new Moderation({
      send: (command) => {
        const t = this.#transport;
        if (!t?.host) return Promise.reject(new RtcError('not-allowed', 'This call server has no hosts.'));
        if (command.action !== 'end') return t.host(command);
        // Ending the call ends ours too: the server's room-ended may close the socket before its ack.
        return new Promise<void>((resolve, reject) => {
          const off = this.#status.listen((s) => s === 'ended' && (off(), resolve()));
          t.host!(command).then(
            () => (off(), resolve()),
            (err: unknown) => (off(), this.#status.get() === 'ended' ? resolve() : reject(err)),
          );
        });
      },
      report: (error) => this.#report(error),
    });
    this.moderation.role.listen(() => this.#publish());
    this.#audience = new Audience(
      () => (this.#lastReply && ['joining', 'joined', 'reconnecting'].includes(this.#status.get()) ? this.moderation.role.get() : undefined),
      options.broadcast?.path ?? meshFanout(options.broadcast),
    );
    this.viewerCount = this.#audience.viewerCount;
    this.roomMode = this.#audience.mode;
    this.moderation.role.listen(() => this.#audience.recount());
    const host: DataHost = {
      localId: () => this.#localId,
      // Our own name as the server cleaned it (what the others were told), for chat history.
      nameOf: (id) =>
        id === this.#localId ? (this.#lastReply?.name ?? (this.#name || 'You')) : (this.#mesh.get(id)?.info.name ?? this.#audience.info(id)?.name),
      peers: () => this.#mesh.ids(),
      room: () => this.room,
      // The key the transport joined with (its id is ours), to sign chat messages; none on loopback or insecure pages.
      identity: () => this.#transport?.identity ?? undefined,
      // A broadcast's viewers reach only the presenters: a presenter hands each viewer's chat on to the other viewers.
      forwardTo: (from) =>
        this.#audience.broadcast && !this.#viewer && this.#audience.roleOf(from) === 'viewer'
          ? this.#mesh.ids().filter((id) => id !== from && this.#audience.roleOf(id) === 'viewer')
          : [],
      takesForwardsFrom: (id) => this.#audience.broadcast && this.#viewer && this.#audience.roleOf(id) !== undefined && this.#audience.roleOf(id) !== 'viewer',
    };
    this.#mesh = new Mesh({
      localId: () => this.#localId,
      configuration: () => this.#rtcConfiguration(this.#iceServers),
      spare: () => {
        const spare = this.#spare.take(this.#rtcConfiguration(this.#iceServers), this.media.state.get().stream);
        // Sharing a screen already: a fresh link sends it in its first offer.
        if (!this.media.screenStream) return spare;
        spare?.close();
        return undefined;
      },
      sendViaServer: (to, data) => {
        const t = this.#transport;
        if (!t?.connected) return false;
        // A link the audience no longer wants (a broadcast's role change) is closing: the server would refuse it.
        if (!this.#audience.connects(to)) return true;
        if (this.#sealer) this.#sendSealed(t, this.#sealer, to, data);
        else t.signal(to, data);
        return true;
      },
      link: {
        tracks: () =>
          this.#viewer
            ? { audio: null, video: null, stream: this.media.state.get().stream }
            : { audio: this.media.audioTrack, video: this.media.outgoingVideo, stream: this.media.state.get().stream, screen: this.media.screenStream },
        localState: () => {
          const m = this.media.state.get();
          return { type: 'state', audioMuted: !m.audioEnabled, videoMuted: !m.videoEnabled, screenSharing: m.screenSharing };
        },
        refreshIceServers: async () => {
          const reply = await this.#transport!.iceServers();
          this.#iceServers = reply.iceServers;
          return this.#rtcConfiguration(reply.iceServers).iceServers!;
        },
      },
      linkError: (info, message, cause) => this.#report(new RtcError('peer-failed', `${info.name}: ${message}.`, { peerId: info.id, cause })),
      channels: (id, { chat, files }, link) => {
        this.chat.attach(id, chat);
        this.files.attach(id, files, () => link.pc.sctp?.maxMessageSize);
        this.#apps.attach(id, link);
      },
      detach: (id, reason) => this.#detachData(id, reason),
      changed: () => {
        this.#publish();
        this.#quality?.refresh();
      },
      view: (id, view) => this.#quality?.remoteView(id, view),
      controlOpen: (id) => {
        this.#quality?.controlOpened(id);
        this.#hands.controlOpened(id);
        // A newcomer (or a new connection) learns that we record; not recording is the default.
        if (this.#recording.get()) this.#sendFeature({ type: 'recording', on: true }, id);
      },
      feature: (id, msg) => this.#onFeature(id, msg),
      joined: ({ info }) => {
        if (this.#hold) return void this.#hold.held.push(info.id);
        const participant = this.#participants.get().find((p) => p.id === info.id);
        if (participant) this.#events.emit('peer-join', participant);
      },
      left: (info, reason) => {
        this.#speaking.forget(info.id);
        this.#quality?.forget(info.id);
        this.#reactions.forget(info.id);
        this.#hands.forget(info.id);
        this.#recorders.forget(info.id);
        this.#events.emit('peer-leave', { id: info.id, name: info.name, reason });
      },
    });
    if (options.quality !== false) {
      this.#quality = new QualityController(
        {
          links: () => [...this.#mesh.values()].map(({ info, link }) => [info.id, link] as [string, PeerLink]),
          link: (id) => this.#mesh.get(id)?.link,
          videoTrack: () => (this.#viewer ? null : this.media.outgoingVideo),
          linkCap: (id) => this.#audience.linkCap(id),
        },
        options.quality,
      );
    }
    this.chat = new Chat(host, (m) => this.#events.emit('message', m), options.chat);
    this.#reactions = new Reactions({
      localId: () => this.#localId,
      send: (msg) => this.#sendFeature(msg),
      emit: (event) => this.#events.emit('reaction', event),
    });
    this.#hands = new Hands({
      localId: () => this.#localId,
      send: (msg, to) => this.#sendFeature(msg, to),
      mayLower: (from) => this.#roles.get(from) === 'host' || this.#hostless(),
      changed: () => this.#publish(),
      loweredBy: (by) => this.#events.emit('hand-lowered', { by, byName: this.#mesh.get(by)?.info.name ?? '' }),
    });
    this.hands = this.#hands.queue;
    // Our id is the server's once joined; out of the call every hand is down.
    this.#status.listen((status) => {
      if (status === 'joined') this.#hands.refresh();
      else if (!isJoiningOrInCall(status)) {
        this.#hands.reset();
        this.#reactions.reset();
      }
    });
    this.files = new FileTransfers(host, (event, ...args) => this.#events.emit(event, ...args), options.files);
    this.media.onTrackChange = (kind, track) => this.#onLocalTrack(kind, track);
    this.media.onScreenChange = (screen) => this.#onLocalScreen(screen);
    this.media.onError = (error) => this.#report(error);
    this.#status.listen((status) => {
      if (isInCall(status)) this.stats.start();
      else this.stats.stop();
      this.#publish();
      this.#events.emit('status', status);
    });
    this.media.state.listen((m) => {
      this.#speaking.setLocal(LOCAL, m.audioEnabled ? this.media.audioTrack : null);
      this.#publish();
      for (const r of this.#mesh.values()) r.link.sendState();
    });
    this.#publish();
  }

  get localId(): string {
    return this.#localId;
  }
  get name(): string {
    return this.#name;
  }
  /** Signals through the server are sealed with a room key (docs/security.md). */
  get sealed(): boolean {
    return !!this.#options.roomKey;
  }

  /** The devices this session opens (the `media` option; default both): elements leave out what it never uses. */
  get requestedMedia(): Readonly<MediaRequest> {
    return this.#options.media ?? { audio: true, video: true };
  }
  /** Made with `viewer: true`: we asked to only watch (a token viewer or a host's change is not this). */
  get viewerRequested(): boolean {
    return !!this.#options.viewer;
  }

  /** We take part as a viewer (no camera or microphone): the token says so before joining, the server once joined. */
  get isViewer(): boolean {
    return this.#viewer;
  }

  /**
   * Before joining a broadcast room (`mode: 'broadcast'`) without a token role: we join watching,
   * and present only if the server makes us (the first in the room); the devices are asked for then.
   */
  get mayPresent(): boolean {
    if (isInCall(this.#status.get())) return false;
    return this.#options.mode === 'broadcast' && !this.#options.viewer && !roleInToken(this.#options.token);
  }

  get #viewer(): boolean {
    if (isInCall(this.#status.get())) return this.moderation.role.get() === 'viewer';
    // A broadcast without a token role: we watch unless the server makes us present (then the devices open).
    const broadcastViewer = this.#options.mode === 'broadcast' && !roleInToken(this.#options.token);
    return !!this.#options.viewer || roleInToken(this.#options.token) === 'viewer' || broadcastViewer;
  }

  #refuseViewer(): boolean {
    if (!this.#viewer) return false;
    this.#report(new RtcError('not-allowed', 'You are in this call as a viewer: you can watch and listen, but not send audio or video.'));
    return true;
  }

  on<E extends keyof SessionEvents>(event: E, cb: SessionEvents[E]): () => void {
    return this.#events.on(event, cb);
  }

  /** Open camera and microphone before joining (a pre-join preview). Never rejects: see localMedia.errors. */
  async startMedia(): Promise<LocalMediaState> {
    if (this.#viewer) return this.media.state.get();
    // Follow plugged and unplugged devices while we hold any: the active one may go away.
    this.#unwatchDevices ??= this.devices.watch();
    const state = await this.media.acquire(this.#options.media);
    for (const err of Object.values(state.errors)) if (err) this.#reportOnce(err);
    // Opened during the call (a viewer invited on stage, a broadcast's presenter): send them on the links we have.
    if (this.#mesh.size && !this.#viewer) {
      await this.#onLocalTrack('audio', this.media.audioTrack);
      await this.#onLocalTrack('video', this.media.outgoingVideo);
    }
    return state;
  }

  /**
   * Get ready to join while the pre-join step is open: connect to the signaling server, fetch the
   * ICE servers, make the join's key and proof (and the room key's sealer), and the peer connection
   * the first offer goes out on (offer made, candidates gathered; made anew with new credentials
   * when those age), so that join() only sends `join` on an open connection, then that offer.
   * Idempotent and cheap to call again; never rejects (join() reports whatever failed). Nobody in
   * the room sees us before join(); leave() closes the connection. A server that goes away
   * meanwhile is reconnected to, by join() at the latest.
   */
  prepare(): Promise<void> {
    if (isJoiningOrInCall(this.#status.get())) return Promise.resolve();
    if (this.#prepared && this.#prepared.transport === this.#transport) return this.#prepared.done;
    let t: SignalingTransport;
    try {
      t = this.#transport ??= this.#createTransport();
    } catch {
      return Promise.resolve(); // no server to reach: join() says so
    }
    const key = this.#options.roomKey;
    const lastReply = this.#lastReply;
    const done = Promise.allSettled([
      key && !this.#sealer ? roomSealer(key, this.room).then((sealer) => void (this.#sealer ??= sealer)) : undefined,
      t.prepare?.(this.room),
      t.iceServers().then((reply) => {
        // A join reply's, if one came meanwhile, are fresher: those win.
        if (this.#transport !== t || this.#lastReply !== lastReply) return;
        this.#iceServers = reply.iceServers;
        return this.#makeSpare(reply.iceServersTtl);
      }),
    ]).then(() => undefined);
    this.#prepared = { transport: t, done };
    return done;
  }

  /**
   * The connection the join's first offer goes out on, made now (a viewer offers nothing, and in a
   * broadcast the audience decides who connects to whom). TURN credentials are good for ttlSeconds:
   * used within half of that, they outlast the connection's setup.
   */
  #makeSpare(ttlSeconds: number): Promise<void> | undefined {
    if (isJoiningOrInCall(this.#status.get()) || this.#viewer || this.#options.mode === 'broadcast') return;
    const { audioTrack: audio, outgoingVideo: video } = this.media;
    const freshMs = ttlSeconds > 0 ? ttlSeconds * 500 : Infinity;
    const made = this.#spare.make(this.#rtcConfiguration(this.#iceServers), { audio, video, stream: this.media.state.get().stream }, freshMs);
    clearTimeout(this.#spareRenewal);
    const freshFor = this.#spare.freshFor();
    if (freshFor > 0 && Number.isFinite(freshFor)) this.#spareRenewal = setTimeout(() => this.#renewSpare(), freshFor);
    return made;
  }

  /**
   * The spare went stale with the pre-join step still open (someone who waits there longer than
   * half the TURN credentials' lifetime): new credentials, and a new spare made with them, so that
   * this join too only sends its offer.
   */
  #renewSpare(): void {
    const t = this.#transport;
    if (!t || this.#prepared?.transport !== t || isJoiningOrInCall(this.#status.get())) return;
    this.#spare.drop();
    const lastReply = this.#lastReply;
    t.iceServers().then(
      (reply) => {
        if (this.#transport !== t || this.#lastReply !== lastReply) return;
        this.#iceServers = reply.iceServers;
        void this.#makeSpare(reply.iceServersTtl);
      },
      () => undefined, // no spare: join() makes its connections as usual
    );
  }

  /**
   * The ICE servers links use: the server's (known once prepared or joined) and the `iceServers`
   * option's.
   */
  get iceServers(): RTCIceServer[] {
    return this.#rtcConfiguration(this.#iceServers).iceServers!;
  }

  /** Join the room: opens the devices (if not yet), connects, and calls everyone already there. */
  async join(name?: string): Promise<void> {
    if (isJoiningOrInCall(this.#status.get())) return;
    if (name !== undefined) this.#name = name;
    const attempt = ++this.#attempt;
    // leave() while joining (e.g. the element was removed) cancels the attempt: nothing it opens may outlive it.
    const cancelled = () => attempt !== this.#attempt;
    this.#status.set('joining');
    this.#error.set(null);
    try {
      // A broadcast join without a token role learns from the server whether we present: devices after joining.
      const deferMedia = this.#options.mode === 'broadcast' && !roleInToken(this.#options.token);
      if (!deferMedia) await this.startMedia();
      if (cancelled()) throw new Error('cancelled');
      if (this.#options.roomKey) this.#sealer ??= await roomSealer(this.#options.roomKey, this.room);
      this.#transport ??= this.#createTransport();
      await this.#joinRoom();
      if (cancelled()) throw new Error('cancelled');
      this.#status.set('joined');
      this.#speaking.startPolling(() => this.#audioReceivers());
      this.#events.emit('join', { id: this.#localId, room: this.room });
      if (deferMedia && !this.#viewer) await this.startMedia();
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
    this.#stopWaiting?.();
    const wasInCall = isJoiningOrInCall(this.#status.get());
    // Our recording ends with the call (its file stays in its result); the others hear so before we go.
    void this.stopRecording();
    // Fail our transfers as ours before the server's ack: meanwhile the peers, told first, close
    // the channels, and the transfers would wrongly say that they left.
    for (const id of this.#mesh.ids()) this.#detachData(id, { code: 'you-left' });
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
    if (on && this.#refuseViewer()) return;
    await this.#mediaAction(() => this.media.setAudioEnabled(on));
  }

  /**
   * Turn the camera off (the device is released) or on again (sent to everyone with replaceTrack).
   * Turned off before join(), it stays off in the call until turned on.
   */
  async setCameraEnabled(on: boolean): Promise<void> {
    if (on && this.#refuseViewer()) return;
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
   * Share the screen beside the camera: it goes out on transceivers of its own (added by a
   * renegotiation on the first share), everyone sees `screenSharing` and `screenStream`. The user
   * cancelling the picker is not an error: nothing changes.
   */
  async startScreenShare(): Promise<void> {
    if (this.#refuseViewer()) return;
    await this.#mediaAction(() => this.media.startScreenShare());
  }

  /** Stop sharing: the screen's tracks stop; the camera goes on as it was. */
  async stopScreenShare(): Promise<void> {
    await this.#mediaAction(() => this.media.stopScreenShare());
  }

  toggleScreenShare(): Promise<void> {
    return this.media.state.get().screenSharing ? this.stopScreenShare() : this.startScreenShare();
  }

  dismissError(): void {
    this.#error.set(null);
  }

  /**
   * React with one of REACTIONS (👍 👏 ❤️ 😂 😮 🎉; anything else throws a TypeError): everyone,
   * we included, hears a `reaction` event. False when not in the call, or over 5 per second.
   */
  react(emoji: string): boolean {
    if (!isReaction(emoji)) throw new TypeError(`Not a reaction: ${JSON.stringify(emoji)} (one of REACTIONS is).`);
    return isInCall(this.#status.get()) && this.#reactions.react(emoji);
  }

  /** Raise our hand: we join the end of the queue (`hands`), on every page. Viewers may too. */
  raiseHand(): void {
    this.#hands.raise();
  }

  /**
   * Lower our hand, or (`id` of someone else) ask their page to lower theirs: hosts only, or
   * anyone in a room without hosts (a signaling server without roles); otherwise a `not-allowed`
   * RtcError is thrown.
   */
  lowerHand(id?: string): void {
    if (id === undefined || id === this.#localId) return this.#hands.lower();
    if (!this.canLowerHands) throw new RtcError('not-allowed', 'Only a host can lower other people’s hands.');
    if (this.#mesh.get(id)) this.#hands.lowerOther(id);
  }

  /**
   * Record the call on this device (src/core/recording): everyone's video composed as the room
   * shows it and everyone's sound mixed, or `participant` alone, as WebM. Everyone in the call
   * sees that we record (`Participant.recording`). Stop with stopRecording() or the recording's
   * stop(); leaving stops it too. Throws an RtcError when not in the call, when already
   * recording, or when the browser cannot record.
   */
  startRecording(options: RecordingOptions = {}): Recording {
    if (!isInCall(this.#status.get())) throw new RtcError('not-allowed', 'Join the call to record it.');
    if (this.#recording.get()) throw new RtcError('not-allowed', 'The call is already being recorded here.');
    const recording = new Recording(
      {
        room: this.room,
        participants: () => this.#participants.get(),
        // Ours: the microphone, also while the tile shows the screen; theirs: what we receive (none from a viewer).
        audioOf: (p) => [
          ...(p.isLocal ? (this.media.audioTrack ? [this.media.audioTrack] : []) : (p.stream?.getAudioTracks() ?? [])),
          ...(p.screenStream?.getAudioTracks() ?? []),
        ],
      },
      options,
    );
    this.#recording.set(recording);
    // From 'stopping' on we no longer record: the others hear it at once (leave() waits for nothing).
    const off = recording.state.listen((state) => {
      if (state === 'failed' && recording.error) this.#report(recording.error);
      if (state === 'stopped' || state === 'failed') off();
      if (this.#recording.get() !== recording) return;
      this.#recording.set(null);
      this.#sendFeature({ type: 'recording', on: false });
      this.#publish();
    });
    this.#sendFeature({ type: 'recording', on: true });
    this.#publish();
    return recording;
  }

  /** Stop our recording and give its file; null when not recording. */
  async stopRecording(): Promise<RecordingResult | null> {
    return (await this.#recording.get()?.stop()) ?? null;
  }

  /** Our hand is raised. */
  get handRaised(): boolean {
    return this.#hands.raised;
  }

  /** We may lower other people's hands (we are a host, or nobody in the room is). */
  get canLowerHands(): boolean {
    return this.moderation.role.get() === 'host' || this.#hostless();
  }

  /** Nobody here is a host (a signaling server without roles): everyone runs the room alike. */
  #hostless(): boolean {
    if (this.moderation.role.get() === 'host') return false;
    return !this.#mesh.ids().some((id) => this.#roles.get(id) === 'host');
  }

  /** While reconnecting to the signaling server: try again now instead of at the next scheduled attempt. */
  reconnect(): void {
    if (this.#status.get() !== 'reconnecting') return;
    this.#offline.set(false);
    this.#armOfflineTimer();
    this.#transport?.reconnectNow?.();
  }

  /**
   * Four words computed from the DTLS certificates of the connection to a participant: the same
   * on both ends unless someone is in the middle (compare them aloud). Null until connected.
   */
  async safetyCode(peerId: string): Promise<string | null> {
    const pc = this.peerConnection(peerId);
    return pc ? connectionSafetyCode(pc) : null;
  }

  /** The peer connection to one participant (for stats and diagnostics). */
  peerConnection(id: string): RTCPeerConnection | undefined {
    return this.#mesh.get(id)?.link.pc;
  }
  /**
   * A data channel of the app's own (games, telemetry), named `label`, to every participant now
   * and later: negotiated, so opening it never renegotiates. The same label gives the same channel
   * (other options throw); it outlives leave() and join() until its close(). Every peer must open
   * it with the same options (docs/protocol.md §10 "App channels").
   */
  channel(label: string, options?: AppChannelOptions): AppChannel {
    return this.#apps.channel(label, options);
  }
  /** One of the data channels to a participant (diagnostics, tests). */
  dataChannel(id: string, label: 'control' | 'chat' | 'files'): RTCDataChannel | undefined {
    return this.#mesh.get(id)?.link.channel(label);
  }
  /**
   * How large this page shows a participant's video, in device pixels (0 × 0: not shown), from
   * one `source` (e.g. a tile; the largest of a participant's sources counts); null: this source
   * no longer shows it. The participant's client then sends a picture of about that size (see
   * the `quality` option). Participants nobody reports on get full quality.
   */
  setView(peerId: string, size: Size | null, source?: unknown): void {
    this.#quality?.setView(peerId, size, source);
  }

  /** Receiver-driven quality, for diagnostics and tests: the views we send, and per participant what it asked of us and what we apply. */
  qualityState(peerId?: string) {
    return { views: this.#quality?.views() ?? new Map(), link: peerId ? this.#quality?.sendState(peerId) : undefined };
  }

  /** Negotiation counters for one participant (diagnostics, tests). */
  negotiationStats(id: string): PeerLink['stats'] | undefined {
    return this.#mesh.get(id)?.link.stats;
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
    if (this.#options.server) return new SocketIoTransport(this.#options.server);
    // None given: the page's own origin, which serves the call server in the simplest setup.
    const origin = globalThis.location?.origin;
    if (!hasOrigin(origin)) throw noServerError();
    return new SocketIoTransport(origin, { guessed: true });
  }

  /** Listen to the transport once; then join (or, after a drop, resume) the room. */
  async #joinRoom(): Promise<void> {
    const t = this.#transport!;
    this.#transportOff.forEach((off) => off());
    this.#transportOff = [
      t.on('peer-joined', (p) => {
        this.#roles.set(p.id, p.role ?? 'guest');
        this.#audience.add(p);
        if (!this.#audience.connects(p.id)) return;
        // The newcomer's offer is on its way: the answer goes out before the new tile renders.
        void this.#holdWhile(() => this.#mesh.add(p, false).link.exchanged(), ANSWER_WAIT_MS);
      }),
      t.on('peer-left', (e) => {
        this.#audience.delete(e.id);
        this.#mesh.remove(e.id, e.reason);
      }),
      t.on('signal', ({ from, data }) => this.#receive(t, from, data)),
      t.on('disconnect', () => {
        if (this.#status.get() !== 'joined') return;
        // The links are peer to peer: the call goes on while the server is away.
        this.#status.set('reconnecting');
        this.#armOfflineTimer();
      }),
      t.on('reconnect', () => void this.#resume()),
      t.on('knock', (k) => this.moderation.knocked(k)),
      t.on('knock-gone', (e) => this.moderation.knockGone(e?.id)),
      t.on('room-settings', (settings) => this.moderation.settingsChanged(settings)),
      t.on('peer-role', ({ id, role }) => {
        if (id !== this.#localId) this.#audience.setRole(id, role);
        if (id === this.#localId) this.#roleChanged(role);
        else if (this.#mesh.get(id)) this.#roles.set(id, role);
        this.#rearrange(id === this.#localId);
        this.#publish();
      }),
      t.on('mute-requested', (e) => void this.#muteRequested(e)),
      t.on('removed', (e) => this.#end(new RtcError('removed', `${e.byName || 'A host'} removed you from the call.`))),
      t.on('room-ended', (e) =>
        this.#end(
          new RtcError('room-ended', e.by === this.#localId ? 'You ended the call for everyone.' : `${e.byName || 'A host'} ended the call for everyone.`),
        ),
      ),
      t.on('server-error', (e) => {
        // A signal to a peer that just left, or whose own connection is away for a moment, is
        // refused: nothing the user can act on (the link resends or restarts when it matters).
        // So is one that crossed a role change in a broadcast (two viewers now): that link closes.
        if ((e.code === 'unknown-peer' || e.code === 'viewer-to-viewer') && e.event === 'signal') return;
        this.#report(new RtcError('protocol-error', e.message, { cause: e }));
      }),
    ];
    this.#applyReply(await this.#joinOrWait(t));
    // The newcomer calls everyone already there; they wait for our offer. The offers go out before
    // anything is published: rendering the call view would hold them up.
    await this.#holdWhile(() => {
      const links = this.#lastReply!.peers.filter((p) => this.#audience.connects(p.id)).map((p) => this.#mesh.add(p, true).link);
      this.#spare.drop(); // nobody was there to take it: links made later answer, or start over
      return Promise.all(links.map((l) => l.settled()));
    }, OFFERS_WAIT_MS);
  }

  /** Publish nothing while `work`'s promise is pending (`ms` at most), then what changed meanwhile. Holds nest. */
  async #holdWhile(work: () => Promise<unknown>, ms: number): Promise<void> {
    const hold = (this.#hold ??= { count: 0, held: [] });
    hold.count++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([work(), new Promise((r) => (timer = setTimeout(r, ms)))]);
    } finally {
      clearTimeout(timer);
      // Torn down meanwhile (left): that published already.
      if (this.#hold === hold && --hold.count === 0) {
        this.#hold = undefined;
        this.#publish();
        for (const id of hold.held) {
          const participant = this.#participants.get().find((p) => p.id === id);
          if (participant) this.#events.emit('peer-join', participant);
        }
      }
    }
  }

  /** Join; in a room with a lobby, wait (status 'waiting') until a host lets us in, then join. */
  async #joinOrWait(t: SignalingTransport): Promise<JoinReply> {
    for (;;) {
      try {
        return await t.join(this.room, this.#name, {
          token: this.#options.token,
          ...(this.#options.viewer ? { role: 'viewer' as const } : {}),
          ...(this.#options.mode ? { mode: this.#options.mode } : {}),
        });
      } catch (err) {
        if (!(err instanceof RtcError) || err.code !== 'in-lobby') throw err;
      }
      this.#status.set('waiting');
      await new Promise<void>((resolve, reject) => {
        const offs = [
          t.on('admitted', () => done()),
          t.on('denied', (e) => done(new RtcError('denied', `${e.byName || 'The host'} did not let you in.`))),
          // The server forgets a knock whose connection dropped: knock again once back.
          t.on('reconnect', () => done()),
        ];
        const done = (error?: RtcError) => {
          offs.forEach((off) => off());
          this.#stopWaiting = undefined;
          if (error) reject(error);
          else resolve();
        };
        this.#stopWaiting = (error) => done(error ?? new RtcError('join-failed', 'Stopped waiting to be let in.'));
      });
      this.#status.set('joining');
    }
  }

  /**
   * Broadcast rooms, after a role change: open the links that should now exist (the member whose
   * role changed offers; the others expect its offer) and close those that should not.
   */
  #rearrange(weChanged: boolean): void {
    if (!this.#audience.broadcast) return;
    const { open, close } = this.#audience.plan(this.#mesh.ids());
    for (const id of close) this.#mesh.remove(id, 'left', { remember: false });
    for (const id of open) {
      const info = this.#audience.info(id);
      if (!info) continue;
      this.#roles.set(id, info.role ?? 'guest');
      this.#mesh.add(info, weChanged);
    }
  }

  #roleChanged(role: Role): void {
    const wasViewer = this.#viewer;
    this.moderation.roleChanged(role);
    // Made a viewer: stop sending. (Made a guest from a viewer: the user turns devices on.)
    if (!wasViewer && this.#viewer) this.media.stop();
  }

  async #muteRequested(e: ByEvent & { kind?: 'audio' | 'video' }): Promise<void> {
    const kind: MediaKind = e.kind === 'video' ? 'video' : 'audio';
    const m = this.media.state.get();
    if (kind === 'audio' ? m.audioEnabled : m.videoEnabled) {
      await (kind === 'audio' ? this.setMicrophoneEnabled(false) : this.setCameraEnabled(false));
    }
    this.#events.emit('mute-requested', { by: e.by, byName: e.byName, kind });
  }

  /** A host removed us or ended the call: everything closes, and the user is told why. */
  #end(error: RtcError): void {
    this.#attempt++;
    this.#stopWaiting?.(error);
    for (const id of this.#mesh.ids()) this.#detachData(id, { code: 'call-ended', detail: error.message });
    this.#teardown();
    this.media.stop();
    this.#speaking.stop();
    this.#unwatchDevices?.();
    this.#unwatchDevices = undefined;
    this.#status.set('ended');
    this.#report(error);
    this.#events.emit('leave');
  }

  // Sealed signaling (docs/security.md). Sealing and opening are async: one promise chain per peer
  // and direction keeps signals in the order they were made and received.
  #sealer?: Sealer;
  readonly #outgoing = new Map<string, Promise<void>>();
  readonly #incoming = new Map<string, Promise<void>>();
  /** Peers whose refused signals were reported (once per peer, not per candidate). */
  readonly #refused = new Set<string>();

  #sendSealed(t: SignalingTransport, sealer: Sealer, to: string, data: PeerSignal): void {
    const from = this.#localId;
    const sealing = sealer.seal(from, to, data);
    const next = (this.#outgoing.get(to) ?? Promise.resolve())
      .then(() => sealing)
      .then((sealed) => {
        if (this.#transport === t && t.connected) t.signal(to, sealed);
      })
      .catch(() => undefined);
    this.#outgoing.set(to, next);
  }

  #receive(t: SignalingTransport, from: string, data: SignalData): void {
    // A broadcast: nothing from a member we must not connect to (another viewer), whatever it sends.
    if (!this.#audience.connects(from)) return;
    const sealer = this.#sealer;
    if (!sealer) {
      if ('sealed' in data) this.#refuse(from, 'it was sealed with a room key this page does not have (open the full invite link, with its #key=)');
      else this.#mesh.signal(from, data);
      return;
    }
    if (!('sealed' in data))
      return this.#refuse(from, "it was not sealed with this room's key (someone without the key, perhaps the server, tried to take part)");
    const to = this.#localId;
    const opening = sealer.open(from, to, data);
    const next = (this.#incoming.get(from) ?? Promise.resolve()).then(async () => {
      const signal = await opening;
      if (this.#transport !== t) return;
      if (signal) this.#mesh.signal(from, signal);
      else this.#refuse(from, "it was not sealed with this room's key (someone without the key, perhaps the server, tried to take part)");
    });
    this.#incoming.set(from, next);
  }

  #refuse(from: string, why: string): void {
    if (this.#refused.has(from)) return;
    this.#refused.add(from);
    const name = this.#mesh.get(from)?.info.name ?? this.#lastReply?.peers.find((p) => p.id === from)?.name;
    this.#report(new RtcError('signal-refused', `A connection attempt${name ? ` from ${name}` : ''} was refused: ${why}.`, { peerId: from }));
  }

  #lastReply?: JoinReply;
  #applyReply(reply: JoinReply): void {
    this.#lastReply = reply;
    this.#localId = reply.id;
    this.#iceServers = reply.iceServers;
    if (reply.name && this.#options.token) this.#name = reply.name; // the token's name
    for (const p of reply.peers) this.#roles.set(p.id, p.role ?? 'guest');
    this.moderation.joined(reply);
    this.#audience.joined(reply);
    if (reply.role === 'viewer') this.media.stop();
    if (reply.resumeGrace > 0) this.#resumeGraceMs = reply.resumeGrace * 1000;
  }

  /** A resume is on its way; another reconnect came meanwhile. */
  #resuming = false;
  #resumeAgain = false;

  /**
   * The signaling connection is back: continue as the same participant, keeping every link. If our
   * seat expired meanwhile, everyone has let us go: start over as a newcomer under a new id.
   */
  async #resume(): Promise<void> {
    // One at a time: two joins on one connection would have the server refuse the second. A
    // reconnect while one is on its way is taken up once it ends (it may have missed the new connection).
    if (this.#resuming) return void (this.#resumeAgain = true);
    this.#resuming = true;
    try {
      await this.#resumeOnce();
    } finally {
      this.#resuming = false;
    }
    if (this.#resumeAgain) {
      this.#resumeAgain = false;
      await this.#resume();
    }
  }

  async #resumeOnce(): Promise<void> {
    if (this.#status.get() !== 'reconnecting') return;
    const attempt = this.#attempt;
    const t = this.#transport!;
    try {
      const reply = await t.join(this.room, this.#name, { resume: true, token: this.#options.token });
      if (attempt !== this.#attempt) return;
      this.#applyReply(reply);
      this.#mesh.reconcile(
        reply.peers.filter((p) => this.#audience.connects(p.id)),
        this.#resumeGraceMs,
      );
      this.#mesh.signalingRestored();
      this.#back();
    } catch (err) {
      if (attempt !== this.#attempt) return;
      if (err instanceof RtcError && err.code === 'resume-expired') return this.#startOver(attempt);
      // Lost again on the way (the next reconnect tries again), or refused: the call cannot go on.
      if (!t.connected && err instanceof RtcError && err.code === 'signaling-failed') return;
      this.#fail(err);
    }
  }

  async #startOver(attempt: number): Promise<void> {
    this.#mesh.closeAll({ code: 'interrupted' }, 'disconnected');
    try {
      this.#applyReply(await this.#joinOrWait(this.#transport!));
      if (attempt !== this.#attempt) return;
      for (const peer of this.#lastReply!.peers) if (this.#audience.connects(peer.id)) this.#mesh.add(peer, true);
      this.#back();
      this.#events.emit('join', { id: this.#localId, room: this.room });
    } catch (err) {
      if (attempt === this.#attempt) this.#fail(err);
    }
  }

  /** The remotes whose link was last published as not connected. */
  readonly #linksDown = new Set<string>();

  /**
   * "Cannot connect to Bo", "Bo: No answer to our offer": no longer true once the link to Bo
   * comes up, so the banner goes. An error about a link that was up all along stays.
   */
  #linkState(id: string, state: RTCPeerConnectionState): void {
    if (state !== 'connected') return void this.#linksDown.add(id);
    if (!this.#linksDown.delete(id)) return;
    const e = this.#error.get();
    if (e?.code === 'peer-failed' && e.details.peerId === id) this.#error.set(null);
  }

  #back(): void {
    clearTimeout(this.#offlineTimer);
    this.#offline.set(false);
    // "Cannot reach the call server" is no longer true: do not leave it up for the user to dismiss.
    if (this.#error.get()?.code === 'signaling-failed') this.#error.set(null);
    this.#status.set('joined');
    this.#publish();
  }

  /** Could not get back into the room (e.g. it filled up meanwhile): the call ends with a clear message. */
  #fail(err: unknown): void {
    const error =
      err instanceof RtcError
        ? err.code === 'room-full'
          ? new RtcError('room-full', 'You lost your place in the call and the room is now full. Try again later.', { cause: err })
          : err
        : new RtcError('join-failed', 'Could not rejoin the call.', { cause: err });
    this.#teardown();
    this.#status.set('failed');
    this.#report(error);
  }

  #armOfflineTimer(): void {
    clearTimeout(this.#offlineTimer);
    this.#offlineTimer = setTimeout(() => {
      if (this.#status.get() !== 'reconnecting') return;
      this.#offline.set(true);
      this.#report(new RtcError('signaling-failed', 'Cannot reach the call server. The call goes on with the people here, but nobody new can join.'));
    }, this.#resumeGraceMs);
  }

  async #onLocalTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    const links = [...this.#mesh.values()].map((r) => r.link);
    const results = await Promise.allSettled(links.map((link) => link.setTrack(kind, track)));
    // Another camera or the screen: another capture size to scale from.
    if (kind === 'video') this.#quality?.refresh();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) this.#report(new RtcError('media-failed', 'Could not switch the track.', { kind, cause: failed.reason }));
  }

  /** The screen share started or stopped: every link sends it beside the camera, or stops (P2P 1.6). */
  async #onLocalScreen(screen: MediaStream | null): Promise<void> {
    if (this.#viewer) return;
    const links = [...this.#mesh.values()].map((r) => r.link);
    const results = await Promise.allSettled(links.map((link) => link.setScreen(screen)));
    this.#quality?.refresh();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) this.#report(new RtcError('screen-share-failed', 'Could not send the screen.', { cause: failed.reason }));
  }

  /**
   * A feature's message from a peer on the control channel (validated by its schema, still
   * untrusted: each feature checks roles and rates). Features add their case here.
   */
  #onFeature(from: string, msg: FeatureMessage): void {
    if (msg.type === 'reaction') this.#reactions.received(from, msg);
    else if (msg.type === 'hand' || msg.type === 'lower-hand') this.#hands.received(from, msg);
    else if (msg.type === 'recording') this.#recorders.received(from, msg);
  }

  /** A feature's message to every connected peer (or to one); the peers whose control channel is not open miss it. */
  #sendFeature(msg: FeatureMessage, to?: string): void {
    for (const { info, link } of this.#mesh.values()) if (!to || info.id === to) link.sendControl(msg);
  }

  #rtcConfiguration(serverIce: RTCIceServer[]): RTCConfiguration {
    return {
      iceServers: [...serverIce, ...(this.#options.iceServers ?? [])],
      iceTransportPolicy: this.#options.iceTransportPolicy ?? 'all',
    };
  }

  // A link that cannot connect while the call has no TURN server: say why (tile text, and an error
  // naming the fix) instead of a black tile that says "Connecting…" for ever.
  readonly #linkSeen = new WeakMap<PeerLink, { since: number; connected: boolean }>();
  readonly #noPathReported = new Set<string>();
  #noPathTimer?: ReturnType<typeof setTimeout>;

  #noPath(info: { id: string; name: string }, link: PeerLink, state: RTCPeerConnectionState): { problem?: string; problemCode?: ParticipantProblem } {
    const seen = this.#linkSeen.get(link) ?? { since: performance.now(), connected: false };
    this.#linkSeen.set(link, seen);
    // ICE found a path: the networks allow one, whatever holds the handshake up (a starved
    // machine's slow DTLS, a forged fingerprint).
    const ice = link.pc.iceConnectionState;
    if (state === 'connected' || ice === 'connected' || ice === 'completed') {
      seen.connected = true;
      this.#noPathReported.delete(info.id);
    }
    // A link that once connected and dropped is recovering (ICE restarts), not "cannot connect".
    if (seen.connected || state === 'closed' || hasTurnServer(this.#rtcConfiguration(this.#iceServers).iceServers)) return {};
    // Once found, it holds until a link to them connects (ICE restarts and new links would flip it back to "Connecting…").
    if (this.#noPathReported.has(info.id)) return { problem: NO_RELAY_TEXT, problemCode: 'no-relay' };
    const pc = link.pc;
    // Gathering is over and found no address at all (e.g. relay-only without a relay): no path can ever form.
    const noCandidates = pc.iceGatheringState === 'complete' && !!pc.localDescription && !/a=candidate:/.test(pc.localDescription.sdp);
    if (state !== 'failed' && !noCandidates && performance.now() - seen.since < NO_PATH_MS) {
      this.#noPathTimer ??= setTimeout(() => {
        this.#noPathTimer = undefined;
        this.#publish();
      }, NO_PATH_CHECK_MS);
      return {};
    }
    this.#noPathReported.add(info.id);
    queueMicrotask(() => this.#report(new RtcError('peer-failed', `Cannot connect to ${info.name}. ${NO_RELAY_FIX}`, { peerId: info.id })));
    return { problem: NO_RELAY_TEXT, problemCode: 'no-relay' };
  }

  #teardown(): void {
    clearTimeout(this.#noPathTimer);
    this.#noPathTimer = undefined;
    this.#noPathReported.clear();
    this.#linksDown.clear();
    this.#speaking.stopPolling();
    clearTimeout(this.#offlineTimer);
    this.#offline.set(false);
    this.#transportOff.forEach((off) => off());
    this.#transportOff = [];
    for (const id of this.#mesh.ids()) this.#speaking.forget(id);
    void this.#recording.get()?.stop();
    this.#recorders.reset();
    this.#mesh.closeAll({ code: 'you-left' });
    this.#audience.reset();
    this.#transport?.close();
    this.#transport = undefined;
    this.#prepared = undefined;
    clearTimeout(this.#spareRenewal);
    this.#spare.drop();
    this.#hold = undefined;
  }

  /** The peer is gone: its chat channel closes and its transfers fail (their memory is freed). */
  #detachData(id: string, reason?: TransferError): void {
    this.chat.detach(id);
    this.files.detach(id, reason);
    this.#apps.detach(id);
  }

  #reported = new WeakSet<RtcError>();
  #reportOnce(error: RtcError): void {
    if (this.#reported.has(error)) return;
    this.#reported.add(error);
    this.#report(error);
  }

  /** Audio receivers of connected remotes, undefined for the muted ones (they are silent at once). */
  *#audioReceivers(): Iterable<[string, RTCRtpReceiver | undefined]> {
    for (const { info, link } of this.#mesh.values()) {
      const id = info.id;
      const s = link.state.get();
      const silent = s.remote?.audioMuted || s.connectionState !== 'connected' || this.#roles.get(id) === 'viewer';
      yield [id, silent ? undefined : link.receiver('audio')];
    }
  }

  #report(error: RtcError): void {
    this.#error.set(error);
    this.#events.emit('error', error);
  }

  #publish(): void {
    if (this.#hold) return; // published once the exchange is done
    const m = this.media.state.get();
    const status = this.#status.get();
    const local: Participant = {
      id: this.#localId,
      name: this.#name || 'You',
      isLocal: true,
      stream: m.stream,
      screenStream: m.screenStream,
      audioMuted: !m.audioEnabled,
      videoMuted: !m.videoEnabled,
      connectionState: isInCall(status) ? 'connected' : status === 'joining' ? 'connecting' : 'new',
      screenSharing: m.screenSharing,
      speaking: m.audioEnabled && this.#speaking.isSpeaking(LOCAL),
      reconnecting: status === 'reconnecting',
      role: this.moderation.role.get(),
      handRaised: this.#hands.raised,
      handPosition: this.#hands.position(this.#localId),
      recording: !!this.#recording.get(),
    };
    const remotes: Participant[] = [...this.#mesh.values()].map(({ info, link }) => {
      const s = link.state.get();
      this.#linkState(info.id, s.connectionState);
      const role = this.#roles.get(info.id) ?? 'guest';
      // The server says this peer is a viewer: whatever media its client sends anyway is not shown or played.
      const stream = role === 'viewer' ? (noMedia ??= new MediaStream()) : s.stream;
      const audioMuted = role === 'viewer' || (s.remote ? s.remote.audioMuted : stream.getAudioTracks().length === 0);
      return {
        id: info.id,
        name: info.name,
        isLocal: false,
        stream,
        screenStream: role === 'viewer' ? null : s.screenStream,
        audioMuted,
        videoMuted: role === 'viewer' || (s.remote ? s.remote.videoMuted : stream.getVideoTracks().length === 0),
        connectionState: s.connectionState,
        screenSharing: s.remote?.screenSharing ?? false,
        speaking: !audioMuted && this.#speaking.isSpeaking(info.id),
        reconnecting: s.reconnecting,
        role,
        quality: this.stats.quality(info.id),
        handRaised: this.#hands.position(info.id) > 0,
        handPosition: this.#hands.position(info.id),
        recording: this.#recorders.isRecording(info.id),
        ...this.#noPath(info, link, s.connectionState),
      };
    });
    // An unchanged participant keeps its record (the same object), and nothing is published when
    // nobody changed: a tile handed its record re-renders only when that participant changes.
    this.#participants.set(keepUnchanged([local, ...remotes], this.#participants.get()));
    const last = this.#speaking.lastSpeaker;
    this.#activeSpeaker.set(last === LOCAL ? this.#localId : last);
  }
}

/** The local tracks' settings (what the camera and microphone really deliver), for the stats report. */
function describeLocalMedia(m: LocalMediaState): unknown {
  const track = (t: MediaStreamTrack) => ({ kind: t.kind, label: t.label, enabled: t.enabled, readyState: t.readyState, settings: t.getSettings?.() });
  return {
    audioEnabled: m.audioEnabled,
    videoEnabled: m.videoEnabled,
    screenSharing: m.screenSharing,
    tracks: m.stream.getTracks().map(track),
    screen: m.screenStream?.getTracks().map(track) ?? [],
  };
}
