/**
 * RtcSessions for browser tests: made with a test's defaults (room, signaling, media), tracked for
 * cleanup, and waited for until they are connected.
 *
 *   let hub: LoopbackHub;
 *   const { make, pair, room, connected, leaveAll } = sessionSet(() => ({ room: 'core', hub }));
 *   beforeEach(() => (hub = new LoopbackHub()));
 *   afterEach(leaveAll);
 *
 * Defaults given as a function are read at each make(), so a test may swap the hub (or the
 * signaling) they name in beforeEach or in the test itself.
 */
import { LoopbackHub, RtcSession, type RtcSessionOptions, type SignalingTransport } from '../../src/core/index.js';
import { linkTiming, type LinkTiming } from '../../src/core/peer/link-timing.js';
import { waitFor } from './wait.js';

/** Options for a session; `hub` stands for `transport: hub.connect()` (one hub connection, not given back by leave()). */
export type SessionOptions = Partial<RtcSessionOptions> & { hub?: LoopbackHub };

/** Whether `s` counts as connected to the remote participant `id`. */
export type Linked = (s: RtcSession, id: string) => boolean;

export const remoteOf = (s: RtcSession, id: string) => s.participants.get().find((p) => p.id === id);

/** The default test: the peer connection to `id` is connected. */
export const peerConnected: Linked = (s, id) => remoteOf(s, id)?.connectionState === 'connected';

/** Every data channel `labels` to `id` is open. */
export const channelsOpen =
  (...labels: ('control' | 'chat' | 'files')[]): Linked =>
  (s, id) =>
    labels.every((label) => s.dataChannel(id, label)?.readyState === 'open');

export interface ConnectedOptions {
  timeout?: number;
  linked?: Linked;
}

/** Until `s` is connected to exactly `peers` remote participants (a number), or to each of the sessions `peers`. */
export function connected(
  s: RtcSession,
  peers: number | readonly RtcSession[],
  { timeout = 40_000, linked = peerConnected }: ConnectedOptions = {},
): Promise<boolean> {
  if (typeof peers === 'number') {
    return waitFor(() => s.participants.get().filter((p) => !p.isLocal && linked(s, p.id)).length === peers, `${peers} connected peers`, timeout);
  }
  return waitFor(() => peers.every((o) => linked(s, o.localId)), `${s.name}: connected to ${peers.map((o) => o.name).join(', ')}`, timeout);
}

export interface SessionSetOptions extends ConnectedOptions {
  /** leaveAll() ignores a leave() that fails (for sessions made elsewhere, e.g. by an `<rtc-room>`). */
  ignoreLeaveErrors?: boolean;
}

/**
 * Sessions made with `defaults`, tracked until leaveAll(); `timeout` and `linked` are what
 * connected(), room() and pair() wait with.
 */
export function sessionSet(
  defaults: SessionOptions | (() => SessionOptions) = {},
  { timeout = 40_000, linked = peerConnected, ignoreLeaveErrors = false }: SessionSetOptions = {},
) {
  const made = new Set<RtcSession>();

  /** Register a session made elsewhere for leaveAll(). */
  const track = (s: RtcSession | undefined): RtcSession => {
    if (!s) throw new Error('no session');
    made.add(s);
    return s;
  };

  /** A session with the defaults, overridden by `extra`. */
  const make = (name?: string, extra: SessionOptions = {}): RtcSession => {
    const { hub: baseHub, ...base } = typeof defaults === 'function' ? defaults() : defaults;
    const { hub, ...options } = extra;
    const transport = options.transport ?? hub?.connect() ?? base.transport ?? baseHub?.connect();
    return track(new RtcSession({ ...base, name, ...options, transport } as RtcSessionOptions));
  };

  const connectedIn = (s: RtcSession, peers: number | readonly RtcSession[], ms = timeout) => connected(s, peers, { timeout: ms, linked });

  /** Join `all` in order; resolves when every one is connected to every other. */
  const joinAll = async <T extends RtcSession[]>(...all: T): Promise<T> => {
    for (const s of all) await s.join();
    await Promise.all(
      all.map((s) =>
        connectedIn(
          s,
          all.filter((o) => o !== s),
        ),
      ),
    );
    return all;
  };

  return {
    make,
    track,
    connected: connectedIn,
    joinAll,
    /** Sessions named `names` (in this order) join, then all are connected. */
    room: (...names: string[]) => joinAll(...names.map((n) => make(n))),
    /** Ada joins, then Bob; resolves when both see each other connected. */
    pair: (extra: SessionOptions = {}) => joinAll(make('Ada', extra), make('Bob', extra)),
    /** Every session made or tracked so far leaves; the set is empty again. */
    async leaveAll(): Promise<void> {
      const all = [...made];
      made.clear();
      await Promise.all(all.map((s) => (ignoreLeaveErrors ? s.leave().catch(() => undefined) : s.leave())));
    },
  };
}

export type SessionSet = ReturnType<typeof sessionSet>;

/**
 * Hold `t`'s first description and everything it sends after it for `ms`, then send them in order
 * (the server relays a client's messages in the order sent, so what follows the offer waits too).
 */
export function delayFirstDescription(t: SignalingTransport, ms: number): void {
  const send = t.signal.bind(t);
  let held: [string, Parameters<typeof send>[1]][] | null = null;
  t.signal = (to, data) => {
    if (held) held.push([to, data]);
    else if ('description' in data) {
      held = [[to, data]];
      setTimeout(() => {
        for (const [heldTo, heldData] of held!) send(heldTo, heldData);
        held = null;
      }, ms);
    } else send(to, data);
  };
}

const productTiming = { ...linkTiming };

/**
 * Shorter link timers for the test that is running (a lost answer resent after 2 s instead of 8):
 * the same behaviour, sooner. Pair it with `restoreLinkTiming` in `afterEach`.
 */
export function useLinkTiming(patch: Partial<LinkTiming>): void {
  Object.assign(linkTiming, patch);
}

/** The product's link timers again. */
export function restoreLinkTiming(): void {
  Object.assign(linkTiming, productTiming);
}
