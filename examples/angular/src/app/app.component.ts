import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import type { RtcErrorEvent, RtcPeerJoinEvent, RtcPeerLeaveEvent, RtcStatusEvent, SessionStatus, Strings } from 'rtc-widgets';

// ?room=…&server=…&name=… pick the call; without them, room "examples" on `npm start`'s server.
const query = new URLSearchParams(location.search);

/**
 * `<rtc-room>` in a standalone component. CUSTOM_ELEMENTS_SCHEMA lets the template use the rtc-*
 * tags: `[attr.x]` sets an attribute, `[x]` a property, `(rtc-…)` listens to an event (typed from
 * the element's event map, which rtc-widgets declares).
 */
@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  templateUrl: './app.component.html',
})
export class AppComponent {
  readonly room = query.get('room') || 'examples';
  readonly server = query.get('server') || 'http://localhost:8080';
  readonly name = query.get('name');
  readonly strings: Partial<Strings> = { leave: 'Hang up' };
  readonly status = signal<SessionStatus>('idle');
  readonly people = signal<{ id: string; name: string }[]>([]);
  readonly error = signal('');

  onStatus(e: RtcStatusEvent): void {
    this.status.set(e.status);
    if (e.status === 'joined') this.error.set('');
  }

  onPeerJoin({ participant: { id, name } }: RtcPeerJoinEvent): void {
    this.people.update((list) => [...list.filter((p) => p.id !== id), { id, name }]);
  }

  onPeerLeave(e: RtcPeerLeaveEvent): void {
    this.people.update((list) => list.filter((p) => p.id !== e.id));
  }

  onError(e: RtcErrorEvent): void {
    this.error.set(e.error.message);
  }
}
