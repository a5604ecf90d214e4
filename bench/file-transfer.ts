/**
 * File transfer throughput, receiver memory and chat latency (issue 3): two pages of one browser
 * joined through the real signaling server with the bundle's RtcSession (media off), a file sent
 * with session.files.send() (`ours`), against the same bytes sent the same way through a bare
 * RTCDataChannel between the same two pages (`raw`, the ceiling), alternating. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import type { Benchmark, BenchContext, BrowserName } from './lib/types.js';
import { closePages, errorMessage, inPage, openWindow, sleep, withTimeout } from './lib/util.js';
import { median, quantile, round, summarize } from './lib/stats.js';
import { treeCpuMs } from './lib/proc.js';

const MiB = 1024 * 1024;
type Kind = 'ours' | 'raw';

interface Options {
  sizesMiB: number[];
  reps: number;
  warmupMiB: number;
  pingEveryMs: number;
  baselineMs: number;
  verify: boolean;
  /** Start no transfer that would not end (at the rate seen so far) before this (Date.now()). */
  deadline: number;
  /** [high, low] water marks in bytes for both variants, or null for the library's defaults (256 KiB, 64 KiB). */
  water: [number, number] | null;
  /** Bytes of file data per message for both variants, or null for the library's default. */
  chunk: number | null;
}

interface HeapSample {
  t: number;
  /** JS heap in use (Runtime.getHeapUsage usedSize), page plus its workers. */
  js: number;
  /** ArrayBuffer backing stores and external strings (backingStorageSize), page plus its workers. */
  buffers: number;
}

/** Polls the receiver's heap through CDP (Chromium only). */
class HeapProbe {
  readonly #page: Page;
  readonly #cdp: CDPSession;
  #samples: HeapSample[] = [];
  #running?: Promise<void>;
  #stop = false;

  private constructor(page: Page, cdp: CDPSession) {
    this.#page = page;
    this.#cdp = cdp;
  }

  static async open(page: Page): Promise<HeapProbe> {
    return new HeapProbe(page, await page.createCDPSession());
  }

  async read(): Promise<HeapSample> {
    const sessions = [this.#cdp, ...this.#page.workers().map((w) => w.client)];
    const usage = await Promise.all(sessions.map((s) => s.send('Runtime.getHeapUsage').catch(() => null)));
    let js = 0;
    let buffers = 0;
    for (const u of usage) {
      js += u?.usedSize ?? 0;
      buffers += u?.backingStorageSize ?? 0;
    }
    return { t: Date.now(), js, buffers };
  }

  /** A full GC, then the baseline. */
  async baseline(): Promise<HeapSample> {
    await this.#cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    return this.read();
  }

  start(everyMs: number): void {
    this.#samples = [];
    this.#stop = false;
    this.#running = (async () => {
      while (!this.#stop) {
        const at = Date.now();
        this.#samples.push(await this.read());
        await sleep(Math.max(0, everyMs - (Date.now() - at)));
      }
    })();
  }

  async stop(): Promise<HeapSample[]> {
    this.#stop = true;
    await this.#running;
    this.#running = undefined;
    this.#samples.push(await this.read());
    return this.#samples;
  }

  async dispose(): Promise<void> {
    this.#stop = true;
    await this.#running;
    await this.#cdp.detach().catch(() => undefined);
  }
}

interface Run {
  kind: Kind;
  bytes: number;
  rep: number;
  ms: number;
  mibPerS: number;
  /** Peak over the baseline taken after a forced GC just before (Chromium only). */
  heap: { baselineMiB: number; peakJsMiB: number; peakBuffersMiB: number; peakTotalMiB: number; samples: number } | null;
  /** t0 → the sender has handed every byte to send(); t0 → every byte arrived at the receiver; last byte → file-received. */
  phases: { queuedMs: number | null; lastByteMs: number | null; tailMs: number | null };
  /** CPU time of every process of the browser (user + system, /proc) per MiB moved; null off Linux. */
  cpuMsPerMiB: number | null;
  hashOk?: boolean | null;
  /** ours: the check the two libraries agreed on (the field of the sender's `end`). */
  check?: string | null;
  /** Chat latencies of the pings sent during the transfer (ours: session.chat; raw: a second channel of the bare pair). */
  chat?: number[];
  timerLag?: number[];
  pingsSent?: number;
}

function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

const toMiB = (bytes: number) => round(bytes / MiB, 1);

/** sendFile() (ours) or rawSend() (raw: only t0). */
interface SendResult {
  t0: number;
  /** When the last byte was handed to the channel (send() called). */
  allQueued: number | null;
  state?: string;
  error?: string | null;
  pingsSent?: number;
  timerLag?: number[];
}

/** received() (ours) or rawReceived() (raw). */
interface Received {
  t1: number;
  /** When the last byte arrived (ours: progress at 100 %, before the hash is checked; raw: t1). */
  lastByte: number | null;
  size: number;
  blobSize?: number | null;
  /** ours: the hash field of the sender's `end` ('xxh64', 'sha256Blocks' or 'sha256'). */
  check?: string | null;
}

interface Ping {
  seq: number;
  sent: number;
  recv: number;
}

interface LatencySummary {
  n: number;
  p50?: number;
  p95?: number;
  max?: number;
  min?: number;
  target?: number;
  withinTarget?: boolean;
}

function latencySummary(values: number[], target?: number): LatencySummary {
  if (!values.length) return { n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const p95 = quantile(sorted, 0.95);
  return {
    n: values.length,
    p50: round(quantile(sorted, 0.5)),
    p95: round(p95),
    max: round(sorted[sorted.length - 1]!),
    min: round(sorted[0]!),
    ...(target !== undefined ? { target, withinTarget: p95 < target } : {}),
  };
}

class Pair {
  readonly pages: Page[] = [];
  readonly errors: string[] = [];
  sender!: Page;
  receiver!: Page;
  heap: HeapProbe | null = null;
  /** The browser's process id, for its CPU time. */
  pid?: number;

  async open(browser: Browser, url: string, label: string): Promise<Page> {
    const page = await openWindow(browser, url, label, this.errors);
    this.pages.push(page);
    return page;
  }

  async close(): Promise<void> {
    await this.heap?.dispose();
    await Promise.race([Promise.all(this.pages.map((p) => inPage(p, 'leave').catch(() => undefined))), sleep(3000)]);
    await closePages(this.pages);
  }

  withErrors(e: unknown): Error {
    return new Error(this.errors.length ? `${errorMessage(e)} [page errors: ${this.errors.join('; ')}]` : errorMessage(e));
  }
}

/** One transfer of `bytes` (already made on the sender) through ours or raw, timed from the sender's first call to the receiver having every byte. */
async function transfer(pair: Pair, kind: Kind, bytes: number, rep: number, o: Options, timeoutMs: number, sha256: string | null): Promise<Run> {
  const { sender, receiver, heap } = pair;
  const base = heap ? await heap.baseline() : null;
  await inPage(receiver, kind === 'ours' ? 'expectFile' : 'rawExpect', ...(kind === 'ours' ? [] : [bytes]));
  await inPage(receiver, 'takePings');
  const cpu0 = treeCpuMs(pair.pid);
  heap?.start(100);
  const sent = inPage<SendResult>(sender, kind === 'ours' ? 'sendFile' : 'rawSend', bytes, o.pingEveryMs);
  sent.catch(() => undefined);
  let got: Received;
  try {
    got = await withTimeout(inPage<Received>(receiver, kind === 'ours' ? 'received' : 'rawReceived'), timeoutMs, `${kind} ${toMiB(bytes)} MiB`);
  } catch (e) {
    await heap?.stop();
    throw e;
  }
  const cpu1 = treeCpuMs(pair.pid);
  const heapSamples = heap ? await heap.stop() : null;
  const s = await withTimeout(sent, 30_000, `${kind} sender finishing`);
  if (kind === 'ours' && s.state !== 'done') throw new Error(`ours: the sender's transfer ended ${s.state}: ${s.error}`);
  if (got.size !== bytes) throw new Error(`${kind}: ${got.size} bytes arrived, ${bytes} sent`);
  if (kind === 'ours' && got.blobSize !== bytes) throw new Error(`ours: the received Blob has ${got.blobSize} bytes, ${bytes} sent`);
  const ms = got.t1 - s.t0;
  const run: Run = {
    kind,
    bytes,
    rep,
    ms,
    mibPerS: bytes / MiB / (ms / 1000),
    cpuMsPerMiB: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / (bytes / MiB) : null,
    phases: {
      queuedMs: s.allQueued !== null ? s.allQueued - s.t0 : null,
      lastByteMs: got.lastByte !== null ? got.lastByte - s.t0 : null,
      tailMs: got.lastByte !== null ? got.t1 - got.lastByte : null,
    },
    heap:
      base && heapSamples
        ? {
            baselineMiB: toMiB(base.js + base.buffers),
            peakJsMiB: toMiB(Math.max(...heapSamples.map((x) => x.js)) - base.js),
            peakBuffersMiB: toMiB(Math.max(...heapSamples.map((x) => x.buffers)) - base.buffers),
            peakTotalMiB: toMiB(Math.max(...heapSamples.map((x) => x.js + x.buffers)) - base.js - base.buffers),
            samples: heapSamples.length,
          }
        : null,
  };
  // Pings sent while the file was on its way (ours pings until the sender hears `done`, raw until the last byte is queued).
  const pings = await inPage<Ping[]>(receiver, 'takePings');
  run.chat = pings.filter((p) => p.sent >= s.t0 && p.sent <= got.t1).map((p) => p.recv - p.sent);
  run.pingsSent = s.pingsSent;
  run.timerLag = s.timerLag;
  if (kind === 'ours') {
    run.check = got.check ?? null;
    run.hashOk = await withTimeout(inPage<boolean | null>(receiver, 'verifyReceived', sha256), 60_000, 'verifying the received file');
  }
  return run;
}

function kindReport(rs: Run[]) {
  const med = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? round(median(v)) : null;
  };
  return {
    mibPerS: summarize(rs.map((r) => r.mibPerS)),
    seconds: summarize(rs.map((r) => r.ms / 1000)),
    cpuMsPerMiB: summarize(rs.map((r) => r.cpuMsPerMiB).filter((x) => x !== null)),
    phasesMs: {
      allQueued: med(rs.map((r) => r.phases.queuedMs)),
      lastByteArrived: med(rs.map((r) => r.phases.lastByteMs)),
      lastByteToReceived: med(rs.map((r) => r.phases.tailMs)),
    },
  };
}

async function runBrowser(ctx: BenchContext, name: BrowserName, o: Options) {
  const server = await ctx.server();
  const browser = await ctx.browser(name);
  const started = Date.now();
  const pair = new Pair();
  pair.pid = browser.process()?.pid;
  const runs: Run[] = [];
  const failures: { kind: Kind; sizeMiB: number; rep: number; error: string }[] = [];
  const skipped: { sizeMiB: number; rep: number }[] = [];
  let setup: Record<string, unknown> = {};
  let chatBaseline: number[];
  let baselineLag: number[];
  /** Rate seen so far per kind (MiB/s), to tell whether the next pair of transfers fits in the budget. */
  const rate: Partial<Record<Kind, number>> = {};
  const left = () => o.deadline - Date.now();
  try {
    const url = `${server.url}/files.html`;
    const room = uniqueName('bench-files');
    pair.receiver = await pair.open(browser, url, 'receiver');
    pair.sender = await pair.open(browser, url, 'sender');
    await withTimeout(
      (async () => {
        await inPage(pair.receiver, 'join', room, 'Receiver', o.water, o.chunk);
        await inPage(pair.sender, 'join', room, 'Sender', o.water, o.chunk);
        const [s, r] = await Promise.all([
          inPage<{ maxMessageSize: number | null }>(pair.sender, 'connected', 20_000),
          inPage<{ maxMessageSize: number | null }>(pair.receiver, 'connected', 20_000),
        ]);
        const offer = await inPage<string>(pair.sender, 'rawOffer');
        const answer = await inPage<string>(pair.receiver, 'rawAnswer', offer);
        await inPage(pair.sender, 'rawAccept', answer);
        const [rawS] = await Promise.all([inPage<{ maxMessageSize: number | null }>(pair.sender, 'rawOpen', 20_000), inPage(pair.receiver, 'rawOpen', 20_000)]);
        setup = { maxMessageSize: { ours: s.maxMessageSize, oursReceiver: r.maxMessageSize, raw: rawS.maxMessageSize } };
      })(),
      45_000,
      `${name}: connecting the two pages`,
    ).catch((e) => {
      throw pair.withErrors(e);
    });
    if (name === 'chromium') pair.heap = await HeapProbe.open(pair.receiver);

    // Chat with nothing else going on.
    await inPage(pair.receiver, 'takePings');
    const base = await inPage<{ sent: number; lag: number[] }>(pair.sender, 'pingFor', o.baselineMs, o.pingEveryMs);
    await sleep(300);
    chatBaseline = (await inPage<Ping[]>(pair.receiver, 'takePings')).map((p) => p.recv - p.sent);
    baselineLag = base.lag;
    ctx.log(`  ${name}: chat baseline ${JSON.stringify(latencySummary(chatBaseline))}`);

    // Warm-up (JIT, SCTP congestion window, blob storage), discarded; it also gives the first rates.
    if (o.warmupMiB) {
      const bytes = o.warmupMiB * MiB;
      await inPage(pair.sender, 'makeFile', bytes, false);
      for (const kind of ['ours', 'raw'] as const) {
        try {
          const r = await transfer(pair, kind, bytes, 0, o, Math.max(30_000, left()), null);
          rate[kind] = r.mibPerS;
          ctx.log(`  ${name} warm-up ${kind} ${o.warmupMiB} MiB: ${r.mibPerS.toFixed(1)} MiB/s`);
        } catch (e) {
          ctx.log(`  ${name} warm-up ${kind} FAILED: ${errorMessage(pair.withErrors(e))}`);
          if (/timed out/.test(errorMessage(e))) throw pair.withErrors(e);
        }
      }
      await inPage(pair.sender, 'dropFile', bytes);
    }

    const made = new Map<number, string | null>();
    for (const sizeMiB of o.sizesMiB) {
      const m = await withTimeout(
        inPage<{ sha256: string | null; ms: number }>(pair.sender, 'makeFile', sizeMiB * MiB, o.verify),
        120_000,
        `making a ${sizeMiB} MiB file`,
      );
      made.set(sizeMiB, m.sha256);
      ctx.log(`  ${name}: ${sizeMiB} MiB file made in ${(m.ms / 1000).toFixed(1)} s`);
    }

    // Repetition by repetition over the sizes, so that a budget running out still leaves every size measured.
    outer: for (let rep = 1; rep <= o.reps; rep++) {
      for (const sizeMiB of o.sizesMiB) {
        const bytes = sizeMiB * MiB;
        // Both kinds or neither: the pair is the comparison. Estimated from the rates seen so far.
        const need = (sizeMiB / (rate.ours ?? 1) + sizeMiB / (rate.raw ?? 1)) * 1000 * 1.3 + 5000;
        if (need > left()) {
          skipped.push({ sizeMiB, rep });
          ctx.log(
            `  ${name} ${sizeMiB} MiB ${rep}/${o.reps}: skipped (about ${Math.round(need / 1000)} s needed, ${Math.round(Math.max(0, left()) / 1000)} s left of --file-budget-s)`,
          );
          continue;
        }
        // Alternate which goes first, so drift in the machine's load hits both alike.
        const order: Kind[] = (rep + o.sizesMiB.indexOf(sizeMiB)) % 2 ? ['ours', 'raw'] : ['raw', 'ours'];
        const line: string[] = [];
        for (const kind of order) {
          try {
            // The SHA-256 check of the received Blob (after the clock) on the first repetition.
            const r = await transfer(pair, kind, bytes, rep, o, Math.max(30_000, left() + 30_000), rep === 1 ? made.get(sizeMiB)! : null);
            runs.push(r);
            rate[kind] = r.mibPerS;
            line.push(
              `${kind} ${r.mibPerS.toFixed(1)} MiB/s` +
                (r.cpuMsPerMiB !== null ? ` ${r.cpuMsPerMiB.toFixed(0)} CPU ms/MiB` : '') +
                (r.phases.tailMs !== null && kind === 'ours'
                  ? ` (last byte at ${(r.phases.lastByteMs! / 1000).toFixed(1)} s, +${r.phases.tailMs.toFixed(0)} ms to verified)`
                  : '') +
                (r.heap ? ` heap +${r.heap.peakTotalMiB} MiB` : '') +
                (r.chat?.length ? ` chat p95 ${latencySummary(r.chat).p95} ms` : '') +
                (r.hashOk === false ? ' HASH MISMATCH' : ''),
            );
          } catch (e) {
            const error = errorMessage(pair.withErrors(e));
            failures.push({ kind, sizeMiB, rep, error });
            line.push(`${kind} FAILED (${error})`);
            // The pages may be wedged (a transfer still running): stop here with what was measured.
            if (/timed out/.test(error)) {
              ctx.log(`  ${name} ${sizeMiB} MiB ${rep}/${o.reps}: ${line.join('; ')}`);
              break outer;
            }
          }
        }
        ctx.log(`  ${name} ${sizeMiB} MiB ${rep}/${o.reps}: ${line.join('; ')}`);
      }
    }
  } finally {
    await pair.close();
  }

  const sizes: Record<string, unknown> = {};
  for (const sizeMiB of o.sizesMiB) {
    const of = (k: Kind) => runs.filter((r) => r.kind === k && r.bytes === sizeMiB * MiB);
    const ours = of('ours');
    const raw = of('raw');
    const med = (xs: number[]) => (xs.length ? median(xs) : null);
    const ratio = (x: number | null, y: number | null, digits = 3) => (x !== null && y !== null && y > 0 ? round(x / y, digits) : null);
    const oursOverRaw = ratio(med(ours.map((r) => r.mibPerS)), med(raw.map((r) => r.mibPerS)));
    const cpu = (rs: Run[]) => rs.map((r) => r.cpuMsPerMiB).filter((x) => x !== null);
    const heapOf = (rs: Run[]) => {
      const hs = rs.map((r) => r.heap).filter((h) => h !== null);
      if (!hs.length) return null;
      const peak = Math.max(...hs.map((h) => h.peakTotalMiB));
      return {
        peakMiB: peak,
        peakOverFileSize: round(peak / sizeMiB, 3),
        peakJsMiB: Math.max(...hs.map((h) => h.peakJsMiB)),
        peakArrayBuffersMiB: Math.max(...hs.map((h) => h.peakBuffersMiB)),
        perRun: hs.map((h) => h.peakTotalMiB),
      };
    };
    const oursHeap = heapOf(ours);
    sizes[`${sizeMiB}MiB`] = {
      ours: kindReport(ours),
      raw: kindReport(raw),
      ratio: {
        oursOverRaw,
        target: 0.95,
        withinTarget: oursOverRaw !== null ? oursOverRaw >= 0.95 : null,
        cpuOursOverRaw: ratio(med(cpu(ours)), med(cpu(raw)), 2),
      },
      receiverHeap: {
        ours: oursHeap && { ...oursHeap, target: '< 1.1 × file size', withinTarget: oursHeap.peakOverFileSize < 1.1 },
        raw: heapOf(raw),
      },
      chatDuringTransferMs: {
        ours: latencySummary(
          ours.flatMap((r) => r.chat ?? []),
          100,
        ),
        raw: latencySummary(raw.flatMap((r) => r.chat ?? [])),
      },
      verifiedSha256: ours.some((r) => r.hashOk === true) ? true : ours.some((r) => r.hashOk === false) ? false : null,
      /** The transfer check ours used (the field of the sender's `end`): 'xxh64' between two pages of this library. */
      oursCheck: [...new Set(ours.map((r) => r.check ?? null))],
    };
  }
  return {
    browserVersion: await browser.version(),
    durationMs: Date.now() - started,
    ...setup,
    sizes,
    chat: {
      baselineMs: latencySummary(chatBaseline),
      duringTransferMs: latencySummary(
        runs.filter((r) => r.kind === 'ours').flatMap((r) => r.chat ?? []),
        100,
      ),
      duringRawTransferMs: latencySummary(runs.filter((r) => r.kind === 'raw').flatMap((r) => r.chat ?? [])),
      senderTimerLagMs: {
        baseline: latencySummary(baselineLag),
        duringTransfer: latencySummary(runs.filter((r) => r.kind === 'ours').flatMap((r) => r.timerLag ?? [])),
        duringRawTransfer: latencySummary(runs.filter((r) => r.kind === 'raw').flatMap((r) => r.timerLag ?? [])),
      },
    },
    skipped,
    failures,
  };
}

export const fileTransfer: Benchmark = {
  name: 'file-transfer',
  description: 'file throughput (ours vs a bare RTCDataChannel), receiver heap, chat latency during a transfer',
  timeoutMs: 20 * 60_000,
  async run(ctx) {
    const started = Date.now();
    const sizesMiB = String(ctx.args.get('file-sizes') ?? '64,256')
      .split(',')
      .map((x) => Number(x));
    if (sizesMiB.some((x) => !Number.isInteger(x) || x <= 0)) throw new Error('--file-sizes wants whole MiB counts, e.g. 64,256');
    const browsers = String(ctx.args.get('file-browsers') ?? ctx.args.get('browsers') ?? 'chromium,firefox').split(',') as BrowserName[];
    const bad = browsers.filter((b) => b !== 'chromium' && b !== 'firefox');
    if (bad.length) throw new Error(`--file-browsers: unknown ${bad.join(', ')} (chromium, firefox)`);
    const reps = ctx.args.int('file-reps', 3);
    const budgetMs = ctx.args.int('file-budget-s', 240) * 1000;
    const high = ctx.args.int('file-high-water-kib', 0);
    const low = ctx.args.int('file-low-water-kib', 0);
    if (!high !== !low) throw new Error('--file-high-water-kib and --file-low-water-kib go together');
    const chunkKiB = ctx.args.int('file-chunk-kib', 0);
    const base = {
      water: high ? ([high * 1024, low * 1024] as [number, number]) : null,
      chunk: chunkKiB ? chunkKiB * 1024 : null,
      sizesMiB,
      warmupMiB: ctx.args.int('file-warmup-mib', 16),
      pingEveryMs: ctx.args.int('chat-every-ms', 50),
      baselineMs: ctx.args.int('chat-baseline-ms', 2000),
      verify: ctx.args.bool('file-verify', true),
    };
    const out: Record<string, unknown> = {
      method:
        "Two windows of one browser (files.html), each with the bundle's RtcSession (media {audio:false, video:false}) joined " +
        'to one room on the real server, plus a bare RTCPeerConnection pair between the same two pages (negotiated ordered ' +
        "channels 'raw' id 0 and 'chat' id 1, SDP handed over by the bench). The sender makes a random file (1 MiB random " +
        "Blobs in one Blob) once per size. ours: session.files.send(file), clock from that call (sender) to the receiver's " +
        'file-received (checksum checked by the library: XXH64 between two pages of this version). raw: the same Blob read and sent the way the library does (1 MiB ' +
        'slices read one ahead, 4-byte header + 256 KiB per message capped by sctp.maxMessageSize, bufferedAmount ≤ 1 MiB, ' +
        'resume at 512 KiB, or what --file-chunk-kib and --file-*-water-kib say), no hashing, ' +
        'nothing kept, clock to the receiver having counted every byte. Clocks: performance.timeOrigin + performance.now() in ' +
        'each page. ours/raw alternate first. MiB/s = MiB / s. cpuMsPerMiB: user+system CPU of every process of the browser ' +
        '(/proc) during the transfer, per MiB. Receiver heap (Chromium): CDP Runtime.getHeapUsage (usedSize + ' +
        'backingStorageSize, page and its workers) every 100 ms, peak minus a baseline taken after a forced GC. Chat: during ' +
        `every transfer the sender sends a ping every ${base.pingEveryMs} ms carrying its send time (ours: session.chat.send(); ` +
        "raw: the pair's 'chat' channel); latency = arrival at the receiver minus that time. Transfers that would not fit in " +
        '--file-budget-s (at the rates seen so far) are skipped.',
      sizesMiB,
      reps,
      warmupMiB: base.warmupMiB,
      chatEveryMs: base.pingEveryMs,
      waterMarksKiB: base.water ? base.water.map((x) => x / 1024) : 'library defaults (1024, 512)',
      chunkKiB: chunkKiB || 'library default (256, capped by sctp.maxMessageSize)',
      budgetS: budgetMs / 1000,
    };
    const wanted = (['chromium', 'firefox'] as const).filter((b) => browsers.includes(b));
    for (const name of ['chromium', 'firefox'] as const) {
      if (!browsers.includes(name)) {
        out[name] = { skipped: `not in --file-browsers=${browsers.join(',')}` };
        continue;
      }
      // Chromium (the heap figures) gets two thirds of the budget when both run; Firefox what is left.
      const end = started + budgetMs;
      const deadline = name === 'chromium' && wanted.length > 1 ? Date.now() + ((end - Date.now()) * 2) / 3 : end;
      ctx.log(`file-transfer: ${name} (${Math.round((deadline - Date.now()) / 1000)} s budget)`);
      const o: Options = { ...base, reps: name === 'firefox' ? ctx.args.int('firefox-file-reps', reps) : reps, deadline };
      try {
        out[name] = await runBrowser(ctx, name, o);
      } catch (e) {
        if (name === 'chromium') throw e; // the main figure: fail the benchmark
        out[name] = { error: errorMessage(e) };
        ctx.log(`file-transfer: ${name} failed: ${errorMessage(e)}`);
      }
    }
    return out;
  },
};
