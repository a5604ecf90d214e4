import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { RtcSession } from '../../core/session.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { settingsIcon } from '../../internal/icons.js';
import { componentStyles } from '../../styles/component.styles.js';
import { CallControls } from '../rtc-call-buttons/call-controls.js';
import { toggleStyles } from '../rtc-call-buttons/rtc-call-buttons.styles.js';
import { controlsStyles } from './rtc-controls.styles.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';

/**
 * @summary Call controls: Microphone and Camera toggles (`aria-pressed`, true = on), Share
 * screen (only where the browser can), optionally a Devices panel, and Leave. State changes are
 * announced to screen readers. The same buttons exist as elements of their own
 * (`<rtc-mic-button>`, `<rtc-camera-button>`, `<rtc-screen-share-button>`, `<rtc-leave-button>`).
 * @tag rtc-controls
 * @property session - The session to control. Set it to work without an enclosing `<rtc-room>`; it wins over the room's.
 * @dependency rtc-device-picker
 *
 * @slot - Extra controls, placed between Share screen and Devices/Leave.
 *
 * @csspart base - The group around the buttons.
 * @csspart button - Every button.
 * @csspart microphone - The Microphone toggle.
 * @csspart camera - The Camera toggle.
 * @csspart screen-share - The Share screen toggle.
 * @csspart devices-toggle - The Devices button (with the `devices` attribute).
 * @csspart devices - The panel around the `<rtc-device-picker>`.
 * @csspart leave - The Leave button.
 *
 * @cssprop --rtc-controls-gap - Space between buttons (default `--rtc-space-s`).
 * @cssprop --rtc-controls-background - Behind the buttons (default transparent).
 * @cssprop --rtc-controls-on-background - A toggle that is on (default `--rtc-color-surface-raised`).
 * @cssprop --rtc-controls-off-background - A toggle that is off (default `--rtc-color-inverse`).
 * @cssprop --rtc-controls-off-color - Text of a toggle that is off (default `--rtc-color-on-inverse`).
 * @cssprop --rtc-color-danger - The Leave button.
 */
export class RtcControls extends RtcSessionElement {
  static override styles = [componentStyles, toggleStyles, controlsStyles];
  /** focus() on the element lands on its first button. */
  static override shadowRootOptions: ShadowRootInit = { ...RtcElement.shadowRootOptions, delegatesFocus: true };

  /** Add a Devices button that opens camera, microphone and speaker pickers. */
  @property({ type: Boolean, reflect: true }) devices = false;

  @state() private devicesOpen = false;

  readonly #controls = new CallControls(this);
  readonly #i18n = new Localize(this, en);

  protected override sessionChanged(session: RtcSession | undefined): void {
    this.#controls.attach(session);
  }

  protected override render() {
    const c = this.#controls;
    const open = this.devices && this.devicesOpen;
    const t = this.#i18n.t;
    return html`
      <div part="base" class="base" role="group" aria-label=${t.callControls}>
        ${c.microphone()} ${c.camera()} ${c.screenShare()}
        <slot></slot>
        ${
          this.devices
            ? html`<button
              part="button devices-toggle"
              class="button"
              type="button"
              aria-expanded=${open ? 'true' : 'false'}
              aria-controls="devices"
              @click=${this.#onDevices}
            >
              ${settingsIcon}<span>${t.devices}</span>
            </button>`
            : nothing
        }
        ${c.leave()}
      </div>
      ${
        this.devices
          ? html`<div part="devices" class="devices" id="devices" role="region" aria-label=${t.devices} ?hidden=${!open} @keydown=${this.#onPanelKey}>
            ${open ? html`<rtc-device-picker .session=${this.session}></rtc-device-picker>` : nothing}
          </div>`
          : nothing
      }
      ${c.liveRegion()}
    `;
  }

  #onDevices = async () => {
    this.devicesOpen = !this.devicesOpen;
    if (!this.devicesOpen) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('rtc-device-picker')?.focus();
  };

  /** Escape in the panel closes it and returns to the Devices button. */
  #onPanelKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    this.devicesOpen = false;
    this.renderRoot.querySelector<HTMLElement>('[part~="devices-toggle"]')?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-controls': RtcControls;
  }
}
