#!/usr/bin/env bash
# Makes Debian's Chromium available for the portal's browser tests (tests/Bulwark.Portal.Tests): installs the
# `chromium` package when /usr/bin/chromium (or $BULWARK_CHROMIUM) is missing and we may (root, or sudo
# without a password). Playwright never downloads a browser of its own (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
# Idempotent. Without a way to install, says so: the tests then skip (and fail on CI).
set -euo pipefail

chromium="${BULWARK_CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$chromium" ]]; then
  exit 0
fi

if [[ "$(id -u)" == 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "chromium.sh: $chromium is missing and installing needs root: apt-get install chromium" >&2
  exit 0
fi

echo "installing Chromium" >&2
"${sudo[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >&2
