/**
 * Where browser tests signal: an in-page LoopbackHub, or the run's real signaling server
 * (server/src/, started by test/harness/signal-plugin.ts; pages find it at `GET /__signal`).
 * Behavioural suites run once per kind:
 *
 *   for (const kind of SIGNALING) describe(`Chat (${kind})`, () => {
 *     let sig: Signaling;
 *     beforeEach(async () => (sig = await signaling(kind)));
 *     const make = (name: string) => new RtcSession({ room: sig.room, name, transport: sig.transport });
 *   });
 *
 * `sig.transport` is a factory (a fresh socket, or a fresh hub client, per join), and `sig.room`
 * is a room name no other test in the run uses: with the real server every test shares one
 * server, so fixed room names would put the sessions of different tests (and browsers) together.
 */
import { LoopbackHub, SocketIoTransport, type SignalingTransport } from '../../src/core/index.js';

export type SignalingKind = 'loopback' | 'server';

/** Both, loopback first (cheap, and a failure there says the bug is not in the server path). */
export const SIGNALING: readonly SignalingKind[] = ['loopback', 'server'];

export interface Signaling {
  readonly kind: SignalingKind;
  /** A new client: a new hub connection, or a new socket.io connection to the real server. */
  readonly transport: () => SignalingTransport;
  /** A room name unique to this test (and this page). */
  readonly room: string;
  /** Another unique room name, e.g. for a second call in the same test. */
  newRoom(prefix?: string): string;
  /** The hub, for loopback signaling (tests that need hub features use LoopbackHub directly). */
  readonly hub?: LoopbackHub;
  /** The server's URL, for server signaling. */
  readonly url?: string;
  /**
   * Every `server-error` the server sent any of this test's clients (e.g. a signal dropped by the
   * per-socket rate limit, or refused as too large), as "code: message"; always empty on loopback.
   * A signal refused because its target just left (`unknown-peer`), or because a broadcast's
   * roles changed under it (`viewer-to-viewer`), is a benign race, not listed.
   */
  readonly serverErrors: string[];
}

let url: Promise<string> | undefined;

/** The real signaling server's URL; rejects (and the test fails) when the harness has none. */
export function signalUrl(): Promise<string> {
  url ??= (async () => {
    const info = (await (await fetch('/__signal')).json()) as { url?: string; error?: string };
    if (!info.url) throw new Error(`no signaling server: ${info.error ?? 'unknown reason'}`);
    return info.url;
  })();
  // A failed fetch must not poison every later test.
  url.catch(() => (url = undefined));
  return url;
}

let counter = 0;
const pageTag = Math.random().toString(36).slice(2, 8);

/** Unique per call, per page and per run: `prefix-<page>-<n>-<time>` (letters, digits, '-': a valid room). */
export function uniqueRoom(prefix = 'test'): string {
  return `${prefix}-${pageTag}-${++counter}-${Date.now().toString(36)}`.slice(0, 64);
}

/** Fresh signaling for one test: a new hub, or the real server; always a new room name. */
export async function signaling(kind: SignalingKind, prefix = 'test'): Promise<Signaling> {
  const newRoom = (p = prefix) => uniqueRoom(p);
  if (kind === 'loopback') {
    const hub = new LoopbackHub();
    return { kind, hub, transport: () => hub.connect(), room: newRoom(), newRoom, serverErrors: [] };
  }
  const server = await signalUrl();
  const serverErrors: string[] = [];
  const transport = () => {
    const t = new SocketIoTransport(server);
    t.on('server-error', (e) => {
      // A signal racing a departure (a candidate trickled to a peer that has just left) is refused
      // as unknown-peer, one racing a broadcast's role change as viewer-to-viewer: benign, and on
      // a busy machine it happens. Anything else is a failure.
      if ((e.code === 'unknown-peer' || e.code === 'viewer-to-viewer') && e.event === 'signal') return;
      serverErrors.push(`${e.code}: ${e.message}${e.event ? ` (${e.event})` : ''}`);
    });
    return t;
  };
  return { kind, url: server, transport, room: newRoom(), newRoom, serverErrors };
}
