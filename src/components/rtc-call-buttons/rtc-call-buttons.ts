import { html } from 'lit';
import type { RtcSession } from '../../core/session.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { CallControls } from './call-controls.js';
import { callButtonStyles, toggleStyles } from './rtc-call-buttons.styles.js';

/**
 * One call button as an element of its own, for a custom control bar (`<rtc-controls>` renders
 * the same buttons). Uses the session of the enclosing `<rtc-room>`, or `session` if set. Its
 * state changes are announced by a visually hidden live region.
 *
 * @property session - The session to control. Set it to work without an enclosing `<rtc-room>`; it wins over the room's.
 */
export abstract class RtcCallButton extends RtcSessionElement {
  static override styles = [componentStyles, toggleStyles, callButtonStyles];
  /** focus() on the element lands on its button. */
  static override shadowRootOptions: ShadowRootInit = { ...RtcElement.shadowRootOptions, delegatesFocus: true };

  protected readonly controls = new CallControls(this);

  protected override sessionChanged(session: RtcSession | undefined): void {
    this.controls.attach(session);
  }

  protected abstract renderButton(): unknown;

  protected override render() {
    return html`${this.renderButton()}${this.controls.liveRegion()}`;
  }
}

/**
 * @summary The Microphone toggle on its own: mutes and unmutes (`aria-pressed`, true = on).
 * @tag rtc-mic-button
 *
 * @csspart button - The button.
 * @csspart microphone - The button (same as `button`, as in `<rtc-controls>`).
 *
 * @cssprop --rtc-controls-on-background - While on (default `--rtc-color-surface-raised`).
 * @cssprop --rtc-controls-off-background - While off (default `--rtc-color-inverse`).
 * @cssprop --rtc-controls-off-color - Text while off (default `--rtc-color-on-inverse`).
 */
export class RtcMicButton extends RtcCallButton {
  protected override renderButton() {
    return this.controls.microphone();
  }
}

/**
 * @summary The Camera toggle on its own: off stops the camera (its light goes out), on opens it
 * again and resumes sending (`aria-pressed`, true = on).
 * @tag rtc-camera-button
 *
 * @csspart button - The button.
 * @csspart camera - The button (same as `button`, as in `<rtc-controls>`).
 *
 * @cssprop --rtc-controls-on-background - While on (default `--rtc-color-surface-raised`).
 * @cssprop --rtc-controls-off-background - While off (default `--rtc-color-inverse`).
 * @cssprop --rtc-controls-off-color - Text while off (default `--rtc-color-on-inverse`).
 */
export class RtcCameraButton extends RtcCallButton {
  protected override renderButton() {
    return this.controls.camera();
  }
}

/**
 * @summary "Share screen" on its own: shows your screen to everyone beside your camera (with its
 * sound where the browser offers it); pressed again (or the browser's "Stop sharing") stops it. Renders nothing where
 * the browser cannot share a screen; cancelling the browser's picker changes nothing.
 * @tag rtc-screen-share-button
 *
 * @csspart button - The button.
 * @csspart screen-share - The button (same as `button`, as in `<rtc-controls>`).
 *
 * @cssprop --rtc-controls-on-background - While sharing (default `--rtc-color-surface-raised`).
 * @cssprop --rtc-controls-off-background - While not sharing (default `--rtc-color-inverse`).
 * @cssprop --rtc-controls-off-color - Text while not sharing (default `--rtc-color-on-inverse`).
 */
export class RtcScreenShareButton extends RtcCallButton {
  protected override renderButton() {
    return this.controls.screenShare();
  }
}

/**
 * @summary The Leave button on its own: leaves the call (disabled while not in one).
 * @tag rtc-leave-button
 *
 * @csspart button - The button.
 * @csspart leave - The button (same as `button`, as in `<rtc-controls>`).
 *
 * @cssprop --rtc-color-danger - Its background.
 */
export class RtcLeaveButton extends RtcCallButton {
  protected override renderButton() {
    return this.controls.leave();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-mic-button': RtcMicButton;
    'rtc-camera-button': RtcCameraButton;
    'rtc-screen-share-button': RtcScreenShareButton;
    'rtc-leave-button': RtcLeaveButton;
  }
}
