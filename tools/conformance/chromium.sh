#!/bin/sh
# Headless Chromium for Ace (Puppeteer) and axe-run.js (Playwright) on a
# machine without network, possibly as root: Debian's chromium binary with the
# flags it needs here.  The callers pass their own fresh --user-data-dir.
# CONFORMANCE_CHROMIUM overrides the binary.
bin="${CONFORMANCE_CHROMIUM:-/usr/lib/chromium/chromium}"
if [ ! -x "$bin" ]; then
  bin="$(command -v chromium || command -v chromium-browser || true)"
fi
if [ -z "$bin" ]; then
  echo "chromium.sh: no Chromium found (run tools/conformance/setup.sh)" >&2
  exit 127
fi
exec "$bin" --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-default-apps --disable-dev-shm-usage --mute-audio "$@"
