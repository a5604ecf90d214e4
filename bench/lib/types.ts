/**
 * The benchmark registry's contract: each benchmark is a module exporting a `Benchmark`, listed in
 * bench/run.ts, whose `run()` returns a JSON fragment (placed under its name in the output).
 * Shared, costly things (the signaling server, browsers) are borrowed from the context, which
 * starts them on first use and closes them when the run ends.
 */
import type { Browser } from 'puppeteer-core';
import type { StartedServer } from '../../test/e2e/helpers/browsers.js';

export type BrowserName = 'chromium' | 'firefox';

export interface BenchArgs {
  /** `--name=value` (or `--flag`, value true) from the command line. */
  get(name: string): string | true | undefined;
  /** A positive integer option, else `fallback`. */
  int(name: string, fallback: number): number;
  /** `--name` / `--name=true|1` → true, `--no-name` / `--name=false|0` → false, else `fallback`. */
  bool(name: string, fallback: boolean): boolean;
}

export interface BenchContext {
  /** Progress, to stderr (stdout holds only the final JSON). */
  log(message: string): void;
  args: BenchArgs;
  /** Absolute path of the repository. */
  repo: string;
  /** A copy of dist/cdn/rtc-widgets.js taken at the start, so a concurrent rebuild cannot change it mid-run. */
  bundleFile: string;
  /** The real signaling server (no TURN) serving bench/pages/ at / and the bundle copy at /rtc-widgets.js. */
  server(): Promise<StartedServer>;
  /** One browser of each kind per run, launched with the test harness settings. */
  browser(name: BrowserName): Promise<Browser>;
}

export interface Benchmark {
  name: string;
  /** One line, for the progress log. */
  description: string;
  /** Hard limit for the whole benchmark. */
  timeoutMs: number;
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
}
