import { css } from 'lit';

export const precallCheckStyles = css`
  :host {
    --_pass: var(--rtc-precall-check-pass-color, var(--rtc-color-success, #16a34a));
    --_warn: var(--rtc-precall-check-warn-color, var(--rtc-color-warning, #d97706));
    --_fail: var(--rtc-precall-check-fail-color, var(--_danger));
    --_check-background: var(--rtc-precall-check-background, var(--_surface));
    display: block;
  }

  .base {
    display: grid;
    gap: var(--_space-s);
    padding: var(--_space-m);
    border-radius: var(--_radius);
    background: var(--_check-background);
    color: var(--_text);
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
  }
  .title {
    margin: 0;
    font-weight: 600;
  }
  .summary {
    margin: 0;
    color: var(--_text-muted);
  }

  .steps {
    display: grid;
    gap: var(--_space-s);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .step {
    display: grid;
    grid-template-columns: 1.5rem 1fr;
    gap: var(--_space-s);
    align-items: start;
  }
  .step-label {
    font-weight: 600;
  }
  .step-message {
    margin: 0;
  }

  .icon {
    display: inline-flex;
    width: 1.5rem;
    height: 1.5rem;
    color: var(--_text-muted);
  }
  .icon svg {
    width: 100%;
    height: 100%;
  }
  [data-status='pass'] .icon {
    color: var(--_pass);
  }
  [data-status='warn'] .icon {
    color: var(--_warn);
  }
  [data-status='fail'] .icon {
    color: var(--_fail);
  }
  [data-status='running'] .icon svg {
    animation: spin 1s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [data-status='running'] .icon svg {
      animation: none;
    }
  }

  .network {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--_space-xs) var(--_space-m);
    margin: 0;
    padding-inline-start: calc(1.5rem + var(--_space-s));
  }
  .network dt {
    color: var(--_text-muted);
  }
  .network dd {
    margin: 0;
  }

  .button:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }

  @media (forced-colors: active) {
    .base {
      border: 1px solid CanvasText;
    }
    .icon,
    [data-status] .icon {
      color: CanvasText;
    }
  }
`;
