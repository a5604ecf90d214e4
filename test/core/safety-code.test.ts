import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/define-all.js';
import type { RtcVideoTile } from '../../src/index.js';
import { LoopbackHub, cleanupSessions, connectedPeers, deep, makeSession } from '../components/helpers.js';
import {
  SAFETY_WORDS,
  dtlsFingerprints,
  normalizeFingerprint,
  safetyCode,
  safetyCodeOf,
  safetyWords,
  sdpFingerprint,
} from '../../src/core/security/safety-code.js';
import { waitFor } from '../helpers/wait.js';

const A = 'sha-256 C8:0B:30:E8:34:62:5B:D3:10:48:5A:92:9C:9A:F9:7E:AC:7E:DF:91:E5:4A:16:0E:9C:9A:D6:36:3E:8A:AC:58';
const B = 'sha-256 1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0';
const M = 'sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF';

/** Two connected RTCPeerConnections in this page, candidates handed over directly. */
async function connectedPair(): Promise<[RTCPeerConnection, RTCPeerConnection]> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate?.candidate && void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate?.candidate && void a.addIceCandidate(e.candidate);
  a.createDataChannel('x');
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  await waitFor(() => a.connectionState === 'connected' && b.connectionState === 'connected', 'connected', 20000);
  return [a, b];
}

describe('safety codes', function () {
  this.timeout(40000);

  it('has 256 distinct short plain words', () => {
    expect(SAFETY_WORDS).to.have.length(256);
    expect(new Set(SAFETY_WORDS).size).to.equal(256);
    for (const w of SAFETY_WORDS) expect(w).to.match(/^[a-z]{3,8}$/);
  });

  it('has a stable format: 4 words, the same for either order, pinned for a known input', async () => {
    const words = await safetyWords(A, B);
    expect(words).to.have.length(4);
    expect(await safetyCodeOf(B, A)).to.equal(words.join(' '));
    // Pinned: SHA-256("sha-256 1F:…\nsha-256 C8:…") — changing the list or the hashing breaks
    // compatibility with every other client, on purpose caught here.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${B}\n${A}`)));
    expect(words).to.deep.equal([...digest.subarray(0, 4)].map((b) => SAFETY_WORDS[b]));
    expect(await safetyCodeOf(A, B)).to.equal(PINNED);
  });

  it('differs when either fingerprint differs (a man in the middle with his own certificate)', async () => {
    const real = await safetyCodeOf(A, B);
    // Each end of an intercepted call sees the attacker's certificate instead of the other's.
    expect(await safetyCodeOf(A, M)).not.to.equal(real);
    expect(await safetyCodeOf(M, B)).not.to.equal(real);
    expect(await safetyCodeOf(A, M)).not.to.equal(await safetyCodeOf(M, B));
  });

  it('normalizes fingerprints and reads them from SDP', () => {
    expect(normalizeFingerprint('SHA-256', 'ab:cd')).to.equal('sha-256 AB:CD');
    expect(sdpFingerprint('v=0\r\na=fingerprint:sha-256 ab:cd:EF\r\na=setup:actpass\r\n')).to.equal('sha-256 AB:CD:EF');
    expect(sdpFingerprint('v=0\r\n')).to.equal(null);
  });

  it('gives the same code on both ends of a real connection, and none before it is up', async () => {
    const a0 = new RTCPeerConnection();
    expect(await safetyCode(a0)).to.equal(null);
    a0.close();
    const [a, b] = await connectedPair();
    try {
      const [fa, fb] = await Promise.all([dtlsFingerprints(a), dtlsFingerprints(b)]);
      expect(fa, 'fingerprints a').to.not.equal(null);
      console.log(`[safety-code] fingerprints from ${fa!.source} / ${fb!.source}`);
      expect(fa!.local).to.equal(fb!.remote);
      expect(fa!.remote).to.equal(fb!.local);
      expect(fa!.local).to.match(/^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      // What the certificates say matches what was signalled.
      expect(fa!.local).to.equal(sdpFingerprint(a.localDescription!.sdp));
      expect(fa!.remote).to.equal(sdpFingerprint(a.remoteDescription!.sdp));
      const [ca, cb] = await Promise.all([safetyCode(a), safetyCode(b)]);
      expect(ca).to.match(/^[a-z]+ [a-z]+ [a-z]+ [a-z]+$/);
      expect(ca).to.equal(cb);
      const [c, d] = await connectedPair();
      try {
        expect(await safetyCode(c), 'another connection, other certificates').not.to.equal(ca);
      } finally {
        c.close();
        d.close();
      }
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('safety codes in a session and on the tile', function () {
  this.timeout(60000);
  afterEach(cleanupSessions);

  it('gives both participants the same code, shown by the remote tile behind an accessible Verify button', async () => {
    const hub = new LoopbackHub();
    const a = makeSession(hub, 'verify', 'Ada');
    const b = makeSession(hub, 'verify', 'Bob');
    expect(await a.safetyCode('nobody')).to.equal(null);
    await a.join();
    await b.join();
    await Promise.all([connectedPeers(a, 1), connectedPeers(b, 1)]);
    const [ca, cb] = await Promise.all([a.safetyCode(b.localId), b.safetyCode(a.localId)]);
    expect(ca).to.match(/^[a-z]+ [a-z]+ [a-z]+ [a-z]+$/);
    expect(ca).to.equal(cb);

    const local = await fixture<RtcVideoTile>(html`<rtc-video-tile local .session=${a}></rtc-video-tile>`);
    expect(deep(local, '[part~=verify-button]'), 'no Verify on our own tile').to.equal(null);
    const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile participant-id=${b.localId} .session=${a}></rtc-video-tile>`);
    const verify = await waitFor(() => deep<HTMLButtonElement>(tile, '[part~=verify-button]'), 'Verify button');
    expect(verify.textContent!.trim()).to.equal('Verify');
    expect(verify.getAttribute('aria-expanded')).to.equal('false');
    verify.click();
    const words = await waitFor(() => deep(tile, '[part~=safety-code] ol'), 'the words');
    expect(verify.getAttribute('aria-expanded')).to.equal('true');
    expect([...words.querySelectorAll('li')].map((li) => li.textContent).join(' ')).to.equal(ca);
    expect(deep(tile, '[part~=safety-code]')!.textContent!.replace(/\s+/g, ' ')).to.contain(
      'Compare these words with Bob: if they match, nobody is listening in between.',
    );
    await expect(tile).shadowDom.to.be.accessible();
    verify.click();
    await waitFor(() => !deep(tile, '[part~=safety-code]'), 'the panel closes');

    // The participant list offers the same words for each connected remote, not for ourselves.
    const list = await fixture(html`<rtc-participant-list .session=${b}></rtc-participant-list>`);
    const buttons = await waitFor(() => {
      const found = [...list.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=verify]')];
      return found.length ? found : null;
    }, 'Verify in the list');
    expect(buttons.map((x) => x.getAttribute('aria-label'))).to.deep.equal(['Verify Ada']);
    buttons[0].click();
    const code = await waitFor(() => list.shadowRoot!.querySelector('[part~=safety-code] strong'), 'the words in the list');
    expect(code.textContent).to.equal(ca);
    await expect(list).shadowDom.to.be.accessible();
  });
});

/** Computed independently (node:crypto) from the word list. */
const PINNED = 'apron elbow oven feather';
