import { useState } from 'react';
import type { RtcErrorEvent, RtcPeerJoinEvent, RtcPeerLeaveEvent, RtcStatusEvent, SessionStatus, Strings } from 'rtc-widgets';
import { CallLayout, type Person } from './CallLayout';

// One object for the app's lifetime: a new one on every render would make the room look up its words again each time.
const strings: Partial<Strings> = { leave: 'Hang up' };

interface Props {
  room: string;
  server: string;
  name?: string;
}

/**
 * `<rtc-room>` with attributes (room, server, name), a property (strings) and `rtc-*` listeners
 * (React 19 adds `on<event-name>` props of a custom element as event listeners). Its children
 * are our own layout: `<rtc-prejoin>` before the call, then CallLayout.
 */
export function App({ room, server, name }: Props) {
  const [status, setStatus] = useState<SessionStatus>('idle');
  const [people, setPeople] = useState<Person[]>([]);
  const [error, setError] = useState('');
  const inCall = status === 'joined' || status === 'reconnecting';

  const onStatus = (e: RtcStatusEvent) => {
    setStatus(e.status);
    if (e.status === 'joined') setError('');
  };
  const onPeerJoin = ({ participant: { id, name } }: RtcPeerJoinEvent) => setPeople((list) => [...list.filter((p) => p.id !== id), { id, name }]);
  const onPeerLeave = (e: RtcPeerLeaveEvent) => setPeople((list) => list.filter((p) => p.id !== e.id));

  return (
    <div className="app">
      <header>
        <h1>rtc-widgets · React</h1>
        <p>
          Room <b>{room}</b> · <span data-testid="status">{status}</span>
        </p>
        {error && <p role="alert">{error}</p>}
      </header>
      <rtc-room
        room={room}
        server={server}
        name={name}
        strings={strings}
        onrtc-status={onStatus}
        onrtc-peer-join={onPeerJoin}
        onrtc-peer-leave={onPeerLeave}
        onrtc-leave={() => setPeople([])}
        onrtc-error={(e: RtcErrorEvent) => setError(e.error.message)}
      >
        {inCall ? <CallLayout people={people} /> : <rtc-prejoin />}
      </rtc-room>
      <aside>
        <h2>In the call</h2>
        <ul data-testid="people">
          {people.map((p) => (
            <li key={p.id}>{p.name}</li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
