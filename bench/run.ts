/**
 * `npm run bench` (which builds first): runs every benchmark in the registry below and prints one
 * JSON document on stdout, each benchmark's fragment under its name; progress goes to stderr.
 *
 *   npm run bench                          # everything
 *   npm run bench -- --only=bundle-size    # some (comma-separated names)
 *   npm run bench -- --calls=20 --browsers=chromium
 *   npm run -s bench > result.json           # -s: without npm's banner lines on stdout
 *
 * Options: --only=a,b  --calls=N (12)  --warmup=N (1)  --browsers=chromium,firefox (both)
 *          --firefox-calls=N (= calls)  --variants=raw,ours,rawTwoPages (+ core)  --settle-ms=N (300)
 *          --call-timeout-ms=N (30000)
 *          --poll-ms=N (off: also poll getStats for the first video packet / decoded frame)
 *          file-transfer: --file-sizes=64,256 (MiB)  --file-reps=N (3)  --firefox-file-reps=N (= file-reps)
 *          --file-browsers=chromium,firefox (= --browsers)  --file-budget-s=N (240)  --file-warmup-mib=N (16; 0: none)
 *          --chat-every-ms=N (50)  --chat-baseline-ms=N (2000)  --no-file-verify
 *          --file-high-water-kib=N --file-low-water-kib=N (default: the library's, 256 and 64)
 *          recovery: --recovery-pages=N (4)  --recovery-outage-ms=N (10000)  --recovery-reps=N (3)
 *          --recovery-baseline-ms=N (10000)  --recovery-sample-ms=N (200)  --recovery-browsers=… (= --browsers)
 *          --recovery-resume-timeout-ms=N (30000)  --recovery-after-ms=N (2000)
 *          ice-restart: --ice-outage-ms=N (10000)  --ice-reps=N (3)  --ice-sample-ms=N (100)
 *          --ice-browsers=… (= --browsers)  --ice-wait-timeout-ms=N (60000)
 *          signaling-security: --sec-signals=N (2000 per run)  --sec-reps=N (3 runs of each)
 *          thumbnail-cost: --thumb-settle-ms=N (10000)  --thumb-window-ms=N (10000)  (--browsers)
 *          mesh: --mesh-peers=N (6)  --mesh-settle-ms=N (10000)  --mesh-window-ms=N (10000)
 *          --mesh-tile-width=N (320)  --mesh-fps=N (30)
 *          app-channel: --app-rate=N (60 /s per variant)  --app-seconds=N (10)  --app-rounds=N (1)  --app-browsers=… (= --browsers)
 *          broadcast: --broadcast-viewers=mixed|chromium|firefox (mixed)  --broadcast-viewer-count=N (8)
 *          --broadcast-settle-ms=N (10000)  --broadcast-window-ms=N (10000)  --broadcast-tile-width=N (640)
 *          --out=FILE (also write the JSON there)
 * Exit code 1 when a benchmark failed (its fragment is then `{ "error": … }`).
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { BUNDLE_FILE, launchChromium, launchFirefox, startServer, type LaunchedBrowser, type StartedServer } from '../test/e2e/helpers/browsers.js';
import type { BenchArgs, BenchContext, Benchmark, BrowserName } from './lib/types.js';
import { errorMessage, withTimeout } from './lib/util.js';
import { bundleSize } from './bundle-size.js';
import { joinToFrame } from './join-to-frame.js';
import { fileTransfer } from './file-transfer.js';
import { recovery } from './recovery.js';
import { iceRestart } from './ice-restart.js';
import { signalingSecurity } from './signaling-security.js';
import { thumbnailCost } from './thumbnail-cost.js';
import { mesh } from './mesh.js';
import { appChannel } from './app-channel.js';
import { broadcast } from './broadcast.js';
import { signaling } from './signaling.js';

/** The registry: add a benchmark module here. */
const registry: Benchmark[] = [
  bundleSize,
  joinToFrame,
  fileTransfer,
  recovery,
  iceRestart,
  signalingSecurity,
  thumbnailCost,
  mesh,
  appChannel,
  broadcast,
  signaling,
];

const repo = fileURLToPath(new URL('../', import.meta.url));
const PAGES_DIR = join(repo, 'bench/pages');

function parseArgs(argv: string[]): BenchArgs {
  const map = new Map<string, string | true>();
  for (const arg of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg} (options look like --name=value)`);
    map.set(m[1]!, m[2] ?? true);
  }
  return {
    get: (name) => map.get(name),
    int(name, fallback) {
      const v = map.get(name);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} wants a whole number, got ${String(v)}`);
      return n;
    },
    bool(name, fallback) {
      if (map.has(`no-${name}`)) return false;
      const v = map.get(name);
      if (v === undefined) return fallback;
      return v === true || v === 'true' || v === '1';
    },
  };
}

/** JSON indented by 2, except that arrays of plain values (samples) and small flat objects stay on one line. */
function toJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const flat = Object.values(value).every((x) => x === null || typeof x !== 'object');
  if (flat && (Array.isArray(value) || JSON.stringify(value).length <= 100)) return JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((x) => `${inner}${toJson(x, inner)}`)
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`);
  if (!entries.length) return Array.isArray(value) ? '[]' : '{}';
  return Array.isArray(value) ? `[\n${entries.join(',\n')}\n${indent}]` : `{\n${entries.join(',\n')}\n${indent}}`;
}

async function main(): Promise<number> {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const only = typeof args.get('only') === 'string' ? (args.get('only') as string).split(',') : undefined;
  const unknown = only?.filter((n) => !registry.some((b) => b.name === n));
  if (unknown?.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${registry.map((b) => b.name).join(', ')}`);
  const selected = registry.filter((b) => !only || only.includes(b.name));

  // Snapshot the bundle: others may rebuild dist/ while we run.
  const tmp = mkdtempSync(join(tmpdir(), 'rtc-widgets-bench-'));
  const bundleFile = join(tmp, 'rtc-widgets.js');
  copyFileSync(BUNDLE_FILE, bundleFile);
  cpSync(join(BUNDLE_FILE, '..', 'rtc-widgets-chunks'), join(tmp, 'rtc-widgets-chunks'), { recursive: true });

  let server: Promise<StartedServer> | undefined;
  const browsers = new Map<BrowserName, Promise<LaunchedBrowser>>();
  const ctx: BenchContext = {
    log,
    args,
    repo,
    bundleFile,
    server: () =>
      (server ??= (async () => {
        const s = await withTimeout(startServer({ turn: false, staticDir: PAGES_DIR, bundleFile }), 30_000, 'starting the server');
        log(`server at ${s.url}`);
        return s;
      })()),
    async browser(name): Promise<Browser> {
      let launched = browsers.get(name);
      if (!launched) {
        // Every long wait in a benchmark has its own timeout: let one page call run as long as those.
        const opts = { protocolTimeoutMs: 2 * 60 * 60_000 };
        launched = withTimeout(name === 'chromium' ? launchChromium([], [], opts) : launchFirefox({}, opts), 60_000, `launching ${name}`);
        browsers.set(name, launched);
      }
      return (await launched).browser;
    },
  };

  const results: Record<string, unknown> = {};
  let failed = false;
  const load = { start: loadavg().map((x) => Math.round(x * 100) / 100), end: [] as number[] };
  try {
    for (const b of selected) {
      log(`${b.name}: ${b.description}`);
      const t = Date.now();
      try {
        results[b.name] = await withTimeout(b.run(ctx), b.timeoutMs, b.name);
      } catch (e) {
        failed = true;
        results[b.name] = { error: errorMessage(e) };
        log(`${b.name} FAILED: ${e instanceof Error ? e.stack : String(e)}`);
      }
      log(`${b.name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await Promise.all(
      [...browsers.values()].map((p) =>
        p.then(
          (l) => l.dispose(),
          () => undefined,
        ),
      ),
    );
    await server?.then(
      (s) => withTimeout(s.dispose(), 15_000, 'stopping the server'),
      () => undefined,
    );
    rmSync(tmp, { recursive: true, force: true });
  }
  load.end = loadavg().map((x) => Math.round(x * 100) / 100);

  const report = {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    env: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, loadavg: load },
    results,
  };
  const json = `${toJson(report)}\n`;
  process.stdout.write(json);
  const out = args.get('out');
  if (typeof out === 'string') writeFileSync(out, json);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`[bench] ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
