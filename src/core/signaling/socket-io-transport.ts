import { io, type Socket } from 'socket.io-client';
import { createNanoEvents } from 'nanoevents';
import { RtcError } from '../errors.js';
import {
  PROTOCOL_VERSION,
  SignalDataSchema,
  check,
  type ClientToServerEvents,
  type ErrorReply,
  type IceServersReply,
  type JoinReply,
  type ServerToClientEvents,
  type SignalData,
} from './protocol.js';
import type { SignalingTransport, TransportEvents } from './transport.js';

const ACK_TIMEOUT_MS = 10_000;

export interface SocketIoTransportOptions {
  /** socket.io path on the server; default '/socket.io'. */
  path?: string;
}

/** The signaling client: socket.io to the rtc-widgets server (docs/protocol.md). */
export class SocketIoTransport implements SignalingTransport {
  readonly #socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly #events = createNanoEvents<TransportEvents>();
  #joined = false;

  constructor(url: string, options: SocketIoTransportOptions = {}) {
    // websocket only: no long-polling CORS round trips; forceNew: several sessions may share a page.
    this.#socket = io(url, { transports: ['websocket'], forceNew: true, path: options.path });
    const s = this.#socket;
    s.on('peer-joined', (p) => this.#events.emit('peer-joined', p));
    s.on('peer-left', (e) => this.#events.emit('peer-left', e));
    s.on('server-error', (e) => this.#events.emit('server-error', e));
    s.on('signal', (e) => {
      // Peers are strangers: relayed data is validated again on arrival.
      const data = check(SignalDataSchema, e?.data);
      if (data.ok && typeof e.from === 'string') this.#events.emit('signal', { from: e.from, data: data.value });
    });
    s.on('disconnect', (reason) => {
      this.#events.emit('disconnect', reason);
    });
    s.io.on('reconnect', () => {
      if (this.#joined) this.#events.emit('reconnect');
    });
  }

  async join(room: string, name: string): Promise<JoinReply> {
    let reply: JoinReply | ErrorReply;
    try {
      reply = await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck('join', { room, name, protocol: PROTOCOL_VERSION });
    } catch (cause) {
      throw new RtcError('signaling-failed', 'Could not reach the call server. Check the connection and try again.', { cause });
    }
    if (!reply.ok) {
      const code = reply.error.code === 'room-full' ? 'room-full' : 'join-failed';
      const message = code === 'room-full' ? 'This room is full.' : `Could not join the room: ${reply.error.message}`;
      throw new RtcError(code, message, { cause: reply.error });
    }
    this.#joined = true;
    return reply;
  }

  signal(to: string, data: SignalData): void {
    this.#socket.emit('signal', { to, data });
  }

  async leave(): Promise<void> {
    if (!this.#joined) return;
    this.#joined = false;
    if (!this.#socket.connected) return;
    await this.#socket
      .timeout(2000)
      .emitWithAck('leave')
      .catch(() => undefined);
  }

  async iceServers(): Promise<IceServersReply> {
    const reply = await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck('ice-servers');
    if (!reply.ok) throw new RtcError('protocol-error', reply.error.message, { cause: reply.error });
    return reply;
  }

  on<E extends keyof TransportEvents>(event: E, cb: TransportEvents[E]): () => void {
    return this.#events.on(event, cb);
  }

  close(): void {
    this.#joined = false;
    this.#socket.removeAllListeners();
    this.#socket.io.removeAllListeners();
    this.#socket.disconnect();
  }
}
