// Wrong props with no @ts-expect-error: `tsc -p test/types/wrong` must report an error on every
// line marked "wrong" (server/test/framework-types.test.ts checks each one).
import type {} from 'rtc-widgets/react';
import type { ReactNode } from 'react';

export function Wrong(): ReactNode {
  return (
    <rtc-room
      layout="diagonal" // wrong
      autoJoin="yes" // wrong
      onrtc-join={(e) => e.message} // wrong
    >
      <rtc-video-tile quality="great" /* wrong */ />
      <rtc-record-button state="paused" /* wrong */ />
      <rtc-device-picker kinds={['camera']} /* wrong */ />
    </rtc-room>
  );
}
