import { css, unsafeCSS } from 'lit';

/**
 * The colour tokens and their value in each theme (docs/theming.md lists the same table; a test
 * compares the two and the computed values). `token` is public (a page sets it to override every
 * theme); `on` is the private variable each element reads it into.
 */
export const THEME_TOKENS = [
  { token: '--rtc-color-accent', on: '--_accent', dark: '#2563eb', light: '#1d4ed8' },
  { token: '--rtc-color-on-accent', on: '--_on-accent', dark: '#ffffff', light: '#ffffff' },
  { token: '--rtc-color-surface', on: '--_surface', dark: '#1f2937', light: '#f9fafb' },
  { token: '--rtc-color-surface-raised', on: '--_surface-raised', dark: '#374151', light: '#e5e7eb' },
  { token: '--rtc-color-text', on: '--_text', dark: '#f9fafb', light: '#111827' },
  { token: '--rtc-color-text-muted', on: '--_text-muted', dark: '#d1d5db', light: '#4b5563' },
  { token: '--rtc-color-danger', on: '--_danger', dark: '#b91c1c', light: '#b91c1c' },
  { token: '--rtc-color-on-danger', on: '--_on-danger', dark: '#ffffff', light: '#ffffff' },
  { token: '--rtc-color-inverse', on: '--_inverse', dark: '#e5e7eb', light: '#374151' },
  { token: '--rtc-color-on-inverse', on: '--_on-inverse', dark: '#111827', light: '#f9fafb' },
  { token: '--rtc-color-error-text', on: '--_error-text', dark: '#fca5a5', light: '#b91c1c' },
  { token: '--rtc-color-good', on: '--_good', dark: '#4ade80', light: '#15803d' },
  { token: '--rtc-color-fair', on: '--_fair', dark: '#facc15', light: '#a16207' },
  { token: '--rtc-color-poor', on: '--_poor', dark: '#f87171', light: '#b91c1c' },
  { token: '--rtc-focus-ring-color', on: '--_focus-ring-color', dark: '#60a5fa', light: '#1d4ed8' },
] as const;

export type ThemeName = 'light' | 'dark' | 'auto';

/** `--_accent` → `--_t-accent`: where a theme puts its value (inherited, so a room themes its insides). */
const slot = (on: string) => on.replace('--_', '--_t-');

const values = (theme: 'dark' | 'light') => unsafeCSS(THEME_TOKENS.map((t) => `${slot(t.on)}: ${t[theme]};`).join('') + `--_t-scheme: ${theme};`);

const reads = unsafeCSS(THEME_TOKENS.map((t) => `${t.on}: var(${t.token}, var(${slot(t.on)}, ${t.dark}));`).join(''));

/**
 * Themes. `theme="light" | "dark" | "auto"` on any rtc-* element puts that theme's values in
 * `--_t-*` variables on it. Custom properties inherit across shadow roots, so everything inside
 * a themed room (its call view, and elements the page composes inside it) takes the theme, and a
 * nested element with a `theme` of its own starts another. An element with no themed rtc-*
 * ancestor is dark. Each element reads the public token first: a page's `--rtc-color-accent`
 * (on `:root`, a container or the element) wins over every theme, and no selector is needed.
 */
export const themeStyles = css`
  :host {
    ${reads}
    color-scheme: var(--_t-scheme, dark);
  }
  :host([theme='dark']),
  :host([theme='auto']) {
    ${values('dark')}
  }
  :host([theme='light']) {
    ${values('light')}
  }
  @media (prefers-color-scheme: light) {
    :host([theme='auto']) {
      ${values('light')}
    }
  }
`;
