#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 7's benchmark, on demand: scheduled deliveries claimed and completed per second with 1, 2
# and 4 `inbox-central worker` processes on PostgreSQL and the one `serve` process on SQLite,
# against the fake Twilio, plus the cross-instance event latency (webhook into instance A →
# message.new on a socket of instance B). Prints one RESULT line per run.
#
#   bench/run-jobs.sh            N=3000 messages per run
#   N=5000 WORKERS="1 2 4" bench/run-jobs.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=${INBOX_BUILD_DIR:-$root/build}
export INBOX_BIN=$build/app/inbox-central
[[ -x "$INBOX_BIN" ]] || { echo "run-jobs: no binary at $INBOX_BIN (build first)" >&2; exit 1; }
n=${N:-3000}
pgdir=$(mktemp -d /tmp/inbox-jobs-bench.XXXXXX)
trap 'bash "$root/tests/support/pg-stop.sh" "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
bash "$root/tests/support/pg-start.sh" "$pgdir" >/dev/null
export INBOX_PG_DIR=$pgdir
cd "$root"
for w in ${WORKERS:-1 2 4}; do
    # The latency part once, with the last run.
    LATENCY=$([[ $w == "${WORKERS:-1 2 4}" || $w == 4 ]] && echo 1 || echo 0) \
        INBOX_TEST_DB=postgresql node bench/jobs.mjs "$w" "$n" | grep '^RESULT'
done
INBOX_TEST_DB=sqlite node bench/jobs.mjs 1 "$n" | grep '^RESULT'
