import * as v from 'valibot';
import { store } from '../state/store.js';
import type { MediaKind } from '../errors.js';
import type { SignalData } from '../signaling/protocol.js';
import { CHANNEL_IDS } from '../data/wire.js';

/** State a peer announces about itself on the control channel (docs/protocol.md). */
const ControlMessageSchema = v.object({
  type: v.literal('state'),
  audioMuted: v.boolean(),
  videoMuted: v.boolean(),
  /** Added in P2P format 1.1; older peers omit it. */
  screenSharing: v.optional(v.boolean(), false),
});
export type ControlMessage = v.InferOutput<typeof ControlMessageSchema>;
const MAX_CONTROL_BYTES = 4096;

export interface PeerLinkState {
  connectionState: RTCPeerConnectionState;
  /** Remote tracks, one stream per peer. */
  stream: MediaStream;
  /** The remote's last announced state; null until it arrives. */
  remote: ControlMessage | null;
}

export interface PeerLinkOptions {
  localId: string;
  remoteId: string;
  configuration: RTCConfiguration;
  send: (data: SignalData) => void;
  /** Local tracks to send, and the stream they belong to. */
  tracks: () => { audio: MediaStreamTrack | null; video: MediaStreamTrack | null; stream: MediaStream };
  /** Our state, sent on the control channel whenever it opens. */
  localState: () => ControlMessage;
  /** Fresh ICE servers before an ICE restart (TURN credentials are short-lived). */
  refreshIceServers?: () => Promise<RTCIceServer[]>;
  onError?: (message: string, cause?: unknown) => void;
  /** The chat and files data channels, once created (they open with the connection). */
  onChannels?: (channels: DataChannels) => void;
}

/** The data channels beside `control`, negotiated with fixed ids (docs/protocol.md §10). */
export interface DataChannels {
  chat: RTCDataChannel;
  files: RTCDataChannel;
}

const KINDS: MediaKind[] = ['audio', 'video'];
/** If the expected offer has not come by then, offer ourselves (a lost or refused message). */
const OFFER_FALLBACK_MS = 4000;
/** How long 'disconnected' may last before an ICE restart. */
const DISCONNECTED_GRACE_MS = 3000;
const MAX_ICE_RESTARTS = 3;

/**
 * One RTCPeerConnection to one remote peer, negotiated with the "perfect negotiation" pattern:
 * the polite side (lower peer id) rolls back on an offer collision, the impolite side ignores the
 * colliding offer, so either side may renegotiate at any time without glare.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  readonly state;
  /** Offers and answers sent and received, for diagnostics and tests. */
  readonly stats = { offersSent: 0, answersSent: 0, offersReceived: 0, iceRestarts: 0 };

  readonly #o: PeerLinkOptions;
  readonly #senders: Partial<Record<MediaKind, RTCRtpSender>> = {};
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
  #restartsSinceConnected = 0;
  #disconnectTimer?: ReturnType<typeof setTimeout>;

  constructor(options: PeerLinkOptions) {
    this.#o = options;
    this.polite = options.localId < options.remoteId;
    this.pc = new RTCPeerConnection(options.configuration);
    this.state = store<PeerLinkState>({ connectionState: 'new', stream: new MediaStream(), remote: null });
    const pc = this.pc;

    pc.onnegotiationneeded = () => this.#enqueue(() => this.#offer());
    pc.onicecandidate = ({ candidate }) => {
      // Firefox ends gathering with an empty candidate string as well as with null: one marker only.
      if (candidate?.candidate) this.#o.send({ candidate: candidate.toJSON() as RTCIceCandidateInit & { candidate: string } });
      else if (!this.#sentEndOfCandidates) {
        this.#sentEndOfCandidates = true;
        this.#o.send({ candidate: null });
      }
    };
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'gathering') this.#sentEndOfCandidates = false;
    };
    pc.ontrack = ({ track }) => {
      const stream = this.state.get().stream;
      if (!stream.getTracks().includes(track)) stream.addTrack(track);
      this.#update({});
    };
    pc.onconnectionstatechange = () => this.#onConnectionState();
  }

  /** Become the offerer: add our transceivers and data channel; negotiationneeded does the rest. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    clearTimeout(this.#fallbackTimer);
    const { stream, ...tracks } = this.#o.tracks();
    // Both kinds always get a sendrecv transceiver, even without a track: turning a device on
    // later is then a replaceTrack, never a renegotiation.
    for (const kind of KINDS) {
      const t = this.pc.addTransceiver(tracks[kind] ?? kind, { direction: 'sendrecv', streams: [stream] });
      this.#senders[kind] = t.sender;
    }
    this.#openControl();
  }

  /** Wait for the remote's offer, offering ourselves if it does not come. */
  expectOffer(): void {
    this.#fallbackTimer = setTimeout(() => {
      if (!this.pc.remoteDescription) this.start();
    }, OFFER_FALLBACK_MS);
  }

  /** Handle a description or candidate from the remote peer; calls are processed in order. */
  handleSignal(data: SignalData): Promise<void> {
    return this.#enqueue(() => this.#handle(data));
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

  /** The receiver of the remote's track of one kind (audio levels, stats); undefined before negotiation. */
  receiver(kind: MediaKind): RTCRtpReceiver | undefined {
    const sender = this.#senders[kind];
    if (!sender || this.#closed) return undefined;
    return this.pc.getTransceivers().find((t) => t.sender === sender)?.receiver;
  }

  /** Announce our state (mute flags, screen sharing) to this peer. */
  sendState(): void {
    const ch = this.#control;
    if (ch?.readyState === 'open') ch.send(JSON.stringify(this.#o.localState()));
  }

  /** Restart ICE (after a network change or failure) with fresh ICE servers. */
  async restartIce(): Promise<void> {
    if (this.#closed) return;
    this.stats.iceRestarts++;
    try {
      const iceServers = await this.#o.refreshIceServers?.();
      if (iceServers) this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch (err) {
      this.#o.onError?.('Could not refresh ICE servers', err);
    }
    this.pc.restartIce();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#fallbackTimer);
    clearTimeout(this.#disconnectTimer);
    this.#control?.close();
    this.#data?.chat.close();
    this.#data?.files.close();
    this.pc.close();
    this.#update({ connectionState: 'closed' });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** One of our data channels (diagnostics, tests); undefined until negotiation started. */
  channel(label: 'control' | keyof DataChannels): RTCDataChannel | undefined {
    return label === 'control' ? this.#control : this.#data?.[label];
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
        this.#o.send({ description: { type: 'offer', sdp: d.sdp } });
      }
    } finally {
      this.#makingOffer = false;
    }
  }

  async #handle(data: SignalData): Promise<void> {
    if (this.#closed) return;
    const pc = this.pc;
    if ('description' in data) {
      const description = data.description;
      const collision = description.type === 'offer' && (this.#makingOffer || pc.signalingState !== 'stable');
      this.#ignoreOffer = !this.polite && collision;
      if (this.#ignoreOffer) return;
      if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') return; // stale answer
      clearTimeout(this.#fallbackTimer);
      await pc.setRemoteDescription(description); // rolls back our own offer when polite
      if (description.type === 'offer') {
        this.stats.offersReceived++;
        await this.#adoptOfferedTransceivers();
        await pc.setLocalDescription();
        const answer = pc.localDescription;
        if (answer) {
          this.stats.answersSent++;
          this.#o.send({ description: { type: 'answer', sdp: answer.sdp } });
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

  async #addCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    try {
      // No argument marks the end of candidates.
      await (candidate ? this.pc.addIceCandidate(candidate) : this.pc.addIceCandidate());
    } catch (err) {
      // Candidates of an offer we ignored are expected to fail; an end marker may be unsupported.
      if (!this.#ignoreOffer && candidate) throw err;
    }
  }

  /**
   * On the first offer, put our tracks on the transceivers the remote created instead of adding
   * new ones, so one offer/answer exchange carries media both ways.
   */
  async #adoptOfferedTransceivers(): Promise<void> {
    if (!this.#started) {
      this.#started = true;
      const { stream, ...tracks } = this.#o.tracks();
      for (const kind of KINDS) {
        const t = this.pc
          .getTransceivers()
          .find((x) => x.receiver.track.kind === kind && x.currentDirection !== 'stopped' && !Object.values(this.#senders).includes(x.sender));
        if (!t) continue;
        t.direction = 'sendrecv';
        await t.sender.replaceTrack(tracks[kind]);
        t.sender.setStreams?.(stream);
        this.#senders[kind] = t.sender;
      }
      // Tracks with no matching m-line are added; negotiationneeded then renegotiates once.
      for (const kind of KINDS) {
        const track = tracks[kind];
        if (!this.#senders[kind] && track) this.#senders[kind] = this.pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream] }).sender;
      }
      this.#openControl();
    }
  }

  #openControl(): void {
    // Negotiated with a fixed id on both sides: no in-band announcement, no "already open" race.
    const ch = this.pc.createDataChannel('control', { negotiated: true, id: 0, ordered: true });
    this.#control = ch;
    // Chat and file data on channels of their own, so a transfer never holds up a message.
    this.#data = {
      chat: this.pc.createDataChannel('chat', { negotiated: true, id: CHANNEL_IDS.chat, ordered: true }),
      files: this.pc.createDataChannel('files', { negotiated: true, id: CHANNEL_IDS.files, ordered: true }),
    };
    this.#o.onChannels?.(this.#data);
    ch.onopen = () => this.sendState();
    ch.onmessage = ({ data }) => {
      if (typeof data !== 'string' || data.length > MAX_CONTROL_BYTES) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        return; // a broken peer cannot stall us
      }
      const msg = v.safeParse(ControlMessageSchema, parsed);
      if (msg.success) this.#update({ remote: msg.output });
    };
  }

  #onConnectionState(): void {
    const s = this.pc.connectionState;
    this.#update({ connectionState: s });
    clearTimeout(this.#disconnectTimer);
    if (this.#closed) return;
    if (s === 'failed') this.#recover();
    else if (s === 'disconnected') this.#disconnectTimer = setTimeout(() => this.#recover(), DISCONNECTED_GRACE_MS);
    else if (s === 'connected') this.#restartsSinceConnected = 0;
  }

  #recover(): void {
    if (this.#restartsSinceConnected++ >= MAX_ICE_RESTARTS) {
      this.#o.onError?.('The connection to this participant failed');
      return;
    }
    void this.restartIce();
  }

  #update(patch: Partial<PeerLinkState>): void {
    this.state.set({ ...this.state.get(), ...patch });
  }
}
