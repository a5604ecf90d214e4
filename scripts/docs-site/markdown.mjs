// Markdown for the documentation site: marked (GitHub-flavoured) parses; our renderer adds what
// the site needs. Links go through `link(href, { image })`, which rewrites them or returns null
// (text only); headings get GitHub's anchors, the first h1 is the page's title and the h2s its
// table of contents; tables and code blocks can be scrolled from the keyboard. Our docs are
// trusted input: a block of raw HTML passes through. Inline tags are shown as text, since the
// JSDoc that element pages come from names elements in prose (`Place it in <rtc-room>`).
import { Marked } from 'marked';

export const escapeHtml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GitHub's heading anchors, from the heading's text: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** What inline tokens read as, without markup: for anchors, the page title and region names. */
const plainText = (tokens = []) => tokens.map((t) => (t.tokens ? plainText(t.tokens) : (t.text ?? ''))).join('');

/**
 * A marked instance for one page: ids and region names must be unique within it, and its title
 * and sections are collected as its headings render (in document order).
 */
function pageMarked(link) {
  const used = new Map();
  /** `base` the first time; after that, `more(base, n)` for the n-th repeat of `key`. */
  const unique = (base, more, key = base) => {
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    return n ? more(base, n) : base;
  };
  const page = { title: undefined, sections: [], heading: '' };
  const renderer = {
    heading({ tokens, depth }) {
      const html = this.parser.parseInline(tokens);
      const text = plainText(tokens);
      const id = unique(slugify(text) || 'section', (base, n) => `${base}-${n}`);
      if (depth === 1 && page.title === undefined) page.title = text;
      if (depth === 2) page.sections.push({ id, html });
      page.heading = text;
      return `<h${depth} id="${id}">${html}</h${depth}>\n`;
    },
    // Focusable, so that a line longer than the screen can be scrolled from the keyboard.
    code({ text, lang }) {
      const cls = lang ? ` class="language-${escapeHtml(lang.split(/\s/)[0])}"` : '';
      return `<pre tabindex="0"><code${cls}>${escapeHtml(text)}</code></pre>\n`;
    },
    link({ href, title, tokens, text, autolink }) {
      const inner = autolink ? escapeHtml(text) : this.parser.parseInline(tokens);
      const to = link(href, {});
      return to === null ? inner : `<a href="${escapeHtml(to)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${inner}</a>`;
    },
    image({ href, title, text }) {
      const to = link(href, { image: true });
      return to === null ? escapeHtml(text) : `<img src="${escapeHtml(to)}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ''}>`;
    },
    html({ text, block }) {
      return block ? text : escapeHtml(text);
    },
    table({ header, rows, align }) {
      const style = (k) => (align[k] ? ` style="text-align: ${align[k]}"` : '');
      const cell = (c, k, tag, attrs = '') => `<${tag}${attrs}${style(k)}>${this.parser.parseInline(c.tokens)}</${tag}>`;
      const cols = header.map((c) => plainText(c.tokens).trim());
      // An empty header cell (over a column of row names) is no header: a plain cell. A header
      // row of empty cells (a key/value table) is left out, as GitHub shows it empty.
      const thead = cols.some(Boolean)
        ? `<thead><tr>${header.map((c, k) => (cols[k] ? cell(c, k, 'th', ' scope="col"') : '<td></td>')).join('')}</tr></thead>\n`
        : '';
      const trs = rows.map((r) => `<tr>${r.map((c, k) => cell(c, k, 'td')).join('')}</tr>`).join('\n');
      // Focusable, so that a table wider than a phone can be scrolled from the keyboard; named
      // by its section and columns, and numbered when a section has more alike.
      const named = cols.filter(Boolean);
      const base = `Table${page.heading ? ` in “${page.heading}”` : ''}${named.length ? `: ${named.join(', ')}` : ''}`;
      const label = unique(base, (_, n) => `${base} (${n + 1})`, `table:${base}`);
      return `<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(label)}"><table>\n${thead}<tbody>\n${trs}\n</tbody>\n</table></div>\n`;
    },
  };
  return { marked: new Marked({ gfm: true, async: false, renderer }), page };
}

/**
 * Markdown to HTML. Returns the HTML, the first level-1 heading's text as `title`, and the
 * level-2 headings (`sections`: id and HTML) for a page's table of contents.
 * @param {string} source
 * @param {{ link?: (href: string, how: { image?: boolean }) => string | null }} [options]
 */
export function renderMarkdown(source, { link = (href) => href } = {}) {
  const { marked, page } = pageMarked(link);
  const html = marked.parse(source).trimEnd();
  return { html, title: page.title, sections: page.sections };
}

/** Inline Markdown only (a table cell, a one-line description). */
export function renderInline(source, { link = (href) => href } = {}) {
  return pageMarked(link).marked.parseInline(String(source ?? ''));
}
