/** Shared by the component tests: real sessions on a LoopbackHub, tracked for cleanup. */
import { LoopbackHub, type RtcSession, type RtcSessionOptions } from '../../src/core/index.js';
import { sessionSet } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';

export { sleep, waitFor };

const sessions = sessionSet({}, { timeout: 20000, ignoreLeaveErrors: true });

/** A real session on `hub`, left in afterEach (see cleanupSessions). */
export function makeSession(hub: LoopbackHub, room: string, name?: string, extra: Partial<RtcSessionOptions> = {}): RtcSession {
  return sessions.make(name, { room, hub, ...extra });
}

/** A session whose transport survives leave(): each join opens a new hub connection, as a socket would. */
export function makeRejoinableSession(hub: LoopbackHub, room: string, name?: string): RtcSession {
  return sessions.make(name, { room, transport: () => hub.connect() });
}

/** Register a session made elsewhere (e.g. by an <rtc-room>) for cleanup. */
export const track = sessions.track;

/** Join `all` in order; resolves when every one is connected to every other. */
export const joinAll = sessions.joinAll;

export const cleanupSessions = sessions.leaveAll;

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

export const connectedPeers = (s: RtcSession, n: number) => sessions.connected(s, n);

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

export { LoopbackHub };
