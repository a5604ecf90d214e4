import { css } from 'lit';

export const controlsStyles = css`
  :host {
    --_controls-gap: var(--rtc-controls-gap, var(--_space-s));
    --_controls-background: var(--rtc-controls-background, transparent);
    --_controls-on: var(--rtc-controls-on-background, var(--_surface-raised));
    --_controls-off: var(--rtc-controls-off-background, #e5e7eb);
    --_controls-off-text: var(--rtc-controls-off-color, #111827);
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

  .button[aria-pressed='true'] {
    background: var(--_controls-on);
    color: var(--_text);
  }
  .button[aria-pressed='false'] {
    background: var(--_controls-off);
    color: var(--_controls-off-text);
  }
`;
