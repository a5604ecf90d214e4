// A small Markdown renderer for the documentation site: the subset our own docs use (headings,
// paragraphs, fenced code, lists with nesting, tables, block quotes, rules, code spans, emphasis,
// links, images). Our docs are trusted input: a block of raw HTML passes through; everything else
// is escaped. Links go through `link(href)`, which rewrites them or returns null (text only).

export const escapeHtml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text) {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/&[a-z]+;|&#\d+;/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(\s+|$)/;
const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
// Only block-level tags start a raw HTML block; `<rtc-room>` at the start of a line is prose.
const HTML_BLOCK = /^\s{0,3}<(\/?(p|div|details|summary|table|img|picture|figure|br|hr|section|aside)\b|!--)/i;

const indentOf = (line) => line.match(/^\s*/)[0].length;
const blank = (line) => line.trim() === '';

/** Cells of one table row; `\|` is a literal bar. */
function cells(row) {
  const parts = row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/);
  return parts.map((c) => c.trim().replace(/\\\|/g, '|'));
}

function inline(text, ctx) {
  const held = [];
  // Pieces already rendered wait behind private-use markers, which no Markdown rule matches.
  const hold = (html) => `\uE000${held.push(html) - 1}\uE001`;
  let s = text;
  // Code spans first: nothing inside them is Markdown.
  s = s.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, __, code) => hold(`<code>${escapeHtml(code.replace(/^ (.*) $/s, '$1'))}</code>`));
  s = s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, (_, ch) => hold(escapeHtml(ch)));
  s = s.replace(/<(https?:\/\/[^\s>]+)>/g, (_, url) => hold(`<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`));
  s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"([^"]*)")?\)/g, (_, alt, src, title) => {
    const to = ctx.link(src, { image: true });
    return to ? hold(`<img src="${escapeHtml(to)}" alt="${escapeHtml(alt)}"${title ? ` title="${escapeHtml(title)}"` : ''}>`) : hold(escapeHtml(alt));
  });
  s = s.replace(/\[((?:[^\][]|\[[^\]]*\])+)\]\(([^)\s]+)\)/g, (_, label, href) => {
    const to = ctx.link(href, {});
    const inner = inlineRest(label);
    return hold(to ? `<a href="${escapeHtml(to)}">${inner}</a>` : inner);
  });
  s = inlineRest(s);
  // Restore held pieces (they may nest: a code span inside a link).
  for (let i = 0; i < 3 && s.includes('\uE000'); i++) s = s.replace(/\uE000(\d+)\uE001/g, (_, n) => held[Number(n)]);
  return s;
}

/** Escaping and emphasis of text whose code spans and links are already held. */
function inlineRest(s) {
  return escapeHtml(s)
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\w*])/g, '$1<em>$2</em>')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1<em>$2</em>')
    .replace(/ {2,}\n/g, '<br>\n');
}

/** Does `line` start a block that ends a paragraph? */
function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || QUOTE.test(line) || RULE.test(line) || HTML_BLOCK.test(line) || /^\s*([-*+]|1[.)])\s+\S/.test(line);
}

function parseList(lines, i, ctx) {
  const first = lines[i].match(ITEM);
  const ordered = /\d/.test(first[2]);
  const start = ordered ? parseInt(first[2], 10) : 1;
  const items = [];
  let loose = false;
  while (i < lines.length) {
    const m = lines[i].match(ITEM);
    if (!m || /\d/.test(m[2]) !== ordered) break;
    const width = m[0].length === m[1].length + m[2].length ? m[1].length + m[2].length + 1 : m[0].length;
    const body = [lines[i].slice(m[0].length)];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      if (blank(line)) {
        let j = i;
        while (j < lines.length && blank(lines[j])) j++;
        if (j < lines.length && indentOf(lines[j]) >= width) {
          body.push(...lines.slice(i, j).map(() => ''));
          i = j;
          loose = true;
          continue;
        }
        const next = j < lines.length ? lines[j].match(ITEM) : null;
        if (next && next[1].length < width && /\d/.test(next[2]) === ordered) {
          loose = true;
          i = j;
        }
        break;
      }
      if (indentOf(line) >= width) {
        body.push(line.slice(width));
        i++;
        continue;
      }
      if (ITEM.test(line) || startsBlock(line)) break;
      body.push(line.trim()); // lazy continuation of the item's paragraph
      i++;
    }
    items.push(body);
    if (i < lines.length && blank(lines[i])) break;
  }
  const tag = ordered ? 'ol' : 'ul';
  const html = items.map((body) => `<li>${blocks(body, ctx, !loose).trim()}</li>`).join('\n');
  return { html: `<${tag}${ordered && start !== 1 ? ` start="${start}"` : ''}>\n${html}\n</${tag}>`, next: i };
}

function blocks(lines, ctx, tight = false) {
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (blank(line)) {
      i++;
      continue;
    }
    let m;
    if ((m = line.match(FENCE))) {
      const [, indent, fence, lang] = m;
      const body = [];
      i++;
      while (i < lines.length && !(lines[i].trim().startsWith(fence) && lines[i].trim().replace(/[`~]/g, '') === '')) {
        body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i].trimStart());
        i++;
      }
      i++;
      const cls = lang ? ` class="language-${escapeHtml(lang)}"` : '';
      out.push(`<pre tabindex="0"><code${cls}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    if ((m = line.match(HEADING))) {
      const level = m[1].length;
      const html = inline(m[2], ctx);
      const id = ctx.anchor(html);
      if (level === 1 && ctx.title === undefined) ctx.title = html.replace(/<[^>]*>/g, '');
      if (level === 2) ctx.sections.push({ id, html });
      ctx.heading = html.replace(/<[^>]*>/g, '');
      out.push(`<h${level} id="${id}">${html}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body = [];
      while (i < lines.length && !blank(lines[i])) body.push(lines[i++].replace(QUOTE, ''));
      out.push(`<blockquote>\n${blocks(body, ctx)}\n</blockquote>`);
      continue;
    }
    if (HTML_BLOCK.test(line)) {
      while (i < lines.length && !blank(lines[i])) out.push(lines[i++]);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      const head = cells(line);
      const align = cells(lines[i + 1]).map((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : ''));
      const attr = (k) => (align[k] ? ` style="text-align: ${align[k]}"` : '');
      i += 2;
      const rows = [];
      while (i < lines.length && !blank(lines[i]) && lines[i].includes('|')) rows.push(cells(lines[i++]));
      // An empty header cell (over a column of row names) is no header: a plain cell.
      const th = head.map((c, k) => (c ? `<th scope="col"${attr(k)}>${inline(c, ctx)}</th>` : '<td></td>')).join('');
      const trs = rows.map((r) => `<tr>${head.map((_, k) => `<td${attr(k)}>${inline(r[k] ?? '', ctx)}</td>`).join('')}</tr>`).join('\n');
      // A header row of empty cells (a key/value table) is left out, as GitHub shows it empty.
      const thead = head.some((c) => c) ? `<thead><tr>${th}</tr></thead>\n` : '';
      // Focusable, so that a table wider than a phone can be scrolled from the keyboard; named
      // by its section and columns, and numbered when a section has more alike.
      out.push(`<div class="table-wrap" tabindex="0" role="region" aria-label="${ctx.label(head)}"><table>\n${thead}<tbody>\n${trs}\n</tbody>\n</table></div>`);
      continue;
    }
    if (ITEM.test(line) && !(m = line.match(ITEM))[0].endsWith(m[2])) {
      const list = parseList(lines, i, ctx);
      out.push(list.html);
      i = list.next;
      continue;
    }
    const para = [line.trim()];
    i++;
    while (i < lines.length && !blank(lines[i]) && !startsBlock(lines[i]) && !(lines[i].includes('|') && TABLE_SEP.test(lines[i + 1] ?? '')))
      para.push(lines[i++].trim());
    const html = inline(para.join('\n'), ctx);
    out.push(tight ? html : `<p>${html}</p>`);
  }
  return out.join('\n');
}

/**
 * Markdown to HTML. Returns the HTML, the first level-1 heading as `title`, and the level-2
 * headings (`sections`: id and HTML) for a page's table of contents.
 * @param {string} source
 * @param {{ link?: (href: string, how: { image?: boolean }) => string | null }} [options]
 */
export function renderMarkdown(source, { link = (href) => href } = {}) {
  const used = new Map();
  const ctx = {
    link,
    title: undefined,
    sections: [],
    heading: '',
    /** A region name unique on the page for a table with these header cells. */
    label(head) {
      const cols = head.filter(Boolean).map((c) => c.replace(/[`*\\]/g, ''));
      const base = `Table${ctx.heading ? ` in “${ctx.heading}”` : ''}${cols.length ? `: ${cols.join(', ')}` : ''}`;
      const n = used.get(`table:${base}`) ?? 0;
      used.set(`table:${base}`, n + 1);
      return escapeHtml(n ? `${base} (${n + 1})` : base);
    },
    anchor(html) {
      const base = slugify(html) || 'section';
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      return n ? `${base}-${n}` : base;
    },
  };
  const lines = source.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const html = blocks(lines, ctx);
  return { html, title: ctx.title, sections: ctx.sections };
}

/** Inline Markdown only (a table cell, a one-line description). */
export function renderInline(source, { link = (href) => href } = {}) {
  return inline(String(source ?? ''), { link });
}
