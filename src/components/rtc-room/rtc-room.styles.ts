import { css } from 'lit';

export const roomStyles = css`
  :host {
    --_room-background: var(--rtc-room-background, var(--_surface));
    --_room-tile-min-width: var(--rtc-room-tile-min-width, 160px);
    --_room-gap: var(--rtc-room-gap, var(--_space-s));
    --_room-chat-width: var(--rtc-room-chat-width, 22rem);
    --_room-strip-tile-width: var(--rtc-room-strip-tile-width, 180px);
    display: block;
  }

  /* The room fills the box its page gives it (a height, or a flex or grid cell); given none, the
     call's stage takes a 16:9 shape of its width (room-call.styles.ts). What does not fit scrolls
     inside, so a small box still works. */
  .base {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: var(--_room-gap);
    height: 100%;
    overflow: auto;
    padding: var(--_room-gap);
    border-radius: var(--_radius);
    background: var(--_room-background);
    color: var(--_text);
    /* The control bar asks how wide the room is, not the window (a room may be one column of a page). */
    container: room / inline-size;
  }

  /* The pre-join step in the middle of the room's box (at the top once it is taller, scrolling). */
  [part='prejoin'] {
    margin-block: auto;
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

  @media (forced-colors: active) {
    .base {
      border: 1px solid CanvasText;
    }
    .spinner {
      border-color: CanvasText;
      border-top-color: Highlight;
    }
  }
`;
