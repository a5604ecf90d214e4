/**
 * createSignalServer attached to an app's own http.Server (the package's main entry): socket.io
 * rooms work on the app's port, and the app's routes and websocket upgrades stay the app's.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createSignalServer, type SignalServer } from '../src/index.js';
import { cleanup, joined, next } from './helpers.js';

const T = { timeout: 20_000 };

/** A plain app: GET /hello, and its own websocket-style upgrade at /app-ws that answers late. */
function app(): http.Server {
  const server = http.createServer((req, res) => {
    if (req.url === '/hello') return void res.end('hello from the app');
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('app 404');
  });
  server.on('upgrade', (req, socket: Socket) => {
    if (req.url !== '/app-ws') return;
    // Later than engine.io's 1 s for upgrades nobody handles: it must leave this one alone.
    setTimeout(() => socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: app\r\nConnection: Upgrade\r\n\r\n'), 1500);
  });
  return server;
}

const listen = (server: http.Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

/** The status line an upgrade request to `path` gets. */
function upgrade(base: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { headers: { Connection: 'Upgrade', Upgrade: 'app' } });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(`${res.statusCode}`);
    });
    req.on('response', (res) => resolve(`${res.statusCode}`));
    req.on('error', reject);
    req.end();
  });
}

describe('embedded in an app’s http.Server', () => {
  const servers: http.Server[] = [];
  const signals: SignalServer[] = [];
  afterEach(async () => {
    await cleanup();
    await Promise.all(signals.splice(0).map((s) => s.close()));
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('serves rooms on the app’s port; the app’s routes and upgrades still answer; close() leaves the app running', T, async () => {
    const server = app();
    servers.push(server);
    const signal = await createSignalServer({ httpServer: server, allowedOrigins: ['https://app.example'], log: () => {} });
    signals.push(signal);
    assert.equal(signal.url, '', 'no URL before the app listens');
    const base = await listen(server);
    assert.equal(signal.url, base);
    assert.equal(signal.httpServer, server);

    const a = await joined(base, 'embedded', 'Ann');
    const seen = next(a.socket, 'peer-joined');
    const b = await joined(base, 'embedded', 'Bob');
    assert.deepEqual(b.reply.peers, [{ id: a.socket.id, name: 'Ann' }]);
    assert.equal((await seen).name, 'Bob');

    const hello = await fetch(`${base}/hello`);
    assert.equal(hello.status, 200);
    assert.equal(await hello.text(), 'hello from the app');
    // A page the server refuses can still learn why (the client's "origin not allowed" message).
    const check = await fetch(`${base}/rtc-origin-check`, { headers: { Origin: 'https://elsewhere.example' } });
    assert.deepEqual(await check.json(), { service: 'rtc-widgets', allowed: false, origin: 'https://elsewhere.example' });
    // Only /socket.io/ and the origin check are the signal server's: the rest (its own /healthz and / included) is the app's.
    for (const path of ['/healthz', '/', '/rtc-widgets.js']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(await res.text(), 'app 404', path);
    }
    assert.equal(await upgrade(base, '/app-ws'), '101');

    const gone = next(a.socket, 'disconnect', 5000);
    await signal.close();
    await gone;
    assert.equal(server.listening, true, 'the app’s server is the app’s to close');
    assert.equal(await (await fetch(`${base}/hello`)).text(), 'hello from the app');
  });

  it('refuses the options that belong to a server it would create', T, async () => {
    const server = app();
    servers.push(server);
    await assert.rejects(createSignalServer({ httpServer: server, port: 0 }), /httpServer: port would be ignored/);
    await assert.rejects(createSignalServer({ httpServer: server, staticDir: '/tmp', metrics: true }), /staticDir, metrics/);
  });
});
