import { css } from 'lit';

export const prejoinStyles = css`
  :host {
    --_prejoin-max-width: var(--rtc-prejoin-max-width, 36rem);
    display: block;
  }

  .base {
    display: grid;
    gap: var(--_space-m);
    max-width: var(--_prejoin-max-width);
    margin-inline: auto;
    padding: var(--_space-m);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }

  .meter {
    height: 0.5rem;
    border-radius: 0.25rem;
    background: var(--_surface-raised);
    overflow: hidden;
  }
  .meter::before {
    content: '';
    display: block;
    height: 100%;
    background: var(--rtc-prejoin-level-color, var(--_accent));
    transform: scaleX(var(--_level, 0));
    transform-origin: left;
    transition: transform 0.1s linear;
  }
  /* The level grows from the start of the line: the right in a right-to-left language. */
  .meter:dir(rtl)::before {
    transform-origin: right;
  }
  .level.off {
    visibility: hidden;
  }
  .level-label {
    font-weight: 600;
  }

  .note {
    margin: 0;
    color: var(--_text-muted);
  }
  .field {
    display: grid;
    gap: var(--_space-xs);
  }
  label {
    font-weight: 600;
  }

  .actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--_space-s);
  }

  @media (forced-colors: active) {
    .meter::before {
      background: Highlight;
    }
    .base,
    .meter,
    input {
      border: 1px solid CanvasText;
    }
  }
`;
