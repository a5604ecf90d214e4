import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/define-all.js';
import type { RtcRoom, RtcSessionOptions } from '../../src/index.js';
import { LoopbackHub, cleanupSessions, connectedPeers, makeSession, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const quiet: Partial<RtcSessionOptions> = { devices: { storageKey: null } };
const inside = (r: DOMRect, box: DOMRect) => r.left >= box.left - 1 && r.top >= box.top - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
const apart = (a: DOMRect, b: DOMRect) => a.right <= b.left + 1 || b.right <= a.left + 1 || a.bottom <= b.top + 1 || b.bottom <= a.top + 1;

/**
 * `<rtc-room>` in boxes a page might give it (the demo page's window is covered by
 * test/e2e/room-geometry.test.ts): it takes their size, its bar stays in them, its tiles in the stage.
 */
describe('<rtc-room> in the box its page gives it', function () {
  this.timeout(60000);
  afterEach(cleanupSessions);

  async function callOfThree(style: string, room: string) {
    const hub = new LoopbackHub();
    const a = makeSession(hub, room, 'Ada', quiet);
    const wrap = await fixture<HTMLDivElement>(html`<div style=${style}><rtc-room style="height: 100%" .session=${a}></rtc-room></div>`);
    const el = wrap.querySelector<RtcRoom>('rtc-room')!;
    await el.join();
    const b = makeSession(hub, room, 'Bo', quiet);
    const c = makeSession(hub, room, 'Cy', quiet);
    await b.join();
    await c.join();
    await connectedPeers(a, 2);
    const grid = await waitFor(() => sr(el).querySelector<HTMLElement>('[part~=grid][data-arranged]'), 'the tiles placed');
    await waitFor(() => sr(el).querySelectorAll('[part~=grid] > rtc-video-tile').length === 3, 'three tiles');
    return { wrap, el, grid };
  }

  /** The bar inside the room's box, every tile inside the stage, none on another (a floating one excepted). */
  function check(el: RtcRoom, grid: HTMLElement, where: string) {
    const box = el.getBoundingClientRect();
    const bar = sr(el).querySelector('rtc-controls')!.getBoundingClientRect();
    expect(inside(bar, box), `${where}: the bar ${JSON.stringify(bar)} inside the room ${JSON.stringify(box)}`).to.equal(true);
    const stage = grid.getBoundingClientRect();
    expect(stage.bottom, `${where}: the stage above the bar`).to.be.at.most(bar.top + 1);
    const tiles = [...grid.querySelectorAll<HTMLElement>(':scope > rtc-video-tile')].filter((t) => !t.hidden);
    for (const t of tiles) expect(inside(t.getBoundingClientRect(), stage), `${where}: a tile inside the stage`).to.equal(true);
    const flat = tiles.filter((t) => !t.classList.contains('floating')).map((t) => t.getBoundingClientRect());
    flat.forEach((r, i) => flat.slice(i + 1).forEach((o) => expect(apart(r, o), `${where}: tiles apart`).to.equal(true)));
    return { box, bar, stage, tiles };
  }

  it('fills a 400×300 sidebar: a phone layout, our camera floating, the bar inside the box', async () => {
    const { el, grid } = await callOfThree('width: 400px; height: 300px', 'box-small');
    await waitFor(() => grid.querySelector('rtc-video-tile.floating'), 'our camera floating');
    const { box, tiles } = check(el, grid, '400×300');
    expect([Math.round(box.width), Math.round(box.height)]).to.deep.equal([400, 300]);
    expect(tiles.find((t) => t.classList.contains('floating'))!.hasAttribute('local')).to.equal(true);
  });

  it('fills a wide box, keeps the bar where it was when the box holds more people, and follows the box when it grows', async () => {
    const { wrap, el, grid } = await callOfThree('width: 760px; height: 420px', 'box-wide');
    const first = check(el, grid, '760×420');
    expect(grid.querySelector('rtc-video-tile.floating'), 'no floating tile on a wide stage').to.equal(null);
    expect(Math.round(first.box.height)).to.equal(420);
    wrap.style.height = '520px';
    await waitFor(
      () => Math.round(sr(el).querySelector('rtc-controls')!.getBoundingClientRect().bottom - el.getBoundingClientRect().top) > 480,
      'the bar at the new bottom',
    );
    const grown = check(el, grid, '760×520');
    expect(grown.stage.height, 'the stage took the new room').to.be.greaterThan(first.stage.height + 90);
  });
});
