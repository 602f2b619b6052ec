#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts a throwaway PostgreSQL cluster for the test suite and writes its admin URL.
#
#   tests/support/pg-start.sh DIR    ->  DIR/url   postgresql://postgres@127.0.0.1:PORT/postgres
#                                        DIR/port  PORT
#                                        DIR/realdir  where the cluster actually lives
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` OS user.
# The cluster lives in /tmp/inbox-pg-<hash of DIR> rather than in DIR itself: the postgres user
# may not be able to traverse the build tree, and a unix socket path must stay under ~107 bytes.
# Trust authentication, listening on 127.0.0.1 only: never use this for anything but tests.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi

mkdir -p "$1"
dir=$(cd "$1" && pwd -P)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=tests/support/pg-common.sh
source "$here/pg-common.sh"

pg_find_bindir
pg_pick_owner

# A cluster left over from an earlier (killed) run: stop it and start from scratch.
pg_stop_and_wipe "$dir"

realdir="/tmp/inbox-pg-$(pg_dir_hash "$dir")"
mkdir -m 0700 "$realdir"
mkdir -m 0700 "$realdir/data" "$realdir/socket"
if [[ -n "$PG_OWNER" ]]; then
    chown -R "$PG_OWNER:" "$realdir"
fi
echo "$realdir" >"$dir/realdir"

pg_as_owner "$PG_BIN/initdb" --pgdata="$realdir/data" --username=postgres --auth=trust \
    --encoding=UTF8 --no-locale --no-instructions >"$realdir/initdb.log" 2>&1 || {
    cat "$realdir/initdb.log" >&2
    echo "pg-start: initdb failed" >&2
    exit 1
}

# Loopback TCP and our own socket dir only; small and fast, since the data is thrown away.
pg_as_owner tee -a "$realdir/data/postgresql.conf" >/dev/null <<EOF

# inbox-central test fixture
listen_addresses = '127.0.0.1'
unix_socket_directories = '$realdir/socket'
max_connections = 200
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
pg_as_owner tee "$realdir/data/pg_hba.conf" >/dev/null <<EOF
# inbox-central test fixture: trust, but only on the private socket and 127.0.0.1.
local all all              trust
host  all all 127.0.0.1/32 trust
EOF

# Probe for a port nobody listens on; PostgreSQL can still lose a race for it, so retry.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

started=
for _ in 1 2 3 4 5 6 7 8; do
    port=$((15000 + RANDOM % 15000))
    if port_in_use "$port"; then
        continue
    fi
    if pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$realdir/data" --log="$realdir/server.log" \
        --options="-p $port" --wait --timeout=60 start >/dev/null 2>&1; then
        started=1
        break
    fi
    echo "pg-start: could not start on port $port, retrying; server log:" >&2
    tail -n 5 "$realdir/server.log" >&2 || true
done
if [[ -z "$started" ]]; then
    echo "pg-start: PostgreSQL did not start; full log: $realdir/server.log" >&2
    cat "$realdir/server.log" >&2 || true
    exit 1
fi

# pg_ctl --wait already waits for readiness; make sure TCP answers too before handing it out.
for _ in $(seq 1 100); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
        break
    fi
    sleep 0.1
done
"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres || {
    echo "pg-start: PostgreSQL started but does not answer on 127.0.0.1:$port" >&2
    exit 1
}

echo "$port" >"$dir/port"
echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
echo "pg-start: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') ready at $(cat "$dir/url") (data in $realdir)"
