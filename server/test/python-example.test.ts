/** Runs the Python example of docs/protocol.md against a real server, so the documentation stays true. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { cleanup, joined, next, offer, startServer } from './helpers.js';

const PYTHON = '/usr/bin/python3'; // Debian's: the pyenv python3 on PATH lacks the packages (harness.md §6)
const DOC = new URL('../../docs/protocol.md', import.meta.url);
const missing =
  spawnSync(PYTHON, ['-c', 'import socketio, aiohttp'], { stdio: 'ignore' }).status === 0
    ? false
    : 'python-socketio is not installed: apt-get install python3-socketio python3-aiohttp';

describe('docs/protocol.md python example', { skip: missing }, () => {
  after(cleanup);

  it('joins, lists the member already there, receives its signals and its departure', { timeout: 30_000 }, async () => {
    const code = /```python\n([\s\S]*?)```/.exec(readFileSync(DOC, 'utf8'))?.[1];
    assert.ok(code, 'docs/protocol.md has a python block');
    const srv = await startServer();
    const member = await joined(srv.url, 'demo', 'node');
    const py = spawn(PYTHON, ['-c', code.replace('http://localhost:8080', srv.url)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    py.stdout.on('data', (d) => (out += d));
    py.stderr.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => py.once('exit', resolve));
    try {
      const peer = await next(member.socket, 'peer-joined', 15_000);
      assert.equal(peer.name, 'python');
      member.socket.emit('signal', { to: peer.id, data: offer() });
      member.socket.emit('signal', { to: peer.id, data: { candidate: null } });
      await new Promise((r) => setTimeout(r, 500));
      member.socket.disconnect();
      const deadline = Date.now() + 5000;
      while (!out.includes('left:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, new RegExp(`my id: ${peer.id}`));
      assert.match(out, new RegExp(`peer already here: ${member.reply.id} node`));
      assert.match(out, new RegExp(`signal from ${member.reply.id} description\\nsignal from ${member.reply.id} candidate`));
      assert.match(out, new RegExp(`left: ${member.reply.id} disconnected`));
    } finally {
      py.kill('SIGTERM');
      await exited;
    }
  });
});
