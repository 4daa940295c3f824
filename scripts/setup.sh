#!/usr/bin/env bash
# Sets up a fresh Debian machine for Portscope: the real browsers the tests and the recorder
# drive (Debian's Chromium and Firefox ESR; test tools cannot download their own here), then
# the npm dependencies. Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/lib/chromium/chromium ] || [ -n "${PORTSCOPE_CHROMIUM:-}" ] || need+=(chromium)
[ -x /usr/bin/firefox-esr ] || [ -n "${PORTSCOPE_FIREFOX:-}" ] || need+=(firefox-esr)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
