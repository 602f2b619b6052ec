# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared by pg-start.sh and pg-stop.sh (sourced, not run).

# Where initdb/pg_ctl live: $PG_BIN, else Debian 12's PostgreSQL 15, else the newest installed.
pg_find_bindir() {
    if [[ -z "${PG_BIN:-}" ]]; then
        if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
            PG_BIN=/usr/lib/postgresql/15/bin
        else
            PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
        fi
    fi
    if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
        echo "pg: PostgreSQL server binaries not found (install the 'postgresql' package:" \
             "scripts/install-deps.sh --test)" >&2
        exit 1
    fi
}

# PostgreSQL refuses to run as root: as root, run it as the `postgres` user; otherwise as us.
pg_pick_owner() {
    PG_OWNER=
    if [[ $(id -u) -eq 0 ]]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "pg: running as root but there is no 'postgres' user to own the cluster" >&2
            exit 1
        fi
        PG_OWNER=postgres
    fi
}

pg_as_owner() {
    if [[ -n "$PG_OWNER" ]]; then
        # runuser (util-linux, always on Debian) lives in sbin, which a root PATH may lack.
        local runuser
        runuser=$(PATH=$PATH:/usr/sbin:/sbin command -v runuser) || {
            echo "pg: runuser not found (util-linux)" >&2
            exit 1
        }
        # cd / so the postgres user is never left in a directory it cannot read.
        (cd / && "$runuser" -u "$PG_OWNER" -- "$@")
    else
        "$@"
    fi
}

pg_dir_hash() {
    printf '%s' "$1" | sha256sum | cut -c1-12
}

# Stops the cluster that belongs to fixture dir $1 (if any) and removes its data and files.
pg_stop_and_wipe() {
    local dir=$1 realdir
    realdir=$(cat "$dir/realdir" 2>/dev/null || echo "/tmp/inbox-pg-$(pg_dir_hash "$dir")")
    case "$realdir" in
        /tmp/inbox-pg-*) ;;
        *) echo "pg: refusing to touch unexpected cluster dir '$realdir'" >&2; exit 1 ;;
    esac
    if [[ -f "$realdir/data/postmaster.pid" ]]; then
        pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$realdir/data" --mode=fast --wait --timeout=30 \
            stop >/dev/null 2>&1 ||
            pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$realdir/data" --mode=immediate --wait \
                stop >/dev/null 2>&1 || true
    fi
    rm -rf "$realdir"
    rm -f "$dir/url" "$dir/port" "$dir/realdir"
}
