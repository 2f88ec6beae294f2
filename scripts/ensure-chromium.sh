#!/usr/bin/env bash
# The dashboard's browser tests and `npm run bench:ui` drive Debian's Chromium through playwright-core
# (never a downloaded browser): install the distribution package when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
