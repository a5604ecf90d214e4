/** Small helpers shared by the benchmarks. */
import type { Browser, Page } from 'puppeteer-core';

export { sleep } from '../../test/helpers/wait.js';

/** `promise`, or a rejection naming `what` after `ms`. The work itself is not cancelled: close what it uses. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Call `globalThis.__bench.<fn>(...args)` (bench/pages/bench.js) in the page. A string expression,
 * not a function: tsx would wrap a function's inner helpers in `__name(...)`, unknown in the page.
 */
export function inPage<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`globalThis.__bench.${fn}(${args.map((a) => JSON.stringify(a)).join(', ')})`) as Promise<T>;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Close pages; a wedged one must not stop the rest (the browser's own dispose kills it later). */
export async function closePages(pages: Page[]): Promise<void> {
  await Promise.all(pages.splice(0).map((p) => withTimeout(p.close(), 5000, 'page.close()').catch(() => undefined)));
}

/**
 * A page in a window of its own, opened at `url`: a background tab is hidden and renders no
 * frames, and each side of a call is a user's foreground page. Uncaught errors go to `errors`.
 */
export async function openWindow(browser: Browser, url: string, label: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ type: 'window' });
  page.on('pageerror', (e) => errors.push(`${label}: ${errorMessage(e)}`));
  await page.goto(url, { waitUntil: 'load' });
  return page;
}
