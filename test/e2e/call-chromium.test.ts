/**
 * Chromium ↔ Chromium calls through the real server and the demo page, driven as a user would:
 * type a name into "Your name", click Join, and check in each page that the other side's video is
 * decoded and its audio received and played. Each page lives in its own browser context (own
 * storage, own renderer); one Chromium and one server for the whole file.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { expectDecoding, expectParticipants, inPage, openPeer, sleep, uniqueRoom, waitFor, waitForLoaded, type Peer } from './helpers/call.js';

describe('Chromium calls through the demo page', () => {
  const open: Peer[] = [];
  // Added before the fixture's after(): the pages close while the browser is still there.
  after(async () => {
    await Promise.all(open.map((p) => p.close()));
  });
  const e2e = e2eFixture();

  async function peers(room: string, labels: string[], options: Parameters<typeof openPeer>[2] = {}): Promise<Peer[]> {
    const url = `${e2e.server.url}/?room=${room}`;
    const made = await Promise.all(labels.map((label) => openPeer(e2e.chromium.browser, url, { ...options, label })));
    open.push(...made);
    return made;
  }
  async function closeAll(list: Peer[]): Promise<void> {
    await Promise.all(list.map((p) => p.close()));
  }
  const healthz = async () => (await (await fetch(`${e2e.server.url}/healthz`)).json()) as { ok: boolean; rooms: number; sockets: number };

  it("two pages decode each other and show each other's name", { timeout: 60_000 }, async () => {
    const list = await peers(uniqueRoom('two'), ['Alice', 'Bob']);
    const [alice, bob] = list;
    try {
      await alice.join('Alice');
      await bob.join('Bob');
      await Promise.all([expectDecoding(alice, { names: ['Bob'] }), expectDecoding(bob, { names: ['Alice'] })]);
      // The remote sound is played by the tile's unmuted <video> (the local preview stays muted).
      for (const [peer, other] of [
        [alice, 'Bob'],
        [bob, 'Alice'],
      ] as const) {
        const s = await peer.snapshot();
        const r = s.remotes[0];
        assert.equal(r.tile?.label, other);
        assert.equal(r.tile?.muted, false, `${peer.label}: remote video element is not muted`);
        assert.equal(r.tile?.paused, false, `${peer.label}: remote video element plays`);
        assert.equal(r.tile?.hasAudioTrack, true, `${peer.label}: remote tile plays the audio track`);
        assert.deepEqual(await peer.messages(), [], `${peer.label}: no error shown`);
      }
      // Check of the check: Chromium counts only the received samples that some player takes, so
      // with the stream taken off the tile's <video> the audio assertion must fail on them. (The
      // tile puts its stream back on its next render, e.g. when someone starts speaking: pin
      // srcObject to null for this.)
      const unplugged = await inPage<number>(
        alice.page,
        `__e2e.deepAll('rtc-video-tile[participant-id]').map((t) => t.shadowRoot.querySelector('video')).filter((v) => v && (v.pause(), (v.srcObject = null), Object.defineProperty(v, 'srcObject', { get: () => null, set: () => {} }), true)).length`,
      );
      assert.equal(unplugged, 1);
      await assert.rejects(expectDecoding(alice, { names: ['Bob'], video: false, timeoutMs: 3_000 }), /audio totalSamplesReceived not growing/);
    } finally {
      await closeAll(list);
    }
  });

  it('the frame check fails while the remote camera is off, and passes again once it is back on', { timeout: 60_000 }, async () => {
    const list = await peers(uniqueRoom('camoff'), ['Alice', 'Bob']);
    const [alice, bob] = list;
    try {
      await alice.join('Alice');
      await bob.join('Bob');
      await expectDecoding(bob, { names: ['Alice'] });

      await alice.click('Camera'); // off: the track is stopped and the sender sends nothing
      await waitFor(async () => (await bob.snapshot()).remotes[0]?.tile?.videoMuted, { what: "Bob to show Alice's camera-off placeholder" });
      // The placeholder can show before the last frames in flight are decoded: wait for the count to stop.
      await waitFor(
        () =>
          expectDecoding(bob, { names: ['Alice'], timeoutMs: 4_000 }).then(
            () => false,
            (e: Error) => /video framesDecoded not growing/.test(e.message),
          ),
        { what: "Bob's decoded frames of Alice to stop growing", timeoutMs: 20_000 },
      );
      // Only the picture stopped: the sound still arrives.
      await expectDecoding(bob, { names: ['Alice'], video: false });

      await alice.click('Camera'); // on again: a new track, swapped in with replaceTrack
      await expectDecoding(bob, { names: ['Alice'] });
      assert.equal((await bob.snapshot()).remotes[0]?.tile?.videoMuted, false);
    } finally {
      await closeAll(list);
    }
  });

  it('two pages clicking Join at the same instant connect both ways', { timeout: 60_000 }, async () => {
    const list = await peers(uniqueRoom('glare'), ['Ann', 'Ben']);
    const [ann, ben] = list;
    try {
      const buttons = await Promise.all([ann.readyToJoin('Ann'), ben.readyToJoin('Ben')]);
      await Promise.all(buttons.map((b) => b.click()));
      await Promise.all([ann.joined(), ben.joined()]);
      await Promise.all([expectDecoding(ann, { names: ['Ben'] }), expectDecoding(ben, { names: ['Ann'] })]);
    } finally {
      await closeAll(list);
    }
  });

  it('three pages clicking Join at the same instant form a full mesh', { timeout: 90_000 }, async () => {
    const names = ['Cat', 'Dan', 'Eve'];
    const list = await peers(uniqueRoom('burst'), names);
    try {
      const buttons = await Promise.all(list.map((p, i) => p.readyToJoin(names[i])));
      await Promise.all(buttons.map((b) => b.click()));
      await Promise.all(list.map((p) => p.joined()));
      await Promise.all(list.map((p, i) => expectDecoding(p, { names: names.filter((_, j) => j !== i), timeoutMs: 40_000 })));
    } finally {
      await closeAll(list);
    }
  });

  it('a page that reloads and joins again leaves no ghost behind', { timeout: 60_000 }, async () => {
    const list = await peers(uniqueRoom('reload'), ['Rita', 'Sam']);
    const [rita, sam] = list;
    try {
      await rita.join('Rita');
      await sam.join('Sam');
      await expectDecoding(sam, { names: ['Rita'] });
      const oldId = (await rita.snapshot()).localId;

      await rita.page.reload({ waitUntil: 'domcontentloaded' });
      await waitForLoaded(rita.page);
      // The name is remembered on this device: the field is filled in, the user only clicks Join.
      await waitFor(async () => (await rita.nameField()) === 'Rita', { what: 'the remembered name in "Your name"' });
      await rita.join();
      const rejoinedAt = Date.now();
      const newId = (await rita.snapshot()).localId;
      assert.ok(newId && newId !== oldId, 'the reloaded page has a new peer id');

      const s = await expectDecoding(sam, { names: ['Rita'] });
      assert.deepEqual(
        s.remotes.map((r) => r.id),
        [newId],
      );
      await expectDecoding(rita, { names: ['Sam'] });
      // Until past the offer fallback (4 s after a peer joins): no late ghost either.
      await sleep(Math.max(0, rejoinedAt + 5_000 - Date.now()));
      const later = await sam.snapshot();
      assert.deepEqual(
        later.remotes.map((r) => r.id),
        [newId],
        'exactly one remote participant, the new one',
      );
      assert.equal(later.tiles, 1);
      assert.deepEqual(await sam.messages(), [], 'Sam sees no error about the page that went away');
    } finally {
      await closeAll(list);
    }
  });

  it('Leave ends every track and peer connection and closes the socket', { timeout: 60_000 }, async () => {
    const list = await peers(uniqueRoom('cleanup'), ['Lea', 'Max'], { instrument: true });
    const [lea, max] = list;
    try {
      await lea.join('Lea');
      await max.join('Max');
      await Promise.all([expectDecoding(lea, { names: ['Max'] }), expectDecoding(max, { names: ['Lea'] })]);
      const leaId = (await lea.snapshot()).localId!;
      // Only our two pages are connected to this server by now (earlier tests' pages are closed).
      await waitFor(async () => (await healthz()).sockets === 2, {
        what: '/healthz to count our 2 sockets',
        describe: async () => JSON.stringify(await healthz()),
      });
      const socketOf = (peerId: string) => [...e2e.server.server.io.sockets.sockets.values()].find((s) => s.data.peerId === peerId);
      assert.ok(socketOf(leaId));
      const before = await inPage<{ pcs: string[]; tracks: string[] }>(lea.page, '__e2e.recorded()');
      assert.ok(before.pcs.includes('connected'), `a connected peer connection before Leave: ${JSON.stringify(before)}`);
      assert.ok(before.tracks.filter((t) => t.endsWith(':live')).length >= 2, `live camera and microphone before Leave: ${JSON.stringify(before)}`);

      await lea.click('Leave');
      await waitFor(async () => (await lea.snapshot()).status === 'left', { what: "Lea's session to be left" });
      const rec = await waitFor(
        async () => {
          const r = await inPage<{ pcs: string[]; tracks: string[] }>(lea.page, '__e2e.recorded()');
          return r.pcs.every((s) => s === 'closed') && r.tracks.every((t) => t.endsWith(':ended')) ? r : undefined;
        },
        {
          timeoutMs: 5_000,
          what: 'every peer connection closed and every track ended',
          describe: async () => JSON.stringify(await inPage(lea.page, '__e2e.recorded()')),
        },
      );
      assert.ok(rec.tracks.length >= 2);
      const page = await inPage<{ streamTracks: number; text: string }>(
        lea.page,
        `({ streamTracks: __e2e.room().session.localMedia.get().stream.getTracks().length, text: __e2e.room().shadowRoot.textContent })`,
      );
      assert.equal(page.streamTracks, 0, 'no track left in the local stream');
      assert.match(page.text, /You left the call/);

      await waitFor(async () => (await healthz()).sockets === 1, {
        timeoutMs: 5_000,
        what: "/healthz to drop Lea's socket",
        describe: async () => JSON.stringify(await healthz()),
      });
      assert.equal(socketOf(leaId), undefined);
      await expectParticipants(max, [], 5_000);
      assert.deepEqual(await max.messages(), [], 'Max sees no error');
    } finally {
      await closeAll(list);
    }
  });
});
