import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, afterEach, describe, it } from 'node:test';
import { startCoturn, type Coturn } from '../../test/harness/coturn.js';
import { iceServersFor } from '../src/turn-credentials.js';
import { cleanup, joined, request, startServer } from './helpers.js';
import { turnAllocate } from './turn-client.js';

const T = { timeout: 20_000 };
const turnserver = ['/usr/bin/turnserver', '/usr/local/bin/turnserver'].find((p) => existsSync(p));

describe('ICE servers and TURN credentials', () => {
  afterEach(cleanup);

  it('join and ice-servers hand out STUN urls and TURN REST credentials that verify and expire in the future', T, async () => {
    const secret = 's3cret';
    const srv = await startServer({
      stunUrls: ['stun:stun.example:3478'],
      turn: { urls: ['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349'], secret, ttlSeconds: 600 },
    });
    const a = await joined(srv.url, 'ice');
    const check = (reply: { iceServers: { urls: unknown; username?: string; credential?: string }[]; iceServersTtl: number }) => {
      const [stun, turn] = reply.iceServers;
      assert.deepEqual(stun, { urls: ['stun:stun.example:3478'] });
      assert.deepEqual(turn.urls, ['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349']);
      assert.equal(reply.iceServersTtl, 600);
      const [expiry, user] = turn.username!.split(':');
      assert.equal(user, a.reply.id);
      const now = Date.now() / 1000;
      assert.ok(Number(expiry) > now + 590 && Number(expiry) <= now + 601, `expiry ${expiry}`);
      assert.equal(turn.credential, createHmac('sha1', secret).update(turn.username!).digest('base64'));
      return turn;
    };
    check(a.reply);
    const fresh = await request(a.socket, 'ice-servers');
    assert.equal(fresh.ok, true);
    check(fresh);
  });

  it('without TURN there are no credentials and the TTL is 0', T, async () => {
    assert.deepEqual(iceServersFor({ stunUrls: [] }, 'id'), { iceServers: [], iceServersTtl: 0 });
    const srv = await startServer({ stunUrls: ['stun:a:1', 'stun:b:2'] });
    const a = await joined(srv.url, 'ice');
    assert.deepEqual(a.reply.iceServers, [{ urls: ['stun:a:1', 'stun:b:2'] }]);
    assert.equal(a.reply.iceServersTtl, 0);
  });

  describe('against a real coturn', { skip: turnserver ? false : 'turnserver (coturn) is not installed: apt-get install coturn' }, () => {
    let coturn: Coturn;
    after(async () => {
      await cleanup();
      await coturn?.stop();
    });

    it('coturn accepts the minted credentials (Allocate succeeds) and refuses a wrong secret or an expired one (401)', T, async () => {
      coturn = await startCoturn({ binary: turnserver });
      const srv = await startServer({ turn: { urls: coturn.urls, secret: coturn.secret } });
      const a = await joined(srv.url, 'relay');
      const turn = a.reply.iceServers.find((s: { username?: string }) => s.username);
      assert.ok(turn, 'join reply carries TURN credentials');
      assert.deepEqual(turn.urls, coturn.urls);
      const target = { host: '127.0.0.1', port: coturn.port };

      const ok = await turnAllocate({ ...target, username: turn.username, password: turn.credential });
      assert.ok(ok.ok, `allocate failed: ${JSON.stringify(ok)}\n${coturn.output().slice(-2000)}`);
      assert.equal(ok.relayed.address, '127.0.0.1');
      assert.ok(ok.relayed.port >= 50000 && ok.relayed.port < 60000, `relay port ${ok.relayed.port}`);
      assert.ok(ok.integrityValid, 'coturn signed its answer with the same key');

      // Refreshed credentials (before an ICE restart) work too.
      const fresh = (await request(a.socket, 'ice-servers')).iceServers.find((s: { username?: string }) => s.username);
      assert.equal((await turnAllocate({ ...target, username: fresh.username, password: fresh.credential })).ok, true);

      // Same scheme, wrong secret → 401.
      const other = await startServer({ turn: { urls: coturn.urls, secret: 'not-the-secret' } });
      const b = await joined(other.url, 'relay');
      const wrong = b.reply.iceServers.find((s: { username?: string }) => s.username);
      const refused = await turnAllocate({ ...target, username: wrong.username, password: wrong.credential });
      assert.deepEqual([refused.ok, !refused.ok && refused.code], [false, 401]);

      // Right secret, expiry in the past → 401.
      const stale = iceServersFor({ stunUrls: [], turn: { urls: coturn.urls, secret: coturn.secret, ttlSeconds: 60 } }, 'late', Date.now() - 3_600_000)
        .iceServers[0];
      const expired = await turnAllocate({ ...target, username: stale.username!, password: stale.credential! });
      assert.deepEqual([expired.ok, !expired.ok && expired.code], [false, 401]);
    });
  });
});
