// Custom Elements Manifest (`cem analyze`, part of `npm run build`): custom-elements.json at the
// repo root, committed and referenced by package.json "customElements". Tags come from the
// class JSDoc (`@tag`), plus @fires / @slot / @csspart / @cssprop.
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
  ],
};
