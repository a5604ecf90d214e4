import { expect } from '@open-wc/testing';
import { arrangeStage, capacity, fitGrid, nearestCorner, placeGrid, type Rect } from '../../src/core/layout/grid-fit.js';

const inside = (r: Rect, w: number, h: number) => r.x >= 0 && r.y >= 0 && r.x + r.width <= w + 1e-9 && r.y + r.height <= h + 1e-9;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const tiles = (n: number, extra: Record<number, object> = {}) => Array.from({ length: n }, (_, i) => ({ key: `t${i}`, local: i === 0, ...extra[i] }));

describe('grid fit (where tiles go on the stage)', () => {
  it('picks the columns and rows that show every tile largest for the box', () => {
    // One tile in a wide box: as tall as the box.
    expect(fitGrid({ width: 1264, height: 636 }, 1)).to.deep.include({ columns: 1, rows: 1, width: 1130, height: 635 });
    // Three in a wide box: one row; in a tall one: one column.
    expect(fitGrid({ width: 1264, height: 636 }, 3, { gap: 8 })).to.deep.include({ columns: 2, rows: 2 });
    expect(fitGrid({ width: 1600, height: 400 }, 3, { gap: 8 })).to.deep.include({ columns: 3, rows: 1 });
    expect(fitGrid({ width: 374, height: 700 }, 3, { gap: 8 })).to.deep.include({ columns: 1, rows: 3 });
    // Six in a 16:9 box: 3 × 2.
    expect(fitGrid({ width: 1600, height: 900 }, 6)).to.deep.include({ columns: 3, rows: 2 });
    // Nothing to fit.
    expect(fitGrid({ width: 0, height: 100 }, 3)).to.deep.include({ columns: 0 });
    expect(fitGrid({ width: 100, height: 100 }, 0)).to.deep.include({ columns: 0 });
  });

  it('filling (a phone) crops least: two people one above the other on a portrait screen', () => {
    expect(fitGrid({ width: 374, height: 650 }, 2, { fill: true })).to.deep.include({ columns: 1, rows: 2 });
    const fit = fitGrid({ width: 374, height: 650 }, 3, { fill: true, gap: 4 });
    const rects = placeGrid({ width: 374, height: 650 }, 3, fit, { fill: true, gap: 4 });
    // Edge to edge: the tiles cover the width, a short last row widened.
    for (const r of rects) expect(r.x + r.width).to.be.within(370, 374);
    expect(rects.every((r) => inside(r, 374, 650))).to.equal(true);
  });

  it('places a short last row centred and never overlaps or leaves the box', () => {
    for (const [w, h] of [
      [1264, 636],
      [784, 470],
      [374, 700],
      [400, 190],
    ] as const) {
      for (let n = 1; n <= 12; n++) {
        for (const fill of [false, true]) {
          const fit = fitGrid({ width: w, height: h }, n, { gap: 8, fill });
          const rects = placeGrid({ width: w, height: h }, n, fit, { gap: 8, fill });
          expect(rects).to.have.length(n);
          for (const [i, r] of rects.entries()) {
            expect(inside(r, w, h), `${w}×${h} n=${n} fill=${fill} tile ${i} ${JSON.stringify(r)}`).to.equal(true);
            for (const o of rects.slice(i + 1)) expect(overlap(r, o), `${w}×${h} n=${n} overlap`).to.equal(false);
          }
        }
      }
    }
    const fit = fitGrid({ width: 1600, height: 900 }, 3, { gap: 0 });
    expect(fit).to.deep.include({ columns: 2, rows: 2 });
    const [a, b, c] = placeGrid({ width: 1600, height: 900 }, 3, fit);
    expect(c!.x, 'the last row centred').to.equal(Math.floor((1600 - fit.width) / 2));
    expect(a!.y).to.equal(b!.y);
  });

  it('counts how many fit at a readable size, at least one', () => {
    expect(capacity({ width: 1264, height: 636 }, 6, 160)).to.equal(6);
    expect(capacity({ width: 300, height: 150 }, 6, 160)).to.equal(1);
    expect(capacity({ width: 400, height: 200 }, 6, 120, { gap: 4 })).to.equal(6);
    expect(capacity({ width: 400, height: 200 }, 6, 150, { gap: 4 })).to.equal(4);
  });

  it('arranges a grid, a phone with our camera floating, and a spotlight with a strip', () => {
    // Desktop grid: everyone inside, no overlap.
    const grid = arrangeStage({ width: 1264, height: 636, gap: 8, tiles: tiles(6) });
    expect(grid.rects.size).to.equal(6);
    expect(grid.floating).to.equal(null);
    // Phone: the others fill the stage, our camera floats in the bottom right corner, inside it.
    const phone = arrangeStage({ width: 374, height: 700, gap: 4, compact: true, tiles: tiles(3) });
    expect(phone.floating).to.equal('t0');
    const pip = phone.rects.get('t0')!;
    expect(inside(pip, 374, 700)).to.equal(true);
    expect(pip.x + pip.width).to.be.greaterThan(300);
    expect(pip.y + pip.height).to.be.greaterThan(600);
    expect(overlap(phone.rects.get('t1')!, phone.rects.get('t2')!)).to.equal(false);
    expect(phone.rects.get('t1')!.width, 'full width').to.equal(374);
    const moved = arrangeStage({ width: 374, height: 700, gap: 4, compact: true, tiles: tiles(3), corner: 'top-left' });
    expect(moved.rects.get('t0')).to.deep.include({ x: 8, y: 8 });
    expect(nearestCorner({ width: 374, height: 700 }, { x: 10, y: 600, width: 100, height: 90 })).to.equal('bottom-left');
    // Alone on a phone: our camera is the stage.
    expect(arrangeStage({ width: 374, height: 700, compact: true, tiles: tiles(1) }).floating).to.equal(null);

    // Spotlight on a wide stage: the strip on the right; on a tall one: below.
    const wide = arrangeStage({ width: 1264, height: 636, gap: 8, tiles: tiles(4, { 2: { spotlight: true, screen: true } }) });
    expect(wide.strip).to.equal('right');
    const main = wide.rects.get('t2')!;
    for (const k of ['t0', 't1', 't3']) {
      const r = wide.rects.get(k)!;
      expect(r.x, `${k} right of the main view`).to.be.at.least(main.x + main.width);
      expect(r.width).to.be.lessThan(main.width / 3);
    }
    const tall = arrangeStage({ width: 784, height: 700, gap: 8, tiles: tiles(3, { 1: { spotlight: true } }) });
    expect(tall.strip).to.equal('bottom');
    const all = [...tall.rects.values()];
    for (const [i, r] of all.entries()) {
      expect(inside(r, 784, 700)).to.equal(true);
      for (const o of all.slice(i + 1)) expect(overlap(r, o)).to.equal(false);
    }
  });

  it('puts the tiles that do not fit on further pages', () => {
    const small = arrangeStage({ width: 400, height: 190, gap: 8, minTileWidth: 160, tiles: tiles(6) });
    expect(small.pages).to.be.greaterThan(1);
    expect(small.rects.size).to.be.lessThan(6);
    const last = arrangeStage({ width: 400, height: 190, gap: 8, minTileWidth: 160, tiles: tiles(6), page: 99 });
    expect(last.page).to.equal(small.pages - 1);
    const shown = new Set<string>();
    for (let page = 0; page < small.pages; page++)
      for (const k of arrangeStage({ width: 400, height: 190, gap: 8, minTileWidth: 160, tiles: tiles(6), page }).rects.keys()) shown.add(k);
    expect(shown.size, 'every tile is on some page').to.equal(6);
  });
});
