// The live example of each element page: HTML that runs as it is shown, loading the bundle from
// the server that serves the site (/rtc-widgets.js, same origin: `server` can stay unset). The
// listing on the page is this same text, so what a reader copies is what they saw working.

const BUNDLE = '<script type="module" src="/rtc-widgets.js"></script>';

/** Join / Leave buttons, the invite link and the status, wired to `#call` (an `<rtc-room>` with children). */
const CALL_BAR = `<p class="call-bar">
  <button type="button" id="join">Join</button>
  <button type="button" id="leave">Leave</button>
  <a id="invite" href="">Open this room in another tab</a>
  <output id="status" aria-live="polite"></output>
</p>`;

/** Script lines (inside a block that has `call`): one tile per remote participant, removed when they leave or we do. */
const REMOTE_TILES = `    // One tile per remote participant, by peer id.
    const tiles = document.getElementById('tiles');
    call.addEventListener('rtc-peer-join', (e) => {
      const tile = document.createElement('rtc-video-tile');
      tile.setAttribute('participant-id', e.participant.id);
      tiles.append(tile);
    });
    call.addEventListener('rtc-peer-leave', (e) => tiles.querySelector(\`[participant-id="\${CSS.escape(e.id)}"]\`)?.remove());
    call.addEventListener('rtc-leave', () => tiles.querySelectorAll('[participant-id]').forEach((t) => t.remove()));`;

/** The script of a composed call: room name, buttons, status, and one tile per remote participant. */
const CALL_SCRIPT = `<script>
  {
    const call = document.getElementById('call');
    const status = document.getElementById('status');
    // A fresh room for this page, or the one an invite link names (?room=).
    const room = new URLSearchParams(location.search).get('room') || 'docs-' + Math.random().toString(36).slice(2, 8);
    call.setAttribute('room', room);
    document.getElementById('invite').href = '?room=' + room;
    document.getElementById('join').addEventListener('click', () => {
      call.join('Reader ' + Math.floor(Math.random() * 100)).catch((err) => (status.textContent = err.message));
    });
    document.getElementById('leave').addEventListener('click', () => call.leave());
    call.addEventListener('rtc-status', (e) => (status.textContent = e.status));
${REMOTE_TILES}
  }
</script>`;

const CALL_STYLE = `<style>
  .call { display: grid; gap: 0.5rem; }
  .tiles { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr)); }
</style>`;

/** A page-made layout inside `<rtc-room>`: our tile, the remote tiles, and `parts` below them. */
function composed(parts, note) {
  const inside = parts ? `\n    ${parts.trim().split('\n').join('\n    ')}` : '';
  return {
    note,
    html: `${BUNDLE}
${CALL_STYLE}

<rtc-room id="call" theme="auto">
  <div class="call">
    <div class="tiles" id="tiles">
      <rtc-video-tile local></rtc-video-tile>
    </div>${inside}
  </div>
</rtc-room>

${CALL_BAR}

${CALL_SCRIPT}`,
  };
}

const ANOTHER_TAB = 'Open the room in another tab (the link under the example) to see a second participant.';

const buttons = composed(
  `<div class="bar">
  <rtc-mic-button></rtc-mic-button>
  <rtc-camera-button></rtc-camera-button>
  <rtc-screen-share-button></rtc-screen-share-button>
  <rtc-leave-button></rtc-leave-button>
</div>`,
  `The four buttons of the control bar, placed one by one in a layout of the page's own. Join, then try them. ${ANOTHER_TAB}`,
);

/** Tag → `{ note, html }`. Every element of the manifest must have one (the build checks). */
export const EXAMPLES = {
  'rtc-room': {
    note: 'The whole call UI from one element: the pre-join step, then the call. Join, then open the room in another tab (the link under it) to call yourself.',
    html: `${BUNDLE}
<style>
  #room { height: min(36rem, 80vh); }
</style>

<rtc-room id="room" theme="auto"></rtc-room>
<p><a id="invite" href="">Open this room in another tab</a></p>

<script>
  {
    // A fresh room for this page, or the one an invite link names (?room=). This classic script
    // runs before the module above upgrades <rtc-room>, so the element starts with its room.
    const room = new URLSearchParams(location.search).get('room') || 'docs-' + Math.random().toString(36).slice(2, 8);
    document.getElementById('room').setAttribute('room', room);
    document.getElementById('invite').href = '?room=' + room;
  }
</script>`,
  },
  'rtc-video-tile': composed(
    '',
    `Our own tile, and one tile per remote participant added and removed by the page on \`rtc-peer-join\` / \`rtc-peer-leave\`. ${ANOTHER_TAB}`,
  ),
  'rtc-controls': composed(
    '<rtc-controls devices></rtc-controls>',
    `A layout of the page's own: our tile, remote tiles and the control bar (with its Devices panel). ${ANOTHER_TAB}`,
  ),
  'rtc-mic-button': buttons,
  'rtc-camera-button': buttons,
  'rtc-screen-share-button': buttons,
  'rtc-leave-button': buttons,
  'rtc-chat': composed(
    '<rtc-chat style="height: 20rem"></rtc-chat>',
    `Chat and files next to the tiles. Join here and in another tab, then write or drop a file: it goes peer to peer. ${ANOTHER_TAB}`,
  ),
  'rtc-participant-list': composed('<rtc-participant-list></rtc-participant-list>', `Everyone in the call with their states. ${ANOTHER_TAB}`),
  'rtc-stats': composed('<rtc-stats></rtc-stats>', `The call's statistics: a remote link appears once a second participant joins. ${ANOTHER_TAB}`),
  'rtc-record-button': composed(
    '<rtc-record-button choose></rtc-record-button>',
    `Join, then Record: the whole call or one participant (\`choose\`), as a WebM file that never leaves the device. ${ANOTHER_TAB}`,
  ),
  'rtc-prejoin': {
    note: "A pre-join step in a layout of the page's own: the page shows it until `rtc-join`, then its call view; after Leave, the step again.",
    html: `${BUNDLE}
${CALL_STYLE}

<rtc-room id="call" theme="auto">
  <rtc-prejoin id="prejoin"></rtc-prejoin>
  <div class="call" id="in-call" hidden>
    <div class="tiles" id="tiles">
      <rtc-video-tile local></rtc-video-tile>
    </div>
    <rtc-controls></rtc-controls>
  </div>
</rtc-room>
<p><a id="invite" href="">Open this room in another tab</a></p>

<script>
  {
    const call = document.getElementById('call');
    const room = new URLSearchParams(location.search).get('room') || 'docs-' + Math.random().toString(36).slice(2, 8);
    call.setAttribute('room', room);
    document.getElementById('invite').href = '?room=' + room;
    const show = (inCall) => {
      document.getElementById('prejoin').hidden = inCall;
      document.getElementById('in-call').hidden = !inCall;
    };
    call.addEventListener('rtc-join', () => show(true));
    call.addEventListener('rtc-leave', () => show(false));
${REMOTE_TILES}
  }
</script>`,
  },
  'rtc-device-picker': {
    note: 'On its own, as on a settings page: the choice is remembered for the next call on this device (inside `<rtc-room>` it switches the live device).',
    html: `${BUNDLE}

<rtc-device-picker theme="auto"></rtc-device-picker>
<p>Last choice: <output id="picked">none yet</output></p>

<script>
  document.querySelector('rtc-device-picker').addEventListener('rtc-device-change', (e) => {
    document.getElementById('picked').textContent = e.kind + ': ' + (e.deviceId || 'the default device');
  });
</script>`,
  },
  'rtc-precall-check': {
    note: 'On its own: "Test my setup" checks the camera, the microphone, the speaker and the network through this server (and its TURN relay, if it has one).',
    html: `${BUNDLE}

<rtc-precall-check theme="auto"></rtc-precall-check>
<p>Verdict: <output id="verdict">not run yet</output></p>

<script>
  document.querySelector('rtc-precall-check').addEventListener('rtc-precall-result', (e) => {
    document.getElementById('verdict').textContent = e.result.network?.verdictText ?? 'done';
  });
</script>`,
  },
};
