/**
 * ICE restart through a TURN server that crashed: two pages of one browser in a relay-only call
 * through a coturn started here; coturn is killed (SIGKILL), kept down, and started again on its
 * port. Measured: how long after coturn answers frames flow again on both sides, and the ICE
 * restarts / TURN credential refreshes it took. Reference in the same run: the relay-only call's
 * own setup (join → first frame) through the same coturn. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { createSignalServer, type SignalServer } from '../server/src/signal-server.js';
import { startCoturn, type Coturn } from '../test/harness/coturn.js';
import type { Benchmark, BenchContext, BrowserName } from './lib/types.js';
import { errorMessage, inPage, sleep, withTimeout } from './lib/util.js';
import { median, round, summarize } from './lib/stats.js';
import { countAt, firstRiseAfter, inWindow, seriesOf, type SampleRow, type WindowFigures } from './lib/frames.js';
import { SessionPages, waitUntil } from './lib/session-pages.js';
import { restartAndTime } from './lib/restart.js';

const FRAMES_AGAIN_TARGET_MS = 5000;

interface Options {
  outageMs: number;
  reps: number;
  sampleMs: number;
  settleMs: number;
  /** Kill → both sides reconnecting, and answered → frames on both sides: each bounded by this. */
  waitTimeoutMs: number;
}

type PageEvent =
  | { t: number; type: 'status'; status: string; localId: string }
  | { t: number; type: 'link'; id: string; connectionState: string; reconnecting: boolean }
  | { t: number; type: 'error'; code: string; message: string }
  | { t: number; type: 'ws'; what: string; n: number }
  | { t: number; type: 'peer-leave' | 'peer-join'; id: string; reason?: string };

interface Pair {
  local: string | null;
  remote: string | null;
  relayProtocol: string | null;
  protocol: string | null;
}
interface NegotiationStats {
  offersSent: number;
  answersSent: number;
  offersReceived: number;
  iceRestarts: number;
  iceServersRefreshed: number;
  signalsViaChannel: number;
}

interface Side {
  label: 'A' | 'B';
  /** Kill → the remote participant shows reconnecting: true. */
  reconnectingAfterKillMs: number | null;
  /** Kill → the link's first state other than 'connected'. */
  leftConnectedAfterKillMs: number | null;
  leftConnectedAs: string | null;
  /** coturn answered → the first sample that saw framesDecoded rise (the rise happened after the sample before it, `framesAgainLowerBoundMs`). */
  framesAgainMs: number | null;
  framesAgainLowerBoundMs: number | null;
  /** coturn answered → the link's connectionState 'connected' again. */
  connectedAgainMs: number | null;
  /** coturn answered → the first sample that saw packetsReceived rise (video RTP arriving again). */
  packetsAgainMs: number | null;
  /** coturn answered → the first sample that saw keyFramesDecoded rise (null where the browser does not count them). */
  keyFrameAgainMs: number | null;
  /** Keyframe requests (PLI) this side sent between coturn answering and its first frame again, then up to the end. */
  pliSent: { untilFramesAgain: number | null; total: number | null };
  reconnectingClearedMs: number | null;
  /** Frames decoded between the kill and coturn answering (0: the link really was down). */
  framesDuringOutage: number | null;
  /** The stall on this side, over kill → frames again (longestStallMs: the decoder's longest inter-frame delay). */
  stall: WindowFigures | null;
  /** getStats() calls of the sampler that took over 2 s (skipped). */
  statsTimeouts: number;
  negotiation: NegotiationStats | null;
  pairBefore: Pair | null;
  pairAfter: Pair | null;
  linkChanges: { t: number; connectionState: string; reconnecting: boolean }[];
  errors: string[];
}

interface Rep {
  rep: number;
  loadavg: number[];
  /** The reference: B's join() → its first frame of A; join() alone; A's first frame of B is not clocked. */
  setup: { joinMs: number; firstFrameMs: number };
  killedToBothReconnectingMs: number;
  killedToAnsweredMs: number;
  restartResolvedAfterAnsweredMs: number;
  framesAgainMaxMs: number | null;
  sides: Side[];
}

interface Failure {
  rep: number;
  error: string;
  /** What it measured before failing: the call setup (part of the reference) and the selected pairs. */
  partial?: { setup?: { joinMs: number; firstFrameMs: number }; pairs?: (Pair | null)[] };
  /** Each side's peer connection and link events (ms after the kill) when it failed. */
  diagnosis?: unknown;
}

const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const load = () => loadavg().map((x) => round(x, 2));

async function openSide(pages: SessionPages, browser: Browser, url: string, room: string, label: string): Promise<Page> {
  const page = await pages.open(browser, `${url}/session.html`, label);
  await inPage(page, 'setup', { room, name: label, signalUrl: url, relay: true, audio: false, video: true });
  const media = await inPage<{ hasVideo: boolean }>(page, 'startMedia');
  if (!media.hasVideo) throw new Error(`${label}: no camera`);
  return page;
}

async function oneRep(ctx: BenchContext, name: BrowserName, server: SignalServer, coturn: Coturn, o: Options, rep: number): Promise<Rep> {
  const pages = new SessionPages();
  const room = uniqueName(`bench-ice-${name}`);
  // An earlier rep that timed out may have left coturn down.
  if (coturn.pid === undefined) await coturn.restart();
  const browser = await ctx.browser(name);
  /** Set once both pages exist: what each side looked like, for a failure's message. */
  let diagnose: (() => Promise<unknown>) | undefined;
  let killedAt = 0;
  /** What a failed rep measured before failing (its call setup: the reference). */
  const partial: { setup?: { joinMs: number; firstFrameMs: number }; pairs?: (Pair | null)[] } = {};
  const work = async (): Promise<Rep> => {
    const loadNow = load();
    const a = await openSide(pages, browser, server.url, room, 'A');
    const { localId: aId } = await inPage<{ localId: string }>(a, 'join');
    const b = await openSide(pages, browser, server.url, room, 'B');
    await sleep(o.settleMs);
    const setup = await inPage<{ joinMs: number; firstFrameMs: number; localId: string }>(b, 'joinTimed', 1, 40_000);
    const bId = setup.localId;
    partial.setup = { joinMs: round(setup.joinMs), firstFrameMs: round(setup.firstFrameMs) };
    const sides = [
      { label: 'A' as const, page: a, remote: bId },
      { label: 'B' as const, page: b, remote: aId },
    ];
    for (const s of sides) {
      await waitUntil(async () => ((await inPage<Record<string, number | null>>(s.page, 'decoding'))[s.remote] ?? 0) > 0, `${s.label}: decoding`, 30_000, 100);
    }
    const pairBefore = await Promise.all(sides.map((s) => inPage<Pair | null>(s.page, 'selectedPair', s.remote)));
    partial.pairs = pairBefore;
    for (const [i, p] of pairBefore.entries()) {
      if (p?.local !== 'relay' || p.remote !== 'relay')
        throw new Error(`${sides[i]!.label}: selected pair ${p ? `${p.local}/${p.remote}` : 'none'}, not relay/relay`);
    }
    diagnose = () =>
      Promise.all(
        sides.map(async (s) => ({
          side: s.label,
          pc: await inPage(s.page, 'diagnose', s.remote),
          linkChanges: (await inPage<PageEvent[]>(s.page, 'events'))
            .filter((e) => e.type !== 'ws' && e.t >= killedAt)
            .map((e) => ({ ...e, t: e.t - killedAt })),
        })),
      );
    await Promise.all(sides.map((s) => inPage(s.page, 'startSampler', o.sampleMs)));
    await sleep(1000);

    killedAt = Date.now();
    await coturn.kill();
    await Promise.all(
      sides.map((s) =>
        waitUntil(
          async () =>
            (await inPage<{ remotes: { id: string; reconnecting: boolean }[] }>(s.page, 'state')).remotes.find((r) => r.id === s.remote)?.reconnecting,
          `${s.label}: remote participant reconnecting`,
          o.waitTimeoutMs,
          100,
          async () => JSON.stringify(await inPage(s.page, 'state')),
        ),
      ),
    );
    const bothReconnectingAt = Date.now();
    await sleep(o.outageMs);
    const r = await restartAndTime(coturn, coturn.port);
    const answeredAt = r.answeredAt;
    await Promise.all(
      sides.map(async (s) => {
        const r = await waitUntil(
          async () => {
            const rose = (await inPage<Record<string, unknown>>(s.page, 'framesRoseAfter', answeredAt))[s.remote];
            if (rose) return { rose };
            // The link was dropped (the session said the peer left): it will not come back by itself.
            const left = (await inPage<PageEvent[]>(s.page, 'events')).find((e) => e.type === 'peer-leave' && e.t >= killedAt);
            return left ? { left } : null;
          },
          `${s.label}: frames again after coturn restarted`,
          o.waitTimeoutMs,
          100,
          async () => JSON.stringify(await inPage(s.page, 'state')),
        );
        if ('left' in r && r.left) {
          await sleep(1000); // let the other side's state settle, for the diagnosis
          throw new Error(
            `${s.label}: the link was dropped ${r.left.t - answeredAt} ms after coturn answered (session event peer-leave, ` +
              `reason ${JSON.stringify((r.left as { reason?: string }).reason)}) instead of recovering`,
          );
        }
      }),
    );
    await sleep(1500);

    const out: Side[] = [];
    for (const s of sides) {
      const { rows, statsTimeouts } = await inPage<{ rows: SampleRow[]; statsTimeouts: number }>(s.page, 'stopSampler');
      const points = seriesOf(rows).get(s.remote) ?? [];
      const events = (await inPage<PageEvent[]>(s.page, 'events')).filter((e) => e.t >= killedAt);
      const link = events.filter((e): e is Extract<PageEvent, { type: 'link' }> => e.type === 'link' && e.id === s.remote);
      const reconnecting = link.find((e) => e.reconnecting);
      const left = link.find((e) => e.connectionState !== 'connected');
      const connectedAgain = link.find((e) => e.t >= answeredAt && e.connectionState === 'connected');
      const cleared = link.find((e) => e.t >= answeredAt && !e.reconnecting);
      const rise = firstRiseAfter(points, answeredAt);
      const since = (x: { t: number } | null) => (x ? round(x.t - answeredAt) : null);
      const diff = (x: number | null, y: number | null) => (x !== null && y !== null ? x - y : null);
      const during = inWindow(points, killedAt, answeredAt);
      out.push({
        label: s.label,
        reconnectingAfterKillMs: reconnecting ? reconnecting.t - killedAt : null,
        leftConnectedAfterKillMs: left ? left.t - killedAt : null,
        leftConnectedAs: left?.connectionState ?? null,
        framesAgainMs: rise ? round(rise.t - answeredAt) : null,
        framesAgainLowerBoundMs: rise ? round(Math.max(0, rise.previousT - answeredAt)) : null,
        connectedAgainMs: connectedAgain ? connectedAgain.t - answeredAt : null,
        packetsAgainMs: since(firstRiseAfter(points, answeredAt, 'p')),
        keyFrameAgainMs: since(firstRiseAfter(points, answeredAt, 'k')),
        pliSent: {
          untilFramesAgain: rise ? diff(countAt(points, rise.t, 'pli'), countAt(points, answeredAt, 'pli')) : null,
          total: diff(countAt(points, Infinity, 'pli'), countAt(points, killedAt, 'pli')),
        },
        reconnectingClearedMs: cleared ? cleared.t - answeredAt : null,
        framesDuringOutage: during.framesGained,
        stall: rise ? inWindow(points, killedAt, rise.t) : null,
        statsTimeouts,
        negotiation: await inPage<NegotiationStats | null>(s.page, 'negotiationStats', s.remote),
        pairBefore: pairBefore[sides.indexOf(s)] ?? null,
        pairAfter: await inPage<Pair | null>(s.page, 'selectedPair', s.remote),
        linkChanges: link.map((e) => ({ t: e.t - killedAt, connectionState: e.connectionState, reconnecting: e.reconnecting })),
        errors: events.filter((e): e is Extract<PageEvent, { type: 'error' }> => e.type === 'error').map((e) => `${e.code}: ${e.message}`),
      });
    }
    const again = out.map((s) => s.framesAgainMs);
    return {
      rep,
      loadavg: loadNow,
      setup: { joinMs: round(setup.joinMs), firstFrameMs: round(setup.firstFrameMs) },
      killedToBothReconnectingMs: bothReconnectingAt - killedAt,
      killedToAnsweredMs: answeredAt - killedAt,
      restartResolvedAfterAnsweredMs: r.restartResolvedAt - answeredAt,
      framesAgainMaxMs: again.every((x) => x !== null) ? Math.max(...(again as number[])) : null,
      sides: out,
    };
  };
  try {
    return await withTimeout(work(), 120_000 + o.outageMs + 2 * o.waitTimeoutMs, `ice-restart ${name} rep ${rep + 1}`);
  } catch (e) {
    const err = pages.withErrors(e);
    const state = diagnose ? await withTimeout(diagnose(), 5000, 'diagnose').catch((d) => `(diagnose failed: ${errorMessage(d)})`) : undefined;
    throw Object.assign(err, { diagnosis: state, partial });
  } finally {
    await pages.close();
  }
}

const nums = (xs: (number | null | undefined)[]) => xs.filter((x): x is number => typeof x === 'number');

function browserFigures(reps: Rep[], failures: Failure[], version: string) {
  const worst = nums(reps.map((r) => r.framesAgainMaxMs));
  const max = worst.length ? Math.max(...worst) : null;
  const allRecovered = reps.length > 0 && reps.every((r) => r.framesAgainMaxMs !== null);
  // The reference counts the setups of failed reps too (they failed later, at the outage).
  const setups = [...reps.map((r) => r.setup), ...failures.flatMap((f) => (f.partial?.setup ? [f.partial.setup] : []))];
  const setupMs = summarize(setups.map((x) => x.firstFrameMs));
  const sides = reps.flatMap((r) => r.sides);
  const sum = (f: (s: Side) => number | undefined) => summarize(nums(sides.map(f)));
  return {
    browserVersion: version,
    framesAgainMs: {
      perSide: summarize(nums(sides.map((s) => s.framesAgainMs))),
      maxPerRep: summarize(worst),
      median: worst.length ? round(median(worst)) : null,
      max,
      target: FRAMES_AGAIN_TARGET_MS,
      met: allRecovered && max !== null && failures.length === 0 ? max <= FRAMES_AGAIN_TARGET_MS : false,
    },
    connectedAgainMs: sum((s) => s.connectedAgainMs ?? undefined),
    packetsAgainMs: sum((s) => s.packetsAgainMs ?? undefined),
    keyFrameAgainMs: sum((s) => s.keyFrameAgainMs ?? undefined),
    pliSentUntilFramesAgain: sum((s) => s.pliSent.untilFramesAgain ?? undefined),
    reconnectingAfterKillMs: sum((s) => s.reconnectingAfterKillMs ?? undefined),
    iceRestarts: sum((s) => s.negotiation?.iceRestarts),
    iceServersRefreshed: sum((s) => s.negotiation?.iceServersRefreshed),
    framesDuringOutage: sum((s) => s.framesDuringOutage ?? undefined),
    /** Reps in which a link was dropped (the session reported the peer as gone) instead of recovering. */
    linkDroppedReps: failures.filter((f) => f.error.includes('link was dropped')).map((f) => f.rep),
    relayed:
      [...failures.flatMap((f) => f.partial?.pairs ?? []), ...sides.map((s) => s.pairBefore)].length > 0 &&
      failures.every((f) => (f.partial?.pairs ?? []).every((p) => p?.local === 'relay' && p.remote === 'relay')) &&
      sides.every(
        (s) => s.pairBefore?.local === 'relay' && s.pairBefore.remote === 'relay' && s.pairAfter?.local === 'relay' && s.pairAfter.remote === 'relay',
      ),
    reference: {
      setupFirstFrameMs: setupMs,
      setupJoinMs: summarize(setups.map((x) => x.joinMs)),
      framesAgainMedianOverSetupMedian: worst.length && setupMs ? round(median(nums(sides.map((s) => s.framesAgainMs))) / setupMs.median, 2) : null,
    },
    reps,
    failures,
  };
}

export const iceRestart: Benchmark = {
  name: 'ice-restart',
  description: 'relay-only call, coturn killed and restarted: time until frames flow again both ways, vs setting up the call',
  timeoutMs: 40 * 60_000,
  async run(ctx) {
    const loadStart = load();
    const started = Date.now();
    const o: Options = {
      outageMs: ctx.args.int('ice-outage-ms', 10_000),
      reps: Math.max(1, ctx.args.int('ice-reps', 3)),
      sampleMs: ctx.args.int('ice-sample-ms', 100),
      settleMs: ctx.args.int('settle-ms', 300),
      waitTimeoutMs: ctx.args.int('ice-wait-timeout-ms', 60_000),
    };
    const wanted = String(ctx.args.get('ice-browsers') ?? ctx.args.get('browsers') ?? 'chromium,firefox').split(',') as BrowserName[];
    const bad = wanted.filter((b) => b !== 'chromium' && b !== 'firefox');
    if (bad.length) throw new Error(`--ice-browsers: unknown ${bad.join(', ')} (chromium, firefox)`);
    const names = (['chromium', 'firefox'] as const).filter((b) => wanted.includes(b));
    const out: Record<string, unknown> = {};
    const browsers: BrowserName[] = [];
    for (const name of names) {
      try {
        await ctx.browser(name);
        browsers.push(name);
      } catch (e) {
        out[name] = { error: `could not start: ${errorMessage(e)}` };
      }
    }
    if (!browsers.length) throw new Error(`no browser could start: ${JSON.stringify(out)}`);

    const coturn = await withTimeout(startCoturn(), 30_000, 'starting coturn');
    let server: SignalServer | undefined;
    const reps = new Map<BrowserName, Rep[]>(browsers.map((b) => [b, []]));
    const failures = new Map<BrowserName, Failure[]>(browsers.map((b) => [b, []]));
    try {
      server = await withTimeout(
        createSignalServer({
          port: 0,
          host: '127.0.0.1',
          log: () => {},
          staticDir: join(ctx.repo, 'bench/pages'),
          bundleFile: ctx.bundleFile,
          turn: { urls: coturn.urls, secret: coturn.secret, ttlSeconds: 3600 },
        }),
        30_000,
        'starting the signaling server',
      );
      ctx.log(`ice-restart: coturn ${coturn.pid} on ${coturn.port}, server at ${server.url}; ${browsers.join(' + ')}, outage ${o.outageMs} ms, ${o.reps} reps`);
      for (let rep = 0; rep < o.reps; rep++) {
        // Alternate which browser goes first, so drifting load hits both alike.
        const order = rep % 2 === 0 ? browsers : [...browsers].reverse();
        for (const name of order) {
          try {
            const r = await oneRep(ctx, name, server, coturn, o, rep);
            reps.get(name)!.push(r);
            ctx.log(
              `  ice-restart ${name} rep ${rep + 1}: setup ${r.setup.firstFrameMs.toFixed(0)} ms; reconnecting after ${r.killedToBothReconnectingMs} ms; ` +
                `frames again ${r.sides.map((s) => `${s.label} ${s.framesAgainMs ?? 'never'} ms`).join(', ')} after coturn answered; ` +
                `restarts ${r.sides.map((s) => s.negotiation?.iceRestarts ?? '?').join('+')}, refreshed ${r.sides.map((s) => s.negotiation?.iceServersRefreshed ?? '?').join('+')}`,
            );
          } catch (e) {
            const extra = e as { diagnosis?: unknown; partial?: Failure['partial'] };
            failures.get(name)!.push({ rep: rep + 1, error: errorMessage(e), partial: extra.partial, diagnosis: extra.diagnosis });
            ctx.log(`  ice-restart ${name} rep ${rep + 1} FAILED: ${errorMessage(e)}`);
          }
        }
      }
    } finally {
      await withTimeout(server?.close() ?? Promise.resolve(), 15_000, 'stopping the signaling server').catch(() => undefined);
      await withTimeout(coturn.stop(), 10_000, 'stopping coturn').catch(() => undefined);
    }
    if (browsers.every((b) => reps.get(b)!.length === 0)) throw new Error(`every rep failed: ${JSON.stringify(Object.fromEntries(failures))}`);

    for (const name of names) {
      if (!browsers.includes(name)) continue;
      out[name] = browserFigures(reps.get(name)!, failures.get(name)!, await (await ctx.browser(name)).version());
    }
    for (const name of ['chromium', 'firefox'] as const) if (!names.includes(name)) out[name] = { skipped: `not in --ice-browsers=${wanted.join(',')}` };
    return {
      method:
        'Two windows of one browser run the bundle\'s RtcSession (video only, iceTransportPolicy "relay", a SocketIoTransport to ' +
        'an in-process signaling server that hands out credentials of a coturn started here). A joins; B opens its camera, waits ' +
        `${o.settleMs} ms, and its join() → first frame of A (requestVideoFrameCallback) is the reference (the relay-only call's ` +
        'own setup through the same coturn). The selected candidate pair must be relay/relay on both sides. Each page samples ' +
        `framesDecoded every ${o.sampleMs} ms. coturn is killed (SIGKILL); once both sides show the remote participant ` +
        `reconnecting, it stays down ${o.outageMs} ms more and is restarted on its port; answered = its port's first TCP accept. ` +
        'framesAgain = answered → the first sample that saw framesDecoded rise (an upper bound; the lower bound is the sample ' +
        'before it). Fresh pages and room per rep; browsers alternate order per rep. Times in ms.',
      options: { ...o, browsers },
      target: { framesAgainMs: FRAMES_AGAIN_TARGET_MS },
      loadavg: { start: loadStart, end: load() },
      durationMs: Date.now() - started,
      ...out,
    };
  },
};
