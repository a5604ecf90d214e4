/**
 * What the session needs from a signaling channel. The socket.io transport talks to our server;
 * the loopback transport runs the same rules inside one page, for tests without a server.
 */
import type { IceServersReply, JoinReply, PeerInfo, PeerLeftEvent, ProtocolError, SignalData, SignalEvent } from './protocol.js';

export interface TransportEvents {
  'peer-joined': (peer: PeerInfo) => void;
  'peer-left': (event: PeerLeftEvent) => void;
  signal: (event: SignalEvent) => void;
  'server-error': (error: ProtocolError & { event?: string }) => void;
  /** The connection dropped; the transport keeps trying to reconnect. */
  disconnect: (reason: string) => void;
  /** Connected again after a drop: `join(room, name, { resume: true })` continues as the same member. */
  reconnect: () => void;
}

export interface JoinOptions {
  /**
   * Continue the membership this transport had before its connection dropped (same peer id, no
   * one is told we left). Rejects with an RtcError 'resume-expired' when that is no longer possible.
   */
  resume?: boolean;
}

export interface SignalingTransport {
  /** Resolves with the join reply; rejects with an RtcError ('room-full', 'join-failed', 'signaling-failed', 'resume-expired'). */
  join(room: string, name: string, options?: JoinOptions): Promise<JoinReply>;
  signal(to: string, data: SignalData): void;
  /** Whether messages sent now reach the server. */
  readonly connected: boolean;
  leave(): Promise<void>;
  /** Fresh ICE servers (new TURN credentials), e.g. before an ICE restart. */
  iceServers(): Promise<IceServersReply>;
  on<E extends keyof TransportEvents>(event: E, cb: TransportEvents[E]): () => void;
  /** While reconnecting: try now rather than at the next scheduled attempt. */
  reconnectNow?(): void;
  /** Close the connection for good. */
  close(): void;
}
