#!/usr/bin/env bash
# `make test` runs a headless-browser test of report.html with Debian's Chromium
# (never a downloaded browser). Install the package when this account can
# (root, or sudo without a password, and apt-get); otherwise say why in one
# line on stderr and print "skip" on stdout, so make test skips that one test,
# loudly. LINKAGES_REQUIRE_BROWSER=1 (set by .ci/run) makes a missing browser
# an error instead.
set -uo pipefail
CHROMIUM="${LINKAGES_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0

why=""
if ! command -v apt-get >/dev/null 2>&1; then
  why="no apt-get on this machine"
elif [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  why="not root and no password-less sudo to run apt-get"
fi

if [ -z "$why" ]; then
  echo "make test: installing Debian's chromium for the browser test (apt-get install chromium)..." >&2
  if $SUDO apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 && [ -x "$CHROMIUM" ]; then
    exit 0
  fi
  why="apt-get install chromium failed (no network or no such package?)"
fi

if [ "${LINKAGES_REQUIRE_BROWSER:-0}" = 1 ]; then
  echo "make test: Chromium is required here but missing at $CHROMIUM: $why" >&2
  exit 1
fi
echo "make test: SKIPPING the browser test (test/e2e/report-browser.test.ts): Chromium is not at $CHROMIUM and cannot be installed: $why. Install Debian's chromium package to run it." >&2
echo skip
