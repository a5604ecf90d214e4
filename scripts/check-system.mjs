// `pretest`: the tests need Debian's chromium, firefox-esr, coturn (turnserver) and redis-server.
// All present: one quiet line. Some missing: as root with apt-get, install them (output streams);
// otherwise print the exact command to run and exit 1.
// Optional: python3-socketio + python3-aiohttp + python3-cryptography for Debian's /usr/bin/python3
// (the docs/protocol.md python example test skips without them). Installed along when installing
// anyway or when root; otherwise only a hint.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const requirements = [
  { what: 'chromium', pkg: 'chromium', paths: [process.env.CHROMIUM_PATH || '/usr/bin/chromium'] },
  { what: 'firefox-esr', pkg: 'firefox-esr', paths: [process.env.FIREFOX_PATH || '/usr/bin/firefox-esr'] },
  { what: 'turnserver', pkg: 'coturn', command: 'turnserver' },
  { what: 'redis-server', pkg: 'redis-server', command: 'redis-server' },
  {
    what: 'python3 socketio + aiohttp + cryptography',
    pkg: ['python3-socketio', 'python3-aiohttp', 'python3-cryptography'],
    optional: true,
    check: () => spawnSync('/usr/bin/python3', ['-c', 'import socketio, aiohttp, cryptography'], { stdio: 'ignore' }).status === 0,
  },
];

const isExecutable = (p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const searchPath = (cmd) => [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/sbin', '/usr/local/bin'].map((d) => join(d, cmd));
const found = (r) => (r.check ? r.check() : Boolean((r.paths ?? searchPath(r.command)).find(isExecutable)));
const missingNow = () => requirements.filter((r) => !found(r));
const names = (list) => list.map((r) => r.what).join(', ');
const packages = (list) => [...new Set(list.flatMap((r) => r.pkg))];

let missing = missingNow();
if (missing.length === 0) {
  console.log(`check-system: ok (${names(requirements)})`);
  process.exit(0);
}

const isRoot = process.getuid?.() === 0;
const hasApt = isExecutable('/usr/bin/apt-get');
const required = missing.filter((r) => !r.optional);

if (required.length === 0 && !(isRoot && hasApt)) {
  const pkgs = packages(missing);
  console.log(`check-system: ok, but ${names(missing)} missing: some tests will be skipped ` + `(install with: sudo apt-get install -y ${pkgs.join(' ')})`);
  process.exit(0);
}

const pkgs = packages(missing);
console.log(`check-system: missing ${names(missing)}`);

if (isRoot && hasApt) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...pkgs]]) {
    console.log(`check-system: apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) {
      console.error(`check-system: apt-get ${args[0]} failed (${r.error?.message ?? `exit ${r.status}`})`);
      process.exit(1);
    }
  }
  missing = missingNow();
  if (missing.every((r) => r.optional)) {
    console.log(`check-system: installed ${pkgs.join(' ')}`);
    if (missing.length) console.log(`check-system: still missing ${names(missing)}: some tests will be skipped`);
    process.exit(0);
  }
  console.error(`check-system: still missing after apt-get install: ${names(missing.filter((r) => !r.optional))}`);
  process.exit(1);
}

const sudo = isRoot ? '' : 'sudo ';
console.error(
  `check-system: the tests need Debian packages ${packages(required).join(', ')}. Install them with:\n\n` +
    `  ${sudo}apt-get update && ${sudo}apt-get install -y ${pkgs.join(' ')}\n`,
);
process.exit(1);
