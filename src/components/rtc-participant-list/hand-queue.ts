import { css, html, nothing, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Participant, RtcSession } from '../../core/session.js';
import type { RaisedHand } from '../../core/reactions/hands.js';
import type { Role } from '../../core/signaling/protocol.js';
import { StoreController } from '../../controllers/store-controller.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

/**
 * The raised-hands queue in the participant list: who raised a hand, first raised first (the same
 * order on every page), numbered; "Lower" beside each for a host (or anyone in a room without
 * hosts), and beside our own for us.
 */
export class HandQueue {
  readonly #hands: StoreController<RaisedHand[]>;
  readonly #role: StoreController<Role>;
  readonly #i18n: Localize<Strings>;
  #session?: RtcSession;

  constructor(host: ReactiveControllerHost & Element) {
    this.#i18n = new Localize(host, en);
    this.#hands = new StoreController<RaisedHand[]>(host);
    this.#role = new StoreController<Role>(host); // re-renders when we become a host
  }

  attach(session: RtcSession | undefined): void {
    this.#session = session;
    this.#hands.attach(session?.hands);
    this.#role.attach(session?.moderation?.role);
  }

  /** The queue, above the list; nothing while no hand is up. */
  render(people: readonly Participant[]) {
    const s = this.#session;
    const queue = this.#hands.value ?? [];
    if (!s || !queue.length) return nothing;
    const byId = new Map(people.map((p) => [p.id, p]));
    const t = this.#i18n.t;
    return html`<section part="hands" class="hands" aria-labelledby="hands-heading">
      <div class="subheading" id="hands-heading">${t.raisedHands(queue.length)}</div>
      <ol class="list hand-list">
        ${repeat(
          queue,
          (h) => h.id,
          (h, i) => {
            const p = byId.get(h.id);
            const mine = h.id === s.localId;
            const name = p?.name ?? t.someone;
            return html`<li part="hand" class="hand" data-id=${h.id}>
              <span part="hand-position" class="position" aria-hidden="true">${this.#i18n.number(i + 1)}</span>
              <span class="who name">${mine ? t.nameYou(name) : name}</span>
              ${
                mine || s.canLowerHands
                  ? html`<button
                    part="button lower-hand"
                    class="button small"
                    type="button"
                    aria-label=${mine ? t.lowerYourHand : t.lowerHandOf(name)}
                    @click=${() => this.#lower(mine ? undefined : h.id)}
                  >
                    ${t.lower}
                  </button>`
                  : nothing
              }
            </li>`;
          },
        )}
      </ol>
    </section>`;
  }

  #lower(id: string | undefined): void {
    try {
      this.#session?.lowerHand(id);
    } catch {
      // no longer allowed (e.g. no longer a host): the button goes away on the next render
    }
  }
}

export const handQueueStyles = css`
  .hands {
    margin-block-end: var(--_space-s);
  }
  .hand {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    padding-block: var(--_space-xs);
  }
  .hand .who {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .position {
    display: grid;
    place-items: center;
    flex: none;
    width: 1.75rem;
    height: 1.75rem;
    border-radius: 50%;
    background: var(--rtc-participant-list-hand-color, #f59e0b);
    color: var(--rtc-participant-list-hand-text-color, #111827);
    font-weight: 700;
  }
`;
