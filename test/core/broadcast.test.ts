import { expect } from '@open-wc/testing';
import { DEFAULT_VIEWER_BITRATE, meshFanout, type RtcSession } from '../../src/core/index.js';
import { Audience } from '../../src/core/broadcast/audience.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { sessionSet } from '../helpers/sessions.js';
import { waitFor } from '../helpers/wait.js';

describe('broadcast rules (src/core/broadcast)', () => {
  it('the mesh path: presenters connect to everyone, viewers only to presenters; viewer links capped', () => {
    const path = meshFanout();
    expect(path.connects('host', 'viewer')).to.equal(true);
    expect(path.connects('viewer', 'guest')).to.equal(true);
    expect(path.connects('guest', 'host')).to.equal(true);
    expect(path.connects('viewer', 'viewer')).to.equal(false);
    expect(path.linkCap('host', 'viewer')).to.equal(DEFAULT_VIEWER_BITRATE);
    expect(path.linkCap('host', 'guest')).to.equal(undefined);
    expect(path.linkCap('viewer', 'host')).to.equal(undefined);
    expect(meshFanout({ viewerBitrate: 200_000 }).linkCap('guest', 'viewer')).to.equal(200_000);
  });

  it('Audience: counts viewers (us too), plans the links after a role change; a meeting connects everyone', () => {
    let self: 'host' | 'guest' | 'viewer' = 'viewer';
    const a = new Audience(() => self);
    const peers = [
      { id: 'h', name: 'Host', role: 'host' as const },
      { id: 'v1', name: 'V1', role: 'viewer' as const },
      { id: 'v2', name: 'V2', role: 'viewer' as const },
    ];
    a.joined({ peers, settings: { locked: false, lobby: false, mode: 'broadcast' } });
    expect(a.mode.get()).to.equal('broadcast');
    expect(a.viewerCount.get()).to.equal(3);
    expect(a.connects('h')).to.equal(true);
    expect(a.connects('v1')).to.equal(false);
    expect(a.plan(['h'])).to.deep.equal({ open: [], close: [] });
    // Invited on stage: links to every viewer.
    self = 'guest';
    a.recount();
    expect(a.viewerCount.get()).to.equal(2);
    expect(a.plan(['h'])).to.deep.equal({ open: ['v1', 'v2'], close: [] });
    expect(a.linkCap('v1')).to.equal(DEFAULT_VIEWER_BITRATE);
    // Back in the audience: those links go.
    self = 'viewer';
    expect(a.plan(['h', 'v1', 'v2'])).to.deep.equal({ open: [], close: ['v1', 'v2'] });
    // Someone else on stage: we (a viewer) should connect to them.
    a.setRole('v2', 'guest');
    expect(a.plan(['h'])).to.deep.equal({ open: ['v2'], close: [] });
    expect(a.viewerCount.get()).to.equal(2);
    a.delete('v1');
    expect(a.viewerCount.get()).to.equal(1);
    a.add({ id: 'v3', name: 'V3', role: 'viewer' });
    expect(a.viewerCount.get()).to.equal(2);
    // A meeting: everyone connects to everyone, nothing capped.
    a.joined({ peers, settings: { locked: false, lobby: false } });
    expect(a.connects('v1')).to.equal(true);
    expect(a.linkCap('v1')).to.equal(undefined);
    a.reset();
    expect(a.viewerCount.get()).to.equal(1); // still "us", while self() says viewer
  });
});

/** A broadcast through the real server: one presenter, three viewers; one invited on stage and back. */
describe('Broadcast rooms (real server)', function () {
  this.timeout(120_000);
  let sig: Signaling;
  const { make, leaveAll } = sessionSet(() => ({ room: sig.room, transport: sig.transport, mode: 'broadcast' as const }), { timeout: 60_000 });
  beforeEach(async () => {
    sig = await signaling('server', 'live');
  });
  afterEach(leaveAll);

  const links = (s: RtcSession, others: RtcSession[]) => others.filter((o) => !!s.peerConnection(o.localId)).map((o) => o.name);
  const connectedTo = (s: RtcSession, id: string) => s.participants.get().find((p) => p.id === id)?.connectionState === 'connected';

  it('viewers connect only to the presenter, count the audience, and follow an invitation on stage', async () => {
    const host = make('Host');
    await host.join();
    expect(host.moderation.role.get()).to.equal('host');
    expect(host.roomMode.get()).to.equal('broadcast');
    expect(host.localMedia.get().acquired, 'the presenter opened its devices after joining').to.equal(true);
    const viewers = [make('V1'), make('V2'), make('V3')];
    for (const v of viewers) {
      expect(v.isViewer && v.mayPresent, 'before joining: watching, may present').to.equal(true);
      await v.join();
      expect(v.moderation.role.get()).to.equal('viewer');
      expect(v.localMedia.get().acquired, 'a viewer opens no device').to.equal(false);
      await waitFor(() => connectedTo(v, host.localId), `${v.name} connected to the presenter`, 60_000);
    }
    for (const s of [host, ...viewers]) await waitFor(() => s.viewerCount.get() === 3, `${s.name}: 3 watching`, 20_000);
    for (const v of viewers)
      expect(
        links(
          v,
          viewers.filter((o) => o !== v),
        ),
        `${v.name} has no link to a viewer`,
      ).to.deep.equal([]);
    expect(links(host, viewers)).to.deep.equal(['V1', 'V2', 'V3']);
    // The presenter caps each viewer link.
    await waitFor(
      () => viewers.every((v) => (host.qualityState(v.localId).link?.applied?.maxBitrate ?? Infinity) <= Math.min(3_000_000 / 3, DEFAULT_VIEWER_BITRATE)),
      'caps applied',
      30_000,
    );

    // V1 on stage: it connects to V2 and V3 (it offers), opens its devices when asked, and sends.
    const [v1, v2, v3] = viewers as [RtcSession, RtcSession, RtcSession];
    await host.moderation.setRole(v1.localId, 'guest');
    await waitFor(() => v1.moderation.role.get() === 'guest', 'V1 on stage', 20_000);
    await v1.startMedia();
    for (const v of [v2, v3]) await waitFor(() => connectedTo(v, v1.localId), `${v.name} connected to V1`, 60_000);
    await waitFor(
      () =>
        v2.participants
          .get()
          .find((p) => p.id === v1.localId)
          ?.stream?.getVideoTracks().length === 1,
      'V2 receives V1 video',
      30_000,
    );
    for (const s of [host, ...viewers]) await waitFor(() => s.viewerCount.get() === 2, `${s.name}: 2 watching`, 20_000);
    expect(links(v2, [v3])).to.deep.equal([]);

    // Back to the audience: the links between V1 and the viewers close; V1 stops sending.
    await host.moderation.setRole(v1.localId, 'viewer');
    for (const v of [v2, v3]) await waitFor(() => !v.peerConnection(v1.localId), `${v.name}: no link to V1 any more`, 30_000);
    await waitFor(() => !v1.peerConnection(v2.localId) && !v1.peerConnection(v3.localId), 'V1: no links to viewers', 30_000);
    expect(connectedTo(v1, host.localId), 'V1 still watches the presenter').to.equal(true);
    expect(
      v1.localMedia
        .get()
        .stream.getTracks()
        .filter((t) => t.readyState === 'live'),
    ).to.deep.equal([]);
    for (const s of [host, ...viewers]) await waitFor(() => s.viewerCount.get() === 3, `${s.name}: 3 watching again`, 20_000);
    expect(sig.serverErrors).to.deep.equal([]);
  });

  it("viewers read each other's chat, handed on by the presenter, signed by its author; a forged forward is dropped", async () => {
    const host = make('Host');
    await host.join();
    const [v1, v2] = [make('V1'), make('V2')];
    for (const v of [v1, v2]) {
      await v.join();
      await waitFor(() => v.dataChannel(host.localId, 'chat')?.readyState === 'open', `${v.name}: chat with the presenter open`, 60_000);
    }
    await waitFor(() => host.dataChannel(v2.localId, 'chat')?.readyState === 'open', 'the presenter: chat with V2 open', 60_000);
    // What the presenter forwards, as it arrives at V2.
    const frames: Record<string, unknown>[] = [];
    v2.dataChannel(host.localId, 'chat')!.addEventListener('message', ({ data }) => {
      const frame = JSON.parse(data as string) as Record<string, unknown>;
      if (frame.t === 'fwd') frames.push(frame);
    });
    const sent = await v1.chat.send('hello from the audience');
    const got = (s: RtcSession) => s.chat.messages.get().filter((m) => m.id === sent.id);
    await waitFor(() => got(v2).length === 1, 'V2 reads V1 (no link between them)', 30_000);
    expect(v2.peerConnection(v1.localId), 'V2 has no link to V1').to.equal(undefined);
    expect(got(v2)[0]).to.deep.include({ from: v1.localId, name: 'V1', text: 'hello from the audience', verified: true, local: false });
    expect(got(v2)[0]!.relayedBy, 'live, not history').to.equal(undefined);
    await waitFor(() => got(host).length === 1, 'the presenter reads V1', 30_000);
    expect(got(v1), 'V1 has its own once (nothing comes back to it)').to.have.length(1);
    // The presenter's own words reach every viewer directly, once.
    const own = await host.chat.send('welcome');
    for (const v of [v1, v2]) await waitFor(() => v.chat.messages.get().filter((m) => m.id === own.id).length === 1, `${v.name} reads the presenter`, 30_000);

    // A presenter that changes the words cannot sign them as V1: V2 drops them.
    await waitFor(() => frames.length === 1, 'the forwarded frame seen', 10_000);
    const before = v2.chat.dropped['forward-bad-signature'] ?? 0;
    const toV2 = host.dataChannel(v2.localId, 'chat')!;
    toV2.send(JSON.stringify({ ...frames[0], id: 'forged-1', text: 'I never said this' }));
    await waitFor(() => (v2.chat.dropped['forward-bad-signature'] ?? 0) === before + 1, 'V2 dropped the forged forward', 20_000);
    // The genuine frame again: a duplicate, not a second message.
    toV2.send(JSON.stringify(frames[0]));
    const third = await host.chat.send('after the replay');
    await waitFor(() => v2.chat.messages.get().some((m) => m.id === third.id), 'V2 reads what came after', 30_000);
    expect(got(v2)).to.have.length(1);
    expect(v2.chat.messages.get().some((m) => m.id === 'forged-1')).to.equal(false);
    expect(sig.serverErrors).to.deep.equal([]);
  });
});
