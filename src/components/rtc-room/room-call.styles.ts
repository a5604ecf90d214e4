import { css } from 'lit';

/** The call view's look (stage, tiles, panels, notices, banner), adopted when that view first loads. */
export const roomCallStyles = css`
  /* A broadcast's "Live · 8 watching", over the call's dark frame like a tile's name label. */
  .viewer-count {
    align-self: flex-start;
    display: inline-flex;
    align-items: center;
    gap: var(--rtc-space-s, 0.5rem);
    padding: 0.2em 0.6em;
    border-radius: var(--rtc-radius, 6px);
    background: rgb(0 0 0 / 0.55);
    color: #fff;
    font-variant-numeric: tabular-nums;
  }
  .viewer-count .live {
    padding: 0 0.4em;
    border-radius: 3px;
    background: var(--rtc-color-danger, #b91c1c);
    color: #fff;
    font-weight: 600;
    font-size: 0.85em;
    text-transform: uppercase;
  }
  /* The stage fills the room above the control bar, which therefore never moves; tiles and the
     open panel side by side. With no height given to the room, the tiles' box takes a 16:9 (on a
     phone 3:4) shape of its width, capped to the window. */
  .stage {
    position: relative;
    display: flex;
    gap: var(--_room-gap);
    flex: 1 1 auto;
    min-height: 0;
  }
  .grid {
    position: relative;
    flex: 1 1 0;
    min-width: 0;
    /* Read by the layout (room-layout.ts) as the space between tiles. */
    column-gap: var(--_room-gap);
    overflow: clip;
  }
  .grid::before {
    content: '';
    display: block;
    width: 100%;
    aspect-ratio: 16 / 9;
    max-height: 75vh;
  }
  @container room (width < 40rem) {
    .grid::before {
      aspect-ratio: 3 / 4;
    }
  }
  /* Each tile where the layout put it (arrangeStage in src/core/layout/grid-fit.ts). Out of the
     flow, so that the grid's size never depends on its tiles (which the layout measures from). */
  .grid[data-media='video'] > rtc-video-tile {
    position: absolute;
    top: 0;
    left: 0;
    width: var(--_w);
    height: var(--_h);
    transform: translate(var(--_x), var(--_y));
  }
  /* Before the first measurement (the same frame): not shown. */
  .grid[data-media='video']:not([data-arranged]) > rtc-video-tile {
    visibility: hidden;
  }
  /* Our camera floating over the others on a phone: dragged with a pointer, above the tiles. */
  .grid > rtc-video-tile.floating {
    z-index: 2;
    touch-action: none;
    cursor: grab;
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.45);
    border-radius: var(--_radius);
  }
  /* Let go: it glides into its corner (only then: a resize or a layout change moves it at once). */
  .grid > rtc-video-tile.floating.snapping {
    transition: transform 0.2s ease-out;
  }
  /* Pinning our own little picture makes no sense; the People list and the grid still can. */
  .grid > rtc-video-tile.floating > .pin {
    display: none;
  }
  .grid > rtc-video-tile.floating.dragging {
    cursor: grabbing;
  }
  .pager {
    position: absolute;
    left: 50%;
    bottom: var(--_space-s);
    z-index: 3;
    transform: translateX(-50%);
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    padding: var(--_space-xs);
    border-radius: 999px;
    background: rgb(0 0 0 / 0.55);
    color: #ffffff;
    font-variant-numeric: tabular-nums;
  }
  .pager .button {
    min-width: 2.75rem;
    border-radius: 999px;
  }

  .pin {
    min-height: 2rem;
    min-width: 2rem;
    padding: var(--_space-xs);
    border-radius: 999px;
    background: rgb(0 0 0 / 0.55);
    color: #ffffff;
  }
  .pin[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }

  .side {
    flex: 0 1 var(--_room-chat-width);
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    border: 1px solid var(--_surface-raised);
    border-radius: var(--_radius);
    background: var(--_room-background);
  }
  .side[hidden] {
    display: none;
  }
  .side-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
    padding: var(--_space-xs) var(--_space-xs) var(--_space-xs) var(--_space-m);
    border-bottom: 1px solid var(--_surface-raised);
  }
  .side-header h2 {
    margin: 0;
    font-size: 1rem;
  }
  .side-close {
    min-width: 2.75rem;
    padding: var(--_space-s);
    background: transparent;
  }
  .side rtc-chat,
  .side rtc-participant-list {
    flex: 1;
    min-height: 0;
  }
  .side rtc-participant-list {
    overflow-y: auto;
  }
  .panel-toggle[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .badge {
    min-width: 1.5em;
    padding: 0 0.4em;
    border-radius: 999px;
    background: var(--_danger);
    color: var(--_on-danger);
    font-size: 0.8em;
    line-height: 1.5;
  }
  .badge.count {
    background: var(--_surface);
    color: var(--_text);
  }
  .panel-toggle[aria-pressed='true'] .badge.count {
    background: var(--_on-accent);
    color: var(--_accent);
  }
  /* An audio room: small tiles side by side, centred, whatever their number. */
  .grid[data-media='audio'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-content: center;
    gap: var(--_room-gap);
    overflow-y: auto;
  }
  .grid[data-media='audio']::before {
    position: absolute;
  }
  .grid[data-media='audio'] > rtc-video-tile {
    flex: 0 1 10rem;
    min-width: 8rem;
  }

  .banner {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-m);
    padding: var(--_space-s) var(--_space-m);
    border-radius: calc(var(--_radius) * 0.5);
    background: var(--_danger);
    color: var(--_on-danger);
  }
  .banner .button {
    min-height: 2.25rem;
  }
  /* A line of no height between the tiles and the controls: the notice hangs above it, over the
     bottom of the tiles, so nothing moves when it comes and goes. Sticky, so that it stays in
     view when the room is taller than the screen. */
  .notice-slot {
    position: sticky;
    bottom: var(--_room-gap);
    z-index: 2;
    height: 0;
    margin-top: calc(-1 * var(--_room-gap));
    display: flex;
    justify-content: center;
    pointer-events: none;
  }
  .notices {
    position: absolute;
    bottom: var(--_space-s);
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--_space-xs);
    width: 100%;
  }
  .notice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: var(--_space-s);
    width: max-content;
    max-width: min(40rem, calc(100% - 2 * var(--_space-m)));
    padding: var(--_space-xs) var(--_space-m);
    border-radius: calc(var(--_radius) * 0.5);
    background: color-mix(in srgb, var(--_surface) 92%, transparent);
    color: var(--_text);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
    text-align: center;
    pointer-events: auto;
  }
  .notice .button {
    min-height: 2.25rem;
  }
  .spinner.small {
    width: 1rem;
    height: 1rem;
    border-width: 2px;
  }

  /* The control bar in one row on a laptop: when the room is narrower than every button with its
     name, the secondary ones (React, Raise hand, Chat, People, More) show only their icons. Their
     names stay for screen readers, and as tooltips. */
  @container room (max-width: 82rem) {
    rtc-controls .bar-label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    rtc-controls .button:has(> .bar-label) {
      padding-inline: var(--_space-s);
    }
  }

  /* A phone (a narrow room): tiles edge to edge, the panels as sheets over the whole room with
     their Close button, the control bar at the bottom in two rows of large buttons. */
  @container room (width < 40rem) {
    .stage {
      position: static;
    }
    .side {
      position: absolute;
      inset: 0;
      z-index: 6;
      border: 0;
      border-radius: 0;
    }
    /* A count on a toggle sits on its corner, so the buttons keep their size. */
    rtc-controls .button {
      position: relative;
    }
    rtc-controls .badge {
      position: absolute;
      top: 2px;
      right: 2px;
    }
    rtc-controls > * {
      flex: 1 0 calc((100% - 4 * var(--_space-xs)) / 5);
      max-width: 7rem;
    }
    rtc-controls > * > .button,
    rtc-controls > .button {
      width: 100%;
      min-width: 2.75rem;
    }
    .pin {
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
  }

  @media (forced-colors: active) {
    .banner,
    .notice,
    .badge {
      border: 1px solid CanvasText;
    }
  }
`;
