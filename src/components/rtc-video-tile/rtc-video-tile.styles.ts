import { css } from 'lit';

export const videoTileStyles = css`
  :host {
    --_tile-radius: var(--rtc-video-tile-radius, var(--_radius));
    --_tile-background: var(--rtc-video-tile-background, #111827);
    --_tile-aspect-ratio: var(--rtc-video-tile-aspect-ratio, 16 / 9);
    --_tile-object-fit: var(--rtc-video-tile-object-fit, cover);
    --_tile-label-background: var(--rtc-video-tile-label-background, rgb(0 0 0 / 0.65));
    --_tile-speaking-color: var(--rtc-video-tile-speaking-color, #22c55e);
    --_tile-quality-good: var(--rtc-video-tile-quality-good-color, #4ade80);
    --_tile-quality-fair: var(--rtc-video-tile-quality-fair-color, #facc15);
    --_tile-quality-poor: var(--rtc-video-tile-quality-poor-color, #f87171);
    display: block;
    position: relative;
    min-width: 0;
  }

  .base {
    position: relative;
    width: 100%;
    height: 100%;
    aspect-ratio: var(--_tile-aspect-ratio);
    overflow: hidden;
    border-radius: var(--_tile-radius);
    background: var(--_tile-background);
  }

  video {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: var(--_tile-object-fit);
    background: transparent;
  }
  /* A shared screen is shown whole: cropping would cut off text at its edges. */
  .screen video {
    object-fit: contain;
  }
  /* Drawn over the video (an outline would be clipped by the rounded frame). */
  :host([speaking]) .base::after {
    content: '';
    position: absolute;
    inset: 0;
    border: 3px solid var(--_tile-speaking-color);
    border-radius: inherit;
    pointer-events: none;
  }
  video.mirrored {
    transform: scaleX(-1);
  }
  .video-hidden video {
    visibility: hidden;
  }

  /* Camera off: the initials on a colour of the name's (hueOf), over a dark shade of it. Same
     lightness for every hue, so white initials read alike on all of them. The tile is a size
     container, so the circle and its letters scale with the tile, not the window. */
  .placeholder {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    container-type: size;
    background: var(--_surface);
    background: oklch(30% 0.04 var(--_hue, 250));
  }
  .initials {
    display: grid;
    place-items: center;
    width: clamp(2.5rem, 34cqmin, 8rem);
    aspect-ratio: 1;
    border-radius: 50%;
    background: var(--_accent);
    background: oklch(50% 0.12 var(--_hue, 250));
    color: #ffffff;
    font-size: clamp(1rem, 13cqmin, 3rem);
    font-weight: 600;
    letter-spacing: 0.02em;
    user-select: none;
    transition: box-shadow 0.15s;
  }
  /* Speaking with the camera off: the ring around the initials as well. */
  :host([speaking]) .placeholder .initials {
    box-shadow:
      0 0 0 4px oklch(30% 0.04 var(--_hue, 250)),
      0 0 0 7px var(--_tile-speaking-color);
  }

  .status {
    position: absolute;
    top: var(--_space-s);
    left: 50%;
    transform: translateX(-50%);
    padding: var(--_space-xs) var(--_space-s);
    border-radius: 999px;
    background: var(--_tile-label-background);
    color: #ffffff;
    font-size: 0.875rem;
    white-space: nowrap;
  }

  .play {
    position: absolute;
    top: 50%;
    left: 50%;
    transform: translate(-50%, -50%);
  }

  .footer {
    position: absolute;
    inset-inline-start: var(--_space-s);
    bottom: var(--_space-s);
    max-width: calc(100% - 2 * var(--_space-s));
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
    padding: var(--_space-xs) var(--_space-s);
    border-radius: calc(var(--_tile-radius) * 0.5);
    background: var(--_tile-label-background);
    color: #ffffff;
    font-size: 0.875rem;
  }
  .label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .indicator {
    display: inline-flex;
    flex: none;
  }
  .indicator svg {
    width: 1rem;
    height: 1rem;
  }
  /* A red dot: this participant records the call. */
  .recording::before {
    content: '';
    width: 0.625rem;
    height: 0.625rem;
    margin: 0.1875rem;
    border-radius: 50%;
    background: var(--rtc-record-color, #ef4444);
  }
  @media (forced-colors: active) {
    .recording::before {
      background: CanvasText;
      forced-color-adjust: none;
    }
  }
  .mic-muted {
    color: #fca5a5;
  }
  .quality {
    cursor: help;
  }
  .quality[data-level='good'] {
    color: var(--_tile-quality-good);
  }
  .quality[data-level='fair'] {
    color: var(--_tile-quality-fair);
  }
  .quality[data-level='poor'],
  .quality[data-level='lost'] {
    color: var(--_tile-quality-poor);
  }
  .quality .on {
    fill: currentColor;
  }
  .quality .off {
    fill: rgb(255 255 255 / 0.35);
  }
  .quality .cross {
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
  }
  .speaking {
    color: var(--_tile-speaking-color);
  }

  .verify {
    position: absolute;
    inset-inline-end: var(--_space-s);
    bottom: var(--_space-s);
    min-height: 1.75rem;
    padding: 0 var(--_space-s);
    border: 1px solid currentColor;
    border-radius: 999px;
    background: var(--_tile-label-background);
    color: #ffffff;
    font: inherit;
    font-size: 0.875rem;
    cursor: pointer;
  }
  /* Leave room for the Verify button at the bottom end corner. */
  .verifiable .footer {
    max-width: calc(100% - 3 * var(--_space-s) - 5.5rem);
  }
  .verify[aria-expanded='true'] {
    background: rgb(255 255 255 / 0.3);
  }
  .safety {
    position: absolute;
    inset-inline: var(--_space-s);
    bottom: calc(var(--_space-s) * 2 + 2rem);
    padding: var(--_space-s) var(--_space-m);
    border-radius: calc(var(--_tile-radius) * 0.5);
    background: var(--_tile-label-background);
    color: #ffffff;
    font-size: 0.875rem;
  }
  .safety p {
    margin: 0;
  }
  .words {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-xs) var(--_space-m);
    margin: var(--_space-xs) 0 0;
    padding: 0;
    list-style: none;
    font-size: 1.125rem;
    font-weight: 700;
  }

  .controls {
    position: absolute;
    top: var(--_space-s);
    inset-inline-end: var(--_space-s);
    display: flex;
    gap: var(--_space-xs);
  }

  .empty {
    display: grid;
    place-items: center;
    color: var(--_text-muted);
  }

  /* Audio tile: the initials in a circle with the name below, no picture. The <video> stays (it
     plays the sound) but takes no room. */
  :host([audio-only]) .base {
    display: grid;
    grid-template-rows: 1fr auto;
    justify-items: center;
    align-items: center;
    gap: var(--_space-xs);
    aspect-ratio: auto;
    min-height: 8.5rem;
    padding: var(--_space-m) var(--_space-s) var(--_space-s);
    background: var(--_surface-raised);
    color: var(--_text);
  }
  :host([audio-only]) video {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
    pointer-events: none;
  }
  :host([audio-only]) .placeholder {
    position: static;
    container-type: normal;
    background: transparent;
  }
  :host([audio-only]) .initials {
    width: 4.5rem;
    font-size: 1.5rem;
    transition: box-shadow 0.15s;
  }
  /* Speaking: a ring around the circle rather than around the whole tile. */
  :host([audio-only][speaking]) .base::after {
    content: none;
  }
  :host([audio-only][speaking]) .initials {
    box-shadow:
      0 0 0 3px var(--_surface-raised),
      0 0 0 6px var(--_tile-speaking-color);
  }
  :host([audio-only]) .footer {
    position: static;
    max-width: 100%;
    padding: 0;
    background: transparent;
    color: inherit;
  }
  :host([audio-only]) .mic-muted {
    color: var(--_danger);
  }
  :host([audio-only]) .status {
    top: auto;
    bottom: 2.25rem;
  }
  :host([audio-only]) .verify {
    top: var(--_space-xs);
    inset-inline-start: var(--_space-xs);
    inset-inline-end: auto;
    bottom: auto;
    min-height: 1.5rem;
    font-size: 0.75rem;
    color: inherit;
    background: transparent;
  }
  :host([audio-only]) .controls {
    top: var(--_space-xs);
    inset-inline-end: var(--_space-xs);
  }

  @media (forced-colors: active) {
    .base {
      border: 1px solid CanvasText;
    }
    .footer,
    .status,
    .safety,
    .verify {
      forced-color-adjust: none;
      background: Canvas;
      color: CanvasText;
      border: 1px solid CanvasText;
    }
    .indicator {
      color: CanvasText;
    }
    .quality .off {
      fill: none;
      stroke: CanvasText;
    }
    :host([speaking]) .base::after {
      border-color: Highlight;
    }
    :host([audio-only][speaking]) .initials {
      outline: 3px solid Highlight;
      outline-offset: 3px;
    }
  }
`;
