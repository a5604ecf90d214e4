/**
 * Driving `<rtc-chat>` in a page as a user (the Chat toggle, the "Message" box, "Attach file"),
 * and reading what it shows. Works on the demo page's default `<rtc-room>` UI, where the chat
 * lives in the room's side panel. Page code is passed as strings (see in-page.js: no tsx helpers
 * may leak into the page).
 *
 *   await openChat(alice);
 *   await say(alice, 'hello');
 *   await attach(alice, '/tmp/x/file.bin');
 *   const link = await downloadLink(bob, 'file.bin');
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, ElementHandle } from 'puppeteer-core';
import { inPage, openPeer, uniqueRoom, waitFor, type Peer } from './call.js';

/** The page's `<rtc-chat>` (the first one, in rtc-room's shadow root in the default UI), as a JS expression. */
const CHAT = `__e2e.deepAll('rtc-chat')[0]`;

export interface ShownMessage {
  name: string;
  text: string;
  local: boolean;
}

export interface ShownTransfer {
  /** The file name as shown (textContent). */
  file: string;
  /** "to Bob · 10.5 MB", "from Ada · 10.5 MB" (textContent). */
  who: string;
  state: string;
  /** The download link's href and download attribute, when there is one. */
  href: string | null;
  download: string | null;
  progress: boolean;
  /** Why it failed or was cancelled, as the row says. */
  error: string | null;
}

/** A file of `size` random bytes named `name` in `dir`, and its SHA-256 (hex). */
export function randomFile(dir: string, name: string, size: number): { path: string; sha256: string; size: number } {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), size };
}

/** The messages the chat shows, oldest first. */
export function shownMessages(peer: Peer): Promise<ShownMessage[]> {
  return inPage<ShownMessage[]>(
    peer.page,
    `[...(${CHAT}?.shadowRoot?.querySelectorAll('[part~="message"]') ?? [])].map((m) => ({
      name: m.querySelector('[part~="name"]')?.textContent ?? '',
      text: m.querySelector('[part~="text"]')?.textContent ?? '',
      local: m.classList.contains('local'),
    }))`,
  );
}

/** The transfer rows the chat shows. */
export function shownTransfers(peer: Peer): Promise<ShownTransfer[]> {
  return inPage<ShownTransfer[]>(
    peer.page,
    `[...(${CHAT}?.shadowRoot?.querySelectorAll('[part~="transfer"]') ?? [])].map((r) => {
      const a = r.querySelector('a[part~="download"]');
      return {
        file: r.querySelector('.file')?.textContent ?? '',
        who: (r.querySelector('.who')?.textContent ?? '').replace(/\\s+/g, ' ').trim(),
        state: r.dataset.state ?? '',
        href: a ? a.href : null,
        download: a ? a.getAttribute('download') : null,
        progress: !!r.querySelector('progress'),
        error: [...r.querySelectorAll('.stats .error')].map((e) => e.textContent).join(': ') || null,
      };
    })`,
  );
}

/** Wait until the page's session has a connected peer with open chat and files channels, for each of `count` peers. */
export async function channelsOpen(peer: Peer, count = 1, timeoutMs = 40_000): Promise<void> {
  await waitFor(
    () =>
      inPage<boolean>(
        peer.page,
        `(() => {
          const s = __e2e.room()?.session;
          if (!s) return false;
          const remotes = s.participants.get().filter((p) => !p.isLocal);
          return remotes.length === ${count} && remotes.every((p) => p.connectionState === 'connected' && ['chat', 'files'].every((l) => s.dataChannel(p.id, l)?.readyState === 'open'));
        })()`,
      ),
    {
      timeoutMs,
      what: `${peer.label}: connected, chat and files channels open to ${count} peer(s)`,
      describe: async () => JSON.stringify(await peer.snapshot()),
    },
  );
}

/** Click the "Chat" toggle in the control bar and wait for the Message box to show. */
export async function openChat(peer: Peer): Promise<void> {
  await peer.click('Chat');
  await waitFor(() => inPage<boolean>(peer.page, `!!__e2e.field('Message')`), { what: `${peer.label}: the "Message" box in the open Chat panel` });
  const pressed = await inPage<string | null>(peer.page, `__e2e.deepAll('[part~="chat-toggle"]')[0]?.getAttribute('aria-pressed') ?? null`);
  assert.equal(pressed, 'true', `${peer.label}: the Chat toggle is pressed`);
}

async function messageBox(peer: Peer): Promise<ElementHandle<Element>> {
  const handle = (await peer.page.evaluateHandle(`__e2e.field('Message')`)).asElement();
  assert.ok(handle, `${peer.label}: a "Message" box`);
  return handle as ElementHandle<Element>;
}

/** Type `text` into the "Message" box and press Enter; waits until the box is empty again (sent). */
export async function say(peer: Peer, text: string): Promise<void> {
  const box = await messageBox(peer);
  try {
    await box.click();
    await box.type(text);
    const typed = await box.evaluate((el) => (el as HTMLTextAreaElement).value);
    assert.equal(typed, text, `${peer.label}: the Message box holds what was typed`);
    await peer.page.keyboard.press('Enter');
    await waitFor(() => box.evaluate((el) => (el as HTMLTextAreaElement).value === ''), { what: `${peer.label}: the Message box emptied by Enter` });
  } finally {
    await box.dispose();
  }
}

/**
 * Choose `path` with the "Attach file" button, through the browser's file chooser as a user
 * would (puppeteer intercepts the dialog: CDP in Chromium, WebDriver BiDi in Firefox).
 */
export async function attach(peer: Peer, path: string, timeoutMs = 15_000): Promise<void> {
  const chooser = peer.page.waitForFileChooser({ timeout: timeoutMs });
  await peer.click('Attach file');
  const picked = await chooser;
  await picked.accept([path]);
}

/**
 * Wait for the offer row of `file` (Accept / Decline) and click `answer` in it, as a user would.
 * Returns what the row showed before the click.
 */
export async function answerOffer(peer: Peer, file: string, answer: 'Accept' | 'Decline', timeoutMs = 30_000): Promise<ShownTransfer> {
  let last: ShownTransfer[] = [];
  const row = await waitFor(
    async () => {
      last = await shownTransfers(peer);
      return last.find((r) => r.file === file && r.state === 'offered');
    },
    { timeoutMs, intervalMs: 200, what: `${peer.label}: an offer of ${file}`, describe: () => `rows: ${JSON.stringify(last)}` },
  );
  const handle = (
    await peer.page.evaluateHandle(
      `[...${CHAT}.shadowRoot.querySelectorAll('[part~="transfer"]')].find((r) => r.querySelector('.file')?.textContent === ${JSON.stringify(file)})?.querySelector('button[part~="${answer.toLowerCase()}"]') ?? null`,
    )
  ).asElement() as ElementHandle<Element> | null;
  assert.ok(handle, `${peer.label}: an ${answer} button in the row of ${file}`);
  assert.equal(await handle.evaluate((b) => b.getAttribute('aria-label')), `${answer} ${file}`);
  await handle.click();
  await handle.dispose();
  return row;
}

/** The page session's transfers (state and bytes), by file name. */
export function sessionTransfers(
  peer: Peer,
): Promise<{ name: string; direction: string; state: string; bytes: number; hasBlob: boolean; error: string | null }[]> {
  return inPage(
    peer.page,
    `(__e2e.room()?.session?.files.transfers.get() ?? []).map((t) => ({ name: t.name, direction: t.direction, state: t.state, bytes: t.bytes, hasBlob: !!t.blob, error: t.error ?? null }))`,
  );
}

/**
 * Record, from now on, every change of the chat's transfer rows (a MutationObserver on its shadow
 * root), and whether a download link ever showed while the session had not received the whole
 * file. Read it with watched().
 */
export async function watchTransfers(peer: Peer): Promise<void> {
  await inPage(
    peer.page,
    `(() => {
      const chat = ${CHAT};
      const w = (globalThis.__chatWatch = { early: [], receiving: {}, links: {} });
      const check = () => {
        const transfers = __e2e.room()?.session?.files.transfers.get() ?? [];
        for (const row of chat.shadowRoot.querySelectorAll('[part~="transfer"]')) {
          const name = row.querySelector('.file')?.textContent ?? '';
          const t = transfers.find((x) => x.direction === 'receive' && x.name === name);
          if (!t) continue;
          if (row.dataset.state === 'receiving' && row.querySelector('progress')) w.receiving[name] = Math.max(w.receiving[name] ?? 0, t.bytes);
          if (row.querySelector('a[part~="download"]')) {
            w.links[name] ??= { bytes: t.bytes, size: t.size, state: t.state };
            if (t.state !== 'done' || t.bytes !== t.size || !t.blob || t.blob.size !== t.size) w.early.push({ name, bytes: t.bytes, size: t.size, state: t.state });
          }
        }
      };
      new MutationObserver(check).observe(chat.shadowRoot, { subtree: true, childList: true, attributes: true, characterData: true });
      check();
      return true;
    })()`,
  );
}

export interface Watched {
  /** A link showed before the whole file was there (must stay empty). */
  early: { name: string; bytes: number; size: number; state: string }[];
  /** Per file name: the most bytes seen while its row showed a progress bar. */
  receiving: Record<string, number>;
  /** Per file name: the session's transfer when the link first showed. */
  links: Record<string, { bytes: number; size: number; state: string }>;
}

export function watched(peer: Peer): Promise<Watched> {
  return inPage<Watched>(peer.page, `globalThis.__chatWatch`);
}

/** Wait for the download link of the received file shown as `file`; returns the row. Fails at once if the transfer fails. */
export async function downloadLink(peer: Peer, file: string, timeoutMs = 90_000): Promise<ShownTransfer> {
  let last: ShownTransfer[] = [];
  const row = await waitFor(
    async () => {
      last = await shownTransfers(peer);
      return last.find((r) => r.file === file && (r.href || r.state === 'failed' || r.state === 'cancelled'));
    },
    { timeoutMs, intervalMs: 300, what: `${peer.label}: a download link for ${file}`, describe: () => `rows: ${JSON.stringify(last)}` },
  );
  if (!row.href)
    assert.fail(`${peer.label}: ${file} ended without a file (${row.state}: ${row.error}); rows: ${JSON.stringify(last)}\n${await callEvents(peer)}`);
  return row;
}

/**
 * Record, from now on, which check each file the page receives comes with: the hash fields of
 * the sender's `end` on every peer's files channel ('xxh64', 'sha256Blocks' or 'sha256'). Read
 * them with transferChecks().
 */
export async function recordTransferChecks(peer: Peer): Promise<void> {
  await inPage(
    peer.page,
    `(() => {
      const session = __e2e.room().session;
      const checks = (globalThis.__transferChecks = []);
      for (const p of session.participants.get()) {
        if (p.isLocal) continue;
        session.dataChannel(p.id, 'files')?.addEventListener('message', ({ data }) => {
          if (typeof data === 'string' && data.includes('"end"')) checks.push(Object.keys(JSON.parse(data)).filter((k) => k !== 't' && k !== 'n'));
        });
      }
      return true;
    })()`,
  );
}

export function transferChecks(peer: Peer): Promise<string[][]> {
  return inPage(peer.page, `globalThis.__transferChecks`);
}

/** SHA-256 (hex) of what `href` (a blob: URL in the page) holds, computed in the page with WebCrypto. */
export function sha256InPage(peer: Peer, href: string): Promise<{ size: number; sha256: string }> {
  return inPage(
    peer.page,
    `(async () => {
      const bytes = await (await fetch(${JSON.stringify(href)})).arrayBuffer();
      const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return { size: bytes.byteLength, sha256: Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('') };
    })()`,
  );
}

/**
 * Keep a log of what happens to the page's call (status, peers leaving, errors, peer connection
 * and data channel states), for failure messages: read it with callEvents().
 */
export async function recordCallEvents(peer: Peer): Promise<void> {
  await inPage(
    peer.page,
    `(() => {
      if (globalThis.__callEvents) return true;
      const log = (globalThis.__callEvents = []);
      const t0 = performance.now();
      const note = (what) => log.push(Math.round(performance.now() - t0) + ' ms ' + what);
      const s = __e2e.room().session;
      const watched = new WeakSet();
      const watchPeers = () => {
        for (const p of s.participants.get()) {
          if (p.isLocal) continue;
          const pc = s.peerConnection(p.id);
          if (pc && !watched.has(pc)) {
            watched.add(pc);
            pc.addEventListener('connectionstatechange', () => note(p.name + ' pc ' + pc.connectionState));
            pc.addEventListener('iceconnectionstatechange', () => note(p.name + ' ice ' + pc.iceConnectionState));
            pc.addEventListener('signalingstatechange', () => note(p.name + ' sig ' + pc.signalingState));
          }
          for (const label of ['chat', 'files']) {
            const ch = s.dataChannel(p.id, label);
            if (ch && !watched.has(ch)) {
              watched.add(ch);
              ch.addEventListener('close', () => note(p.name + ' ' + label + ' channel closed'));
              ch.addEventListener('error', (e) => note(p.name + ' ' + label + ' channel error ' + (e.error?.message ?? '')));
            }
          }
        }
      };
      s.status.listen((v) => note('status ' + v));
      s.participants.listen(watchPeers);
      s.on('peer-leave', (e) => note('peer-leave ' + e.name + ' ' + e.reason));
      s.on('peer-join', (p) => note('peer-join ' + p.name));
      s.on('error', (e) => note('error ' + e.code + ' ' + e.message + (e.details?.cause ? ' (' + (e.details.cause.name ?? '') + ': ' + (e.details.cause.message ?? e.details.cause) + ')' : '')));
      s.on('transfer-failed', (t) => note('transfer-failed ' + t.name + ' ' + t.error));
      watchPeers();
      note('recording, Date.now() ' + Date.now());
      return true;
    })()`,
  );
}

/** The log recordCallEvents() keeps, and the page's WebSocket openings and closings (openPeer). */
export async function callEvents(peer: Peer): Promise<string> {
  const [log, sockets] = await inPage<[string[] | null, string[] | null]>(peer.page, `[globalThis.__callEvents ?? null, globalThis.__socketLog ?? null]`).catch(
    (e) => [[`(unreadable: ${e})`], null],
  );
  return `${peer.label}: ${JSON.stringify(log)}${sockets ? ` sockets: ${JSON.stringify(sockets)}` : ''}`;
}

/** Run a test's `body` on the pages of a call; if it fails, every page's call events are printed; the pages are closed either way. */
export async function onPages(t: { diagnostic(message: string): void }, list: Peer[], body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    for (const p of list) t.diagnostic(await callEvents(p));
    throw e;
  } finally {
    await Promise.all(list.map((p) => p.close()));
  }
}

/**
 * A Chromium page and a Firefox page on the demo page in a new room, both joined (typing `names`
 * into "Your name"), connected with open data channels, and with their Chat panels open.
 * `pageFor` gives one of them another page (its default `<rtc-room>` UI) for the room instead.
 */
export async function chatCall(
  serverUrl: string,
  browsers: { chromium: Browser; firefox: Browser },
  prefix: string,
  names: { chromium: string; firefox: string },
  pageFor: { chromium?: (room: string) => string } = {},
): Promise<{ cr: Peer; ff: Peer; list: Peer[] }> {
  const room = uniqueRoom(prefix);
  // Cameras without microphones: these calls are about chat and files, and every audio stream a
  // link carries costs the two cores as much as its small video does.
  const url = `${serverUrl}/?room=${room}&media=video`;
  const list: Peer[] = [];
  try {
    list.push(await openPeer(browsers.chromium, pageFor.chromium?.(room) ?? url, { label: 'chromium' }));
    list.push(await openPeer(browsers.firefox, url, { label: 'firefox' }));
    const [cr, ff] = list;
    await cr.join(names.chromium);
    await ff.join(names.firefox);
    await Promise.all([channelsOpen(cr), channelsOpen(ff)]);
    await Promise.all(list.map((p) => recordCallEvents(p)));
    await openChat(cr);
    await openChat(ff);
    return { cr, ff, list };
  } catch (e) {
    await Promise.all(list.map((p) => p.close()));
    throw e;
  }
}

/** Wait until `peer` shows exactly `want` (name, text, own or not), in order. */
export async function expectMessages(peer: Peer, want: ShownMessage[], timeoutMs = 15_000): Promise<void> {
  let last: ShownMessage[] = [];
  await waitFor(
    async () => {
      last = await shownMessages(peer);
      return JSON.stringify(last) === JSON.stringify(want);
    },
    { timeoutMs, what: `${peer.label} to show ${want.length} message(s)`, describe: () => `shown: ${JSON.stringify(last)}\nwant:  ${JSON.stringify(want)}` },
  );
}
