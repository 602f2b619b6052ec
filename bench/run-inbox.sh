#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The inbox API under load at two sizes of the same team: 10k messages, then 1M. Run on demand
# (not part of the test suite); see bench/README.md.
#
#   bench/run-inbox.sh [sqlite|postgresql]        default sqlite
#   DURATION=30s CONNS=64 bench/run-inbox.sh postgresql
#   STAGES=small bench/run-inbox.sh               only the 10k stage (a quick look)
#
# Env: DURATION=10s THREADS=2 CONNS=32 TIMEOUT=10s (wrk), WARMUP=2s (an unrecorded wrk pass per
#      scenario first; 0 = none), SCENARIOS="conversations page send search" (search last: the
#      server finishes slow queries of disconnected clients, which would weigh on the next one),
#      STAGES="small large", SMALL="100 500 10000" and LARGE="10000 50000 1000000" (contacts,
#      conversations, messages), SQLITE_ANALYZE=1 (ANALYZE after seeding; the server never runs
#      it), SKIP_DEPS=1, SKIP_BUILD=1 (use the binary as it is), INBOX_BUILD_DIR.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
bench=$root/bench
build=${INBOX_BUILD_DIR:-$root/build}
bin=$build/app/inbox-central
backend=${1:-sqlite}
duration=${DURATION:-10s}
threads=${THREADS:-2}
conns=${CONNS:-32}
timeout=${TIMEOUT:-10s}
warmup=${WARMUP:-2s}
scenarios=${SCENARIOS:-conversations page send search}
stages=${STAGES:-small large}
read -r -a small <<<"${SMALL:-100 500 10000}"
read -r -a large <<<"${LARGE:-10000 50000 1000000}"

case "$backend" in
    sqlite | postgresql) ;;
    *) echo "usage: $0 [sqlite|postgresql]" >&2; exit 2 ;;
esac

if [[ "${SKIP_DEPS:-0}" != 1 ]]; then
    bash "$root/scripts/install-deps.sh" --bench
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cmake --build "$build" -j"$(nproc)" --target inbox-central >/dev/null ||
        { echo "run-inbox: the build failed (SKIP_BUILD=1 runs the binary as it is)" >&2; exit 1; }
fi
[[ -x "$bin" ]] || { echo "run-inbox: no server binary at $bin" >&2; exit 1; }

work=$(mktemp -d /tmp/inbox-bench-inbox.XXXXXX)
server_pid=
pg_dir=
# SIGTERM, then SIGKILL after 10 s: the server drains requests in flight on SIGTERM, and a slow
# query left by wrk (whose client is gone) must not keep it, and this script, alive.
stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    if [[ -n "$server_pid" ]]; then
        stop_pid "$server_pid"
    fi
    if [[ -n "$pg_dir" ]]; then
        bash "$root/tests/support/pg-stop.sh" "$pg_dir" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 10000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "run-inbox: no free port found" >&2
    exit 1
}

results=$bench/results
mkdir -p "$results"
stamp=$(date +%Y%m%d-%H%M%S)
raw=$results/inbox-$stamp-$backend.txt
: >"$raw"
log() { echo "run-inbox: $*" | tee -a "$raw" >&2; }

# --- the database
if [[ "$backend" == postgresql ]]; then
    pg_dir=$work/pg
    bash "$root/tests/support/pg-start.sh" "$pg_dir" >&2
    admin_url=$(cat "$pg_dir/url")
    psql -X -q -d "$admin_url" -c "CREATE DATABASE inbox_bench" >/dev/null
    database_url=${admin_url%/postgres}/inbox_bench
    log "PostgreSQL $(psql -X -At -d "$admin_url" -c 'SHOW server_version') from tests/support/pg-start.sh" \
        "(fsync=off, synchronous_commit=off, shared_buffers=32MB: a test fixture)"
else
    database_url=sqlite://$work/inbox.db
fi

# --- the server
port=$(free_port)
base=http://127.0.0.1:$port
DATABASE_URL="$database_url" DATA_DIR="$work/data" \
    JWT_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') JWT_EXPIRES_IN=12h BCRYPT_COST=10 \
    ACCESS_LOG=0 "$bin" serve --port "$port" --host 127.0.0.1 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$base/readyz" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if ! curl -fsS -o /dev/null "$base/readyz"; then
    echo "run-inbox: the server did not become ready; log:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
log "binary $bin built $(date -u -r "$bin" +%FT%TZ); git HEAD $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo -)," \
    "$(git -C "$root" status --porcelain 2>/dev/null | grep -c . || true) files changed or new in the work tree"
log "server pid $server_pid at $base on $backend; $(nproc) cores; wrk -t$threads -c$conns -d$duration --timeout $timeout --latency (warm-up $warmup)"

rss() { awk -v k="$1" '$1 == k":" { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status" 2>/dev/null || echo -; }
load1() { cut -d' ' -f1 /proc/loadavg; }
label() { # 10000 -> 10k, 1000000 -> 1M
    awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6;
        else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3; else printf "%d", n }'
}

rows=()
declare -A p99_of
for stage in $stages; do
    case "$stage" in
        small) sizes=("${small[@]}") ;;
        large) sizes=("${large[@]}") ;;
        *) echo "run-inbox: unknown stage $stage (small, large)" >&2; exit 2 ;;
    esac
    size=$(label "${sizes[2]}")
    seed_json=$results/inbox-$stamp-$backend-$size.json
    log "seeding $size: ${sizes[0]} contacts, ${sizes[1]} conversations, ${sizes[2]} messages (load $(load1))"
    analyze=()
    [[ "${SQLITE_ANALYZE:-0}" == 1 ]] && analyze=(--analyze)
    python3 "$bench/seed-inbox.py" --base-url "$base" --database-url "$database_url" \
        --contacts "${sizes[0]}" --conversations "${sizes[1]}" --messages "${sizes[2]}" \
        --out "$seed_json" "${analyze[@]}" 2>&1 | tee -a "$raw" >&2
    [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "run-inbox: seeding failed" >&2; exit 1; }
    lua_data=${seed_json%.json}.lua
    for s in $scenarios; do
        script=$bench/inbox-$s.lua
        [[ -f "$script" ]] || { echo "run-inbox: no scenario $script" >&2; exit 2; }
        # one client, one request at a time first: the latency without queueing
        probe=$(python3 "$bench/probe-inbox.py" "$seed_json" "$s" 2>&1 | tail -n 1 || true)
        printf '== probe %s @ %s\n%s\n' "$s" "$size" "$probe" >>"$raw"
        alone=$(sed -n 's/.*median_ms=\([^ ]*\) max_ms=\([^ ]*\).*/\1\/\2/p' <<<"$probe")
        [[ "$probe" == *cut=budget* || "$probe" == *"errors=0"* ]] || alone="$alone(err)"
        [[ "$probe" == *cut=budget* ]] && alone="$alone(cut)"
        if [[ "$warmup" != 0 ]]; then
            INBOX_BENCH_DIR=$bench INBOX_BENCH_DATA=$lua_data wrk -t"$threads" -c"$conns" \
                -d"$warmup" --timeout "$timeout" -s "$script" "$base" >/dev/null 2>&1 || true
        fi
        load=$(load1)
        log "$s @ $size: wrk (load before: $load)"
        out=$(INBOX_BENCH_DIR=$bench INBOX_BENCH_DATA=$lua_data wrk -t"$threads" -c"$conns" \
            -d"$duration" --timeout "$timeout" --latency -s "$script" "$base" 2>&1) || true
        printf '== %s @ %s (load1 before %s)\n%s\n\n' "$s" "$size" "$load" "$out" >>"$raw"
        line=$(grep '^RESULT' <<<"$out" | tail -n 1 || true)
        if [[ -z "$line" ]]; then
            rows+=("$(printf '%-14s %5s  FAILED (see %s)' "$s" "$size" "$raw")")
            continue
        fi
        get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
        if [[ "$(get requests)" == 0 ]]; then
            rows+=("$(printf '%-14s %5s %10s %9s %9s %8s %6s %17s  (no answer within the %s run)' \
                "$s" "$size" 0 - - - "$load" "${alone:--}" "$duration")")
            continue
        fi
        rows+=("$(printf '%-14s %5s %10s %9s %9s %8s %6s %17s' "$s" "$size" "$(get rps)" "$(get p50_ms)" \
            "$(get p99_ms)" "$(get errors)" "$load" "${alone:--}")")
        p99_of[$s@$size]=$(get p99_ms)
    done
    rows+=("$(printf '%-14s %5s   server RSS %s MB (peak %s MB) after this stage' '(rss)' "$size" \
        "$(rss VmRSS)" "$(rss VmHWM)")")
done

{
    echo
    echo "inbox-central on $backend, $(nproc) cores, wrk -t$threads -c$conns -d$duration --latency" \
         "(timeout $timeout, warm-up $warmup per scenario); load1 = 1-minute load average before the run;"
    echo "1-client = bench/probe-inbox.py: one request at a time, median/max ms (search: each word once)"
    printf '%-14s %5s %10s %9s %9s %8s %6s %17s\n' scenario size req/s p50_ms p99_ms errors load1 1-client_ms
    printf '%s\n' "${rows[@]}"
    sizes_run=()
    for stage in $stages; do
        case "$stage" in small) sizes_run+=("$(label "${small[2]}")") ;; large) sizes_run+=("$(label "${large[2]}")") ;; esac
    done
    if [[ ${#sizes_run[@]} -eq 2 ]]; then
        a=${sizes_run[0]} b=${sizes_run[1]}
        for s in $scenarios; do
            x=${p99_of[$s@$a]:-} y=${p99_of[$s@$b]:-}
            [[ -n "$x" && -n "$y" ]] &&
                awk -v s="$s" -v a="$a" -v b="$b" -v x="$x" -v y="$y" \
                    'BEGIN { printf "p99 growth %-14s %s -> %s: %.2fx\n", s, a, b, (x > 0 ? y / x : 0) }'
        done
    fi
    echo "raw output: $raw (seeder JSON: $results/inbox-$stamp-$backend-*.json)"
} | tee -a "$raw"
