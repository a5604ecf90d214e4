// Custom Elements Manifest (`cem analyze`, part of `npm run build`): custom-elements.json at the
// repo root, committed and referenced by package.json "customElements". Tags come from the
// class JSDoc (`@tag`), plus @fires / @slot / @csspart / @cssprop.
import { resolve } from 'node:path';
import ts from 'typescript';

/**
 * The elements on RtcSessionElement<S> inherit `session` typed `S | undefined`: give each the type
 * its class passes (RtcSession when it passes none), so tools and generated typings see the real one.
 */
function sessionType() {
  const passed = new Map(); // class name -> the session type it gives RtcSessionElement
  return {
    name: 'session-type',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const base = node.heritageClauses?.flatMap((h) => h.types).find((t) => t.expression.getText() === 'RtcSessionElement');
      if (base) passed.set(node.name.getText(), base.typeArguments?.[0]?.getText() ?? 'RtcSession');
    },
    packageLinkPhase({ customElementsManifest }) {
      const declarations = customElementsManifest.modules.flatMap((m) => m.declarations ?? []);
      const superOf = new Map(declarations.map((d) => [d.name, d.superclass?.name]));
      for (const d of declarations) {
        let name = d.name;
        while (name && !passed.has(name)) name = superOf.get(name);
        const member = d.members?.find((m) => m.name === 'session');
        if (name && member) member.type = { text: `${passed.get(name)} | undefined` };
      }
    },
  };
}

export default {
  // rtc-element.ts too: its `theme` attribute and its @cssprop tokens are inherited by every element;
  // session-element.ts: the `session` property of the elements that work on a call.
  globs: ['src/components/**/*.ts', 'src/internal/rtc-element.ts', 'src/internal/session-element.ts'],
  exclude: ['src/**/*.styles.ts', 'src/**/*.test.ts', 'src/**/*.d.ts'],
  outdir: '.',
  litelement: true,
  // cem would otherwise rewrite package.json "customElements" to the path it wrote to
  // (e.g. "custom-elements.json" without "./", or a /tmp outdir given on the command line).
  packagejson: false,
  plugins: [
    sessionType(),
    {
      // The analyzer lists modules in the order its glob returns them, which varies between
      // machines: sort them so a build does not rewrite the committed file for nothing.
      name: 'sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
    {
      // The class JSDoc opens with `@summary`, so the analyzer puts all of its text there and leaves
      // `description` empty, which is the field editors and catalogues show.
      name: 'summary-to-description',
      packageLinkPhase({ customElementsManifest }) {
        for (const decl of declarations(customElementsManifest)) {
          if (!decl.summary || decl.description?.trim()) continue;
          decl.description = decl.summary;
          decl.summary = decl.summary.split(/\n\s*\n/)[0];
        }
      },
    },
    {
      // `theme: ThemeName` tells a tool nothing; `'light' | 'dark' | 'auto'` lets it offer the values.
      name: 'expand-type-aliases',
      packageLinkPhase({ customElementsManifest }) {
        expandAliases(customElementsManifest);
      },
    },
    {
      // Last, once the steps above have read the sources: point every path at the shipped build
      // (dist/ mirrors src/ module by module), not at src/*.ts, which the package does not ship.
      name: 'paths-to-dist',
      packageLinkPhase({ customElementsManifest }) {
        toDist(customElementsManifest);
        customElementsManifest.modules.push(defineModule(customElementsManifest));
      },
    },
  ],
};

function* declarations(manifest) {
  for (const mod of manifest.modules) yield* mod.declarations ?? [];
}

/** `src/a/b.ts` or `/src/a/b.js` → `dist/a/b.js`. */
const distPath = (p) => p.replace(/^\/?src\//, 'dist/').replace(/\.ts$/, '.js');

function toDist(value) {
  if (Array.isArray(value)) return value.forEach(toDist);
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if ((key === 'path' || key === 'module') && typeof v === 'string') value[key] = distPath(v);
    else toDist(v);
  }
}

/**
 * `rtc-widgets/define.js` registers every tag (the lazy ones when they first appear): say so with
 * custom-element-definition exports, which tools read to know which import makes a tag work.
 */
function defineModule(manifest) {
  const exports = [];
  for (const mod of manifest.modules) {
    for (const decl of mod.declarations ?? []) {
      if (decl.tagName) exports.push({ kind: 'custom-element-definition', name: decl.tagName, declaration: { name: decl.name, module: mod.path } });
    }
  }
  exports.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { kind: 'javascript-module', path: 'dist/define.js', declarations: [], exports };
}

const PRIMITIVES = new Set(['string', 'number', 'boolean', 'undefined', 'null', 'bigint']);

/**
 * Replace alias names in field and attribute types by the literal values they stand for, read with
 * the project's own TypeScript from the declared type of each property (inherited ones included).
 * Aliases of anything but literals (`RtcSession`, `Partial<Strings>`) keep their name.
 */
function expandAliases(manifest) {
  const config = ts.getParsedCommandLineOfConfigFile(resolve('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const files = manifest.modules.map((m) => resolve(m.path));
  const program = ts.createProgram(files, { ...config.options, noEmit: true, types: [] });
  const checker = program.getTypeChecker();

  /** A type node as text, aliases of literal unions replaced by their members; undefined if not all literal. */
  const literalText = (node) => {
    if (ts.isParenthesizedTypeNode(node)) return literalText(node.type);
    if (ts.isLiteralTypeNode(node)) return node.literal.kind === ts.SyntaxKind.StringLiteral ? `'${node.literal.text}'` : node.getText();
    if (PRIMITIVES.has(node.getText())) return node.getText();
    if (ts.isUnionTypeNode(node)) {
      const parts = node.types.map(literalText);
      return parts.every((p) => p !== undefined) ? parts.join(' | ') : undefined;
    }
    if (ts.isArrayTypeNode(node)) {
      const inner = literalText(node.elementType);
      return inner === undefined ? undefined : `${inner.includes(' | ') ? `(${inner})` : inner}[]`;
    }
    if (ts.isTypeReferenceNode(node) && !node.typeArguments) {
      let symbol = checker.getSymbolAtLocation(node.typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.declarations?.find(ts.isTypeAliasDeclaration);
      return (decl && literalText(decl.type)) ?? fromType(node);
    }
    return ts.isIndexedAccessTypeNode(node) || ts.isTypeQueryNode(node) ? fromType(node) : undefined;
  };

  /** A computed alias (`(typeof LIST)[number]`): its literal members as the checker resolves them. */
  const fromType = (node) => {
    const type = checker.getTypeFromTypeNode(node);
    const members = type.isUnion() ? type.types : [type];
    if (!members.every((t) => t.isStringLiteral() || t.isNumberLiteral())) return undefined;
    return members.map((t) => (t.isStringLiteral() ? `'${t.value}'` : String(t.value))).join(' | ');
  };

  /** Expanded text for a union whose members may be aliases: each alias expanded, the rest kept. */
  const expand = (node) => {
    if (ts.isUnionTypeNode(node)) return node.types.map((t) => literalText(t) ?? t.getText()).join(' | ');
    return literalText(node) ?? node.getText();
  };

  const classes = new Map();
  for (const sf of program.getSourceFiles()) {
    ts.forEachChild(sf, (n) => {
      if (ts.isClassDeclaration(n) && n.name) classes.set(`${sf.fileName}#${n.name.text}`, n);
    });
  }

  for (const mod of manifest.modules) {
    for (const decl of mod.declarations ?? []) {
      const cls = decl.kind === 'class' && classes.get(`${resolve(mod.path)}#${decl.name}`);
      if (!cls) continue;
      const instance = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(cls.name));
      const typeOf = (name) => {
        const node = instance.getProperty(name)?.valueDeclaration;
        return node && (ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) && node.type ? node.type : undefined;
      };
      const rewrite = (item, name) => {
        const node = item.type?.text && typeOf(name);
        if (!node) return;
        // Only where an alias stood: types written out already keep their own spelling.
        const names = item.type.text.match(/[A-Za-z_$][\w$]*/g) ?? [];
        if (names.every((n) => PRIMITIVES.has(n))) return;
        let text = expand(node);
        // An optional property reads as `T | undefined` in the manifest: keep that.
        if (/\|\s*undefined$/.test(item.type.text) && !/\bundefined\b/.test(text)) text += ' | undefined';
        item.type.text = text;
      };
      for (const m of decl.members ?? []) if (m.kind === 'field' && !m.static && !m.name.startsWith('#')) rewrite(m, m.name);
      for (const a of decl.attributes ?? []) if (a.fieldName) rewrite(a, a.fieldName);
    }
  }
}
