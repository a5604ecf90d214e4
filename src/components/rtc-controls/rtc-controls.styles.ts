import { css } from 'lit';

/** A button's name kept for screen readers only, when the bar has room for its icon alone. */
const forScreenReaders = css`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
`;

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

  /* In a room narrower than every button with its name (the nearest size container is
     <rtc-room>'s), the toggles show only their icons, so the bar stays one row; their names stay
     for screen readers. */
  @container (width < 60rem) {
    .base > .button[aria-pressed] > span {
      ${forScreenReaders}
    }
    .base > .button[aria-pressed] {
      padding-inline: var(--_space-s);
      min-width: 2.75rem;
    }
  }

  /* In a narrow room (a phone; the nearest size container is <rtc-room>'s): two rows of large
     buttons, each at least 44 px square, their names for screen readers only (the room's own
     buttons in the slot follow its rules, room-call.styles.ts). */
  @container (width < 40rem) {
    .base {
      gap: var(--_space-xs);
      padding: var(--_space-xs) 0;
    }
    .base > .button {
      flex: 1 0 calc((100% - 4 * var(--_space-xs)) / 5);
      max-width: 7rem;
      min-width: 2.75rem;
      padding-inline: var(--_space-xs);
    }
    .base > .button > span {
      ${forScreenReaders}
    }
  }

  @media (forced-colors: active) {
    .devices {
      border: 1px solid CanvasText;
    }
  }
`;
