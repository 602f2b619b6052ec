#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stops the cluster that tests/support/pg-start.sh DIR started (fast mode) and removes its data.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
if [[ ! -d "$1" ]]; then
    exit 0
fi

dir=$(cd "$1" && pwd -P)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=tests/support/pg-common.sh
source "$here/pg-common.sh"

pg_find_bindir
pg_pick_owner
pg_stop_and_wipe "$dir"
echo "pg-stop: stopped and removed the cluster of $dir"
