/**
 * Prometheus metrics (docs/protocol.md §1, GET /metrics), one registry per server so that several
 * servers in one process (the tests) keep their own counts.
 */
import { Counter, Gauge, Registry } from 'prom-client';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly joins: Counter;
  readonly resumes: Counter;
  readonly signals: Counter;
  readonly refusals: Counter<'code'>;
  readonly rateLimited: Counter;
  readonly knocks: Counter;

  constructor(counts: () => { rooms: number; sockets: number }) {
    const registers = [this.registry];
    new Gauge({
      name: 'rtc_widgets_sockets',
      help: 'Connected sockets on this process',
      registers,
      collect() {
        this.set(counts().sockets);
      },
    });
    new Gauge({
      name: 'rtc_widgets_rooms',
      help: 'Rooms with a member on this process',
      registers,
      collect() {
        this.set(counts().rooms);
      },
    });
    this.joins = new Counter({ name: 'rtc_widgets_joins_total', help: 'Successful joins (resumes included)', registers });
    this.resumes = new Counter({ name: 'rtc_widgets_resumes_total', help: 'Successful joins that continued a membership', registers });
    this.signals = new Counter({ name: 'rtc_widgets_signals_relayed_total', help: 'Signals relayed to a peer', registers });
    this.refusals = new Counter({ name: 'rtc_widgets_refusals_total', help: 'Error replies, by error code', labelNames: ['code'], registers });
    this.rateLimited = new Counter({ name: 'rtc_widgets_rate_limited_total', help: 'Messages dropped and connections refused by the abuse limits', registers });
    this.knocks = new Counter({ name: 'rtc_widgets_lobby_knocks_total', help: 'Newcomers who started waiting in a lobby', registers });
  }
}
