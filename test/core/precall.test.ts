/**
 * The pre-call check against the run's real signaling server and coturn (test/harness): the relay
 * works, a wrong TURN secret, TURN unreachable, no TURN at all; devices opened and released.
 */
import { expect } from '@open-wc/testing';
import { runPrecallCheck, type PrecallResult } from '../../src/core/precall/index.js';
import { waitFor } from '../helpers/wait.js';
import { watchingResources } from '../helpers/resources.js';

async function signalUrl(path = '/__signal'): Promise<string> {
  const reply = (await (await fetch(path)).json()) as { url?: string; error?: string };
  if (!reply.url) throw new Error(`${path}: ${reply.error}`);
  return reply.url;
}
const variant = (kind: 'bad-secret' | 'unreachable' | 'none') => signalUrl(`/__signal/turn-variant?kind=${kind}`);

const step = (r: PrecallResult, id: string) => r.steps.find((s) => s.id === id)!;
const NO_DEVICES = { camera: false, microphone: false } as const;

describe('runPrecallCheck', function () {
  this.timeout(60000);

  it('relay-only through the TURN server: "Needs the TURN relay (works)", with RTT and throughput', async () => {
    const server = await signalUrl();
    const { value: r, pcs } = await watchingResources(() => runPrecallCheck({ server, iceTransportPolicy: 'relay', ...NO_DEVICES }));
    const n = r.network!;
    expect(n.iceServersFrom).to.equal('server');
    expect(n.turnConfigured).to.equal(true);
    expect(n.candidates.relay, 'relay candidates').to.be.greaterThan(0);
    expect(n.candidates.host + n.candidates.srflx).to.equal(0);
    expect(n.relay?.connected, n.relay?.error).to.equal(true);
    expect(n.verdict).to.equal('relay');
    expect(n.verdictText).to.equal('Needs the TURN relay (works)');
    expect(n.relay!.rttMs).to.be.a('number').and.greaterThan(0);
    expect(n.relay!.bytes).to.equal(1_000_000);
    expect(n.relay!.throughputBytesPerSecond).to.be.greaterThan(0);
    expect(step(r, 'network').status).to.equal('pass');
    expect(step(r, 'network').message).to.match(/relay \(TURN\)/);
    // The code and figures an element words it with in its own language.
    expect(step(r, 'network').code).to.equal('relay-only');
    expect(step(r, 'network').params?.rttMs).to.equal(n.relay!.rttMs);
    expect(step(r, 'network').params?.throughputBytesPerSecond).to.equal(n.relay!.throughputBytesPerSecond);
    expect(r.done && r.ok).to.equal(true);
    expect(pcs.length).to.be.greaterThan(0);
    expect(pcs.every((pc) => pc.connectionState === 'closed')).to.equal(true);
    console.log(
      `[precall] ${navigator.userAgent.includes('Firefox') ? 'firefox' : 'chromium'} relay loopback: rtt ${n.relay!.rttMs!.toFixed(1)} ms, ` +
        `throughput ${((n.relay!.throughputBytesPerSecond! * 8) / 1e6).toFixed(1)} Mbit/s (${n.relay!.relayProtocol ?? '?'})`,
    );
  });

  it('with the TURN server and every path allowed, the relay is tested too', async () => {
    const r = await runPrecallCheck({ server: await signalUrl(), ...NO_DEVICES, throughputBytes: 200_000 });
    const n = r.network!;
    expect(n.relay?.connected, n.relay?.error).to.equal(true);
    expect(['direct', 'relay']).to.include(n.verdict);
    expect(step(r, 'network').status).to.equal('pass');
  });

  it('a wrong TURN secret: "TURN unreachable or wrong credentials", naming the 401', async () => {
    const r = await runPrecallCheck({ server: await variant('bad-secret'), iceTransportPolicy: 'relay', ...NO_DEVICES });
    const n = r.network!;
    expect(n.turnConfigured).to.equal(true);
    expect(n.candidates.relay).to.equal(0);
    expect(n.relay?.connected).to.equal(false);
    // Told at once: the gathering found no relay address, so the relayed connection was not waited for until its timeout.
    expect(n.relay?.errorCode).to.equal(undefined);
    expect(n.relay?.error).to.equal('the relay gave no address');
    expect(n.verdict).to.equal('turn-failed');
    expect(n.errors.map((e) => e.errorCode)).to.include(401);
    expect(n.turnAuthFailed).to.equal(true);
    expect(step(r, 'network').status).to.equal('fail');
    expect(step(r, 'network').message).to.match(/refused our credentials/);
    expect(step(r, 'network').code).to.equal('turn-refused');
    expect(r.ok).to.equal(false);
  });

  it('TURN configured where nothing answers: "turn-failed" (direct paths may still work)', async () => {
    const r = await runPrecallCheck({ server: await variant('unreachable'), ...NO_DEVICES });
    const n = r.network!;
    expect(n, step(r, 'network').message).to.not.equal(null);
    expect(n.turnConfigured).to.equal(true);
    expect(n.relay?.connected).to.equal(false);
    expect(n.verdict).to.equal('turn-failed');
    expect(n.turnAuthFailed).to.equal(false);
    expect(step(r, 'network').message).to.match(/cannot be reached/);
    expect(step(r, 'network').code).to.equal('turn-unreachable');
  });

  it('no TURN on loopback: "Direct connection possible", no relay test', async () => {
    const r = await runPrecallCheck({ server: await variant('none'), ...NO_DEVICES });
    const n = r.network!;
    expect(n.turnConfigured).to.equal(false);
    expect(n.relay).to.equal(null);
    expect(n.candidates.host).to.be.greaterThan(0);
    expect(n.verdict).to.equal('direct');
    expect(n.verdictText).to.equal('Direct connection possible');
    expect(step(r, 'network').message).to.match(/no relay \(TURN\) server/);
    expect(['direct', 'direct-local-only']).to.include(step(r, 'network').code);
  });

  it('no TURN and relay-only: "Blocked"', async () => {
    const r = await runPrecallCheck({ server: await variant('none'), iceTransportPolicy: 'relay', ...NO_DEVICES });
    expect(r.network!.verdict).to.equal('blocked');
    expect(step(r, 'network').status).to.equal('fail');
  });

  it('a call server that does not answer fails the network step in words', async () => {
    const started = performance.now();
    const r = await runPrecallCheck({ server: 'http://127.0.0.1:9', ...NO_DEVICES });
    // The refused connection answers: not the 8 s the check gives a server that says nothing.
    expect(performance.now() - started, 'failed when the connection was refused').to.be.below(6000);
    expect(step(r, 'network').status).to.equal('fail');
    expect(step(r, 'network').message).to.match(/Could not reach the call server/);
    expect(step(r, 'network').code).to.equal('server-unreachable');
  });

  it('camera, microphone and speaker: frames, a level above the floor, and every track released', async () => {
    const progress: PrecallResult[] = [];
    const { value: r, tracks } = await watchingResources(() => runPrecallCheck({ network: false, onProgress: (p) => progress.push(p) }));
    expect(step(r, 'camera').status, step(r, 'camera').message).to.equal('pass');
    expect(r.camera!.width).to.be.greaterThan(0);
    expect(r.camera!.frames).to.be.greaterThan(1);
    expect(step(r, 'microphone').status, step(r, 'microphone').message).to.equal('pass');
    expect(r.microphone!.peakDb).to.be.greaterThan(-50);
    expect(['pass', 'warn']).to.include(step(r, 'speaker').status);
    expect(step(r, 'network').status).to.equal('skipped');
    expect(step(r, 'network').code).to.equal('not-tested');
    expect(step(r, 'camera').code).to.equal('camera-works');
    expect(step(r, 'camera').params?.width).to.equal(r.camera!.width);
    expect(step(r, 'microphone').code).to.equal('microphone-works');
    expect(['speakers-choose', 'speaker-works', 'speaker-default']).to.include(step(r, 'speaker').code);
    expect(tracks.length).to.equal(2);
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
    // Each step was seen running, then finished.
    for (const id of ['camera', 'microphone', 'speaker'])
      expect(
        progress.some((p) => step(p, id).status === 'running'),
        id,
      ).to.equal(true);
    expect(progress.at(-1)!.done).to.equal(true);
  });

  it('aborting stops at once and releases everything it opened', async () => {
    const server = await signalUrl();
    const controller = new AbortController();
    let err: unknown;
    const { tracks, pcs } = await watchingResources(async () => {
      const running = runPrecallCheck({
        server,
        iceTransportPolicy: 'relay',
        signal: controller.signal,
        onProgress: (p) => p.steps.some((s) => s.status === 'running') && controller.abort(),
      });
      await running.catch((e) => (err = e));
    });
    expect((err as DOMException)?.name).to.equal('AbortError');
    await waitFor(() => tracks.every((t) => t.readyState === 'ended') && pcs.every((pc) => pc.connectionState === 'closed'), 'everything released', 5000);
  });
});
