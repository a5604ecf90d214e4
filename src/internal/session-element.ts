import { property } from 'lit/decorators.js';
import type { RtcSession } from '../core/session.js';
import { SessionController } from '../controllers/session-controller.js';
import { RtcElement } from './rtc-element.js';

/**
 * Base class of the elements that work on a call: `session` is the one set on the element, else
 * the enclosing `<rtc-room>`'s (through context, SessionController). A subclass follows the
 * session in use in `sessionChanged()`, where it attaches its StoreControllers. `S`: what the
 * element needs of a session (the pre-join elements take a PrejoinSession, which the pre-join
 * step's CallSetup is too); the room always gives an RtcSession.
 */
export class RtcSessionElement<S extends object = RtcSession> extends RtcElement {
  readonly #session = new SessionController<S>(this, (session) => this.sessionChanged(session));

  /**
   * The session this element works on. Set it to work without an enclosing `<rtc-room>`; it wins
   * over the room's. Reading it gives the session in use.
   */
  @property({ attribute: false })
  get session(): S | undefined {
    return this.#session.session;
  }
  set session(session: S | undefined) {
    this.#session.explicit = session;
  }

  /** The session in use changed (set here, or the room's): follow its stores. Runs before the update it causes. */
  protected sessionChanged(_session: S | undefined): void {}
}
