/**
 * What `npm pack` puts in the two published packages (run after `npm run build`, as `npm test` does):
 * rtc-widgets is the browser library only, rtc-widgets-server the server only, with its bin.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = join(ROOT, 'server');
const T = { timeout: 60_000 };

/** Server-side packages a browser app must never install through rtc-widgets. */
const SERVER_PACKAGES = [
  'socket.io',
  'socket.io-parser',
  'redis',
  '@socket.io/redis-adapter',
  'sirv',
  'jose',
  'prom-client',
  'rate-limiter-flexible',
  '@types/node',
];

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string> | string;
  main?: string;
  types?: string;
  exports?: Record<string, unknown>;
}
interface Packed {
  name: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

async function pack(dir: string): Promise<Packed> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, maxBuffer: 32 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as Packed[];
  return packed;
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const isTest = (path: string) => /(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/.test(path);
/** Bare module names a built file imports (static and dynamic), down to the package name. */
function importedPackages(code: string): Set<string> {
  const names = new Set<string>();
  const specifiers = [
    ...code.matchAll(/^(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...code.matchAll(/^import\s*['"]([^'"]+)['"]/gm),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  for (const m of specifiers) {
    const id = m[1];
    if (id.startsWith('.') || id.startsWith('/') || id.startsWith('node:')) continue;
    names.add(id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);
  }
  return names;
}

describe('packages', () => {
  before(() => {
    for (const f of ['dist/cdn/rtc-widgets.js', 'server/dist/cli.js']) {
      assert.ok(existsSync(join(ROOT, f)), `${f} is missing: run \`npm run build\` before this test (npm test does)`);
    }
  });

  it('rtc-widgets: the browser library only, with no server package among its dependencies', T, async () => {
    const pkg = manifest(ROOT);
    const deps = Object.keys(pkg.dependencies ?? {});
    for (const name of SERVER_PACKAGES) assert.ok(!deps.includes(name), `rtc-widgets depends on the server package ${name}`);
    assert.equal(pkg.bin, undefined, 'the browser package has no bin');

    const packed = await pack(ROOT);
    const paths = packed.files.map((f) => f.path);
    console.log(`rtc-widgets: ${packed.entryCount} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'custom-elements.json', 'dist/cdn/rtc-widgets.js', 'dist/index.js', 'dist/types/index.d.ts']) {
      assert.ok(paths.includes(f), `${f} is not in the package`);
    }
    const unwanted = paths.filter(
      (p) => p.startsWith('dist/server/') || p.startsWith('server/') || p.startsWith('src/') || (p.endsWith('.ts') && !p.endsWith('.d.ts')) || isTest(p),
    );
    assert.deepEqual(unwanted, [], 'server code, sources or tests in the browser package');
    // Every module the package's own modules import is one it declares (the CDN bundle imports none).
    const declared = new Set([pkg.name, ...deps]);
    for (const p of paths.filter((p) => p.endsWith('.js') && !p.startsWith('dist/cdn/'))) {
      for (const name of importedPackages(readFileSync(join(ROOT, p), 'utf8'))) assert.ok(declared.has(name), `${p} imports ${name}, not a dependency`);
    }
  });

  it('rtc-widgets-server: the server only, its bin, the demo it serves, and rtc-widgets for the protocol and the bundle', T, async () => {
    const pkg = manifest(SERVER);
    const root = manifest(ROOT);
    assert.equal(pkg.name, 'rtc-widgets-server');
    assert.equal(pkg.dependencies?.['rtc-widgets'], root.version, 'the server depends on the browser package of the same version');
    assert.deepEqual(pkg.bin, { 'rtc-widgets-server': './dist/cli.js' });

    const packed = await pack(SERVER);
    const paths = packed.files.map((f) => f.path);
    console.log(`rtc-widgets-server: ${packed.entryCount} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/cli.js', 'dist/index.js', 'dist/types/index.d.ts', 'dist/demo/index.html']) {
      assert.ok(paths.includes(f), `${f} is not in the server package`);
    }
    const outside = paths.filter((p) => !(p.startsWith('dist/') || ['LICENSE', 'README.md', 'package.json'].includes(p)));
    assert.deepEqual(outside, [], 'only the built server and its docs');
    assert.deepEqual(paths.filter(isTest), [], 'no tests in the server package');
    assert.deepEqual(
      paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts')),
      [],
      'no TypeScript sources',
    );
    assert.match(readFileSync(join(SERVER, 'dist/cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    // The main entry, by its package name (the workspace link), embeds the server.
    const entry: string = pkg.name; // not a literal: tsc need not find the built types
    const main = await import(entry);
    assert.equal(typeof main.createSignalServer, 'function');
    assert.equal(typeof main.mintToken, 'function');
    const declared = new Set(Object.keys(pkg.dependencies ?? {}));
    for (const p of paths.filter((p) => p.endsWith('.js'))) {
      const code = readFileSync(join(SERVER, p), 'utf8');
      assert.doesNotMatch(code, /from\s*['"]\.\.\/\.\.\//, `${p} reaches outside the package`);
      for (const name of importedPackages(code)) assert.ok(declared.has(name), `${p} imports ${name}, not a dependency`);
    }
  });
});
