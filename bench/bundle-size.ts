/**
 * Bundle size: the CDN bundle as shipped (rollup + terser, `npm run build`), and, built the same
 * way as each other with esbuild so they compare, our entry against its third-party floor
 * (lit + @lit/context + socket.io-client alone), with bytes per package. See bench/README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import type { Benchmark } from './lib/types.js';
import { round } from './lib/stats.js';

const TARGET_GZIP_KIB = 40;

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

export const bundleSize: Benchmark = {
  name: 'bundle-size',
  description: 'dist/cdn/rtc-widgets.js size (min, gzip -9, brotli) and what is in it',
  timeoutMs: 120_000,
  async run(ctx) {
    const shipped = sizes(readFileSync(ctx.bundleFile));

    // Same tool and settings for both, so they compare with each other (not byte-for-byte with terser's output).
    const ours = await esbuildBundle(ctx.repo, { entryPoints: ['src/define.ts'] });
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

    return {
      shipped: {
        file: 'dist/cdn/rtc-widgets.js',
        note: 'rollup + terser (npm run build): already minified, so raw = min. gzip level 9 and brotli quality 11 (node:zlib). Includes the sourceMappingURL comment.',
        raw: { bytes: shipped.bytes, KiB: shipped.KiB },
        min: { bytes: shipped.bytes, KiB: shipped.KiB },
        gzip: { bytes: shipped.gzipBytes, KiB: shipped.gzipKiB },
        brotli: { bytes: shipped.brotliBytes, KiB: shipped.brotliKiB },
        targetGzipKiB: TARGET_GZIP_KIB,
        withinTarget: shipped.gzipKiB <= TARGET_GZIP_KIB,
      },
      esbuild: {
        note:
          'esbuild bundle + minify (browser + production conditions, es2022, ESM), for comparing entries with each other. ' +
          'depsOnly = `export * from` lit, @lit/context and socket.io-client (all of their exports, none tree-shaken away).',
        ours: { entry: 'src/define.ts', ...oursSizes },
        depsOnly: { entry: 'lit + @lit/context + socket.io-client', ...depsSizes },
        oursMinusDeps: {
          bytes: oursSizes.bytes - depsSizes.bytes,
          gzipBytes: oursSizes.gzipBytes - depsSizes.gzipBytes,
          gzipKiB: kib(oursSizes.gzipBytes - depsSizes.gzipBytes),
          brotliBytes: oursSizes.brotliBytes - depsSizes.brotliBytes,
        },
        breakdown: { note: 'minified bytes per input (esbuild metafile bytesInOutput), before compression', ...breakdown(ours.metafile) },
      },
    };
  },
};
