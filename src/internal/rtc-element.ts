import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { ThemeName } from '../styles/theme.styles.js';
import { VERSION } from './version.js';

/** Base class of the rtc-widgets elements: carries the library version for defineElement(). */
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
