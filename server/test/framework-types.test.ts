/**
 * The typings the package ships for frameworks and for the plain DOM (dist/types, written by
 * `npm run build`; this test builds nothing) checked by the TypeScript compiler (`tsc -p`, run in
 * this process) over test/types:
 *  - test/types: every element in React 19 JSX, Vue's GlobalComponents and Svelte 5, with right
 *    props and wrong ones marked `@ts-expect-error` (a typing gone loose leaves one unused: an error);
 *  - test/types/dom: only `rtc-widgets/define.js` imported, every tag and every rtc-* event typed;
 *  - test/types/wrong: wrong props without the marker, so tsc must fail, on each marked line.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const T = { timeout: 120_000 };
const BUILT = ['dist/types/define.d.ts', ...['elements', 'react', 'vue', 'svelte'].map((f) => `dist/types/frameworks/${f}.d.ts`)];

interface Run {
  code: number;
  output: string;
}

// Parsed once for the three projects (lib.dom, React's, Vue's and the package's .d.ts): about 40 %
// less CPU than three `tsc` processes, the same compiler, options and diagnostics.
const parsed = new Map<string, ts.SourceFile | undefined>();

/** `tsc -p <project> --pretty false`, in this process: exit code 0 or 2, and the diagnostics. */
function tsc(project: string): Run {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, project, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const host = ts.createCompilerHost(config.options);
  const load = host.getSourceFile.bind(host);
  host.getSourceFile = (file, version, ...rest) => {
    const key = `${file}|${typeof version === 'object' ? `${version.languageVersion}:${version.impliedNodeFormat}` : version}`;
    if (!parsed.has(key)) parsed.set(key, load(file, version, ...rest));
    return parsed.get(key);
  };
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host, configFileParsingDiagnostics: config.errors });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const output = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' });
  return { code: diagnostics.length ? 2 : 0, output };
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Element {
  tagName?: string;
  events?: { name?: string }[];
}
const manifest = JSON.parse(read('custom-elements.json')) as { modules: { declarations?: Element[] }[] };
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d): d is Required<Element> => !!d.tagName);
const events = [...new Set(elements.flatMap((el) => (el.events ?? []).map((e) => e.name!).filter(Boolean)))];

describe('framework and DOM typings', () => {
  const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)));
  const runs = missing.length ? undefined : { frameworks: () => tsc('test/types'), dom: () => tsc('test/types/dom'), wrong: () => tsc('test/types/wrong') };

  it('the build wrote the typings', () => {
    assert.deepEqual(missing, [], `missing ${missing.join(', ')}: run \`npm run build\` first`);
  });

  it('React, Vue and Svelte take every element with right props, and refuse each wrong one', T, () => {
    assert.ok(runs, 'not built');
    const r = runs.frameworks();
    assert.equal(r.code, 0, `tsc -p test/types failed:\n${r.output}`);
  });

  it('rtc-widgets/define.js alone types every tag and every rtc-* event', T, () => {
    assert.ok(runs, 'not built');
    const r = runs.dom();
    assert.equal(r.code, 0, `tsc -p test/types/dom failed:\n${r.output}`);
  });

  it('a wrong prop without @ts-expect-error fails tsc, on every wrong line and nowhere else', T, () => {
    assert.ok(runs, 'not built');
    const r = runs.wrong();
    assert.notEqual(r.code, 0, 'tsc accepted wrong props');
    const source = read('test/types/wrong/react-wrong.tsx').split('\n');
    const wrongLines = source.flatMap((line, i) => (/\bwrong\b/.test(line) && !line.trimStart().startsWith('//') ? [i + 1] : []));
    assert.ok(wrongLines.length >= 5, 'the wrong file lost its wrong lines');
    const errorLines = [...r.output.matchAll(/react-wrong\.tsx\((\d+),\d+\): error/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      [...new Set(errorLines)].sort((a, b) => a - b),
      wrongLines,
      r.output,
    );
  });

  it('the type tests cover every element and event in custom-elements.json', () => {
    const react = read('test/types/react.tsx');
    const vue = read('test/types/vue.ts');
    const dom = read('test/types/dom/dom.ts');
    assert.ok(elements.length >= 14, `only ${elements.length} elements in the manifest`);
    for (const { tagName, events: fired } of elements) {
      assert.match(react, new RegExp(`<${tagName}[\\s/>]`), `react.tsx does not use <${tagName}>`);
      assert.ok(vue.includes(`'${tagName}'`), `vue.ts does not check ${tagName}`);
      assert.ok(dom.includes(`'${tagName}'`), `dom.ts does not check ${tagName}`);
      for (const e of fired ?? []) if (e.name) assert.ok(react.includes(`on${e.name}=`), `react.tsx does not listen for ${e.name} on <${tagName}>`);
    }
    for (const name of events) assert.ok(dom.includes(`'${name}'`), `dom.ts does not listen for ${name}`);
  });
});
