/**
 * The call statistics on real calls through the real signaling server, in both browsers: the
 * sampler's numbers, the quality grade following measured stats (a sender limited to 2 frames a
 * second is graded poor, and good again once freed), the state timeline, and the mesh's health
 * matrix in a three-person call.
 */
import { expect } from '@open-wc/testing';
import '../helpers/full-camera.js';
import type { RtcSession } from '../../src/core/index.js';
import { remoteOf, sessionSet } from '../helpers/sessions.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { waitFor } from '../helpers/wait.js';

/** The video sender of `s`'s link to `peerId`. */
function videoSender(s: RtcSession, peerId: string): RTCRtpSender {
  const pc = s.peerConnection(peerId)!;
  const sender = pc.getTransceivers().find((t) => t.sender.track?.kind === 'video')?.sender;
  if (!sender) throw new Error('no video sender');
  return sender;
}

async function limitSender(sender: RTCRtpSender, limit: boolean): Promise<void> {
  const params = sender.getParameters();
  if (!params.encodings?.length) params.encodings = [{}];
  for (const e of params.encodings) {
    if (limit) {
      e.maxFramerate = 2;
      e.maxBitrate = 40_000;
    } else {
      delete e.maxFramerate;
      delete e.maxBitrate;
    }
  }
  await sender.setParameters(params);
}

describe('call statistics (real server)', function () {
  this.timeout(120_000);
  let sig: Signaling;
  // Receiver-driven quality adapts encodings on its own: off, so the only limit is the test's.
  const set = sessionSet(() => ({ room: sig.room, transport: sig.transport, quality: false }), { timeout: 40_000 });
  beforeEach(async () => (sig = await signaling('server', 'stats')));
  afterEach(set.leaveAll);
  /** A camera, no microphone (sound costs CPU): for the tests that look at no sound. */
  const camera = { media: { audio: false, video: true } };

  it('samples a real call: frame rate, host candidates, codec, RTT, bitrates; the timeline has the state changes', async () => {
    const [ada, bob] = await set.room('Ada', 'Bob');
    const link = await waitFor(
      () => {
        const l = ada.stats.links.get().find((x) => x.id === bob.localId);
        const s = l?.sample;
        // Firefox may still be gathering when the first pair is selected.
        return s &&
          l.iceGatheringState === 'complete' &&
          (s.inbound.video.fps ?? 0) > 0 &&
          s.inbound.video.bitrateKbps &&
          s.outbound.bitrateKbps &&
          s.rttMs !== undefined
          ? l
          : undefined;
      },
      'a sample with frames, bitrates and RTT',
      30_000,
    );
    const s = link.sample!;
    expect(link.connectionState).to.equal('connected');
    expect(['connected', 'completed']).to.include(link.iceConnectionState);
    expect(link.iceGatheringState).to.equal('complete');
    expect(link.signalingState).to.equal('stable');
    expect(s.pair?.local.type).to.equal('host');
    expect(s.pair?.local.protocol).to.equal('udp');
    expect(s.inbound.video.codec, 'video codec').to.be.a('string').and.not.empty;
    expect(s.inbound.audio.codec?.toLowerCase()).to.equal('opus');
    expect(s.inbound.video.width).to.be.greaterThan(0);
    expect(s.outbound.video.width).to.be.greaterThan(0);
    expect(s.inbound.loss ?? 0).to.be.lessThan(0.5);
    expect(s.rttMs).to.be.at.least(0).and.below(1000);
    const connection = link.timeline.filter((c) => c.kind === 'connection').map((c) => c.state);
    expect(connection).to.include.members(['new', 'connecting', 'connected']);
    expect(connection.indexOf('connecting')).to.be.lessThan(connection.indexOf('connected'));
    expect(link.timeline.some((c) => c.kind === 'gathering' && c.state === 'complete')).to.equal(true);
    expect(link.timeline.every((c, i, all) => i === 0 || c.time >= all[i - 1]!.time)).to.equal(true);
    // The grade reaches the participant (for the tile).
    await waitFor(() => remoteOf(ada, bob.localId)?.quality, 'a grade on the participant');

    const report = JSON.parse(JSON.stringify(ada.stats.report()));
    expect(report.links.map((l: { id: string }) => l.id)).to.deep.equal([bob.localId]);
    expect(report.userAgent).to.equal(navigator.userAgent);
    expect(report.localMedia.tracks.length).to.equal(2);

    await ada.leave();
    expect(ada.stats.links.get()).to.deep.equal([]);
    expect(remoteOf(ada, bob.localId)).to.equal(undefined);
  });

  it('leaves a link alone while it sets up (no getStats() on the join path), and samples it once connected', async () => {
    const calls: { state: RTCPeerConnectionState; at: number }[] = [];
    const native = RTCPeerConnection.prototype.getStats;
    RTCPeerConnection.prototype.getStats = function (this: RTCPeerConnection, ...args: Parameters<typeof native>) {
      calls.push({ state: this.connectionState, at: performance.now() });
      return native.apply(this, args);
    } as typeof native;
    try {
      const ada = set.make('Ada', camera);
      await ada.join();
      const bob = set.make('Bob', camera);
      const joinedAt = performance.now();
      await bob.join();
      await Promise.all([set.connected(ada, [bob]), set.connected(bob, [ada])]);
      const sampled = (s: RtcSession, peer: RtcSession) => s.stats.links.get().find((l) => l.id === peer.localId)?.sample;
      await waitFor(() => sampled(ada, bob) && sampled(bob, ada), 'a sample of the link on both sides', 20_000);
      // The sampler's first tick is at the join (Bob's link then still setting up): it waits.
      // (After 5 s a link still connecting is sampled again: not within this window.)
      const early = calls.filter((c) => (c.state === 'new' || c.state === 'connecting') && c.at - joinedAt < 4000);
      expect(early, 'getStats() on a link still setting up').to.deep.equal([]);
      expect(calls.length, 'sampled since').to.be.greaterThan(0);
    } finally {
      RTCPeerConnection.prototype.getStats = native;
    }
  });

  it('grades poor when the received frame rate collapses, and good again once it recovers', async () => {
    const [ada, bob] = await set.joinAll(set.make('Ada', camera), set.make('Bob', camera));
    // Someone watches (a panel is open): a sample every second.
    const unwatch = ada.stats.links.subscribe(() => undefined);
    try {
      const level = () => remoteOf(ada, bob.localId)?.quality?.level;
      await waitFor(() => level() === 'good', 'good at first', 40_000);
      const sender = videoSender(bob, ada.localId);
      await limitSender(sender, true);
      const poor = await waitFor(
        () => {
          const q = remoteOf(ada, bob.localId)?.quality;
          return q?.level === 'poor' ? q : undefined;
        },
        'poor after limiting the sender',
        40_000,
      );
      expect(poor.reasons).to.include('low frame rate');
      const measured = ada.stats.links.get()[0]!.sample!.inbound.video.fps!;
      expect(measured).to.be.below(8);
      await limitSender(sender, false);
      await waitFor(() => level() === 'good', 'good again once the limit is lifted', 40_000);
    } finally {
      unwatch();
    }
  });

  it('shares health: in a 3-person call everyone sees how each receives the others', async () => {
    const [ada, bob, cy] = await set.joinAll(set.make('Ada', camera), set.make('Bob', camera), set.make('Cy', camera));
    const ids = [ada, bob, cy].map((s) => s.localId);
    for (const s of [ada, bob, cy]) {
      const m = await waitFor(
        () => {
          const matrix = s.stats.matrix.get();
          // A cell is graded from its first sample; its frame rate needs two samples that counted
          // decoded frames, seconds later on a loaded machine.
          const full = ids.every((r) => ids.every((snd) => r === snd || (matrix.cells[r]?.[snd]?.level && typeof matrix.cells[r]?.[snd]?.fps === 'number')));
          const sends = matrix.peers.every((p) => typeof p.upKbps === 'number');
          return full && sends && matrix.peers.length === 3 ? matrix : undefined;
        },
        `${s.name}: a full 3×3 health matrix`,
        40_000,
      );
      for (const r of ids) for (const snd of ids) if (r !== snd) expect(m.cells[r]![snd]!.fps, `${r} receives ${snd}`).to.be.a('number');
      expect(m.peers.filter((p) => !p.isLocal).every((p) => p.ageMs !== undefined && p.ageMs < 10_000)).to.equal(true);
    }
  });
});
