export interface Person {
  id: string;
  name: string;
}

/**
 * Our own call layout inside `<rtc-room>`: a tile per person (ours first), the control bar and
 * the chat. Each part takes the call from the room around it (through @lit/context), so none
 * needs more than which participant to show.
 */
export function CallLayout({ people }: { people: Person[] }) {
  return (
    <div className="call">
      <div className="stage">
        <rtc-video-tile local />
        {people.map((p) => (
          <rtc-video-tile key={p.id} participant-id={p.id} />
        ))}
      </div>
      <rtc-controls />
      <rtc-chat />
    </div>
  );
}
