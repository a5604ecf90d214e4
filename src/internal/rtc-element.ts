import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { ThemeName } from '../styles/theme.styles.js';
import { VERSION } from './version.js';

/**
 * Base class of the rtc-widgets elements: carries the library version for defineElement(), and
 * the `theme` and design tokens every element reads (values per theme: docs/theming.md).
 *
 * @cssprop --rtc-color-accent - Primary buttons, pressed toggles, avatars (dark #2563eb, light #1d4ed8).
 * @cssprop --rtc-color-on-accent - Text on the accent (#ffffff).
 * @cssprop --rtc-color-surface - Backgrounds: the room, panels, menus (dark #1f2937, light #f9fafb).
 * @cssprop --rtc-color-surface-raised - Buttons, inputs, own messages, panel borders (dark #374151, light #e5e7eb).
 * @cssprop --rtc-color-text - Text (dark #f9fafb, light #111827).
 * @cssprop --rtc-color-text-muted - Secondary text, input borders (dark #d1d5db, light #4b5563).
 * @cssprop --rtc-color-danger - Leave, errors, unread badges (#b91c1c).
 * @cssprop --rtc-color-on-danger - Text on the danger colour (#ffffff).
 * @cssprop --rtc-color-inverse - A call toggle that is off (dark #e5e7eb, light #374151).
 * @cssprop --rtc-color-on-inverse - Its text (dark #111827, light #f9fafb).
 * @cssprop --rtc-color-error-text - Error-coloured text on a surface (dark #fca5a5, light #b91c1c).
 * @cssprop --rtc-color-good - "Good" in statistics (dark #4ade80, light #15803d).
 * @cssprop --rtc-color-fair - "Fair" in statistics (dark #facc15, light #a16207).
 * @cssprop --rtc-color-poor - "Poor" and "lost" in statistics (dark #f87171, light #b91c1c).
 * @cssprop --rtc-focus-ring-color - The keyboard focus ring (dark #60a5fa, light #1d4ed8).
 * @cssprop --rtc-radius - Corner radius (default 12px).
 * @cssprop --rtc-font-family - Font (default system-ui).
 * @cssprop --rtc-space-xs - Smallest spacing (default 0.25rem).
 * @cssprop --rtc-space-s - Small spacing: gaps between buttons and tiles (default 0.5rem).
 * @cssprop --rtc-space-m - Base spacing (default 1rem).
 * @cssprop --rtc-space-l - Large spacing (default 1.5rem).
 */
export class RtcElement extends LitElement {
  /** The rtc-widgets version this class belongs to. */
  static readonly version: string = VERSION;

  /**
   * Colours of this element and everything inside it: 'dark', 'light', or 'auto' (follows the
   * system's `prefers-color-scheme`). Without it, the theme of the nearest rtc-* element around
   * it, else dark (docs/theming.md).
   */
  @property({ reflect: true }) theme?: ThemeName;
}
