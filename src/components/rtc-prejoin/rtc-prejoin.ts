import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { LocalMediaState } from '../../core/media/local-media.js';
import type { RtcSession, SessionStatus } from '../../core/session.js';
import { SessionController } from '../../controllers/session-controller.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { prejoinStyles } from './rtc-prejoin.styles.js';

const NOT_IN_CALL: (SessionStatus | undefined)[] = ['idle', 'left', 'failed'];

/**
 * @summary The step before joining: a local preview, the display name (remembered on this
 * device) and a Join button. Device problems are shown, but joining stays possible (to listen
 * and watch).
 * @tag rtc-prejoin
 * @dependency rtc-video-tile
 *
 * @slot - Extra content below the name field (e.g. device pickers).
 *
 * @csspart base - The form.
 * @csspart preview - The local preview (an `<rtc-video-tile>`; style its own parts with `::part` on it).
 * @csspart error - One device problem.
 * @csspart input - The name field.
 * @csspart button - The Join button.
 *
 * @cssprop --rtc-prejoin-max-width - Width of the form (default 36rem).
 * @cssprop --rtc-color-surface - Form background.
 * @cssprop --rtc-color-accent - The Join button.
 */
export class RtcPrejoin extends RtcElement {
  static override styles = [componentStyles, prejoinStyles];

  /** localStorage key the name is remembered under; empty = do not remember. */
  @property({ attribute: 'storage-key' }) storageKey = 'rtc-widgets:name';

  /** The name in the field. */
  @state() private displayName = '';

  readonly #media = new StoreController<LocalMediaState>(this);
  readonly #status = new StoreController<SessionStatus>(this);
  readonly #session = new SessionController(this, (s) => {
    this.#media.attach(s?.localMedia);
    this.#status.attach(s?.status);
  });
  /** The user typed: the session's name or a stored one no longer overrides the field. */
  #edited = false;
  /** Sessions whose preview this element already asked for (once per connection: a failed camera must not be asked again on every update). */
  #previewed = new WeakSet<RtcSession>();

  /** The session to join. Set it to work without an enclosing `<rtc-room>`; it wins over the room's. */
  @property({ attribute: false })
  get session(): RtcSession | undefined {
    return this.#session.session;
  }
  set session(session: RtcSession | undefined) {
    this.#session.explicit = session;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#previewed = new WeakSet();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!this.#edited && !this.displayName) this.displayName = this.session?.name || this.#stored() || '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const session = this.session;
    // Open the devices for the preview (the session keeps them for the call).
    if (session && this.isConnected && !this.#previewed.has(session) && NOT_IN_CALL.includes(this.#status.value)) {
      this.#previewed.add(session);
      const live = session.localMedia.get().stream.getTracks().some((t) => t.readyState === 'live');
      if (!live) void session.startMedia();
    }
  }

  protected override render() {
    const session = this.session;
    const m = this.#media.value;
    const joining = this.#status.value === 'joining';
    const errors = Object.values(m?.errors ?? {}).filter((e) => !!e);
    return html`
      <form part="base" class="base" @submit=${this.#onSubmit}>
        <rtc-video-tile part="preview" local .session=${session}></rtc-video-tile>
        <div class="errors" role="status">${errors.map((e) => html`<p part="error" class="error">${e.message}</p>`)}</div>
        <div class="field">
          <label for="name">Your name</label>
          <input
            id="name"
            part="input"
            name="name"
            autocomplete="name"
            maxlength="64"
            .value=${live(this.displayName)}
            @input=${this.#onInput}
          />
        </div>
        <slot></slot>
        <div class="actions">
          <button part="button" class="button primary" type="submit" ?disabled=${!session || joining} title=${session ? nothing : 'No call to join'}>
            ${joining ? 'Joining…' : 'Join'}
          </button>
        </div>
      </form>
    `;
  }

  #onInput = (e: Event) => {
    this.#edited = true;
    this.displayName = (e.target as HTMLInputElement).value;
  };

  #onSubmit = (e: Event) => {
    e.preventDefault();
    const session = this.session;
    if (!session) return;
    const name = this.displayName.trim();
    this.#store(name);
    // Failures land in the session's status and error stores, which the room shows.
    session.join(name || undefined).catch(() => undefined);
  };

  #stored(): string | null {
    if (!this.storageKey) return null;
    try {
      return localStorage.getItem(this.storageKey);
    } catch {
      return null; // storage blocked (sandboxed iframe, privacy settings)
    }
  }

  #store(name: string): void {
    if (!this.storageKey) return;
    try {
      if (name) localStorage.setItem(this.storageKey, name);
      else localStorage.removeItem(this.storageKey);
    } catch {
      // storage blocked: nothing to remember
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-prejoin': RtcPrejoin;
  }
}
