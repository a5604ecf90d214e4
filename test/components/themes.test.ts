/**
 * Themes and tokens (docs/theming.md): `theme="dark" | "light" | "auto"` on an element gives the
 * documented values inside its shadow root (and inside everything it contains), `auto` follows
 * `prefers-color-scheme`, and a token the page sets reaches the inside of every element.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../helpers/define-all.js';
import { LAZY_TAGS } from '../../src/internal/lazy-elements.js';
import { waitFor } from './helpers.js';

const TAGS = ['rtc-room', 'rtc-prejoin', 'rtc-device-picker', ...Object.keys(LAZY_TAGS)];
const isChromium = !navigator.userAgent.includes('Firefox');

/** The token table of docs/theming.md: token → { dark, light }. */
async function documented(): Promise<Map<string, { dark: string; light: string }>> {
  const text = await (await fetch('/docs/theming.md')).text();
  const section = text.split('## Colour tokens')[1]!.split('\n## ')[0]!;
  const rows = new Map<string, { dark: string; light: string }>();
  for (const m of section.matchAll(/^\| `(--rtc-[a-z-]+)` \| `(#[0-9a-f]{6})` \| `(#[0-9a-f]{6})` \|/gm)) rows.set(m[1]!, { dark: m[2]!, light: m[3]! });
  return rows;
}

/** `#rrggbb` as getComputedStyle gives a colour. */
function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** The private variable an element reads `token` into (docs/theming.md: `--rtc-color-accent` → `--_accent`). */
const privateOf = (token: string) => `--_${token.replace(/^--rtc-(color-)?/, '')}`;

/**
 * What `token` computes to inside `el`'s shadow root: a probe there painted with the element's
 * private variable (the way the element's own rules read it).
 */
function inside(el: Element, token: string, win: Window = window): string {
  const root = el.shadowRoot!;
  const probe = (win.document ?? document).createElement('span');
  probe.style.color = `var(${privateOf(token)})`;
  root.append(probe);
  const value = win.getComputedStyle(probe).color;
  probe.remove();
  return value;
}

async function make(tag: string, attrs = ''): Promise<HTMLElement> {
  const wrap = await fixture<HTMLElement>(`<div><${tag} ${attrs}></${tag}></div>`);
  const el = wrap.firstElementChild as HTMLElement & { updateComplete?: Promise<unknown> };
  await el.updateComplete;
  return el;
}

describe('themes and tokens', function () {
  this.timeout(60000);
  let table: Map<string, { dark: string; light: string }>;
  before(async () => {
    table = await documented();
    expect(table.size, 'tokens documented').to.be.greaterThan(10);
  });
  afterEach(async () => {
    document.documentElement.style.removeProperty('--rtc-color-accent');
    // No emulation left behind: it would also decide prefers-color-scheme inside iframes.
    if (isChromium) await emulateMedia({});
  });

  it('documents every colour token the elements read, and nothing else', async () => {
    const { THEME_TOKENS } = await import('../../src/styles/theme.styles.js');
    expect([...table.keys()].sort()).to.deep.equal(THEME_TOKENS.map((t) => t.token).sort());
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`theme="${theme}": every element computes the documented values inside its shadow root`, async () => {
      for (const tag of TAGS) {
        const el = await make(tag, `theme=${theme}`);
        for (const [token, values] of table) expect(inside(el, token), `${tag} ${token}`).to.equal(rgb(values[theme]));
        expect(getComputedStyle(el).colorScheme, `${tag} color-scheme`).to.equal(theme);
        // A real rule of the element: the host's text colour.
        expect(getComputedStyle(el).color, `${tag} text`).to.equal(rgb(table.get('--rtc-color-text')![theme]));
      }
    });
  }

  it('no theme: dark, the look the elements had before themes', async () => {
    for (const tag of TAGS) {
      const el = await make(tag);
      for (const [token, values] of table) expect(inside(el, token), `${tag} ${token}`).to.equal(rgb(values.dark));
    }
  });

  it('the theme reaches everything inside a themed room, and a nested theme wins inside its element', async () => {
    const wrap = await fixture<HTMLElement>(html`<div>
      <rtc-room theme="light"><rtc-video-tile local></rtc-video-tile><rtc-chat theme="dark"></rtc-chat><rtc-controls></rtc-controls></rtc-room>
    </div>`);
    const room = wrap.querySelector('rtc-room')!;
    await room.updateComplete;
    const surface = table.get('--rtc-color-surface')!;
    expect(inside(wrap.querySelector('rtc-video-tile')!, '--rtc-color-surface'), 'tile, composed inside').to.equal(rgb(surface.light));
    expect(inside(wrap.querySelector('rtc-controls')!, '--rtc-color-surface'), 'controls, composed inside').to.equal(rgb(surface.light));
    expect(inside(wrap.querySelector('rtc-chat')!, '--rtc-color-surface'), 'chat with its own theme').to.equal(rgb(surface.dark));
    // Switching the room's theme switches its children too.
    room.theme = 'dark';
    await room.updateComplete;
    expect(room.getAttribute('theme'), 'reflected').to.equal('dark');
    expect(inside(wrap.querySelector('rtc-video-tile')!, '--rtc-color-surface')).to.equal(rgb(surface.dark));
  });

  it('theme="auto" follows the embedder\'s colour scheme (an iframe\'s prefers-color-scheme, both browsers)', async () => {
    const accent = table.get('--rtc-color-accent')!;
    for (const scheme of ['dark', 'light'] as const) {
      const frame = document.createElement('iframe');
      frame.style.colorScheme = scheme; // what prefers-color-scheme says inside the frame
      frame.srcdoc = `<script type="module">import '/src/define.ts';</script><rtc-room theme="auto"></rtc-room><rtc-room theme="dark"></rtc-room>`;
      document.body.append(frame);
      try {
        const win = frame.contentWindow!;
        const [auto, dark] = await waitFor(() => {
          const rooms = [...(frame.contentDocument?.querySelectorAll('rtc-room') ?? [])];
          return rooms.length === 2 && rooms.every((r) => r.shadowRoot?.querySelector('.base')) ? rooms : null;
        }, 'the rooms in the frame rendered');
        expect(win.matchMedia('(prefers-color-scheme: dark)').matches, 'the frame prefers').to.equal(scheme === 'dark');
        expect(inside(auto!, '--rtc-color-accent', win), `auto, ${scheme}`).to.equal(rgb(accent[scheme]));
        expect(win.getComputedStyle(auto!.shadowRoot!.querySelector('.base')!).backgroundColor, 'the room frame').to.equal(
          rgb(table.get('--rtc-color-surface')![scheme]),
        );
        expect(inside(dark!, '--rtc-color-accent', win), `dark stays dark (${scheme})`).to.equal(rgb(accent.dark));
      } finally {
        frame.remove();
      }
    }
  });

  // Chromium only: emulateMedia needs CDP (Firefox runs the iframe test above).
  if (isChromium)
    it('theme="auto" follows an emulated prefers-color-scheme while the page is open', async function () {
      const el = await make('rtc-room', 'theme=auto');
      const surface = table.get('--rtc-color-surface')!;
      const base = el.shadowRoot!.querySelector('.base')!;
      await emulateMedia({ colorScheme: 'dark' });
      await waitFor(() => getComputedStyle(base).backgroundColor === rgb(surface.dark), 'dark');
      expect(inside(el, '--rtc-color-text')).to.equal(rgb(table.get('--rtc-color-text')!.dark));
      await emulateMedia({ colorScheme: 'light' });
      await waitFor(() => getComputedStyle(base).backgroundColor === rgb(surface.light), 'light');
      expect(inside(el, '--rtc-color-text')).to.equal(rgb(table.get('--rtc-color-text')!.light));
    });

  it('a token set on the page reaches the inside of every element, over every theme', async () => {
    document.documentElement.style.setProperty('--rtc-color-accent', '#7c3aed');
    for (const theme of ['', 'theme=dark', 'theme=light', 'theme=auto']) {
      for (const tag of TAGS) {
        const el = await make(tag, theme);
        expect(inside(el, '--rtc-color-accent'), `${tag} ${theme}`).to.equal('rgb(124, 58, 237)');
      }
    }
    // And a real part painted with it: the pre-join step's Join button.
    const prejoin = await make('rtc-prejoin', 'theme=light');
    const join = await waitFor(() => prejoin.shadowRoot!.querySelector('.button.primary'), 'the Join button');
    expect(getComputedStyle(join).backgroundColor).to.equal('rgb(124, 58, 237)');
  });
});
