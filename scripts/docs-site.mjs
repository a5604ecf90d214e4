// The documentation site (dist/site/, served at /docs/ by the server), generated at the end of
// `npm run build` from custom-elements.json (one page per element, with a live example from
// scripts/docs-site/examples.mjs) and the Markdown guides in docs/. Plain static HTML with
// relative links, one stylesheet, no client script of its own.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml, renderInline, renderMarkdown } from './docs-site/markdown.mjs';
import { EXAMPLES } from './docs-site/examples.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'site');
const read = (p) => readFileSync(join(root, p), 'utf8');

/** The guides, in reading order: file in docs/, name in the site, and a line for the index. */
export const GUIDES = [
  ['getting-started.md', 'Getting started', 'Run the server, put a call in a page, listen to its events.'],
  ['custom-layout.md', 'Build your own layout', 'Compose tiles, controls and chat inside `<rtc-room>`; or drive the core yourself.'],
  ['theming.md', 'Theming', 'Themes, design tokens, parts and forced-colors mode.'],
  ['deploying.md', 'Deploying the server', 'TLS, a TURN relay (coturn), several processes on redis, a reverse proxy.'],
  ['securing.md', 'Securing calls', 'Room keys, join tokens, allowed origins and abuse limits, step by step.'],
  ['security.md', 'Security model', 'What the server, TURN, redis and other peers can and cannot see or do.'],
  ['architecture.md', 'Architecture', 'For contributors: the layers, and how a chat message and a remote track travel.'],
  ['protocol.md', 'Signaling protocol', 'The wire contract between clients and the server, to write a client in another language.'],
];
const guideByFile = new Map(GUIDES.map(([file, title]) => [file, { file, title, page: file.replace(/\.md$/, '.html') }]));

// ---------------------------------------------------------------------------------------------
// What the manifest does not hold: the fields of each event class, and the values of type aliases.

function sourceFiles(dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}
const sources = sourceFiles('src').map((file) => readFileSync(file, 'utf8'));

/** Event class name → its readonly fields `{ name, type, description }` (from the constructor's parameters). */
const eventFields = new Map();
for (const text of sources) {
  for (const m of text.matchAll(/export class (\w+) extends Event \{([\s\S]*?)\n\}/g)) {
    const fields = [...m[2].matchAll(/\/\*\*\s*([\s\S]*?)\s*\*\/\s*readonly (\w+)(\??):\s*([^,\n]+?),?\s*\n/g)].map((f) => ({
      name: f[2],
      type: f[4].trim() + (f[3] ? ' | undefined' : ''),
      description: f[1].replace(/\s*\n\s*\*\s*/g, ' '),
    }));
    eventFields.set(m[1], fields);
  }
}

/** Type alias → its string literal values, for `LayoutMode` and the like. */
const aliases = new Map();
for (const text of sources)
  for (const m of text.matchAll(/export type (\w+)\s*=\s*((?:\s*\|?\s*'[^'\n]*')+)\s*;/g))
    aliases.set(m[1], m[2].replace(/\s+/g, ' ').replace(/^\| /, '').trim());

function typeHtml(text) {
  if (!text) return '';
  const own = escapeHtml(text);
  const values = text
    .split('|')
    .map((t) => aliases.get(t.trim()))
    .filter(Boolean);
  return `<code>${own}</code>${values.length ? `<br><span class="muted">${values.map((v) => `<code>${escapeHtml(v)}</code>`).join(' ')}</span>` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// The manifest's elements.

const manifest = JSON.parse(read('custom-elements.json'));
const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
const elements = declarations.filter((d) => d.tagName).sort((a, b) => a.tagName.localeCompare(b.tagName));
// The tokens every element inherits from its base class: shown apart from the element's own.
const baseTokens = new Set((declarations.find((d) => d.name === 'RtcElement')?.cssProperties ?? []).map((p) => p.name));
const missing = elements.filter((e) => !EXAMPLES[e.tagName]).map((e) => e.tagName);
if (missing.length) throw new Error(`docs-site: no live example for ${missing.join(', ')} (scripts/docs-site/examples.mjs)`);

/** The element's text: summary and description, whichever the manifest fills. */
const elementText = (el) => [el.summary, el.description].filter((t, i, all) => t && all.indexOf(t) === i).join('\n\n');
/** The first sentence of an element's text, for the index. */
const firstSentence = (text) =>
  (
    text
      .split(/\n\s*\n/)[0]
      .replace(/\s+/g, ' ')
      .match(/^.*?[.!?](\s|$)/)?.[0] ?? text
  ).trim();
const isPublic = (m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.static && !m.name.startsWith('_') && !m.name.startsWith('[');

// ---------------------------------------------------------------------------------------------
// Links: Markdown links to other guides become their pages; to elements.md, element pages; to
// anything else in the repository (source files), plain text: the site has no copy of them.

const images = new Map();

function linkFrom(pageDir, docDir = 'docs') {
  return (href, { image } = {}) => {
    if (/^(https?:|mailto:|#)/.test(href)) return href;
    const [path, hash = ''] = href.split('#');
    const target = posix.normalize(posix.join(docDir, path));
    const frag = hash ? `#${hash}` : '';
    if (image) {
      if (!existsSync(join(root, target))) return null;
      const name = `images/${basename(target)}`;
      images.set(name, target);
      return posix.relative(pageDir, name) || name;
    }
    if (target === 'docs/elements.md') {
      const tag = elements.find((e) => e.tagName === hash)?.tagName;
      return posix.relative(pageDir, tag ? `elements/${tag}.html` : 'index.html') + (tag ? '' : '#elements');
    }
    const guide = target.startsWith('docs/') && guideByFile.get(target.slice('docs/'.length));
    if (guide) return posix.relative(pageDir, `guides/${guide.page}`) + frag;
    if (target === 'README.md') return posix.relative(pageDir, 'index.html');
    return null;
  };
}

// ---------------------------------------------------------------------------------------------
// Page frame.

function page({ title, path, body }) {
  const dir = posix.dirname(path);
  const rel = (to) => posix.relative(dir, to) || basename(to);
  const current = (to) => (to === path ? ' aria-current="page"' : '');
  const navList = (items) => `<ul>\n${items.map(([to, label]) => `<li><a href="${rel(to)}"${current(to)}>${label}</a></li>`).join('\n')}\n</ul>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · rtc-widgets</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${rel('style.css')}">
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site-header">
<a class="brand" href="${rel('index.html')}">rtc-widgets</a>
<a href="#site-nav">Contents</a>
<a href="/">Demo</a>
</header>
<div class="layout">
<main id="content">
${body}
</main>
<nav class="site-nav" id="site-nav" aria-label="Documentation">
<h2 id="nav-start">Start</h2>
${navList([['index.html', 'Overview']])}
<h2 id="nav-guides">Guides</h2>
${navList(GUIDES.map(([file, label]) => [`guides/${guideByFile.get(file).page}`, escapeHtml(label)]))}
<h2 id="nav-elements">Elements</h2>
${navList(elements.map((e) => [`elements/${e.tagName}.html`, `<code>&lt;${e.tagName}&gt;</code>`]))}
</nav>
</div>
</body>
</html>
`;
}

function table(caption, head, rows) {
  if (!rows.length) return '';
  // Focusable, so that a table wider than a phone can be scrolled from the keyboard.
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="${caption.replace(/<[^>]*>/g, '').replace(/"/g, '&quot;')}"><table>
<caption class="sr-only">${caption}</caption>
<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table></div>`;
}

// ---------------------------------------------------------------------------------------------
// Element pages.

function elementPage(el) {
  const path = `elements/${el.tagName}.html`;
  const link = linkFrom('elements');
  const md = (text) => renderMarkdown(text ?? '', { link }).html;
  const inl = (text) => renderInline(String(text ?? '').replace(/\s*\n\s*/g, ' '), { link });
  const example = EXAMPLES[el.tagName];
  const sections = [];

  const members = (el.members ?? []).filter(isPublic);
  const fields = members.filter((m) => m.kind === 'field' && m.name !== 'shadowRootOptions');
  const attrOf = (m) => m.attribute ?? (el.attributes ?? []).find((a) => a.fieldName === m.name)?.name;
  sections.push([
    'properties',
    'Attributes and properties',
    table(
      `Attributes and properties of <code>&lt;${el.tagName}&gt;</code>`,
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      fields.map((m) => [
        attrOf(m)
          ? `<code>${escapeHtml(attrOf(m))}</code>${m.reflects ? '<br><span class="muted">reflected</span>' : ''}`
          : '<span class="muted">(property only)</span>',
        `<code>${escapeHtml(m.name)}</code>`,
        typeHtml(m.type?.text),
        m.default ? `<code>${escapeHtml(m.default)}</code>` : '',
        inl(m.description),
      ]),
    ),
  ]);
  const methods = members.filter((m) => m.kind === 'method');
  sections.push([
    'methods',
    'Methods',
    table(
      'Methods',
      ['Method', 'Returns', 'Description'],
      methods.map((m) => [
        `<code>${escapeHtml(m.name)}(${(m.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}${p.type?.text ? `: ${p.type.text}` : ''}`).join(', ')})</code>`.replace(
          /<code>(.*)<\/code>/,
          (_, s) => `<code>${escapeHtml(s)}</code>`,
        ),
        typeHtml(m.return?.type?.text),
        inl(m.description),
      ]),
    ),
  ]);
  const events = (el.events ?? []).filter((e) => e.name);
  sections.push([
    'events',
    'Events',
    events.length
      ? `<p>Every event bubbles and crosses shadow roots (<code>composed</code>): listen on the element or any ancestor. The fields are on the event itself (<code>e.status</code>, not <code>e.detail</code>).</p>\n` +
        table(
          'Events',
          ['Event', 'Class', 'Fields', 'Description'],
          events.map((e) => {
            const cls = e.type?.text;
            const evFields = eventFields.get(cls) ?? [];
            return [
              `<code>${escapeHtml(e.name)}</code>`,
              cls ? `<code>${escapeHtml(cls)}</code>` : '',
              evFields.length
                ? evFields
                    .map((f) => `<code>${escapeHtml(f.name)}</code>: ${typeHtml(f.type)}<br><span class="muted">${inl(f.description)}</span>`)
                    .join('<br>')
                : '<span class="muted">none</span>',
              inl(e.description),
            ];
          }),
        )
      : '',
  ]);
  sections.push([
    'slots',
    'Slots',
    table(
      'Slots',
      ['Slot', 'Description'],
      (el.slots ?? []).map((s) => [s.name ? `<code>${escapeHtml(s.name)}</code>` : '(default)', inl(s.description)]),
    ),
  ]);
  sections.push([
    'parts',
    'CSS parts',
    ((el.cssParts ?? []).length ? `<p>Style them from the page with <code>${el.tagName}::part(name)</code>.</p>\n` : '') +
      table(
        'CSS parts',
        ['Part', 'Description'],
        (el.cssParts ?? []).map((p) => [`<code>${escapeHtml(p.name)}</code>`, inl(p.description)]),
      ),
  ]);
  // One row per token: the element's own description wins over the one it inherits.
  const tokens = new Map();
  for (const p of el.cssProperties ?? []) if (!tokens.has(p.name) || !p.inheritedFrom) tokens.set(p.name, p);
  const own = [...tokens.values()].filter((p) => !baseTokens.has(p.name));
  const shared = [...tokens.values()].filter((p) => baseTokens.has(p.name));
  sections.push([
    'custom-properties',
    'CSS custom properties',
    (own.length
      ? table(
          'This element’s own tokens',
          ['Custom property', 'Description'],
          own.map((p) => [`<code>${escapeHtml(p.name)}</code>`, inl(p.description)]),
        )
      : '') +
      (shared.length
        ? `<p>It also reads the shared theme tokens (values per theme in <a href="../guides/theming.html">Theming</a>):</p>\n` +
          table(
            'Theme tokens',
            ['Custom property', 'Description'],
            shared.map((p) => [`<code>${escapeHtml(p.name)}</code>`, inl(p.description)]),
          )
        : ''),
  ]);

  // The first paragraph leads; the rest of the text follows the example, which readers come for.
  const [lead, ...more] = elementText(el).split(/\n\s*\n/);
  if (more.length) sections.unshift(['about', 'About', md(more.join('\n\n'))]);
  const present = sections.filter(([, , html]) => html);
  const body = `<h1><code>&lt;${el.tagName}&gt;</code></h1>
<div class="lead">${md(lead)}</div>
<nav class="toc" aria-label="On this page"><p>On this page: <a href="#example">Live example</a>${present.map(([id, title]) => ` · <a href="#${id}">${title}</a>`).join('')}</p></nav>
<h2 id="example">Live example</h2>
${md(example.note)}
<div class="example" id="live-example">
${example.html}
</div>
<details>
<summary>The example's code</summary>
<pre tabindex="0"><code class="language-html">${escapeHtml(example.html)}</code></pre>
</details>
${present.map(([id, title, html]) => `<h2 id="${id}">${title}</h2>\n${html}`).join('\n')}
`;
  return { path, html: page({ title: `<${el.tagName}>`, path, body }) };
}

// ---------------------------------------------------------------------------------------------
// Guides and the index.

function guidePage([file, label]) {
  const { page: name } = guideByFile.get(file);
  const path = `guides/${name}`;
  const { html, title, sections } = renderMarkdown(read(`docs/${file}`), { link: linkFrom('guides') });
  const toc =
    sections.length >= 4
      ? `<nav class="toc" aria-label="On this page"><details><summary>On this page</summary><ul>${sections.map((s) => `<li><a href="#${s.id}">${s.html}</a></li>`).join('')}</ul></details></nav>\n`
      : '';
  // The table of contents goes after the first heading.
  const body = toc ? html.replace(/(<\/h1>)/, `$1\n${toc}`) : html;
  return { path, html: page({ title: title ?? label, path, body }) };
}

function indexPage() {
  const path = 'index.html';
  const link = linkFrom('.');
  const body = `<h1>rtc-widgets documentation</h1>
<p class="lead">Drop-in WebRTC call widgets (video, chat, peer-to-peer files) as web components, and the small signaling server they talk to. Load one script, write <code>&lt;rtc-room&gt;</code>, and people who open the same room are in a call.</p>
<pre tabindex="0"><code class="language-html">${escapeHtml('<script type="module" src="https://call.example.com/rtc-widgets.js"></script>\n<rtc-room room="standup" server="https://call.example.com"></rtc-room>')}</code></pre>
<p>Every element page has a live example that runs against this server: start with <a href="elements/rtc-room.html"><code>&lt;rtc-room&gt;</code></a>, or try the <a href="/">demo</a>.</p>
<h2 id="guides">Guides</h2>
<ul>
${GUIDES.map(([file, label, line]) => `<li><a href="guides/${guideByFile.get(file).page}">${escapeHtml(label)}</a>: ${renderInline(line, { link })}</li>`).join('\n')}
</ul>
<h2 id="elements">Elements</h2>
${table(
  'Every element (from custom-elements.json)',
  ['Element', 'What it is'],
  elements.map((e) => [`<a href="elements/${e.tagName}.html"><code>&lt;${e.tagName}&gt;</code></a>`, renderInline(firstSentence(elementText(e)), { link })]),
)}
`;
  return { path, html: page({ title: 'Documentation', path, body }) };
}

// ---------------------------------------------------------------------------------------------

rmSync(out, { recursive: true, force: true });
const pages = [indexPage(), ...GUIDES.map(guidePage), ...elements.map(elementPage)];
for (const { path, html } of pages) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), html);
}
copyFileSync(join(root, 'scripts', 'docs-site', 'style.css'), join(out, 'style.css'));
for (const [name, from] of images) {
  mkdirSync(dirname(join(out, name)), { recursive: true });
  copyFileSync(join(root, from), join(out, name));
}
console.log(`docs-site: ${pages.length} pages in ${posix.relative(root.replace(/\\/g, '/'), out.replace(/\\/g, '/')) || out}`);
