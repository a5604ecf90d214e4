/**
 * A link that says "connected" but brings nothing: the remote's microphone is on (an unmuted
 * microphone sends packets, silence included), yet no packet has arrived for SILENT_RESTART_MS.
 * The receiving side restarts ICE by itself, once per quiet spell; a muted microphone is no cause.
 */
import { expect } from '@open-wc/testing';
import { SILENT_RESTART_MS } from '../../src/core/stats/sampler.js';
import { sender, sessions } from './media-helpers.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('a connected link that goes silent', function () {
  this.timeout(60_000);
  const set = sessions();
  afterEach(() => set.leaveAll());

  it('restarts ICE from the side that stopped receiving, once, and not for a muted microphone', async () => {
    const [ada, bob] = await set.pair({ media: { audio: true, video: false } });
    const restarts = () => ada.negotiationStats(bob.localId)!.iceRestarts;
    const audioIn = async () => {
      let packets = 0;
      (await ada.peerConnection(bob.localId)!.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && (r.kind ?? r.mediaType) === 'audio') packets += r.packetsReceived ?? 0;
      });
      return packets;
    };
    await waitFor(async () => (await audioIn()) > 0, 'audio packets from Bob', 20_000);
    await waitFor(() => ada.participants.get().find((p) => p.id === bob.localId)?.audioMuted === false, 'Bob unmuted, as Ada sees it');

    // Bob mutes (and his sender sends nothing at all): no cause for a restart.
    await bob.setMicrophoneEnabled(false);
    await sender(bob, ada, 'audio').replaceTrack(null);
    await waitFor(() => ada.participants.get().find((p) => p.id === bob.localId)?.audioMuted === true, 'Bob muted, as Ada sees it');
    await sleep(SILENT_RESTART_MS + 3000); // a span in which a wrong restart would happen: nothing to wait for
    expect(restarts(), 'no restart for a muted microphone').to.equal(0);

    // Bob's microphone is on again, but his sender goes quiet without saying so (a broken path).
    await bob.setMicrophoneEnabled(true);
    await waitFor(() => ada.participants.get().find((p) => p.id === bob.localId)?.audioMuted === false, 'Bob unmuted again');
    await sender(bob, ada, 'audio').replaceTrack(null);
    await waitFor(() => restarts() >= 1, 'Ada restarts ICE on the silent link', 30_000);
    expect(bob.negotiationStats(ada.localId)!.iceRestarts, 'the side still receiving does not').to.equal(0);
  });
});
