import { html, nothing, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Participant, RtcSession } from '../../core/session.js';
import type { KnockInfo, Role, RoomMode, RoomSettings } from '../../core/signaling/protocol.js';
import { StoreController } from '../../controllers/store-controller.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

/**
 * What a host sees in the participant list: who waits in the lobby (Admit / Deny), whether the
 * room is locked or behind a lobby, per person "Ask to mute" and "Remove", and "End for everyone".
 * Everyone else sees only role badges. The server checks every action; a refusal shows as an error.
 */
export class HostControls {
  readonly #role: StoreController<Role>;
  readonly #lobby: StoreController<KnockInfo[]>;
  readonly #settings: StoreController<RoomSettings>;
  /** A broadcast room: hosts invite viewers on stage and move presenters back to the audience. */
  readonly #mode: StoreController<RoomMode>;
  readonly #i18n: Localize<Strings>;
  #session?: RtcSession;

  constructor(host: ReactiveControllerHost & Element) {
    this.#i18n = new Localize(host, en);
    this.#role = new StoreController<Role>(host);
    this.#lobby = new StoreController<KnockInfo[]>(host);
    this.#settings = new StoreController<RoomSettings>(host);
    this.#mode = new StoreController<RoomMode>(host);
  }

  attach(session: RtcSession | undefined): void {
    this.#session = session;
    const m = session?.moderation;
    this.#role.attach(m?.role);
    this.#lobby.attach(m?.lobby);
    this.#settings.attach(m?.settings);
    this.#mode.attach(session?.roomMode);
  }

  get isHost(): boolean {
    return this.#role.value === 'host';
  }

  /** Above the list: the lobby and the room's settings (hosts only). */
  renderTop() {
    if (!this.isHost) return nothing;
    const lobby = this.#lobby.value ?? [];
    const settings = this.#settings.value ?? { locked: false, lobby: false };
    const m = this.#session!.moderation;
    const act = (p: Promise<void>) => void p.catch(() => undefined); // refusals show as the session's error
    const t = this.#i18n.t;
    return html`
      ${
        lobby.length
          ? html`<section part="lobby" class="lobby" aria-labelledby="lobby-heading">
            <div class="subheading" id="lobby-heading">${t.waitingToJoin(lobby.length)}</div>
            <ul class="list">
              ${repeat(
                lobby,
                (k) => k.id,
                (k) => html`<li class="knock" data-id=${k.id}>
                  <span class="who name">${k.name}</span>
                  <button part="button admit" class="button small primary" type="button" aria-label=${t.admitName(k.name)} @click=${() => act(m.admit(k.id))}>${t.admit}</button>
                  <button part="button deny" class="button small" type="button" aria-label=${t.denyName(k.name)} @click=${() => act(m.deny(k.id))}>${t.deny}</button>
                </li>`,
              )}
            </ul>
          </section>`
          : nothing
      }
      <div part="room-settings" class="room-settings">
        <label><input type="checkbox" .checked=${settings.lobby} @change=${(e: Event) => act(m.setLobby((e.target as HTMLInputElement).checked))} /> ${t.lobbySetting}</label>
        <label><input type="checkbox" .checked=${settings.locked} @change=${(e: Event) => act(m.setLocked((e.target as HTMLInputElement).checked))} /> ${t.lockRoom}</label>
      </div>
    `;
  }

  /** After a person's name: their role, and for a host the actions on them. */
  renderRow(p: Participant) {
    const t = this.#i18n.t;
    const badge =
      p.role === 'host'
        ? html`<span part="role" class="role">${t.host}</span>`
        : p.role === 'viewer'
          ? html`<span part="role" class="role">${t.viewer}</span>`
          : nothing;
    if (!this.isHost || p.isLocal) return badge;
    const m = this.#session!.moderation;
    const act = (p: Promise<void>) => void p.catch(() => undefined);
    return html`${badge}
      <span class="actions">
        ${
          p.audioMuted || p.role === 'viewer'
            ? nothing
            : html`<button part="button ask-mute" class="button small" type="button" aria-label=${t.askToMute(p.name)} @click=${() => act(m.requestMute(p.id))}>${t.mute}</button>`
        }
        ${
          this.#mode.value !== 'broadcast'
            ? nothing
            : p.role === 'viewer'
              ? html`<button part="button invite-on-stage" class="button small primary" type="button" aria-label=${t.inviteName(p.name)} @click=${() => act(m.setRole(p.id, 'guest'))}>${t.inviteOnStage}</button>`
              : p.role === 'guest'
                ? html`<button part="button move-to-audience" class="button small" type="button" aria-label=${t.moveToAudience(p.name)} @click=${() => act(m.setRole(p.id, 'viewer'))}>${t.toAudience}</button>`
                : nothing
        }
        <button part="button remove" class="button small danger" type="button" aria-label=${t.removeName(p.name)} @click=${() => act(m.remove(p.id))}>${t.remove}</button>
      </span>`;
  }

  /** Below the list (hosts only). */
  renderBottom() {
    if (!this.isHost) return nothing;
    const m = this.#session!.moderation;
    return html`<button part="button end-room" class="button danger end" type="button" @click=${() => void m.endRoom().catch(() => undefined)}>${this.#i18n.t.endForEveryone}</button>`;
  }
}
