/**
 * A call that cannot connect directly and has no TURN server says so (the tile, the session's
 * error naming the fix) instead of showing a black tile that is "Connecting…" for ever; but a
 * link whose ICE found a path is never said to lack one.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/define-all.js';
import { LoopbackHub, RtcSession, type RtcError } from '../../src/index.js';
import type { RtcVideoTile } from '../../src/index.js';
import { sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { languagesReady } from '../../src/i18n/localize.js';
import { de } from '../../src/i18n/locales/de.js';

describe('no TURN server and no direct path', function () {
  this.timeout(60000);
  let hub: LoopbackHub;
  const { make, leaveAll } = sessionSet(() => ({ room: 'no-relay', hub, iceTransportPolicy: 'relay' as const }));
  beforeEach(() => (hub = new LoopbackHub()));
  afterEach(leaveAll);

  it('relay-only without a relay: the tile says why, and the session reports an error naming the fix', async () => {
    const a: RtcSession = make('Ada');
    const b: RtcSession = make('Bob');
    const errors: RtcError[] = [];
    a.on('error', (e) => errors.push(e));
    await a.join();
    await b.join();
    const remote = () => a.participants.get().find((p) => !p.isLocal);
    await waitFor(() => remote()?.problem, 'the link to Bob marked as impossible', 40000);
    expect(remote()!.problem).to.equal("Can't connect directly; this call has no relay (TURN) server");
    expect(remote()!.connectionState).to.not.equal('connected');
    await waitFor(() => errors.length, 'an error reported');
    expect(errors[0]!.code).to.equal('peer-failed');
    expect(errors[0]!.details.peerId).to.equal(b.localId);
    expect(errors[0]!.message).to.match(/^Cannot connect to Bob\./);
    expect(errors[0]!.message).to.contain('Ask the site owner to configure a TURN server (TURN_URLS + TURN_SECRET');
    // Reported once, not on every publish.
    await waitFor(() => b.participants.get().find((p) => !p.isLocal)?.problem, 'Bob sees it too', 40000);
    expect(errors.length).to.equal(1);

    const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile .session=${a} participant-id=${b.localId}></rtc-video-tile>`);
    const status = await waitFor(() => tile.shadowRoot!.querySelector('[part=status]'), 'the tile status');
    expect(status.textContent!.trim()).to.equal("Can't connect directly; this call has no relay (TURN) server");
    // It stays while the link keeps trying (ICE restarts, a new connection): never back to "Connecting…".
    // Watched until the link restarted ICE or was made anew (or for 8 s at most): the words hold throughout.
    const firstPc = a.peerConnection(b.localId);
    const until = performance.now() + 8000;
    while (performance.now() < until) {
      expect(remote()?.problem).to.equal("Can't connect directly; this call has no relay (TURN) server");
      if ((a.negotiationStats(b.localId)?.iceRestarts ?? 0) > 0 || a.peerConnection(b.localId) !== firstPc) break;
      await sleep(100);
    }
    expect(remote()?.problem).to.equal("Can't connect directly; this call has no relay (TURN) server");
    expect(errors.length).to.equal(1);

    // By its code, in the tile's language.
    expect(remote()?.problemCode).to.equal('no-relay');
    tile.lang = 'de';
    await languagesReady();
    await waitFor(() => tile.shadowRoot!.querySelector('[part=status]')?.textContent?.trim() === de.noRelayPath, 'the reason in German');
  });

  it('a path that ICE found but the handshake never completes on (a forged fingerprint) is not called a missing relay', async () => {
    // Bob's descriptions reach Ada with another certificate's fingerprint: ICE connects, DTLS fails.
    const t = hub.connect();
    const send = t.signal.bind(t);
    t.signal = (to, data) =>
      send(
        to,
        'description' in data
          ? {
              ...data,
              description: {
                ...data.description,
                sdp: data.description.sdp?.replace(
                  /(a=fingerprint:\S+ )([0-9A-F]{2})/g,
                  (_, head: string, byte: string) => head + (byte === '00' ? '01' : '00'),
                ),
              },
            }
          : data,
      );
    const a: RtcSession = make('Ada', { iceTransportPolicy: 'all' });
    const b: RtcSession = make('Bob', { transport: t, iceTransportPolicy: 'all' });
    const errors: RtcError[] = [];
    a.on('error', (e) => errors.push(e));
    await a.join();
    await b.join();
    // Every state Ada publishes for Bob: the link may fail and be made anew within milliseconds.
    const published: { state: string; problem?: string }[] = [];
    a.participants.listen((list) => {
      const r = list.find((p) => !p.isLocal);
      if (r) published.push({ state: r.connectionState, problem: r.problem });
    });
    const pc = await waitFor(() => a.peerConnection(b.localId), "Ada's link to Bob");
    let handshakeFailed = false;
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed' && ['connected', 'completed'].includes(pc.iceConnectionState)) handshakeFailed = true;
    });
    await waitFor(() => handshakeFailed, 'ICE connected, the handshake failed', 40000);
    await waitFor(() => published.some((p) => p.state === 'failed'), 'the failure published');
    expect(
      published.filter((p) => p.problem).map((p) => p.problem),
      'no "no relay" on the tile',
    ).to.deep.equal([]);
    expect(errors.filter((e) => /Cannot connect/.test(e.message)).map((e) => e.message)).to.deep.equal([]);
  });
});
