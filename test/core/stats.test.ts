/** Pure parts of the call statistics: grading thresholds, report parsing (both browsers' shapes), health. */
import { expect } from '@open-wc/testing';
import {
  QUALITY_THRESHOLDS,
  QualitySmoother,
  findBottlenecks,
  gradeQuality,
  qualityLabel,
  qualityTooltip,
  summarizeStats,
  type HealthMatrix,
  type HealthPeer,
  type QualityInput,
} from '../../src/core/index.js';
import { parseControl } from '../../src/core/peer/control.js';

const fine: QualityInput = { connectionState: 'connected', rttMs: 40, loss: 0, jitterMs: 5, fps: 25, videoExpected: true, mediaExpected: true, silentMs: 0 };

describe('connection quality grading', () => {
  it('is good within every "good" bound', () => {
    expect(gradeQuality(fine)).to.deep.equal({ level: 'good', reasons: [], relayed: false });
    const g = QUALITY_THRESHOLDS.good;
    expect(gradeQuality({ ...fine, rttMs: g.rttMs - 1, loss: g.loss - 0.001, jitterMs: g.jitterMs - 1, fps: g.fps }).level).to.equal('good');
  });

  it('is fair between the bounds, saying why', () => {
    const g = QUALITY_THRESHOLDS.good;
    expect(gradeQuality({ ...fine, rttMs: g.rttMs })).to.deep.include({ level: 'fair', reasons: ['high round-trip time'] });
    expect(gradeQuality({ ...fine, loss: 0.05 })).to.deep.include({ level: 'fair', reasons: ['high packet loss'] });
    expect(gradeQuality({ ...fine, jitterMs: 50 })).to.deep.include({ level: 'fair', reasons: ['high jitter'] });
    expect(gradeQuality({ ...fine, fps: 10 })).to.deep.include({ level: 'fair', reasons: ['low frame rate'] });
  });

  it('judges a feed asked at a lower frame rate (a thumbnail, 15 fps) against that: good from 12, poor under 7.5', () => {
    expect(gradeQuality({ ...fine, fps: 14, expectedFps: 15 }).level).to.equal('good');
    expect(gradeQuality({ ...fine, fps: 12, expectedFps: 15 }).level).to.equal('good');
    expect(gradeQuality({ ...fine, fps: 11, expectedFps: 15 })).to.deep.include({ level: 'fair', reasons: ['low frame rate'] });
    expect(gradeQuality({ ...fine, fps: 7, expectedFps: 15 }).level).to.equal('poor');
    expect(gradeQuality({ ...fine, fps: 14, expectedFps: 30 }).level).to.equal('fair');
  });

  it('is poor past any "poor" bound (rtt > 500 ms, loss > 8 %, jitter > 100 ms, fps < 8), worst reasons first', () => {
    expect(gradeQuality({ ...fine, rttMs: 501 }).level).to.equal('poor');
    expect(gradeQuality({ ...fine, rttMs: 500 }).level).to.equal('fair');
    expect(gradeQuality({ ...fine, loss: 0.081 }).level).to.equal('poor');
    expect(gradeQuality({ ...fine, loss: 0.08 }).level).to.equal('fair');
    expect(gradeQuality({ ...fine, jitterMs: 101 }).level).to.equal('poor');
    expect(gradeQuality({ ...fine, fps: 7.9 }).level).to.equal('poor');
    expect(gradeQuality({ ...fine, fps: 8 }).level).to.equal('fair');
    expect(gradeQuality({ ...fine, loss: 0.2, rttMs: 300 }).reasons).to.deep.equal(['high packet loss', 'high round-trip time']);
  });

  it('ignores the frame rate when no video is expected, and missing numbers', () => {
    expect(gradeQuality({ ...fine, fps: 0, videoExpected: false }).level).to.equal('good');
    expect(gradeQuality({ connectionState: 'connected', videoExpected: true, mediaExpected: true }).level).to.equal('good');
  });

  it('is lost when the connection is down, or media is expected and nothing came for 3 s', () => {
    for (const s of ['disconnected', 'failed', 'closed'] as const)
      expect(gradeQuality({ ...fine, connectionState: s })).to.deep.include({ level: 'lost', reasons: ['disconnected'] });
    expect(gradeQuality({ ...fine, silentMs: QUALITY_THRESHOLDS.lost.silentMs })).to.deep.include({ level: 'lost', reasons: ['no media received'] });
    expect(gradeQuality({ ...fine, silentMs: 2999 }).level).to.equal('good');
    // Nothing is sent (microphone and camera off): silence is expected.
    expect(gradeQuality({ ...fine, silentMs: 60_000, mediaExpected: false, videoExpected: false }).level).to.equal('good');
  });

  it('says it in words: label and tooltip (with TURN)', () => {
    const q = gradeQuality({ ...fine, loss: 0.3, relayed: true });
    expect(qualityLabel(q)).to.equal('Connection: poor (high packet loss)');
    expect(qualityTooltip(q)).to.equal('Connection: poor (high packet loss, relayed through TURN)');
    expect(qualityTooltip(gradeQuality({ ...fine, relayed: true }))).to.equal('Connection: good (relayed through TURN)');
    expect(qualityLabel(gradeQuality(fine))).to.equal('Connection: good');
  });

  it('shows a worse grade at once and a better one after two windows', () => {
    const s = new QualitySmoother(2);
    expect(s.push(gradeQuality(fine)).level).to.equal('good');
    expect(s.push(gradeQuality({ ...fine, loss: 0.5 })).level).to.equal('poor');
    expect(s.push(gradeQuality(fine)).level).to.equal('poor');
    expect(s.push(gradeQuality(fine)).level).to.equal('good');
  });
});

/** A Chromium-shaped report: transport → selected pair; codecs; qualityLimitationReason. */
function chromiumReport(t: { bytesIn: number; bytesOut: number; frames: number; packets: number; lost: number }) {
  return [
    { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', state: 'succeeded', nominated: true, currentRoundTripTime: 0.042 },
    { id: 'CP2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R1', state: 'failed', currentRoundTripTime: 9 },
    { id: 'L1', type: 'local-candidate', candidateType: 'host', protocol: 'udp', address: '127.0.0.1', port: 5000 },
    { id: 'L2', type: 'local-candidate', candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' },
    { id: 'R1', type: 'remote-candidate', candidateType: 'prflx', protocol: 'udp' },
    { id: 'C1', type: 'codec', mimeType: 'video/VP8' },
    { id: 'C2', type: 'codec', mimeType: 'audio/opus' },
    {
      id: 'I1',
      type: 'inbound-rtp',
      kind: 'video',
      codecId: 'C1',
      bytesReceived: t.bytesIn,
      packetsReceived: t.packets,
      packetsLost: t.lost,
      jitter: 0.012,
      frameWidth: 640,
      frameHeight: 480,
      framesPerSecond: 20,
      framesDecoded: t.frames,
    },
    { id: 'I2', type: 'inbound-rtp', kind: 'audio', codecId: 'C2', bytesReceived: 1000, packetsReceived: 50, packetsLost: 0, jitter: 0.003 },
    {
      id: 'O1',
      type: 'outbound-rtp',
      kind: 'video',
      codecId: 'C1',
      bytesSent: t.bytesOut,
      frameWidth: 640,
      frameHeight: 480,
      framesPerSecond: 20,
      framesEncoded: t.frames,
      qualityLimitationReason: 'bandwidth',
    },
  ];
}

describe('summarizeStats', () => {
  it('reads a Chromium report: pair via transport, RTT, rates over the window, loss, codec, limitation', () => {
    const first = summarizeStats(chromiumReport({ bytesIn: 0, bytesOut: 0, frames: 0, packets: 0, lost: 0 }), 1000);
    expect(first.sample.pair).to.deep.equal({
      local: { type: 'host', protocol: 'udp', relayProtocol: undefined, address: '127.0.0.1', port: 5000 },
      remote: { type: 'prflx', protocol: 'udp', relayProtocol: undefined, address: undefined, port: undefined },
      state: 'succeeded',
    });
    expect(first.sample.rttMs).to.be.closeTo(42, 0.001);
    expect(first.sample.inbound.video.bitrateKbps).to.equal(undefined); // one sample: no rate yet
    const { sample } = summarizeStats(chromiumReport({ bytesIn: 125_000, bytesOut: 250_000, frames: 20, packets: 90, lost: 10 }), 2000, first.counters);
    expect(sample.inbound.video).to.deep.include({ bitrateKbps: 1000, width: 640, height: 480, fps: 20, codec: 'VP8' });
    expect(sample.inbound.audio.codec).to.equal('opus');
    expect(sample.outbound.video).to.deep.include({ bitrateKbps: 2000, codec: 'VP8', qualityLimitationReason: 'bandwidth' });
    expect(sample.inbound.loss).to.be.closeTo(0.1, 1e-9); // 10 lost of 100
    expect(sample.inbound.jitterMs).to.be.closeTo(12, 1e-9);
  });

  it('reads a Firefox report: no transport stats, `selected` pair, RTT from remote-inbound-rtp, fps from frames decoded', () => {
    const ff = (frames: number, bytes: number) =>
      new Map(
        Object.entries({
          a: { id: 'a', type: 'candidate-pair', localCandidateId: 'l', remoteCandidateId: 'r', state: 'succeeded', nominated: true, selected: true },
          b: { id: 'b', type: 'candidate-pair', localCandidateId: 'l2', remoteCandidateId: 'r', state: 'succeeded', nominated: false, selected: false },
          l: { id: 'l', type: 'local-candidate', candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp', address: '127.0.0.1' },
          l2: { id: 'l2', type: 'local-candidate', candidateType: 'host', protocol: 'udp' },
          r: { id: 'r', type: 'remote-candidate', candidateType: 'relay', protocol: 'udp' },
          i: {
            id: 'i',
            type: 'inbound-rtp',
            kind: 'video',
            bytesReceived: bytes,
            packetsReceived: 10 + frames,
            packetsLost: 0,
            jitter: 0.001,
            framesDecoded: frames,
          },
          ri: { id: 'ri', type: 'remote-inbound-rtp', kind: 'video', roundTripTime: 0.1 },
        }),
      );
    // A Map iterates entries: the parser takes its values (as with an RTCStatsReport).
    const first = summarizeStats(ff(0, 0) as unknown as RTCStatsReport, 0);
    const { sample } = summarizeStats(ff(30, 0) as unknown as RTCStatsReport, 2000, first.counters);
    expect(sample.pair?.local).to.deep.include({ type: 'relay', relayProtocol: 'tcp' });
    expect(sample.rttMs).to.be.closeTo(100, 1e-9);
    expect(sample.inbound.video.fps).to.equal(15);
    expect(sample.inbound.loss).to.equal(0);
  });

  it('falls back to a nominated, succeeded pair', () => {
    const { sample } = summarizeStats(
      [
        { id: 'p', type: 'candidate-pair', localCandidateId: 'l', remoteCandidateId: 'r', state: 'succeeded', nominated: true },
        { id: 'l', type: 'local-candidate', candidateType: 'srflx', protocol: 'tcp' },
        { id: 'r', type: 'remote-candidate', candidateType: 'host', protocol: 'tcp' },
      ],
      0,
    );
    expect(sample.pair?.local.type).to.equal('srflx');
    expect(sample.pair?.remote.protocol).to.equal('tcp');
  });
});

describe('health message', () => {
  const ok = { type: 'health', up: { kbps: 900, limit: 'none' }, rx: [{ from: 'peer-1', fps: 20, loss: 0.01, rtt: 30, q: 'good' }] };

  it('parses a valid one and refuses anything unbounded or malformed', () => {
    expect(parseControl(JSON.stringify(ok))).to.deep.equal(ok);
    expect(parseControl(JSON.stringify({ type: 'health', rx: [] }))).to.deep.equal({ type: 'health', rx: [] });
    const bad = [
      { ...ok, rx: Array.from({ length: 17 }, (_, i) => ({ from: `p${i}` })) },
      { ...ok, rx: [{ from: 'x'.repeat(65) }] },
      { ...ok, rx: [{ from: 'a', loss: 2 }] },
      { ...ok, rx: [{ from: 'a', fps: -1 }] },
      { ...ok, rx: [{ from: 'a', q: 'excellent' }] },
      { ...ok, up: { kbps: 1e9 } },
      { ...ok, up: { limit: 'aliens' } },
      { type: 'health' },
    ];
    for (const b of bad) expect(parseControl(JSON.stringify(b)), JSON.stringify(b).slice(0, 80)).to.equal(null);
  });
});

describe('mesh bottlenecks', () => {
  const peers: HealthPeer[] = [
    { id: 'me', name: 'Ada', isLocal: true },
    { id: 'bob', name: 'Bob', isLocal: false },
    { id: 'cy', name: 'Cy', isLocal: false },
  ];
  const cells = (grid: Record<string, Record<string, string>>): HealthMatrix['cells'] =>
    Object.fromEntries(
      Object.entries(grid).map(([r, row]) => [r, Object.fromEntries(Object.entries(row).map(([s, level]) => [s, { level: level as 'good' }]))]),
    );

  it("names a sender everyone receives poorly while they receive others fine: Bob's upload", () => {
    const m = cells({ me: { bob: 'poor', cy: 'good' }, cy: { bob: 'lost', me: 'good' }, bob: { me: 'good', cy: 'good' } });
    expect(findBottlenecks(peers, m)).to.deep.equal(["Bob's upload is the bottleneck: everyone receives Bob poorly."]);
  });

  it('names a receiver who receives everyone poorly while others receive them fine', () => {
    const m = cells({ me: { bob: 'good', cy: 'good' }, cy: { bob: 'poor', me: 'poor' }, bob: { me: 'good', cy: 'good' } });
    expect(findBottlenecks(peers, m)).to.deep.equal(["Cy's download is the bottleneck: Cy receives everyone poorly."]);
  });

  it('says when a sender reports a bandwidth or CPU limit', () => {
    const limited = peers.map((p) => (p.id === 'bob' ? { ...p, limit: 'cpu' } : p));
    const m = cells({ me: { bob: 'fair', cy: 'good' }, cy: { bob: 'good', me: 'good' }, bob: { me: 'good', cy: 'good' } });
    expect(findBottlenecks(limited, m)).to.deep.equal(["Bob's upload is limited by CPU: their browser lowers the video it sends."]);
  });

  it('says nothing when all is well, or when everyone is bad (no single bottleneck)', () => {
    expect(findBottlenecks(peers, cells({ me: { bob: 'good', cy: 'good' }, cy: { bob: 'good', me: 'fair' }, bob: { me: 'good', cy: 'good' } }))).to.deep.equal(
      [],
    );
    expect(findBottlenecks(peers, cells({ me: { bob: 'poor', cy: 'poor' }, cy: { bob: 'poor', me: 'poor' }, bob: { me: 'poor', cy: 'poor' } }))).to.deep.equal(
      [],
    );
  });
});
