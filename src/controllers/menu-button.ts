import type { ReactiveController, ReactiveControllerHost } from 'lit';

interface MenuButtonHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** Where the button, its menu's items and the box around both are in the host's render root. */
export interface MenuButtonParts {
  /** Around the button and the menu: focus leaving it closes the menu. */
  wrap: string;
  toggle: string;
  items: string;
}

/**
 * The WAI-ARIA menu button pattern for a button and its popup menu: Enter, Space or ↓ open it on
 * its first item (↑ on its last); the arrow keys, Home and End move; Escape closes it and gives
 * focus back to the button; Tab, or focus leaving both, closes it. The host renders the button
 * and the menu, wires these handlers, and reads `open`.
 */
export class MenuButton implements ReactiveController {
  open = false;
  readonly #host: MenuButtonHost;
  readonly #parts: MenuButtonParts;

  constructor(host: MenuButtonHost, parts: MenuButtonParts) {
    this.#host = host;
    this.#parts = parts;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.open = false;
  }

  /** The view with the button went away (left, ended): the menu is closed for the next time. */
  hostUpdated(): void {
    if (this.open && !this.#q(this.#parts.wrap)) this.open = false;
  }

  async show(focus: 'first' | 'last' = 'first'): Promise<void> {
    this.open = true;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    const items = this.#items();
    (focus === 'first' ? items[0] : items[items.length - 1])?.focus();
  }

  close(refocus: boolean): void {
    if (!this.open) return;
    this.open = false;
    this.#host.requestUpdate();
    if (refocus) this.#q(this.#parts.toggle)?.focus();
  }

  onToggleClick = (): void => {
    if (this.open) this.close(true);
    else void this.show();
  };

  onToggleKey = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      void this.show(e.key === 'ArrowUp' ? 'last' : 'first');
    } else if (e.key === 'Escape' && this.open) {
      e.stopPropagation();
      this.close(true);
    }
  };

  onMenuKey = (e: KeyboardEvent): void => {
    const items = this.#items();
    const i = items.indexOf(e.composedPath()[0] as HTMLElement);
    const go = (n: number) => {
      e.preventDefault();
      items[(n + items.length) % items.length]?.focus();
    };
    // Right to left (Arabic), the next item of a row is on the left.
    const rtl = e.currentTarget instanceof Element && getComputedStyle(e.currentTarget).direction === 'rtl';
    const next = rtl ? 'ArrowLeft' : 'ArrowRight';
    const previous = rtl ? 'ArrowRight' : 'ArrowLeft';
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.close(true);
    } else if (e.key === next || e.key === 'ArrowDown') go(i + 1);
    else if (e.key === previous || e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(items.length - 1);
    else if (e.key === 'Tab') this.close(false);
  };

  onFocusOut = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    const wrap = this.#q(this.#parts.wrap);
    if (this.open && to && wrap && !wrap.contains(to)) this.close(false);
  };

  #q(sel: string): HTMLElement | null {
    return this.#host.renderRoot.querySelector<HTMLElement>(sel);
  }

  #items(): HTMLElement[] {
    return [...this.#host.renderRoot.querySelectorAll<HTMLElement>(this.#parts.items)];
  }
}
