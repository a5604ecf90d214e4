/**
 * Bundle size: the CDN bundle as shipped (rollup + terser, `npm run build`), and, built the same
 * way as each other with esbuild so they compare, our entry against its third-party floor
 * (lit + @lit/context + socket.io-client alone), with bytes per package. See bench/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import type { Benchmark } from './lib/types.js';
import { round } from './lib/stats.js';

/** What the pre-join step may cost (issue 12): less than a bare peer-to-peer library. */
const TARGET_GZIP_KIB = 30;

const kib = (bytes: number) => round(bytes / 1024, 2);

function sizes(code: Uint8Array) {
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
  }).length;
  return {
    bytes: code.length,
    KiB: kib(code.length),
    gzipBytes: gzip,
    gzipKiB: kib(gzip),
    brotliBytes: brotli,
    brotliKiB: kib(brotli),
  };
}

/** The options of dist/cdn (rollup.config.mjs): browser + production conditions, ES module, minified. */
function esbuildOptions(repo: string): BuildOptions {
  return {
    absWorkingDir: repo,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['production'],
    target: 'es2022',
    tsconfig: join(repo, 'tsconfig.json'),
    legalComments: 'eof',
    metafile: true,
    write: false,
    outfile: 'bench-out.js',
    logLevel: 'silent',
  };
}

async function esbuildBundle(repo: string, extra: BuildOptions) {
  const result = await build({ ...esbuildOptions(repo), ...extra });
  const file = result.outputFiles!.find((f) => f.path.endsWith('.js'))!;
  return { code: file.contents, metafile: result.metafile! };
}

/** node_modules/<pkg> (the innermost, for nested copies), else the first two levels under src/. */
function owner(input: string): { pkg: string; dir?: string } {
  const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) return { pkg: m[1]! };
  const parts = input.split('/');
  return { pkg: 'rtc-widgets (src/)', dir: parts[0] === 'src' ? parts.slice(0, Math.min(3, parts.length - 1)).join('/') : input };
}

function breakdown(metafile: Metafile) {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined || Object.keys(o.inputs).length)!;
  const byPackage: Record<string, number> = {};
  const bySourceDir: Record<string, number> = {};
  let sum = 0;
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const { pkg, dir } = owner(path);
    byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
    if (dir) bySourceDir[dir] = (bySourceDir[dir] ?? 0) + bytesInOutput;
    sum += bytesInOutput;
  }
  const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort((a, b) => b[1] - a[1]));
  return {
    outputBytes: output.bytes,
    /** Bytes attributed to inputs; the rest is esbuild's glue (module wrappers, legal comments, …). */
    attributedBytes: sum,
    byPackage: sorted(byPackage),
    bySourceDir: sorted(bySourceDir),
  };
}

/** The outputs a page loads first from a split build: `entry`'s file and what it imports statically (not the import()ed chunks). */
function firstLoad(metafile: Metafile, entry: string): string[] {
  const outs = metafile.outputs;
  const closure = new Set<string>();
  const visit = (file: string) => {
    if (closure.has(file)) return;
    closure.add(file);
    for (const i of outs[file]!.imports) if (i.kind === 'import-statement' && outs[i.path]) visit(i.path);
  };
  const start = Object.entries(outs).find(([, o]) => o.entryPoint === entry);
  if (!start) throw new Error(`no output for ${entry}`);
  visit(start[0]);
  return [...closure];
}

/** One output made of several (their inputs and bytes summed), for breakdown(). */
function merged(metafile: Metafile, files: string[]): Metafile {
  const inputs: Metafile['outputs'][string]['inputs'] = {};
  let bytes = 0;
  for (const f of files) {
    const o = metafile.outputs[f]!;
    bytes += o.bytes;
    for (const [k, v] of Object.entries(o.inputs)) inputs[k] = { bytesInOutput: (inputs[k]?.bytesInOutput ?? 0) + v.bytesInOutput };
  }
  return { inputs: metafile.inputs, outputs: { merged: { bytes, inputs, imports: [], exports: [], entryPoint: 'merged' } } };
}

export const bundleSize: Benchmark = {
  name: 'bundle-size',
  description: 'dist/cdn/rtc-widgets.js (the first file a page loads) and its lazy chunks: min, gzip -9, brotli, and what is in them',
  timeoutMs: 120_000,
  async run(ctx) {
    const initial = sizes(readFileSync(ctx.bundleFile));
    const chunkDir = join(dirname(ctx.bundleFile), 'rtc-widgets-chunks');
    const chunks = readdirSync(chunkDir)
      .filter((f) => f.endsWith('.js'))
      .map((file) => ({ file, ...sizes(readFileSync(join(chunkDir, file))) }))
      .sort((a, b) => b.gzipBytes - a.gzipBytes);
    const total = (key: 'bytes' | 'gzipBytes' | 'brotliBytes') => initial[key] + chunks.reduce((sum, c) => sum + c[key], 0);

    // Same tool and settings for both, so they compare with each other (not byte-for-byte with terser's output).
    const ours = await esbuildBundle(ctx.repo, { entryPoints: ['src/cdn.ts'] });
    const deps = await esbuildBundle(ctx.repo, {
      stdin: {
        contents: "export * from 'lit';\nexport * from '@lit/context';\nexport * from 'socket.io-client';\n",
        resolveDir: ctx.repo,
        sourcefile: 'deps-entry.js',
        loader: 'js',
      },
    });
    const oursSizes = sizes(ours.code);
    const depsSizes = sizes(deps.code);
    // The first file's contents, split the way rollup splits (close enough to say what is in it).
    const split = await build({ ...esbuildOptions(ctx.repo), entryPoints: ['src/cdn.ts'], splitting: true, outfile: undefined, outdir: 'bench-split' });
    // An app that imports only rtc-room from the npm build (dist/, bare imports) and bundles it itself.
    const npm = await build({
      ...esbuildOptions(ctx.repo),
      stdin: {
        contents: "import { RtcRoom } from './dist/components/rtc-room/rtc-room.js';\ncustomElements.define('my-room', RtcRoom);\n",
        resolveDir: ctx.repo,
        sourcefile: 'app.js',
        loader: 'js',
      },
      splitting: true,
      outfile: undefined,
      outdir: 'bench-npm',
    });
    const closure = firstLoad(npm.metafile!, 'app.js');
    const npmFiles = npm.outputFiles!.filter((f) => closure.some((c) => f.path.endsWith(`/${c}`)));
    const npmCode = Buffer.concat(npmFiles.map((f) => Buffer.from(f.contents)));
    const npmInputs = closure.flatMap((c) => Object.keys(npm.metafile!.outputs[c]!.inputs));
    const npmAll = Object.values(npm.metafile!.outputs).flatMap((o) => Object.keys(o.inputs));

    return {
      shipped: {
        file: 'dist/cdn/rtc-widgets.js',
        note:
          'rollup + terser (npm run build): already minified, so raw = min. gzip level 9 and brotli quality 11 (node:zlib). ' +
          'Includes the sourceMappingURL comment. `initial` is the one file a page loads (enough for the pre-join step); ' +
          '`chunks` are loaded on first use from rtc-widgets-chunks/ next to it.',
        raw: { bytes: initial.bytes, KiB: initial.KiB },
        min: { bytes: initial.bytes, KiB: initial.KiB },
        gzip: { bytes: initial.gzipBytes, KiB: initial.gzipKiB },
        brotli: { bytes: initial.brotliBytes, KiB: initial.brotliKiB },
        targetGzipKiB: TARGET_GZIP_KIB,
        withinTarget: initial.gzipKiB <= TARGET_GZIP_KIB,
        reference: { 'simple-peer': { gzipKiB: 27.7, note: 'simple-peer alone, min+gzip, as quoted in issue 12 (no UI, no signaling); not measured here' } },
        chunks: chunks.map((c) => ({ file: c.file, KiB: c.KiB, gzipKiB: c.gzipKiB })),
        everything: { files: chunks.length + 1, KiB: kib(total('bytes')), gzipKiB: kib(total('gzipBytes')), brotliKiB: kib(total('brotliBytes')) },
      },
      esbuild: {
        note:
          'esbuild bundle + minify (browser + production conditions, es2022, ESM), for comparing entries with each other. ' +
          'ours = src/cdn.ts with its chunks inlined (everything); depsOnly = `export * from` lit, @lit/context and socket.io-client (all of their exports, none tree-shaken away).',
        ours: { entry: 'src/cdn.ts (everything)', ...oursSizes },
        depsOnly: { entry: 'lit + @lit/context + socket.io-client', ...depsSizes },
        oursMinusDeps: {
          bytes: oursSizes.bytes - depsSizes.bytes,
          gzipBytes: oursSizes.gzipBytes - depsSizes.gzipBytes,
          gzipKiB: kib(oursSizes.gzipBytes - depsSizes.gzipBytes),
          brotliBytes: oursSizes.brotliBytes - depsSizes.brotliBytes,
        },
        breakdown: { note: 'minified bytes per input (esbuild metafile bytesInOutput), before compression', ...breakdown(ours.metafile) },
        initialBreakdown: {
          note: 'the same for the first file only (esbuild splitting, which cuts like rollup does)',
          ...breakdown(merged(split.metafile!, firstLoad(split.metafile!, 'src/cdn.ts'))),
        },
      },
      npmRoomOnly: {
        note: "an app bundling `import { RtcRoom } from 'rtc-widgets/…/rtc-room.js'` from dist/ (esbuild, splitting): its first file, and whether rtc-chat is in it",
        initialFiles: npmFiles.length,
        initial: sizes(npmCode),
        chatInInitial: npmInputs.some((i) => i.includes('components/rtc-chat/')),
        chatInAnyChunk: npmAll.some((i) => i.includes('components/rtc-chat/')),
      },
    };
  },
};
