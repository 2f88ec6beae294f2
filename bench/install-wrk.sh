#!/usr/bin/env bash
# Installs the load generator of `npm run bench:ingest`: Debian's package wrk (C, Lua-scriptable).
# Benchmarks only; the test suite (.ci/run) does not need it.
set -euo pipefail
command -v wrk >/dev/null && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk
