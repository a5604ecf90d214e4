/**
 * wtr reporter that writes the run's totals to a JSON file (default `.test-results/wtr.json`):
 * wtr's own "N passed, N failed" sits behind a progress bar, one line per browser.
 * A test file that failed without a failing test (load error, failing hook, browser crash)
 * counts as one failed test, so a broken file can never hide in the totals.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Reporter, TestSession, TestSuiteResult } from '@web/test-runner';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

function countSuite(suite: TestSuiteResult | undefined, into: Totals): void {
  if (!suite) return;
  for (const t of suite.tests) {
    if (t.skipped) into.skipped++;
    else if (t.passed) into.passed++;
    else into.failed++;
  }
  for (const s of suite.suites) countSuite(s, into);
}

export function totalsReporter(file = '.test-results/wtr.json'): Reporter {
  const out = resolve(file);
  return {
    onTestRunFinished({ sessions }: { sessions: TestSession[] }) {
      const total: Totals = { passed: 0, failed: 0, skipped: 0 };
      const byBrowser: Record<string, Totals> = {};
      const fileErrors: { browser: string; file: string; errors: string[] }[] = [];
      for (const session of sessions) {
        const browser = session.browser.name;
        const own: Totals = { passed: 0, failed: 0, skipped: 0 };
        countSuite(session.testResults, own);
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
      writeFileSync(out, JSON.stringify({ ...total, files: sessions.length, byBrowser, fileErrors }, null, 2) + '\n');
    },
  };
}
