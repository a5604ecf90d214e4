/**
 * App channel latency (issue 11): one-way latency of small messages at a game's pace (60 per
 * second) between two pages of one browser, through the bundle's AppChannels
 * (session.channel(): unordered with maxRetransmits 0, and ordered reliable) and beside them,
 * in the same run and the same pages, a bare RTCPeerConnection pair with the same two kinds of
 * negotiated RTCDataChannel (`raw`, the floor). All four are sent on at once, tick by tick, so
 * they meet the same load. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Page } from 'puppeteer-core';
import type { Benchmark, BenchContext, BrowserName } from './lib/types.js';
import { closePages, errorMessage, inPage, openWindow, sleep, withTimeout } from './lib/util.js';
import { quantile, round } from './lib/stats.js';

const VARIANTS = ['raw-u', 'app-u', 'raw-r', 'app-r'] as const;
type Variant = (typeof VARIANTS)[number];

interface Latency {
  n: number;
  sent: number;
  /** Of interest in Firefox, whose clock ticks in whole ms: the mean of many ticks is finer than any quantile. */
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

function latency(samples: number[], sent: number): Latency {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    sent,
    mean: round(s.reduce((a, b) => a + b, 0) / s.length, 2),
    p50: round(quantile(s, 0.5), 2),
    p95: round(quantile(s, 0.95), 2),
    max: round(s[s.length - 1] ?? NaN, 2),
  };
}

async function runBrowser(ctx: BenchContext, name: BrowserName, o: { rate: number; seconds: number; rounds: number }): Promise<Record<string, unknown>> {
  const browser = await ctx.browser(name);
  const server = await ctx.server();
  const errors: string[] = [];
  const pages: Page[] = [];
  try {
    const url = `${server.url}/app-channel.html`;
    const room = `bench-app-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const receiver = await openWindow(browser, url, 'receiver', errors);
    pages.push(receiver);
    const sender = await openWindow(browser, url, 'sender', errors);
    pages.push(sender);
    await withTimeout(
      (async () => {
        await inPage(receiver, 'join', room, 'Receiver');
        await inPage(sender, 'join', room, 'Sender');
        await Promise.all([inPage(sender, 'ready', 30_000), inPage(receiver, 'ready', 30_000)]);
        const offer = await inPage<string>(sender, 'rawOffer');
        const answer = await inPage<string>(receiver, 'rawAnswer', offer);
        await inPage(sender, 'rawAccept', answer);
        await Promise.all([inPage(sender, 'rawOpen', 20_000), inPage(receiver, 'rawOpen', 20_000)]);
      })(),
      60_000,
      `${name}: connecting the two pages`,
    );
    // Warm up every path briefly (JIT, first-use costs), then throw those samples away.
    for (const v of VARIANTS) await inPage(sender, 'sendFor', v, 30, o.rate);
    await sleep(500);
    for (const v of VARIANTS) await inPage(receiver, 'take', v);

    const samples: Record<Variant, number[]> = { 'raw-u': [], 'app-u': [], 'raw-r': [], 'app-r': [] };
    const sent: Record<Variant, number> = { 'raw-u': 0, 'app-u': 0, 'raw-r': 0, 'app-r': 0 };
    const lag: number[] = [];
    let dropped = 0;
    const perRound = Math.round((o.rate * o.seconds) / o.rounds);
    for (let r = 0; r < o.rounds; r++) {
      // All four at once, one message each per tick, the order rotating: each meets the same load.
      const res = await inPage<{ sent: number; dropped: number; lag: number[] }>(sender, 'sendAll', VARIANTS, perRound, o.rate);
      await sleep(500); // the last ones arrive
      for (const v of VARIANTS) {
        samples[v].push(...(await inPage<number[]>(receiver, 'take', v)));
        sent[v] += res.sent;
      }
      dropped += res.dropped;
      lag.push(...res.lag);
      ctx.log(`  ${name}: round ${r + 1}/${o.rounds} done`);
    }
    const out: Record<string, unknown> = {};
    for (const v of VARIANTS) out[v] = latency(samples[v], sent[v]);
    const ratio = (a: Variant, b: Variant, k: 'mean' | 'p50' | 'p95') => round((out[a] as Latency)[k] / (out[b] as Latency)[k], 2);
    out.ratioVsRaw = {
      unreliable: { mean: ratio('app-u', 'raw-u', 'mean'), p50: ratio('app-u', 'raw-u', 'p50'), p95: ratio('app-u', 'raw-u', 'p95') },
      reliable: { mean: ratio('app-r', 'raw-r', 'mean'), p50: ratio('app-r', 'raw-r', 'p50'), p95: ratio('app-r', 'raw-r', 'p95') },
    };
    out.appDroppedForBackpressure = dropped;
    const lagSorted = [...lag].sort((a, b) => a - b);
    out.senderTimerLagMs = { p50: round(quantile(lagSorted, 0.5), 2), p95: round(quantile(lagSorted, 0.95), 2) };
    await Promise.all(pages.map((p) => inPage(p, 'leave').catch(() => undefined)));
    return out;
  } catch (e) {
    throw new Error(errors.length ? `${errorMessage(e)} [page errors: ${errors.join('; ')}]` : errorMessage(e), { cause: e });
  } finally {
    await closePages(pages);
  }
}

export const appChannel: Benchmark = {
  name: 'app-channel',
  description: 'one-way latency of 60 small messages/s on AppChannels (unreliable, reliable) vs bare RTCDataChannels',
  timeoutMs: 5 * 60_000,
  async run(ctx) {
    const browsers = String(ctx.args.get('app-browsers') ?? ctx.args.get('browsers') ?? 'chromium,firefox').split(',') as BrowserName[];
    const o = { rate: ctx.args.int('app-rate', 60), seconds: ctx.args.int('app-seconds', 10), rounds: ctx.args.int('app-rounds', 1) };
    const out: Record<string, unknown> = {
      method:
        "Two windows of one browser (app-channel.html), each with the bundle's RtcSession (media off) joined to one room on " +
        "the real server, with two AppChannels: 'bench-unreliable' {ordered:false, maxRetransmits:0} (app-u) and " +
        "'bench-reliable' (ordered, reliable; app-r); plus a bare RTCPeerConnection pair between the same pages with two " +
        'negotiated channels of the same kinds (raw-u, raw-r), SDP handed over by the bench. The sender sends ' +
        `${o.rate} messages/s on each variant at once ({seq, t, x, y}, ~70 bytes of JSON; app: channel.send(object), raw: ` +
        `send(JSON.stringify)): every tick one message on each of the four, in an order rotating tick by tick, so all meet ` +
        `the same load; ${o.seconds} s in ${o.rounds} rounds. Latency = receiver's ` +
        'performance.timeOrigin + performance.now() at the message event (after decoding) minus the stamp taken just ' +
        'before the send call: one clock, one machine. ratioVsRaw = app / raw (target ≤ 1.1). n/sent: delivered/sent.',
      ...o,
      loadavgBefore: loadavg().map((x) => round(x, 2)),
    };
    for (const name of ['chromium', 'firefox'] as const) {
      if (!browsers.includes(name)) {
        out[name] = { skipped: `not in --app-browsers=${browsers.join(',')}` };
        continue;
      }
      ctx.log(`app-channel: ${name}`);
      try {
        out[name] = await runBrowser(ctx, name, o);
      } catch (e) {
        out[name] = { error: errorMessage(e) };
      }
    }
    out.loadavgAfter = loadavg().map((x) => round(x, 2));
    return out;
  },
};
