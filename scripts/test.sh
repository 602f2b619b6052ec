#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's test command (and CI's): installs what is missing, builds, and runs the whole suite:
# Qt unit tests and the Node API tests, on SQLite and on a throwaway PostgreSQL.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=${INBOX_BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh" --test
bash "$root/scripts/build.sh"

# Parallel is safe: every test gets its own port and its own database.
status=0
ctest --test-dir "$build" --output-on-failure --no-tests=error -j2 || status=$?
exit "$status"
