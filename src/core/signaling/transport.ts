/**
 * What the session needs from a signaling channel. The socket.io transport talks to our server;
 * the loopback transport runs the same rules inside one page, for tests without a server.
 */
import type { HostCommand, IceServersReply, JoinReply, RoomMode, ServerToClientEvents, SignalData } from './protocol.js';
import type { Identity } from './identity.js';

/** What the server sends (protocol 3 events are never emitted by a transport without roles), and the connection's ups and downs. */
export type TransportEvents = Omit<ServerToClientEvents, 'welcome'> & {
  /** The connection dropped; the transport keeps trying to reconnect. */
  disconnect: (reason: string) => void;
  /** Connected again after a drop: `join(room, name, { resume: true })` continues as the same member. */
  reconnect: () => void;
};

export interface JoinOptions {
  /**
   * Continue the membership this transport had before its connection dropped (same peer id, no
   * one is told we left). Rejects with an RtcError 'resume-expired' when that is no longer possible.
   */
  resume?: boolean;
  /** A join token from the app's backend (needed when the server requires one). */
  token?: string;
  /**
   * Protocol 4: join as a viewer (receive only), whatever the token would make us. A server that
   * does not speak version 4 is joined without it (the session then sends nothing anyway).
   */
  role?: 'viewer';
  /** Protocol 4: the room's mode, used only if the room is empty (docs/protocol.md §13); left out for older servers. */
  mode?: RoomMode;
}

export interface SignalingTransport {
  /** The key we joined with (protocol 2+), which also signs our chat messages; null without one. */
  readonly identity?: Identity | null;
  /** Resolves with the join reply; rejects with an RtcError ('room-full', 'join-failed', 'signaling-failed', 'resume-expired'). */
  join(room: string, name: string, options?: JoinOptions): Promise<JoinReply>;
  signal(to: string, data: SignalData): void;
  /** Whether messages sent now reach the server. */
  readonly connected: boolean;
  leave(): Promise<void>;
  /** Fresh ICE servers (new TURN credentials), e.g. before an ICE restart; also before joining. */
  iceServers(): Promise<IceServersReply>;
  /**
   * Optional: get the next join into `room` ready before it is asked for (connect, make the key
   * and the proof), so that join() only sends it. Never rejects.
   */
  prepare?(room: string): Promise<void>;
  on<E extends keyof TransportEvents>(event: E, cb: TransportEvents[E]): () => void;
  /** Run a host command (protocol 3); rejects with an RtcError ('not-allowed', 'protocol-error'). */
  host?(command: HostCommand): Promise<void>;
  /** While reconnecting: try now rather than at the next scheduled attempt. */
  reconnectNow?(): void;
  /** Close the connection for good. */
  close(): void;
}
