import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { cleanup, connect, joined, request, startServer } from './helpers.js';

const T = { timeout: 15_000 };

describe('http', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rtc-widgets-http-'));
    mkdirSync(join(dir, 'demo', 'empty-dir'), { recursive: true });
    writeFileSync(join(dir, 'demo', 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(dir, 'demo', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'demo', '.secret'), 'no');
    writeFileSync(join(dir, 'outside.txt'), 'no');
    mkdirSync(join(dir, 'cdn'));
    writeFileSync(join(dir, 'cdn', 'rtc-widgets.js'), 'export const x = 1;\n//# sourceMappingURL=rtc-widgets.js.map\n');
    writeFileSync(join(dir, 'cdn', 'rtc-widgets.js.map'), '{"version":3}');
    writeFileSync(join(dir, 'cdn', 'other.js'), 'no');
    mkdirSync(join(dir, 'cdn', 'rtc-widgets-chunks'));
    writeFileSync(join(dir, 'cdn', 'rtc-widgets-chunks', 'chat-AbC123.js'), 'export const chat = 1;\n');
    writeFileSync(join(dir, 'cdn', 'rtc-widgets-chunks', '.hidden.js'), 'no');
  });
  afterEach(cleanup);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the demo at /, the bundle and its map, healthz; 404 for the rest; no listings', T, async () => {
    const srv = await startServer({ staticDir: join(dir, 'demo'), bundleFile: join(dir, 'cdn', 'rtc-widgets.js') });
    const get = (path: string, init?: RequestInit) => fetch(`${srv.url}${path}`, init);

    const index = await get('/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await index.text(), /<title>demo/);
    assert.equal((await get('/index.html')).status, 200);
    assert.equal((await get('/app.js?v=1')).status, 200);

    const bundle = await get('/rtc-widgets.js');
    // Pages of other origins load the bundle with <script type="module">, a CORS fetch.
    assert.equal(bundle.headers.get('access-control-allow-origin'), '*');
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await bundle.text(), /export const x/);
    const etag = bundle.headers.get('etag')!;
    assert.equal((await get('/rtc-widgets.js', { headers: { 'If-None-Match': etag } })).status, 304);
    const map = await get('/rtc-widgets.js.map');
    assert.equal(map.status, 200);
    assert.deepEqual(await map.json(), { version: 3 });
    const head = await get('/rtc-widgets.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(readFileSync(join(dir, 'cdn', 'rtc-widgets.js')).length));

    // The chunks the bundle imports on first use: CORS like the bundle, cached for good (their names carry a hash).
    const chunk = await get('/rtc-widgets-chunks/chat-AbC123.js');
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers.get('access-control-allow-origin'), '*');
    assert.match(chunk.headers.get('content-type') ?? '', /javascript/);
    assert.match(chunk.headers.get('cache-control') ?? '', /immutable/);
    assert.match(await chunk.text(), /export const chat/);

    for (const path of [
      '/rtc-widgets-chunks/nope.js',
      '/rtc-widgets-chunks/.hidden.js',
      '/rtc-widgets-chunks/../other.js',
      '/rtc-widgets-chunks/%2e%2e/other.js',
      '/rtc-widgets-chunks/',
      '/nope',
      '/empty-dir/',
      '/empty-dir',
      '/.secret',
      '/other.js',
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/cdn/other.js',
    ]) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
    const post = await get('/healthz', { method: 'POST' });
    assert.equal(post.status, 405);
    const health = await get('/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('cache-control'), 'no-store');
  });

  it('without staticDir/bundleFile, / says it is the signaling server only; a missing bundle is a 404 with a hint', T, async () => {
    const bare = await startServer();
    const about = await fetch(`${bare.url}/`);
    assert.equal(about.status, 200);
    assert.match(await about.text(), /^rtc-widgets signaling server only \(no demo page\)/);
    assert.equal((await fetch(`${bare.url}/index.html`)).status, 404);
    assert.equal((await fetch(`${bare.url}/rtc-widgets.js`)).status, 404);
    // serveClient is off: the client ships in the bundle (engine.io answers this path with 400).
    assert.notEqual((await fetch(`${bare.url}/socket.io/socket.io.js`)).status, 200);
    const unbuilt = await startServer({ bundleFile: join(dir, 'missing', 'rtc-widgets.js'), staticDir: join(dir, 'no-such-dir') });
    const res = await fetch(`${unbuilt.url}/rtc-widgets.js`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /npm run build/);
  });

  it('serves the documentation site at /docs/ (redirecting /docs), beside the demo; a missing site is a 404 with a hint', T, async () => {
    mkdirSync(join(dir, 'site', 'elements'), { recursive: true });
    writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><title>docs</title>');
    writeFileSync(join(dir, 'site', 'elements', 'rtc-room.html'), '<!doctype html><title>rtc-room</title>');
    writeFileSync(join(dir, 'site', '.hidden'), 'no');
    const srv = await startServer({ staticDir: join(dir, 'demo'), docsDir: join(dir, 'site') });
    const get = (path: string) => fetch(`${srv.url}${path}`, { redirect: 'manual' });
    const moved = await get('/docs');
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.get('location'), '/docs/');
    const index = await get('/docs/');
    assert.equal(index.status, 200);
    assert.match(await index.text(), /<title>docs/);
    const page = await get('/docs/elements/rtc-room.html?x=1');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /<title>rtc-room/);
    assert.match(await (await get('/')).text(), /<title>demo/, 'the demo stays at /');
    for (const path of ['/docs/nope.html', '/docs/.hidden', '/docs/../outside.txt', '/docs/%2e%2e/outside.txt', '/docs/elements/']) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
    const unbuilt = await startServer({ docsDir: join(dir, 'no-such-site') });
    const res = await fetch(`${unbuilt.url}/docs/`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /npm run build/);
  });

  it('allowedOrigins refuses a foreign Origin at the handshake, admits listed origins and native clients', T, async () => {
    const srv = await startServer({ allowedOrigins: ['https://app.example'] });
    await assert.rejects(connect(srv.url, { extraHeaders: { Origin: 'https://evil.example' } }));
    await assert.rejects(connect(srv.url, { transports: ['polling'], extraHeaders: { Origin: 'https://evil.example' } }));
    const good = await connect(srv.url, { extraHeaders: { Origin: 'https://app.example' } });
    assert.equal((await request(good, 'join', { room: 'o' })).ok, true);
    await connect(srv.url); // no Origin header: not a browser
    // The polling handshake's CORS headers follow the list.
    const res = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: 'https://app.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
    await res.body?.cancel();
    // '*' (the default) admits anyone.
    const open = await startServer();
    await connect(open.url, { extraHeaders: { Origin: 'https://evil.example' } });
  });

  it('a port in use rejects createSignalServer instead of hanging', T, async () => {
    const first = await startServer();
    const port = Number(new URL(first.url).port);
    await assert.rejects(startServer({ port }), /EADDRINUSE/);
    assert.equal((await fetch(`${first.url}/healthz`)).status, 200);
  });

  it('serves HTTPS and wss with tls', T, async (t) => {
    if (!existsSync('/usr/bin/openssl')) return t.skip('openssl is not installed');
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const srv = await startServer({ tls: { cert: readFileSync(cert), key: readFileSync(key, 'utf8') } });
    assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(cert, 'utf8');
    const body = await new Promise<string>((resolve, reject) => {
      httpsRequest(`${srv.url}/healthz`, { ca }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    assert.deepEqual(JSON.parse(body), { ok: true, rooms: 0, sockets: 0 });
    const a = await joined(srv.url, 'secure', 'A', { ca });
    assert.equal(a.reply.ok, true);
  });
});
