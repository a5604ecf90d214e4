import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RtcSession } from '../core/session.js';
import { sessionContext } from '../context/rtc-context.js';

/**
 * Resolves the session an element works on: an explicitly set one wins (LiveKit's
 * `useEnsureRoom`: standalone use, tests), otherwise the one an enclosing `<rtc-room>` provides
 * through context. `onChange` runs whenever the effective session changes, which is where an
 * element re-attaches its StoreControllers.
 */
export class SessionController<S extends object = RtcSession> implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #onChange?: (session: S | undefined) => void;
  #explicit?: S;
  #fromContext?: S;
  #current?: S;
  /** A provider answered since the host last connected. */
  #answered = false;

  /**
   * `S`: what the element needs of a session (e.g. PrejoinSession, which the pre-join step's
   * CallSetup also has); the context always gives an RtcSession.
   */
  constructor(host: ReactiveControllerHost & HTMLElement, onChange?: (session: S | undefined) => void) {
    this.#host = host;
    this.#onChange = onChange;
    // The consumer is added first, so its request (answered synchronously by a provider that is
    // already upgraded) has run by the time our own hostConnected looks at #answered.
    new ContextConsumer(host, {
      context: sessionContext,
      subscribe: true,
      callback: (session) => {
        this.#answered = true;
        this.#fromContext = (session ?? undefined) as S | undefined;
        this.#sync();
      },
    });
    host.addController(this);
  }

  /** The effective session: the explicit one, else the context's. */
  get session(): S | undefined {
    return this.#current;
  }

  /** The explicitly set session, if any. */
  get explicit(): S | undefined {
    return this.#explicit;
  }
  set explicit(session: S | undefined) {
    this.#explicit = session ?? undefined;
    this.#sync();
  }

  hostConnected(): void {
    // Moved out of a room into a place no provider answers: drop the stale session. (A provider
    // that upgrades later still reaches us through the ContextRoot that define.ts attaches.)
    if (!this.#answered && this.#fromContext) {
      this.#fromContext = undefined;
      this.#sync();
    }
  }

  hostDisconnected(): void {
    this.#answered = false;
  }

  #sync(): void {
    const next = this.#explicit ?? this.#fromContext;
    if (next === this.#current) return;
    this.#current = next;
    this.#onChange?.(next);
    this.#host.requestUpdate();
  }
}
