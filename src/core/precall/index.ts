export { runPrecallCheck, emptyPrecallResult } from './precall-check.js';
export { playTestTone, MIC_FLOOR_DB } from './media-checks.js';
export { formatRate } from './network-check.js';
export { hasTurnServer, NO_RELAY_TEXT, NO_RELAY_FIX } from './ice.js';
export type * from './types.js';
