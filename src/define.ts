/**
 * Registers every rtc-widgets element: the CDN bundle's entry (`<script type="module" src=".../rtc-widgets.js">`)
 * and `import 'rtc-widgets/define.js'`. Safe to load more than once, or beside another copy of
 * rtc-widgets: registered tags are skipped (a different version gets a console warning).
 *
 * What the pre-join step needs is defined at once; the other elements load on first use (the room
 * asks for the call's elements when joining; tags a page puts in its own layout load when they
 * appear), each from a chunk next to this file.
 */
import { ContextRoot } from '@lit/context';
import { defineElement } from './internal/define-element.js';
import { autoload, reserveSpace } from './internal/lazy-elements.js';
import { RtcRoom } from './components/rtc-room/rtc-room.js';
import { RtcPrejoin } from './components/rtc-prejoin/rtc-prejoin.js';
import { RtcDevicePicker } from './components/rtc-device-picker/rtc-device-picker.js';
// Types only, erased from the bundle: a program that imports just this module still sees every
// element's declarations (the lazy ones too), so HTMLElementTagNameMap and the rtc-* event map are whole.
export type {} from './index.js';

const ROOT_KEY = Symbol.for('rtc-widgets/context-root');

if (typeof document !== 'undefined') {
  // A tile that upgrades before its <rtc-room> asks for the session while nobody can answer;
  // the ContextRoot keeps that request and replays it when the room's provider appears. One per
  // page, however many copies of rtc-widgets are loaded.
  const g = globalThis as { [ROOT_KEY]?: ContextRoot };
  if (!g[ROOT_KEY]) {
    g[ROOT_KEY] = new ContextRoot();
    g[ROOT_KEY].attach(document.body ?? document.documentElement);
  }
}

// The provider first: elements already in the page upgrade in definition order, so a room
// is ready before the children that ask it for the session.
defineElement('rtc-room', RtcRoom);
defineElement('rtc-prejoin', RtcPrejoin);
defineElement('rtc-device-picker', RtcDevicePicker);
if (typeof document !== 'undefined') {
  reserveSpace(document);
  autoload(document.documentElement);
}
