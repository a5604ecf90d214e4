/**
 * Tile renders in a call of three, through the real signaling server: a change to one participant
 * re-renders that participant's tile only. `<rtc-room>` hands each tile its own record, the
 * session keeps an unchanged participant's record the same object across publishes, and a tile
 * that looks itself up (`participant-id`, `local`: a composed layout) ignores changes to others.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/define-all.js';
import { SocketIoTransport, type RtcRoom, type RtcSession, type RtcVideoTile } from '../../src/index.js';
import { signalUrl, uniqueRoom } from '../helpers/signaling.js';
import { channelsOpen, peerConnected, sessionSet } from '../helpers/sessions.js';
import { deep, sleep, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** Counts the renders of one tile instance from now on. */
function countRenders(tile: RtcVideoTile): () => number {
  let n = 0;
  const own = tile as unknown as { render(): unknown };
  const render = own.render;
  own.render = function (this: unknown) {
    n++;
    return render.call(this);
  };
  return () => n;
}

describe('tile renders (real server)', function () {
  // A three-way call with video on two shared cores: slow when the machine is busy.
  this.timeout(180_000);
  let url: string;
  let room: string;
  const set = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url), devices: { storageKey: null } }), {
    // Connected, and the control channel (muted state, hands) open.
    linked: (s, id) => peerConnected(s, id) && channelsOpen('control')(s, id),
    ignoreLeaveErrors: true,
  });
  beforeEach(async () => {
    url = await signalUrl();
    room = uniqueRoom('tile-renders');
  });
  afterEach(() => set.leaveAll());

  it('a remote muting, then another raising a hand, re-renders that participant’s tile only (room tiles and composed tiles)', async () => {
    // Only Bob has a microphone: a fake microphone's tone makes its owner "speak" now and then
    // (a real change of that participant), which must not blur the counts of the others.
    const camera = { media: { audio: false, video: true } };
    const ada = set.make('Ada', camera);
    const bob = set.make('Bob');
    const cy = set.make('Cy', camera);
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${ada} style="width: 1200px"></rtc-room>`);
    await el.join();
    await bob.join();
    await cy.join();
    for (const s of [ada, bob, cy])
      await set.connected(
        s,
        [ada, bob, cy].filter((o) => o !== s),
      );

    const roomTile = (s: RtcSession) =>
      sr(el).querySelector<RtcVideoTile>(s === ada ? 'rtc-video-tile[local]' : `rtc-video-tile[participant-id="${s.localId}"]`);
    await waitFor(
      () => sr(el).querySelectorAll('rtc-video-tile').length === 3 && [bob, cy].every((s) => roomTile(s)?.connectionState === 'connected'),
      'three tiles, both remotes connected',
    );
    // A composed layout beside it: tiles that look their participant up in Ada's session.
    const composed = await fixture<HTMLDivElement>(html`<div style="display: grid; grid-template-columns: repeat(3, 300px)">
      <rtc-video-tile .session=${ada} local></rtc-video-tile>
      <rtc-video-tile .session=${ada} participant-id=${bob.localId}></rtc-video-tile>
      <rtc-video-tile .session=${ada} participant-id=${cy.localId}></rtc-video-tile>
    </div>`);
    const [cAda, cBob, cCy] = [...composed.querySelectorAll('rtc-video-tile')] as RtcVideoTile[];
    await waitFor(() => [cBob, cCy].every((t) => t!.connectionState === 'connected'), 'the composed tiles show the call');
    const tiles = { ada: roomTile(ada)!, bob: roomTile(bob)!, cy: roomTile(cy)!, 'composed ada': cAda!, 'composed bob': cBob!, 'composed cy': cCy! };
    const counters = Object.entries(tiles).map(([name, tile]) => [name, countRenders(tile)] as const);
    const counts = () => Object.fromEntries(counters.map(([name, n]) => [name, n()]));
    // A record that really changed (on a busy machine, e.g. a link's state moving) may render its
    // tiles: count, per participant, the records whose fields differ from the previous one. A new
    // object with the same fields is not a change: it must keep the tile still (keepUnchanged).
    const idOf = { ada: ada.localId, bob: bob.localId, cy: cy.localId } as Record<string, string | null>;
    const recordChanges: Record<string, number> = {};
    const differs = (a: object | undefined, b: object) =>
      !a || Object.keys({ ...a, ...b }).some((k) => (a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]);
    let lastRecords = new Map(ada.participants.get().map((p) => [p.id, p]));
    const unsubscribe = ada.participants.subscribe((list) => {
      for (const p of list) if (differs(lastRecords.get(p.id), p)) recordChanges[p.id] = (recordChanges[p.id] ?? 0) + 1;
      lastRecords = new Map(list.map((p) => [p.id, p]));
    });
    const changesOf = (name: string) => recordChanges[idOf[name.replace('composed ', '')]!] ?? 0;

    // Connection quality is sampled every 2 s and its grade may move on a busy machine: a real
    // change of that participant, at a random time. Stop Ada's sampling so only our changes happen.
    ada.stats.stop();
    const settle = async () => {
      await el.updateComplete;
      await Promise.all(Object.values(tiles).map((t) => t.updateComplete));
      await frame();
    };
    await settle();

    // 1. Bob mutes his microphone: his tiles say so, the others render no more.
    let before = counts();
    let changesBefore = { ...recordChanges };
    await bob.setMicrophoneEnabled(false);
    await waitFor(() => deep(tiles.bob, '[part=muted-indicator]') && deep(tiles['composed bob'], '[part=muted-indicator]'), "Bob's tiles show him muted");
    await settle();
    // Let a late, unwanted render have its chance.
    await sleep(500);
    await settle();
    let after = counts();
    const delta = (name: string) => after[name]! - before[name]!;
    /** Renders allowed to a tile that should not render: one per change of its own record meanwhile. */
    const ownChanges = (name: string) => changesOf(name) - (changesBefore[idOf[name.replace('composed ', '')]!] ?? 0);
    const report = () =>
      `${JSON.stringify(Object.fromEntries(Object.keys(after).map((k) => [k, delta(k)])))}; own record changes ${JSON.stringify(Object.fromEntries(Object.keys(after).map((k) => [k, ownChanges(k)])))}`;
    expect(delta('bob'), `renders after Bob muted: ${report()}`).to.be.greaterThan(0);
    expect(delta('composed bob'), `renders after Bob muted: ${report()}`).to.be.greaterThan(0);
    for (const name of ['ada', 'cy', 'composed ada', 'composed cy'])
      expect(delta(name), `${name}: renders after Bob muted: ${report()}`).to.be.at.most(ownChanges(name));
    expect(tiles.bob.audioMuted).to.equal(true);
    expect(tiles.bob.speaking).to.equal(false);

    // 2. Cy raises her hand: the badge shows on her tiles only, the others render no more.
    before = counts();
    changesBefore = { ...recordChanges };
    cy.raiseHand();
    await waitFor(() => deep(tiles.cy, '[part=hand-indicator]') && deep(tiles['composed cy'], '[part=hand-indicator]'), "Cy's tiles show her hand");
    await settle();
    await sleep(500);
    await settle();
    after = counts();
    expect(delta('cy'), `renders after Cy raised her hand: ${report()}`).to.be.greaterThan(0);
    for (const name of ['ada', 'bob', 'composed ada', 'composed bob'])
      expect(delta(name), `${name}: renders after Cy raised her hand: ${report()}`).to.be.at.most(ownChanges(name));
    expect(deep(tiles.cy, '[part=hand-indicator]')!.getAttribute('aria-label')).to.equal('Hand raised, number 1 in the queue');
    expect(deep(tiles.bob, '[part=hand-indicator]')).to.equal(null);
    unsubscribe();
  });
});
