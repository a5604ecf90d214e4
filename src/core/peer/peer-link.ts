import { store } from '../state/store.js';
import type { MediaKind } from '../errors.js';
import type { PeerSignal } from '../signaling/protocol.js';
import { createLinkChannels, type LinkChannels } from './channels.js';
import { linkTiming } from './link-timing.js';
import type { SpareConnection } from './spare-connection.js';
import {
  candidateKey,
  offerWithSetup,
  parseControl,
  sdpSessionId,
  sdpSessionVersion,
  sdpSetup,
  withSetup,
  type ControlMessage,
  type ControlWire,
  type DtlsSetup,
  type FeatureMessage,
  type HealthMessage,
  type ViewMessage,
} from './control.js';

export type { ControlMessage } from './control.js';

export interface PeerLinkState {
  connectionState: RTCPeerConnectionState;
  /** The remote's camera and microphone tracks (one stream per peer, the same object for the link's life). */
  stream: MediaStream;
  /**
   * The remote's shared screen (its video, and its sound where sent) while the remote says it
   * shares and its tracks came on the screen transceivers (P2P 1.6); else null.
   */
  screenStream: MediaStream | null;
  /** The remote's last announced state; null until it arrives. */
  remote: ControlMessage | null;
  /** The connection dropped and ICE restarts are under way (or waiting for the server to be back). */
  reconnecting: boolean;
}

export interface PeerLinkOptions {
  localId: string;
  remoteId: string;
  configuration: RTCConfiguration;
  /** A connection made ahead with its offer ready (src/core/peer/spare-connection.ts): start() sends that offer. */
  spare?: SpareConnection;
  /** Send a signal through the server; false when it cannot be delivered now (signaling is down). */
  sendViaServer: (data: PeerSignal) => boolean;
  /** Local tracks to send, and the stream they belong to; `screen` while we share (sent on transceivers of its own). */
  tracks: () => { audio: MediaStreamTrack | null; video: MediaStreamTrack | null; stream: MediaStream; screen?: MediaStream | null };
  /** Our state, sent on the control channel whenever it opens. */
  localState: () => Omit<ControlMessage, 'signals'>;
  /** Fresh ICE servers before an ICE restart (TURN credentials are short-lived). */
  refreshIceServers?: () => Promise<RTCIceServer[]>;
  onError?: (message: string, cause?: unknown) => void;
  /** The chat and files data channels, once created (they open with the connection). */
  onChannels?: (channels: DataChannels) => void;
  /** The remote closed its end (its control channel closed while ours was not): it left or replaced this connection. */
  onRemoteClosed?: () => void;
  /**
   * The path failed and took the data channels with it (Firefox closes them when ICE fails): an
   * ICE restart cannot bring them back, the link must be made anew. `remoteOffers`: ICE is up, so
   * the remote may be making it anew already; wait for its offer (offering only if none comes).
   */
  onTransportLost?: (remoteOffers: boolean) => void;
  /** Offers from this remote SDP session are a dead connection's: ignore them (see Mesh rebuild). */
  ignoreSession?: string;
  /**
   * Our first offer crossed the remote's and we are the polite side: answer it from a new
   * connection rather than rolling ours back (a rollback would leave our transceivers over, which
   * one browser or the other chokes on). Without this option the offer is rolled back as usual.
   */
  onFirstOfferCrossed?: (offer: PeerSignal) => void;
  /** The remote told us how it shows our video (a `view` message, src/core/peer/quality.ts). */
  onView?: (view: ViewMessage) => void;
  /** The control channel opened: the remote has none of our views yet. */
  onControlOpen?: () => void;
  /** A feature's message from the remote (reactions, hands, recording): validated, not yet trusted. */
  onFeature?: (msg: FeatureMessage) => void;
}

/** The data channels beside `control`, negotiated with fixed ids (docs/protocol.md §10). */
export interface DataChannels {
  chat: RTCDataChannel;
  files: RTCDataChannel;
}

/** One change of one of the connection's states (diagnostics: `<rtc-stats>`, the copied report). */
export interface StateChange {
  /** Epoch ms (Date.now()). */
  time: number;
  kind: 'connection' | 'ice' | 'gathering' | 'signaling';
  state: string;
}

/** The state changes a link remembers (the oldest are dropped: a flapping link must not grow without end). */
const MAX_TIMELINE = 200;

const KINDS: MediaKind[] = ['audio', 'video'];
/**
 * Signals a peer may send on the control channel per second (a newcomer's offer and candidates
 * are far fewer); beyond that they are dropped, so a hostile peer cannot keep us renegotiating.
 */
const CHANNEL_SIGNALS_PER_SECOND = 100;

/**
 * One RTCPeerConnection to one remote peer, negotiated with the "perfect negotiation" pattern:
 * the polite side (lower peer id) rolls back on an offer collision, the impolite side ignores the
 * colliding offer, so either side may renegotiate at any time without glare.
 *
 * Once connected, signals go over the link's own `control` channel, so the link no longer needs
 * the signaling server; while it is down the link restarts ICE by itself.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  readonly state;
  /** Negotiation counters, for diagnostics and tests. */
  readonly stats = {
    offersSent: 0,
    answersSent: 0,
    offersReceived: 0,
    iceRestarts: 0,
    /** ICE server lists fetched for a restart (new TURN credentials). */
    iceServersRefreshed: 0,
    /** Restarts that went ahead with the old ICE servers because fetching new ones failed. */
    iceServersRefreshFailed: 0,
    /** Signals sent over the control channel instead of the server. */
    signalsViaChannel: 0,
    /** Local candidates sent as signals of their own (not those an offer made ahead carried in its SDP). */
    candidatesSent: 0,
    /** The link runs on the connection made ahead while the join was prepared (its first offer made then). */
    madeAhead: false,
  };

  /** Every change of the connection, ICE, gathering and signaling states, oldest first (bounded). */
  readonly timeline: StateChange[] = [];
  /** The remote's last `health` message (its view of its own links), null until one arrives. */
  readonly health = store<HealthMessage | null>(null);

  readonly #o: PeerLinkOptions;
  readonly #senders: Partial<Record<MediaKind, RTCRtpSender>> = {};
  /** The screen's senders (P2P 1.6): made on the first share, kept (direction recvonly) between shares so m-lines do not grow. */
  readonly #screenSenders: Partial<Record<MediaKind, RTCRtpSender>> = {};
  /** Every remote track with the transceiver it came on: sorted into camera and screen (#sortTracks). */
  readonly #received = new Map<MediaStreamTrack, RTCRtpTransceiver>();
  readonly #remoteScreen = new MediaStream();
  /** The screen mids last announced to the remote (JSON), so a changed mid is announced once. */
  #announcedScreen = '';
  #control?: RTCDataChannel;
  #data?: DataChannels;
  #makingOffer = false;
  #ignoreOffer = false;
  #pendingCandidates: (RTCIceCandidateInit | null)[] = [];
  #queue: Promise<void> = Promise.resolve();
  #started = false;
  #closed = false;
  #sentEndOfCandidates = false;
  #fallbackTimer?: ReturnType<typeof setTimeout>;
  #answerTimer?: ReturnType<typeof setTimeout>;
  #offerRetries = 0;
  #restarts = 0;
  /** Signals go through the server, not the open channel, until the connection comes up again (#send). */
  #viaServer = false;
  #recoveryTimer?: ReturnType<typeof setTimeout>;
  /** The connection went down and is not 'connected' again yet. */
  #down = false;
  /** performance.now() when it last came back up after being down. */
  #upAgainAt = -Infinity;
  #remoteSession?: string;
  /** Our DTLS role once a first answer settled it ('active' is the DTLS client): kept for the connection's life. */
  #dtlsRole?: DtlsSetup;
  #connectTimer?: ReturnType<typeof setTimeout>;
  #channelSignals = { second: 0, count: 0 };
  readonly #exchanged = deferred();

  constructor(options: PeerLinkOptions) {
    this.#o = options;
    this.polite = options.localId < options.remoteId;
    this.pc = options.spare?.pc ?? new RTCPeerConnection(options.configuration);
    this.stats.madeAhead = !!options.spare;
    this.state = store<PeerLinkState>({ connectionState: 'new', stream: new MediaStream(), screenStream: null, remote: null, reconnecting: false });
    const pc = this.pc;
    this.#watchStates();

    // Not while an exchange is under way (e.g. the first offer, made at once by start()): the
    // browser asks again once the connection is stable, if that exchange did not cover it.
    pc.onnegotiationneeded = () => this.#enqueue(() => (pc.signalingState === 'stable' ? this.#offer() : Promise.resolve()));
    // A spare's candidates wait for its offer to be sent (start()).
    if (!options.spare) pc.onicecandidate = ({ candidate }) => this.#onCandidate(candidate);
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'gathering') this.#sentEndOfCandidates = false;
    };
    pc.onsignalingstatechange = () => {
      if (pc.signalingState === 'stable') {
        clearTimeout(this.#answerTimer);
        this.#answerTimer = undefined;
        // The screen's m-lines got their mids (or another transceiver carries it now): say so.
        this.#announceScreen();
        this.#sortTracks();
      }
    };
    pc.ontrack = ({ track, transceiver }) => {
      this.#received.set(track, transceiver);
      this.#sortTracks();
    };
    pc.onconnectionstatechange = () => this.#onConnectionState();
  }

  #onCandidate(candidate: RTCIceCandidate | null): void {
    // Firefox ends gathering with an empty candidate string as well as with null: one marker only.
    if (candidate?.candidate) {
      this.stats.candidatesSent++;
      this.#send({ candidate: candidate.toJSON() as RTCIceCandidateInit & { candidate: string } });
    } else if (!this.#sentEndOfCandidates) {
      this.#sentEndOfCandidates = true;
      this.#send({ candidate: null });
    }
  }

  /** Become the offerer: add our transceivers and data channel; negotiationneeded does the rest. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    clearTimeout(this.#fallbackTimer);
    const spare = this.#o.spare;
    if (spare) return this.#startFromSpare(spare);
    const { stream, ...tracks } = this.#o.tracks();
    // Both kinds always get a sendrecv transceiver, even without a track: turning a device on
    // later is then a replaceTrack, never a renegotiation. With a track, through addTrack: if our
    // first offer crosses the remote's and we roll it back, the browser then puts that transceiver
    // on the remote's m-line (only addTrack's are reused), and none is left over.
    for (const kind of KINDS) {
      const track = tracks[kind];
      this.#senders[kind] = track ? this.pc.addTrack(track, stream) : this.pc.addTransceiver(kind, { direction: 'sendrecv', streams: [stream] }).sender;
    }
    // Sharing already (a link made during a share): the screen's m-lines come after the camera's.
    // (A new link has no screen sender yet: this adds its tracks before the offer below is made.)
    void this.#sendScreen(this.#o.tracks().screen ?? null);
    this.#openControl();
    // Offer now rather than on negotiationneeded, which comes as a task of its own: after
    // whatever the page renders meanwhile, on a newcomer's join the whole call view.
    void this.#enqueue(() => this.#offer());
  }

  /**
   * start() on a spare: its offer is made, so send it. `localDescription` holds the candidates
   * gathered so far, so the offer carries them: one signal for the remote to handle instead of a
   * description and a score of candidates, each a message of its own while it should answer.
   * Candidates gathered later follow as usual. The devices may have changed since it was made (a
   * camera picked, one turned off): those go on its senders without renegotiating, as any later
   * change does.
   */
  #startFromSpare(spare: SpareConnection): void {
    const { audio, video } = this.#o.tracks();
    Object.assign(this.#senders, spare.senders);
    this.#openControl(spare.channels);
    const gathered = spare.handOver((c) => this.#onCandidate(c));
    const offer = this.pc.localDescription!;
    this.stats.offersSent++;
    this.#send({ description: { type: 'offer', sdp: offer.sdp } });
    this.#armAnswerTimer();
    const inOffer = new Set(offer.sdp.split(/\r?\n/).flatMap((line) => candidateKey(line) ?? []));
    for (const candidate of gathered) {
      const key = candidate?.candidate ? candidateKey(candidate.candidate) : undefined;
      if (!key || !inOffer.has(key)) this.#onCandidate(candidate);
    }
    const now = { audio, video };
    void this.#enqueue(async () => {
      await Promise.all(KINDS.filter((kind) => spare.senders[kind].track !== now[kind]).map((kind) => spare.senders[kind].replaceTrack(now[kind])));
    });
  }

  /**
   * Once a first offer/answer exchange is done (our answer sent, or the remote's applied) or the
   * link closed; never rejects. A member holds its renders until then.
   */
  exchanged(): Promise<void> {
    return this.#exchanged.promise;
  }

  /** Once what is under way has run (e.g. start()'s offer is sent or failed). Never rejects. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Wait for the remote's offer, offering ourselves if it does not come. */
  expectOffer(): void {
    this.#fallbackTimer = setTimeout(() => {
      if (!this.pc.remoteDescription) this.start();
    }, linkTiming.offerFallbackMs);
  }

  /**
   * Handle a description or candidate from the remote peer; calls are processed in order.
   * `viaServer`: it came through the signaling server, not our channel.
   */
  handleSignal(data: PeerSignal, viaServer = false): Promise<void> {
    // The peer negotiates through the server although our channel is open: it has found the
    // channel carrying nothing, so our replies go that way too.
    if (viaServer && 'description' in data && this.#control?.readyState === 'open') this.#viaServer = true;
    return this.#enqueue(() => this.#handle(data));
  }

  /**
   * Whether `offer` comes from another RTCPeerConnection than the one we are connected to (the
   * remote closed ours and started over): its SDP session id differs. Such an offer needs a new link.
   */
  isFromAnotherConnection(offer: { type: string; sdp: string }): boolean {
    if (offer.type !== 'offer' || this.#remoteSession === undefined) return false;
    return sdpSessionId(offer.sdp) !== this.#remoteSession;
  }

  /** The remote's SDP session id, once a remote description was applied. */
  get remoteSession(): string | undefined {
    return this.#remoteSession;
  }

  /** Swap the outgoing track of one kind (device switch, camera on/off) without renegotiation. */
  async setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    const sender = this.#senders[kind];
    if (sender) await sender.replaceTrack(track);
    else if (track && this.#started) {
      // The remote offered no m-line of this kind: add one (this does renegotiate).
      this.#senders[kind] = this.pc.addTransceiver(track, { direction: 'sendrecv', streams: [this.#o.tracks().stream] }).sender;
    }
  }

  /**
   * Send the shared screen (its video, and audio if any) beside the camera, or stop sending it
   * (null). The first share adds the screen's transceivers (a renegotiation); stopping keeps
   * them, receive-only, and the next share sends on them again, so m-lines never grow.
   */
  async setScreen(screen: MediaStream | null): Promise<void> {
    if (this.#closed || !this.#started) return; // start() or the first answer sends it then
    await this.#sendScreen(screen);
    this.sendState();
  }

  async #sendScreen(screen: MediaStream | null): Promise<void> {
    for (const kind of KINDS) {
      const track = (kind === 'audio' ? screen?.getAudioTracks() : screen?.getVideoTracks())?.[0] ?? null;
      let sender = this.#screenSenders[kind];
      const transceiver = sender && this.pc.getTransceivers().find((t) => t.sender === sender);
      if (sender && transceiver && transceiver.currentDirection !== 'stopped' && (transceiver as { stopped?: boolean }).stopped !== true) {
        // Stopped: nothing goes out, and the remote's own screen may still come in on this m-line.
        if (!track && transceiver.direction === 'sendrecv') transceiver.direction = 'recvonly';
        if (track) transceiver.direction = 'sendrecv';
        await sender.replaceTrack(track);
        if (track && screen) sender.setStreams?.(screen);
        continue;
      }
      if (!track || !screen) continue;
      // An m-line the remote added for its own screen: ours goes the other way on it (one m-line, both screens).
      const free = this.pc
        .getTransceivers()
        .find(
          (t) => t.receiver.track.kind === kind && t.mid !== null && t.currentDirection !== 'stopped' && t.direction !== 'stopped' && !this.#isOurs(t.sender),
        );
      if (free) {
        free.direction = 'sendrecv';
        await free.sender.replaceTrack(track);
        free.sender.setStreams?.(screen);
        sender = free.sender;
      } else {
        // addTrack, not addTransceiver: if our offer crosses the remote's (both start sharing at
        // once) and we roll ours back, the browser puts this transceiver on the remote's new
        // m-line of the same kind instead of leaving it over. But addTrack would also take a
        // camera transceiver that never sent (camera off before the first answer): not that one.
        const camera = this.#senders[kind];
        const cameraIdle = camera && !camera.track && this.pc.getTransceivers().find((t) => t.sender === camera)?.currentDirection == null;
        sender = cameraIdle ? this.pc.addTransceiver(track, { direction: 'sendrecv', streams: [screen] }).sender : this.pc.addTrack(track, screen);
      }
      this.#screenSenders[kind] = sender;
    }
  }

  #isOurs(sender: RTCRtpSender): boolean {
    return Object.values(this.#senders).includes(sender) || Object.values(this.#screenSenders).includes(sender);
  }

  /** Our sender of the screen's video or audio while one exists (encoding, stats); it may carry no track (not sharing). */
  screenSender(kind: MediaKind): RTCRtpSender | undefined {
    return this.#closed ? undefined : this.#screenSenders[kind];
  }

  /** Where our screen goes out on this link, for the `state` announcement: undefined while not sending one. */
  #screenMids(): { mid: string; audioMid?: string } | undefined {
    const mid = (kind: MediaKind) => {
      const sender = this.#screenSenders[kind];
      const t = sender?.track && this.pc.getTransceivers().find((x) => x.sender === sender);
      return t && t.direction === 'sendrecv' ? (t.mid ?? undefined) : undefined;
    };
    const video = mid('video');
    if (!video) return undefined;
    const audio = mid('audio');
    return audio ? { mid: video, audioMid: audio } : { mid: video };
  }

  #announceScreen(): void {
    if (JSON.stringify(this.#screenMids() ?? null) !== this.#announcedScreen) this.sendState();
  }

  /**
   * Remote tracks into the camera stream or the screen stream. The camera's are those of our
   * camera transceivers (shared both ways, docs/protocol.md §10); those the remote announced as
   * its screen, or any other, are the screen's. Before our first answer we know neither: camera.
   */
  #sortTracks(): void {
    const { stream, remote } = this.state.get();
    const announced = new Set([remote?.screen?.mid, remote?.screen?.audioMid].filter((m) => m !== undefined));
    for (const [track, t] of this.#received) {
      if (track.readyState === 'ended' || t.currentDirection === 'stopped') {
        // A transceiver left over from a rolled-back offer, stopped: its track never comes back.
        this.#received.delete(track);
        stream.removeTrack(track);
        this.#remoteScreen.removeTrack(track);
        continue;
      }
      const kind = track.kind as MediaKind;
      // Our camera's transceiver is the camera's whatever the remote announces (a bad `screen` cannot move it).
      const isScreen = this.#senders[kind] ? t.sender !== this.#senders[kind] : announced.has(t.mid ?? '');
      const [into, from] = isScreen ? [this.#remoteScreen, stream] : [stream, this.#remoteScreen];
      if (from.getTracks().includes(track)) from.removeTrack(track);
      if (!into.getTracks().includes(track)) into.addTrack(track);
    }
    const sharing = !!remote?.screenSharing && this.#remoteScreen.getVideoTracks().length > 0;
    this.#update({ screenStream: sharing ? this.#remoteScreen : null });
  }

  /** The receiver of the remote's track of one kind (audio levels, stats); undefined before negotiation. */
  receiver(kind: MediaKind): RTCRtpReceiver | undefined {
    const sender = this.#senders[kind];
    if (!sender || this.#closed) return undefined;
    return this.pc.getTransceivers().find((t) => t.sender === sender)?.receiver;
  }

  /** Our sender of one kind (encoding parameters, stats); undefined before negotiation. */
  sender(kind: MediaKind): RTCRtpSender | undefined {
    return this.#closed ? undefined : this.#senders[kind];
  }

  /** Tell this peer how we show its video; false when the control channel is not open. */
  sendView(view: ViewMessage): boolean {
    return this.#sendControl(view);
  }

  /** A feature's message to this peer; false when the control channel is not open. */
  sendControl(msg: FeatureMessage): boolean {
    return this.#sendControl(msg);
  }

  #sendControl(msg: ControlWire): boolean {
    const ch = this.#control;
    if (ch?.readyState !== 'open') return false;
    try {
      ch.send(JSON.stringify(msg));
      return true;
    } catch {
      return false;
    }
  }

  /** Announce our state (mute flags, screen sharing) to this peer. */
  sendState(): void {
    const ch = this.#control;
    if (ch?.readyState !== 'open') return;
    const screen = this.#screenMids();
    this.#announcedScreen = JSON.stringify(screen ?? null);
    const state = this.#o.localState();
    ch.send(JSON.stringify({ ...state, ...(state.screenSharing && screen ? { screen } : {}), signals: true }));
  }

  /**
   * The signaling server is reachable again: whatever could not be delivered meanwhile is redone
   * now (an unanswered offer, an ICE restart for a connection that dropped).
   */
  signalingRestored(): void {
    if (this.#closed || !this.#started) return;
    if (this.pc.signalingState === 'have-local-offer') this.#resendOffer();
    if (this.pc.connectionState !== 'connected' && this.pc.remoteDescription) {
      this.#restarts = 0;
      this.#scheduleRecovery(0, true);
    }
  }

  /** Restart ICE (after a network change or failure) with fresh ICE servers. */
  async restartIce(): Promise<void> {
    if (this.#closed) return;
    this.stats.iceRestarts++;
    try {
      const refresh = this.#o.refreshIceServers?.();
      if (refresh) {
        let timer: ReturnType<typeof setTimeout> | number | undefined;
        const iceServers = await Promise.race([
          refresh,
          new Promise<undefined>((resolve) => (timer = setTimeout(resolve, linkTiming.refreshTimeoutMs))),
        ]).finally(() => clearTimeout(timer));
        if (iceServers && !this.#closed) {
          this.stats.iceServersRefreshed++;
          this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
        }
      }
    } catch (err) {
      // The old credentials may still be good: restart with them. Not the user's business unless
      // the restart fails too, which the connection's own state then says.
      this.stats.iceServersRefreshFailed++;
      console.debug('rtc-widgets: restarting ICE with the old ICE servers', err);
    }
    if (this.#closed) return;
    // An offer still waiting for its answer would hold the restart back: start over.
    if (this.pc.signalingState === 'have-local-offer') await this.#enqueue(() => this.#rollback());
    this.pc.restartIce();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#exchanged.resolve();
    clearTimeout(this.#fallbackTimer);
    clearTimeout(this.#answerTimer);
    clearTimeout(this.#recoveryTimer);
    clearTimeout(this.#connectTimer);
    if (this.#control) this.#control.onclose = null;
    this.#control?.close();
    this.#data?.chat.close();
    this.#data?.files.close();
    this.pc.close();
    // close() fires no state events: the timeline says it all the same.
    const time = Date.now();
    for (const kind of ['connection', 'ice', 'signaling'] as const) this.timeline.push({ time, kind, state: 'closed' });
    this.#update({ connectionState: 'closed', reconnecting: false });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** One of our data channels (diagnostics, tests); undefined until negotiation started. */
  channel(label: 'control' | keyof DataChannels): RTCDataChannel | undefined {
    return label === 'control' ? this.#control : this.#data?.[label];
  }

  /**
   * Over our own channel while it works (and the remote takes signals there), else through the
   * server. Returns false when neither can deliver it now. During an ICE restart the old path
   * still carries the channel (Firefox reports 'checking' meanwhile); only a broken one does not.
   */
  #send(data: PeerSignal): boolean {
    if (this.#viaServer && this.#o.sendViaServer(data)) return true;
    const ch = this.#control;
    const broken = ['disconnected', 'failed', 'closed'].includes(this.pc.iceConnectionState);
    if (ch?.readyState === 'open' && !broken && this.state.get().remote?.signals) {
      try {
        ch.send(JSON.stringify({ type: 'signal', data }));
        this.stats.signalsViaChannel++;
        return true;
      } catch {
        // closing under us: fall back to the server
      }
    }
    return this.#o.sendViaServer(data);
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(step).catch((err) => {
      if (!this.#closed) this.#o.onError?.('Negotiation failed', err);
    });
    return this.#queue;
  }

  async #offer(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      const d = this.pc.localDescription;
      if (d && d.type === 'offer') {
        this.stats.offersSent++;
        this.#send({ description: { type: 'offer', sdp: this.#offerSdp(d.sdp) } });
        this.#armAnswerTimer();
      }
    } finally {
      this.#makingOffer = false;
    }
  }

  /** Lost on the way, or not applied by the remote (it cannot tell us): ask again if no answer comes. */
  #armAnswerTimer(): void {
    clearTimeout(this.#answerTimer);
    this.#answerTimer = setTimeout(() => {
      this.#answerTimer = undefined;
      if (this.#closed || this.pc.signalingState !== 'have-local-offer') return;
      if (this.#offerRetries++ >= linkTiming.maxOfferRetries) this.#o.onError?.('No answer to our offer');
      else this.#resendOffer();
    }, linkTiming.answerTimeoutMs);
  }

  /**
   * The same offer again: a remote that never got it answers it; one whose answer was lost applies
   * it again (the same SDP, so nothing changes) and answers again.
   */
  #resendOffer(): void {
    const d = this.pc.localDescription;
    if (this.#closed || this.pc.signalingState !== 'have-local-offer' || d?.type !== 'offer') return;
    // An open channel can carry nothing (its path died under it, and ICE has not noticed yet):
    // through the server until the connection is up again.
    this.#viaServer = true;
    this.stats.offersSent++;
    this.#send({ description: { type: 'offer', sdp: this.#offerSdp(d.sdp) } });
    this.#armAnswerTimer();
  }

  /** Once the DTLS roles are settled, a later offer states ours (see offerWithSetup). */
  #offerSdp(sdp: string): string {
    return this.#dtlsRole ? offerWithSetup(sdp, this.#dtlsRole) : sdp;
  }

  async #rollback(): Promise<void> {
    if (this.#closed || this.pc.signalingState !== 'have-local-offer') return;
    await this.pc.setLocalDescription({ type: 'rollback' });
  }

  async #handle(data: PeerSignal): Promise<void> {
    if (this.#closed) return;
    const pc = this.pc;
    if ('description' in data) {
      const description = data.description;
      if (this.#o.ignoreSession && sdpSessionId(description.sdp) === this.#o.ignoreSession) return;
      if (description.type === 'offer' && this.#isStaleOffer(description.sdp)) {
        // The remote still waits for our answer to it (lost on the way). Polite, we give way to it
        // as to any colliding offer: an offer of ours meanwhile (an ICE restart, as the connection
        // never came up) would only be ignored by the impolite remote, and both would wait forever.
        if (this.polite && pc.signalingState === 'have-local-offer') await this.#rollback();
        return this.#answerAgain(description.sdp);
      }
      const collision = description.type === 'offer' && (this.#makingOffer || pc.signalingState !== 'stable');
      this.#ignoreOffer = !this.polite && collision;
      if (this.#ignoreOffer) return;
      if (collision && !pc.remoteDescription && this.#o.onFirstOfferCrossed) return this.#o.onFirstOfferCrossed(data);
      if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') return; // stale answer
      clearTimeout(this.#fallbackTimer);
      await pc.setRemoteDescription(this.#keepDtlsRole(description)); // rolls back our own offer when polite
      this.#remoteSession ??= sdpSessionId(description.sdp);
      this.#armConnectTimer();
      if (description.type === 'answer') {
        this.#offerRetries = 0;
        this.#exchanged.resolve();
      }
      if (description.type === 'offer') {
        this.stats.offersReceived++;
        // The remote is on it (e.g. its ICE restart): give it time before restarting ourselves.
        if (this.#recoveryTimer) this.#scheduleRecovery(linkTiming.restartRetryMs, true);
        await this.#adoptOfferedTransceivers();
        await pc.setLocalDescription();
        const answer = pc.localDescription;
        if (answer && !this.#dtlsRole) this.#dtlsRole = sdpSetup(answer.sdp);
        if (answer) {
          this.stats.answersSent++;
          this.#send({ description: { type: 'answer', sdp: answer.sdp } });
          this.#exchanged.resolve();
        }
      }
      const queued = this.#pendingCandidates;
      this.#pendingCandidates = [];
      for (const c of queued) await this.#addCandidate(c);
    } else if (!pc.remoteDescription) {
      this.#pendingCandidates.push(data.candidate);
    } else {
      await this.#addCandidate(data.candidate);
    }
  }

  /** A remote answer as the DTLS connection can take it: the roles of the first answer, for good. */
  #keepDtlsRole(description: RTCSessionDescriptionInit): RTCSessionDescriptionInit {
    if (description.type !== 'answer' || !description.sdp) return description;
    const theirs = sdpSetup(description.sdp);
    if (!this.#dtlsRole) {
      if (theirs) this.#dtlsRole = theirs === 'active' ? 'passive' : 'active';
      return description;
    }
    if (theirs !== this.#dtlsRole) return description;
    return { type: 'answer', sdp: withSetup(description.sdp, this.#dtlsRole === 'active' ? 'passive' : 'active') };
  }

  async #addCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    try {
      // No argument marks the end of candidates.
      await (candidate ? this.pc.addIceCandidate(candidate) : this.pc.addIceCandidate());
    } catch (err) {
      // Candidates of an offer we ignored are expected to fail, and so are those of an ICE
      // generation that a restart replaced; an end marker may be unsupported.
      if (!this.#ignoreOffer && candidate && !this.#isStale(candidate)) throw err;
    }
  }

  /**
   * An offer no newer than the remote description we already have from the same connection: it
   * was overtaken on the way (e.g. made before a collision that was settled since). Applying it
   * would desynchronise the two ends.
   */
  #isStaleOffer(sdp: string): boolean {
    const current = this.pc.remoteDescription?.sdp;
    if (!current || sdpSessionId(sdp) !== sdpSessionId(current)) return false;
    const [v, now] = [sdpSessionVersion(sdp), sdpSessionVersion(current)];
    return v !== undefined && now !== undefined && v <= now;
  }

  /** The offer we last answered, sent again (our answer was lost): the same answer again. */
  #answerAgain(sdp: string): void {
    const answer = this.pc.localDescription;
    const current = this.pc.remoteDescription?.sdp;
    if (this.pc.signalingState !== 'stable' || answer?.type !== 'answer' || !current || sdpSessionVersion(sdp) !== sdpSessionVersion(current)) return;
    this.stats.answersSent++;
    this.#send({ description: { type: 'answer', sdp: answer.sdp } });
  }

  #isStale(candidate: RTCIceCandidateInit): boolean {
    const ufrag = candidate.usernameFragment;
    return !!ufrag && !!this.pc.remoteDescription && !this.pc.remoteDescription.sdp.includes(`a=ice-ufrag:${ufrag}`);
  }

  /**
   * Put our tracks on the transceivers the remote's offer created, instead of adding our own, so
   * one offer/answer exchange carries media both ways. Also after a collision in which we rolled
   * back our own first offer: the transceivers we had added never got an m-line, and an answer
   * without our tracks would leave the remote with nothing from us.
   */
  async #adoptOfferedTransceivers(): Promise<void> {
    const { stream, ...tracks } = this.#o.tracks();
    const transceivers = this.pc.getTransceivers();
    // Both kinds at once: each replaceTrack is a round trip to the browser's WebRTC thread, and the
    // answer waits for them.
    const replaced: Promise<void>[] = [];
    const leftOver: RTCRtpTransceiver[] = [];
    for (const kind of KINDS) {
      const mine = transceivers.find((t) => this.#senders[kind] && t.sender === this.#senders[kind]);
      if (mine && mine.mid !== null) continue; // ours is negotiated already
      const offered = transceivers.find(
        (t) => t !== mine && t.receiver.track.kind === kind && t.mid !== null && t.currentDirection !== 'stopped' && !this.#isOurs(t.sender),
      );
      if (!offered) continue;
      offered.direction = 'sendrecv';
      replaced.push(offered.sender.replaceTrack(mine ? mine.sender.track : tracks[kind]));
      offered.sender.setStreams?.(stream);
      // Left over from a rolled-back first offer (only a trackless one can be: see start()). Kept,
      // it would make Chromium refuse every later offer on this connection (a header extension id
      // collision in the BUNDLE group).
      if (mine) leftOver.push(mine);
      this.#senders[kind] = offered.sender;
    }
    await Promise.all(replaced);
    for (const t of leftOver) t.stop();
    if (!this.#started) {
      this.#started = true;
      // Tracks with no matching m-line are added; negotiationneeded then renegotiates once.
      for (const kind of KINDS) {
        const track = tracks[kind];
        if (!this.#senders[kind] && track) this.#senders[kind] = this.pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream] }).sender;
      }
      // Sharing: on the remote's screen m-lines if it offered some, else new ones.
      await this.#sendScreen(this.#o.tracks().screen ?? null);
      this.#openControl();
    }
  }

  /**
   * One more negotiated channel, for an app (src/core/data/app-channel.ts): on the SCTP
   * association this connection has for its own channels, so no renegotiation. Undefined until
   * those exist (a new link's app channels are made from onChannels), or once closed.
   */
  appChannel(label: string, init: RTCDataChannelInit & { id: number }): RTCDataChannel | undefined {
    if (!this.#data || this.#closed) return undefined;
    return this.pc.createDataChannel(label, { ...init, negotiated: true });
  }

  /** `made`: the channels exist already (a spare's). */
  #openControl(made?: LinkChannels): void {
    const { control: ch, chat, files } = made ?? createLinkChannels(this.pc);
    this.#control = ch;
    this.#data = { chat, files };
    this.#o.onChannels?.(this.#data);
    ch.onopen = () => {
      this.sendState();
      this.#o.onControlOpen?.();
    };
    ch.onclose = () => {
      // Our own close() clears this handler first. With ICE still up, the remote closed its end;
      // otherwise the path failed and the browser closed the channels. Soon after an outage it
      // may be either (the remote's channels died in it, and it is making the connection anew).
      if (this.#closed) return;
      const iceUp = ['connected', 'completed'].includes(this.pc.iceConnectionState);
      const afterOutage = this.#down || performance.now() - this.#upAgainAt < linkTiming.outageEchoMs;
      if (iceUp && !afterOutage) this.#o.onRemoteClosed?.();
      else this.#o.onTransportLost?.(iceUp);
    };
    ch.onmessage = ({ data }) => {
      const msg = parseControl(data); // a broken peer cannot stall us
      if (!msg) return;
      if (msg.type === 'state') {
        this.#update({ remote: msg });
        this.#sortTracks();
      } else if (msg.type === 'view') this.#o.onView?.(msg);
      else if (msg.type === 'health') this.health.set(msg);
      else if (msg.type === 'signal') {
        if (this.#withinRate()) void this.handleSignal(msg.data);
      } else this.#o.onFeature?.(msg);
    };
  }

  /** Share a summary of our links with this peer (src/core/stats); false when the control channel is not open. */
  sendHealth(health: HealthMessage): boolean {
    return this.#sendControl(health);
  }

  /** The state timeline: listeners beside the negotiation's own handlers, so neither replaces the other. */
  #watchStates(): void {
    const pc = this.pc;
    const states = {
      connection: ['connectionstatechange', () => pc.connectionState],
      ice: ['iceconnectionstatechange', () => pc.iceConnectionState],
      gathering: ['icegatheringstatechange', () => pc.iceGatheringState],
      signaling: ['signalingstatechange', () => pc.signalingState],
    } as const;
    for (const [kind, [event, read]] of Object.entries(states) as [StateChange['kind'], (typeof states)[StateChange['kind']]][]) {
      const record = () => {
        const state = read();
        for (let i = this.timeline.length - 1; i >= 0; i--) {
          if (this.timeline[i]!.kind !== kind) continue;
          if (this.timeline[i]!.state === state) return;
          break;
        }
        this.timeline.push({ time: Date.now(), kind, state });
        if (this.timeline.length > MAX_TIMELINE) this.timeline.splice(0, this.timeline.length - MAX_TIMELINE);
      };
      record();
      pc.addEventListener(event, record);
    }
  }

  #withinRate(): boolean {
    const second = Math.floor(performance.now() / 1000);
    if (second !== this.#channelSignals.second) this.#channelSignals = { second, count: 0 };
    return ++this.#channelSignals.count <= CHANNEL_SIGNALS_PER_SECOND;
  }

  #onConnectionState(): void {
    const s = this.pc.connectionState;
    if (this.#closed) return;
    if (s === 'connected') {
      if (this.#down) this.#upAgainAt = performance.now();
      this.#down = false;
      this.#restarts = 0;
      this.#viaServer = false;
      clearTimeout(this.#connectTimer);
      clearTimeout(this.#recoveryTimer);
      this.#recoveryTimer = undefined;
      this.#update({ connectionState: s, reconnecting: false });
      return;
    }
    this.#update({ connectionState: s });
    if (s === 'failed' || s === 'disconnected') this.#down = true;
    if (s === 'failed') this.#scheduleRecovery(0);
    else if (s === 'disconnected') this.#scheduleRecovery(linkTiming.disconnectedGraceMs);
  }

  /** Descriptions exchanged but no path after a while (lost candidates, a relay down): restart ICE. */
  #armConnectTimer(): void {
    if (this.pc.connectionState === 'connected' || this.#connectTimer) return;
    this.#connectTimer = setTimeout(() => {
      this.#connectTimer = undefined;
      if (!this.#closed && this.pc.connectionState !== 'connected') this.#scheduleRecovery(0);
    }, linkTiming.connectTimeoutMs);
  }

  /** An ICE restart in `delayMs` (the polite side later), unless one is scheduled already (or `replace`). */
  #scheduleRecovery(delayMs: number, replace = false): void {
    if (this.#closed) return;
    if (this.#recoveryTimer && !replace) return;
    clearTimeout(this.#recoveryTimer);
    this.#update({ reconnecting: true });
    this.#recoveryTimer = setTimeout(() => void this.#recover(), delayMs + (this.polite ? linkTiming.politeDelayMs : 0));
  }

  async #recover(): Promise<void> {
    this.#recoveryTimer = undefined;
    if (this.#closed || this.pc.connectionState === 'connected') return;
    const quick = this.#restarts++ < linkTiming.maxIceRestarts;
    // Said once; the restarts go on, slowly, for as long as the peer stays in the room.
    if (this.#restarts === linkTiming.maxIceRestarts + 1) this.#o.onError?.('The connection to this participant was lost');
    // Checked again in a while: a restart whose candidates found no path yet is made again.
    this.#scheduleRecovery(quick ? linkTiming.restartRetryMs : linkTiming.slowRestartMs, true);
    await this.restartIce();
  }

  #update(patch: Partial<PeerLinkState>): void {
    this.state.set({ ...this.state.get(), ...patch });
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
