import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { RtcSession } from '../../core/session.js';
import type { LeaveReason } from '../../core/peer/mesh.js';
import { announceReactions } from '../rtc-reactions/announcements.js';
import { announceRecording } from './room-recording.js';
import type { Strings } from '../../i18n/strings.js';

/** Someone joined, or left (`left`: why), in the call. */
export interface PeerNews {
  name: string;
  left?: LeaveReason;
}

/** How many past announcements stay in the log (older ones have been read). */
const KEEP = 5;

/**
 * What rtc-room tells screen readers about other people: "Ana joined", "Ana left", "Ana is
 * sharing their screen". A polite `role="log"`: each line is read once, and two people joining at
 * once are both announced (one replaced status text would drop the first).
 */
export class CallAnnouncer implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #lines: { key: number; text: string }[] = [];
  #next = 0;
  #off: (() => void)[] = [];
  /** Who shared their screen, and whose connection was being restored, at the last participants update. */
  #sharing = new Map<string, boolean>();
  #reconnecting = new Map<string, boolean>();

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Follow `session` (and forget the previous one and what was said about it), saying things in the words `t()` gives. */
  attach(session: RtcSession | undefined, t: () => Strings, missed: readonly PeerNews[] = []): void {
    this.#off.forEach((off) => off());
    this.#off = [];
    this.#lines = [];
    this.#sharing = new Map();
    this.#reconnecting = new Map();
    this.#host.requestUpdate();
    if (!session) return;
    // Those already there when we join are not news: only announce while in the call.
    const inCall = () => session.status.get() === 'joined';
    const tell = ({ name, left }: PeerNews) => this.say(!left ? t().joined(name) : left === 'left' ? t().left(name) : t().lostConnection(name));
    missed.forEach(tell);
    this.#off = [
      announceReactions(session, (text) => this.say(text), t),
      announceRecording(session, (text) => this.say(text), t),
      session.on('peer-join', (p) => inCall() && tell({ name: p.name })),
      session.on('peer-leave', ({ name, reason }) => inCall() && tell({ name, left: reason })),
      session.participants.subscribe((list) => {
        const next = new Map<string, boolean>();
        const reconnecting = new Map<string, boolean>();
        for (const p of list) {
          if (p.isLocal) continue; // our own share is announced by the Share screen button
          if (p.screenSharing !== (this.#sharing.get(p.id) ?? false)) this.say(p.screenSharing ? t().startedSharing(p.name) : t().stoppedSharing(p.name));
          const was = this.#reconnecting.get(p.id) ?? false;
          if (p.reconnecting !== was) this.say(p.reconnecting ? t().reconnectingTo(p.name) : t().isBack(p.name));
          next.set(p.id, p.screenSharing);
          reconnecting.set(p.id, p.reconnecting);
        }
        this.#sharing = next;
        this.#reconnecting = reconnecting;
      }),
    ];
  }

  /** Everything said that is still in the log, oldest first. */
  get lines(): readonly string[] {
    return this.#lines.map((l) => l.text);
  }

  say(text: string): void {
    this.#lines = [...this.#lines, { key: this.#next++, text }].slice(-KEEP);
    this.#host.requestUpdate();
  }

  render() {
    return html`<div class="visually-hidden" role="log" aria-live="polite" aria-relevant="additions">
      ${repeat(
        this.#lines,
        (l) => l.key,
        (l) => html`<div>${l.text}</div>`,
      )}
    </div>`;
  }

  hostConnected(): void {}
}
