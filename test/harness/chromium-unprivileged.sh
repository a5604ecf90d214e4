#!/bin/sh
# Chromium as the tests run it. As root (CI), Chromium gives its audio threads real-time
# scheduling and its compositor, IO and WebRTC threads nice -8, which a user's browser cannot
# (no CAP_SYS_NICE): on two shared cores those threads then starve everything else, from the
# pages' own main threads to Firefox and the signaling server. Without CAP_SYS_NICE it runs as
# it would on a user's machine. CHROMIUM_PATH: the browser to run (default /usr/bin/chromium).
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  exec setpriv --inh-caps=-sys_nice --bounding-set=-sys_nice -- "$browser" "$@"
fi
exec "$browser" "$@"
