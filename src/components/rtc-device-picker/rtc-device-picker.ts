import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { live } from 'lit/directives/live.js';
import { DeviceManager, type DeviceKind, type DevicesState } from '../../core/media/devices.js';
import type { LocalMediaState } from '../../core/media/local-media.js';
import type { RtcError } from '../../core/errors.js';
import type { PrejoinSession } from '../../core/setup/call-setup.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcDeviceChangeEvent } from '../../events/rtc-events.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { devicePickerStyles } from './rtc-device-picker.styles.js';
import { Localize } from '../../i18n/localize.js';
import type { Strings } from '../../i18n/strings.js';

const ALL: DeviceKind[] = ['videoinput', 'audioinput', 'audiooutput'];
const LABEL: Record<DeviceKind, keyof Strings & ('camera' | 'microphone' | 'speaker')> = {
  videoinput: 'camera',
  audioinput: 'microphone',
  audiooutput: 'speaker',
};
const NONE: Record<DeviceKind, 'noCamera' | 'noMicrophone' | 'noSpeaker'> = { videoinput: 'noCamera', audioinput: 'noMicrophone', audiooutput: 'noSpeaker' };
const MEDIA_KIND = { videoinput: 'video', audioinput: 'audio' } as const;

/** `kinds="videoinput audioinput"` → ['videoinput', 'audioinput']; unknown words are ignored. */
const kindsConverter = {
  fromAttribute: (value: string | null): DeviceKind[] => (value === null ? [...ALL] : ALL.filter((k) => value.split(/\s+/).includes(k))),
  toAttribute: (value: DeviceKind[]) => value.join(' '),
};

/**
 * @summary Pickers for camera, microphone and speaker: labelled native selects that follow
 * devices being plugged in and removed. Inside `<rtc-room>` (or with `session` set) a choice
 * switches the call's device at once; on its own (a settings page) it is only remembered, and a
 * later call opens that device. The speaker picker shows only where the browser can route
 * sound (`setSinkId`). A device problem is shown under its picker.
 * @tag rtc-device-picker
 * @property session - The session whose devices to switch. Set it to work without an enclosing `<rtc-room>`; it wins over the room's.
 *
 * @fires {RtcDeviceChangeEvent} rtc-device-change - A device was picked (`kind`, `deviceId`).
 *
 * @csspart base - The group around the pickers.
 * @csspart field - One label with its select.
 * @csspart label - A picker's label ("Camera", "Microphone", "Speaker").
 * @csspart select - A picker's `<select>`.
 * @csspart error - The problem with a device (hidden when there is none).
 *
 * @cssprop --rtc-device-picker-gap - Space between the pickers (default `--rtc-space-s`).
 * @cssprop --rtc-device-picker-background - Behind the pickers (default `--rtc-color-surface`).
 * @cssprop --rtc-device-picker-padding - Around the pickers (default 0).
 * @cssprop --rtc-color-text - Label colour.
 */
export class RtcDevicePicker extends RtcSessionElement<PrejoinSession> {
  static override styles = [componentStyles, devicePickerStyles];
  /** focus() on the element lands on its first picker. */
  static override shadowRootOptions: ShadowRootInit = { ...RtcElement.shadowRootOptions, delegatesFocus: true };

  /** Which pickers to show, space-separated (attribute) or an array: `videoinput`, `audioinput`, `audiooutput`. Default all three. */
  @property({ converter: kindsConverter }) kinds: DeviceKind[] = [...ALL];

  @state() private announcement = '';

  readonly #devices = new StoreController<DevicesState>(this);
  readonly #media = new StoreController<LocalMediaState>(this);
  readonly #error = new StoreController<RtcError | null>(this);
  readonly #i18n = new Localize(this);
  #manager?: DeviceManager;
  #ownManager?: DeviceManager;
  #unwatch?: () => void;

  protected override sessionChanged(s: PrejoinSession | undefined): void {
    this.#media.attach(s?.localMedia);
    this.#error.attach(s?.error);
    if (s) this.#use(s.devices);
    else if (this.#manager) this.#use(this.#own());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // No session answered: a standalone picker (settings page) with a manager of its own.
    if (!this.#manager) this.#use(this.session?.devices ?? this.#own());
    else this.#unwatch ??= this.#manager.watch();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  protected override render() {
    const s = this.#devices.value;
    const kinds = this.kinds.filter((k) => k !== 'audiooutput' || s?.speakerSelectable);
    return html`
      <div part="base" class="base" role="group" aria-label=${this.#i18n.t.devices}>${kinds.map((k) => this.#picker(k, s))}</div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  #picker(kind: DeviceKind, s: DevicesState | undefined) {
    const list = s?.[kind] ?? [];
    const selected = s?.selected[kind] ?? '';
    const error = kind === 'audiooutput' ? undefined : this.#problem(MEDIA_KIND[kind]);
    const t = this.#i18n.t;
    return html`<div part="field" class="field">
      <label part="label" for=${kind}>${t[LABEL[kind]]}</label>
      <select part="select" id=${kind} ?disabled=${!list.length} aria-describedby="${kind}-error" @change=${this.#onChange}>
        ${
          list.length
            ? repeat(
                list,
                (d) => d.deviceId,
                // live(): a failed switch leaves the DOM on the new option while the state stays on the old one.
                (d) => html`<option value=${d.deviceId} .selected=${live(d.deviceId === selected)}>${d.label}</option>`,
              )
            : html`<option value="">${t[NONE[kind]]}</option>`
        }
      </select>
      <p part="error" class="error" id="${kind}-error" role="status">${error ? this.#i18n.error(error) : nothing}</p>
    </div>`;
  }

  /** Why this kind's device is unavailable, else the call's latest news about it ("Your camera was disconnected…"). */
  #problem(kind: 'audio' | 'video'): RtcError | undefined {
    const latest = this.#error.value;
    return this.#media.value?.errors[kind] ?? (latest?.code === 'device-lost' && latest.details.kind === kind ? latest : undefined);
  }

  #onChange = async (e: Event) => {
    const select = e.target as HTMLSelectElement;
    const kind = select.id as DeviceKind;
    const deviceId = select.value;
    const label = select.selectedOptions[0]?.textContent?.trim() ?? '';
    const session = this.session;
    if (session) {
      try {
        await session.selectDevice(kind, deviceId);
      } catch {
        // the error is in localMedia.errors, shown under the picker
      }
      const error = kind === 'audiooutput' ? undefined : session.localMedia.get().errors[MEDIA_KIND[kind]];
      if (error) {
        this.requestUpdate(); // put the picker back on the device in use
        return this.#announce(this.#i18n.error(error));
      }
    } else {
      this.#manager?.choose(kind, deviceId);
    }
    this.dispatchEvent(new RtcDeviceChangeEvent(kind, deviceId));
    // In a call the device changed under the person's feet: confirm it. (A settings page only remembers.)
    if (session) await this.#announce(this.#i18n.t.switchedTo(label));
  };

  #own(): DeviceManager {
    return (this.#ownManager ??= new DeviceManager());
  }

  /** Follow `manager` (the session's, or our own): its lists, and devicechange while connected. */
  #use(manager: DeviceManager): void {
    if (manager === this.#manager) return;
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#manager = manager;
    this.#devices.attach(manager.state);
    if (this.isConnected) this.#unwatch = manager.watch();
  }

  async #announce(text: string): Promise<void> {
    // Clear first so the same words twice in a row are announced twice.
    this.announcement = '';
    await this.updateComplete;
    this.announcement = text;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-device-picker': RtcDevicePicker;
  }
}
