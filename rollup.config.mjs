// Three builds (harness.md §10, esbuild route; types come from `tsc -p tsconfig.build.json`):
//  (a) dist/            ESM library, one file per source module, every dependency external
//  (b) dist/cdn/        rtc-widgets.js: src/cdn.ts minified, for <script type="module">; what the pre-join step
//                       needs is in it, the rest in rtc-widgets-chunks/ next to it (imported relative to it)
//  (c) server/dist/     the signaling server package (rtc-widgets-server): index.js (createSignalServer),
//                       cli.js (`npm start` / its bin), and a copy of demo/ that the bin serves at /
import { chmod } from 'node:fs/promises';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const serverPkg = JSON.parse(readFileSync(new URL('./server/package.json', import.meta.url), 'utf8'));

const entries = {
  // protocol: the server package imports it as rtc-widgets/protocol
  lib: { index: 'src/index.ts', define: 'src/define.ts', 'core/index': 'src/core/index.ts', 'core/signaling/protocol': 'src/core/signaling/protocol.ts' },
  cdn: 'src/cdn.ts',
  server: { index: 'server/src/index.ts', cli: 'server/src/cli.ts', 'signal-server': 'server/src/signal-server.ts' },
};
const missing = [...Object.values(entries.lib), entries.cdn, ...Object.values(entries.server)].filter((f) => !existsSync(f));
if (missing.length) throw new Error(`rollup: missing entry files: ${[...new Set(missing)].join(', ')}`);

/** TypeScript through esbuild (decorator settings come from tsconfig.json). */
const ts = (options = {}) => {
  const plugin = esbuild({ tsconfig: './tsconfig.json', target: 'es2022', sourceMap: true, ...options });
  // rollup-plugin-esbuild resolves every relative import itself, which runs before node-resolve
  // (order: 'post') and so skips packages' `browser` remaps: engine.io-client's node transports
  // ended up in the CDN bundle. Only let it resolve imports made from our own sources.
  const resolveId = plugin.resolveId;
  plugin.resolveId = function (id, importer, opts) {
    return importer && !importer.includes('/node_modules/') ? resolveId.call(this, id, importer, opts) : null;
  };
  return plugin;
};

const isBare = (id) => !id.startsWith('.') && !id.startsWith('\0') && !isAbsolute(id);
// The library's runtime dependencies stay imports (lit, @lit/context, socket.io-client, nanostores,
// valibot, ... and their subpaths): the app's bundler dedupes them, and one lit per page keeps
// context keys and element registries shared.
const libExternals = [...Object.keys(pkg.dependencies ?? {}), 'lit-html', 'lit-element', '@lit/reactive-element'];
const isLibExternal = (id) => libExternals.some((d) => id === d || id.startsWith(`${d}/`));

/** Unresolved or undeclared imports are errors, not warnings: they would break at runtime. */
const strict = (warning, warn) => {
  if (warning.code === 'UNRESOLVED_IMPORT' || warning.code === 'MISSING_EXPORT') throw new Error(warning.message);
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('/node_modules/'))) return;
  warn(warning);
};

/** The cli gets its `#!` from the banner; drop one in the source so it is not there twice. */
const stripHashbang = () => ({
  name: 'strip-hashbang',
  transform(code) {
    // keep the line break, so line numbers (and source maps) stay as they were
    return code.startsWith('#!') ? { code: code.replace(/^#![^\n]*/, ''), map: null } : null;
  },
});

/** The demo page ships in the server package, so its bin serves what it announces. */
const copyDir = (from, to) => ({
  name: 'copy-dir',
  writeBundle() {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true });
  },
});

const executable = (file) => ({
  name: 'chmod-executable',
  async writeBundle(options) {
    const path = `${options.dir}/${file}`;
    if (existsSync(path)) await chmod(path, 0o755);
  },
});

export default [
  // (a) ESM library
  {
    input: entries.lib,
    external: (id) => {
      if (!isBare(id)) return false;
      if (isLibExternal(id)) return true;
      throw new Error(`rollup: "${id}" is imported by the library but is not in package.json dependencies`);
    },
    plugins: [ts()],
    onwarn: strict,
    output: {
      dir: 'dist',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'src',
      entryFileNames: '[name].js',
      sourcemap: true,
    },
  },
  // (b) CDN bundle: one script tag; the chunks it imports on first use sit next to it
  {
    input: entries.cdn,
    // Lazy chunks import lit & co. from the entry itself (extra exports on it), instead of the
    // entry becoming a facade over a shared chunk: one file before the pre-join step.
    preserveEntrySignatures: 'allow-extension',
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
      ts(),
      terser({ module: true, ecma: 2020 }), // keeps /*! and @license comments of bundled packages
    ],
    onwarn: strict,
    output: {
      dir: 'dist/cdn',
      format: 'es',
      sourcemap: true,
      entryFileNames: 'rtc-widgets.js',
      // A content hash in each name: a CDN may cache them for good, and a page never mixes builds.
      chunkFileNames: 'rtc-widgets-chunks/[name]-[hash].js',
    },
  },
  // (c) server: Node ESM, every package (a dependency in server/package.json, rtc-widgets/protocol
  // included) and node builtin stays an import; its sources never reach outside server/
  {
    input: entries.server,
    external: (id, importer) => {
      if (!isBare(id)) {
        const file = importer && !isAbsolute(id) ? resolve(dirname(importer), id) : id;
        if (!file.startsWith('\0') && !file.startsWith(resolve('server/src'))) {
          throw new Error(`rollup: the server imports "${id}" from outside server/src (import it from a package instead)`);
        }
        return false;
      }
      if (id.startsWith('node:') || builtinModules.includes(id)) return true;
      if (Object.keys(serverPkg.dependencies ?? {}).some((d) => id === d || id.startsWith(`${d}/`))) return true;
      throw new Error(`rollup: "${id}" is imported by the server but is not in server/package.json dependencies`);
    },
    plugins: [stripHashbang(), ts({ platform: 'node', target: 'node20' }), executable('cli.js'), copyDir('demo', 'server/dist/demo')],
    onwarn: strict,
    output: {
      dir: 'server/dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      hoistTransitiveImports: false,
      sourcemap: true,
      banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
    },
  },
];
