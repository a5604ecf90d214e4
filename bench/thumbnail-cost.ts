/**
 * thumbnail-cost: what a link costs its sender when the receiver shows it as a thumbnail, against
 * a link from the same sender, in the same run, that a receiver shows in a spotlight-sized tile.
 * Three pages per browser (one sender, two receivers); receiver-driven quality on (the default)
 * and, for reference, off. Target: thumbnail ≤ 0.2 × spotlight (bits sent).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { BenchContext, Benchmark, BrowserName } from './lib/types.js';
import { SessionPages } from './lib/session-pages.js';
import { joinAll, measure, openMember, type Member } from './lib/quality-pages.js';
import { round } from './lib/stats.js';
import { inPage, sleep } from './lib/util.js';

const TARGET = 0.2;

async function once(ctx: BenchContext, name: BrowserName, quality: boolean, settleMs: number, windowMs: number) {
  const server = await ctx.server();
  const browser = await ctx.browser(name);
  const pages = new SessionPages();
  const room = `thumb-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const camera = { width: 640, height: 480, frameRate: 30 };
  try {
    const members: Member[] = [];
    // The sender shows nothing; the receivers show the sender at thumbnail or spotlight width.
    for (const [label, tileWidth] of [
      ['Sender', 160],
      ['Thumb', 160],
      ['Spot', 640],
    ] as const) {
      members.push(
        await openMember(pages, browser, server.url, label, { room, signalUrl: server.url, camera, tileWidth, quality: quality ? undefined : false }),
      );
    }
    await joinAll(members, 60_000);
    const [sender, thumb, spot] = members as [Member, Member, Member];
    // Set again by name (each page made its tiles at its own width already): the sender's tile on each receiver.
    await inPage(thumb.page, 'setTileWidth', 'Sender', 160);
    await inPage(spot.page, 'setTileWidth', 'Sender', 640);
    ctx.log(`thumbnail-cost ${name} quality ${quality ? 'on' : 'off'}: settling ${settleMs} ms, then measuring ${windowMs} ms`);
    await sleep(settleMs); // bandwidth estimation ramps up; pacing, not a condition
    const m = await measure(sender.page, windowMs);
    const byName = Object.fromEntries(Object.values(m.links).map((l) => [l.name, l]));
    const t = byName.Thumb!;
    const s = byName.Spot!;
    return {
      capture: m.capture,
      thumbnail: { kbps: round(t.sentBps / 1000), frameWidth: t.frameWidth, encodedFps: t.encodedFps, applied: t.applied, asked: t.asked },
      spotlight: { kbps: round(s.sentBps / 1000), frameWidth: s.frameWidth, encodedFps: s.encodedFps, applied: s.applied, asked: s.asked },
      ratio: s.sentBps > 0 ? round(t.sentBps / s.sentBps, 3) : null,
      loadavg: loadavg().map((x) => round(x, 2)),
      errors: pages.errors,
    };
  } finally {
    await pages.close();
  }
}

export const thumbnailCost: Benchmark = {
  name: 'thumbnail-cost',
  description: 'upload bits of a link shown as a thumbnail vs one shown in a spotlight, same sender, same run',
  timeoutMs: 10 * 60_000,
  async run(ctx) {
    const browsers = (
      typeof ctx.args.get('browsers') === 'string' ? (ctx.args.get('browsers') as string).split(',') : ['chromium', 'firefox']
    ) as BrowserName[];
    const settleMs = ctx.args.int('thumb-settle-ms', 10_000);
    const windowMs = ctx.args.int('thumb-window-ms', 10_000);
    const out: Record<string, unknown> = { target: `thumbnail ≤ ${TARGET} × spotlight`, settleMs, windowMs };
    for (const name of browsers) {
      const on = await once(ctx, name, true, settleMs, windowMs);
      const off = await once(ctx, name, false, settleMs, windowMs);
      out[name] = { qualityOn: on, qualityOff: off, withinTarget: on.ratio !== null && on.ratio <= TARGET };
    }
    return out;
  },
};
