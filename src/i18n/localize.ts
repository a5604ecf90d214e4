/**
 * Which strings an element shows, and in which direction: its language is the `lang` of its
 * closest ancestor that has one (crossing shadow roots, so an element inside `<rtc-room>`'s
 * default UI follows the room, and one a page composes follows the page), else English. A page
 * overrides strings for every room with `registerStrings(lang, { … })`, or for one room with its
 * `strings` property. English is in the first script; other languages load on first use.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RtcError } from '../core/errors.js';
import { enFirst, type FirstStrings, type Strings } from './strings.js';

/** Languages shipped with rtc-widgets, each loaded the first time an element asks for it. */
const loaders: Record<string, () => Promise<Strings>> = {
  de: () => import('./locales/de.js').then((m) => m.de),
  es: () => import('./locales/es.js').then((m) => m.es),
  ar: () => import('./locales/ar.js').then((m) => m.ar),
};
/** Scripts written right to left (base language subtags). */
const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb', 'sd', 'ug']);

/** Shipped languages that have arrived (English is each element's own: see Localize). */
const loaded = new Map<string, Strings>();
const loading = new Map<string, Promise<void>>();
/** The page's own strings, per language (registerStrings). */
const registered = new Map<string, Partial<Strings>>();

/** Something that overrides strings for what is inside it (`<rtc-room>`'s `strings`). */
export interface StringsOverride {
  readonly [STRINGS_OVERRIDE]: Partial<Strings> | undefined;
}
export const STRINGS_OVERRIDE = Symbol.for('rtc-widgets/strings');

/**
 * Add or replace strings of `lang` for every rtc-widgets element on the page: a partial table
 * overrides those keys (e.g. `registerStrings('en', { leave: 'Hang up' })`); a language we do not
 * ship falls back to English for the keys it lacks.
 */
export function registerStrings(lang: string, strings: Partial<Strings>): void {
  const key = lang.toLowerCase();
  registered.set(key, { ...registered.get(key), ...strings });
  refreshAll();
}

/** The language tags that have strings (shipped or registered), lower-case. */
export function availableLanguages(): string[] {
  return [...new Set([...loaded.keys(), ...Object.keys(loaders), ...registered.keys()])];
}

/** `de-AT` → the first of `de-at`, `de` with strings (shipped or registered); else `en`. */
function pick(lang: string): string {
  const tag = lang.toLowerCase();
  const base = tag.split('-')[0]!;
  for (const candidate of [tag, base]) if (candidate === 'en' || loaded.has(candidate) || candidate in loaders || registered.has(candidate)) return candidate;
  return 'en';
}

/** Go up from `el` through its ancestors and shadow hosts; for each element call `visit` until it returns true. */
function walkUp(el: Element, visit: (e: Element) => boolean): void {
  for (let n: Node | null = el; n;) {
    if (n.nodeType === Node.ELEMENT_NODE && visit(n as Element)) return;
    n = n.parentNode ?? (n as ShadowRoot).host ?? null;
  }
}

/** What an element resolves to: its language tag, the direction, and overrides in between. */
function resolve(el: Element): { lang: string; dir: 'ltr' | 'rtl' | undefined; override: Partial<Strings> | undefined } {
  let lang: string | undefined;
  let dir: 'ltr' | 'rtl' | undefined;
  let override: Partial<Strings> | undefined;
  let overrideSeen = false;
  walkUp(el, (e) => {
    if (lang === undefined) {
      const value = e.getAttribute('lang');
      if (value) lang = value;
    }
    if (dir === undefined) {
      const value = e.getAttribute('dir')?.toLowerCase();
      if (value === 'ltr' || value === 'rtl') dir = value;
    }
    if (!overrideSeen && STRINGS_OVERRIDE in e) {
      overrideSeen = true;
      override = (e as unknown as StringsOverride)[STRINGS_OVERRIDE];
    }
    return lang !== undefined && dir !== undefined && overrideSeen;
  });
  return { lang: lang ?? 'en', dir, override };
}

/** Every connected Localize, to be told when a language arrives or an attribute changes. */
const live = new Set<Localize>();
/** One observer for the page and each shadow root an element sits in: `lang`/`dir` changes anywhere above it. */
let observer: MutationObserver | undefined;
const observed = new WeakSet<Node>();

function observeRootsOf(el: Element): void {
  observer ??= new MutationObserver(() => refreshAll());
  for (let root: Node = el.getRootNode(); ;) {
    if (!observed.has(root)) {
      observed.add(root);
      observer.observe(root, { attributes: true, subtree: true, attributeFilter: ['lang', 'dir'] });
    }
    const host = (root as ShadowRoot).host;
    if (!host) break;
    root = host.getRootNode();
  }
}

/** Look again at every element's language (an attribute, a registration, or a room's `strings` changed). */
export function refreshAll(): void {
  for (const l of live) l.refresh();
}

function load(lang: string): void {
  if (loaded.has(lang) || loading.has(lang) || !(lang in loaders)) return;
  loading.set(
    lang,
    loaders[lang]!().then(
      (strings) => {
        loaded.set(lang, strings);
        loading.delete(lang);
        refreshAll();
      },
      (err: unknown) => {
        loading.delete(lang); // asked again on the next refresh
        console.error(`rtc-widgets: could not load the strings of "${lang}"`, err);
      },
    ),
  );
}

/** Resolves once every language asked for so far has arrived (tests, screenshots). */
export async function languagesReady(): Promise<void> {
  while (loading.size) await Promise.allSettled([...loading.values()]);
}

/** Errors whose message is already in the user's language (made by our elements). */
const localized = new WeakSet<Error>();
/** Mark `error` as written in the language shown (its message is used as it is). */
export function localizedError<E extends Error>(error: E): E {
  localized.add(error);
  return error;
}

/**
 * A controller that gives its host the strings (`t`) and formats of its language, and updates
 * the host when the language changes: `lang` on an ancestor, the page, a registration, or a
 * language's strings arriving.
 *
 * `english`: the English words the host uses. The first script's elements use the pre-join
 * words (the default, `t` typed `FirstStrings`); the call's elements pass the whole table (en.ts),
 * which keeps the call's English words in the call's chunks.
 */
export class Localize<S extends FirstStrings = FirstStrings> implements ReactiveController {
  readonly #host: ReactiveControllerHost & Element;
  readonly #english: S;
  #lang = 'en';
  #tag = 'en';
  #dir: 'ltr' | 'rtl' = 'ltr';
  #strings: S;
  #formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>();

  constructor(host: ReactiveControllerHost & Element, english: S = enFirst as S) {
    this.#host = host;
    this.#english = english;
    this.#strings = english;
    host.addController(this);
  }

  hostConnected(): void {
    live.add(this);
    observeRootsOf(this.#host);
    this.refresh(false);
  }

  hostDisconnected(): void {
    live.delete(this);
  }

  /** The strings of the element's language (with the page's and the room's overrides). */
  get t(): S {
    return this.#strings;
  }

  /** The language tag in use (`de`, `ar`, or `en` when the page's language has no strings). */
  get lang(): string {
    return this.#lang;
  }

  /** `rtl` or `ltr`: the closest `dir` attribute, else the language's own direction. */
  get dir(): 'ltr' | 'rtl' {
    return this.#dir;
  }

  /** Work out the language again; update the host if anything changed. */
  refresh(update = true): void {
    const { lang: tag, dir, override } = resolve(this.#host);
    const lang = pick(tag);
    load(lang);
    // Until a language arrives, English (a label is never empty).
    const base = ((lang !== 'en' && loaded.get(lang)) || this.#english) as S;
    const page = registered.get(lang);
    const strings = page || override ? ({ ...base, ...page, ...override } as S) : base;
    const nextDir = dir ?? (RTL.has(tag.toLowerCase().split('-')[0]!) ? 'rtl' : 'ltr');
    // Intl gets the full tag (de-AT formats as Austrians write), once the language's strings are there.
    const intlTag = lang === 'en' || loaded.has(lang) || registered.has(lang) ? tag : 'en';
    if (lang === this.#lang && nextDir === this.#dir && intlTag === this.#tag && (strings === this.#strings || this.#sameAs(strings))) return;
    if (intlTag !== this.#tag) this.#formats.clear();
    this.#strings = strings;
    this.#lang = lang;
    this.#tag = intlTag;
    this.#dir = nextDir;
    if (update) this.#host.requestUpdate();
  }

  /** A merged table equal to the current one (same entries): nothing to update. */
  #sameAs(strings: S): boolean {
    const now = this.#strings as unknown as Record<string, unknown>;
    return Object.entries(strings).every(([k, v]) => now[k] === v);
  }

  #format<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>(key: string, make: (tag: string) => T): T {
    let f = this.#formats.get(key) as T | undefined;
    if (!f) {
      try {
        f = make(this.#tag);
      } catch {
        f = make('en'); // a tag Intl does not take
      }
      this.#formats.set(key, f);
    }
    return f;
  }

  /** A number as the language writes it ("1.234,5" in German). */
  number(n: number, options?: Intl.NumberFormatOptions): string {
    return this.#format(`n${JSON.stringify(options ?? {})}`, (tag) => new Intl.NumberFormat(tag, options)).format(n);
  }

  /** A size in bytes, in the largest unit that keeps it at least 1 ("4.2 MB"; decimal units, as file managers show). */
  bytes(n: number): string {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
    let i = 0;
    while (n >= 1000 && i < units.length - 1) {
      n /= 1000;
      i++;
    }
    const digits = i && n < 10 ? 1 : 0;
    return this.number(n, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: digits, minimumFractionDigits: digits });
  }

  /** A duration in seconds, short ("45 s", "3 min", "1 h 5 min"). */
  duration(seconds: number): string {
    const s = Math.ceil(seconds);
    const unit = (value: number, unit: 'second' | 'minute' | 'hour') => this.number(value, { style: 'unit', unit, unitDisplay: 'short' });
    if (s < 60) return unit(s, 'second');
    if (s < 3600) return unit(Math.round(s / 60), 'minute');
    return `${unit(Math.floor(s / 3600), 'hour')} ${unit(Math.round((s % 3600) / 60), 'minute')}`;
  }

  /** A clock time of the day ("14:05", "2:05 PM"). */
  time(ms: number, options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' }): string {
    return this.#format(`t${JSON.stringify(options)}`, (tag) => new Intl.DateTimeFormat(tag, options)).format(ms);
  }

  /** Which plural form the language uses for `n` ('one', 'few', 'many', …). */
  plural(n: number): Intl.LDMLPluralRule {
    return this.#format('p', (tag) => new Intl.PluralRules(tag)).select(n);
  }

  /** What to show the user about `error`: in English the core's own words, else the language's by its code. */
  error(error: RtcError): string {
    return localized.has(error) ? error.message : this.#strings.error(error);
  }
}
