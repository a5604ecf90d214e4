/**
 * wtr plugin: real network faults for browser tests, driven from the page over HTTP.
 *
 *   GET /__net/server?capacity=2&grace=3000&turn=1   a signaling server of the test's own
 *                                                    (with its own coturn when turn=1) → { id, url }
 *        …&turn=1&lossy=1                            the clients' only TURN URL goes through a
 *                                                    UDP loss proxy in front of that coturn, so
 *                                                    all relayed media crosses it (loss 0 at first)
 *   GET /__net/server/loss?id=…&rate=0.2             that proxy drops this fraction of packets,
 *                                                    each way → { ok: true }
 *   GET /__net/server/restart?id=…                   close it and start it again on the same
 *                                                    port, its memory lost → { url }
 *   GET /__net/coturn/kill?id=… | restart?id=…       crash its coturn (SIGKILL) / start it again
 *                                                    on the same port
 *   GET /__net/coturn/refuse?id=…                    crash it, and put a coturn with another
 *                                                    secret on its port: every allocation is
 *                                                    refused at once (401); restart ends it
 *   GET /__net/proxy?to=<url>                        a TCP proxy in front of `to` → { id, url }
 *   GET /__net/proxy/cut?id=…&holdMs=…               drop every connection through it (as a
 *                                                    load balancer or a network change does) and
 *                                                    refuse new ones for holdMs
 *   GET /__net/proxy/retarget?id=…&to=<url>          new connections through it go to `to`
 *   GET /__net/proxy/open?id=…                       connections open through it → { open }
 *   GET /__net/silent                                a socket.io server that welcomes clients
 *                                                    and never answers a join → { id, url }
 *   GET /__net/silent/joins?id=…                     the joins it got → { joins }
 *
 * Everything listens on 127.0.0.1 and is ended in serverStop. Failures answer `{ error }`.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestRunnerPlugin } from '@web/test-runner';
import { createSignalServer, type SignalServer, type SignalServerOptions } from '../../server/src/signal-server.js';
import { startCoturn, type Coturn } from './coturn.js';
import { TEST_LIMITS } from './limits.js';
import { startSilentServer, type SilentServer } from './silent-server.js';
import { startUdpLossProxy, type UdpLossProxy } from './udp-loss-proxy.js';

interface Proxy {
  url: string;
  /** Where new connections go (retarget changes it; open ones stay where they are). */
  target: URL;
  server: Server;
  open: Set<Socket>;
  refuseUntil: number;
}

interface OwnServer {
  server: SignalServer;
  options: SignalServerOptions;
  coturn?: Coturn;
  /** Standing in for `coturn` on its port, with the wrong secret (coturn/refuse). */
  refusing?: Coturn;
  lossy?: UdpLossProxy;
}

function startProxy(to: string): Promise<Proxy> {
  const proxy: Proxy = { url: '', target: new URL(to), server: createServer(), open: new Set(), refuseUntil: 0 };
  proxy.server.on('connection', (client) => {
    if (Date.now() < proxy.refuseUntil) return void client.destroy();
    const upstream = connect({ host: proxy.target.hostname, port: Number(proxy.target.port) });
    for (const s of [client, upstream]) {
      proxy.open.add(s);
      s.once('close', () => proxy.open.delete(s));
      s.on('error', () => undefined); // a cut socket errors on the other side: expected
    }
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    proxy.server.once('error', reject);
    proxy.server.listen(0, '127.0.0.1', () => {
      proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
      resolve(proxy);
    });
  });
}

export function netPlugin(): TestRunnerPlugin {
  const proxies = new Map<string, Proxy>();
  const servers = new Map<string, OwnServer>();
  const silent = new Map<string, SilentServer>();
  let next = 0;
  const id = (prefix: string) => `${prefix}${++next}`;
  const get = <T>(map: Map<string, T>, key: string | null): T => {
    const v = key ? map.get(key) : undefined;
    if (!v) throw new Error(`unknown id ${key}`);
    return v;
  };

  async function route(path: string, q: URLSearchParams): Promise<unknown> {
    switch (path) {
      case '/__net/server': {
        if (q.get('lossy') === '1' && q.get('turn') !== '1') throw new Error('lossy=1 needs turn=1');
        const coturn = q.get('turn') === '1' ? await startCoturn() : undefined;
        const lossy = coturn && q.get('lossy') === '1' ? await startUdpLossProxy('127.0.0.1', coturn.port) : undefined;
        // Lossy: UDP through the proxy only (no TCP URL to fall back on), so no media bypasses it.
        const turnUrls = coturn && (lossy ? [`turn:127.0.0.1:${lossy.port}?transport=udp`] : coturn.urls);
        const options: SignalServerOptions = {
          port: 0,
          host: '127.0.0.1',
          log: () => {},
          limits: TEST_LIMITS,
          ...(q.get('capacity') ? { roomCapacity: Number(q.get('capacity')) } : {}),
          ...(q.get('grace') ? { resumeGraceMs: Number(q.get('grace')) } : {}),
          ...(coturn && turnUrls ? { turn: { urls: turnUrls, secret: coturn.secret, ttlSeconds: 3600 } } : {}),
        };
        const server = await createSignalServer(options);
        const key = id('server-');
        // The same port on restart: clients reconnect to the address they know.
        servers.set(key, { server, options: { ...options, port: Number(new URL(server.url).port) }, coturn, lossy });
        return { id: key, url: server.url };
      }
      case '/__net/server/restart': {
        const own = get(servers, q.get('id'));
        await own.server.close();
        own.server = await createSignalServer(own.options);
        return { url: own.server.url };
      }
      case '/__net/server/loss': {
        const lossy = get(servers, q.get('id')).lossy;
        if (!lossy) throw new Error('not a lossy server (lossy=1 with turn=1)');
        lossy.setLoss(Number(q.get('rate') ?? NaN));
        return { ok: true };
      }
      case '/__net/coturn/kill':
        await get(servers, q.get('id')).coturn?.kill();
        return { ok: true };
      case '/__net/coturn/refuse': {
        const own = get(servers, q.get('id'));
        if (!own.coturn) throw new Error('no coturn (turn=1)');
        await own.coturn.kill();
        own.refusing ??= await startCoturn({ port: own.coturn.port });
        return { ok: true };
      }
      case '/__net/coturn/restart': {
        const own = get(servers, q.get('id'));
        await own.refusing?.stop();
        own.refusing = undefined;
        await own.coturn?.restart();
        return { ok: true };
      }
      case '/__net/proxy': {
        const proxy = await startProxy(q.get('to') ?? '');
        const key = id('proxy-');
        proxies.set(key, proxy);
        return { id: key, url: proxy.url };
      }
      case '/__net/proxy/cut': {
        const proxy = get(proxies, q.get('id'));
        proxy.refuseUntil = Date.now() + Number(q.get('holdMs') ?? 0);
        const cut = proxy.open.size;
        for (const s of proxy.open) s.destroy();
        return { cut };
      }
      case '/__net/proxy/open':
        // Each connection is a client socket and its upstream.
        return { open: get(proxies, q.get('id')).open.size / 2 };
      case '/__net/proxy/retarget':
        get(proxies, q.get('id')).target = new URL(q.get('to') ?? '');
        return { ok: true };
      case '/__net/silent': {
        const server = await startSilentServer();
        const key = id('silent-');
        silent.set(key, server);
        return { id: key, url: server.url };
      }
      case '/__net/silent/joins':
        return { joins: get(silent, q.get('id')).joins() };
      default:
        throw new Error(`unknown ${path}`);
    }
  }

  return {
    name: 'rtc-widgets-net',
    async serverStop() {
      for (const p of proxies.values()) {
        for (const s of p.open) s.destroy();
        p.server.close();
      }
      proxies.clear();
      await Promise.allSettled(
        [...servers.values()].map(async (s) => {
          await s.server.close();
          await s.lossy?.close();
          await s.refusing?.stop();
          await s.coturn?.stop();
        }),
      );
      servers.clear();
      await Promise.allSettled([...silent.values()].map((s) => s.close()));
      silent.clear();
    },
    async serve(context) {
      if (!context.path.startsWith('/__net/')) return undefined;
      // (wtr forces status 200 on plugin responses, so failure travels as `{ error }`.)
      try {
        return { body: JSON.stringify(await route(context.path, context.URL.searchParams)), type: 'json' };
      } catch (err) {
        return { body: JSON.stringify({ error: String((err as Error)?.message ?? err) }), type: 'json' };
      }
    },
  };
}
