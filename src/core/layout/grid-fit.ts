/**
 * Where the call's tiles go on the stage: pure geometry over the stage's size and the tiles to
 * show, no DOM, so the rules are unit-tested on their own (rtc-room measures its stage and
 * places the tiles with the rectangles given here).
 *
 * - Grid: the columns × rows that show every tile as large as possible at the tiles' aspect ratio
 *   (16:9), centred, a short last row centred too. Compact (a phone): the tiles fill the whole
 *   stage, edge to edge, cropping as little as possible; our own camera floats in a corner.
 * - Spotlight: one tile large and the others in a strip, beside it on a wide stage, below it on
 *   a tall one (whichever shows the large tile larger).
 * - More tiles than fit at a readable size: pages.
 */

export interface Size {
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GridFitOptions {
  /** Width / height of a tile (default 16 / 9). */
  aspect?: number;
  /** Space between tiles, in the box's units. */
  gap?: number;
  /** Fill the box (tiles take the shape of their cell) instead of keeping the aspect ratio. */
  fill?: boolean;
}

export interface GridFit {
  columns: number;
  rows: number;
  /** Size of a tile in a full row. */
  width: number;
  height: number;
}

const NONE: GridFit = { columns: 0, rows: 0, width: 0, height: 0 };

/** How much of a picture of aspect `want` a cell of aspect `cell` shows when it covers the cell (1 = all of it). */
const shown = (cell: number, want: number) => Math.min(cell / want, want / cell);

/**
 * The best columns × rows for `count` tiles in `box`. Keeping the aspect ratio: the largest tile
 * (ties: fewer empty cells). Filling: the least cropping on average, the short last row's tiles
 * widened to the full width.
 */
export function fitGrid(box: Size, count: number, { aspect = 16 / 9, gap = 0, fill = false }: GridFitOptions = {}): GridFit {
  if (count < 1 || box.width <= 0 || box.height <= 0) return NONE;
  let best = NONE;
  let bestScore = -Infinity;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    // Fewer columns than that give the same rows: the narrower grid is never better.
    if (columns > 1 && Math.ceil(count / (columns - 1)) === rows) continue;
    const cellW = (box.width - (columns - 1) * gap) / columns;
    const cellH = (box.height - (rows - 1) * gap) / rows;
    if (cellW <= 0 || cellH <= 0) continue;
    let fit: GridFit;
    let score: number;
    if (fill) {
      fit = { columns, rows, width: Math.floor(cellW), height: Math.floor(cellH) };
      const last = count - columns * (rows - 1);
      const lastW = (box.width - (last - 1) * gap) / last;
      score = ((count - last) * shown(cellW / cellH, aspect) + last * shown(lastW / cellH, aspect)) / count;
    } else {
      const width = Math.floor(Math.min(cellW, cellH * aspect));
      fit = { columns, rows, width, height: Math.floor(width / aspect) };
      // Ties: fewer empty cells, then the grid shaped like the box (more columns in a wide one).
      score = width - (columns * rows - count) * 1e-3 + columns * 1e-6 * Math.sign(box.width - box.height);
    }
    if (score > bestScore + 1e-9) {
      best = fit;
      bestScore = score;
    }
  }
  return best;
}

/** The rectangles of `count` tiles laid out as `fit` in `box` (offset by `origin`), row by row. */
export function placeGrid(box: Size, count: number, fit: GridFit, { gap = 0, fill = false }: GridFitOptions = {}, origin = { x: 0, y: 0 }): Rect[] {
  const rects: Rect[] = [];
  if (!fit.columns) return rects;
  const blockH = fit.rows * fit.height + (fit.rows - 1) * gap;
  const top = origin.y + (fill ? 0 : Math.floor((box.height - blockH) / 2));
  for (let row = 0; row < fit.rows; row++) {
    const inRow = Math.min(fit.columns, count - row * fit.columns);
    // Filling: a short last row's tiles share the whole width.
    const width = fill && inRow < fit.columns ? Math.floor((box.width - (inRow - 1) * gap) / inRow) : fit.width;
    const rowW = inRow * width + (inRow - 1) * gap;
    const left = origin.x + (fill ? 0 : Math.floor((box.width - rowW) / 2));
    for (let i = 0; i < inRow; i++) rects.push({ x: left + i * (width + gap), y: top + row * (fit.height + gap), width, height: fit.height });
  }
  return rects;
}

/** How many tiles fit in `box` with each at least `min` wide (and, filling, `min` × 9/16 tall); at least 1. */
export function capacity(box: Size, count: number, min: number, options: GridFitOptions = {}): number {
  for (let n = count; n > 1; n--) {
    const fit = fitGrid(box, n, options);
    if (fit.width >= min && (!options.fill || fit.height >= (min * 9) / 16)) return n;
  }
  return 1;
}

export type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

export interface StageTile {
  /** Stable key of the tile (a participant's id, `:screen` for their screen). */
  key: string;
  /** Our own camera (it may float in a corner). */
  local?: boolean;
  /** A shared screen: shown whole, in all of the space it gets. */
  screen?: boolean;
  /** Shown large (the spotlight layout). */
  spotlight?: boolean;
}

export interface StageInput extends Size {
  tiles: readonly StageTile[];
  /** Space between tiles. */
  gap?: number;
  /** Width / height of a camera tile (default 16 / 9). */
  aspect?: number;
  /** A phone-sized stage: tiles fill it edge to edge, our camera floats in a corner. */
  compact?: boolean;
  /** Narrowest a grid tile may be before tiles go to further pages (default 160). */
  minTileWidth?: number;
  /** Width of a tile in the spotlight's strip, at most (default 180). */
  stripTileWidth?: number;
  /** The page to show (0-based; clamped). */
  page?: number;
  /** Where our floating camera sits (compact). */
  corner?: Corner;
}

export interface StageLayout {
  /** Where each shown tile goes (tiles on other pages have none). */
  rects: Map<string, Rect>;
  page: number;
  pages: number;
  /** The tile floating over the others (our camera on a phone), if any. */
  floating: string | null;
  /** Where the spotlight's strip is, if there is one. */
  strip: 'right' | 'bottom' | null;
}

/** Size of our floating camera on a compact stage: a portrait box, a third of the stage's width at most. */
export function floatingSize(stage: Size): Size {
  const width = Math.round(Math.max(72, Math.min(150, stage.width * 0.3, stage.height * 0.25)));
  return { width, height: Math.round((width * 4) / 3) };
}

/** The floating tile's rectangle in `corner` of the stage, `margin` from its edges. */
export function cornerRect(stage: Size, size: Size, corner: Corner, margin: number): Rect {
  const right = corner.endsWith('right');
  const bottom = corner.startsWith('bottom');
  return {
    x: right ? stage.width - size.width - margin : margin,
    y: bottom ? stage.height - size.height - margin : margin,
    width: size.width,
    height: size.height,
  };
}

/** The corner nearest to the centre of `rect` on the stage. */
export function nearestCorner(stage: Size, rect: Rect): Corner {
  const top = rect.y + rect.height / 2 < stage.height / 2;
  const left = rect.x + rect.width / 2 < stage.width / 2;
  return `${top ? 'top' : 'bottom'}-${left ? 'left' : 'right'}`;
}

/** Split `list` into pages of `size`; returns the clamped page and its items. */
function paginate<T>(list: readonly T[], size: number, page: number): { page: number; pages: number; items: T[] } {
  const pages = Math.max(1, Math.ceil(list.length / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  return { page: p, pages, items: list.slice(p * size, (p + 1) * size) };
}

/** Where every tile of the stage goes. */
export function arrangeStage(input: StageInput): StageLayout {
  const { width, height, tiles } = input;
  const gap = input.gap ?? 0;
  const aspect = input.aspect ?? 16 / 9;
  const compact = !!input.compact;
  const minTile = input.minTileWidth ?? 160;
  const rects = new Map<string, Rect>();
  const out: StageLayout = { rects, page: 0, pages: 1, floating: null, strip: null };
  if (width <= 0 || height <= 0 || !tiles.length) return out;
  const stage = { width, height };
  const spotlit = tiles.find((t) => t.spotlight);

  if (!spotlit) {
    // A phone with company: the others fill the stage, our camera floats over a corner.
    const local = compact && tiles.length > 1 ? tiles.find((t) => t.local && !t.screen) : undefined;
    const rest = local ? tiles.filter((t) => t !== local) : tiles;
    const options = { aspect, gap, fill: compact };
    const fits = capacity(stage, rest.length, compact ? Math.min(minTile, 120) : minTile, options);
    const paged = paginate(rest, fits, input.page ?? 0);
    out.page = paged.page;
    out.pages = paged.pages;
    const fit = fitGrid(stage, paged.items.length, options);
    placeGrid(stage, paged.items.length, fit, options).forEach((r, i) => rects.set(paged.items[i]!.key, r));
    if (local) {
      rects.set(local.key, cornerRect(stage, floatingSize(stage), input.corner ?? 'bottom-right', Math.max(gap, 8)));
      out.floating = local.key;
    }
    return out;
  }

  // Spotlight: the large tile and a strip of the others, beside it or below it.
  const others = tiles.filter((t) => t !== spotlit);
  const stripMax = input.stripTileWidth ?? 180;
  const mainAspect = aspect;
  const tryStrip = (side: 'right' | 'bottom') => {
    const thick =
      side === 'right' ? Math.round(Math.min(stripMax, Math.max(96, width * 0.2))) : Math.round(Math.min((stripMax * 9) / 16, Math.max(64, height * 0.22)));
    const main: Rect = side === 'right' ? { x: 0, y: 0, width: width - thick - gap, height } : { x: 0, y: 0, width, height: height - thick - gap };
    const strip: Rect = side === 'right' ? { x: width - thick, y: 0, width: thick, height } : { x: 0, y: height - thick, width, height: thick };
    const mainFit = fitGrid(main, 1, { aspect: mainAspect });
    return { side, main, strip, score: mainFit.width * mainFit.height };
  };
  const candidates = compact ? [tryStrip('bottom')] : [tryStrip('right'), tryStrip('bottom')];
  const chosen = candidates.reduce((a, b) => (b.score > a.score ? b : a));
  out.strip = chosen.side;
  const { main, strip } = chosen;
  if (main.width <= 0 || main.height <= 0) return out;
  // A screen, or a phone's spotlight, takes all of its space (the picture is fitted inside the tile).
  if (spotlit.screen || compact) rects.set(spotlit.key, main);
  else {
    const fit = fitGrid(main, 1, { aspect });
    rects.set(spotlit.key, placeGrid(main, 1, fit)[0]!);
  }
  const stripOptions = { aspect, gap, fill: compact };
  const fits = capacity(strip, others.length, compact ? 64 : 96, stripOptions);
  const paged = paginate(others, fits, input.page ?? 0);
  out.page = paged.page;
  out.pages = paged.pages;
  const fit = fitGrid(strip, paged.items.length, stripOptions);
  placeGrid(strip, paged.items.length, fit, stripOptions, strip).forEach((r, i) => rects.set(paged.items[i]!.key, r));
  return out;
}
