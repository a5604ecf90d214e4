import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { RtcSession } from '../../core/session.js';
import type { LinkStats } from '../../core/stats/sampler.js';
import type { HealthCell, HealthMatrix } from '../../core/stats/health.js';
import type { CandidateInfo, MediaDirectionStats } from '../../core/stats/sample.js';
import { StoreController } from '../../controllers/store-controller.js';
import { RtcElement } from '../../internal/rtc-element.js';
import { RtcSessionElement } from '../../internal/session-element.js';
import { componentStyles } from '../../styles/component.styles.js';
import { statsStyles } from './rtc-stats.styles.js';
import { RtcReportCopyEvent, type ReportCopyMethod } from './rtc-stats-events.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';

/**
 * @summary A debug panel for the call: for each remote link its connection, ICE, gathering and
 * signaling states with a timeline of every change, the selected candidate pair, round-trip time,
 * bitrate, resolution and frame rate each way, packet loss, jitter, codecs and the browser's
 * quality limitation; the whole room as a matrix of who receives whom how well (from every
 * peer's `health` messages), with the bottleneck said in words; and "Copy report", a JSON report
 * for a bug ticket. Takes the session of an enclosing `<rtc-room>`, or `.session`.
 * @tag rtc-stats
 * @property session - The session to show. Set it to work without an enclosing `<rtc-room>`; it wins over the room's.
 *
 * @slot empty - Shown when there is no session.
 * @slot actions - Extra buttons beside "Copy report" (`<rtc-room>` puts Close here).
 *
 * @fires {RtcReportCopyEvent} rtc-report-copy - "Copy report" was used: `report` (JSON text) and `method` ('clipboard', or 'manual' when the clipboard was refused and the report is shown in a text box to copy).
 *
 * @csspart base - The panel.
 * @csspart heading - "Call statistics".
 * @csspart button - Every button (also `copy-button`).
 * @csspart report - The text box with the report, when the clipboard was refused.
 * @csspart health - The room's health: the matrix and the findings.
 * @csspart matrix - The table: rows receive from columns.
 * @csspart findings - The bottlenecks in words.
 * @csspart link - Each remote link's section (`data-id`).
 * @csspart states - The link's states, path and numbers.
 * @csspart timeline - The link's state changes, with times.
 *
 * @cssprop --rtc-stats-background - Behind the panel (default `--rtc-color-surface`).
 * @cssprop --rtc-stats-good-color - "good" (default `--rtc-color-good`).
 * @cssprop --rtc-stats-fair-color - "fair" (default `--rtc-color-fair`).
 * @cssprop --rtc-stats-poor-color - "poor" and "lost" (default `--rtc-color-poor`).
 */
export class RtcStats extends RtcSessionElement {
  static override styles = [componentStyles, statsStyles];
  /** focus() lands on "Copy report". */
  static override shadowRootOptions: ShadowRootInit = { ...RtcElement.shadowRootOptions, delegatesFocus: true };

  /** The report shown to copy by hand (the clipboard was refused). */
  @state() private manualReport?: string;
  @state() private copyStatus = '';

  readonly #i18n = new Localize(this, en);
  readonly #links = new StoreController<LinkStats[]>(this);
  readonly #matrix = new StoreController<HealthMatrix>(this);

  protected override sessionChanged(s: RtcSession | undefined): void {
    this.#links.attach(s?.stats.links);
    this.#matrix.attach(s?.stats.matrix);
  }

  /** Put the JSON report on the clipboard (or, refused, in a text box to copy by hand); resolves with it. */
  async copyReport(): Promise<string | undefined> {
    const session = this.session;
    if (!session) return undefined;
    const report = JSON.stringify(session.stats.report(), null, 2);
    let method: ReportCopyMethod = 'clipboard';
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(report);
      this.manualReport = undefined;
      this.copyStatus = this.#i18n.t.reportCopied;
    } catch {
      method = 'manual';
      this.manualReport = report;
      this.copyStatus = this.#i18n.t.clipboardUnavailable;
      await this.updateComplete;
      const box = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
      box?.focus();
      box?.select();
    }
    // Built first, so the manifest takes the event from @fires, not from the constructor's arguments.
    const event = new RtcReportCopyEvent(report, method);
    this.dispatchEvent(event);
    return report;
  }

  protected override render() {
    if (!this.session) return html`<div part="base" class="base"><slot name="empty"></slot></div>`;
    const links = this.#links.value ?? [];
    const matrix = this.#matrix.value;
    const t = this.#i18n.t;
    return html`<section part="base" class="base" aria-labelledby="heading">
      <header>
        <h2 part="heading" id="heading">${t.callStatistics}</h2>
        <div class="actions">
          <button part="button copy-button" class="button primary" type="button" @click=${() => void this.copyReport()}>${t.copyReport}</button>
          <slot name="actions"></slot>
        </div>
      </header>
      <p class="status" role="status">${this.copyStatus}</p>
      ${this.manualReport !== undefined ? html`<textarea part="report" readonly  aria-label=${t.callReport} .value=${this.manualReport}></textarea>` : nothing}
      ${links.length ? this.#renderHealth(matrix) : html`<p class="empty">${t.nobodyElse}</p>`}
      ${links.map((l) => this.#renderLink(l))}
    </section>`;
  }

  #renderHealth(m: HealthMatrix | undefined) {
    if (!m || m.peers.length < 2) return nothing;
    const t = this.#i18n.t;
    const label = (id: string) => {
      const p = m.peers.find((x) => x.id === id)!;
      return p.isLocal ? t.nameYou(p.name) : p.name;
    };
    return html`<section part="health" aria-labelledby="health-heading">
      <h3 id="health-heading">${t.roomHealth}</h3>
      <div class="scroll" tabindex="0" role="region" aria-label=${t.roomHealthMatrix}>
        <table part="matrix">
          <caption>
            ${t.healthCaption}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.receiver}</th>
              ${m.peers.map((p) => html`<th scope="col" data-sender=${p.id}>${label(p.id)}</th>`)}
              <th scope="col">${t.sends}</th>
            </tr>
          </thead>
          <tbody>
            ${m.peers.map(
              (r) => html`<tr data-receiver=${r.id}>
                <th scope="row">${label(r.id)}</th>
                ${m.peers.map((s) => (s.id === r.id ? html`<td class="detail" data-sender=${s.id}>—</td>` : this.#cell(m.cells[r.id]?.[s.id], s.id)))}
                <td class="detail">${r.upKbps !== undefined ? this.#kbps(r.upKbps) : t.noReport}${r.limit && r.limit !== 'none' ? html`, ${t.limitedBy(r.limit === 'cpu' ? 'CPU' : r.limit)}` : nothing}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        m.findings.length
          ? html`<ul part="findings" class="findings">
            ${m.findings.map((f) => html`<li>${f}</li>`)}
          </ul>`
          : nothing
      }
    </section>`;
  }

  #cell(c: HealthCell | undefined, sender: string) {
    const t = this.#i18n.t;
    if (!c?.level) return html`<td class="detail" data-sender=${sender}>${t.noReport}</td>`;
    const detail = [
      c.fps !== undefined ? `${this.#i18n.number(Math.round(c.fps))} fps` : '',
      c.loss !== undefined ? t.loss(this.#pct(c.loss)) : '',
      c.rttMs !== undefined ? this.#ms(c.rttMs) : '',
    ]
      .filter(Boolean)
      .join(' · ');
    return html`<td data-sender=${sender} data-level=${c.level}>
      <span class="level" data-level=${c.level}>${t.qualityLevels[c.level]}</span>${detail ? html` <span class="detail">${detail}</span>` : nothing}
    </td>`;
  }

  #renderLink(l: LinkStats) {
    const s = l.sample;
    const q = l.quality;
    const t = this.#i18n.t;
    const L = t.statLabels;
    return html`<section part="link" class="link" data-id=${l.id} aria-label=${t.connectionWith(l.name)}>
      <h3>${l.name}</h3>
      <dl part="states">
        <dt>${L.connection}</dt>
        <dd data-state="connection">${l.connectionState}</dd>
        <dt>${L.ice}</dt>
        <dd data-state="ice">${l.iceConnectionState}</dd>
        <dt>${L.gathering}</dt>
        <dd data-state="gathering">${l.iceGatheringState}</dd>
        <dt>${L.signaling}</dt>
        <dd data-state="signaling">${l.signalingState}</dd>
        <dt>${L.quality}</dt>
        <dd data-stat="quality">${q ? html`<span class="level" data-level=${q.level}>${this.#quality(q)}</span>` : t.measuring}</dd>
        <dt>${L.path}</dt>
        <dd data-stat="path">${s?.pair ? html`${candidateText(s.pair.local)} → ${candidateText(s.pair.remote)}` : '—'}</dd>
        <dt>${L.rtt}</dt>
        <dd data-stat="rtt">${s?.rttMs !== undefined ? this.#ms(s.rttMs) : '—'}</dd>
        <dt>${L.loss}</dt>
        <dd data-stat="loss">${s?.inbound.loss !== undefined ? this.#pct(s.inbound.loss) : '—'}</dd>
        <dt>${L.jitter}</dt>
        <dd data-stat="jitter">${s?.inbound.jitterMs !== undefined ? this.#ms(s.inbound.jitterMs) : '—'}</dd>
        <dt>${L.in}</dt>
        <dd data-stat="in">${mediaText(s?.inbound.video, s?.inbound.audio)}</dd>
        <dt>${L.out}</dt>
        <dd data-stat="out">${mediaText(s?.outbound.video, s?.outbound.audio)}</dd>
        <dt>${L.limit}</dt>
        <dd data-stat="limit">${s?.outbound.video.qualityLimitationReason ?? '—'}</dd>
      </dl>
      <details part="timeline">
        <summary>${t.timeline(l.timeline.length)}</summary>
        <ol>
          ${l.timeline.map(
            (c) => html`<li data-kind=${c.kind}><time datetime=${new Date(c.time).toISOString()}>${clock(c.time)}</time> ${c.kind}: ${c.state}</li>`,
          )}
        </ol>
      </details>
    </section>`;
  }

  #ms(x: number): string {
    return this.#i18n.number(Math.round(x), { style: 'unit', unit: 'millisecond', unitDisplay: 'short' });
  }

  #kbps(x: number): string {
    return `${this.#i18n.number(x)} kbit/s`; // as the per-link figures write it
  }

  #pct(x: number): string {
    return this.#i18n.number(x, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  /** "poor (high packet loss, relayed through TURN)". */
  #quality(q: NonNullable<LinkStats['quality']>): string {
    const t = this.#i18n.t;
    const reasons = q.reasons.map((r) => t.qualityReasons[r]);
    if (q.relayed) reasons.push(t.relayedThroughTurn);
    return `${t.qualityLevels[q.level]}${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
  }
}

function clock(t: number): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

function candidateText(c: CandidateInfo): string {
  const base = [c.type ?? 'unknown', c.protocol].filter(Boolean).join(' ');
  return c.type === 'relay' && c.relayProtocol ? `${base} (TURN over ${c.relayProtocol})` : base;
}

function mediaText(video: MediaDirectionStats | undefined, audio: MediaDirectionStats | undefined): string {
  if (!video && !audio) return '—';
  const parts: string[] = [];
  if (video && (video.bitrateKbps !== undefined || video.width)) {
    const v = [
      'video',
      video.codec,
      video.width && video.height ? `${video.width}×${video.height}` : '',
      video.fps !== undefined ? `${video.fps.toFixed(1)} fps` : '',
      video.bitrateKbps !== undefined ? `${Math.round(video.bitrateKbps)} kbit/s` : '',
    ];
    parts.push(v.filter(Boolean).join(' '));
  }
  if (audio && (audio.bitrateKbps !== undefined || audio.codec)) {
    parts.push(['audio', audio.codec, audio.bitrateKbps !== undefined ? `${Math.round(audio.bitrateKbps)} kbit/s` : ''].filter(Boolean).join(' '));
  }
  return parts.join('; ') || '—';
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-stats': RtcStats;
  }
}
