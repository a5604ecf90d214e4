/**
 * Camera and screen together (P2P 1.6), Chromium ↔ Firefox through the real server and the demo
 * page: the sharer's screen goes out on transceivers of its own beside the camera, the other
 * browser decodes two video tracks from it and its room shows the screen in the spotlight and the
 * camera in the strip; stopping leaves the camera. Headless Firefox has no screen to capture, so
 * both pages share a canvas (320×180) as getDisplayMedia's answer. Cameras without microphones
 * (`?media=video`): the test is about video tracks, and audio would cost the two cores as much.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eFixture } from './helpers/fixture.js';
import { expectDecoding, inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';

/** In the page: getDisplayMedia answers with a moving 320×180 canvas. */
const CANVAS_DISPLAY = `(() => {
  navigator.mediaDevices.getDisplayMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const ctx = canvas.getContext('2d');
    let n = 0;
    setInterval(() => { ctx.fillStyle = 'hsl(' + ((n += 7) % 360) + ' 80% 50%)'; ctx.fillRect(0, 0, 320, 180); }, 33);
    return canvas.captureStream(30);
  };
  return true;
})()`;

/** In the page: each inbound video stream's decoded frames and size, from the one remote. */
const INBOUND_VIDEOS = `(async () => {
  const s = __e2e.room().session;
  const remote = s.participants.get().find((p) => !p.isLocal);
  const out = [];
  (await s.peerConnection(remote.id).getStats()).forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === 'video') out.push({ id: String(r.ssrc), frames: r.framesDecoded || 0, width: r.frameWidth || 0, height: r.frameHeight || 0 });
  });
  return out;
})()`;

/** In the page: the room's tiles of the remote (source, spotlight, playing size). */
const TILES = `(() => {
  const room = __e2e.room();
  const remote = room.session.participants.get().find((p) => !p.isLocal);
  return [...room.shadowRoot.querySelectorAll('rtc-video-tile[participant-id="' + CSS.escape(remote.id) + '"]')].map((t) => {
    const v = t.shadowRoot.querySelector('video');
    return { source: t.getAttribute('source'), spotlight: (t.getAttribute('part') || '').split(' ').includes('spotlight'), width: v ? v.videoWidth : 0, height: v ? v.videoHeight : 0 };
  });
})()`;

type VideoIn = { id: string; frames: number; width: number; height: number };
type Tile = { source: string | null; spotlight: boolean; width: number; height: number };

describe('Camera and screen together, Chromium and Firefox', () => {
  const e2e = e2eFixture({ firefox: true });

  /** `receiver` decodes two video tracks from the sharer, both moving, one the 320×180 screen. */
  async function expectTwoVideos(receiver: Peer) {
    const pick = (v: VideoIn[]) => {
      const screen = v.find((x) => x.frames > 0 && x.width === 320 && x.height === 180);
      const camera = v.find((x) => x !== screen && x.frames > 0 && x.width > 0 && !(x.width === 320 && x.height === 180));
      return screen && camera ? { screen, camera } : undefined;
    };
    const first = await waitFor(async () => pick(await inPage<VideoIn[]>(receiver.page, INBOUND_VIDEOS)), {
      timeoutMs: 40_000,
      what: `${receiver.label}: the camera and the 320×180 screen decoded`,
      describe: async () => JSON.stringify(await inPage(receiver.page, INBOUND_VIDEOS)),
    });
    await waitFor(
      async () => {
        const v = await inPage<VideoIn[]>(receiver.page, INBOUND_VIDEOS);
        const now = (id: string) => v.find((x) => x.id === id)?.frames ?? 0;
        return now(first.screen.id) >= first.screen.frames + 5 && now(first.camera.id) >= first.camera.frames + 5 ? true : undefined;
      },
      { timeoutMs: 30_000, what: `${receiver.label}: frames rising on both video tracks` },
    );
  }

  for (const [sharer, receiver] of [
    ['chromium', 'firefox'],
    ['firefox', 'chromium'],
  ] as const) {
    it(`${sharer} shares its screen beside its camera; ${receiver} decodes both and spotlights the screen`, { timeout: 150_000 }, async () => {
      const url = `${e2e.server.url}/?room=${uniqueRoom(`screen-${sharer}`)}&media=video`;
      const list: Peer[] = [];
      try {
        const s = await openPeer(e2e[sharer].browser, url, { label: `${sharer} sharer`, viewport: { width: 1280, height: 720 } });
        list.push(s);
        const r = await openPeer(e2e[receiver].browser, url, { label: `${receiver} receiver`, viewport: { width: 1280, height: 720 } });
        list.push(r);
        await s.join('Sharer');
        await r.join('Receiver');
        await Promise.all([
          expectDecoding(s, { names: ['Receiver'], audio: false, timeoutMs: 40_000 }),
          expectDecoding(r, { names: ['Sharer'], audio: false, timeoutMs: 40_000 }),
        ]);

        await inPage(s.page, CANVAS_DISPLAY);
        await inPage(s.page, `__e2e.room().session.startScreenShare().then(() => true)`);
        await expectTwoVideos(r);
        const tiles = await waitFor(
          async () => {
            const t = await inPage<Tile[]>(r.page, TILES);
            const screen = t.find((x) => x.source === 'screen');
            return screen?.spotlight && screen.width === 320 && t.some((x) => x.source !== 'screen' && !x.spotlight && x.width > 0) ? t : undefined;
          },
          {
            timeoutMs: 30_000,
            what: `${receiver}: the screen in the spotlight, the camera in the strip`,
            describe: async () => JSON.stringify(await inPage(r.page, TILES)),
          },
        );
        assert.equal(tiles.length, 2);
        if (process.env.SCREENSHOTS) {
          // For a look by eye (SCREENSHOTS=1): the receiver and the sharer, wide and phone-sized.
          for (const [p, who] of [
            [r, 'receiver'],
            [s, 'sharer'],
          ] as const) {
            await p.page.screenshot({ path: `/tmp/F-${p === r ? receiver : sharer}-${who}-1280.png` });
            await p.page.setViewport({ width: 390, height: 844 });
            await new Promise((done) => setTimeout(done, 1500));
            await p.page.screenshot({ path: `/tmp/F-${p === r ? receiver : sharer}-${who}-390.png` });
            await p.page.setViewport({ width: 1280, height: 720 });
          }
        }

        await inPage(s.page, `__e2e.room().session.stopScreenShare().then(() => true)`);
        await waitFor(async () => ((await inPage<Tile[]>(r.page, TILES)).length === 1 ? true : undefined), { timeoutMs: 20_000, what: 'the screen tile gone' });
        await expectDecoding(r, { names: ['Sharer'], audio: false, timeoutMs: 30_000 });
        assert.deepEqual(await r.messages(), [], 'no error shown');
        assert.deepEqual(await s.messages(), [], 'no error shown');
      } finally {
        await Promise.all(list.map((p) => p.close()));
      }
    });
  }

  it("both share at the same moment (their offers may cross): each decodes the other's camera and screen", { timeout: 150_000 }, async () => {
    const url = `${e2e.server.url}/?room=${uniqueRoom('screen-both')}&media=video`;
    const list: Peer[] = [];
    try {
      const c = await openPeer(e2e.chromium.browser, url, { label: 'chromium' });
      list.push(c);
      const f = await openPeer(e2e.firefox.browser, url, { label: 'firefox' });
      list.push(f);
      await c.join('Chromium user');
      await f.join('Firefox user');
      await Promise.all([
        expectDecoding(c, { names: ['Firefox user'], audio: false, timeoutMs: 40_000 }),
        expectDecoding(f, { names: ['Chromium user'], audio: false, timeoutMs: 40_000 }),
      ]);
      await Promise.all([inPage(c.page, CANVAS_DISPLAY), inPage(f.page, CANVAS_DISPLAY)]);
      const share = `__e2e.room().session.startScreenShare().then(() => true)`;
      await Promise.all([inPage(c.page, share), inPage(f.page, share)]);
      await Promise.all([expectTwoVideos(c), expectTwoVideos(f)]);
      assert.deepEqual(await c.messages(), [], 'no error shown');
      assert.deepEqual(await f.messages(), [], 'no error shown');
    } finally {
      await Promise.all(list.map((p) => p.close()));
    }
  });
});
