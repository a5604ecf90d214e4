/**
 * Sealed signaling and safety codes, Chromium ↔ Firefox through the real server and the demo page
 * (docs/security.md):
 *  (a) the same `#key=` in both URLs: the call connects, the server relays only ciphertext (no
 *      SDP, no fingerprints, no candidates), and both tiles show the same safety code;
 *  (b) a server that alters what it relays (a flipped byte in every sealed payload), with a key:
 *      nothing reaches the peer connections, and both pages say the attempt was refused;
 *  (c) without a key, a server that swaps the DTLS fingerprints in the SDP: DTLS refuses the
 *      certificates, so the call never connects.
 * The server's socket.io instance is hooked to record every relayed `signal` and to tamper with
 * incoming ones (socket.use middleware), as a malicious server would. The calls are cameras
 * without microphones (`?media=video`): sealing does not depend on the media, and audio on every
 * link costs the two cores as much as the small video.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { e2eFixture } from './helpers/fixture.js';
import { expectDecoding, inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';

type Tamper = 'none' | 'flip-sealed' | 'swap-fingerprint';

/** In the page, before anything runs: record every state of every RTCPeerConnection it makes. */
const RECORD_PC_STATES = `(() => {
  const Original = RTCPeerConnection;
  window.__pcStates = [];
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('connectionstatechange', () => window.__pcStates.push(this.connectionState));
    }
  };
})();`;

const FAKE_FINGERPRINT = Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');

describe('sealed signaling and safety codes (Chromium ↔ Firefox)', () => {
  const e2e = e2eFixture({ firefox: true });
  let tamper: Tamper = 'none';
  /** Every `signal` the server sent to a client (what it relayed), in order. */
  const relayed: { data: Record<string, unknown> }[] = [];

  before(() => {
    e2e.server.server.io.on('connection', (socket) => {
      socket.onAnyOutgoing((event: string, payload: { data: Record<string, unknown> }) => {
        if (event === 'signal') relayed.push(structuredClone(payload));
      });
      // Ahead of the server's own listener (it reads a signal as soon as it arrives), as a server
      // that rewrites what it relays would.
      socket.prependAny((event: string, payload: { data?: Record<string, unknown> } | undefined) => {
        const data = payload?.data;
        if (event === 'signal' && data) {
          if (tamper === 'flip-sealed' && typeof data.sealed === 'string') {
            const bytes = Buffer.from(data.sealed, 'base64url');
            bytes[Math.min(20, bytes.length - 1)]! ^= 0x01;
            data.sealed = bytes.toString('base64url');
          }
          const description = data.description as { sdp?: string } | undefined;
          if (tamper === 'swap-fingerprint' && typeof description?.sdp === 'string') {
            description.sdp = description.sdp.replace(/^a=fingerprint:(\S+) [0-9A-Fa-f:]+/gm, `a=fingerprint:$1 ${FAKE_FINGERPRINT}`);
          }
        }
      });
    });
  });

  async function openBoth(url: string, options: { recordStates?: boolean } = {}): Promise<[Peer, Peer]> {
    // From the start: the pre-join step makes the connection the first offer goes out on.
    const beforeLoad = options.recordStates ? RECORD_PC_STATES : undefined;
    const chromium = await openPeer(e2e.chromium.browser, url, { label: 'chromium', beforeLoad });
    const firefox = await openPeer(e2e.firefox.browser, url, { label: 'firefox', beforeLoad });
    return [chromium, firefox];
  }

  /** Click the remote tile's Verify button and read the words it shows. */
  async function shownSafetyCode(peer: Peer): Promise<string> {
    await peer.click('Verify');
    return waitFor(
      () =>
        inPage<string>(peer.page, `__e2e.deepAll('[part~="safety-code"] li').map((li) => li.textContent.trim()).join(' ')`).then((w) =>
          /^[a-z]+ [a-z]+ [a-z]+ [a-z]+$/.test(w) ? w : undefined,
        ),
      { what: `${peer.label}: the safety code`, timeoutMs: 10_000 },
    );
  }

  it('(a) same key: connects, the server relays only ciphertext, and the safety codes match', { timeout: 120_000 }, async () => {
    tamper = 'none';
    relayed.length = 0;
    const key = randomBytes(16).toString('base64url');
    const [chromium, firefox] = await openBoth(`${e2e.server.url}/?room=${uniqueRoom('sealed')}&media=video#key=${key}`);
    try {
      await chromium.join('Chromium user');
      await firefox.join('Firefox user');
      await Promise.all([
        expectDecoding(chromium, { names: ['Firefox user'], audio: false, timeoutMs: 40_000 }),
        expectDecoding(firefox, { names: ['Chromium user'], audio: false, timeoutMs: 40_000 }),
      ]);
      // The key stayed in the fragment: the server never saw it, and only ciphertext passed.
      assert.ok(relayed.length >= 2, `signals were relayed (${relayed.length})`);
      const wire = JSON.stringify(relayed);
      for (const r of relayed) assert.deepEqual(Object.keys(r.data), ['sealed'], 'only sealed signals');
      // Markers that base64url ciphertext cannot contain by chance ('=', ':', '"'), and the key.
      for (const plain of ['a=fingerprint', 'v=0', 'candidate:', '"sdp"', '"description"', key]) assert.ok(!wire.includes(plain), `no ${plain} on the wire`);
      const [codeC, codeF] = await Promise.all([shownSafetyCode(chromium), shownSafetyCode(firefox)]);
      assert.equal(codeC, codeF, 'both tiles show the same safety code');
      // And it is the code of the live connection, computed from its certificates.
      const fromSession = await inPage<string>(
        chromium.page,
        `(() => { const s = __e2e.room().session; return s.safetyCode(s.participants.get().find((p) => !p.isLocal).id); })()`,
      );
      assert.equal(fromSession, codeC);
      assert.deepEqual(await chromium.messages(), [], 'Chromium shows no error');
      assert.deepEqual(await firefox.messages(), [], 'Firefox shows no error');
      console.log(`[sealed e2e] ${relayed.length} sealed signals relayed; safety code on both sides: "${codeC}"`);
    } finally {
      await Promise.all([chromium.close(), firefox.close()]);
    }
  });

  it('(b) same key, a server that alters sealed signals: refused on both sides, no connection', { timeout: 120_000 }, async () => {
    tamper = 'flip-sealed';
    relayed.length = 0;
    const key = randomBytes(16).toString('base64url');
    const [chromium, firefox] = await openBoth(`${e2e.server.url}/?room=${uniqueRoom('tamper')}&media=video#key=${key}`, { recordStates: true });
    try {
      await chromium.join('Chromium user');
      await firefox.join('Firefox user');
      const refused = (other: string) =>
        `A connection attempt from ${other} was refused: it was not sealed with this room's key (someone without the key, perhaps the server, tried to take part).`;
      for (const [peer, other] of [
        [chromium, 'Firefox user'],
        [firefox, 'Chromium user'],
      ] as const) {
        await waitFor(async () => (await peer.messages()).some((m) => m.includes(refused(other))), {
          what: `${peer.label}: the refused message`,
          timeoutMs: 30_000,
          describe: async () => `messages: ${JSON.stringify(await peer.messages())}`,
        });
      }
      assert.ok(relayed.length >= 2, 'the tampered signals were relayed');
      // Nothing that was refused reached a peer connection: none ever got going.
      for (const peer of [chromium, firefox]) {
        const states = await inPage<string[]>(peer.page, 'window.__pcStates');
        assert.ok(!states.includes('connected') && !states.includes('connecting'), `${peer.label}: no connection attempt (${states})`);
        const snap = await peer.snapshot();
        assert.ok(
          snap.remotes.every((r) => r.pcState !== 'connected'),
          `${peer.label}: not connected`,
        );
      }
    } finally {
      tamper = 'none';
      await Promise.all([chromium.close(), firefox.close()]);
    }
  });

  it('(c) no key, a server that swaps the DTLS fingerprints: DTLS refuses, the call never connects', { timeout: 120_000 }, async () => {
    tamper = 'swap-fingerprint';
    relayed.length = 0;
    const [chromium, firefox] = await openBoth(`${e2e.server.url}/?room=${uniqueRoom('mitm')}&media=video`, { recordStates: true });
    try {
      await chromium.join('Chromium user');
      await firefox.join('Firefox user');
      // ICE gets through (connecting), then the DTLS handshake meets a certificate that does not
      // match the (swapped) fingerprint: the connection fails, on both sides.
      await Promise.all(
        [chromium, firefox].map((peer) =>
          waitFor(async () => (await inPage<string[]>(peer.page, 'window.__pcStates')).includes('failed'), {
            what: `${peer.label}: a peer connection failed`,
            timeoutMs: 45_000,
            describe: async () => `states: ${JSON.stringify(await inPage(peer.page, 'window.__pcStates'))}; snapshot ${JSON.stringify(await peer.snapshot())}`,
          }),
        ),
      );
      for (const peer of [chromium, firefox]) {
        const states = await inPage<string[]>(peer.page, 'window.__pcStates');
        assert.ok(!states.includes('connected'), `${peer.label}: never connected (${states})`);
      }
      assert.ok(
        relayed.some(
          (r) =>
            typeof (r.data.description as { sdp?: string } | undefined)?.sdp === 'string' &&
            (r.data.description as { sdp: string }).sdp.includes(FAKE_FINGERPRINT),
        ),
        'the server relayed SDP with the swapped fingerprint',
      );
    } finally {
      tamper = 'none';
      await Promise.all([chromium.close(), firefox.close()]);
    }
  });

  it('(d) the demo page starts a room with a fresh key in its invite link; a keyless room link stays keyless', { timeout: 60_000 }, async () => {
    const fresh = await openPeer(e2e.chromium.browser, `${e2e.server.url}/`, { label: 'new room' });
    const given = await openPeer(e2e.chromium.browser, `${e2e.server.url}/?room=${uniqueRoom('plain')}`, { label: 'room link' });
    try {
      const read = (p: Peer) =>
        inPage<{ href: string; invite: string; sealed: boolean }>(
          p.page,
          `({ href: location.href, invite: document.getElementById('invite-link').value, sealed: __e2e.room().session.sealed })`,
        );
      const a = await read(fresh);
      assert.match(a.href, /\?room=[^#]+#key=[A-Za-z0-9_-]{22}$/);
      assert.equal(a.invite, a.href, 'the invite link is the address, key included');
      assert.equal(a.sealed, true);
      const b = await read(given);
      assert.ok(!b.href.includes('#'), b.href);
      assert.equal(b.sealed, false);
    } finally {
      await Promise.all([fresh.close(), given.close()]);
    }
  });
});
