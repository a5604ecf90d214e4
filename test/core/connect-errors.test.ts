/**
 * Why a connection to the call server failed (src/core/signaling/connect-errors.ts): the server's
 * origin check read through fetch, mapped to 'no-server', 'server-unreachable' or
 * 'origin-not-allowed', each worded with the URL or origin in every shipped language. The real
 * server's endpoint is asked too (the run's server allows every origin). The same errors through
 * a real page and a refusing server: test/e2e/connect-errors.test.ts.
 */
import { expect } from '@open-wc/testing';
import { RtcError, RtcSession } from '../../src/core/index.js';
import { checkOrigin, connectError, hasOrigin, serverUrl, type ConnectTarget, type OriginCheck } from '../../src/core/signaling/connect-errors.js';
import { en } from '../../src/i18n/en.js';
import { de } from '../../src/i18n/locales/de.js';
import { es } from '../../src/i18n/locales/es.js';
import { ar } from '../../src/i18n/locales/ar.js';
import { signalUrl, uniqueRoom } from '../helpers/signaling.js';

const given: ConnectTarget = { url: 'http://127.0.0.1:8081', origin: 'https://app.example', guessed: false };
const guessed: ConnectTarget = { url: 'https://app.example', origin: 'https://app.example', guessed: true };

/** A fetch that answers with `body` (JSON unless a string) and `status`, or fails like a refused connection. */
function fakeFetch(answer: { status?: number; body?: unknown } | 'refused'): typeof fetch {
  return (async () => {
    if (answer === 'refused') throw new TypeError('Failed to fetch');
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(body, { status: answer.status ?? 200 });
  }) as typeof fetch;
}

describe('connect errors', () => {
  it('maps what the check found to a code that names the fix', () => {
    const cases: [OriginCheck, ConnectTarget, string | undefined, string | undefined][] = [
      [
        { kind: 'unreachable' },
        given,
        'server-unreachable',
        'Could not reach the call server at http://127.0.0.1:8081. Is the server running, and is the port right?',
      ],
      [
        { kind: 'not-ours' },
        given,
        'server-unreachable',
        'Could not reach the call server at http://127.0.0.1:8081. Is the server running, and is the port right?',
      ],
      [
        { kind: 'answer', allowed: false },
        given,
        'origin-not-allowed',
        'The call server at http://127.0.0.1:8081 does not accept calls from this page (https://app.example). Add https://app.example to ALLOWED_ORIGINS on the server.',
      ],
      [
        { kind: 'unreachable' },
        guessed,
        'no-server',
        'No call server was given, and this page’s own address (https://app.example) is not one. Set the "server" attribute of <rtc-room> (or the "server" option of the session) to the call server’s URL.',
      ],
      [{ kind: 'not-ours' }, guessed, 'no-server', undefined],
      // The page's own server refuses it: the list is what to fix, not the attribute.
      [{ kind: 'answer', allowed: false }, guessed, 'origin-not-allowed', undefined],
      // Allowed: the check cannot tell why; the join keeps waiting for socket.io's retries.
      [{ kind: 'answer', allowed: true }, given, undefined, undefined],
    ];
    for (const [check, target, code, message] of cases) {
      const error = connectError(check, target, new Error('websocket error'));
      expect(error?.code, `${JSON.stringify(check)} ${target.guessed ? 'guessed' : 'given'}`).to.equal(code);
      if (message) expect(error!.message).to.equal(message);
      if (error) {
        expect(error.details.url).to.equal(target.url);
        expect(error.details.origin).to.equal(target.origin);
        expect(String(error.details.cause)).to.contain('websocket error');
      }
    }
  });

  it('reads the check endpoint: our answer, another server’s, or none', async () => {
    expect(await checkOrigin('http://x.test', fakeFetch({ body: { service: 'rtc-widgets', allowed: false, origin: 'https://a' } }))).to.deep.equal({
      kind: 'answer',
      allowed: false,
    });
    expect(await checkOrigin('http://x.test', fakeFetch({ body: { service: 'rtc-widgets', allowed: true, origin: null } }))).to.deep.equal({
      kind: 'answer',
      allowed: true,
    });
    // A dev server's single-page fallback, a 404, JSON of another shape, a refused connection.
    expect(await checkOrigin('http://x.test', fakeFetch({ body: '<!doctype html><title>app</title>' }))).to.deep.equal({ kind: 'not-ours' });
    expect(await checkOrigin('http://x.test', fakeFetch({ status: 404, body: 'not found' }))).to.deep.equal({ kind: 'not-ours' });
    expect(await checkOrigin('http://x.test', fakeFetch({ body: { allowed: true } }))).to.deep.equal({ kind: 'not-ours' });
    expect(await checkOrigin('http://x.test', fakeFetch({ body: { service: 'rtc-widgets', allowed: 'yes' } }))).to.deep.equal({ kind: 'not-ours' });
    expect(await checkOrigin('http://x.test', fakeFetch('refused'))).to.deep.equal({ kind: 'unreachable' });
  });

  it('asks the real server, which allows this page', async () => {
    const url = await signalUrl();
    expect(await checkOrigin(url)).to.deep.equal({ kind: 'answer', allowed: true });
    const body = (await (await fetch(new URL('/rtc-origin-check', url))).json()) as Record<string, unknown>;
    expect(body).to.deep.equal({ service: 'rtc-widgets', allowed: true, origin: location.origin });
  });

  it('normalises the server as socket.io does, and knows an opaque origin', () => {
    expect(serverUrl('http://127.0.0.1:8080/')).to.equal('http://127.0.0.1:8080');
    expect(serverUrl('https://call.example.com/socket.io/?x=1')).to.equal('https://call.example.com');
    expect(serverUrl('wss://call.example.com')).to.equal('https://call.example.com');
    expect(serverUrl('localhost:8080', { protocol: 'http:' })).to.equal('http://localhost:8080');
    expect(serverUrl('//call.example.com', { protocol: 'https:' })).to.equal('https://call.example.com');
    expect(hasOrigin('null'), 'a file in Firefox, a sandboxed frame').to.equal(false);
    expect(hasOrigin('file://'), 'a file in Chromium').to.equal(false);
    expect(hasOrigin(undefined)).to.equal(false);
    expect(hasOrigin('http://127.0.0.1:8000')).to.equal(true);
  });

  it('a session with no server, on a page whose origin is no call server, fails fast with no-server', async function () {
    // The test page's origin is web-test-runner's, which has no /rtc-origin-check: that is the
    // mistake of a page served by a dev server with the `server` attribute forgotten.
    this.timeout(20000);
    const session = new RtcSession({ room: uniqueRoom('no-server'), name: 'Ada', media: { audio: false, video: false } });
    const started = performance.now();
    try {
      const err = await session.join().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(RtcError);
      expect((err as RtcError).code).to.equal('no-server');
      expect((err as RtcError).details.url).to.equal(location.origin);
      expect(performance.now() - started, 'failed within 5 s').to.be.below(5000);
    } finally {
      await session.leave();
    }
  });

  it('is worded by code in every language, naming the URL and the origin', () => {
    const errors = [
      connectError({ kind: 'unreachable' }, given)!,
      connectError({ kind: 'answer', allowed: false }, given)!,
      connectError({ kind: 'unreachable' }, guessed)!,
    ];
    expect(errors.map((e) => e.code)).to.deep.equal(['server-unreachable', 'origin-not-allowed', 'no-server']);
    expect(en.error(errors[0]!)).to.equal(errors[0]!.message);
    for (const [lang, t] of Object.entries({ de, es, ar })) {
      const [unreachable, origin, none] = errors.map((e) => t.error(e));
      expect(unreachable, lang).to.contain('http://127.0.0.1:8081').and.not.equal(errors[0]!.message);
      expect(origin, lang).to.contain('https://app.example').and.contain('ALLOWED_ORIGINS');
      expect(none, lang).to.contain('https://app.example').and.contain('server').and.contain('<rtc-room>');
      // Not the generic fallback: each code has its own words.
      expect(new Set([unreachable, origin, none]).size, lang).to.equal(3);
    }
  });
});
