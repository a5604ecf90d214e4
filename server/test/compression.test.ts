/** Static files go out brotli- or gzip-compressed when Accept-Encoding allows (server/src/compress.ts). */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, afterEach, before, describe, it } from 'node:test';
import { pickEncoding } from '../src/compress.js';
import { cleanup, startServer } from './helpers.js';

const T = { timeout: 20_000 };

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request: unlike fetch, nothing is added to the headers and the body is not decoded. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('compressed static responses', () => {
  let dir: string;
  let bundle: Buffer;
  let chunk: Buffer;
  let page: Buffer;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rtc-widgets-compress-'));
    // Real code as the payload: this server's own sources, about 100 KB of text.
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    bundle = Buffer.concat(readdirSync(src).map((f) => readFileSync(join(src, f))));
    chunk = readFileSync(join(src, 'signal-server.ts'));
    page = Buffer.from(`<!doctype html><title>demo</title>\n${'<p>a demo paragraph with some words in it</p>\n'.repeat(60)}`);
    mkdirSync(join(dir, 'cdn', 'rtc-widgets-chunks'), { recursive: true });
    mkdirSync(join(dir, 'demo'));
    writeFileSync(join(dir, 'cdn', 'rtc-widgets.js'), bundle);
    writeFileSync(join(dir, 'cdn', 'rtc-widgets.js.map'), '{"version":3}');
    writeFileSync(join(dir, 'cdn', 'rtc-widgets-chunks', 'room-call-AbC123.js'), chunk);
    writeFileSync(join(dir, 'demo', 'index.html'), page);
  });
  afterEach(cleanup);
  after(() => rmSync(dir, { recursive: true, force: true }));

  const start = () => startServer({ staticDir: join(dir, 'demo'), bundleFile: join(dir, 'cdn', 'rtc-widgets.js') });

  it('sends the bundle brotli-compressed to `Accept-Encoding: br, gzip`, as it is without; the same bytes either way', T, async () => {
    const srv = await start();
    const plain = await get(`${srv.url}/rtc-widgets.js`);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.deepEqual(plain.body, bundle);

    const br = await get(`${srv.url}/rtc-widgets.js`, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(br.headers['access-control-allow-origin'], '*');
    assert.match(br.headers['content-type'] ?? '', /^text\/javascript/);
    assert.equal(Number(br.headers['content-length']), br.body.length);
    console.log(`bundle: ${bundle.length} bytes, br ${br.body.length}`);
    assert.ok(br.body.length < bundle.length / 3, `br ${br.body.length} bytes of ${bundle.length}`);
    assert.deepEqual(brotliDecompressSync(br.body), bundle);

    const gz = await get(`${srv.url}/rtc-widgets.js`, { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gz.body.length < bundle.length / 3, `gzip ${gz.body.length} bytes of ${bundle.length}`);
    assert.deepEqual(gunzipSync(gz.body), bundle);

    // Each encoding has its own ETag; revalidation answers 304 only for the one the client holds.
    const tags = new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]);
    assert.equal(tags.size, 3);
    const again = await get(`${srv.url}/rtc-widgets.js`, { 'Accept-Encoding': 'br, gzip', 'If-None-Match': br.headers.etag! });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal((await get(`${srv.url}/rtc-widgets.js`, { 'If-None-Match': br.headers.etag! })).status, 200);
    assert.equal((await get(`${srv.url}/rtc-widgets.js`, { 'If-None-Match': plain.headers.etag! })).status, 304);

    const head = await get(`${srv.url}/rtc-widgets.js`, { 'Accept-Encoding': 'br' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(br.body.length));
    assert.equal(head.body.length, 0);
  });

  it('compresses the chunks and the demo pages too; leaves tiny files alone', T, async () => {
    const srv = await start();
    const c = await get(`${srv.url}/rtc-widgets-chunks/room-call-AbC123.js`, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    assert.equal(c.status, 200);
    assert.equal(c.headers['content-encoding'], 'br');
    assert.match(c.headers['cache-control'] ?? '', /immutable/);
    assert.equal(c.headers['access-control-allow-origin'], '*');
    assert.deepEqual(brotliDecompressSync(c.body), chunk);

    const p = await get(`${srv.url}/`, { 'Accept-Encoding': 'gzip' });
    assert.equal(p.headers['content-encoding'], 'gzip');
    assert.match(p.headers['content-type'] ?? '', /^text\/html/);
    assert.deepEqual(gunzipSync(p.body), page);

    const map = await get(`${srv.url}/rtc-widgets.js.map`, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(map.headers['content-encoding'], undefined);
    assert.equal(map.body.toString(), '{"version":3}');
  });

  it('reads Accept-Encoding with its q-values', () => {
    assert.equal(pickEncoding(undefined), undefined);
    assert.equal(pickEncoding(''), undefined);
    assert.equal(pickEncoding('identity'), undefined);
    assert.equal(pickEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(pickEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(pickEncoding('gzip;q=0.5'), 'gzip');
    assert.equal(pickEncoding('GZIP'), 'gzip');
    assert.equal(pickEncoding('*'), 'br');
    assert.equal(pickEncoding('*, br;q=0'), 'gzip');
    assert.equal(pickEncoding('*;q=0'), undefined);
    assert.equal(pickEncoding('br;q=abc'), undefined);
    assert.equal(pickEncoding(`${'x, '.repeat(200)}br`), undefined, 'an overlong header is ignored');
  });
});
