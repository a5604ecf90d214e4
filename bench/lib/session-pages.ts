/**
 * Pages running bench/pages/session.js (recovery, ice-restart): opened as windows (a background
 * tab is hidden and renders no video), their uncaught errors kept for failure messages, and all
 * left and closed at the end whatever happened.
 */
import type { Browser, Page } from 'puppeteer-core';
import { closePages, errorMessage, inPage, openWindow, sleep } from './util.js';

export class SessionPages {
  readonly pages: Page[] = [];
  readonly errors: string[] = [];

  async open(browser: Browser, url: string, label: string): Promise<Page> {
    const page = await openWindow(browser, url, label, this.errors);
    this.pages.push(page);
    return page;
  }

  /** Leave the call in every page still open (bounded), then close them all. */
  async close(page?: Page): Promise<void> {
    const list = page ? this.pages.filter((p) => p === page) : this.pages;
    await Promise.race([Promise.all(list.map((p) => inPage(p, 'leave').catch(() => undefined))), sleep(3000)]);
    if (page) {
      this.pages.splice(this.pages.indexOf(page), 1);
      await closePages([page]);
    } else {
      await closePages(this.pages);
    }
  }

  withErrors(e: unknown): Error {
    return new Error(this.errors.length ? `${errorMessage(e)} [page errors: ${this.errors.join('; ')}]` : errorMessage(e));
  }
}

/** Poll `check` every `intervalMs` until it returns something other than undefined/false/null; throw naming `what` after `timeoutMs`. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false | null>,
  what: string,
  timeoutMs: number,
  intervalMs = 100,
  describe?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false && v !== null) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const detail = describe ? await describe().catch((e) => `(describe failed: ${errorMessage(e)})`) : '';
      throw new Error(`${what}: not within ${timeoutMs} ms${lastError ? ` (last error: ${errorMessage(lastError)})` : ''}${detail ? ` — ${detail}` : ''}`);
    }
    await sleep(intervalMs);
  }
}
