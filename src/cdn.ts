/**
 * The CDN bundle's entry (dist/cdn/rtc-widgets.js): registers the elements (define.ts) and exports
 * what a page may want without loading the call engine. The core (RtcSession, transports, …)
 * arrives with `await loadCore()`, from a chunk next to this file.
 */
import './define.js';

export { RtcRoom } from './components/rtc-room/rtc-room.js';
export { RtcPrejoin } from './components/rtc-prejoin/rtc-prejoin.js';
export { RtcDevicePicker } from './components/rtc-device-picker/rtc-device-picker.js';
export * from './events/rtc-events.js';
export { RtcError } from './core/errors.js';
export { sessionContext } from './context/rtc-context.js';
export { defineElement } from './internal/define-element.js';
export { loadElements } from './internal/lazy-elements.js';
export { VERSION } from './internal/version.js';
export { registerStrings, languagesReady } from './i18n/localize.js';
export type { Strings } from './i18n/strings.js';

/** Everything `rtc-widgets` exports (the core and every element class), loaded on demand. */
export const loadCore = () => import('./index.js');
