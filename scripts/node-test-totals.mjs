// A node:test reporter that prints nothing and writes the run's totals as JSON to
// $TEST_TOTALS_FILE (default .test-results/node.json), for scripts/test-all.mjs:
//   node --test --test-reporter=spec --test-reporter-destination=stdout \
//               --test-reporter=./scripts/node-test-totals.mjs --test-reporter-destination=stdout ...
// It writes the file itself (creating the directory), because a --test-reporter-destination in
// a missing directory makes node fail before running anything.
// Counts are node's own final diagnostics (a file that fails to load counts as one failed test,
// a parent test with subtests counts as a test too); if those never arrive, the pass/fail events.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

// A reporter must be an async generator; this one writes a file and prints nothing.
// eslint-disable-next-line require-yield
export default async function* totals(source) {
  const diag = {};
  const events = { passed: 0, failed: 0, skipped: 0 };
  const failures = [];
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === 'test:diagnostic' && (data.nesting ?? 0) === 0) {
      const m = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(String(data.message ?? ''));
      if (m) diag[m[1]] = Number(m[2]);
    } else if ((event.type === 'test:pass' || event.type === 'test:fail') && data.details?.type !== 'suite') {
      if (data.skip || data.todo) events.skipped++;
      else if (event.type === 'test:pass') events.passed++;
      else {
        events.failed++;
        failures.push({ name: data.name, file: data.file });
      }
    }
  }
  const fromDiag = 'pass' in diag && 'fail' in diag;
  const result = fromDiag
    ? {
        passed: diag.pass,
        failed: diag.fail + (diag.cancelled ?? 0),
        skipped: (diag.skipped ?? 0) + (diag.todo ?? 0),
      }
    : events;
  const out = resolve(process.env.TEST_TOTALS_FILE || '.test-results/node.json');
  mkdirSync(dirname(out), { recursive: true });
  // local artefacts: keep them out of git without touching the repo's .gitignore
  const ignore = join(dirname(out), '.gitignore');
  if (basename(dirname(out)) === '.test-results' && !existsSync(ignore)) writeFileSync(ignore, '*\n');
  writeFileSync(out, JSON.stringify({ ...result, source: fromDiag ? 'diagnostics' : 'events', failures }, null, 2) + '\n');
}
