#!/usr/bin/env bash
# Runs the test suite with the process clock set to another instant, to show that no test
# depends on the day it runs:
#   npm run test:timetravel -- 2028-02-29T23:55:00-08:00 [vitest arguments…]
# The clock starts at that instant and runs on from there (Debian's faketime, LD_PRELOAD: every
# process the suite starts, PGlite included, reads the same shifted time; timers and timeouts
# keep real durations). A PostgreSQL server is another process with its own clock, so this runs
# on the embedded database; TEST_DATABASE_URL is ignored.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
  echo "usage: npm run test:timetravel -- <ISO-8601 instant, e.g. 2028-02-29T23:55:00-08:00> [vitest arguments…]" >&2
  exit 2
fi
instant="$1"
shift
if ! command -v faketime >/dev/null; then
  echo "faketime is not installed: apt-get install -y faketime" >&2
  exit 2
fi
if ! epoch=$(date -u -d "$instant" +%s 2>/dev/null); then
  echo "not an instant: $instant (write it like 2028-02-29T23:55:00-08:00)" >&2
  exit 2
fi

node scripts/ensure-install.mjs
echo "== test suite with the clock at $(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ) ($instant)"
unset TEST_DATABASE_URL
export FAKETIME_FMT=%s FAKETIME_DONT_FAKE_MONOTONIC=1
exec faketime "@$epoch" npx vitest run "$@"
