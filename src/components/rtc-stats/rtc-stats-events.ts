/** Events of `<rtc-stats>` (same shape as src/events/rtc-events.ts: typed fields, bubbling, composed). */

/** How the report reached the user: on the clipboard, or in a text box to copy by hand (clipboard refused). */
export type ReportCopyMethod = 'clipboard' | 'manual';

/** "Copy report" was used: `report` is the JSON text (every link, timelines, health, local media, browser, time). */
export class RtcReportCopyEvent extends Event {
  static readonly eventName = 'rtc-report-copy';
  constructor(
    /** The report, JSON text. */
    readonly report: string,
    /** 'clipboard', or 'manual' when the clipboard was refused and the report is shown to select. */
    readonly method: ReportCopyMethod,
  ) {
    super(RtcReportCopyEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'rtc-report-copy': RtcReportCopyEvent;
  }
}
