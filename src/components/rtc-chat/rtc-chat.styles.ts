import { css } from 'lit';

export const chatStyles = css`
  :host {
    --_chat-background: var(--rtc-chat-background, var(--_surface));
    --_chat-own: var(--rtc-chat-own-background, var(--_surface-raised));
    display: block;
    height: var(--rtc-chat-height, 100%);
    min-height: 18rem;
  }

  .base {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
    height: 100%;
    padding: var(--_space-s);
    border-radius: var(--_radius);
    background: var(--_chat-background);
  }

  .log {
    flex: 1;
    min-height: 3rem;
    overflow-y: auto;
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
    padding: var(--_space-xs);
    overflow-wrap: anywhere;
  }
  .message {
    max-width: 90%;
    padding: var(--_space-xs) var(--_space-s);
    border-radius: calc(var(--_radius) * 0.5);
  }
  .message.local {
    align-self: flex-end;
    background: var(--_chat-own);
  }
  .message.relayed {
    border-inline-start: 3px solid currentColor;
    opacity: 0.85;
  }
  .relayed-note {
    margin: 0;
    font-size: 0.85em;
    font-style: italic;
    text-align: center;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-s);
    align-items: baseline;
    font-size: 0.875rem;
  }
  .name,
  .file {
    font-weight: 600;
  }
  time,
  .who,
  .empty,
  .notice {
    color: var(--_text-muted);
  }
  .text {
    white-space: pre-wrap;
  }
  .empty,
  .notice {
    margin: auto 0;
    text-align: center;
  }
  .notice {
    margin: 0;
    font-size: 0.875rem;
  }
  .notice:empty {
    display: none;
  }

  /* Never squeezed out of sight by a short panel: an offer must stay on screen to be accepted. The log gives way instead. */
  .transfers {
    flex-shrink: 0;
    display: grid;
    gap: var(--_space-xs);
    max-height: 40%;
    overflow-y: auto;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .transfer {
    display: grid;
    gap: var(--_space-xs);
    padding: var(--_space-xs) var(--_space-s);
    border-radius: calc(var(--_radius) * 0.5);
    background: var(--_surface-raised);
    overflow-wrap: anywhere;
  }
  progress {
    width: 100%;
    accent-color: var(--_accent);
  }
  .stats {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
    font-size: 0.875rem;
  }
  .error {
    color: var(--_text);
    font-weight: 600;
  }
  .download {
    color: inherit;
    font-weight: 600;
  }
  .button.small {
    min-height: 2rem;
    padding: 0 var(--_space-s);
  }

  .form,
  .files {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-s);
    align-items: center;
  }
  textarea,
  select {
    padding: var(--_space-s);
  }
  textarea {
    flex: 1 1 10rem;
    min-width: 0; /* not its columns' width: Send stays on the same row in a narrow panel */
    resize: vertical;
  }
  .files label {
    display: flex;
    gap: var(--_space-xs);
    align-items: center;
    font-size: 0.875rem;
  }

  .drop {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    border: 3px dashed var(--_accent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_chat-background) 85%, transparent);
    font-weight: 600;
    pointer-events: none;
  }

  @media (forced-colors: active) {
    .base,
    .message,
    .transfer,
    textarea,
    select {
      border: 1px solid CanvasText;
    }
  }
`;
