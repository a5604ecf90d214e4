/**
 * wtr plugin: lit's development build for the pages of one browser (lit-starter runs a whole pass
 * with `exportConditions: ['development']`; one browser of the usual run costs nothing extra). Its
 * warnings (an update scheduled during an update, a class field shadowing a reactive property,
 * several lits on a page…) then reach the tests, which fail on them (test/helpers/lit-warnings.ts).
 * The other browser keeps the production build the bundle ships.
 *
 * Both browsers share one dev server, so the choice is by the page's User-Agent: every import of a
 * lit package, once resolved (`production` condition, web-test-runner.config.mjs), is pointed at
 * the same module under the package's development/ directory, where lit mirrors every module.
 * Transformed files are cached per browser kind (transformCacheKey), so neither sees the other's.
 */
import type { TestRunnerPlugin } from '@web/test-runner';

/** A resolved import of a lit package's production module, e.g. `/node_modules/lit-html/lit-html.js?v=1`. */
const LIT_MODULE = /^(.*\/node_modules\/(?:lit|lit-html|lit-element|@lit\/reactive-element|@lit\/context)\/)(?!development\/)([^?#]+\.js)([?#].*)?$/;

export function litDevPlugin({ userAgent }: { userAgent: RegExp }): TestRunnerPlugin {
  const dev = (context: { get(header: string): string }) => userAgent.test(context.get('user-agent'));
  return {
    name: 'lit-development-build',
    transformCacheKey: (context) => (dev(context) ? 'lit-development' : undefined),
    // Only plugins with a transform hook have their cache key heard (dev-server-core's transform cache).
    transform: () => undefined,
    transformImport({ source, context }) {
      if (!dev(context)) return undefined;
      const m = LIT_MODULE.exec(source);
      return m ? `${m[1]}development/${m[2]}${m[3] ?? ''}` : undefined;
    },
  };
}
