import { css } from 'lit';

/** On/off colours of the call toggles, shared by `<rtc-controls>` and the single-button elements. */
export const toggleStyles = css`
  :host {
    --_controls-on: var(--rtc-controls-on-background, var(--_surface-raised));
    --_controls-off: var(--rtc-controls-off-background, var(--_inverse));
    --_controls-off-text: var(--rtc-controls-off-color, var(--_on-inverse));
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

/** A single-button element sits inline like a native button. */
export const callButtonStyles = css`
  :host {
    display: inline-block;
  }
`;
