/**
 * Elements that are not needed before the pre-join step, each loaded with `import()` (a chunk of
 * its own next to the bundle, found from the bundle's own URL) the first time something needs it:
 * the room for its call view (while the pre-join step is open) and its panels, define.ts when a
 * page uses the tag in its own layout.
 */
import { defineElement } from './define-element.js';

type Classes = Record<string, CustomElementConstructor>;

const chunks: Record<string, () => Promise<Classes>> = {
  tile: () => import('../components/rtc-video-tile/rtc-video-tile.js').then((m) => ({ 'rtc-video-tile': m.RtcVideoTile })),
  controls: () => import('../components/rtc-controls/rtc-controls.js').then((m) => ({ 'rtc-controls': m.RtcControls })),
  buttons: () =>
    import('../components/rtc-call-buttons/rtc-call-buttons.js').then((m) => ({
      'rtc-mic-button': m.RtcMicButton,
      'rtc-camera-button': m.RtcCameraButton,
      'rtc-screen-share-button': m.RtcScreenShareButton,
      'rtc-leave-button': m.RtcLeaveButton,
    })),
  chat: () => import('../components/rtc-chat/rtc-chat.js').then((m) => ({ 'rtc-chat': m.RtcChat })),
  people: () => import('../components/rtc-participant-list/rtc-participant-list.js').then((m) => ({ 'rtc-participant-list': m.RtcParticipantList })),
  precall: () => import('../components/rtc-precall-check/rtc-precall-check.js').then((m) => ({ 'rtc-precall-check': m.RtcPrecallCheck })),
  stats: () => import('../components/rtc-stats/rtc-stats.js').then((m) => ({ 'rtc-stats': m.RtcStats })),
  record: () => import('../components/rtc-record-button/rtc-record-button.js').then((m) => ({ 'rtc-record-button': m.RtcRecordButton })),
};

/** Tag → the chunk that defines it. */
export const LAZY_TAGS: Readonly<Record<string, keyof typeof chunks>> = {
  'rtc-video-tile': 'tile',
  'rtc-controls': 'controls',
  'rtc-mic-button': 'buttons',
  'rtc-camera-button': 'buttons',
  'rtc-screen-share-button': 'buttons',
  'rtc-leave-button': 'buttons',
  'rtc-chat': 'chat',
  'rtc-participant-list': 'people',
  'rtc-precall-check': 'precall',
  'rtc-stats': 'stats',
  'rtc-record-button': 'record',
};

const loading = new Map<string, Promise<void>>();

/**
 * Load and define `tags` (each chunk once, however often asked). A chunk that fails to load (the
 * network went away) may be asked for again later.
 */
export function loadElements(tags: Iterable<string>): Promise<void> {
  const wanted = new Set<string>();
  for (const tag of tags) {
    const chunk = LAZY_TAGS[tag];
    if (chunk) wanted.add(chunk);
  }
  return Promise.all(
    [...wanted].map((chunk) => {
      let pending = loading.get(chunk);
      if (!pending) {
        pending = chunks[chunk]!().then(
          (classes) => Object.entries(classes).forEach(([tag, ctor]) => defineElement(tag, ctor)),
          (err: unknown) => {
            loading.delete(chunk);
            throw err;
          },
        );
        loading.set(chunk, pending);
      }
      return pending;
    }),
  ).then(() => undefined);
}

/** What the room's own call view shows at once: loaded while the pre-join step is open, so Join does not wait for them. */
export const CALL_TAGS = ['rtc-video-tile', 'rtc-controls', 'rtc-mic-button'];

/** What the room's call view shows on demand (panels, menus): loaded once the call is up, or when first opened. */
export const CALL_LATER_TAGS = ['rtc-chat', 'rtc-participant-list', 'rtc-stats', 'rtc-record-button'];

/** Run `work` when the page is idle (soon in any case): what it loads must not compete with what the user waits for. */
export function whenIdle(work: () => void, timeoutMs = 2000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => work(), { timeout: timeoutMs });
  else setTimeout(work, 50);
}

/**
 * Define the lazy tags that appear in `root` and, from then on, under it (a page's own layout,
 * rendered now or later by a framework), until all are defined.
 */
export function autoload(root: Document | Element): () => void {
  const selector = Object.keys(LAZY_TAGS).join(',');
  const scan = (node: ParentNode) => {
    const found = new Set<string>();
    if (node instanceof Element && LAZY_TAGS[node.localName]) found.add(node.localName);
    node.querySelectorAll(selector).forEach((el) => found.add(el.localName));
    const missing = [...found].filter((tag) => !customElements.get(tag));
    if (missing.length) void loadElements(missing).catch((err: unknown) => console.error('rtc-widgets: could not load', missing.join(', '), err));
  };
  scan(root);
  const observer = new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === Node.ELEMENT_NODE) scan(n as Element);
    if (Object.keys(LAZY_TAGS).every((tag) => customElements.get(tag))) observer.disconnect();
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}

const RESERVED = Symbol.for('rtc-widgets/reserved-space');

/**
 * Until its chunk arrives, a lazy element in the page's own layout is an unknown, empty inline
 * element: a tile would take its 16:9 box only then, a chat the height the page gave it, and
 * whatever sits below them (the page's Join button) would jump under the user's pointer. Give
 * them those boxes now, with no specificity, so the page's own rules still win. Once per page,
 * however many copies of rtc-widgets are loaded.
 */
export function reserveSpace(doc: Document): void {
  const g = globalThis as { [RESERVED]?: true };
  if (g[RESERVED] || !('adoptedStyleSheets' in doc)) return;
  g[RESERVED] = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
    :where(rtc-video-tile, rtc-controls, rtc-chat, rtc-participant-list, rtc-stats, rtc-precall-check):not(:defined) { display: block; }
    :where(rtc-video-tile:not(:defined, [audio-only])) { aspect-ratio: var(--rtc-video-tile-aspect-ratio, 16 / 9); }
  `);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}
