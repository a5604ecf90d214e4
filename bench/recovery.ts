/**
 * Signaling-server crash mid-call: N pages (Chromium and Firefox) in one room on a signaling
 * server running in its own process; the server is killed (SIGKILL), kept down, and started again
 * on its port. Measured: how long after the restarted server answers every page is 'joined' again
 * under its old id, and how the peer-to-peer video fared meanwhile (the longest stall per link,
 * frames decoded). References in the same run: a fresh join into the same room on the same server,
 * and the stalls of a window with nothing happening. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { startServerProcess, type ServerProcess } from '../test/harness/server-process.js';
import type { Benchmark, BenchContext, BrowserName } from './lib/types.js';
import { errorMessage, inPage, sleep, withTimeout } from './lib/util.js';
import { median, round, summarize } from './lib/stats.js';
import { inWindow, seriesOf, type SampleRow, type WindowFigures } from './lib/frames.js';
import { SessionPages, waitUntil } from './lib/session-pages.js';
import { restartAndTime } from './lib/restart.js';

interface Options {
  pages: number;
  outageMs: number;
  baselineMs: number;
  reps: number;
  sampleMs: number;
  settleMs: number;
  resumeTimeoutMs: number;
  /** After everyone is back: how long the "resume" stall window goes on. */
  afterMs: number;
}

const RESUME_TARGET_MS = 2000;
const STALL_TARGET_MS = 1000;

type PageEvent =
  | { t: number; type: 'status'; status: string; localId: string }
  | { t: number; type: 'link'; id: string; connectionState: string; reconnecting: boolean }
  | { t: number; type: 'error'; code: string; message: string }
  | { t: number; type: 'ws'; what: 'create' | 'open' | 'error' | 'close' | 'eio-open' | 'sio-connect' | 'welcome' | 'join' | 'ack'; n: number }
  | { t: number; type: 'peer-leave' | 'peer-join'; id: string; reason?: string };

interface Member {
  label: string;
  browser: BrowserName;
  page: Page;
  localId: string;
}

interface FreshJoin {
  browser: BrowserName;
  joinMs: number;
  firstFrameMs: number;
  allFramesMs: number;
  remotes: number;
}

interface LinkFigures {
  /** Receiving page ← sending page. */
  link: string;
  outage?: WindowFigures;
  resume?: WindowFigures;
  baseline?: WindowFigures;
}

interface PageFigures {
  label: string;
  browser: BrowserName;
  /** SIGKILL → this page's status 'reconnecting'. */
  reconnectingAfterKillMs: number | null;
  /** The restarted server answered → this page's status 'joined' again. */
  resumedMs: number | null;
  sameId: boolean;
  /** Status changes between the kill and the resume (2 = reconnecting, joined). */
  statusChanges: number;
  /**
   * The signaling WebSocket: attempts made between the kill and the resume, and for the one that
   * opened, when it was made and when it opened (relative to the server answering; made < 0: it
   * was made before and waited in the browser). A gap between `opened` and `resumedMs` is the
   * socket.io handshake, the resume proof and the server's join reply.
   */
  ws: { attempts: number; madeMs: number | null; openedMs: number | null; steps: Record<string, number> };
  /** Link state changes (connection state / reconnecting) seen between the kill and the end of the resume window. */
  linkChanges: { t: number; id: string; connectionState: string; reconnecting: boolean }[];
  /** peer-leave / peer-join events the session emitted between the kill and the end of the resume window (none expected). */
  peerEvents: string[];
  errors: string[];
}

interface Rep {
  rep: number;
  order: string[];
  loadavg: number[];
  outage?: {
    killedToAnsweredMs: number;
    restartCallToAnsweredMs: number;
    /** restart() resolved this long after the port first accepted (its own 50 ms poll). */
    restartResolvedAfterAnsweredMs: number;
    resumeMaxMs: number | null;
    pages: PageFigures[];
  };
  links: LinkFigures[];
  freshJoins: FreshJoin[];
  /** Per page: sampler getStats() calls that took over 2 s (skipped). */
  statsTimeouts: Record<string, number>;
}

const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const load = () => loadavg().map((x) => round(x, 2));

async function openMember(pages: SessionPages, browser: Browser, server: ServerProcess, room: string, label: string): Promise<Page> {
  const page = await pages.open(browser, `${server.url}/session.html`, label);
  await inPage(page, 'setup', { room, name: label, signalUrl: server.url });
  const media = await inPage<{ hasVideo: boolean; hasAudio: boolean }>(page, 'startMedia');
  if (!media.hasVideo) throw new Error(`${label}: no camera`);
  return page;
}

/** Every member decodes video from every other one. */
async function allDecoding(members: Member[], timeoutMs: number): Promise<void> {
  await Promise.all(
    members.map((m) =>
      waitUntil(
        async () => {
          const d = await inPage<Record<string, number | null>>(m.page, 'decoding');
          const others = members.filter((o) => o !== m).map((o) => o.localId);
          return others.every((id) => (d[id] ?? 0) > 0);
        },
        `${m.label}: video decoded from everyone`,
        timeoutMs,
        250,
        async () => JSON.stringify(await inPage(m.page, 'decoding')),
      ),
    ),
  );
}

function wsFigures(events: PageEvent[], answeredAt: number, until: number): PageFigures['ws'] {
  const ws = events.filter((e): e is Extract<PageEvent, { type: 'ws' }> => e.type === 'ws' && e.t <= until);
  const open = ws.find((e) => e.what === 'open' && e.t >= answeredAt);
  const made = open ? ws.find((e) => e.what === 'create' && e.n === open.n) : undefined;
  // The resume's steps on that socket, relative to the server answering.
  const steps = open ? Object.fromEntries(ws.filter((e) => e.n === open.n && e.what !== 'create').map((e) => [e.what, e.t - answeredAt])) : {};
  return {
    attempts: ws.filter((e) => e.what === 'create').length,
    madeMs: made ? made.t - answeredAt : null,
    openedMs: open ? open.t - answeredAt : null,
    steps,
  };
}

async function oneRep(ctx: BenchContext, server: ServerProcess, browsers: BrowserName[], o: Options, rep: number): Promise<Rep> {
  const pages = new SessionPages();
  const room = uniqueName('bench-recovery');
  const order = rep % 2 === 0 ? ['fresh-join', 'baseline', 'outage'] : ['outage', 'baseline', 'fresh-join'];
  const out: Rep = { rep, order, loadavg: load(), links: [], freshJoins: [], statsTimeouts: {} };
  // An earlier rep that timed out may have left the server down.
  if (server.pid === undefined) await server.restart();

  const work = async () => {
    const members: Member[] = [];
    const count: Partial<Record<BrowserName, number>> = {};
    for (let i = 0; i < o.pages; i++) {
      const browser = browsers[i % browsers.length]!;
      count[browser] = (count[browser] ?? 0) + 1;
      const label = `${browser}#${count[browser]}`;
      const page = await openMember(pages, await ctx.browser(browser), server, room, label);
      const { localId } = await inPage<{ localId: string }>(page, 'join');
      members.push({ label, browser, page, localId });
    }
    await allDecoding(members, 60_000);
    const labelOf = new Map(members.map((m) => [m.localId, m.label]));
    await Promise.all(members.map((m) => inPage(m.page, 'startSampler', o.sampleMs)));
    await sleep(1000);

    let outage: { killedAt: number; answeredAt: number; allBackAt: number; resumeEnd: number } | undefined;
    let baseline: { from: number; to: number } | undefined;

    const phases: Record<string, () => Promise<void>> = {
      'fresh-join': async () => {
        // The reference: one page per browser joins this room from scratch (media opened before the clock).
        for (const browser of browsers) {
          const label = `new-${browser}`;
          const page = await openMember(pages, await ctx.browser(browser), server, room, label);
          await sleep(o.settleMs);
          const r = await inPage<Omit<FreshJoin, 'browser'>>(page, 'joinTimed', o.pages, 30_000).catch((e) => {
            throw new Error(`fresh join (${browser}): ${errorMessage(e)}`);
          });
          out.freshJoins.push({ browser, ...r });
          ctx.log(
            `  recovery rep ${rep + 1}: fresh join (${browser}) join() ${r.joinMs.toFixed(0)} ms, first frame ${r.firstFrameMs.toFixed(0)} ms, all ${r.allFramesMs.toFixed(0)} ms`,
          );
          await pages.close(page);
          await sleep(1000);
        }
      },
      baseline: async () => {
        const from = Date.now();
        await sleep(o.baselineMs);
        baseline = { from, to: Date.now() };
      },
      outage: async () => {
        const killedAt = Date.now();
        await server.kill();
        await Promise.all(
          members.map((m) =>
            waitUntil(async () => (await inPage<{ status: string }>(m.page, 'state')).status === 'reconnecting', `${m.label}: reconnecting`, 15_000),
          ),
        );
        await sleep(Math.max(0, killedAt + o.outageMs - Date.now()));
        const r = await restartAndTime(server, server.port);
        const answeredAt = r.answeredAt;
        await Promise.all(
          members.map((m) =>
            waitUntil(
              async () => {
                const s = await inPage<{ status: string; localId: string }>(m.page, 'state');
                return s.status === 'joined' || s.status === 'failed';
              },
              `${m.label}: joined again`,
              o.resumeTimeoutMs,
              100,
              async () => JSON.stringify(await inPage(m.page, 'state')),
            ),
          ),
        );
        const pageFigures: PageFigures[] = [];
        let allBackAt = answeredAt;
        for (const m of members) {
          const events = (await inPage<PageEvent[]>(m.page, 'events')).filter((e) => e.t >= killedAt);
          const status = events.filter((e): e is Extract<PageEvent, { type: 'status' }> => e.type === 'status');
          const reconnecting = status.find((e) => e.status === 'reconnecting');
          const back = status.find((e) => e.status === 'joined');
          if (back) allBackAt = Math.max(allBackAt, back.t);
          pageFigures.push({
            label: m.label,
            browser: m.browser,
            reconnectingAfterKillMs: reconnecting ? reconnecting.t - killedAt : null,
            resumedMs: back ? back.t - answeredAt : null,
            sameId: back?.localId === m.localId,
            statusChanges: status.length,
            ws: wsFigures(events, answeredAt, back?.t ?? Infinity),
            linkChanges: [],
            peerEvents: [],
            errors: events.filter((e): e is Extract<PageEvent, { type: 'error' }> => e.type === 'error').map((e) => `${e.code}: ${e.message}`),
          });
        }
        const resumeEnd = allBackAt + o.afterMs;
        await sleep(Math.max(0, resumeEnd - Date.now()));
        // Link changes over the whole outage + resume, now that the window is over.
        for (const [i, m] of members.entries()) {
          const events = await inPage<PageEvent[]>(m.page, 'events');
          pageFigures[i]!.linkChanges = events
            .filter((e): e is Extract<PageEvent, { type: 'link' }> => e.type === 'link' && e.t >= killedAt && e.t <= resumeEnd)
            .map((e) => ({ t: e.t - killedAt, id: labelOf.get(e.id) ?? e.id, connectionState: e.connectionState, reconnecting: e.reconnecting }));
          pageFigures[i]!.peerEvents = events
            .filter(
              (e): e is Extract<PageEvent, { type: 'peer-leave' | 'peer-join' }> =>
                (e.type === 'peer-leave' || e.type === 'peer-join') && e.t >= killedAt && e.t <= resumeEnd,
            )
            .map((e) => `${e.type} ${labelOf.get(e.id) ?? e.id}${e.reason ? ` (${e.reason})` : ''} at ${e.t - killedAt} ms`);
        }
        const resumed = pageFigures.map((p) => p.resumedMs);
        out.outage = {
          killedToAnsweredMs: answeredAt - killedAt,
          restartCallToAnsweredMs: answeredAt - r.restartCalledAt,
          restartResolvedAfterAnsweredMs: r.restartResolvedAt - answeredAt,
          resumeMaxMs: resumed.every((x) => x !== null) ? Math.max(...(resumed as number[])) : null,
          pages: pageFigures,
        };
        outage = { killedAt, answeredAt, allBackAt, resumeEnd };
        ctx.log(
          `  recovery rep ${rep + 1}: server answered ${((answeredAt - killedAt) / 1000).toFixed(1)} s after the kill; back after ` +
            pageFigures.map((p) => `${p.label} ${p.resumedMs === null ? 'never' : `${p.resumedMs} ms`}${p.sameId ? '' : ' (NEW ID)'}`).join(', '),
        );
      },
    };

    for (const [i, phase] of order.entries()) {
      if (i > 0) await sleep(1000);
      await phases[phase]!();
    }

    // The frame samples: per receiving page, per sending member.
    for (const m of members) {
      const { rows, statsTimeouts } = await inPage<{ rows: SampleRow[]; statsTimeouts: number }>(m.page, 'stopSampler');
      out.statsTimeouts[m.label] = statsTimeouts;
      for (const [id, points] of seriesOf(rows)) {
        const from = labelOf.get(id);
        if (!from) continue; // a fresh-join page
        const link: LinkFigures = { link: `${m.label}←${from}` };
        if (outage) {
          link.outage = inWindow(points, outage.killedAt, outage.answeredAt);
          link.resume = inWindow(points, outage.answeredAt, outage.resumeEnd);
        }
        if (baseline) link.baseline = inWindow(points, baseline.from, baseline.to);
        out.links.push(link);
      }
    }
    return out;
  };

  try {
    const timeout = 120_000 + o.outageMs + o.baselineMs + o.resumeTimeoutMs + o.pages * 30_000;
    return await withTimeout(work(), timeout, `recovery rep ${rep + 1}`);
  } catch (e) {
    throw pages.withErrors(e);
  } finally {
    await pages.close();
  }
}

const maxOf = (xs: (number | null | undefined)[]) => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? Math.max(...v) : null;
};
const nums = (xs: (number | null | undefined)[]) => xs.filter((x): x is number => typeof x === 'number');

/** Figures over all reps: every value, and each rep's worst (median and max over reps). */
function spread(perRep: (number | null | undefined)[][]) {
  const all = perRep.flatMap((xs) => nums(xs));
  const worst = perRep.map((xs) => maxOf(xs)).filter((x): x is number => x !== null);
  return {
    all: summarize(all),
    worstPerRep: summarize(worst),
    median: worst.length ? round(median(worst)) : null,
    max: worst.length ? round(Math.max(...worst)) : null,
  };
}

/** The decoder-side stall where the browser gives inter-frame delays, else the sampler's gap. */
const stallOf = (w: WindowFigures | undefined) => w?.longestStallMs ?? w?.longestGapMs;

function stallFigures(reps: Rep[], key: 'outage' | 'resume' | 'baseline', target: number | null) {
  const s = spread(reps.map((r) => r.links.map((l) => stallOf(l[key]))));
  return {
    ...s,
    ...(target !== null ? { target, met: s.max !== null ? s.max <= target : null } : {}),
    lowerBound: spread(reps.map((r) => r.links.map((l) => l[key]?.longestStallLowerMs))).max,
    samplerGapMs: spread(reps.map((r) => r.links.map((l) => l[key]?.longestGapMs))),
    samplerMaxGapMs: maxOf(reps.flatMap((r) => r.links.map((l) => l[key]?.samplerMaxGapMs))),
    freezes: summarize(nums(reps.flatMap((r) => r.links.map((l) => l[key]?.freezes)))),
    freezesMs: summarize(nums(reps.flatMap((r) => r.links.map((l) => l[key]?.freezesMs)))),
  };
}

function freshJoinFigures(joins: FreshJoin[]) {
  return {
    joinMs: summarize(joins.map((j) => j.joinMs)),
    firstFrameMs: summarize(joins.map((j) => j.firstFrameMs)),
    allFramesMs: summarize(joins.map((j) => j.allFramesMs)),
  };
}

export const recovery: Benchmark = {
  name: 'recovery',
  description: 'signaling server killed mid-call and restarted: time until everyone is joined again, video stalls meanwhile, vs a fresh join',
  timeoutMs: 40 * 60_000,
  async run(ctx) {
    const loadStart = load();
    const started = Date.now();
    const o: Options = {
      pages: Math.max(2, ctx.args.int('recovery-pages', 4)),
      outageMs: ctx.args.int('recovery-outage-ms', 10_000),
      baselineMs: ctx.args.int('recovery-baseline-ms', 10_000),
      reps: Math.max(1, ctx.args.int('recovery-reps', 3)),
      sampleMs: ctx.args.int('recovery-sample-ms', 200),
      settleMs: ctx.args.int('settle-ms', 300),
      resumeTimeoutMs: ctx.args.int('recovery-resume-timeout-ms', 30_000),
      afterMs: ctx.args.int('recovery-after-ms', 2000),
    };
    const wanted = String(ctx.args.get('recovery-browsers') ?? ctx.args.get('browsers') ?? 'chromium,firefox').split(',') as BrowserName[];
    const bad = wanted.filter((b) => b !== 'chromium' && b !== 'firefox');
    if (bad.length) throw new Error(`--recovery-browsers: unknown ${bad.join(', ')} (chromium, firefox)`);
    // Both browsers when both start; a browser that cannot start is left out (and said so).
    const browsers: BrowserName[] = [];
    const unavailable: Record<string, string> = {};
    for (const name of (['chromium', 'firefox'] as const).filter((b) => wanted.includes(b))) {
      try {
        await ctx.browser(name);
        browsers.push(name);
      } catch (e) {
        unavailable[name] = errorMessage(e);
      }
    }
    if (!browsers.length) throw new Error(`no browser could start: ${JSON.stringify(unavailable)}`);
    const versions = Object.fromEntries(await Promise.all(browsers.map(async (b) => [b, await (await ctx.browser(b)).version()])));

    const server = await withTimeout(
      startServerProcess({ staticDir: join(ctx.repo, 'bench/pages'), bundleFile: ctx.bundleFile, roomCapacity: Math.max(6, o.pages + 1) }),
      30_000,
      'starting the signaling server process',
    );
    ctx.log(`recovery: server process ${server.pid} at ${server.url}; ${o.pages} pages (${browsers.join(' + ')}), outage ${o.outageMs} ms, ${o.reps} reps`);
    const reps: Rep[] = [];
    const failures: { rep: number; error: string }[] = [];
    try {
      for (let rep = 0; rep < o.reps; rep++) {
        try {
          reps.push(await oneRep(ctx, server, browsers, o, rep));
        } catch (e) {
          failures.push({ rep: rep + 1, error: errorMessage(e) });
          ctx.log(`  recovery rep ${rep + 1} FAILED: ${errorMessage(e)}`);
        }
      }
    } finally {
      await withTimeout(server.stop(), 10_000, 'stopping the signaling server process').catch(() => undefined);
    }
    if (!reps.length) throw new Error(`every rep failed: ${JSON.stringify(failures)}`);

    const withOutage = reps.filter((r) => r.outage);
    const resume = spread(withOutage.map((r) => r.outage!.pages.map((p) => p.resumedMs)));
    const allBack = withOutage.every((r) => r.outage!.pages.every((p) => p.resumedMs !== null && p.sameId));
    const freshJoins = reps.flatMap((r) => r.freshJoins);
    const fresh = freshJoinFigures(freshJoins);
    const outageStall = stallFigures(withOutage, 'outage', STALL_TARGET_MS);
    const baselineStall = stallFigures(reps, 'baseline', null);
    const ratio = (x: number | null | undefined, y: number | null | undefined) =>
      typeof x === 'number' && typeof y === 'number' && y > 0 ? round(x / y, 2) : null;
    const outageFps = nums(withOutage.flatMap((r) => r.links.map((l) => l.outage?.fps)));
    const baselineFps = nums(reps.flatMap((r) => r.links.map((l) => l.baseline?.fps)));

    return {
      method:
        `${o.pages} pages (${browsers.join(' + ')}, alternating; each its own window) run the bundle's RtcSession (audio + video, ` +
        "each remote's stream in a muted <video>) in one room on the signaling server started with startServerProcess (its own " +
        "process, serving bench/pages/). Each page samples every remote's inbound-rtp framesDecoded every " +
        `${o.sampleMs} ms. The server is killed with SIGKILL, kept down ${o.outageMs} ms from the kill, and restarted on its port; ` +
        "`answered` = the first TCP accept on the port (10 ms poll beside restart()'s own). resume = page's status event " +
        "'joined' (Date.now() in the page, the same clock as node's) − answered, with the id it had before. Stalls: the longest " +
        "inter-frame delay, bounded from the decoder's totalInterFrameDelay / totalSquaredInterFrameDelay between samples " +
        '(independent of when the sampler ran; samplerGapMs = the longest time between samples that saw new frames, which a late ' +
        'sampler inflates). Windows: outage = kill → answered; resume = answered → ' +
        `last page back + ${o.afterMs} ms; baseline = ${o.baselineMs} ms with the server up and nothing happening. Reference: a fresh ` +
        'page per browser joins the same room on the same server (media opened before the clock): join() resolved, first and last ' +
        'remote first frame (requestVideoFrameCallback). Order per rep alternates (fresh join, baseline, outage / outage, ' +
        'baseline, fresh join). New pages and room per rep. Times in ms.',
      options: { ...o, browsers },
      ...(Object.keys(unavailable).length ? { browsersUnavailable: unavailable } : {}),
      browserVersions: versions,
      loadavg: { start: loadStart, end: load() },
      durationMs: Date.now() - started,
      resume: {
        perPageMs: resume.all,
        maxPerRepMs: resume.worstPerRep,
        median: resume.median,
        max: resume.max,
        target: RESUME_TARGET_MS,
        allBackWithSameId: allBack,
        /** peer-leave / peer-join the sessions reported during outage + resume (none expected: links are kept). */
        peerEvents: withOutage.flatMap((r) => r.outage!.pages.flatMap((p) => p.peerEvents.map((x) => `rep ${r.rep + 1} ${p.label}: ${x}`))),
        met: resume.max !== null && allBack ? resume.max <= RESUME_TARGET_MS : false,
        reconnectingAfterKillMs: summarize(nums(withOutage.flatMap((r) => r.outage!.pages.map((p) => p.reconnectingAfterKillMs)))),
        byBrowser: Object.fromEntries(
          browsers.map((b) => {
            const ps = withOutage.flatMap((r) => r.outage!.pages.filter((p) => p.browser === b));
            return [
              b,
              {
                resumedMs: summarize(nums(ps.map((p) => p.resumedMs))),
                wsAttemptsDuringOutage: summarize(ps.map((p) => p.ws.attempts)),
                wsMadeMs: summarize(nums(ps.map((p) => p.ws.madeMs))),
                wsOpenedMs: summarize(nums(ps.map((p) => p.ws.openedMs))),
                // Median time after the server answered of each step of the resume on the socket that got through.
                stepsMs: Object.fromEntries(
                  ['eio-open', 'sio-connect', 'welcome', 'join', 'ack'].map((k) => {
                    const xs = nums(ps.map((p) => p.ws.steps[k]));
                    return [k, xs.length ? round(median(xs)) : null];
                  }),
                ),
              },
            ];
          }),
        ),
      },
      stallMs: {
        outage: outageStall,
        resume: stallFigures(withOutage, 'resume', STALL_TARGET_MS),
        baseline: baselineStall,
      },
      framesDuringOutage: {
        perLink: summarize(nums(withOutage.flatMap((r) => r.links.map((l) => l.outage?.framesGained)))),
        fpsPerLink: summarize(outageFps),
        baselineFpsPerLink: summarize(baselineFps),
        fpsOverBaseline: ratio(outageFps.length ? median(outageFps) : null, baselineFps.length ? median(baselineFps) : null),
        everyLinkGotFrames: withOutage.every((r) => r.links.every((l) => (l.outage?.framesGained ?? 0) > 0)),
      },
      reference: {
        freshJoin: fresh,
        byBrowser: Object.fromEntries(browsers.map((b) => [b, freshJoinFigures(freshJoins.filter((j) => j.browser === b))])),
        ratio: {
          // Median page's resume, and the median of each rep's slowest, over a fresh join's join() and first frame.
          resumeOverFreshJoin: ratio(resume.all?.median, fresh.joinMs?.median),
          resumeOverFreshFirstFrame: ratio(resume.all?.median, fresh.firstFrameMs?.median),
          slowestResumeOverFreshFirstFrame: ratio(resume.median, fresh.firstFrameMs?.median),
          outageStallMaxOverBaselineStallMax: ratio(outageStall.max, baselineStall.max),
        },
      },
      reps,
      failures,
    };
  },
};
