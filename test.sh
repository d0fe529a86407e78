#!/usr/bin/env bash
# Runs every Liaison test: unit, persistence (SQLite and a real PostgreSQL), web and browser tests.
# On a fresh machine it installs Debian's chromium first (Playwright cannot download browsers here).
# PostgreSQL: set LIAISON_TEST_POSTGRES to a connection string with CREATEDB rights, or leave it unset
# and each test process starts a throwaway cluster from /usr/lib/postgresql/*/bin.
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${LIAISON_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing Debian's chromium for the browser tests" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

exec dotnet test Liaison.sln --nologo "$@"
