/**
 * Where each participant goes on the recording's canvas: pure arithmetic, like the room's CSS
 * layout. Everyone alike in a grid of 16:9 cells as large as fit; or one participant (a shared
 * screen, or the room's spotlight) large on top with the others in a strip below it.
 */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const RATIO = 16 / 9;

/**
 * Rects for `count` tiles on a `width`×`height` canvas, with `gap` pixels between and around them;
 * `spotlight` is the index of the tile shown large, if any. Rects come in the tiles' order.
 */
export function tileRects(count: number, width: number, height: number, gap: number, spotlight: number | null = null): Rect[] {
  if (count <= 0) return [];
  if (spotlight === null || spotlight < 0 || spotlight >= count || count === 1) return grid(count, { x: 0, y: 0, w: width, h: height }, gap);
  // The strip gets a quarter of the height; the spotlight the rest.
  const stripH = Math.round(height / 4);
  const big = fit({ x: gap, y: gap, w: width - 2 * gap, h: height - stripH - 2 * gap }, RATIO);
  const strip = grid(count - 1, { x: 0, y: height - stripH - gap, w: width, h: stripH }, gap, 1);
  const out: Rect[] = [];
  let s = 0;
  for (let i = 0; i < count; i++) out.push(i === spotlight ? big : strip[s++]!);
  return out;
}

/** The most even grid of `count` 16:9 cells in `area` (at most `maxRows` rows), each row centred. */
function grid(count: number, area: Rect, gap: number, maxRows = Infinity): Rect[] {
  let best = { cols: count, rows: 1, w: 0, h: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    if (rows > maxRows) continue;
    const cellW = (area.w - gap * (cols + 1)) / cols;
    const cellH = (area.h - gap * (rows + 1)) / rows;
    const w = Math.max(0, Math.min(cellW, cellH * RATIO));
    if (w > best.w) best = { cols, rows, w, h: w / RATIO };
  }
  const { cols, rows, w, h } = best;
  const top = area.y + (area.h - rows * h - (rows - 1) * gap) / 2;
  const out: Rect[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / cols);
    const inRow = row === rows - 1 ? count - row * cols : cols;
    const left = area.x + (area.w - inRow * w - (inRow - 1) * gap) / 2;
    out.push(round({ x: left + (i % cols) * (w + gap), y: top + row * (h + gap), w, h }));
  }
  return out;
}

/** The largest `ratio` rect centred in `area`. */
function fit(area: Rect, ratio: number): Rect {
  const w = Math.min(area.w, area.h * ratio);
  const h = w / ratio;
  return round({ x: area.x + (area.w - w) / 2, y: area.y + (area.h - h) / 2, w, h });
}

function round(r: Rect): Rect {
  return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.w), h: Math.round(r.h) };
}

/** Where to draw a `sw`×`sh` picture in `r`: covering it (cropped, like a tile) or contained in it (a screen, whole). */
export function placeImage(
  sw: number,
  sh: number,
  r: Rect,
  mode: 'cover' | 'contain',
): { sx: number; sy: number; sw: number; sh: number; dx: number; dy: number; dw: number; dh: number } {
  const scale = mode === 'cover' ? Math.max(r.w / sw, r.h / sh) : Math.min(r.w / sw, r.h / sh);
  if (mode === 'contain') {
    const dw = sw * scale;
    const dh = sh * scale;
    return { sx: 0, sy: 0, sw, sh, dx: r.x + (r.w - dw) / 2, dy: r.y + (r.h - dh) / 2, dw, dh };
  }
  // Crop the source to the rect's shape, centred.
  const cw = r.w / scale;
  const ch = r.h / scale;
  return { sx: (sw - cw) / 2, sy: (sh - ch) / 2, sw: cw, sh: ch, dx: r.x, dy: r.y, dw: r.w, dh: r.h };
}
