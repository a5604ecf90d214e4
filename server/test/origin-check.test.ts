/** GET /rtc-origin-check (docs/protocol.md §1, Origin check): the handshake's verdict on an Origin, readable by any page. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, connect, startServer } from './helpers.js';

const T = { timeout: 15_000 };

describe('origin check', () => {
  afterEach(cleanup);

  it('says whether the asking Origin may connect, exactly as the handshake decides', T, async () => {
    const srv = await startServer({ allowedOrigins: ['https://app.example'] });
    const check = (headers: Record<string, string> = {}) => fetch(`${srv.url}/rtc-origin-check`, { headers });

    const refused = await check({ Origin: 'https://evil.example' });
    assert.equal(refused.status, 200);
    // CORS-open (the refused page must read it), never cached, JSON.
    assert.equal(refused.headers.get('access-control-allow-origin'), '*');
    assert.equal(refused.headers.get('cache-control'), 'no-store');
    assert.match(refused.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await refused.json(), { service: 'rtc-widgets', allowed: false, origin: 'https://evil.example' });
    await assert.rejects(connect(srv.url, { extraHeaders: { Origin: 'https://evil.example' } }), 'the handshake agrees');

    assert.deepEqual(await (await check({ Origin: 'https://app.example' })).json(), { service: 'rtc-widgets', allowed: true, origin: 'https://app.example' });
    await connect(srv.url, { extraHeaders: { Origin: 'https://app.example' } });
    // No Origin: not a browser, admitted like at the handshake.
    assert.deepEqual(await (await check()).json(), { service: 'rtc-widgets', allowed: true, origin: null });
    // An absurdly long Origin is not echoed (and matches nothing).
    const long = `https://${'a'.repeat(600)}.example`;
    assert.deepEqual(await (await check({ Origin: long })).json(), { service: 'rtc-widgets', allowed: false, origin: null });

    // HEAD: headers only; other methods and paths fall through to the usual handler.
    const head = await fetch(`${srv.url}/rtc-origin-check`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(`${srv.url}/rtc-origin-check`, { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${srv.url}/rtc-origin-check/x`)).status, 404);
    assert.equal((await fetch(`${srv.url}/rtc-origin-check?x=1`)).status, 200);
  });

  it("allows every Origin on a server without a list ('*', the default)", T, async () => {
    const srv = await startServer();
    assert.deepEqual(await (await fetch(`${srv.url}/rtc-origin-check`, { headers: { Origin: 'https://any.example' } })).json(), {
      service: 'rtc-widgets',
      allowed: true,
      origin: 'https://any.example',
    });
  });
});
