/**
 * Context keys only (lit's advice: keep them in their own module so providers and consumers
 * can import them without pulling in each other).
 */
import { createContext } from '@lit/context';
import type { RtcSession } from '../core/session.js';

/**
 * The session of the enclosing `<rtc-room>`. `Symbol.for` (not `Symbol()`): the key must still
 * match when the CDN bundle and an npm copy of rtc-widgets share one page.
 *
 * The value is one stable RtcSession; `subscribe: true` consumers hear only a replacement.
 * Fine-grained state travels through the session's stores (see StoreController), never through
 * the context, because context notifies by identity.
 */
export const sessionContext = createContext<RtcSession | undefined>(Symbol.for('rtc-widgets/session'));
export type SessionContext = typeof sessionContext;
