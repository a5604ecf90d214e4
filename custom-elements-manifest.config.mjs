// Custom Elements Manifest (`cem analyze`, part of `npm run build`): custom-elements.json at the
// repo root, committed and referenced by package.json "customElements". Tags come from the
// class JSDoc (`@tag`), plus @fires / @slot / @csspart / @cssprop.
export default {
  // rtc-element.ts too: its `theme` attribute and its @cssprop tokens are inherited by every element.
  globs: ['src/components/**/*.ts', 'src/internal/rtc-element.ts'],
  exclude: ['src/**/*.styles.ts', 'src/**/*.test.ts', 'src/**/*.d.ts'],
  outdir: '.',
  litelement: true,
  // cem would otherwise rewrite package.json "customElements" to the path it wrote to
  // (e.g. "custom-elements.json" without "./", or a /tmp outdir given on the command line).
  packagejson: false,
  plugins: [
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
