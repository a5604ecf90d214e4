import { css } from 'lit';

export const prejoinStyles = css`
  :host {
    --_prejoin-max-width: var(--rtc-prejoin-max-width, 36rem);
    display: block;
    /* The layout follows the width the step is given, not the window's. */
    container-type: inline-size;
  }

  /* Narrow: one compact column (preview, level, pickers, name, Join). */
  .base {
    display: grid;
    gap: var(--_space-s);
    max-width: var(--_prejoin-max-width);
    margin-inline: auto;
    padding: var(--_space-s) var(--_space-m);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }
  .fields {
    display: grid;
    gap: var(--_space-s);
    align-content: start;
  }
  [part='preview'] {
    max-width: calc(35vh * 16 / 9);
    width: 100%;
    justify-self: center;
  }
  /* Wide: the preview beside the form, so that Join is in view on a laptop's screen. */
  @container (width >= 46rem) {
    .base {
      grid-template-columns: minmax(0, 3fr) minmax(17rem, 2fr);
      align-items: start;
      gap: var(--_space-l);
      max-width: var(--rtc-prejoin-max-width, 62rem);
      padding: var(--_space-l);
    }
    [part='preview'] {
      max-width: none;
    }
    .fields {
      gap: var(--_space-m);
    }
    /* No preview (a viewer, an audio room): the form alone, at its narrow width. */
    .base:not(:has(> [part='preview'])) {
      grid-template-columns: minmax(0, 1fr);
      max-width: var(--_prejoin-max-width);
    }
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
    /* No transition: sliding to each of the 10 readings a second kept the page compositing
       continuously while the pre-join step sat open (a tenth of a core without a GPU). */
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

  /* Join stays in view when the step is taller than its box (it scrolls under it). */
  .actions {
    position: sticky;
    bottom: 0;
    display: flex;
    justify-content: flex-end;
    gap: var(--_space-s);
    padding-block: var(--_space-xs);
    background: var(--_surface);
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
