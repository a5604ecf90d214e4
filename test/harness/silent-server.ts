/**
 * A socket.io server that accepts connections and greets them as ours does (`welcome` with a
 * challenge), then never answers a `join`: a stalled call server, or a proxy holding what we send.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { PROTOCOL_VERSION, SUPPORTED_PROTOCOLS } from '../../src/core/signaling/protocol.js';

export interface SilentServer {
  url: string;
  /** `join` requests received (none answered). */
  joins(): number;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const http = createServer();
  const io = new Server(http, { transports: ['polling', 'websocket'], cors: { origin: true } });
  let joins = 0;
  io.on('connection', (socket) => {
    socket.emit('welcome', { protocol: PROTOCOL_VERSION, protocols: [...SUPPORTED_PROTOCOLS], challenge: randomBytes(16).toString('base64url') });
    socket.on('join', () => void joins++);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    joins: () => joins,
    close: () => new Promise((resolve) => void io.close(() => resolve())),
  };
}
