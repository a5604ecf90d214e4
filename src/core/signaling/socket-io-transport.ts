import { io, type Socket } from 'socket.io-client';
import { createNanoEvents } from 'nanoevents';
import { RtcError, type RtcErrorCode } from '../errors.js';
import {
  PROTOCOL_VERSION,
  SignalDataSchema,
  check,
  type ClientToServerEvents,
  type ErrorReply,
  type ErrorCode,
  type HostCommand,
  type IceServersReply,
  type JoinReply,
  type ServerToClientEvents,
  type SignalData,
} from './protocol.js';
import { createIdentity, type Identity } from './identity.js';
import { checkOrigin, connectError, serverUrl, type ConnectTarget } from './connect-errors.js';
import type { JoinOptions, SignalingTransport, TransportEvents } from './transport.js';

const ACK_TIMEOUT_MS = 10_000;
/**
 * A join that has no connection after this long asks the server why, without waiting for
 * socket.io's own 5 s connect timeout: some servers (a dev server) hold a WebSocket they do not
 * serve open rather than refuse it.
 */
const CHECK_AFTER_MS = 1500;

/** Refusals of a join, as the person joining should read them. */
const JOIN_REFUSALS: Partial<Record<ErrorCode, [RtcErrorCode, string]>> = {
  'room-full': ['room-full', 'This room is full.'],
  'resume-expired': ['resume-expired', 'Your place in the call has expired.'],
  'token-required': ['token-required', 'This room is by invitation only: open the invitation link you were given.'],
  'token-invalid': ['token-invalid', 'Your invitation is not valid for this call server. Ask for a new link.'],
  'token-expired': ['token-expired', 'Your invitation has expired. Ask for a new link.'],
  'token-room': ['token-room', 'Your invitation is for another room.'],
  removed: ['removed', 'You were removed from this call and cannot join it again for now.'],
  'room-locked': ['room-locked', 'This room is locked: nobody new can join right now.'],
  'in-lobby': ['in-lobby', 'Waiting for the host to let you in.'],
};

/** Events of protocol 3 passed on as they are (their payloads are checked where they are used). */
const ROOM_EVENTS = ['knock', 'knock-gone', 'admitted', 'denied', 'mute-requested', 'removed', 'room-ended', 'room-settings', 'peer-role'] as const;

export interface SocketIoTransportOptions {
  /** socket.io path on the server; default '/socket.io'. */
  path?: string;
  /** No server was given: `url` is the page's own origin (a failed connection then says to set one). */
  guessed?: boolean;
}

/** What prepare() made for the next join. */
interface Prepared {
  room: string;
  identity: Promise<Identity | null>;
  /** The connection's challenge the proof signs, and the proof. */
  challenge?: string;
  proof?: string;
  /** While preparing. */
  pending?: Promise<void>;
}

/** The signaling client: socket.io to the rtc-widgets server (docs/protocol.md). */
export class SocketIoTransport implements SignalingTransport {
  readonly #socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly #events = createNanoEvents<TransportEvents>();
  /** Kept across reconnects: it is what lets us resume as the same member. */
  #identity: Identity | null = null;
  /** This connection's challenge (from `welcome`), and whoever waits for it. */
  #challenge?: string;
  /** The versions this connection's server accepts (from `welcome`). */
  #protocols: number[] = [];
  #challengeWaiters: ((challenge: string) => void)[] = [];
  /** Joins waiting for the challenge that want to hear at once why the connection failed. */
  #failureWaiters: ((error: RtcError) => void)[] = [];
  /** Where we connect, for the words of a failed connection. */
  readonly #target: ConnectTarget;
  /** Since the last connection: the latest connect_error, and a check of why (connect-errors.ts) in flight. */
  #connectError?: Error;
  #checking = false;
  #joined = false;
  /** The last join was told to wait in the lobby. */
  #knocked = false;
  /** Joined on the current connection: until then the server would refuse our signals. */
  #inRoom = false;
  #connectedBefore = false;
  #closed = false;
  /** Made by prepare(): the next fresh join's key, and its proof for one room on one connection. */
  #prepared?: Prepared;
  readonly #onPageHide = () => {
    // A closed tab or a navigation away: say so, or the others would keep our seat for the grace period.
    if (this.#joined && this.#socket.connected) this.#socket.emit('leave');
  };

  constructor(url: string, options: SocketIoTransportOptions = {}) {
    this.#socket = io(url, {
      // websocket only: no long-polling CORS round trips; forceNew: several sessions may share a page.
      transports: ['websocket'],
      forceNew: true,
      path: options.path,
      // Retry at most a second apart (jittered on the first tries), so that a restarted server
      // has everyone back within about a second of answering.
      reconnectionDelay: 500,
      reconnectionDelayMax: 1000,
      randomizationFactor: 0.5,
      timeout: 5000,
    });
    const origin = globalThis.location?.origin ?? '';
    this.#target = { url: serverUrl(url, globalThis.location), origin, guessed: !!options.guessed };
    const s = this.#socket;
    s.on('connect_error', (err) => {
      this.#connectError = err;
      if (this.#failureWaiters.length) this.#diagnose();
    });
    s.on('welcome', (w) => {
      if (typeof w?.challenge !== 'string') return;
      this.#challenge = w.challenge;
      this.#protocols = Array.isArray(w.protocols) ? w.protocols.filter((p) => typeof p === 'number') : [];
      for (const resolve of this.#challengeWaiters.splice(0)) resolve(w.challenge);
    });
    s.on('peer-joined', (p) => this.#events.emit('peer-joined', p));
    s.on('peer-left', (e) => this.#events.emit('peer-left', e));
    s.on('server-error', (e) => this.#events.emit('server-error', e));
    for (const event of ROOM_EVENTS) {
      // The server is trusted with these, but a payload that is not an object is still dropped.
      (s as unknown as Socket).on(event, (e?: unknown) => {
        if (event === 'admitted' || (e && typeof e === 'object')) (this.#events.emit as (ev: string, arg: unknown) => void)(event, e);
      });
    }
    s.on('signal', (e) => {
      // Peers are strangers: relayed data is validated again on arrival.
      const data = check(SignalDataSchema, e?.data);
      if (data.ok && typeof e.from === 'string') this.#events.emit('signal', { from: e.from, data: data.value });
    });
    s.on('connect', () => {
      this.#connectError = undefined;
      if (this.#connectedBefore && this.#joined) this.#events.emit('reconnect');
      this.#connectedBefore = true;
    });
    s.on('disconnect', (reason) => {
      this.#challenge = undefined;
      this.#inRoom = false;
      // Reconnect over HTTP long-polling, then upgrade: Firefox holds back new WebSockets to a
      // host whose connections failed (up to a minute), HTTP requests it does not.
      s.io.opts.transports = ['polling', 'websocket'];
      this.#events.emit('disconnect', reason);
      // The server closed this connection on purpose (e.g. a newer one took our id over, or a
      // proxy): socket.io does not retry those by itself, but a member in a call wants back in.
      if (reason === 'io server disconnect' && !this.#closed) s.connect();
    });
    globalThis.addEventListener?.('pagehide', this.#onPageHide);
  }

  get identity(): Identity | null {
    return this.#identity;
  }

  /** Connected and in the room: signals sent now are delivered. */
  get connected(): boolean {
    return this.#socket.connected && this.#inRoom;
  }

  /** The socket is connected to the server, in a room or not (e.g. after prepare()). */
  get online(): boolean {
    return this.#socket.connected;
  }

  /**
   * Get the next join into `room` ready while nobody is in a room yet (a pre-join step): wait for
   * the connection (made when this transport was), make the join's key and sign this connection's
   * challenge, so that join() only sends `join`. Never rejects: it resolves once ready, or once
   * the connection failed (join() then waits for it as usual). Idempotent.
   */
  prepare(room: string): Promise<void> {
    if (this.#closed || this.#joined || this.#knocked) return Promise.resolve();
    const current = this.#prepared;
    // Ready for this room on this connection already, or on the way: nothing more to do.
    if (current?.room === room && (current.pending || (current.challenge === this.#challenge && this.#socket.connected))) {
      return current.pending ?? Promise.resolve();
    }
    const p: Prepared = { room, identity: current?.room === room ? current.identity : createIdentity().catch(() => null) };
    this.#prepared = p;
    p.pending = (async () => {
      const [challenge, identity] = await Promise.all([this.#challengeOrFailure(), p.identity]);
      if (!challenge || !identity || this.#prepared !== p) return;
      const proof = await identity.prove(challenge, room).catch(() => undefined);
      if (proof && this.#prepared === p) Object.assign(p, { challenge, proof });
    })().finally(() => (p.pending = undefined));
    return p.pending;
  }

  async join(room: string, name: string, { resume = false, token, role, mode }: JoinOptions = {}): Promise<JoinReply> {
    if (resume && !this.#identity) throw new RtcError('resume-expired', 'This connection cannot resume: it had no identity.');
    // A fresh join is a new participant: a new key, so ids are never reused across calls. Not
    // after knocking, though: the host admitted the id we knocked with.
    // prepare() may have made both the key and the proof already (a proof is good for one room on one connection).
    const prepared = !resume && !this.#knocked && this.#prepared?.room === room ? this.#prepared : undefined;
    this.#prepared = undefined;
    if (!resume && !this.#knocked) this.#identity = await (prepared?.identity ?? createIdentity().catch(() => null));
    const identity = this.#identity;
    let reply: JoinReply | ErrorReply;
    /** The challenge of the connection the join went out on. */
    let used: string | undefined;
    try {
      let proof = {};
      for (let tries = 1; ; tries++) {
        // A first join hears at once why no connection could be made; a resume keeps trying quietly.
        const challenge = this.#challenge && this.#socket.connected ? this.#challenge : await this.#nextChallenge(!resume);
        const signed = prepared?.proof && prepared.challenge === challenge ? prepared.proof : undefined;
        proof = identity ? { key: identity.key, proof: signed ?? (await identity.prove(challenge, room)) } : {};
        if (this.#socket.connected && this.#challenge === challenge) {
          used = challenge;
          break;
        }
        // The connection dropped or was replaced while we signed: socket.io would send the join on
        // the next one, whose challenge the proof does not answer, and the server would refuse it.
        if (tries === 3) throw new Error('the connection kept changing while the join was being signed');
      }
      // Speak version 3 to a server that does not know 4 (then without the viewer request it cannot read).
      const protocol = this.#protocols.length && !this.#protocols.includes(PROTOCOL_VERSION) ? 3 : PROTOCOL_VERSION;
      const asked = { ...(role && protocol >= 4 ? { role } : {}), ...(mode && protocol >= 4 && !resume ? { mode } : {}) };
      reply = await this.#socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('join', { room, name, protocol, ...proof, ...(resume ? { resume } : {}), ...(token ? { token } : {}), ...asked });
    } catch (cause) {
      if (cause instanceof RtcError) throw cause;
      // Still on the connection that gave no welcome or no answer to our resume: it does not work
      // (a stalled server, or a proxy holding our messages). Only a new connection brings the next
      // resume (on `reconnect`): waiting on this one would leave us reconnecting for good.
      const unanswered = this.#socket.connected && (this.#challenge === undefined || this.#challenge === used);
      if (resume && unanswered && !this.#closed) this.#socket.disconnect().connect();
      throw new RtcError('signaling-failed', 'Could not reach the call server. Check the connection and try again.', {
        url: this.#target.url,
        cause: this.#connectError ?? cause,
      });
    }
    this.#knocked = !reply.ok && reply.error.code === 'in-lobby';
    if (!reply.ok) {
      const known = JOIN_REFUSALS[reply.error.code];
      if (known) throw new RtcError(known[0], known[1], { cause: reply.error });
      throw new RtcError('join-failed', `Could not join the room: ${reply.error.message}`, { cause: reply.error });
    }
    this.#joined = true;
    this.#inRoom = this.#socket.connected;
    return reply;
  }

  signal(to: string, data: SignalData): void {
    // Never buffered for a later connection: by then it would be stale, and refused before we resume.
    if (this.connected) this.#socket.emit('signal', { to, data });
  }

  async leave(): Promise<void> {
    if (!this.#joined) return;
    this.#joined = false;
    const inRoom = this.#inRoom;
    this.#inRoom = false;
    if (!inRoom || !this.#socket.connected) return;
    await this.#socket
      .timeout(2000)
      .emitWithAck('leave')
      .catch(() => undefined);
  }

  async iceServers(): Promise<IceServersReply> {
    const asked = this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck('ice-servers');
    // Not connected: a failed attempt answers at once (a server that refuses), not the whole timeout.
    const reply = this.#socket.connected ? await asked : await this.#unlessConnectFails(asked);
    if (!reply.ok) throw new RtcError('protocol-error', reply.error.message, { cause: reply.error });
    return reply;
  }

  async host(command: HostCommand): Promise<void> {
    let reply;
    try {
      reply = await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck('host', command);
    } catch (cause) {
      throw new RtcError('signaling-failed', 'Could not reach the call server. Try again.', { cause });
    }
    if (reply.ok) return;
    const code = reply.error.code === 'not-allowed' ? 'not-allowed' : 'protocol-error';
    throw new RtcError(code, code === 'not-allowed' ? 'Only a host can do that.' : reply.error.message, { cause: reply.error });
  }

  on<E extends keyof TransportEvents>(event: E, cb: TransportEvents[E]): () => void {
    return this.#events.on(event, cb);
  }

  reconnectNow(): void {
    if (this.#closed || this.#socket.connected) return;
    // Starts a fresh attempt at once, and the backoff from the beginning.
    this.#socket.disconnect();
    this.#socket.connect();
  }

  close(): void {
    this.#closed = true;
    this.#joined = false;
    this.#prepared = undefined;
    globalThis.removeEventListener?.('pagehide', this.#onPageHide);
    this.#challengeWaiters = [];
    this.#failureWaiters = [];
    this.#socket.removeAllListeners();
    this.#socket.io.removeAllListeners();
    this.#socket.disconnect();
  }

  /** `p`, or the next connect_error if that comes first (then `p`'s own outcome is ignored). */
  async #unlessConnectFails<T>(p: Promise<T>): Promise<T> {
    let failed!: (e: Error) => void;
    const failure = new Promise<never>((_, reject) => this.#socket.once('connect_error', (failed = reject)));
    p.catch(() => undefined);
    try {
      return await Promise.race([p, failure]);
    } finally {
      this.#socket.off('connect_error', failed);
    }
  }

  /** This connection's challenge once it has one; undefined if the connection fails (or the transport closes) first. */
  #challengeOrFailure(): Promise<string | undefined> {
    return new Promise((resolve) => {
      const failed = () => resolve(undefined);
      this.#socket.once('connect_error', failed);
      this.#nextChallenge()
        .then(resolve, () => resolve(undefined))
        .finally(() => this.#socket.off('connect_error', failed));
    });
  }

  /**
   * This connection's challenge: at hand once connected, else when the server's welcome arrives.
   * `diagnose`: reject as soon as a failed connection is known to be one a retry cannot fix (no
   * call server there, or our origin refused), instead of at the timeout.
   */
  #nextChallenge(diagnose = false): Promise<string> {
    if (this.#challenge && this.#socket.connected) return Promise.resolve(this.#challenge);
    return new Promise((resolve, reject) => {
      const check = diagnose ? setTimeout(() => this.#diagnose(), CHECK_AFTER_MS) : undefined;
      const finish = () => {
        clearTimeout(timer);
        clearTimeout(check);
        this.#challengeWaiters = this.#challengeWaiters.filter((w) => w !== done);
        this.#failureWaiters = this.#failureWaiters.filter((w) => w !== failed);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error('no welcome from the server'));
      }, ACK_TIMEOUT_MS);
      const done = (challenge: string) => {
        finish();
        resolve(challenge);
      };
      const failed = (error: RtcError) => {
        finish();
        reject(error);
      };
      this.#challengeWaiters.push(done);
      if (!diagnose) return;
      this.#failureWaiters.push(failed);
      // It failed already (e.g. while the pre-join step was open): find out why now.
      if (this.#connectError) this.#diagnose();
    });
  }

  /** Ask the server why the connection failed; a definite answer fails the waiting joins. */
  #diagnose(): void {
    if (this.#checking || this.#closed || this.#socket.connected) return;
    this.#checking = true;
    const cause = this.#connectError;
    void checkOrigin(this.#target.url).then((check) => {
      this.#checking = false;
      if (this.#closed || this.#socket.connected) return;
      const error = connectError(check, this.#target, cause);
      if (error) for (const fail of this.#failureWaiters.slice()) fail(error);
    });
  }
}
