/**
 * Real network faults from a test page, through the wtr run's net plugin
 * (test/harness/net-plugin.ts): servers of the test's own, TCP proxies that drop every
 * connection, crashed and restarted coturns and signaling servers, a relay path that loses packets.
 */
async function call<T>(path: string, params: Record<string, string | number> = {}): Promise<T> {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const reply = (await (await fetch(`/__net/${path}?${q}`)).json()) as T & { error?: string };
  if (reply.error) throw new Error(`/__net/${path}: ${reply.error}`);
  return reply;
}

export interface OwnServer {
  id: string;
  url: string;
  /** Close the server and start it again on the same port: everything it remembered is gone. */
  restart(): Promise<void>;
  /** Crash its coturn (SIGKILL) / start it again on the same port (server made with `turn`). */
  killTurn(): Promise<void>;
  restartTurn(): Promise<void>;
  /** Crash its coturn and put one with another secret on its port, which refuses every allocation at once; `restartTurn` ends that. */
  refuseTurn(): Promise<void>;
  /**
   * Drop this fraction (0..1) of the packets between the clients and the coturn, each way (server
   * made with `turn` and `lossy`). Relayed media crosses it twice: sender → coturn → receiver.
   */
  setLoss(rate: number): Promise<void>;
}

/**
 * A signaling server of this test's own (not shared with other tests), optionally with a coturn;
 * `lossy` (with `turn`): its clients reach the coturn over UDP only, through a proxy that loses
 * packets on setLoss().
 */
export async function ownServer(options: { capacity?: number; graceMs?: number; turn?: boolean; lossy?: boolean } = {}): Promise<OwnServer> {
  const params: Record<string, string | number> = {};
  if (options.capacity) params.capacity = options.capacity;
  if (options.graceMs) params.grace = options.graceMs;
  if (options.turn) params.turn = 1;
  if (options.lossy) params.lossy = 1;
  const { id, url } = await call<{ id: string; url: string }>('server', params);
  return {
    id,
    url,
    restart: async () => void (await call('server/restart', { id })),
    killTurn: async () => void (await call('coturn/kill', { id })),
    restartTurn: async () => void (await call('coturn/restart', { id })),
    refuseTurn: async () => void (await call('coturn/refuse', { id })),
    setLoss: async (rate) => void (await call('server/loss', { id, rate })),
  };
}

export interface NetProxy {
  url: string;
  /** Drop every connection through the proxy now, and refuse new ones for `holdMs`. */
  cut(holdMs?: number): Promise<number>;
  /** Send new connections to `to` (open ones stay where they are). */
  retarget(to: string): Promise<void>;
  /** Connections open through it now. */
  open(): Promise<number>;
}

/** A TCP proxy in front of `to`: a client connected through it can lose its connection on demand. */
export async function proxyTo(to: string): Promise<NetProxy> {
  const { id, url } = await call<{ id: string; url: string }>('proxy', { to });
  return {
    url,
    cut: async (holdMs = 0) => (await call<{ cut: number }>('proxy/cut', { id, holdMs })).cut,
    retarget: async (to) => void (await call('proxy/retarget', { id, to })),
    open: async () => (await call<{ open: number }>('proxy/open', { id })).open,
  };
}

export interface SilentServer {
  url: string;
  /** The `join` requests it got (it answers none). */
  joins(): Promise<number>;
}

/** A socket.io server that welcomes clients as ours does and never answers a join (a stalled server). */
export async function silentServer(): Promise<SilentServer> {
  const { id, url } = await call<{ id: string; url: string }>('silent');
  return { url, joins: async () => (await call<{ joins: number }>('silent/joins', { id })).joins };
}
