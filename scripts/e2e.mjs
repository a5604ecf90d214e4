// `npm run test:e2e`: the e2e files (test/e2e/*.test.ts) with node:test, in two lanes side by side.
//   lane "calls":  the multi-page calls, one file at a time, the heaviest last; output streams.
//   lane "pages":  files of one or two pages, or package builds (LIGHT below), one at a time,
//                  beside the calls' first files; output printed as a block when the lane ends.
// Run one after the other they left a core idle while a test waited on a connection or on npm.
// `npm run test:e2e -- test/e2e/x.test.ts ...` runs just those files, in one lane.
// The lanes' totals ($TEST_TOTALS_FILE, scripts/node-test-totals.mjs) are added into one file.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const LIGHT = ['framework-examples', 'docs-site', 'lazy-chunks', 'connect-errors', 'languages-cdn', 'themes-demo', 'drop-in-snippet'];
/** The heaviest calls (nine, six and five pages) run once the other lane is done. */
const LAST = ['broadcast', 'mesh-six', 'server-crash'];

const file = (name) => `test/e2e/${name}.test.ts`;
const totalsFile = resolve(process.env.TEST_TOTALS_FILE || '.test-results/e2e.json');
const nodeArgs = [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-timeout=300000',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/node-test-totals.mjs',
  '--test-reporter-destination=stdout',
];

function lanes() {
  const asked = process.argv.slice(2);
  if (asked.length) return [{ name: 'e2e', files: asked, stream: true }];
  const all = readdirSync('test/e2e')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -'.test.ts'.length))
    .sort();
  const calls = all.filter((n) => !LIGHT.includes(n) && !LAST.includes(n));
  return [
    { name: 'calls', files: [...calls, ...LAST.filter((n) => all.includes(n))].map(file), stream: true },
    { name: 'pages', files: LIGHT.filter((n) => all.includes(n)).map(file), stream: false },
  ].filter((l) => l.files.length);
}

function run(lane, out) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...nodeArgs, ...lane.files], {
      stdio: lane.stream ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TEST_TOTALS_FILE: out },
    });
    const held = [];
    child.stdout?.on('data', (d) => held.push(d));
    child.stderr?.on('data', (d) => held.push(d));
    child.once('exit', (code, signal) => {
      if (!lane.stream) {
        process.stdout.write(`\n[e2e] lane "${lane.name}" (${lane.files.length} files), its output:\n`);
        process.stdout.write(Buffer.concat(held));
      }
      done(code ?? (signal ? 1 : 0));
    });
  });
}

const plan = lanes();
const outs = plan.map((l) => (plan.length === 1 ? totalsFile : `${totalsFile}.${l.name}.json`));
const codes = await Promise.all(plan.map((l, i) => run(l, outs[i])));

if (plan.length > 1) {
  const sum = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const [i, out] of outs.entries()) {
    let t;
    try {
      t = JSON.parse(readFileSync(out, 'utf8'));
      rmSync(out);
    } catch {
      // A lane that wrote no totals crashed: one failure, so it cannot pass unnoticed.
      t = { passed: 0, failed: 1, skipped: 0, failures: [{ name: `lane "${plan[i].name}" crashed (exit ${codes[i]})` }] };
    }
    for (const k of ['passed', 'failed', 'skipped']) sum[k] += t[k] ?? 0;
    sum.failures.push(...(t.failures ?? []));
  }
  writeFileSync(totalsFile, JSON.stringify(sum, null, 2) + '\n');
}
process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
