import { css } from 'lit';

export const statsStyles = css`
  :host {
    --_stats-background: var(--rtc-stats-background, var(--_surface));
    --_stats-good: var(--rtc-stats-good-color, var(--_good));
    --_stats-fair: var(--rtc-stats-fair-color, var(--_fair));
    --_stats-poor: var(--rtc-stats-poor-color, var(--_poor));
    display: block;
    font-size: 0.875rem;
  }
  .base {
    display: grid;
    gap: var(--_space-m);
    padding: var(--_space-m);
    border-radius: var(--_radius);
    background: var(--_stats-background);
    color: var(--_text);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
  }
  h2,
  h3 {
    margin: 0;
  }
  h2 {
    font-size: 1.125rem;
  }
  h3 {
    font-size: 1rem;
  }
  .actions {
    display: flex;
    gap: var(--_space-s);
  }
  .status:empty {
    display: none;
  }
  .status {
    margin: 0;
  }
  textarea {
    width: 100%;
    min-height: 10rem;
    font-family: ui-monospace, monospace;
    font-size: 0.75rem;
  }
  .scroll {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    background: var(--_stats-background);
  }
  /* The matrix wraps rather than scrolls: six people fit a phone's width. */
  [part='matrix'] th,
  [part='matrix'] td {
    white-space: normal;
  }
  th,
  td {
    padding: var(--_space-xs) var(--_space-s);
    border-bottom: 1px solid var(--_surface-raised);
    text-align: start;
    vertical-align: top;
    white-space: nowrap;
  }
  caption {
    text-align: start;
    padding-bottom: var(--_space-xs);
    color: var(--_text-muted);
  }
  .level {
    font-weight: 600;
  }
  .level[data-level='good'] {
    color: var(--_stats-good);
  }
  .level[data-level='fair'] {
    color: var(--_stats-fair);
  }
  .level[data-level='poor'],
  .level[data-level='lost'] {
    color: var(--_stats-poor);
  }
  .detail {
    color: var(--_text-muted);
  }
  .findings {
    margin: var(--_space-s) 0 0;
    padding-inline-start: 1.25rem;
  }
  .link {
    display: grid;
    gap: var(--_space-s);
    padding-top: var(--_space-s);
    border-top: 1px solid var(--_surface-raised);
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--_space-xs) var(--_space-m);
    margin: 0;
  }
  dt {
    color: var(--_text-muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  details ol {
    margin: var(--_space-xs) 0 0;
    padding-inline-start: 1.25rem;
    font-family: ui-monospace, monospace;
    font-size: 0.75rem;
  }
  summary {
    cursor: pointer;
  }
  .empty {
    margin: 0;
    color: var(--_text-muted);
  }
  @media (forced-colors: active) {
    .base {
      border: 1px solid CanvasText;
    }
    .level {
      forced-color-adjust: none;
      color: CanvasText !important;
    }
  }
`;
