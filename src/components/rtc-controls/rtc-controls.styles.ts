import { css } from 'lit';

export const controlsStyles = css`
  :host {
    --_controls-gap: var(--rtc-controls-gap, var(--_space-s));
    --_controls-background: var(--rtc-controls-background, transparent);
    display: block;
  }

  .base {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-items: center;
    gap: var(--_controls-gap);
    padding: var(--_space-s);
    background: var(--_controls-background);
    border-radius: var(--_radius);
  }

  .devices {
    max-width: 28rem;
    margin: var(--_space-s) auto 0;
    padding: var(--_space-m);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  @media (forced-colors: active) {
    .devices {
      border: 1px solid CanvasText;
    }
  }
`;
