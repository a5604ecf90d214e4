import { LitElement } from 'lit';
import { VERSION } from './version.js';

/** Base class of the rtc-widgets elements: carries the library version for defineElement(). */
export class RtcElement extends LitElement {
  /** The rtc-widgets version this class belongs to. */
  static readonly version: string = VERSION;
}
