// `npm test`: every suite, in order, each one even if an earlier one failed:
//   lint     eslint + prettier --check                 (npm run lint)
//   server   node:test       server/test/*.test.ts   (npm run test:server)
//   browser  web-test-runner test/**/*.test.ts       (npm run test:browser, chromium + firefox)
//   e2e      node:test       test/e2e/*.test.ts      (npm run test:e2e: test/e2e/run-all.ts, puppeteer-core + Debian browsers)
// Each suite's output streams through; then a table, and as the very last line the plain totals
// "N passed, N failed" (", N skipped" when there are any). Exit status is non-zero when any suite
// failed or crashed; a suite that crashed without reporting counts as at least 1 failed.
// Each suite has a hang guard (5 + 10 + 18 + 20 min): well above their usual 0.4 + 1 + 11 + 12 min, for a loaded machine.
// A guard that fires closes the browsers under the test then running: its failure reads "detached Frame".
// The server suite spawns Node processes and a TypeScript check: with a browser suite beside it on
// two cores it took over 6 minutes (its CLI and typings files 2 minutes each, against 15 s quiet).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = join(root, '.test-results');
const MIN = 60_000;

/** Test files under `dir` matching `test`, recursively; `skip` drops subdirectories. */
function findTests(dir, { recursive = false, skip = [] } = {}) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive && !skip.includes(rel) && entry.name !== 'node_modules') out.push(...findTests(rel, { recursive, skip }));
    } else if (entry.name.endsWith('.test.ts')) out.push(rel);
  }
  return out;
}

const suites = [
  {
    name: 'lint',
    script: 'lint',
    pattern: 'eslint.config.mjs',
    files: () => (existsSync(join(root, 'eslint.config.mjs')) ? ['eslint.config.mjs'] : []),
    totals: 'lint.json',
    env: 'TEST_TOTALS_FILE',
    timeout: 5 * MIN,
  },
  {
    name: 'server',
    script: 'test:server',
    pattern: 'server/test/*.test.ts',
    files: () => findTests('server/test'),
    totals: 'server.json',
    env: 'TEST_TOTALS_FILE',
    timeout: 10 * MIN,
  },
  {
    name: 'browser',
    script: 'test:browser',
    pattern: 'test/**/*.test.ts (outside test/e2e)',
    files: () => findTests('test', { recursive: true, skip: ['test/e2e'] }),
    totals: 'wtr.json',
    env: 'WTR_TOTALS_FILE',
    timeout: 18 * MIN,
  },
  {
    name: 'e2e',
    script: 'test:e2e',
    pattern: 'test/e2e/*.test.ts',
    files: () => findTests('test/e2e'),
    totals: 'e2e.json',
    env: 'TEST_TOTALS_FILE',
    // About 6.5 minutes idle; on a machine running a second suite the nine-page broadcast and the
    // six-way mesh take 2.5 minutes each.
    timeout: 20 * MIN,
  },
];

let current; // the running suite's child process
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current?.exitCode !== null) process.exit(130);
    // A runner may outlive a polite stop (wtr kept its browsers and servers running): end it all.
    const child = current;
    killGroup(child, 'SIGTERM');
    setTimeout(() => {
      killGroup(child, 'SIGKILL');
      process.exit(130);
    }, 3000);
  });
}

/** The child runs in its own process group (npm → node → browsers, coturn): end all of it. */
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

function run(suite, totalsFile) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', ['run', '--silent', suite.script], {
      cwd: root,
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, [suite.env]: totalsFile },
    });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n[test-all] ${suite.name}: still running after ${Math.round(suite.timeout / 1000)} s, stopping it`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref();
    }, suite.timeout);
    const done = (code, error) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code, error, timedOut, seconds: (Date.now() - started) / 1000 });
    };
    child.once('error', (e) => done(null, e.message));
    child.once('exit', (code, signal) => done(code ?? (signal ? `signal ${signal}` : null)));
  });
}

/** One line per failed test (and per test file that failed to run), from a suite's totals file. */
function listFailures(t) {
  if (!t) return [];
  const where = (f) => [f.browser, f.file && relative(root, f.file)].filter(Boolean).join(' ');
  const firstLine = (e) => (e ? ` (${String(e).split('\n')[0].slice(0, 200)})` : '');
  return [
    ...(t.failures ?? []).map((f) => `${where(f)}: ${f.name}${firstLine(f.error)}`),
    ...(t.fileErrors ?? []).map((f) => `${where(f)}: the file failed to run${firstLine(f.errors?.[0])}`),
  ];
}

function readTotals(file) {
  try {
    const t = JSON.parse(readFileSync(file, 'utf8'));
    if ([t.passed, t.failed, t.skipped].every((n) => Number.isInteger(n) && n >= 0)) return t;
  } catch {
    /* missing or unreadable: the suite crashed */
  }
  return undefined;
}

mkdirSync(results, { recursive: true });
// Results are local artefacts: keep them out of git without touching the repo's .gitignore.
writeFileSync(join(results, '.gitignore'), '*\n');

const rows = [];
const sum = { passed: 0, failed: 0, skipped: 0 };
for (const suite of suites) {
  const files = suite.files();
  if (files.length === 0) {
    console.log(`\n[test-all] ${suite.name}: skipped, no test files yet (${suite.pattern})`);
    rows.push({ name: suite.name, status: 'skipped (no files)' });
    continue;
  }
  console.log(`\n[test-all] ${suite.name}: npm run ${suite.script} (${files.length} file${files.length === 1 ? '' : 's'})\n`);
  const totalsFile = join(results, suite.totals);
  rmSync(totalsFile, { force: true });
  const r = await run(suite, totalsFile);
  const t = readTotals(totalsFile);
  let counts;
  let status;
  if (!t) {
    counts = { passed: 0, failed: 1, skipped: 0 };
    status = r.timedOut ? 'TIMED OUT' : `CRASHED (exit ${r.error ?? r.code}, no totals)`;
  } else {
    counts = { passed: t.passed, failed: t.failed, skipped: t.skipped };
    if (r.timedOut) {
      counts.failed = Math.max(1, counts.failed);
      status = 'TIMED OUT';
    } else if (r.code !== 0 && counts.failed === 0) {
      // e.g. a failure outside any test, or the runner failing after it reported
      counts.failed = 1;
      status = `FAILED (exit ${r.code} with no failed test)`;
    } else status = counts.failed > 0 || r.code !== 0 ? 'FAILED' : 'ok';
  }
  for (const k of Object.keys(sum)) sum[k] += counts[k];
  rows.push({ name: suite.name, status, ...counts, seconds: r.seconds, failures: listFailures(t) });
}

const failed = rows.some((r) => r.status !== 'ok' && !r.status.startsWith('skipped'));
console.log('\n[test-all] summary');
for (const r of rows) {
  const nums = 'passed' in r ? `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped in ${r.seconds.toFixed(1)}s` : '';
  console.log(`  ${r.name.padEnd(8)} ${r.status.padEnd(10)} ${nums}`);
  for (const line of r.failures ?? []) console.log(`           failed: ${line}`);
}
console.log(`  (totals in ${relative(process.cwd(), results) || '.'}/)`);
console.log(`${sum.passed} passed, ${sum.failed} failed${sum.skipped ? `, ${sum.skipped} skipped` : ''}`);
process.exitCode = failed || sum.failed > 0 ? 1 : 0;
