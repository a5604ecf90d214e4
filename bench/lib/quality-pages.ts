/**
 * For thumbnail-cost and mesh: pages running bench/pages/quality.js (an RtcSession with one
 * measuring <rtc-video-tile> per remote), and rates computed from two of their samples.
 */
import type { Browser, Page } from 'puppeteer-core';
import { SessionPages, waitUntil } from './session-pages.js';
import { inPage, sleep } from './util.js';

export interface LinkSample {
  name: string;
  bytesSent: number;
  framesEncoded: number;
  frameWidth: number;
  framesDecoded: number;
  limitation: string | null;
  applied: { active: boolean; scaleResolutionDownBy: number; maxBitrate: number; maxFramerate: number } | null;
  asked: { width: number; height: number; maxBitrate?: number } | null;
}

export interface Sample {
  t: number;
  capture: { width: number; height: number; frameRate: number } | null;
  links: Record<string, LinkSample>;
}

export interface Member {
  page: Page;
  label: string;
  browser: Browser;
}

export interface SetupOptions {
  room: string;
  signalUrl: string;
  quality?: false | { downloadBudget?: number; uploadBudget?: number; adapt?: boolean };
  camera?: { width: number; height: number; frameRate: number };
  tileWidth?: number;
  /** The room's mode, for the first to join (bench/broadcast.ts). */
  mode?: 'broadcast';
}

export async function openMember(pages: SessionPages, browser: Browser, url: string, label: string, options: SetupOptions): Promise<Member> {
  const page = await pages.open(browser, `${url}/quality.html`, label);
  await inPage(page, 'setup', { ...options, name: label });
  return { page, label, browser };
}

/** Join one after the other (the newcomer calls everyone), then wait until everyone decodes everyone. */
export async function joinAll(members: Member[], timeoutMs: number): Promise<void> {
  for (const m of members) await inPage(m.page, 'join');
  const others = members.length - 1;
  await Promise.all(
    members.map(async (m) => {
      const first = await inPage<Sample>(m.page, 'sample');
      await waitUntil(
        async () => {
          const s = await inPage<Sample>(m.page, 'sample');
          const links = Object.entries(s.links);
          return links.length === others && links.every(([id, l]) => l.framesDecoded > (first.links[id]?.framesDecoded ?? 0));
        },
        `${m.label}: decoding ${others} remotes`,
        timeoutMs,
        500,
        async () => JSON.stringify(await inPage<Sample>(m.page, 'sample')),
      );
    }),
  );
}

export interface LinkRates {
  name: string;
  /** Video bits/s sent on this link. */
  sentBps: number;
  /** Video frames/s decoded from this remote. */
  decodedFps: number;
  /** Frames/s encoded for this link. */
  encodedFps: number;
  frameWidth: number;
  limitation: string | null;
  applied: LinkSample['applied'];
  asked: LinkSample['asked'];
}

export interface Measured {
  links: Record<string, LinkRates>;
  capture: Sample['capture'];
  /** Links whose counters went backwards (the link was rebuilt in the window: a failed connection) or that vanished: left out of `links`. */
  reset: string[];
}

/** Two samples `windowMs` apart (a measuring window, not a wait for a condition): per-link rates. */
export async function measure(page: Page, windowMs: number): Promise<Measured> {
  const a = await inPage<Sample>(page, 'sample');
  await sleep(windowMs);
  const b = await inPage<Sample>(page, 'sample');
  const secs = (b.t - a.t) / 1000;
  const links: Record<string, LinkRates> = {};
  const reset: string[] = Object.keys(a.links)
    .filter((id) => !b.links[id])
    .map((id) => a.links[id]!.name);
  for (const [id, l] of Object.entries(b.links)) {
    const p = a.links[id];
    if (!p || l.bytesSent < p.bytesSent || l.framesDecoded < p.framesDecoded) {
      reset.push(l.name);
      continue;
    }
    links[id] = {
      name: l.name,
      sentBps: Math.round(((l.bytesSent - p.bytesSent) * 8) / secs),
      decodedFps: Math.round(((l.framesDecoded - p.framesDecoded) / secs) * 10) / 10,
      encodedFps: Math.round(((l.framesEncoded - p.framesEncoded) / secs) * 10) / 10,
      frameWidth: l.frameWidth,
      limitation: l.limitation,
      applied: l.applied,
      asked: l.asked,
    };
  }
  return { links, capture: b.capture, reset };
}
