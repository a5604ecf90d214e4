/**
 * A call that cannot connect directly and has no TURN server says so (the tile, the session's
 * error naming the fix) instead of showing a black tile that is "Connecting…" for ever.
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
});
