/** Runs the Python example of docs/protocol.md against a real server, so the documentation stays true. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { cleanup, joined, joinedV2, next, offer, record, startServer, until } from './helpers.js';
import { spawnLogged } from '../../test/harness/service.js';

const PYTHON = '/usr/bin/python3'; // Debian's: the pyenv python3 on PATH lacks the packages (harness.md §6)
const DOC = new URL('../../docs/protocol.md', import.meta.url);
const missing =
  spawnSync(PYTHON, ['-c', 'import socketio, aiohttp, cryptography'], { stdio: 'ignore' }).status === 0
    ? false
    : 'python-socketio or cryptography is not installed: apt-get install python3-socketio python3-aiohttp python3-cryptography';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('docs/protocol.md python example', { skip: missing }, () => {
  after(cleanup);

  it('joins with a proved key, receives signals in order, resumes after a drop, sees departures', { timeout: 60_000 }, async () => {
    // The example is the first python block at the start of a line (indented ones are snippets).
    const code = /^```python\n([\s\S]*?)^```/m.exec(readFileSync(DOC, 'utf8'))?.[1];
    assert.ok(code, 'docs/protocol.md has a python block');
    const srv = await startServer();
    // One member speaks protocol 1 (its drop is announced at once), one protocol 2 (it leaves).
    const v1 = await joined(srv.url, 'demo', 'node');
    const v2 = await joinedV2(srv.url, 'demo', 'node2');
    const v1Left = record(v1.socket, 'peer-left');
    // -u: unbuffered, so that the lines arrive while it runs (CI has no PYTHONUNBUFFERED).
    const py = spawnLogged(PYTHON, ['-u', '-c', code.replace('http://localhost:8080', srv.url)]);
    // The output in the message is read when the wait fails, not when it starts.
    const within = async (cond: () => boolean, what: string) => {
      try {
        await until(cond, 15_000, what);
      } catch (e) {
        throw new Error(`${(e as Error).message}; its output:\n${py.output()}`, { cause: e });
      }
    };
    const waitFor = (text: string, what: string) => within(() => py.output().includes(text), what);
    try {
      const peer = await next(v1.socket, 'peer-joined', 15_000);
      assert.equal(peer.name, 'python');
      assert.equal(peer.resumed, undefined);

      // The id is the key's: 22 base64url characters, the first 16 bytes of SHA-256 over the SPKI.
      await waitFor('my id:', 'the join reply');
      const key = /^my key: (\S+)$/m.exec(py.output())?.[1];
      assert.ok(key, `the example prints its key:\n${py.output()}`);
      assert.match(peer.id, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(peer.id, createHash('sha256').update(Buffer.from(key, 'base64url')).digest().subarray(0, 16).toString('base64url'));
      assert.match(py.output(), new RegExp(`my id: ${escape(peer.id)} name: python resumed: False grace: 30`));
      assert.match(py.output(), new RegExp(`peer already here: ${escape(v1.reply.id)} node\\npeer already here: ${escape(v2.reply.id)} node2`));

      // Signals are handled one at a time, in the order sent.
      v1.socket.emit('signal', { to: peer.id, data: offer() });
      v1.socket.emit('signal', { to: peer.id, data: { candidate: null } });
      await waitFor(`signal from ${v1.reply.id} candidate`, 'both signals');
      assert.match(py.output(), new RegExp(`signal from ${escape(v1.reply.id)} description\\nsignal from ${escape(v1.reply.id)} candidate`));

      // Its connection drops (not closed by the server on purpose): it reconnects and resumes under
      // the same id; the others see it come back and no departure.
      const back = next(v1.socket, 'peer-joined', 15_000);
      const pySocket = [...srv.io.sockets.sockets.values()].find((s) => s.data.peerId === peer.id);
      assert.ok(pySocket, 'the python client is connected to this server');
      pySocket.conn.close();
      assert.deepEqual(await back, { id: peer.id, name: 'python', resumed: true });
      await waitFor('resumed: True', 'the resumed join');
      assert.match(py.output(), new RegExp(`my id: ${escape(peer.id)} name: python resumed: True grace: 30`));
      assert.deepEqual(v1Left, []);

      // Departures: a protocol-1 member's drop at once, a protocol-2 member's leave at once.
      v1.socket.disconnect();
      await waitFor('left:', 'the first departure');
      v2.socket.emit('leave');
      await within(() => (py.output().match(/^left:/gm) ?? []).length >= 2, 'the second departure');
      assert.match(py.output(), new RegExp(`left: ${escape(v1.reply.id)} disconnected\\nleft: ${escape(v2.reply.id)} left`));
      assert.doesNotMatch(py.output(), /Traceback|server error|join failed/);
    } finally {
      py.child.kill('SIGTERM');
      await py.exit;
    }
  });
});
