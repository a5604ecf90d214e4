// `npm run lint`: eslint over the whole repo, then prettier's format check. Each is one check in
// `npm test`'s totals (written to TEST_TOTALS_FILE when set); the exit status is non-zero if either fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const checks = [
  ['eslint', ['eslint', '.']],
  ['prettier', ['prettier', '--check', '--log-level=warn', '.']],
];
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const [name, args] of checks) {
  const r = spawnSync('npx', ['--no-install', ...args], { stdio: 'inherit' });
  const ok = r.status === 0;
  totals[ok ? 'passed' : 'failed']++;
  console.log(
    `${ok ? '✔' : '✖'} ${name}${ok ? '' : ` (exit ${r.status ?? r.signal}; fix with: npx ${name === 'prettier' ? 'prettier --write .' : 'eslint --fix .'})`}`,
  );
}
if (process.env.TEST_TOTALS_FILE) {
  mkdirSync(dirname(process.env.TEST_TOTALS_FILE), { recursive: true });
  writeFileSync(process.env.TEST_TOTALS_FILE, JSON.stringify(totals));
}
process.exitCode = totals.failed ? 1 : 0;
