/**
 * The framework examples (examples/<name>) as a user gets them: the root package packed with
 * `npm pack`, each example copied to a temporary directory, installed from its own lockfile plus
 * that tarball (`npm install --no-save`), built with its own toolchain (`npm run build`), and its
 * output served by a small static server on 127.0.0.1.
 *
 *   const tarball = await packRoot(dir);
 *   const built = await buildExample('react', tarball, dir);   // { dist, timings, log }
 *   const site = await serveDir(built.dist);                   // site.url, site.close()
 */
import { spawn } from 'node:child_process';
import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLES_DIR = join(repo, 'examples');

/** Where each example's build puts the page (relative to the example). */
export const EXAMPLES = { react: 'dist', vue: 'dist', svelte: 'dist', angular: 'dist' } as const;
export type ExampleName = keyof typeof EXAMPLES;

/** npm from the npm cache where it can (no revalidation of cached metadata), and quietly. */
const NPM_FLAGS = [
  '--prefer-offline',
  '--no-audit',
  '--no-fund',
  '--fetch-retries=1',
  '--fetch-retry-mintimeout=2000',
  '--fetch-retry-maxtimeout=10000',
  '--fetch-timeout=60000',
];
/** One npm or build step may take this long before it is ended (a cold cache on a slow link). */
const STEP_LIMIT_MS = 8 * 60_000;

/** What npm prints when it cannot reach the registry (and the cache does not have what it needs). */
const OFFLINE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENOTCACHED)\b|network request to .* failed/;

export class StepError extends Error {}

/**
 * The environment for the npm children: the parent's, less what `npm test` puts there for its own
 * package (npm_package_*, npm_lifecycle_*, a local prefix): those would make npm treat the repo as
 * the project. The cache, registry and user config stay.
 */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_globalconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())) env[k] = v;
  // Angular's CLI would otherwise ask about analytics on a terminal.
  return { ...env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };
}

/** Run `npm args` in `cwd`; resolves to its output, rejects with a StepError that names the step (and says so when the registry was unreachable). */
export function npm(args: string[], cwd: string, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_LIMIT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new StepError(`${what}: could not start npm: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(out);
      // npm says what went wrong first (then, for some errors, the command's whole usage): keep both ends.
      const lines = out.trim().split('\n');
      const excerpt = lines.length > 40 ? [...lines.slice(0, 20), '…', ...lines.slice(-20)].join('\n') : lines.join('\n');
      const why = signal
        ? `was ended after ${STEP_LIMIT_MS / 60_000} min`
        : OFFLINE.test(out)
          ? `failed: the npm registry could not be reached and the npm cache lacks what it needs (the examples' toolchains come from the registry)`
          : `failed (exit ${code})`;
      reject(new StepError(`${what} (npm ${args.join(' ')} in ${cwd}) ${why}\n${excerpt}`));
    });
  });
}

/** `npm pack` of the repository's root package into `dir`: the tarball's path. Needs a built dist/ (`npm run build`). */
export async function packRoot(dir: string): Promise<string> {
  for (const f of ['dist/index.js', 'dist/define.js', 'dist/types/index.d.ts'])
    if (!existsSync(join(repo, f))) throw new Error(`${f} is missing: run \`npm run build\` before packing rtc-widgets`);
  const out = await npm(['pack', '--json', '--pack-destination', dir], repo, 'packing rtc-widgets');
  // npm may print notices before the JSON.
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return join(dir, filename);
}

export interface BuiltExample {
  name: ExampleName;
  /** The built page's directory. */
  dist: string;
  /** Seconds per step. */
  timings: { lock: number; install: number; build: number };
  /** The build step's output. */
  log: string;
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/**
 * Copy examples/<name> (without node_modules and dist) into `dir`, install there what its lockfile
 * pins plus the packed rtc-widgets, build: what a user does with the example and the published
 * package. `npm ci --dry-run` first fails if package.json and the lockfile disagree (as `npm ci`
 * would); then one `npm install --no-save <tarball>` installs the locked tree and the tarball
 * together (`npm ci` and then the tarball would lay out the whole tree twice).
 */
export async function buildExample(name: ExampleName, tarball: string, dir: string): Promise<BuiltExample> {
  const source = join(EXAMPLES_DIR, name);
  const cwd = join(dir, name);
  cpSync(source, cwd, {
    recursive: true,
    filter: (src) => {
      const rel = relative(source, src).split(sep)[0];
      return rel !== 'node_modules' && rel !== 'dist' && rel !== '.angular';
    },
  });
  let t = performance.now();
  await npm(['ci', '--dry-run', ...NPM_FLAGS], cwd, `${name}: checking its lockfile (npm ci --dry-run)`);
  const lock = seconds(t);
  t = performance.now();
  await npm(['install', '--no-save', ...NPM_FLAGS, tarball], cwd, `${name}: installing its lockfile's packages and the packed rtc-widgets`);
  const install = seconds(t);
  t = performance.now();
  const log = await npm(['run', 'build'], cwd, `${name}: npm run build`);
  const build = seconds(t);
  const dist = join(cwd, EXAMPLES[name]);
  if (!existsSync(join(dist, 'index.html'))) throw new StepError(`${name}: the build wrote no ${EXAMPLES[name]}/index.html\n${log}`);
  return { name, dist, timings: { lock, install, build }, log };
}

/** Run `jobs` at most `limit` at a time; each result is the job's own promise (a failure stays with its job). */
export function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T>[] {
  let next = 0;
  const results = jobs.map(() => {
    let settle!: { resolve: (v: T) => void; reject: (e: unknown) => void };
    const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    return { promise, settle };
  });
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      await jobs[i]!().then(results[i]!.settle.resolve, results[i]!.settle.reject);
    }
  };
  for (let i = 0; i < Math.min(limit, jobs.length); i++) void lane();
  // A job nobody awaits (its test was skipped by a filter) must not end the process as unhandled.
  for (const r of results) r.promise.catch(() => undefined);
  return results.map((r) => r.promise);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** A static server for `dir` on 127.0.0.1 (a random port): files as they are, `/` is index.html. */
export async function serveDir(dir: string): Promise<Site> {
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
