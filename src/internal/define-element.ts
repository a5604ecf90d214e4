import { VERSION } from './version.js';

/**
 * Register `tag` unless it already is. Drop-in widgets get loaded twice (a CDN script beside an
 * npm copy, or one script tag twice): a bare customElements.define would throw the second time.
 * The first registration wins; a different version of it gets a console warning, since the two
 * copies may disagree about attributes or events.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor & { version?: string }): void {
  if (typeof customElements === 'undefined') return;
  const existing = customElements.get(tag) as (CustomElementConstructor & { version?: string }) | undefined;
  if (existing) {
    const theirs = existing.version;
    const ours = ctor.version ?? VERSION;
    if (existing !== ctor && theirs !== ours)
      console.warn(
        `rtc-widgets: <${tag}> is already defined by ${theirs ? `version ${theirs}` : 'another library'}; this copy (version ${ours}) is not used for it.`,
      );
    return;
  }
  customElements.define(tag, ctor);
}
