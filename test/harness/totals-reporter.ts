/**
 * wtr reporter that writes the run's totals to a JSON file (default `.test-results/wtr.json`):
 * wtr's own "N passed, N failed" sits behind a progress bar, one line per browser.
 * A test file that failed without a failing test (load error, failing hook, browser crash)
 * counts as one failed test, so a broken file can never hide in the totals. Failed tests are listed
 * by name (`failures`), for the summary at the end of `npm test`: wtr prints them mid-run, where a
 * long log is cut. Every file's wall seconds per browser are listed too, slowest first (`slowest`), and the
 * 60 slowest tests (`slowestTests`), to see where the suite's time goes.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Reporter, TestSession, TestSuiteResult } from '@web/test-runner';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export interface Failure {
  browser: string;
  file: string;
  name: string;
  error?: string;
}

function countSuite(
  suite: TestSuiteResult | undefined,
  into: Totals,
  failed: (name: string, error?: string) => void,
  timed: (name: string, ms: number) => void,
  path: string[] = [],
): void {
  if (!suite) return;
  const here = suite.name ? [...path, suite.name] : path;
  for (const t of suite.tests) {
    if (t.duration !== undefined) timed([...here, t.name].join(' > '), t.duration);
    if (t.skipped) into.skipped++;
    else if (t.passed) into.passed++;
    else {
      into.failed++;
      failed([...here, t.name].join(' > '), t.error?.message);
    }
  }
  for (const s of suite.suites) countSuite(s, into, failed, timed, here);
}

export function totalsReporter(file = '.test-results/wtr.json'): Reporter {
  const out = resolve(file);
  const began = new Map<string, number>();
  const took: { browser: string; file: string; seconds: number }[] = [];
  return {
    start({ sessions, startTime }) {
      // The first files may start before reporters do: they count from the run's start.
      sessions.on('session-status-updated', (s) => {
        if (s.status === 'INITIALIZING') began.set(s.id, Date.now());
        else if (s.status === 'FINISHED') {
          const seconds = Math.round((Date.now() - (began.get(s.id) ?? startTime)) / 100) / 10;
          took.push({ browser: s.browser.name, file: s.testFile, seconds });
        }
      });
    },
    onTestRunFinished({ sessions }: { sessions: TestSession[] }) {
      const total: Totals = { passed: 0, failed: 0, skipped: 0 };
      const byBrowser: Record<string, Totals> = {};
      const fileErrors: { browser: string; file: string; errors: string[] }[] = [];
      const failures: Failure[] = [];
      const tests: { browser: string; file: string; name: string; seconds: number }[] = [];
      for (const session of sessions) {
        const browser = session.browser.name;
        const own: Totals = { passed: 0, failed: 0, skipped: 0 };
        countSuite(
          session.testResults,
          own,
          (name, error) => failures.push({ browser, file: session.testFile, name, error }),
          (name, ms) => tests.push({ browser, file: session.testFile, name, seconds: Math.round(ms / 100) / 10 }),
        );
        if (!session.passed && own.failed === 0) {
          own.failed = 1;
          fileErrors.push({ browser, file: session.testFile, errors: session.errors.map((e) => e.message) });
        }
        const b = (byBrowser[browser] ??= { passed: 0, failed: 0, skipped: 0 });
        for (const k of ['passed', 'failed', 'skipped'] as const) {
          b[k] += own[k];
          total[k] += own[k];
        }
      }
      mkdirSync(dirname(out), { recursive: true });
      // local artefacts: keep them out of git without touching the repo's .gitignore
      const ignore = join(dirname(out), '.gitignore');
      if (basename(dirname(out)) === '.test-results' && !existsSync(ignore)) writeFileSync(ignore, '*\n');
      writeFileSync(
        out,
        JSON.stringify(
          {
            ...total,
            files: sessions.length,
            byBrowser,
            fileErrors,
            failures,
            slowest: took.sort((a, b) => b.seconds - a.seconds),
            slowestTests: tests.sort((a, b) => b.seconds - a.seconds).slice(0, 60),
          },
          null,
          2,
        ) + '\n',
      );
    },
  };
}
