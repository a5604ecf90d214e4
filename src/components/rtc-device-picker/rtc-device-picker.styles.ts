import { css } from 'lit';

export const devicePickerStyles = css`
  :host {
    --_picker-gap: var(--rtc-device-picker-gap, var(--_space-s));
    --_picker-background: var(--rtc-device-picker-background, var(--_surface));
    --_picker-padding: var(--rtc-device-picker-padding, 0);
    display: block;
  }

  .base {
    display: grid;
    gap: var(--_picker-gap);
    padding: var(--_picker-padding);
    border-radius: calc(var(--_radius) * 0.5);
    background: var(--_picker-background);
    color: var(--_text);
  }

  .field {
    display: grid;
    gap: var(--_space-xs);
  }
  label {
    font-weight: 600;
  }
  select {
    min-width: 0;
  }
  select:disabled {
    opacity: 0.6;
  }

  .error:empty {
    display: none;
  }
  .error {
    margin: 0;
    padding: var(--_space-s) var(--_space-m);
    border-radius: calc(var(--_radius) * 0.5);
    border-inline-start: 4px solid #f59e0b;
    background: var(--_surface-raised);
  }

  @media (forced-colors: active) {
    select,
    .error {
      border: 1px solid CanvasText;
    }
  }
`;
