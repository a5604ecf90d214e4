import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RtcSession } from '../../core/session.js';

interface ViewSizeHost extends ReactiveControllerHost, HTMLElement {
  /** The session the tile shows a participant of. */
  readonly session: RtcSession | undefined;
}

/**
 * Reports to the session how large a tile shows a remote participant's video, in device pixels
 * (ResizeObserver on the `<video>`, × devicePixelRatio), and 0 × 0 while it is not shown
 * (scrolled out of view, `display: none`). A hidden page (another tab) still counts as showing
 * it: picture-in-picture plays it, and coming back must not wait for video to restart. The
 * session tells that participant,
 * whose client then sends about that size (receiver-driven quality, docs/protocol.md §10 `view`).
 * Nothing is reported for the local participant.
 */
export class ViewSizeController implements ReactiveController {
  readonly #host: ViewSizeHost;
  #video?: HTMLVideoElement;
  #resize?: ResizeObserver;
  #intersect?: IntersectionObserver;
  /** Measured by the ResizeObserver; undefined until its first callback. */
  #size?: { width: number; height: number };
  #onScreen = true;
  /** Where we reported last: cleared (null) there when the tile changes participant or session. */
  #reported?: { session: RtcSession; peerId: string; width: number; height: number };

  constructor(host: ViewSizeHost) {
    this.#host = host;
    host.addController(this);
  }

  /**
   * From the host's updated(): the video element now, and the remote participant shown (undefined:
   * none or local); `shows` false: the tile never shows video (an audio tile), so 0 × 0 whatever its size.
   */
  observe(video: HTMLVideoElement | undefined, peerId: string | undefined, shows = true): void {
    this.#shows = shows;
    if (video !== this.#video) {
      this.#disconnectObservers();
      this.#video = video;
      this.#size = undefined;
      if (video) this.#connectObservers(video);
    }
    this.#peerId = peerId;
    this.#report();
  }

  #peerId?: string;
  #shows = true;

  hostConnected(): void {
    if (this.#video) this.#connectObservers(this.#video);
  }

  hostDisconnected(): void {
    this.#disconnectObservers();
    this.#clear();
  }

  #connectObservers(video: HTMLVideoElement): void {
    if (typeof ResizeObserver === 'undefined') return;
    this.#disconnectObservers();
    this.#resize = new ResizeObserver(([entry]) => {
      if (!entry) return;
      // Device pixels exactly where the browser says (Chromium); else CSS pixels × devicePixelRatio.
      const dp = (entry as ResizeObserverEntry & { devicePixelContentBoxSize?: readonly ResizeObserverSize[] }).devicePixelContentBoxSize?.[0];
      const dpr = globalThis.devicePixelRatio || 1;
      this.#size = dp
        ? { width: dp.inlineSize, height: dp.blockSize }
        : { width: Math.round(entry.contentRect.width * dpr), height: Math.round(entry.contentRect.height * dpr) };
      this.#report();
    });
    try {
      this.#resize.observe(video, { box: 'device-pixel-content-box' });
    } catch {
      this.#resize.observe(video);
    }
    if (typeof IntersectionObserver !== 'undefined') {
      this.#intersect = new IntersectionObserver((entries) => {
        const last = entries[entries.length - 1];
        if (!last) return;
        this.#onScreen = last.isIntersecting;
        this.#report();
      });
      this.#intersect.observe(video);
    }
  }

  #disconnectObservers(): void {
    this.#resize?.disconnect();
    this.#intersect?.disconnect();
    this.#resize = this.#intersect = undefined;
  }

  #report = (): void => {
    const session = this.#host.session;
    const peerId = this.#peerId;
    if (!session || !peerId || !this.#video || !this.#host.isConnected) return this.#clear();
    if (!this.#size && this.#shows) return; // measured in a moment
    const shown = this.#onScreen && this.#shows;
    const width = shown && this.#size ? Math.round(this.#size.width) : 0;
    const height = shown && this.#size ? Math.round(this.#size.height) : 0;
    const r = this.#reported;
    if (r && (r.session !== session || r.peerId !== peerId)) this.#clear();
    else if (r && r.width === width && r.height === height) return;
    session.setView?.(peerId, { width, height }, this);
    this.#reported = { session, peerId, width, height };
  };

  #clear(): void {
    const r = this.#reported;
    if (!r) return;
    this.#reported = undefined;
    r.session.setView?.(r.peerId, null, this);
  }
}
