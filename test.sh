#!/usr/bin/env bash
# Runs every Liaison test: unit, persistence (SQLite and a real PostgreSQL), web and browser tests.
# On a fresh machine it installs Debian's chromium and CJK fonts first (Playwright cannot download browsers here).
# PostgreSQL: set LIAISON_TEST_POSTGRES to a connection string with CREATEDB rights, or leave it unset
# and each test process starts a throwaway cluster from /usr/lib/postgresql/*/bin.
set -euo pipefail
cd "$(dirname "$0")"

# The browser tests need Debian's chromium and CJK fonts (so Chinese renders in screenshots).
if [ -z "${LIAISON_CHROMIUM:-}" ]; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
  if [ ${#need[@]} -gt 0 ]; then
    echo "test.sh: installing ${need[*]} for the browser tests" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
    "${SUDO[@]}" apt-get update -qq || echo "test.sh: apt-get update failed; trying the install with the package lists at hand" >&2
    # An install can report failure (exit 100) from an unrelated post-install step although the package is
    # there: what counts is whether chromium starts, checked below.
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || echo "test.sh: apt-get install ${need[*]} reported an error; checking what was installed" >&2
  fi
  if ! timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --dump-dom about:blank >/dev/null 2>&1; then
    echo "test.sh: /usr/bin/chromium is missing or does not start headless. Install it (apt-get install --no-install-recommends chromium)" >&2
    echo "         or point LIAISON_CHROMIUM at a Chromium binary." >&2
    exit 1
  fi
fi

exec dotnet test Liaison.sln --nologo "$@"
