import { css } from 'lit';

export const recordButtonStyles = css`
  :host {
    --_rec-color: var(--rtc-record-color, #ef4444);
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
  }
  .dot {
    flex: none;
    width: 0.75em;
    height: 0.75em;
    border-radius: 50%;
    background: var(--_rec-color);
  }
  .recording .dot {
    animation: pulse 1.6s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.35;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .recording .dot {
      animation: none;
    }
  }
  /* The clock keeps its width as the digits change: nothing beside it moves. */
  .elapsed {
    font-variant-numeric: tabular-nums;
    min-width: 3.2em;
    text-align: start;
  }
  .button.recording {
    background: var(--_surface-raised);
    color: var(--_text);
  }
  /* Two short lines (what, then how long and how big): it fits beside its Discard button on a phone. */
  .download {
    display: inline-flex;
    flex-direction: column;
    justify-content: center;
    min-height: 2.75rem;
    padding: var(--_space-xs) var(--_space-m);
    line-height: 1.25;
    white-space: nowrap;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
    text-decoration: none;
  }
  .download:focus-visible,
  .button:focus-visible,
  select:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  .size {
    font-size: 0.8em;
    font-weight: 400;
    font-variant-numeric: tabular-nums;
  }
  .clear {
    min-width: 2.75rem;
    padding-inline: var(--_space-s);
  }
  .error {
    flex-basis: 100%;
    margin: 0;
    color: var(--_rec-color);
  }
  @media (forced-colors: active) {
    .dot {
      background: CanvasText;
      forced-color-adjust: none;
    }
    .download {
      border: 1px solid LinkText;
    }
  }
`;
