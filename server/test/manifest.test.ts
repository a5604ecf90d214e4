/**
 * custom-elements.json as tools read it (editors, catalogues, the framework typings): paths into
 * the shipped build, descriptions, attribute types spelled out, and every theme token on the
 * elements that read it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Typed {
  name: string;
  type?: { text: string };
}
interface Declaration {
  name: string;
  tagName?: string;
  summary?: string;
  description?: string;
  attributes?: Typed[];
  members?: (Typed & { kind: string; privacy?: string; static?: boolean })[];
  cssProperties?: { name: string }[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

const manifest = JSON.parse(read('custom-elements.json')) as Manifest;
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);

/** Every `path` and `module` string anywhere in the manifest. */
function paths(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => paths(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'path' || k === 'module') && typeof v === 'string') out.push(v);
      else paths(v, out);
    }
  }
  return out;
}

/** Source files under src/, recursively. */
function sources(dir = 'src'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const tokensIn = (text: string) => new Set([...text.matchAll(/var\((--rtc-[a-z0-9-]+)/g)].map((m) => m[1]));
const onElement = (el: Declaration) => new Set((el.cssProperties ?? []).map((p) => p.name));

describe('custom-elements.json', () => {
  it('lists every element', () => {
    assert.ok(elements.length >= 14, `only ${elements.length} elements`);
  });

  it('points at shipped files (dist/), never at src/', () => {
    const all = [...new Set(paths(manifest))];
    assert.deepEqual(
      all.filter((p) => !p.startsWith('dist/') || p.endsWith('.ts')),
      [],
    );
    // The package ships dist/ (package.json "files"); after `npm run build` each module is there.
    const absent = all.filter((p) => !existsSync(join(ROOT, p)));
    assert.deepEqual(absent, [], 'missing from dist/ (run `npm run build` first)');
  });

  it('says which import defines each tag', () => {
    const define = manifest.modules.find((m) => m.path === 'dist/define.js') as { exports?: { kind: string; name: string }[] } | undefined;
    const defined = (define?.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => e.name);
    assert.deepEqual(defined.sort(), elements.map((e) => e.tagName!).sort());
  });

  it('gives every element a description and a summary', () => {
    for (const el of elements) {
      assert.ok(el.description?.trim(), `<${el.tagName}> has no description`);
      assert.ok(el.summary?.trim(), `<${el.tagName}> has no summary`);
      assert.ok(el.description!.startsWith(el.summary!), `<${el.tagName}>: the summary is not the description's opening`);
    }
  });

  it('spells out the values of aliased types in attributes and properties', () => {
    const aliases = [
      'ThemeName',
      'LayoutMode',
      'RoomMode',
      'DeviceKind',
      'QualityLevel',
      'RecordButtonState',
      'RTCIceTransportPolicy',
      'RTCPeerConnectionState',
      'SessionStatus',
    ];
    const bare = new RegExp(`\\b(${aliases.join('|')})\\b`);
    const found: string[] = [];
    for (const el of elements) {
      for (const a of el.attributes ?? []) if (bare.test(a.type?.text ?? '')) found.push(`<${el.tagName}> ${a.name}: ${a.type!.text}`);
      for (const m of el.members ?? []) {
        if (m.kind === 'field' && m.privacy !== 'private' && !m.static && bare.test(m.type?.text ?? '')) found.push(`${el.name}.${m.name}: ${m.type!.text}`);
      }
    }
    assert.deepEqual(found, []);
    const room = elements.find((e) => e.tagName === 'rtc-room')!;
    const theme = room.attributes!.find((a) => a.name === 'theme')!;
    assert.equal(theme.type!.text, "'light' | 'dark' | 'auto' | undefined");
  });

  it('lists every token docs/theming.md documents on at least one element', () => {
    const documented = new Set<string>();
    for (const line of read('docs/theming.md').split('\n')) {
      const tokens = [...line.matchAll(/`(--rtc-[a-z0-9-]+)`/g)].map((m) => m[1]);
      tokens.forEach((t) => documented.add(t));
      // "`--rtc-space-xs`, `-s`, `-m`, `-l`": the short forms share the first token's stem.
      if (tokens[0]) for (const m of line.matchAll(/`(-[a-z0-9]+)`/g)) documented.add(tokens[0].replace(/-[a-z0-9]+$/, m[1]));
    }
    assert.ok(documented.size >= 18, `only ${documented.size} tokens found in docs/theming.md`);
    const listed = new Set(elements.flatMap((el) => [...onElement(el)]));
    assert.deepEqual(
      [...documented].filter((t) => !listed.has(t)),
      [],
    );
  });

  it('lists the shared tokens on every element, and every token the code reads on some element', () => {
    // Every element's styles start with componentStyles (theme + shared tokens).
    const shared = new Set([
      ...tokensIn(read('src/styles/component.styles.ts')),
      ...[...read('src/styles/theme.styles.ts').matchAll(/token: '(--rtc-[a-z0-9-]+)'/g)].map((m) => m[1]),
    ]);
    assert.ok(shared.size >= 19, `only ${shared.size} shared tokens`);
    for (const el of elements) {
      const has = onElement(el);
      assert.deepEqual(
        [...shared].filter((t) => !has.has(t)),
        [],
        `<${el.tagName}> does not list every shared token`,
      );
    }
    // An element's own styles file: each token it reads is listed on that element.
    for (const el of elements) {
      const styles = `src/components/${el.tagName}/${el.tagName}.styles.ts`;
      if (!existsSync(join(ROOT, styles))) continue;
      const has = onElement(el);
      assert.deepEqual(
        [...tokensIn(read(styles))].filter((t) => !has.has(t)),
        [],
        `<${el.tagName}> reads tokens it does not list`,
      );
    }
    const read_ = new Set(sources().flatMap((f) => [...tokensIn(read(f))]));
    const listed = new Set(elements.flatMap((el) => [...onElement(el)]));
    assert.deepEqual(
      [...read_].filter((t) => !listed.has(t)),
      [],
      'tokens read in src/ but listed on no element',
    );
  });
});
