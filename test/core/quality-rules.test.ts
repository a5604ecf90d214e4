import { expect } from '@open-wc/testing';
import { parseControl } from '../../src/core/peer/control.js';
import {
  QualityController,
  VIEW_DEBOUNCE_MS,
  adapt,
  encodingFor,
  largest,
  splitDownload,
  BITS_PER_PIXEL,
  CLEAR_POLLS_TO_RECOVER,
  FEED_FLOOR_BPS,
  LIMITED_POLLS_TO_DROP,
  MIN_BITRATE_BPS,
  NO_ADAPTATION,
  THUMBNAIL_FPS,
  expectedFps,
  outsideLimit,
  type AdaptState,
  type QualityLink,
} from '../../src/core/peer/quality.js';
import type { ViewMessage } from '../../src/core/peer/control.js';
import { waitFor } from '../helpers/wait.js';

/** A link with a control channel that records what it was sent, and no media. */
function fakeLink(): QualityLink & { sent: ViewMessage[] } {
  const sent: ViewMessage[] = [];
  return { sent, pc: {} as RTCPeerConnection, closed: false, sender: () => undefined, sendView: (v) => (sent.push(v), true) };
}

const VGA = { width: 640, height: 480 };
const HD = { width: 1280, height: 720 };
const view = (width: number, height: number, maxBitrate?: number) => ({ width, height, maxBitrate });

describe('receiver-driven quality: the rules', () => {
  describe('splitDownload', () => {
    it('splits by shown area, with a floor per visible feed; hidden feeds get nothing', () => {
      const shares = splitDownload(
        new Map([
          ['spot', { width: 1280, height: 720 }],
          ['a', { width: 320, height: 180 }],
          ['b', { width: 320, height: 180 }],
          ['hidden', { width: 0, height: 0 }],
        ]),
        2_500_000,
      );
      expect(shares.get('hidden')).to.equal(0);
      expect(shares.get('a')).to.equal(shares.get('b'));
      expect(shares.get('a')).to.be.greaterThan(FEED_FLOOR_BPS);
      // The spotlight is 16× a thumbnail's area: its share above the floor is 16× theirs.
      expect((shares.get('spot')! - FEED_FLOOR_BPS) / (shares.get('a')! - FEED_FLOOR_BPS)).to.be.closeTo(16, 0.01);
      const total = [...shares.values()].reduce((a, b) => a + b, 0);
      expect(total).to.be.at.most(2_500_000).and.at.least(2_499_990);
    });

    it('shares equally when the floors do not fit the budget', () => {
      const views = new Map(
        Array.from({ length: 5 }, (_, i) => [`p${i}`, { width: 100 * (i + 1), height: 100 }] as [string, { width: number; height: number }]),
      );
      const shares = splitDownload(views, 500_000);
      for (const v of shares.values()) expect(v).to.equal(100_000);
    });

    it('is empty-safe', () => {
      expect([...splitDownload(new Map(), 1e6)]).to.deep.equal([]);
    });
  });

  describe('encodingFor', () => {
    it('without a view (an older peer, no tile): full size, the upload share, 30 fps', () => {
      expect(encodingFor({ capture: VGA, uploadShare: 600_000 })).to.deep.equal({
        active: true,
        scaleResolutionDownBy: 1,
        maxBitrate: 600_000,
        maxFramerate: 30,
      });
    });

    it('scales so the sent picture covers the tile, never upscales', () => {
      // A 160×90 thumbnail of a 640×480 camera: 160×120 is sent (both sides ≥ the tile's).
      const thumb = encodingFor({ capture: VGA, view: view(160, 90), uploadShare: 3e6 });
      expect(thumb.scaleResolutionDownBy).to.equal(4);
      expect(thumb.maxFramerate).to.equal(15);
      // A tile larger than the capture: no upscaling.
      expect(encodingFor({ capture: VGA, view: view(1920, 1080), uploadShare: 3e6 }).scaleResolutionDownBy).to.equal(1);
      // 640×360 spotlight of a 1280×720 camera: half.
      const spot = encodingFor({ capture: HD, view: view(640, 360), uploadShare: 3e6 });
      expect(spot.scaleResolutionDownBy).to.equal(2);
      expect(spot.maxFramerate).to.equal(30);
    });

    it('never sends less than 90 px high', () => {
      expect(encodingFor({ capture: HD, view: view(32, 18), uploadShare: 3e6 }).scaleResolutionDownBy).to.equal(8);
    });

    it('caps the bitrate by the receiver share, the upload share and the sent size', () => {
      const big = encodingFor({ capture: VGA, view: view(640, 480, 400_000), uploadShare: 3e6 });
      expect(big.maxBitrate).to.equal(400_000);
      expect(encodingFor({ capture: VGA, view: view(640, 480, 2e6), uploadShare: 300_000 }).maxBitrate).to.equal(300_000);
      expect(encodingFor({ capture: VGA, view: view(640, 480, 5e6), uploadShare: 5e6 }).maxBitrate).to.equal(Math.round(640 * 480 * 30 * BITS_PER_PIXEL));
      // A thumbnail costs far less than a spotlight: at most 0.2×.
      const thumb = encodingFor({ capture: VGA, view: view(160, 90, 2e6), uploadShare: 3e6 });
      const spot = encodingFor({ capture: VGA, view: view(640, 360, 2e6), uploadShare: 3e6 });
      expect(thumb.maxBitrate / spot.maxBitrate).to.be.at.most(0.2);
      expect(thumb.maxBitrate).to.equal(MIN_BITRATE_BPS);
    });

    it('a hidden feed is inactive', () => {
      expect(encodingFor({ capture: VGA, view: view(0, 0), uploadShare: 3e6 })).to.include({ active: false, scaleResolutionDownBy: 1 });
    });

    it('honours the receiver fps and works without a capture size', () => {
      expect(encodingFor({ capture: VGA, view: { width: 640, height: 480, fps: 10 }, uploadShare: 1e6 }).maxFramerate).to.equal(10);
      expect(encodingFor({ capture: null, view: view(160, 90), uploadShare: 1e6 })).to.include({ scaleResolutionDownBy: 1, maxFramerate: 15 });
    });

    it('adaptation lowers the resolution first, then the frame rate', () => {
      const a1: AdaptState = { ...NO_ADAPTATION, resolution: 1 };
      const a3: AdaptState = { ...NO_ADAPTATION, resolution: 2, fps: 1 };
      expect(encodingFor({ capture: VGA, uploadShare: 1e6, adaptation: a1 })).to.include({ scaleResolutionDownBy: 1.5, maxFramerate: 30 });
      expect(encodingFor({ capture: VGA, uploadShare: 1e6, adaptation: a3 })).to.include({ scaleResolutionDownBy: 2.25, maxFramerate: 15 });
    });
  });

  describe('adapt', () => {
    const run = (state: AdaptState, reason: string | undefined, times: number) => {
      for (let i = 0; i < times; i++) state = adapt(state, reason);
      return state;
    };

    it('steps down after sustained limitation: resolution, resolution, then frame rate', () => {
      let s = run(NO_ADAPTATION, 'cpu', LIMITED_POLLS_TO_DROP - 1);
      expect(s).to.include({ resolution: 0, fps: 0 });
      s = adapt(s, 'bandwidth');
      expect(s).to.include({ resolution: 1, fps: 0 });
      s = run(s, 'cpu', LIMITED_POLLS_TO_DROP * 2);
      expect(s).to.include({ resolution: 2, fps: 1 });
      s = run(s, 'cpu', LIMITED_POLLS_TO_DROP * 3);
      expect(s).to.include({ resolution: 2, fps: 1 });
    });

    it('one clear poll resets the count; recovery is slow, frame rate first', () => {
      let s = run(NO_ADAPTATION, 'cpu', LIMITED_POLLS_TO_DROP - 1);
      s = adapt(s, 'none');
      s = run(s, 'cpu', LIMITED_POLLS_TO_DROP - 1);
      expect(s.resolution).to.equal(0);
      s = { ...NO_ADAPTATION, resolution: 2, fps: 1 };
      s = run(s, 'none', CLEAR_POLLS_TO_RECOVER - 1);
      expect(s).to.include({ resolution: 2, fps: 1 });
      s = adapt(s, 'none');
      expect(s).to.include({ resolution: 2, fps: 0 });
      s = run(s, 'none', CLEAR_POLLS_TO_RECOVER * 2);
      expect(s).to.include({ resolution: 0, fps: 0 });
    });

    it('ignores polls where the browser says nothing (Firefox)', () => {
      const s = { ...NO_ADAPTATION, resolution: 1, limited: 1 };
      expect(adapt(s, undefined)).to.equal(s);
    });
  });

  it('largest picks the biggest tile of a participant', () => {
    expect(largest([view(160, 90), view(1280, 720), view(320, 180)])).to.include({ width: 1280 });
    expect(largest([])).to.equal(undefined);
  });

  describe('outsideLimit and expectedFps', () => {
    it('a "bandwidth" limit with the encoder at our own cap is ours, not the network\'s', () => {
      expect(outsideLimit('bandwidth', 95_000, 100_000)).to.equal('none');
      expect(outsideLimit('bandwidth', 40_000, 100_000)).to.equal('bandwidth');
      expect(outsideLimit('bandwidth', 95_000, undefined)).to.equal('bandwidth');
      expect(outsideLimit('bandwidth', undefined, 100_000)).to.equal('bandwidth');
      expect(outsideLimit('cpu', 95_000, 100_000)).to.equal('cpu');
      expect(outsideLimit(undefined, 95_000, 100_000)).to.equal(undefined);
    });

    it('thumbnails are expected at 15 fps, larger views at 30, at most what the view asks', () => {
      expect(expectedFps({ height: 180 })).to.equal(THUMBNAIL_FPS);
      expect(expectedFps({ height: 360 })).to.equal(30);
      expect(expectedFps({ height: 360, fps: 20 })).to.equal(20);
      expect(expectedFps(undefined)).to.equal(30);
      expect(expectedFps({ height: 0 })).to.equal(30);
    });
  });

  describe('the view message', () => {
    it('parses valid views and drops bad or unknown ones', () => {
      expect(parseControl(JSON.stringify({ type: 'view', width: 320, height: 180, maxBitrate: 400000 }))).to.deep.include({
        type: 'view',
        width: 320,
        height: 180,
      });
      expect(parseControl(JSON.stringify({ type: 'view', width: 0, height: 0 }))).to.deep.include({ width: 0, height: 0 });
      for (const bad of [
        { type: 'view', width: -1, height: 10 },
        { type: 'view', width: 1.5, height: 10 },
        { type: 'view', width: 99999, height: 10 },
        { type: 'view', width: 10 },
        { type: 'view', width: 10, height: 10, maxBitrate: 'a lot' },
        { type: 'view', width: 10, height: 10, fps: 0 },
        { type: 'something-new', width: 10 },
      ]) {
        expect(parseControl(JSON.stringify(bad)), JSON.stringify(bad)).to.equal(null);
      }
    });
  });

  describe('QualityController (fake links)', () => {
    const setup = () => {
      const links = new Map([
        ['a', fakeLink()],
        ['b', fakeLink()],
      ]);
      const q = new QualityController({ links: () => links, link: (id) => links.get(id), videoTrack: () => null }, { downloadBudget: 1_000_000 });
      return { q, a: links.get('a')!, b: links.get('b')! };
    };

    it('sends nothing for a participant no tile shows', async () => {
      const { q, a, b } = setup();
      q.setView('a', { width: 320, height: 180 }, 'tile');
      await waitFor(() => a.sent.length === 1, 'a view to a');
      expect(b.sent).to.deep.equal([]);
      expect(a.sent[0]).to.deep.equal({ type: 'view', width: 320, height: 180, maxBitrate: 1_000_000 });
      q.dispose();
    });

    it('debounces, takes the largest tile, splits the budget, and sends 0×0 when the last tile goes', async () => {
      const { q, a, b } = setup();
      q.setView('a', { width: 100, height: 100 }, 'strip');
      q.setView('a', { width: 640, height: 360 }, 'spotlight');
      q.setView('b', { width: 320, height: 180 }, 'strip');
      await waitFor(() => a.sent.length && b.sent.length, 'views sent');
      await new Promise((r) => setTimeout(r, VIEW_DEBOUNCE_MS * 2)); // nothing more may come
      expect(a.sent).to.have.length(1);
      expect(a.sent[0]).to.include({ width: 640, height: 360 });
      expect(a.sent[0]!.maxBitrate! + b.sent[0]!.maxBitrate!).to.be.at.most(1_000_000);
      expect(a.sent[0]!.maxBitrate).to.be.greaterThan(b.sent[0]!.maxBitrate!);
      // The spotlight tile goes: the strip's size counts; then the strip's goes too: hidden.
      q.setView('a', null, 'spotlight');
      await waitFor(() => a.sent.length === 2, 'the strip size');
      expect(a.sent[1]).to.include({ width: 100, height: 100 });
      q.setView('a', null, 'strip');
      await waitFor(() => a.sent.length === 3, 'hidden');
      expect(a.sent[2]).to.deep.equal({ type: 'view', width: 0, height: 0 });
      // b now gets the whole budget.
      await waitFor(() => b.sent.at(-1)?.maxBitrate === 1_000_000, 'b gets it all');
      q.dispose();
    });

    it('forgets a peer that left: no view of it is kept, a late tile report included', () => {
      const { q } = setup();
      q.setView('a', { width: 320, height: 180 }, 'tile');
      q.setView('b', { width: 320, height: 180 }, 'tile');
      expect([...q.views().keys()]).to.deep.equal(['a', 'b']);
      q.forget('b');
      expect([...q.views().keys()]).to.deep.equal(['a']);
      const gone = new Map([['a', fakeLink()]]);
      const q2 = new QualityController({ links: () => gone, link: (id) => gone.get(id), videoTrack: () => null });
      q2.setView('b', { width: 320, height: 180 }, 'tile');
      expect(q2.views().size).to.equal(0);
      q.dispose();
      q2.dispose();
    });

    it('takes at most 10 views a second from one peer', () => {
      const { q } = setup();
      for (let i = 1; i <= 30; i++) q.remoteView('a', { type: 'view', width: i, height: i });
      // (At most 20 if a second boundary falls inside the loop.)
      expect(q.sendState('a')!.view!.width).to.be.at.most(20);
      q.dispose();
    });
  });
});
