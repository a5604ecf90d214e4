/**
 * The signaling bench's load generator: a child process (forked with IPC by bench/signaling.ts)
 * that holds its share of the clients, joins them to their rooms and runs paced relays among them.
 * Every room lives in one process, so a signal's sender and receiver read the same clock
 * (performance.now()) and a relay's latency needs no clock sync. It speaks either our protocol
 * (docs/protocol.md: welcome, join v4 with key and proof, signal, leave) or the bare relay's
 * (bench/signaling/bare-relay.ts).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { joinProofText } from '../../src/core/signaling/protocol.js';
import { due, pairOf, type Room } from './plan.js';
import { offerSeq, signalFrame } from './sdp.js';

export type Flavor = 'ours' | 'bare';

/** Parent → child. */
export type Command =
  | { type: 'connect'; urls: string[]; clientNodes: number[]; flavor: Flavor; concurrency: number; timeoutMs: number }
  | { type: 'join'; rooms: Room[]; concurrency: number }
  | { type: 'relay'; perSecond: number; warmupMs: number; measureMs: number; drainMs: number }
  | { type: 'leave' }
  | { type: 'close' };

/** Child → parent: the answer to the last command, or an error. */
export type Reply =
  | { type: 'connected'; ms: number; failed: number; firstError?: string }
  | { type: 'joined'; ms: number; failed: number; firstError?: string }
  | { type: 'relayed'; latencies: number[]; sent: number; sentInWindow: number; receivedInWindow: number; lost: number; lateSendMs: number; strays: number }
  | { type: 'left' }
  | { type: 'error'; message: string };

interface Client {
  socket: Socket;
  challenge: string;
  /** Our protocol: the P-256 key pair the client joins with (made at its first join). */
  key?: { spki: string; privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'] };
}

const clients: Client[] = [];
let flavor: Flavor = 'ours';
/** Per room of the current layout: the members' peer ids, in member order. */
let roomIds: string[][] = [];
let rooms: Room[] = [];

// The relay in progress: send time per sequence number (NaN: not sent, or already received).
let sentAt = new Float64Array(0);
let windowFrom = Infinity;
let windowTo = Infinity;
let latencies: number[] = [];
let received = 0;
let receivedInWindow = 0;
let strays = 0;

function onSignal(e: { data?: { description?: { sdp?: unknown } } }): void {
  const now = performance.now();
  const seq = offerSeq(e?.data?.description?.sdp);
  const t = seq >= 0 && seq < sentAt.length ? sentAt[seq]! : NaN;
  if (Number.isNaN(t)) {
    strays++;
    return;
  }
  sentAt[seq] = NaN;
  received++;
  if (t >= windowFrom && t < windowTo) latencies.push(now - t);
  if (now >= windowFrom && now < windowTo) receivedInWindow++;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Run `task(i)` for i in [0, n) with at most `concurrency` at once; resolves with the failures. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ failed: number; firstError?: string }> {
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      try {
        await task(i);
      } catch (e) {
        failed++;
        firstError ??= errorText(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { failed, firstError };
}

function connectOne(url: string, timeoutMs: number): Promise<Client> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error('no welcome in time'));
    }, timeoutMs);
    const done = (challenge: string) => {
      clearTimeout(timer);
      socket.on('signal', onSignal);
      resolve({ socket, challenge });
    };
    // Ours greets with a challenge; the bare relay has nothing to say.
    if (flavor === 'ours') socket.once('welcome', (w: { challenge: string }) => done(w.challenge));
    else socket.once('connect', () => done(''));
    socket.once('connect_error', (e) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(e);
    });
  });
}

async function joinOne(client: Client, room: string): Promise<string> {
  let payload: Record<string, unknown> = { room };
  if (flavor === 'ours') {
    if (!client.key) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      client.key = { spki: publicKey.export({ type: 'spki', format: 'der' }).toString('base64url'), privateKey };
    }
    const proof = sign('sha256', Buffer.from(joinProofText(client.challenge, room), 'utf8'), { key: client.key.privateKey, dsaEncoding: 'ieee-p1363' });
    payload = { room, name: 'bench', protocol: 4, key: client.key.spki, proof: proof.toString('base64url') };
  }
  const reply = (await client.socket.timeout(120_000).emitWithAck('join', payload)) as { ok?: boolean; id?: string; error?: unknown };
  if (!reply?.ok || typeof reply.id !== 'string') throw new Error(`join refused: ${JSON.stringify(reply)}`);
  return reply.id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function relay(perSecond: number, warmupMs: number, measureMs: number, drainMs: number): Promise<Reply> {
  const total = Math.max(1, Math.round((perSecond * (warmupMs + measureMs)) / 1000));
  sentAt = new Float64Array(total).fill(NaN);
  latencies = [];
  received = 0;
  receivedInWindow = 0;
  strays = 0;
  const t0 = performance.now();
  windowFrom = t0 + warmupMs;
  windowTo = windowFrom + measureMs;
  let sent = 0;
  let sentInWindow = 0;
  let lateSendMs = 0; // how far behind its schedule the generator fell (its own CPU starved)
  const size = rooms[0]?.members.length ?? 2;
  while (sent < total) {
    const now = performance.now();
    const upTo = Math.min(total, due(now - t0, perSecond));
    if (upTo > sent) lateSendMs = Math.max(lateSendMs, now - t0 - ((upTo - 1) * 1000) / perSecond);
    for (; sent < upTo; sent++) {
      const { room, from, to } = pairOf(sent, rooms.length, size);
      const member = rooms[room]!.members[from]!;
      const t = performance.now();
      sentAt[sent] = t;
      if (t >= windowFrom && t < windowTo) sentInWindow++;
      // = socket.emit('signal', {to, data: {description: {type: 'offer', sdp: offerSdp(sent)}}}), pre-encoded.
      clients[member.client]!.socket.io.engine.write(signalFrame(roomIds[room]![to]!, sent));
    }
    await sleep(2);
  }
  const drainUntil = performance.now() + drainMs;
  while (received < total && performance.now() < drainUntil) await sleep(10);
  windowFrom = windowTo = Infinity;
  return { type: 'relayed', latencies, sent, sentInWindow, receivedInWindow, lost: total - received, lateSendMs, strays };
}

async function handle(cmd: Command): Promise<Reply | undefined> {
  switch (cmd.type) {
    case 'connect': {
      flavor = cmd.flavor;
      const t0 = performance.now();
      const slots: (Client | undefined)[] = new Array(cmd.clientNodes.length);
      const r = await pool(cmd.clientNodes.length, cmd.concurrency, async (i) => {
        slots[i] = await connectOne(cmd.urls[cmd.clientNodes[i]!]!, cmd.timeoutMs);
      });
      clients.push(...slots.filter((c): c is Client => Boolean(c)));
      return { type: 'connected', ms: performance.now() - t0, ...r };
    }
    case 'join': {
      rooms = cmd.rooms;
      roomIds = rooms.map((room) => new Array<string>(room.members.length));
      const members = rooms.flatMap((room, r) => room.members.map((m, i) => ({ r, i, client: m.client, name: room.name })));
      const t0 = performance.now();
      const res = await pool(members.length, cmd.concurrency, async (k) => {
        const m = members[k]!;
        const c = clients[m.client];
        if (!c) throw new Error(`client ${m.client} is not connected`);
        roomIds[m.r]![m.i] = await joinOne(c, m.name);
      });
      return { type: 'joined', ms: performance.now() - t0, ...res };
    }
    case 'relay':
      return relay(cmd.perSecond, cmd.warmupMs, cmd.measureMs, cmd.drainMs);
    case 'leave':
      await pool(clients.length, 200, async (i) => {
        await clients[i]!.socket.timeout(120_000).emitWithAck('leave');
      });
      return { type: 'left' };
    case 'close':
      for (const c of clients.splice(0)) c.socket.disconnect();
      setTimeout(() => process.exit(0), 200);
      return undefined;
  }
}

process.on('message', (cmd: Command) => {
  handle(cmd).then(
    (reply) => reply && process.send!(reply),
    (e) => process.send!({ type: 'error', message: errorText(e) } satisfies Reply),
  );
});
// The parent went away (it crashed, or was killed): nothing left to do here.
process.on('disconnect', () => process.exit(0));
