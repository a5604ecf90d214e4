/**
 * The built `rtc-widgets-server` bin (server/dist/cli.js, what the package's bin runs; `npm run
 * build` first, as `npm test` does) serves what its startup line announces: the demo page at /
 * and the browser bundle of the rtc-widgets package it depends on.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { spawnLogged, type Spawned } from '../../test/harness/service.js';
import { waitFor } from '../../test/helpers/wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'server', 'dist', 'cli.js');
const T = { timeout: 90_000 };

describe('built bin', () => {
  const running: Spawned[] = [];
  after(async () => {
    for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  });

  it('announces the demo on its URL, and serves the demo page and the bundle there', T, async () => {
    assert.ok(existsSync(BIN), `${BIN} is missing: run \`npm run build\` before this test (npm test does)`);
    // A cwd outside the repo, as after `npm i rtc-widgets-server`: nothing is found relative to it.
    const r = spawnLogged(process.execPath, [BIN], { cwd: '/', env: { ...process.env, HOST: '127.0.0.1', PORT: '0' } });
    running.push(r);
    let url = '';
    await waitFor(
      () => {
        if (r.child.exitCode !== null) throw new Error(`the bin exited:\n${r.output()}`);
        url = /^rtc-widgets signaling \+ demo on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(r.output())?.[1] ?? '';
        return url !== '';
      },
      'the startup line',
      60_000, // a Node start, which took over 20 s with a browser suite beside it on two cores
    );
    assert.doesNotMatch(r.output(), /no .*rtc-widgets\.js/, 'the bundle was found');

    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /<title>rtc-widgets demo<\/title>/);
    assert.match(html, /src="\/rtc-widgets\.js"/);

    const bundle = await fetch(`${url}/rtc-widgets.js`);
    assert.equal(bundle.status, 200);
    assert.equal(await bundle.text(), readFileSync(join(ROOT, 'dist', 'cdn', 'rtc-widgets.js'), 'utf8'));

    r.child.kill('SIGTERM');
    assert.equal(await r.exit, 0);
  });
});
