import { css } from 'lit';

export const participantListStyles = css`
  :host {
    --_list-speaking-color: var(--rtc-participant-list-speaking-color, #22c55e);
    --_list-background: var(--rtc-participant-list-background, var(--_surface));
    display: block;
  }

  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
    height: 100%;
    padding: var(--_space-s);
    min-width: 0;
    border-radius: var(--_radius);
    background: var(--_list-background);
    color: var(--_text);
  }
  .heading {
    font-weight: 600;
  }
  .count {
    color: var(--_text-muted);
    font-weight: 400;
  }

  .list {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
    overflow-y: auto;
  }
  .participant {
    display: flex;
    /* A crowded row (a host's actions, e.g. "Invite on stage" in a broadcast) wraps rather than hide the name. */
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
    padding: var(--_space-xs);
    border-radius: calc(var(--_radius) * 0.5);
  }
  .avatar {
    display: grid;
    place-items: center;
    flex: none;
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_on-accent);
    font-size: 0.8rem;
    font-weight: 600;
  }
  .participant[data-speaking] .avatar {
    box-shadow: 0 0 0 2px var(--_list-speaking-color);
  }
  .who {
    flex: 1;
    min-width: min(6rem, 40%);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .you,
  .connection {
    color: var(--_text-muted);
  }
  .states {
    display: flex;
    gap: var(--_space-xs);
    flex: none;
    color: var(--_text-muted);
  }
  .state {
    display: inline-flex;
  }
  .state svg {
    width: 1.1rem;
    height: 1.1rem;
  }
  .state[data-state='speaking'] {
    color: var(--_list-speaking-color);
  }
  .state[data-state='audio-muted'] {
    color: var(--_error-text);
  }

  .code {
    white-space: normal;
    color: var(--_text-muted);
    font-size: 0.8rem;
  }
  .code strong {
    color: var(--_text);
  }
  .role {
    flex: none;
    padding: 0 var(--_space-xs);
    border: 1px solid currentColor;
    border-radius: calc(var(--_radius) * 0.5);
    color: var(--_text-muted);
    font-size: 0.75rem;
  }
  .actions {
    display: flex;
    flex: none;
    gap: var(--_space-xs);
  }
  .button.small {
    min-height: 1.75rem;
    padding: 0 var(--_space-s);
    font-size: 0.8rem;
  }
  .subheading {
    font-size: 0.85rem;
    font-weight: 600;
  }
  .lobby {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    padding: var(--_space-xs);
    border: 1px solid var(--_accent);
    border-radius: calc(var(--_radius) * 0.5);
  }
  .knock {
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
  }
  .room-settings {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-xs) var(--_space-m);
    font-size: 0.85rem;
  }
  .room-settings label {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
    min-height: 2rem;
  }
  .room-settings input {
    min-height: 0;
    width: 1.1rem;
    height: 1.1rem;
    margin: 0;
    padding: 0;
    accent-color: var(--_accent);
  }
  .end {
    align-self: flex-start;
    min-height: 2.25rem;
    margin-top: auto;
    font-size: 0.85rem;
  }

  @media (forced-colors: active) {
    .avatar {
      border: 1px solid CanvasText;
    }
    .state {
      color: CanvasText;
    }
    .participant[data-speaking] .avatar {
      box-shadow: none;
      outline: 2px solid Highlight;
    }
  }
`;
