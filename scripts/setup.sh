#!/usr/bin/env bash
# Sets up a fresh Debian machine for Portscope: the real browsers the tests and the recorder
# drive (Debian's Chromium and Firefox ESR; test tools cannot download their own here), then
# an X server for Firefox's toolbox, then the npm dependencies. Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/lib/chromium/chromium ] || [ -n "${PORTSCOPE_CHROMIUM:-}" ] || need+=(chromium)
[ -x /usr/bin/firefox-esr ] || [ -n "${PORTSCOPE_FIREFOX:-}" ] || need+=(firefox-esr)
# Firefox's own DevTools toolbox needs a display: its test runs on Xvfb; scripts/screenshots.mjs
# also takes the screen with ImageMagick's `import`. Without recommends: a few seconds.
tools=()
command -v Xvfb >/dev/null || tools+=(xvfb)
command -v import >/dev/null || tools+=(imagemagick)
if [ ${#need[@]} -gt 0 ] || [ ${#tools[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing ${need[*]} ${tools[*]}"
  $SUDO apt-get update -qq
  [ ${#need[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  [ ${#tools[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null
fi
if [ -L node_modules ]; then
  # A link to an install shared between checkouts: npm ci would empty it under every other one.
  echo "setup: node_modules links to a shared install ($(readlink node_modules)); not running npm ci"
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
