/** Shared by the component tests: real sessions on a LoopbackHub, tracked for cleanup. */
import { LoopbackHub, RtcSession, type RtcSessionOptions } from '../../src/core/index.js';
import { waitFor } from '../helpers/wait.js';

export { waitFor };

const sessions = new Set<RtcSession>();

/** A real session on `hub`, left in afterEach (see cleanupSessions). */
export function makeSession(hub: LoopbackHub, room: string, name?: string, extra: Partial<RtcSessionOptions> = {}): RtcSession {
  const s = new RtcSession({ room, name, transport: hub.connect(), ...extra });
  sessions.add(s);
  return s;
}

/** A session whose transport survives leave(): each join opens a new hub connection, as a socket would. */
export function makeRejoinableSession(hub: LoopbackHub, room: string, name?: string): RtcSession {
  const s = new RtcSession({ room, name, transport: () => hub.connect() });
  sessions.add(s);
  return s;
}

/** Register a session made elsewhere (e.g. by an <rtc-room>) for cleanup. */
export function track(s: RtcSession | undefined): RtcSession {
  if (!s) throw new Error('no session');
  sessions.add(s);
  return s;
}

export async function cleanupSessions(): Promise<void> {
  const all = [...sessions];
  sessions.clear();
  await Promise.all(all.map((s) => s.leave().catch(() => undefined)));
}

/** Everything the session holds that must be released: its tracks and its peer connections. */
export function resources(s: RtcSession): { tracks: MediaStreamTrack[]; pcs: RTCPeerConnection[] } {
  const tracks = s.localMedia.get().stream.getTracks();
  const pcs = s.participants
    .get()
    .filter((p) => !p.isLocal)
    .map((p) => s.peerConnection(p.id))
    .filter((pc): pc is RTCPeerConnection => !!pc);
  for (const pc of pcs) for (const sender of pc.getSenders()) if (sender.track && !tracks.includes(sender.track)) tracks.push(sender.track);
  return { tracks, pcs };
}

export async function expectReleased(res: { tracks: MediaStreamTrack[]; pcs: RTCPeerConnection[] }, what = 'released'): Promise<void> {
  await waitFor(
    () => res.tracks.every((t) => t.readyState === 'ended') && res.pcs.every((pc) => pc.connectionState === 'closed' && pc.signalingState === 'closed'),
    `every track ended and every peer connection closed (${what})`,
    5000,
  );
}

export const connectedPeers = (s: RtcSession, n: number) =>
  waitFor(() => s.participants.get().filter((p) => !p.isLocal && p.connectionState === 'connected').length === n, `${n} connected peer(s)`, 20000);

/** querySelector through shadow roots: `deep(el, 'rtc-prejoin', 'input')`. */
export function deep<T extends Element = HTMLElement>(root: Element, ...selectors: string[]): T | null {
  let node: Element | null = root;
  for (const sel of selectors) {
    const scope: ParentNode | null | undefined = node?.shadowRoot ?? node;
    node = scope?.querySelector(sel) ?? null;
    if (!node) return null;
  }
  return node as T;
}

/** A button by its accessible text (trimmed textContent), inside `root`'s shadow root. */
export function button(root: Element, name: string): HTMLButtonElement | null {
  const scope = root.shadowRoot ?? root;
  return ([...scope.querySelectorAll('button')] as HTMLButtonElement[]).find((b) => b.textContent?.trim() === name) ?? null;
}

/** Make getUserMedia reject for the kinds given (with a DOMException of `name`); returns the restore function. */
export function failGetUserMedia(kinds: ('audio' | 'video')[], name = 'NotFoundError'): () => void {
  const md = navigator.mediaDevices;
  const original = md.getUserMedia;
  md.getUserMedia = function (constraints?: MediaStreamConstraints) {
    if (kinds.some((k) => constraints?.[k])) return Promise.reject(new DOMException(`fake ${name}`, name));
    return original.call(md, constraints);
  };
  return () => {
    md.getUserMedia = original;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { LoopbackHub };
