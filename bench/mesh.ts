/**
 * mesh: six peers at 360p-class video in a full mesh, each showing the five others in grid-sized
 * tiles; receiver-driven quality with its budgets on, then off (full quality on every link, as
 * before). Per round: decoded fps per link (min / median), upload per page, CPU per browser
 * (process tree, /proc) over the same window. Six Chromium pages by default; `--mesh-browsers=mixed`
 * alternates Chromium and Firefox (which a 2-core machine cannot carry: bench/README.md).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Browser } from 'puppeteer-core';
import type { BenchContext, Benchmark, BrowserName } from './lib/types.js';
import { SessionPages } from './lib/session-pages.js';
import { joinAll, measure, openMember, type LinkRates, type Member } from './lib/quality-pages.js';
import { treeCpuMs } from './lib/proc.js';
import { median, round } from './lib/stats.js';
import { sleep } from './lib/util.js';

interface RoundOptions {
  peers: number;
  mixed: boolean;
  settleMs: number;
  windowMs: number;
  tileWidth: number;
  camera: { width: number; height: number; frameRate: number };
}

async function runRound(ctx: BenchContext, quality: boolean, o: RoundOptions) {
  const server = await ctx.server();
  const names: BrowserName[] = Array.from({ length: o.peers }, (_, i) => (o.mixed && i % 2 ? 'firefox' : 'chromium'));
  const browsers = new Map<BrowserName, Browser>();
  for (const n of new Set(names)) browsers.set(n, await ctx.browser(n));
  const pages = new SessionPages();
  const room = `mesh-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  try {
    const members: Member[] = [];
    for (const [i, n] of names.entries()) {
      members.push(
        await openMember(pages, browsers.get(n)!, server.url, `P${i + 1}-${n}`, {
          room,
          signalUrl: server.url,
          camera: o.camera,
          tileWidth: o.tileWidth,
          quality: quality ? undefined : false,
        }),
      );
    }
    const t0 = Date.now();
    await joinAll(members, 120_000);
    const joinedMs = Date.now() - t0;
    ctx.log(`mesh quality ${quality ? 'on' : 'off'}: all decoding after ${joinedMs} ms; settling ${o.settleMs} ms, measuring ${o.windowMs} ms`);
    await sleep(o.settleMs); // encoders and bandwidth estimation settle; pacing, not a condition
    const cpu0 = new Map([...browsers].map(([n, b]) => [n, treeCpuMs(b.process()?.pid)]));
    const w0 = Date.now();
    const results = await Promise.all(members.map((m) => measure(m.page, o.windowMs)));
    const wallMs = Date.now() - w0;
    const cpu = Object.fromEntries(
      [...browsers].map(([n, b]) => {
        const a = cpu0.get(n);
        const c = treeCpuMs(b.process()?.pid);
        const pagesOf = names.filter((x) => x === n).length;
        // The browser's whole process tree over the window, as a share of one core, per page.
        return [n, a === null || a === undefined || c === null ? null : { perPageCorePct: round(((c - a) / wallMs / pagesOf) * 100), pages: pagesOf }];
      }),
    );
    const all: LinkRates[] = results.flatMap((r) => Object.values(r.links));
    const fps = all.map((l) => l.decodedFps).sort((a, b) => a - b);
    return {
      joinedMs,
      // Links rebuilt (ICE failed) or gone during the window, per page: their counters restarted, so no rate.
      linksReset: results.reduce((n, r) => n + r.reset.length, 0),
      decodedFpsPerLink: { links: fps.length, min: fps[0] ?? null, median: fps.length ? median(fps) : null, max: fps.at(-1) ?? null },
      uploadKbpsPerPage: results.map((r, i) => ({
        page: members[i]!.label,
        kbps: round(Object.values(r.links).reduce((s, l) => s + l.sentBps, 0) / 1000),
        links: Object.keys(r.links).length,
        capture: r.capture,
      })),
      sentWidths: [...new Set(all.map((l) => l.frameWidth))].sort((a, b) => a - b),
      limitations: all.reduce<Record<string, number>>((acc, l) => ((acc[l.limitation ?? 'n/a'] = (acc[l.limitation ?? 'n/a'] ?? 0) + 1), acc), {}),
      cpu,
      loadavg: loadavg().map((x) => round(x, 2)),
      errors: pages.errors,
    };
  } finally {
    await pages.close();
  }
}

export const mesh: Benchmark = {
  name: 'mesh',
  description: 'six peers at 360p-class video: decoded fps per link, upload and CPU per page, receiver-driven quality on vs off',
  timeoutMs: 12 * 60_000,
  async run(ctx) {
    const o = {
      peers: ctx.args.int('mesh-peers', 6),
      mixed: ctx.args.get('mesh-browsers') === 'mixed',
      settleMs: ctx.args.int('mesh-settle-ms', 10_000),
      windowMs: ctx.args.int('mesh-window-ms', 10_000),
      // Six tiles in a 1280-px-wide grid are about 400 px wide; the bench windows are smaller, so a fixed width.
      tileWidth: ctx.args.int('mesh-tile-width', 320),
      camera: { width: 640, height: 360, frameRate: ctx.args.int('mesh-fps', 30) },
    };
    // A round that fails (a link that never connects on a starved machine) keeps the other's figures.
    const attempt = (quality: boolean) =>
      runRound(ctx, quality, o).catch((e: unknown) => ({ error: e instanceof Error ? e.message.slice(0, 2000) : String(e) }));
    const on = await attempt(true);
    const off = await attempt(false);
    return { ...o, budgetOn: on, budgetOff: off };
  },
};
