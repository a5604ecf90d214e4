/**
 * Receiver-driven quality on the real signaling server: a receiver's tile size reaches the sender
 * as a `view`, and the sender re-encodes that link only (setParameters, no renegotiation).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/full-camera.js';
import '../helpers/define-all.js';
import type { RtcSession } from '../../src/core/index.js';
import type { RtcVideoTile } from '../../src/index.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';

interface Outbound {
  frameWidth: number;
  bytesSent: number;
}

/** The video outbound-rtp of `from`'s link to `to` (getStats of that one RTCPeerConnection). */
async function outbound(from: RtcSession, to: RtcSession): Promise<Outbound> {
  const out = { frameWidth: 0, bytesSent: 0 };
  const pc = from.peerConnection(to.localId);
  if (!pc) return out;
  (await pc.getStats()).forEach((s: { type: string; kind?: string; frameWidth?: number; bytesSent?: number }) => {
    if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
    out.frameWidth = Math.max(out.frameWidth, s.frameWidth ?? 0);
    out.bytesSent += s.bytesSent ?? 0;
  });
  return out;
}

/** Offers and answers sent so far on every link of these sessions. */
function negotiations(all: RtcSession[]): number {
  let n = 0;
  for (const a of all) {
    for (const b of all) {
      const s = a !== b ? a.negotiationStats(b.localId) : undefined;
      if (s) n += s.offersSent + s.answersSent;
    }
  }
  return n;
}

/** A remote tile of `peer`, shown by `viewer`, `width` CSS pixels wide (16:9). */
function tile(viewer: RtcSession, peer: RtcSession, width: number) {
  return html`<rtc-video-tile participant-id=${peer.localId} .session=${viewer} style="display: block; width: ${width}px"></rtc-video-tile>`;
}

describe('receiver-driven quality (server)', function () {
  this.timeout(120_000);
  let sig: Signaling;
  const set = sessionSet(() => ({ room: sig.room, transport: sig.transport, media: { audio: false, video: true }, quality: { adapt: false } }), {
    timeout: 60_000,
  });
  beforeEach(async () => (sig = await signaling('server', 'quality')));
  afterEach(() => set.leaveAll());

  it('a receiver shrinking its tile lowers the sent size on that link only, without renegotiating', async () => {
    const [sender, r1, r2] = await set.room('Sam', 'Ray', 'Rex');
    const dpr = devicePixelRatio || 1;
    const t1 = await fixture<RtcVideoTile>(tile(r1, sender, 640));
    await fixture<RtcVideoTile>(tile(r2, sender, 640));
    const viewOf = (r: RtcSession) => sender.qualityState(r.localId).link?.view;
    await waitFor(() => viewOf(r1)?.width === Math.round(640 * dpr) && viewOf(r2)?.width === Math.round(640 * dpr), 'both views at the sender', 30_000);
    // Both links at about the capture size (Firefox starts at 320 wide and ramps up).
    let before: [Outbound, Outbound] | undefined;
    await waitFor(
      async () => {
        before = [await outbound(sender, r1), await outbound(sender, r2)];
        return before.every((o) => o.frameWidth >= 300);
      },
      'both links sending at least 300 px wide',
      60_000,
      250,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last ${JSON.stringify(before)}`);
    });
    const applied2 = sender.qualityState(r2.localId).link?.applied;
    const negotiated = negotiations([sender, r1, r2]);

    t1.style.width = '160px';
    let now: [Outbound, Outbound] | undefined;
    await waitFor(
      async () => {
        now = [await outbound(sender, r1), await outbound(sender, r2)];
        return now[0].frameWidth > 0 && now[0].frameWidth <= 170 * dpr && now[1].frameWidth >= 300;
      },
      'the shrunk link ≤ 170 px wide, the other ≥ 300',
      60_000,
      250,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last ${JSON.stringify(now)}; applied ${JSON.stringify(sender.qualityState(r1.localId).link)}`);
    });
    expect(viewOf(r1)).to.include({ width: Math.round(160 * dpr), height: Math.round(90 * dpr) });
    expect(sender.qualityState(r1.localId).link?.applied).to.include({ active: true, maxFramerate: 15 });
    expect(sender.qualityState(r1.localId).link!.applied!.scaleResolutionDownBy).to.be.at.least(2.6);
    expect(sender.qualityState(r2.localId).link?.applied, 'the other link is untouched').to.deep.equal(applied2);
    expect(negotiations([sender, r1, r2]), 'no offer or answer').to.equal(negotiated);
  });

  it('a hidden tile stops the video on that link; shown again, it comes back', async () => {
    const [sender, r1, r2] = await set.room('Sam', 'Ray', 'Rex');
    const t1 = await fixture<RtcVideoTile>(tile(r1, sender, 320));
    await fixture<RtcVideoTile>(tile(r2, sender, 320));
    await waitFor(async () => (await outbound(sender, r1)).bytesSent > 0 && sender.qualityState(r1.localId).link?.view?.width, 'video sent to r1', 30_000);
    const negotiated = negotiations([sender, r1, r2]);
    t1.style.display = 'none';
    await waitFor(() => sender.qualityState(r1.localId).link?.applied?.active === false, 'r1 link inactive', 30_000);
    // Stopped: the bytes sent stay still over a second or more, while the other link goes on.
    await waitFor(
      async () => {
        const [a0, b0] = [await outbound(sender, r1), await outbound(sender, r2)];
        await sleep(1000); // a window to measure rates over, not a wait for a condition
        const [a1, b1] = [await outbound(sender, r1), await outbound(sender, r2)];
        return a1.bytesSent - a0.bytesSent < 2000 && b1.bytesSent - b0.bytesSent > 5000;
      },
      'no video bytes to r1 while the others still get theirs',
      30_000,
    );
    t1.style.display = 'block';
    await waitFor(() => sender.qualityState(r1.localId).link?.applied?.active === true, 'r1 link active again', 30_000);
    const a0 = await outbound(sender, r1);
    await waitFor(async () => (await outbound(sender, r1)).bytesSent > a0.bytesSent + 5000, 'video to r1 again', 30_000);
    expect(negotiations([sender, r1, r2])).to.equal(negotiated);
  });

  it('a peer with quality off sends no view: the sender keeps full size for it', async () => {
    const sender = set.make('Sam');
    const old = set.make('Old', { quality: false });
    await set.joinAll(sender, old);
    await fixture<RtcVideoTile>(tile(old, sender, 160));
    await waitFor(async () => (await outbound(sender, old)).frameWidth > 0, 'video sent', 30_000);
    // Nothing may arrive: give a view the time it would need (debounce + a round trip).
    await sleep(1500);
    expect(old.qualityState().views.size).to.equal(0);
    expect(sender.qualityState(old.localId).link?.view).to.equal(undefined);
    expect(sender.qualityState(old.localId).link?.applied).to.include({ scaleResolutionDownBy: 1, active: true });
  });
});
