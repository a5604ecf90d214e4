// `npm run build`: the steps of the build, the independent ones side by side: rollup, the types
// (the server's read the browser package's, as an install resolves rtc-widgets/protocol) and the
// manifest; then what is generated from the manifest. A failed step fails the build.
import { spawn } from 'node:child_process';

const run = (cmd, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${[cmd, ...args].join(' ')}: exit ${code ?? signal}`))));
  });
const node = (script) => run(process.execPath, [script]);
const bin = (name, ...args) => run('npx', ['--no-install', name, ...args]);

try {
  await node('scripts/clean.mjs');
  await node('scripts/build-hash-worker.mjs');
  await Promise.all([
    bin('rollup', '-c'),
    bin('tsc', '-p', 'tsconfig.build.json').then(() => bin('tsc', '-p', 'server/tsconfig.build.json')),
    bin('cem', 'analyze'),
  ]);
  await node('scripts/api-docs.mjs');
  await node('scripts/framework-types.mjs');
  await node('scripts/docs-site.mjs');
} catch (e) {
  console.error(`build: ${e.message}`);
  process.exitCode = 1;
}
