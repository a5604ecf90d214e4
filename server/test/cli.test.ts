import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { cleanup, connect, request, sleep } from './helpers.js';
import { spawnLogged, type Spawned } from '../../test/harness/service.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The built CLI (`npm test` builds first); the source through tsx when there is no build. tsx
 * compiles the server again on every run: with a browser suite beside it on two cores, that took
 * most of a minute per run.
 */
const BUILT = join(ROOT, 'server/dist/cli.js');
const CLI = existsSync(BUILT) ? [BUILT] : ['--import', 'tsx', 'server/src/cli.ts'];
/** Each run starts a Node process: a test of several runs gets long on a busy machine, and the independent ones run side by side. */
const T = { timeout: 180_000 };

function run(env: Record<string, string>, args: string[] = []): Spawned {
  return spawnLogged(process.execPath, [...CLI, ...args], { cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env } });
}

async function urlOf(r: Spawned, ms = 45_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = /rtc-widgets signaling \+ demo on (\S+)/.exec(r.output());
    if (m) return m[1];
    if (r.child.exitCode !== null || Date.now() > deadline) throw new Error(`no startup line:\n${r.output()}`);
    await sleep(50);
  }
}

describe('cli', () => {
  const children: ChildProcess[] = [];
  after(async () => {
    await cleanup();
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('starts from the environment, prints its URL, applies the settings, and exits cleanly on SIGTERM', T, async () => {
    const r = run({
      ROOM_CAPACITY: '1',
      STUN_URLS: 'stun:a.example:3478, stun:b.example:3478',
      TURN_URLS: 'turn:t.example:3478',
      TURN_SECRET: 'x',
      TURN_TTL: '120',
      ALLOWED_ORIGINS: 'https://app.example',
    });
    children.push(r.child);
    const url = await urlOf(r);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true, rooms: 0, sockets: 0 });
    // The bundle is looked up in <package root>/dist/cdn, wherever the CLI file lives.
    const bundle = await fetch(`${url}/rtc-widgets.js`);
    if (existsSync(join(ROOT, 'dist', 'cdn', 'rtc-widgets.js'))) assert.equal(bundle.status, 200);
    else assert.match(await bundle.text(), /npm run build/);
    await bundle.body?.cancel().catch(() => {});
    // The documentation site likewise, from <package root>/dist/site.
    const docs = await fetch(`${url}/docs/`);
    if (existsSync(join(ROOT, 'dist', 'site', 'index.html'))) assert.match(await docs.text(), /rtc-widgets documentation/);
    else assert.match(await docs.text(), /npm run build/);

    const a = await connect(url);
    const reply = await request(a, 'join', { room: 'cli' });
    assert.equal(reply.ok, true);
    assert.deepEqual(reply.iceServers[0], { urls: ['stun:a.example:3478', 'stun:b.example:3478'] });
    assert.equal(reply.iceServers[1].urls[0], 'turn:t.example:3478');
    assert.equal(reply.iceServersTtl, 120);
    const b = await connect(url);
    assert.equal((await request(b, 'join', { room: 'cli' })).error.code, 'room-full');
    await assert.rejects(connect(url, { extraHeaders: { Origin: 'https://evil.example' } }));

    const left = new Promise((resolve) => a.once('disconnect', resolve));
    r.child.kill('SIGTERM');
    assert.equal(await r.exit, 0);
    await left;
  });

  it('`token` prints a join token that a server with the same TOKEN_SECRET accepts; METRICS_TOKEN guards /metrics', T, async () => {
    const secret = 'cli-secret-cli-secret-cli-secret-cli';
    const mint = run({ TOKEN_SECRET: secret }, ['token', '--room', 'standup', '--name', 'Ada', '--role', 'host', '--ttl', '1h']);
    children.push(mint.child);
    assert.equal(await mint.exit, 0, mint.output());
    const token = mint.output().trim().split('\n').at(-1)!;
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.room, 'standup');
    assert.equal(claims.role, 'host');
    assert.ok(Math.abs(claims.exp - Date.now() / 1000 - 3600) < 60);

    const r = run({ TOKEN_SECRET: secret, METRICS_TOKEN: 'm', REMOVE_BAN: '60', TRUST_PROXY: '1', RATE_JOINS: '50' });
    children.push(r.child);
    const url = await urlOf(r);
    const s = await connect(url);
    assert.equal((await request(s, 'join', { room: 'standup', protocol: 3 })).error.code, 'token-required');
    const reply = await request(s, 'join', { room: 'standup', protocol: 3, token });
    assert.equal(reply.ok, true);
    assert.equal(reply.name, 'Ada');
    assert.equal(reply.role, 'host');
    assert.equal((await fetch(`${url}/metrics`)).status, 401);
    assert.equal((await fetch(`${url}/metrics`, { headers: { Authorization: 'Bearer m' } })).status, 200);
    r.child.kill('SIGTERM');
    assert.equal(await r.exit, 0);

    // --secret wins; a missing room or a bad role is a usage error.
    await Promise.all(
      (
        [
          [['token', '--room', 'x', '--secret', 'short'], /at least 32 characters/],
          [['token', '--secret', secret], /--room/],
          [['token', '--room', 'x', '--role', 'boss', '--secret', secret], /--role must be one of/],
          [['token', '--room', 'x', '--ttl', 'soon', '--secret', secret], /ttl must be/],
        ] as const
      ).map(async ([args, pattern]) => {
        const bad = run({ TOKEN_SECRET: '' }, [...args]);
        children.push(bad.child);
        assert.notEqual(await bad.exit, 0);
        assert.match(bad.output(), pattern);
      }),
    );
  });

  it('refuses bad settings with a non-zero exit code and a message', T, async () => {
    await Promise.all(
      (
        [
          [{ ROOM_CAPACITY: 'lots' }, [], /ROOM_CAPACITY must be a whole number/],
          [{ TURN_URLS: 'turn:t:1' }, [], /TURN_SECRET/],
          [{}, ['--cert', '/nonexistent.pem'], /certificate and a key/],
          [{ PORT: '99999' }, [], /port must be 0-65535/],
          [{ TOKEN_SECRET: 'too-short' }, [], /at least 32 characters/],
          [{ RATE_MESSAGES: 'many' }, [], /RATE_MESSAGES must be a whole number/],
        ] as const
      ).map(async ([env, args, pattern]) => {
        const r = run(env as Record<string, string>, [...args]);
        children.push(r.child);
        const code = await r.exit;
        assert.match(r.output(), pattern);
        assert.notEqual(code, 0);
      }),
    );
  });
});
