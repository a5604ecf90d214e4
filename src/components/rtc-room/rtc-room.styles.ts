import { css } from 'lit';

export const roomStyles = css`
  :host {
    --_room-background: var(--rtc-room-background, var(--_surface));
    --_room-tile-min-width: var(--rtc-room-tile-min-width, 240px);
    --_room-gap: var(--rtc-room-gap, var(--_space-s));
    display: block;
  }

  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_room-gap);
    min-height: 100%;
    padding: var(--_room-gap);
    border-radius: var(--_radius);
    background: var(--_room-background);
    color: var(--_text);
  }

  .grid {
    display: grid;
    gap: var(--_room-gap);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--_room-tile-min-width)), 1fr));
    align-content: center;
    flex: 1;
  }
  /* Alone in the call: a big local tile rather than a narrow column. */
  .grid[data-count='1'] {
    max-width: 60rem;
    width: 100%;
    margin-inline: auto;
  }

  .message {
    display: grid;
    justify-items: center;
    gap: var(--_space-m);
    padding: var(--_space-l) var(--_space-m);
    text-align: center;
  }
  .message p {
    margin: 0;
    font-size: 1.125rem;
  }

  .spinner {
    width: 2rem;
    height: 2rem;
    border: 3px solid var(--_surface-raised);
    border-top-color: var(--_accent);
    border-radius: 50%;
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
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
  .notice {
    margin: 0;
    padding: var(--_space-xs) var(--_space-m);
    text-align: center;
    color: var(--_text-muted);
  }

  @media (forced-colors: active) {
    .base,
    .banner {
      border: 1px solid CanvasText;
    }
    .spinner {
      border-color: CanvasText;
      border-top-color: Highlight;
    }
  }
`;
