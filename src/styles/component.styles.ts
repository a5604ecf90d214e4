import { css } from 'lit';
import { themeStyles } from './theme.styles.js';

/**
 * Shared by every rtc-widgets element. Public tokens (`--rtc-*`, set by a theme or the page) are
 * read once into private `--_*` variables with literal fallbacks, so the elements look right with
 * no theme loaded; component CSS reads only the private ones. The colours come from the theme
 * (theme.styles.ts).
 */
export const componentStyles = css`
  ${themeStyles}
  :host {
    --_radius: var(--rtc-radius, 12px);
    --_font: var(--rtc-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_space-xs: var(--rtc-space-xs, 0.25rem);
    --_space-s: var(--rtc-space-s, 0.5rem);
    --_space-m: var(--rtc-space-m, 1rem);
    --_space-l: var(--rtc-space-l, 1.5rem);
    --_focus-ring: 3px solid var(--_focus-ring-color);

    box-sizing: border-box;
    font-family: var(--_font);
    color: var(--_text);
  }

  :host([hidden]) {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  /* Text fields and selects look alike in every element. */
  input,
  select,
  textarea {
    min-height: 2.75rem;
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_text-muted);
    border-radius: calc(var(--_radius) * 0.5);
    background: var(--_surface-raised);
    color: var(--_text);
    font: inherit;
  }

  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--_space-s);
    min-height: 2.75rem;
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid transparent;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_surface-raised);
    color: var(--_text);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .button:hover:not(:disabled) {
    filter: brightness(1.15);
  }
  .button.primary {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .button.danger {
    background: var(--_danger);
    color: var(--_on-danger);
  }
  .button:disabled,
  .button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .button svg {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }

  :focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }

  @media (forced-colors: active) {
    /* The system's colours win over every element's own button colours (primary, danger, a
       toggle's on and off), whose rules are more specific than these. */
    .button {
      border-color: ButtonText !important;
      forced-color-adjust: none;
      background: ButtonFace !important;
      color: ButtonText !important;
    }
    .button[aria-pressed='true'] {
      background: Highlight !important;
      color: HighlightText !important;
    }
    .button:disabled {
      border-color: GrayText !important;
      color: GrayText !important;
      opacity: 1;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }
`;
