/**
 * broadcast: one presenter (Chromium, a 640×360@30 camera) and eight viewers in a broadcast room
 * (docs/protocol.md §13), the viewers alternating Firefox and Chromium by default
 * (`--broadcast-viewers=chromium|firefox|mixed`). Over a measuring window, with the presenter alone
 * first (a baseline: nobody to send to) and then with the eight viewers: the presenter's upload
 * (total and per viewer, against the per-viewer cap applied), its encoders' time (outbound-rtp
 * `totalEncodeTime`: CPU spent encoding, as a share of one core), frames encoded per second, the
 * sent width and the limitation the browser reports; the viewers' decoded fps; the CPU of each
 * browser's process tree (the presenter's Chromium also holds the Chromium viewers' pages).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Browser } from 'puppeteer-core';
import type { BenchContext, Benchmark, BrowserName } from './lib/types.js';
import { SessionPages, waitUntil } from './lib/session-pages.js';
import { measure, openMember, type Member, type Sample } from './lib/quality-pages.js';
import { treeCpuMs } from './lib/proc.js';
import { median, round } from './lib/stats.js';
import { errorMessage, inPage, sleep, withTimeout } from './lib/util.js';

interface Options {
  viewers: number;
  viewersIn: 'mixed' | BrowserName;
  settleMs: number;
  windowMs: number;
  camera: { width: number; height: number; frameRate: number };
  tileWidth: number;
}

type EncodeSample = Sample & { links: Record<string, Sample['links'][string] & { encodeMs?: number; role?: string }>; viewerCount?: number };

/** CPU of every browser's process tree over `windowMs` (a share of one core), beside the presenter's own figures. */
async function window(browsers: Map<BrowserName, Browser>, host: Member, windowMs: number) {
  const cpu0 = new Map([...browsers].map(([n, b]) => [n, treeCpuMs(b.process()?.pid)]));
  const a = await inPage<EncodeSample>(host.page, 'sample');
  const w0 = Date.now();
  const measured = await measure(host.page, windowMs);
  const wallMs = Date.now() - w0;
  const b = await inPage<EncodeSample>(host.page, 'sample');
  const cpu = Object.fromEntries(
    [...browsers].map(([n, br]) => {
      const c0 = cpu0.get(n);
      const c = treeCpuMs(br.process()?.pid);
      return [n, c0 === null || c0 === undefined || c === null ? null : round(((c - c0) / wallMs) * 100)];
    }),
  );
  const encodeMs = Object.entries(b.links).reduce((s, [id, l]) => s + ((l.encodeMs ?? 0) - (a.links[id]?.encodeMs ?? 0)), 0);
  const links = Object.values(measured.links);
  return {
    uploadKbps: round(links.reduce((s, l) => s + l.sentBps, 0) / 1000),
    perViewerKbps: links.map((l) => round(l.sentBps / 1000)),
    capKbps: [...new Set(links.map((l) => (l.applied ? round(l.applied.maxBitrate / 1000) : null)))],
    encodedFpsPerLink: links.length ? median(links.map((l) => l.encodedFps)) : null,
    sentWidths: [...new Set(links.map((l) => l.frameWidth))].sort((x, y) => x - y),
    limitations: links.reduce<Record<string, number>>((acc, l) => ((acc[l.limitation ?? 'n/a'] = (acc[l.limitation ?? 'n/a'] ?? 0) + 1), acc), {}),
    // Time the presenter's encoders spent, as a share of one core (Chromium reports totalEncodeTime).
    encodeCorePct: round((encodeMs / wallMs) * 100),
    browserCorePct: cpu,
    linksReset: measured.reset.length,
    capture: measured.capture,
  };
}

async function run(ctx: BenchContext, o: Options) {
  const server = await ctx.server();
  const kinds: BrowserName[] = Array.from({ length: o.viewers }, (_, i) => (o.viewersIn === 'mixed' ? (i % 2 ? 'chromium' : 'firefox') : o.viewersIn));
  const browsers = new Map<BrowserName, Browser>();
  for (const n of new Set<BrowserName>(['chromium', ...kinds])) browsers.set(n, await ctx.browser(n));
  const pages = new SessionPages();
  const room = `live-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  try {
    const host = await openMember(pages, browsers.get('chromium')!, server.url, 'Presenter', {
      room,
      signalUrl: server.url,
      camera: o.camera,
      tileWidth: 160,
      mode: 'broadcast',
    });
    await inPage(host.page, 'join');
    const role = await inPage<EncodeSample & { role?: string }>(host.page, 'sample');
    if (role.role !== 'host') throw new Error(`the presenter joined as ${role.role}`);
    ctx.log(`broadcast: presenter alone, settling ${o.settleMs} ms, measuring ${o.windowMs} ms`);
    await sleep(o.settleMs); // pacing, not a condition
    const alone = await window(browsers, host, o.windowMs);

    const viewers: Member[] = [];
    const t0 = Date.now();
    for (const [i, n] of kinds.entries()) {
      const v = await openMember(pages, browsers.get(n)!, server.url, `V${i + 1}-${n}`, {
        room,
        signalUrl: server.url,
        tileWidth: o.tileWidth,
        mode: 'broadcast',
      });
      viewers.push(v);
      await inPage(v.page, 'join');
      // Staggered: each viewer decodes the presenter before the next one comes.
      const first = await inPage<EncodeSample>(v.page, 'sample');
      await waitUntil(
        async () => {
          const s = await inPage<EncodeSample>(v.page, 'sample');
          const links = Object.entries(s.links);
          return links.length === 1 && links.every(([id, l]) => l.framesDecoded > (first.links[id]?.framesDecoded ?? 0) + 5);
        },
        `${v.label}: decoding the presenter`,
        120_000,
        500,
        async () => JSON.stringify(await inPage<Sample>(v.page, 'sample')),
      );
    }
    const joinedMs = Date.now() - t0;
    ctx.log(`broadcast: ${o.viewers} viewers decoding after ${joinedMs} ms; settling ${o.settleMs} ms, measuring ${o.windowMs} ms`);
    await sleep(o.settleMs);
    // The presenter first (the figures this is for); then the viewers, each bounded: on a starved
    // machine one page's evaluate may hang, which must not cost the presenter's figures.
    const withViewers = await window(browsers, host, o.windowMs);
    ctx.log(`broadcast: presenter measured; measuring the viewers' decoding`);
    const bounded = <T>(p: Promise<T>, what: string) => withTimeout(p, o.windowMs + 30_000, what).catch((e: unknown) => ({ error: errorMessage(e) }));
    const measuredViewers = await Promise.all(viewers.map((v) => bounded(measure(v.page, o.windowMs), `${v.label}: measuring`)));
    const fps = measuredViewers.flatMap((m) => ('error' in m ? [] : Object.values(m.links).map((l) => l.decodedFps))).sort((x, y) => x - y);
    const counts = await Promise.all(
      [host, ...viewers].map(async (m) =>
        bounded(inPage<EncodeSample>(m.page, 'sample'), `${m.label}: sample`).then((s) => ('error' in s ? null : s.viewerCount)),
      ),
    );
    return {
      viewersIn: kinds,
      joinedMs,
      presenterAlone: alone,
      presenterWith8: withViewers,
      viewerDecodedFps: { min: fps[0] ?? null, median: fps.length ? median(fps) : null, max: fps.at(-1) ?? null, measured: fps.length },
      viewerMeasureErrors: measuredViewers.flatMap((m) => ('error' in m ? [m.error] : [])),
      viewerCountOnEveryPage: [...new Set(counts)],
      loadavg: loadavg().map((x) => round(x, 2)),
      errors: pages.errors,
    };
  } finally {
    await pages.close();
  }
}

export const broadcast: Benchmark = {
  name: 'broadcast',
  description: 'one presenter, eight viewers (broadcast room): presenter upload (per viewer vs cap), encoder and browser CPU',
  timeoutMs: 10 * 60_000,
  async run(ctx) {
    const viewersIn = ctx.args.get('broadcast-viewers');
    const o: Options = {
      viewers: ctx.args.int('broadcast-viewer-count', 8),
      viewersIn: viewersIn === 'chromium' || viewersIn === 'firefox' ? viewersIn : 'mixed',
      settleMs: ctx.args.int('broadcast-settle-ms', 10_000),
      windowMs: ctx.args.int('broadcast-window-ms', 10_000),
      camera: { width: 640, height: 360, frameRate: 30 },
      tileWidth: ctx.args.int('broadcast-tile-width', 640),
    };
    return { ...o, ...(await run(ctx, o)) };
  },
};
