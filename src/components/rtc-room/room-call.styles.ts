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
  /* Tiles and the chat panel side by side; the panel wraps below when there is no room. */
  .stage {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_room-gap);
    flex: 1;
  }
  .grid {
    display: grid;
    gap: var(--_room-gap);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--_room-tile-min-width)), 1fr));
    align-content: center;
    flex: 999 1 var(--_room-tile-min-width);
  }
  /* Spotlight: the spotlit tile takes a row of its own, the others line up below. It moves by CSS
     order, not in the DOM: moving a tile would drop the focus of its Pin button and restart its
     video, and the reading and Tab order stays the participants' order, as in the People list. */
  .grid[data-layout='spotlight'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-content: flex-start;
  }
  .grid[data-layout='spotlight'] > rtc-video-tile {
    flex: 0 1 var(--_room-strip-tile-width);
  }
  .grid[data-layout='spotlight'] > .spotlit {
    order: -1;
    flex: 1 1 100%;
    max-width: min(100%, calc(var(--_room-spotlight-max-height) * 16 / 9));
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
    flex: 1 1 var(--_room-chat-width);
    display: flex;
    min-width: 0;
    max-height: 80vh;
    border: 1px solid var(--_surface-raised);
    border-radius: var(--_radius);
  }
  .side[hidden] {
    display: none;
  }
  .side rtc-chat,
  .side rtc-participant-list {
    flex: 1;
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
  /* Alone in the call: a big local tile rather than a narrow column. */
  .grid[data-count='1'] {
    max-width: 60rem;
    width: 100%;
    margin-inline: auto;
  }
  /* An audio room: small tiles side by side, centred, whatever their number. */
  .grid[data-media='audio'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-content: center;
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

  @media (forced-colors: active) {
    .banner,
    .notice,
    .badge {
      border: 1px solid CanvasText;
    }
  }
`;
