/** Shared test plumbing: a real server on 127.0.0.1:0 and real socket.io-client sockets. */
import { io, type Socket } from 'socket.io-client';
import { createSignalServer, type SignalServer, type SignalServerOptions } from '../src/signal-server.js';
import { createIdentity, type Identity } from '../../src/core/signaling/identity.js';
import { waitFor } from '../../test/helpers/wait.js';

export { sleep } from '../../test/helpers/wait.js';

export type Client = Socket;

/** Servers and sockets opened by a test file; `cleanup()` in after()/afterEach() closes them all. */
const open = { servers: new Set<SignalServer>(), sockets: new Set<Client>() };

export async function startServer(opts: SignalServerOptions = {}): Promise<SignalServer> {
  const server = await createSignalServer({ port: 0, host: '127.0.0.1', log: () => {}, ...opts });
  open.servers.add(server);
  return server;
}

export async function cleanup(): Promise<void> {
  for (const s of open.sockets) s.disconnect();
  open.sockets.clear();
  const servers = [...open.servers];
  open.servers.clear();
  await Promise.all(servers.map((s) => s.close()));
}

type ClientOptions = Parameters<typeof io>[1];

/** A connected client (websocket only, no reconnection), or a rejection with the connect error. */
export function connect(url: string, opts: ClientOptions = {}): Promise<Client> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 5000, ...opts });
  open.sockets.add(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

/** Emit with an ack and wait for the reply (15 s at most). */
export function request<T = any>(socket: Client, event: string, ...args: unknown[]): Promise<T> {
  // Every request is answered: the bound only turns a hang into a failure. 3 s was too short for
  // 200 at once on two cores shared with a browser suite.
  return socket.timeout(15_000).emitWithAck(event, ...args) as Promise<T>;
}

/** The next `event` on `socket`, or a rejection after `ms`. */
export function next<T = any>(socket: Client, event: string, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    const on = (value: T) => {
      clearTimeout(timer);
      resolve(value);
    };
    socket.once(event, on);
  });
}

/** Everything `socket` receives as `event` from now on. */
export function record<T = any>(socket: Client, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (v: T) => seen.push(v));
  return seen;
}

/** Connect and join `room`; returns the socket and the (successful) join reply. */
export async function joined(url: string, room: string, name = '', opts: ClientOptions = {}) {
  const socket = await connect(url, opts);
  const reply = await request(socket, 'join', { room, name, protocol: 1 });
  if (!reply.ok) throw new Error(`join failed: ${JSON.stringify(reply)}`);
  return { socket, reply };
}

/** A round trip through the server: once it is answered, everything sent before it was handled. */
export async function roundTrip(socket: Client): Promise<void> {
  await request(socket, 'ice-servers');
}

export const offer = (sdp = 'v=0\r\n') => ({ description: { type: 'offer', sdp } });

/** Wait until `cond()` holds (polling), or fail after `ms`. */
export async function until(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  await waitFor(cond, what, ms, 10);
}

/** A connected client and the challenge of its `welcome` (protocol 2). */
export async function connectV2(url: string, opts: ClientOptions = {}): Promise<{ socket: Client; challenge: string }> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 5000, ...opts });
  open.sockets.add(socket);
  const welcome = next<{ challenge: string; protocol: number; protocols: number[] }>(socket, 'welcome', 5000);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, challenge: (await welcome).challenge };
}

export async function newIdentity(): Promise<Identity> {
  const id = await createIdentity();
  if (!id) throw new Error('no WebCrypto in this Node');
  return id;
}

/**
 * Connect and join `room` with protocol 2 as `identity` (a new one by default), resuming if asked.
 * Returns the socket, the identity and the raw reply (which may be an error reply).
 */
export async function joinV2(url: string, room: string, name = '', { identity, resume = false }: { identity?: Identity; resume?: boolean } = {}) {
  const me = identity ?? (await newIdentity());
  const { socket, challenge } = await connectV2(url);
  const proof = await me.prove(challenge, room);
  const reply = await request(socket, 'join', { room, name, protocol: 2, key: me.key, proof, ...(resume ? { resume } : {}) });
  return { socket, identity: me, reply, challenge };
}

/** joinV2 that must succeed. */
export async function joinedV2(url: string, room: string, name = '', options: { identity?: Identity; resume?: boolean } = {}) {
  const r = await joinV2(url, room, name, options);
  if (!r.reply.ok) throw new Error(`join failed: ${JSON.stringify(r.reply)}`);
  return r;
}

/** A protocol-3 join (with a key, so it may resume), with a token if given. Returns the raw reply (maybe an error). */
export async function joinV3(
  url: string,
  room: string,
  {
    name = '',
    token,
    identity,
    resume = false,
    socket: given,
  }: { name?: string; token?: string; identity?: Identity; resume?: boolean; socket?: { socket: Client; challenge: string } } = {},
) {
  const me = identity ?? (await newIdentity());
  const { socket, challenge } = given ?? (await connectV2(url));
  const proof = await me.prove(challenge, room);
  const reply = await request(socket, 'join', { room, name, protocol: 3, key: me.key, proof, ...(token ? { token } : {}), ...(resume ? { resume } : {}) });
  return { socket, identity: me, reply, challenge };
}

/** joinV3 that must succeed. */
export async function joinedV3(url: string, room: string, options: Parameters<typeof joinV3>[2] = {}) {
  const r = await joinV3(url, room, options);
  if (!r.reply.ok) throw new Error(`join failed: ${JSON.stringify(r.reply)}`);
  return r;
}
