/**
 * wtr plugin: lit's development build for the pages of one browser (lit-starter runs a whole pass
 * with `exportConditions: ['development']`; one browser of the usual run costs nothing extra). Its
 * warnings (an update scheduled during an update, a class field shadowing a reactive property,
 * several lits on a page…) then reach the tests, which fail on them (test/helpers/lit-warnings.ts).
 * The other browser keeps the production build the bundle ships.
 *
 * Both browsers share one dev server, so the choice is by the page's User-Agent: a request for a lit
 * package's module (resolved with the `production` condition, web-test-runner.config.mjs) is
 * answered with the same module from the package's development/ directory, where lit mirrors every module.
 * Transformed files are cached per browser kind (transformCacheKey), so neither sees the other's.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRunnerPlugin } from '@web/test-runner';

/** A request for a lit package's production module, e.g. `/node_modules/lit-html/lit-html.js`. */
const LIT_MODULE = /^(\/(?:.*\/)?node_modules\/(?:lit|lit-html|lit-element|@lit\/reactive-element|@lit\/context)\/)(?!development\/)([^?#]+\.js)$/;

export function litDevPlugin({ userAgent, rootDir }: { userAgent: RegExp; rootDir: string }): TestRunnerPlugin {
  const dev = (context: { get(header: string): string }) => userAgent.test(context.get('user-agent'));
  return {
    name: 'lit-development-build',
    transformCacheKey: (context) => (dev(context) ? 'lit-development' : undefined),
    // Only plugins with a transform hook have their cache key heard (dev-server-core's transform cache).
    transform: () => undefined,
    // The development module's text at the production module's URL: every importer (our sources,
    // @open-wc's helpers) keeps one URL per module, so one lit instance per page, in its dev build.
    async serve(context) {
      if (!dev(context)) return undefined;
      const m = LIT_MODULE.exec(context.path);
      if (!m) return undefined;
      try {
        return { body: await readFile(join(rootDir, `${m[1]}development/${m[2]}`), 'utf8'), type: 'js' };
      } catch {
        return undefined; // no development twin: the module as it is
      }
    },
  };
}
