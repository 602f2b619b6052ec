#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's run command: installs what is missing, builds, and serves (SQLite by default on
# http://localhost:5000). Arguments go to `inbox-central serve`, e.g. --port 8080.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=${INBOX_BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
# From the repo root, so relative defaults (data dir, SQLite file) land in the same place
# whatever directory this was started from.
cd "$root"
exec "$build/app/inbox-central" serve "$@"
