// Every rtc-* element in React 19 JSX with the right props, and wrong ones that must not compile
// (each `@ts-expect-error` fails the check if its line stops being an error).
import type {} from 'rtc-widgets/react';
import type { PrejoinSession, RtcRoom, RtcSession, RtcVideoTile } from 'rtc-widgets';
import { useRef, type ReactNode } from 'react';

declare const session: RtcSession;
declare const prejoinSession: PrejoinSession;

export function Call(): ReactNode {
  const room = useRef<RtcRoom>(null);
  const tile = useRef<RtcVideoTile>(null);
  return (
    <rtc-room
      ref={room}
      key="call"
      room="standup"
      server="https://call.example.com"
      name="Ada"
      token="t"
      room-key="secret"
      precall-check
      auto-join={false}
      files-auto-accept="all"
      files-max-size="1048576"
      media="audio"
      mode="broadcast"
      layout="spotlight"
      pinned={null}
      strings={{}}
      theme="auto"
      class="call"
      className="call"
      style={{ height: '100vh' }}
      onClick={(e) => e.currentTarget.leave()}
      onrtc-join={(e) => console.log(e.id, e.room)}
      onrtc-leave={(e) => console.log(e.type)}
      onrtc-peer-join={(e) => console.log(e.participant.name)}
      onrtc-peer-leave={(e) => console.log(e.id, e.name, e.reason)}
      onrtc-status={(e) => console.log(e.status === 'reconnecting')}
      onrtc-error={(e) => console.log(e.error.code, e.error.message)}
      onrtc-message={(e) => console.log(e.message.text)}
      onrtc-transfer-progress={(e) => console.log(e.transfer.bytes)}
      onrtc-transfer-complete={(e) => console.log(e.transfer.size)}
      onrtc-transfer-error={(e) => console.log(e.transfer.state)}
      onrtc-layout-change={(e) => console.log(e.layout, e.spotlight)}
      onrtc-pin-change={(e) => console.log(e.participantId, e.automatic)}
    >
      <rtc-video-tile
        ref={tile}
        local
        participant-id="p1"
        source="screen"
        audio-only={false}
        audio-muted
        video-muted={false}
        speaking
        screen-sharing
        connection-state="connected"
        quality="fair"
        onrtc-error={(e) => console.log(e.error.code)}
      />
      <rtc-video-tile
        participantId="p2"
        audioOnly
        audioMuted
        videoMuted={false}
        screenSharing={false}
        connectionState="failed"
        quality="lost"
        session={session}
      />
      <rtc-controls devices session={session} theme="dark">
        <button slot="extra">Raise hand</button>
      </rtc-controls>
      <rtc-mic-button session={session} />
      <rtc-camera-button theme="light" />
      <rtc-screen-share-button session={session} />
      <rtc-leave-button />
      <rtc-chat files-auto-accept="none" filesMaxSize="1000" session={session} />
      <rtc-participant-list session={session} />
      <rtc-device-picker kinds={['audioinput', 'audiooutput']} session={prejoinSession} onrtc-device-change={(e) => console.log(e.kind, e.deviceId)} />
      <rtc-prejoin storage-key="my-app" storageKey="my-app" session={prejoinSession} />
      <rtc-precall-check
        server="https://call.example.com"
        ice-transport-policy="relay"
        iceTransportPolicy="all"
        iceServers={[{ urls: 'turn:turn.example.com' }]}
        onrtc-precall-result={(e) => console.log(e.result.network?.verdict)}
      />
      <rtc-stats session={session} onrtc-report-copy={(e) => console.log(e.report, e.method === 'manual')} />
      <rtc-record-button
        participant-id="p1"
        participantId="p1"
        choose
        state="ready"
        onrtc-recording-start={(e) => console.log(e.recording)}
        onrtc-recording-stop={(e) => console.log(e.result.filename, e.error?.message)}
      />
    </rtc-room>
  );
}

export function Wrong(): ReactNode {
  return (
    <>
      {/* rtc-room */}
      {/* @ts-expect-error layout is 'grid' or 'spotlight' */}
      <rtc-room layout="diagonal" />
      {/* @ts-expect-error mode is 'meeting' or 'broadcast' */}
      <rtc-room mode="webinar" />
      {/* @ts-expect-error room is a string */}
      <rtc-room room={42} />
      {/* @ts-expect-error autoJoin is a boolean */}
      <rtc-room autoJoin="yes" />
      {/* @ts-expect-error theme is 'light', 'dark' or 'auto' */}
      <rtc-room theme="sepia" />
      {/* @ts-expect-error the auto-join attribute is a boolean */}
      <rtc-room auto-join="yes" />
      {/* @ts-expect-error rtc-join carries id and room, no message */}
      <rtc-room onrtc-join={(e) => e.message} />
      {/* @ts-expect-error an rtc-status handler gets a status, not a participant */}
      <rtc-room onrtc-status={(e) => e.participant} />
      {/* @ts-expect-error the session is an RtcSession */}
      <rtc-room session="s" />
      {/* @ts-expect-error a ref to a room is not a ref to a tile */}
      <rtc-room ref={useRef<RtcVideoTile>(null)} />
      {/* @ts-expect-error currentLayout is read-only: not a prop */}
      <rtc-room currentLayout={{}} />
      {/* rtc-video-tile */}
      {/* @ts-expect-error source is 'camera' or 'screen' */}
      <rtc-video-tile source="window" />
      {/* @ts-expect-error quality is 'good', 'fair', 'poor' or 'lost' */}
      <rtc-video-tile quality="great" />
      {/* @ts-expect-error connection-state is an RTCPeerConnectionState */}
      <rtc-video-tile connection-state="open" />
      {/* @ts-expect-error local is a boolean */}
      <rtc-video-tile local="true" />
      {/* @ts-expect-error rtc-error carries an RtcError */}
      <rtc-video-tile onrtc-error={(e) => e.error.nope} />
      {/* rtc-controls and the buttons */}
      {/* @ts-expect-error devices is a boolean */}
      <rtc-controls devices="yes" />
      {/* @ts-expect-error the session is an RtcSession */}
      <rtc-mic-button session={{}} />
      {/* @ts-expect-error theme is 'light', 'dark' or 'auto' */}
      <rtc-camera-button theme="blue" />
      {/* @ts-expect-error the session is an RtcSession */}
      <rtc-screen-share-button session={1} />
      {/* @ts-expect-error theme is 'light', 'dark' or 'auto' */}
      <rtc-leave-button theme={true} />
      {/* rtc-chat */}
      {/* @ts-expect-error filesMaxSize is text (bytes) */}
      <rtc-chat filesMaxSize={1000} />
      {/* rtc-participant-list */}
      {/* @ts-expect-error participants is read-only: not a prop */}
      <rtc-participant-list participants={[]} />
      {/* rtc-device-picker */}
      {/* @ts-expect-error kinds are 'audioinput', 'videoinput' or 'audiooutput' */}
      <rtc-device-picker kinds={['camera']} />
      {/* @ts-expect-error rtc-device-change carries kind and deviceId */}
      <rtc-device-picker onrtc-device-change={(e) => e.device} />
      {/* rtc-prejoin */}
      {/* @ts-expect-error storageKey is a string */}
      <rtc-prejoin storageKey={false} />
      {/* rtc-precall-check */}
      {/* @ts-expect-error iceTransportPolicy is 'all' or 'relay' */}
      <rtc-precall-check iceTransportPolicy="direct" />
      {/* @ts-expect-error rtc-precall-result carries a result */}
      <rtc-precall-check onrtc-precall-result={(e) => e.verdict} />
      {/* rtc-stats */}
      {/* @ts-expect-error rtc-report-copy carries report and method */}
      <rtc-stats onrtc-report-copy={(e) => e.text} />
      {/* rtc-record-button */}
      {/* @ts-expect-error state is 'idle', 'recording' or 'ready' */}
      <rtc-record-button state="paused" />
      {/* @ts-expect-error rtc-recording-stop carries result and error */}
      <rtc-record-button onrtc-recording-stop={(e) => e.blob} />
    </>
  );
}
