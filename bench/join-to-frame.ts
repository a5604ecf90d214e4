/**
 * Join → first remote frame: how long from "join" until the newcomer sees the other person,
 * for our widgets on the real server (`ours`) against two bare RTCPeerConnections in one page
 * (`raw`, the floor) and one per page (`rawTwoPages`), in the same browser, interleaved call by
 * call. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import type { Benchmark, BenchContext, BrowserName } from './lib/types.js';
import { closePages, errorMessage, inPage, openWindow, sleep, withTimeout } from './lib/util.js';
import { median, medianRatioInterval, round, summarize } from './lib/stats.js';
import { treeCpuMs } from './lib/proc.js';

interface Frame {
  t: number;
  presentationTime: number | null;
  presentedFrames: number | null;
  width: number;
  height: number;
}
type Marks = Record<string, number>;
interface TimedJoin {
  t0: number;
  frame: Frame;
  marks: Marks;
}
interface RawCall extends TimedJoin {
  answererFrame: Frame;
}

/** One call of any variant: B is the newcomer / offerer, A the one already there / answerer. */
interface Sample {
  /** B's t0 → first frame of A's video at B. */
  b: number;
  /** B's t0 → first frame of B's video at A (two pages: two clocks, both on the epoch). */
  a: number;
  /** Events relative to B's t0 (one-page raw: both the same). */
  bMarks: Marks;
  aMarks: Marks;
  frames: Frame[];
  /** The browser's CPU (all its processes, /proc) while the call settled and while it joined; null without /proc. */
  cpu: CallCpu | null;
}

interface CallCpu {
  /** CPU ms per wall ms in the settle pause before t0: what the pages cost at rest (previews, self-view). */
  beforeJoinCores: number;
  /** CPU ms from just before the join was started until the page saw the first frame. */
  joinMs: number;
  /** joinMs per wall ms of that span: 2 here means both cores were busy. */
  joinCores: number;
}

type Kind = 'ours' | 'raw' | 'rawTwoPages' | 'core';
const KINDS: Kind[] = ['raw', 'ours', 'rawTwoPages', 'core'];
type Phase = [name: string, from: [page: 'a' | 'b', mark: string], to: [page: 'a' | 'b', mark: string]];

interface Variant {
  /** What B and A are called in the output. */
  labels: [b: string, a: string];
  bMarks: string[];
  aMarks: string[];
  phases: Phase[];
}

const OURS: Variant = {
  labels: ['newcomer', 'alreadyInRoom'],
  bMarks: [
    'ws-create',
    'ws-open',
    'recv:eio-open',
    'recv:sio-connect',
    'send:join',
    'recv:ack',
    'pc1:create',
    'pc1:signaling:have-local-offer',
    'send:signal-offer',
    'join-resolved',
    'remote-tile',
    'pc1:local-candidate',
    'recv:signal-answer',
    'pc1:signaling:stable',
    'pc1:track:video',
    'pc1:ice:checking',
    'pc1:ice:connected',
    'pc1:connection:connected',
    'pc1:video-packets-received',
    'pc1:video-frames-decoded',
    'first-frame',
  ],
  aMarks: [
    'recv:peer-joined',
    'pc1:create',
    'recv:signal-offer',
    'pc1:signaling:have-remote-offer',
    'pc1:signaling:stable',
    'send:signal-answer',
    'pc1:ice:checking',
    'pc1:ice:connected',
    'pc1:connection:connected',
    'pc1:video-packets-received',
    'pc1:video-frames-decoded',
    'first-frame',
  ],
  phases: [
    // The socket is open before t0 (prepare() in the pre-join step): ws-open and recv:sio-connect
    // are negative in the timeline; should they come after t0, join() waited for them.
    ['B: join() → join sent', ['b', 't0'], ['b', 'send:join']],
    ['B: join sent → join ack', ['b', 'send:join'], ['b', 'recv:ack']],
    ['B: join ack → peer connection created', ['b', 'recv:ack'], ['b', 'pc1:create']],
    ['B: peer connection created → offer set', ['b', 'pc1:create'], ['b', 'pc1:signaling:have-local-offer']],
    ['B: join ack → offer sent', ['b', 'recv:ack'], ['b', 'send:signal-offer']],
    ['B: offer sent → join() resolved', ['b', 'send:signal-offer'], ['b', 'join-resolved']],
    ['offer relay B → A', ['b', 'send:signal-offer'], ['a', 'recv:signal-offer']],
    ['A: offer received → remote description set', ['a', 'recv:signal-offer'], ['a', 'pc1:signaling:have-remote-offer']],
    ['A: remote description set → answer sent', ['a', 'pc1:signaling:have-remote-offer'], ['a', 'send:signal-answer']],
    ['answer relay A → B', ['a', 'send:signal-answer'], ['b', 'recv:signal-answer']],
    ['B: answer received → answer set', ['b', 'recv:signal-answer'], ['b', 'pc1:signaling:stable']],
    ['B: answer set → ICE connected', ['b', 'pc1:signaling:stable'], ['b', 'pc1:ice:connected']],
    ['B: ICE connected → connected (DTLS)', ['b', 'pc1:ice:connected'], ['b', 'pc1:connection:connected']],
    ['B: connected → first frame', ['b', 'pc1:connection:connected'], ['b', 'first-frame']],
    ['A: connected → first frame', ['a', 'pc1:connection:connected'], ['a', 'first-frame']],
  ],
};

const VARIANTS: Record<Kind, Variant> = {
  ours: OURS,
  // The same session and server with no element rendered: what the UI adds to the path.
  core: {
    ...OURS,
    bMarks: OURS.bMarks.map((m) => (m === 'remote-tile' ? 'remote-participant' : m)),
  },
  raw: {
    labels: ['offerer', 'answerer'],
    bMarks: [
      'pc1:create',
      'pc1:signaling:have-local-offer',
      'pc2:signaling:have-remote-offer',
      'pc2:signaling:stable',
      'pc1:signaling:stable',
      'pc1:ice:connected',
      'pc1:connection:connected',
      'pc2:connection:connected',
      'pc1:video-packets-received',
      'pc1:video-frames-decoded',
      'first-frame',
      'answerer-first-frame',
    ],
    aMarks: [],
    phases: [
      ['t0 → offer set (pc1)', ['b', 't0'], ['b', 'pc1:signaling:have-local-offer']],
      ['offer set (pc1) → answer set (pc2)', ['b', 'pc1:signaling:have-local-offer'], ['b', 'pc2:signaling:stable']],
      ['answer set (pc2) → answer set (pc1)', ['b', 'pc2:signaling:stable'], ['b', 'pc1:signaling:stable']],
      ['answer set → ICE connected (pc1)', ['b', 'pc1:signaling:stable'], ['b', 'pc1:ice:connected']],
      ['ICE connected → connected (DTLS, pc1)', ['b', 'pc1:ice:connected'], ['b', 'pc1:connection:connected']],
      ['connected → first frame (pc1)', ['b', 'pc1:connection:connected'], ['b', 'first-frame']],
    ],
  },
  rawTwoPages: {
    labels: ['offerer', 'answerer'],
    bMarks: [
      'pc1:create',
      'pc1:signaling:have-local-offer',
      'send:offer',
      'recv:answer',
      'pc1:signaling:stable',
      'pc1:ice:connected',
      'pc1:connection:connected',
      'pc1:video-packets-received',
      'pc1:video-frames-decoded',
      'first-frame',
    ],
    aMarks: ['recv:offer', 'pc1:create', 'pc1:signaling:have-remote-offer', 'send:answer', 'pc1:ice:connected', 'pc1:connection:connected', 'first-frame'],
    phases: [
      ['B: t0 → offer sent', ['b', 't0'], ['b', 'send:offer']],
      ['offer relay B → A (BroadcastChannel)', ['b', 'send:offer'], ['a', 'recv:offer']],
      ['A: offer received → answer sent', ['a', 'recv:offer'], ['a', 'send:answer']],
      ['answer relay A → B (BroadcastChannel)', ['a', 'send:answer'], ['b', 'recv:answer']],
      ['B: answer received → answer set', ['b', 'recv:answer'], ['b', 'pc1:signaling:stable']],
      ['B: answer set → ICE connected', ['b', 'pc1:signaling:stable'], ['b', 'pc1:ice:connected']],
      ['B: ICE connected → connected (DTLS)', ['b', 'pc1:ice:connected'], ['b', 'pc1:connection:connected']],
      ['B: connected → first frame', ['b', 'pc1:connection:connected'], ['b', 'first-frame']],
      ['A: connected → first frame', ['a', 'pc1:connection:connected'], ['a', 'first-frame']],
    ],
  },
};

/** ours.newcomer / raw.offerer at most this (issue 12: "as fast as WebRTC allows"). */
const TARGET = 1.2;

function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Pages of one call, and the uncaught errors they reported (added to the message if the call fails). */
class CallPages {
  readonly pages: Page[] = [];
  readonly errors: string[] = [];

  async open(browser: Browser, url: string, label: string): Promise<Page> {
    const page = await openWindow(browser, url, label, this.errors);
    this.pages.push(page);
    return page;
  }

  /** Run `work`, bounded by `timeoutMs`; close every page at the end (which also ends a timed-out call's evaluate()s). */
  async run<T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
    const running = work();
    try {
      return await withTimeout(running, timeoutMs, what);
    } catch (e) {
      throw new Error(this.errors.length ? `${errorMessage(e)} [page errors: ${this.errors.join('; ')}]` : errorMessage(e), { cause: e });
    } finally {
      await closePages(this.pages);
      await running.catch(() => undefined);
    }
  }
}

interface CallOptions {
  settleMs: number;
  timeoutMs: number;
  /** > 0: the pages also poll getStats() for the first video packet and decoded frame (bench.js). */
  pollMs: number;
}

const query = (o: CallOptions) => (o.pollMs ? `poll=${o.pollMs}&` : '');

/**
 * The settle pause, then the timed join, each with the browser's CPU measured around it: the
 * machine has 2 cores, and a join on a page pair whose previews keep a core busy has less left.
 */
async function timedWithCpu<T>(browser: Browser, o: CallOptions, join: () => Promise<T>): Promise<{ result: T; cpu: CallCpu | null }> {
  const pid = browser.process()?.pid;
  const s0 = treeCpuMs(pid);
  const w0 = performance.now();
  await sleep(o.settleMs);
  const s1 = treeCpuMs(pid);
  const w1 = performance.now();
  const result = await join();
  const j1 = treeCpuMs(pid);
  const w2 = performance.now();
  if (s0 === null || s1 === null || j1 === null) return { result, cpu: null };
  return { result, cpu: { beforeJoinCores: (s1 - s0) / (w1 - w0), joinMs: j1 - s1, joinCores: (j1 - s1) / (w2 - w1) } };
}

/** One call on the real server: A joins and waits; B previews, then joins on the clock. */
async function oursCall(browser: Browser, baseUrl: string, o: CallOptions): Promise<Sample> {
  const call = new CallPages();
  return call.run('ours call', o.timeoutMs, async () => {
    const url = `${baseUrl}/call.html?${query(o)}room=${encodeURIComponent(uniqueName('bench'))}`;
    const a = await call.open(browser, url, 'A');
    await inPage(a, 'joinAndWatch', 'A');
    const b = await call.open(browser, url, 'B');
    const preview = await inPage<{ hasVideo: boolean; hasAudio: boolean }>(b, 'preview');
    if (!preview.hasVideo || !preview.hasAudio) throw new Error(`B's preview has no ${preview.hasVideo ? 'audio' : 'video'}`);
    const { result: bRes, cpu } = await timedWithCpu(browser, o, () => inPage<TimedJoin>(b, 'joinTimed', 'B'));
    const aRes = await inPage<{ frame: Frame; marks: Marks }>(a, 'remoteFrameSeen');
    await Promise.all([inPage(a, 'leave'), inPage(b, 'leave')]);
    return twoSided(bRes, aRes, cpu);
  });
}

/** The floor: two RTCPeerConnections in one page, same media opened beforehand. */
async function rawCall(browser: Browser, baseUrl: string, o: CallOptions): Promise<Sample> {
  const call = new CallPages();
  return call.run('raw call', o.timeoutMs, async () => {
    const page = await call.open(browser, `${baseUrl}/raw.html?${query(o)}`, 'raw');
    await inPage(page, 'rawPreview');
    const { result: res, cpu } = await timedWithCpu(browser, o, () => inPage<RawCall>(page, 'rawCall'));
    await inPage(page, 'rawClose');
    const marks = rel(res.marks, res.t0);
    return {
      b: res.frame.t - res.t0,
      a: res.answererFrame.t - res.t0,
      bMarks: marks,
      aMarks: marks,
      frames: [res.frame, res.answererFrame],
      cpu,
    };
  });
}

/** The floor across two pages (two renderer processes): bare connections, signaling through a BroadcastChannel. */
async function rawTwoPagesCall(browser: Browser, baseUrl: string, o: CallOptions): Promise<Sample> {
  const call = new CallPages();
  return call.run('raw two-page call', o.timeoutMs, async () => {
    const channel = uniqueName('pair');
    const url = `${baseUrl}/raw.html?${query(o)}`;
    const a = await call.open(browser, url, 'A');
    await inPage(a, 'rawPreview');
    await inPage(a, 'pairListen', channel);
    const b = await call.open(browser, url, 'B');
    await inPage(b, 'rawPreview');
    const { result: bRes, cpu } = await timedWithCpu(browser, o, () => inPage<TimedJoin>(b, 'pairCall', channel));
    const aRes = await inPage<{ frame: Frame; marks: Marks }>(a, 'pairFrameSeen');
    await Promise.all([inPage(a, 'rawClose'), inPage(b, 'rawClose')]);
    return twoSided(bRes, aRes, cpu);
  });
}

/** Like oursCall, with the bundle's RtcSession driven directly and a plain <video> (core.html). */
async function coreCall(browser: Browser, baseUrl: string, o: CallOptions): Promise<Sample> {
  const call = new CallPages();
  return call.run('core call', o.timeoutMs, async () => {
    const room = uniqueName('bench-core');
    const url = `${baseUrl}/core.html?${query(o)}`;
    const a = await call.open(browser, url, 'A');
    await inPage(a, 'coreJoinAndWatch', room, 'A');
    const b = await call.open(browser, url, 'B');
    const preview = await inPage<{ hasVideo: boolean; hasAudio: boolean }>(b, 'corePreview', room);
    if (!preview.hasVideo || !preview.hasAudio) throw new Error(`B's preview has no ${preview.hasVideo ? 'audio' : 'video'}`);
    const { result: bRes, cpu } = await timedWithCpu(browser, o, () => inPage<TimedJoin>(b, 'coreJoinTimed', 'B'));
    const aRes = await inPage<{ frame: Frame; marks: Marks }>(a, 'coreRemoteFrameSeen');
    await Promise.all([inPage(a, 'coreLeave'), inPage(b, 'coreLeave')]);
    return twoSided(bRes, aRes, cpu);
  });
}

const CALLS: Record<Kind, (browser: Browser, baseUrl: string, o: CallOptions) => Promise<Sample>> = {
  ours: oursCall,
  core: coreCall,
  raw: rawCall,
  rawTwoPages: rawTwoPagesCall,
};

function twoSided(bRes: TimedJoin, aRes: { frame: Frame; marks: Marks }, cpu: CallCpu | null): Sample {
  return {
    b: bRes.frame.t - bRes.t0,
    a: aRes.frame.t - bRes.t0,
    bMarks: rel(bRes.marks, bRes.t0),
    aMarks: rel(aRes.marks, bRes.t0),
    frames: [bRes.frame, aRes.frame],
    cpu,
  };
}

function rel(marks: Marks, t0: number): Marks {
  return Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v - t0]));
}

/** Median offset from t0 of each mark, over the calls where it happened. */
function timeline(samples: Marks[], names: string[]): Record<string, number | null> {
  return Object.fromEntries(
    names.map((name) => {
      const xs = samples.map((m) => m[name]).filter((x): x is number => x !== undefined);
      return [name, xs.length ? round(median(xs)) : null];
    }),
  );
}

function phaseMedians(samples: Sample[], phases: Phase[]): Record<string, number | null> {
  const at = (s: Sample, [page, mark]: [string, string]) => (mark === 't0' ? 0 : (page === 'a' ? s.aMarks : s.bMarks)[mark]);
  return Object.fromEntries(
    phases.map(([name, from, to]) => {
      const xs = samples
        .map((s) => {
          const f = at(s, from);
          const t = at(s, to);
          return f === undefined || t === undefined ? undefined : t - f;
        })
        .filter((x): x is number => x !== undefined);
      return [name, xs.length ? round(median(xs)) : null];
    }),
  );
}

function frameChecks(frames: Frame[]) {
  const presented = frames.map((f) => f.presentedFrames ?? 1);
  return {
    sizes: [...new Set(frames.map((f) => `${f.width}x${f.height}`))],
    // The callback is registered before any remote track exists, so >1 here means the page's main
    // thread ran the callback late (frames were composited meanwhile), not that it started late.
    presentedFramesAtFirstCallback: presented.length ? { median: median(presented), max: Math.max(...presented) } : null,
  };
}

/** Medians of the calls' browser CPU (see CallCpu). */
function cpuSummary(samples: Sample[]) {
  const cpu = samples.map((s) => s.cpu).filter((c): c is CallCpu => c !== null);
  if (!cpu.length) return null;
  return {
    beforeJoinCores: round(median(cpu.map((c) => c.beforeJoinCores)), 2),
    joinMs: round(median(cpu.map((c) => c.joinMs))),
    joinCores: round(median(cpu.map((c) => c.joinCores)), 2),
  };
}

function pick(m: Marks, names: string[]) {
  return Object.fromEntries(names.filter((n) => m[n] !== undefined).map((n) => [n, round(m[n]!)]));
}

/** Everything about one variant's calls. */
function report(kind: Kind, samples: Sample[]) {
  const v = VARIANTS[kind];
  const [bLabel, aLabel] = v.labels;
  const out: Record<string, unknown> = {
    [bLabel]: summarize(samples.map((s) => s.b)),
    [aLabel]: summarize(samples.map((s) => s.a)),
    timelineMs: v.aMarks.length
      ? {
          [bLabel]: timeline(
            samples.map((s) => s.bMarks),
            v.bMarks,
          ),
          [aLabel]: timeline(
            samples.map((s) => s.aMarks),
            v.aMarks,
          ),
        }
      : timeline(
          samples.map((s) => s.bMarks),
          v.bMarks,
        ),
    phasesMs: phaseMedians(samples, v.phases),
    frames: frameChecks(samples.flatMap((s) => s.frames)),
    browserCpu: cpuSummary(samples),
  };
  if (kind === 'ours' && samples.length) {
    // The slowest call's own timelines, to tell where an outlier lost its time.
    const s = samples.reduce((x, y) => (y.b > x.b ? y : x));
    out.slowestCall = { call: samples.indexOf(s) + 1, [`${bLabel}Ms`]: round(s.b), [bLabel]: pick(s.bMarks, v.bMarks), [aLabel]: pick(s.aMarks, v.aMarks) };
  }
  return out;
}

async function runBrowser(ctx: BenchContext, name: BrowserName, calls: number, warmup: number, kinds: Kind[], pollMs: number) {
  const server = await ctx.server();
  const browser = await ctx.browser(name);
  const o: CallOptions = { settleMs: ctx.args.int('settle-ms', 300), timeoutMs: ctx.args.int('call-timeout-ms', 30_000), pollMs };
  const samples = Object.fromEntries(kinds.map((k) => [k, [] as Sample[]])) as Record<Kind, Sample[]>;
  const failures: { kind: Kind; call: number; error: string }[] = [];
  const warm: Partial<Record<Kind, number>> = {};
  const started = Date.now();
  for (let i = 0; i < warmup + calls; i++) {
    const isWarmup = i < warmup;
    // Rotate which goes first, so drift in the machine's load hits every variant alike.
    const order = kinds.map((_, j) => kinds[(i + j) % kinds.length]!);
    const line: string[] = [];
    for (const kind of order) {
      try {
        const s = await CALLS[kind](browser, server.url, o);
        if (isWarmup) warm[kind] = round(s.b);
        else samples[kind].push(s);
        line.push(`${kind} ${s.b.toFixed(0)} ms` + (kind === 'raw' ? '' : ` (other side ${s.a.toFixed(0)} ms)`));
      } catch (e) {
        if (!isWarmup) failures.push({ kind, call: i - warmup + 1, error: errorMessage(e) });
        line.push(`${kind} FAILED (${errorMessage(e)})`);
      }
    }
    ctx.log(`  ${name} ${isWarmup ? 'warm-up' : `call ${i - warmup + 1}/${calls}`}: ${line.join('; ')}`);
    if (failures.length > Math.max(3, (calls * kinds.length) / 3)) throw new Error(`${name}: too many failed calls: ${JSON.stringify(failures)}`);
  }

  const med = (k: Kind, side: 'b' | 'a') => (samples[k]?.length ? median(samples[k].map((s) => s[side])) : null);
  const ratio = (x: number | null, y: number | null) => (x !== null && y !== null ? round(x / y, 2) : null);
  const oursOverRaw = ratio(med('ours', 'b'), med('raw', 'b'));
  return {
    browserVersion: await browser.version(),
    calls,
    warmupCalls: warmup,
    warmup: warm,
    durationMs: Date.now() - started,
    ...Object.fromEntries(kinds.map((k) => [k, report(k, samples[k])])),
    ratio: {
      oursOverRaw,
      // Run to run, the ratio moves by more than its second digit: this is how far.
      oursOverRawInterval95:
        samples.ours?.length && samples.raw?.length
          ? medianRatioInterval(
              samples.ours.map((s) => s.b),
              samples.raw.map((s) => s.b),
            )
          : null,
      target: TARGET,
      withinTarget: oursOverRaw !== null ? oursOverRaw <= TARGET : null,
      alreadyInRoomOverRawAnswerer: ratio(med('ours', 'a'), med('raw', 'a')),
      oursOverRawTwoPages: ratio(med('ours', 'b'), med('rawTwoPages', 'b')),
      oursOverCore: ratio(med('ours', 'b'), med('core', 'b')),
      coreOverRawTwoPages: ratio(med('core', 'b'), med('rawTwoPages', 'b')),
      rawTwoPagesOverRaw: ratio(med('rawTwoPages', 'b'), med('raw', 'b')),
    },
    failures,
  };
}

export const joinToFrame: Benchmark = {
  name: 'join-to-frame',
  description: 'join → first remote video frame, ours (real server, two pages) vs bare RTCPeerConnections',
  timeoutMs: 25 * 60_000,
  async run(ctx) {
    const calls = ctx.args.int('calls', 12);
    const warmup = ctx.args.int('warmup', 1);
    const browsers = String(ctx.args.get('browsers') ?? 'chromium,firefox').split(',') as BrowserName[];
    const bad = browsers.filter((b) => b !== 'chromium' && b !== 'firefox');
    if (bad.length) throw new Error(`--browsers: unknown ${bad.join(', ')} (chromium, firefox)`);
    const kinds = String(ctx.args.get('variants') ?? 'raw,ours,rawTwoPages').split(',') as Kind[];
    const unknown = kinds.filter((k) => !KINDS.includes(k));
    if (unknown.length) throw new Error(`--variants: unknown ${unknown.join(', ')} (${KINDS.join(', ')})`);
    const pollMs = ctx.args.int('poll-ms', 0);
    const out: Record<string, unknown> = {
      method:
        'Clock in the page: t0 = performance.now() just before rtc-room.join(name) in page B (its media opened beforehand with ' +
        'session.startMedia() and the join prepared with session.prepare(), as the pre-join step does); ' +
        "stop = first requestVideoFrameCallback of the remote tile's <video> " +
        '(registered when the tile appears, before any remote track exists). raw: t0 just before creating two RTCPeerConnections ' +
        'in one page (media opened beforehand, both send audio+video, candidates handed over directly); stop = first ' +
        "requestVideoFrameCallback of the offerer's remote <video>. rawTwoPages: the same bare connections one per page, " +
        "signaling through a BroadcastChannel. core (opt-in): as ours, but the bundle's RtcSession driven directly, no " +
        'element rendered, remote stream in a plain <video>. Each page in its own window; fresh pages (and room) per call; variants ' +
        'interleaved; server without STUN/TURN (the `npm start` default); times in ms.',
      settleMsBeforeClock: ctx.args.int('settle-ms', 300),
      statsPollMs: pollMs || null,
    };
    for (const name of ['chromium', 'firefox'] as const) {
      if (!browsers.includes(name)) {
        out[name] = { skipped: `not in --browsers=${browsers.join(',')}` };
        continue;
      }
      ctx.log(`join-to-frame: ${name}`);
      const n = name === 'firefox' ? ctx.args.int('firefox-calls', calls) : calls;
      try {
        out[name] = await runBrowser(ctx, name, n, warmup, kinds, pollMs);
      } catch (e) {
        if (name === 'chromium') throw e; // the main figure: fail the benchmark
        out[name] = { error: errorMessage(e) };
        ctx.log(`join-to-frame: ${name} failed: ${errorMessage(e)}`);
      }
    }
    return out;
  },
};
