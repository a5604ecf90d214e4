/**
 * A connection made before joining (a client's pre-join step, docs/protocol.md §2): it may ask
 * for ICE servers, it is nobody's peer until it joins, and its join then works as any other.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { cleanup, connectV2, joinedV2, newIdentity, record, request, roundTrip, sleep, startServer } from './helpers.js';

const T = { timeout: 20_000 };

describe('before join', () => {
  afterEach(cleanup);

  it('ice-servers is answered with TURN credentials for the connection, and the connection is no member', T, async () => {
    const secret = 'pre-join-secret';
    const srv = await startServer({ turn: { urls: ['turn:turn.example:3478'], secret, ttlSeconds: 600 } });
    const bob = await joinedV2(srv.url, 'early', 'Bob');
    const joins = record(bob.socket, 'peer-joined');
    const leaves = record(bob.socket, 'peer-left');

    const ada = await connectV2(srv.url);
    const reply = await request(ada.socket, 'ice-servers');
    assert.equal(reply.ok, true);
    const turn = reply.iceServers.find((s: { username?: string }) => s.username);
    const [expiry, user] = turn.username.split(':');
    assert.equal(user, ada.socket.id, 'not joined yet: the connection id stands for the peer id');
    assert.ok(Number(expiry) > Date.now() / 1000 + 590);
    assert.equal(turn.credential, createHmac('sha1', secret).update(turn.username).digest('base64'));

    // A newcomer's join reply lists Bob only, and Bob heard of nobody.
    const cleo = await joinedV2(srv.url, 'early', 'Cleo');
    assert.deepEqual(
      cleo.reply.peers.map((p: { name: string }) => p.name),
      ['Bob'],
    );
    await roundTrip(bob.socket);
    assert.deepEqual(
      joins.map((p) => p.name),
      ['Cleo'],
    );

    // It goes away without joining: nobody is told.
    ada.socket.disconnect();
    await sleep(200); // what must not happen gets its chance
    await roundTrip(bob.socket);
    assert.deepEqual(leaves, []);
  });

  it('a join signed in advance on the same connection (the challenge of its welcome) is accepted', T, async () => {
    const srv = await startServer();
    const bob = await joinedV2(srv.url, 'signed', 'Bob');
    const joins = record(bob.socket, 'peer-joined');
    const ada = await connectV2(srv.url);
    const me = await newIdentity();
    const proof = await me.prove(ada.challenge, 'signed');
    await request(ada.socket, 'ice-servers');
    await sleep(100); // the pre-join step lasts a while
    const reply = await request(ada.socket, 'join', { room: 'signed', name: 'Ada', protocol: 3, key: me.key, proof });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.equal(reply.id, me.id);
    assert.deepEqual(
      reply.peers.map((p: { name: string }) => p.name),
      ['Bob'],
    );
    await roundTrip(bob.socket);
    assert.deepEqual(
      joins.map((p) => p.id),
      [me.id],
    );
  });
});
