import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { cleanup, connect, request, sleep } from './helpers.js';
import { spawnLogged, type Spawned } from '../../test/harness/service.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = 'server/src/cli.ts';
const T = { timeout: 30_000 };

function run(env: Record<string, string>, args: string[] = []): Spawned {
  return spawnLogged(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env } });
}

async function urlOf(r: Spawned, ms = 15_000): Promise<string> {
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

  it('refuses bad settings with a non-zero exit code and a message', T, async () => {
    for (const [env, args, pattern] of [
      [{ ROOM_CAPACITY: 'lots' }, [], /ROOM_CAPACITY must be a whole number/],
      [{ TURN_URLS: 'turn:t:1' }, [], /TURN_SECRET/],
      [{}, ['--cert', '/nonexistent.pem'], /certificate and a key/],
      [{ PORT: '99999' }, [], /port must be 0-65535/],
    ] as const) {
      const r = run(env as Record<string, string>, [...args]);
      children.push(r.child);
      const code = await r.exit;
      assert.match(r.output(), pattern);
      assert.notEqual(code, 0);
    }
  });
});
