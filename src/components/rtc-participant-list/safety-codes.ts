import { html, nothing, type ReactiveControllerHost } from 'lit';
import type { Participant, RtcSession } from '../../core/session.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

/**
 * The participant list's "Verify" per connected remote: the same four-word safety code as the
 * tile's, under the name, so people can compare it aloud (docs/security.md).
 */
export class SafetyCodes {
  readonly #host: ReactiveControllerHost;
  /** Open rows, and their words (undefined while computing, null when not available). */
  readonly #open = new Map<string, string | null | undefined>();
  #session?: RtcSession;
  readonly #i18n: Localize<Strings>;

  constructor(host: ReactiveControllerHost & Element) {
    this.#host = host;
    this.#i18n = new Localize(host, en);
  }

  attach(session: RtcSession | undefined): void {
    this.#session = session;
    this.#open.clear();
  }

  button(p: Participant) {
    if (p.isLocal || p.connectionState !== 'connected') return nothing;
    const open = this.#open.has(p.id);
    const t = this.#i18n.t;
    return html`<button
      part="button verify"
      class="button small"
      type="button"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls="code-${p.id}"
      aria-label=${t.verifyName(p.name)}
      title=${t.safetyCodeTitle(p.name)}
      @click=${() => this.#toggle(p.id)}
    >
      ${t.verify}
    </button>`;
  }

  /** The words under a row, when open. */
  code(p: Participant) {
    if (!this.#open.has(p.id) || p.isLocal) return nothing;
    const words = this.#open.get(p.id);
    const t = this.#i18n.t;
    const text = words === undefined ? t.computing : words === null ? t.noSafetyCode(p.name) : words;
    return html`<div part="safety-code" class="code" id="code-${p.id}" role="status">
      ${words ? html`${t.compareWith(p.name)} <strong>${text}</strong>` : text}
    </div>`;
  }

  #toggle(id: string): void {
    if (this.#open.has(id)) this.#open.delete(id);
    else {
      this.#open.set(id, undefined);
      const session = this.#session;
      void (session ? session.safetyCode(id) : Promise.resolve(null))
        .catch(() => null)
        .then((code) => {
          if (this.#session === session && this.#open.has(id)) this.#open.set(id, code);
          this.#host.requestUpdate();
        });
    }
    this.#host.requestUpdate();
  }
}
