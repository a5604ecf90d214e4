/**
 * Everything a socket sends goes through one dispatcher: abuse limits (per client address), known-event check, ack
 * extraction, then the handler, one event at a time per socket (so a relay never overtakes an
 * earlier one while a cluster lookup is pending). Nothing a client sends can throw out of here:
 * failures become an error ack, or a `server-error` event when there is no ack.
 */
import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION, SUPPORTED_PROTOCOLS, type ProtocolError } from 'rtc-widgets/protocol';
import { ReplyError, roomHandlers, type Reply, type RoomContext } from './handlers.js';
import { VIOLATION_WINDOW_MS, type AbuseLimits } from './limits.js';
import type { SignalSocket } from './rooms.js';

export interface ConnectionContext extends RoomContext {
  limits: AbuseLimits;
}

type Ack = (reply: unknown) => void;
interface EventSpec {
  /** join and ice-servers are useless without a reply: refuse them when there is no ack. */
  needsAck: boolean;
  run(payload: unknown): Promise<Reply | undefined>;
}

/** Rate-limit notices without an ack are sent at most this often: a flood must not double our traffic. */
const RATE_NOTICE_INTERVAL_MS = 1000;
const MAX_EVENT_NAME_ECHO = 64;
/** Messages of one socket waiting for their turn; beyond this a flood is dropped without waiting. */
const MAX_QUEUED = 1000;

export function serveConnection(ctx: ConnectionContext, socket: SignalSocket): void {
  // What a version-2 join signs: fresh per connection, so a proof can never be replayed elsewhere.
  const challenge = randomBytes(32).toString('base64url');
  socket.emit('welcome', { protocol: PROTOCOL_VERSION, protocols: [...SUPPORTED_PROTOCOLS], challenge });
  const rooms = roomHandlers(ctx, socket, challenge);
  const events: Record<string, EventSpec> = {
    join: { needsAck: true, run: (p) => rooms.join(p) },
    signal: { needsAck: false, run: (p) => rooms.signal(p) },
    leave: { needsAck: false, run: () => rooms.leave() },
    'ice-servers': { needsAck: true, run: () => rooms.iceServers() },
    host: { needsAck: true, run: (p) => rooms.host(p) },
  };
  const address = socket.data.address ?? socket.handshake.address;
  let lastRateNotice = -Infinity;
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  let violations = 0;
  let violationsSince = performance.now();

  const fail = (event: string, ack: Ack | undefined, err: unknown): void => {
    let error: ProtocolError;
    if (err instanceof ReplyError) error = { code: err.code, message: err.message };
    else {
      ctx.log(`internal error on "${event}" from ${socket.id}: ${(err as Error)?.stack ?? String(err)}`);
      error = { code: 'internal', message: 'internal server error' };
    }
    ctx.metrics.refusals.inc({ code: error.code });
    if (ack) ack({ ok: false, error });
    else socket.emit('server-error', { ...error, event });
  };

  /** A dropped message: answered (through its ack, else at most once a second); a socket that keeps at it is cut off. */
  const limited = (event: string, ack: Ack | undefined): void => {
    ctx.metrics.rateLimited.inc();
    const now = performance.now();
    if (now - violationsSince > VIOLATION_WINDOW_MS) {
      violationsSince = now;
      violations = 0;
    }
    if (++violations > ctx.limits.options.violationsBeforeDisconnect) {
      if (socket.connected) ctx.log(`disconnecting ${socket.id} (${address}): it keeps exceeding the message rate`);
      socket.disconnect(true);
      return;
    }
    if (ack || now - lastRateNotice >= RATE_NOTICE_INTERVAL_MS) {
      if (!ack) lastRateNotice = now;
      fail(event, ack, new ReplyError('rate-limited', 'too many messages: this one was dropped'));
    }
  };

  const run = async (event: string, spec: EventSpec, payload: unknown, ack: Ack | undefined): Promise<void> => {
    if (!socket.connected) return;
    try {
      const reply = await spec.run(payload);
      if (reply && ack) ack(reply);
    } catch (err) {
      fail(event, ack, err);
    }
  };

  const receive = (rawEvent: unknown, args: unknown[]): void => {
    const name = String(rawEvent);
    const event = name.slice(0, MAX_EVENT_NAME_ECHO); // what error replies echo back
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    if (queued >= MAX_QUEUED) return limited(event, ack);
    // Counted on arrival, in order (the address's allowance is shared by all its sockets, and
    // across the cluster with redis); the verdict is awaited in turn, so order is kept.
    const allowed = ctx.limits.allowMessage(address);
    if (allowed === false) return limited(event, ack);
    const allowedJoin = name === 'join' ? ctx.limits.allowJoin(address) : undefined;
    const task = async () => {
      // A verdict already known is not awaited (each await is a turn of the microtask queue).
      if ((allowed !== true && !(await allowed)) || (allowedJoin && !(await allowedJoin))) return limited(event, ack);
      const spec = Object.hasOwn(events, name) ? events[name] : undefined;
      if (!spec) return fail(event, ack, new ReplyError('invalid-payload', `unknown event "${event}"`));
      if (spec.needsAck && !ack) {
        return fail(event, undefined, new ReplyError('invalid-payload', `"${event}" needs an acknowledgement callback`));
      }
      await run(event, spec, args[0], ack);
    };
    // Nothing of this socket's in progress (every earlier task has finished): start at once.
    const first = queued++ === 0;
    queue = (first ? task() : queue.then(task)).catch((err) => ctx.log(`reply to "${event}" failed: ${String(err)}`)).finally(() => queued--);
  };

  socket.onAny((event: unknown, ...args: unknown[]) => {
    try {
      receive(event, args);
    } catch (err) {
      ctx.log(`dispatch failed: ${(err as Error)?.stack ?? String(err)}`);
    }
  });
  socket.on('disconnect', () => {
    try {
      rooms.cancelKnock(true);
      rooms.depart('disconnected');
    } catch (err) {
      ctx.log(`disconnect cleanup failed: ${String(err)}`);
    }
  });
}
