#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Side by side with the original's stack, in one sitting, on one PostgreSQL cluster: the Node
# reference server of ../shared/seed-stack and inbox-central, each seeded with the same data shape
# (1,000 contacts x 20 messages), each measured with the seed-stack's own bench/run-all.sh
# scenarios through the original's routes: `threads` (GET /api/inbox/threads), `thread`
# (GET /api/messages/thread/:contactId), `send` (POST /api/messages/send, to a fake Twilio),
# `webhook` (pre-signed inbound SMS at POST /api/webhooks/twilio) and `fanout` (Socket.IO
# clients receiving the webhooks' message.new). inbox-central runs once per database in
# INBOX_DBS. Run on demand (not part of the test suite); see bench/README.md.
#
#   bench/run-vs-seedstack.sh
#   SCENARIOS="send webhook" INBOX_DBS="postgresql sqlite" bench/run-vs-seedstack.sh
#
# Env: SCENARIOS="threads thread" (any of threads thread send webhook fanout login),
#      INBOX_DBS=postgresql (and/or sqlite: a SQLite file in the run's temporary folder),
#      DURATION=10s THREADS=2 CONNS=32 (wrk, as run-all.sh), WARMUP=3s (an unrecorded pass per
#      scenario on both servers: a cold Node process needs a few seconds of JIT),
#      QUIET_BG=25 QUIET_TIMEOUT=60 (run-all.sh waits up to that long before each scenario for the
#      machine's other load to drop under QUIET_BG %; its other% column shows what remained),
#      SEED_STACK_SRC=<repo>/../shared/seed-stack, SKIP_DEPS=1, SKIP_BUILD=1, INBOX_BUILD_DIR.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
bench=$root/bench
build=${INBOX_BUILD_DIR:-$root/build}
bin=$build/app/inbox-central
src=${SEED_STACK_SRC:-$root/../shared/seed-stack}
scenarios=${SCENARIOS:-threads thread}
inbox_dbs=${INBOX_DBS:-postgresql}
# Every webhook body is used once: enough for the longest run at well over 10,000 per second.
webhook_bodies=100
case " $scenarios " in *" webhook "* | *" fanout "*) webhook_bodies=${WEBHOOK_BODIES:-250000} ;; esac
export DURATION=${DURATION:-10s} THREADS=${THREADS:-2} CONNS=${CONNS:-32} WARMUP=${WARMUP:-3s}
export QUIET_BG=${QUIET_BG:-25} QUIET_TIMEOUT=${QUIET_TIMEOUT:-60}

[[ -f "$src/bench/run-all.sh" ]] || { echo "run-vs-seedstack: no seed-stack at $src" >&2; exit 1; }
if [[ "${SKIP_DEPS:-0}" != 1 ]]; then
    bash "$root/scripts/install-deps.sh" --bench
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cmake --build "$build" -j"$(nproc)" --target inbox-central >/dev/null ||
        { echo "run-vs-seedstack: the build failed (SKIP_BUILD=1 runs the binary as it is)" >&2; exit 1; }
fi
[[ -x "$bin" ]] || { echo "run-vs-seedstack: no server binary at $bin" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [[ "$node_major" -lt 20 ]]; then
    echo "run-vs-seedstack: the seed-stack needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))" >&2
    exit 1
fi
for tool in npm wrk psql curl; do
    command -v "$tool" >/dev/null || { echo "run-vs-seedstack: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d /tmp/inbox-vs-seedstack.XXXXXX)
ss=$work/seed-stack
# The cluster's directory must be reachable by the postgres OS user: not inside $work (0700).
pgdata=/tmp/inbox-vs-seedstack-pg.${work##*.}
our_pid=
started_stack=
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
    if [[ -n "$our_pid" ]]; then
        stop_pid "$our_pid"
    fi
    if [[ -n "$started_stack" ]]; then
        (cd "$ss" && ss_env ./stop.sh >/dev/null 2>&1) || true
    fi
    if [[ -f "$pgdata/postmaster.pid" ]]; then # start.sh died before recording its pid
        local pg_bin=/usr/lib/postgresql/15/bin
        if [[ $(id -u) -eq 0 ]]; then
            runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
        else
            "$pg_bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
        fi
    fi
    case "$pgdata" in /tmp/inbox-vs-seedstack-pg.*) rm -rf "$pgdata" ;; esac
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 10000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ " ${taken:-} " != *" $port "* ]]; then
            taken="${taken:-} $port"
            echo "$port"
            return
        fi
    done
    echo "run-vs-seedstack: no free port found" >&2
    exit 1
}
node_port=$(free_port)
taken=" $node_port"
twilio_port=$(free_port)
taken="$taken $twilio_port"
pg_port=$(free_port)
taken="$taken $pg_port"
our_port=$(free_port)

# The seed-stack reads its settings from the environment (config.sh): ours must not leak in.
ss_env() {
    env -u DATABASE_URL -u JWT_SECRET -u DATA_DIR -u BENCH_WORK -u OUT_DIR -u SERVER_PID \
        PORT="$node_port" FAKE_TWILIO_PORT="$twilio_port" PGPORT="$pg_port" PGDATA="$pgdata" \
        PGDATABASE=seedstack "$@"
}

results=$bench/results
stamp=$(date +%Y%m%d-%H%M%S)
out=$results/vs-seedstack-$stamp
mkdir -p "$out"
report=$out/report.txt
log() { echo "run-vs-seedstack: $*" | tee -a "$report" >&2; }
rss_of() { awk -v k="$2" '$1 == k":" { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo -; }

# --- 1. the seed-stack: a copy (the shared folder is read-only), its PostgreSQL, npm ci, seed, server
cp -r "$src" "$ss"
rm -rf "$ss/node_modules" "$ss/.run" "$ss/bench/.work" "$ss/bench/results"
chmod -R u+w "$ss"
log "binary $bin built $(date -u -r "$bin" +%FT%TZ); git HEAD $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo -)," \
    "$(git -C "$root" status --porcelain 2>/dev/null | grep -c . || true) files changed or new in the work tree"
log "seed-stack copy in $ss; ports: node $node_port, fake twilio $twilio_port, postgres $pg_port, inbox-central $our_port"
log "load before start: $(cut -d' ' -f1-3 /proc/loadavg)"
started_stack=1
(cd "$ss" && ss_env ./start.sh) 2>&1 | tee -a "$report" >&2
[[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "run-vs-seedstack: seed-stack start.sh failed" >&2; exit 1; }
node_pid=$(cat "$ss/.run/server.pid")
# shellcheck disable=SC2016 # expanded by the inner bash, after config.sh
bench_email=$(cd "$ss" && ss_env bash -c 'source ./config.sh && printf %s "$BENCH_EMAIL"')
# shellcheck disable=SC2016
bench_password=$(cd "$ss" && ss_env bash -c 'source ./config.sh && printf %s "$BENCH_PASSWORD"')

# --- 2. the Node server under its own scenarios
log "Node: run-all.sh $scenarios (load before: $(cut -d' ' -f1 /proc/loadavg))"
(cd "$ss" && ss_env SCENARIOS="$scenarios" WEBHOOK_BODIES="$webhook_bodies" OUT_DIR="$out/node" \
    bench/run-all.sh "http://127.0.0.1:$node_port" "$node_pid") 2>&1 | tee "$out/node.txt" | tee -a "$report" >&2
node_rss=$(rss_of "$node_pid" VmRSS)
node_hwm=$(rss_of "$node_pid" VmHWM)
node_load=$(cut -d' ' -f1 /proc/loadavg)
(cd "$ss" && ss_env ./stop.sh --keep-pg) 2>&1 | tee -a "$report" >&2

# --- 3./4. inbox-central, once per database: a fresh database, the bench user as its first admin,
# the same data shape, the SMS inbox on the seed-stack's Twilio number and credentials (the
# webhook bodies are signed for them), the seed-stack's fake Twilio for sends.
# shellcheck disable=SC2016 # expanded by the inner bash, after config.sh
twilio_spec=$(cd "$ss" && ss_env bash -c 'source ./config.sh && printf %s "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN:$TWILIO_FROM"')
# shellcheck disable=SC2016
webhook_url=$(cd "$ss" && ss_env bash -c 'source ./config.sh && printf %s "$TWILIO_WEBHOOK_URL"')
public_url=${webhook_url%/api/webhooks/twilio}
pg_admin=postgresql://postgres@127.0.0.1:$pg_port/postgres
fake_pid=
declare -A our_rss our_hwm our_load
for db in $inbox_dbs; do
    # exec: the recorded pid is the fake's own (run-all.sh reports its CPU as twl%).
    (cd "$ss" && exec env -u DATABASE_URL -u JWT_SECRET FAKE_TWILIO_PORT="$twilio_port" node fake-twilio.js \
        >"$work/fake-twilio-$db.log" 2>&1) &
    echo $! >"$ss/.run/fake-twilio.pid"
    fake_pid=$(cat "$ss/.run/fake-twilio.pid")
    data_dir=$work/data-$db
    mkdir -p "$data_dir"
    if [[ $db == sqlite ]]; then
        database_url=sqlite://$data_dir/inbox.db
    else
        psql -X -q -d "$pg_admin" -c "CREATE DATABASE inbox_central" >/dev/null
        database_url=postgresql://postgres@127.0.0.1:$pg_port/inbox_central
    fi
    our_env=(env DATABASE_URL="$database_url" DATA_DIR="$data_dir" BCRYPT_COST=10 ACCESS_LOG=0
        PUBLIC_URL="$public_url" TWILIO_API_BASE="http://127.0.0.1:$twilio_port"
        JWT_SECRET="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')")
    "${our_env[@]}" "$bin" migrate >>"$report" 2>&1
    printf '%s' "$bench_password" |
        "${our_env[@]}" "$bin" user create --email "$bench_email" --name "Bench User" --password-stdin \
        >>"$report" 2>&1 || { echo "run-vs-seedstack: user create failed; see $report" >&2; exit 1; }
    "${our_env[@]}" "$bin" serve --port "$our_port" --host 127.0.0.1 >"$work/server-$db.log" 2>&1 &
    our_pid=$!
    for _ in $(seq 1 300); do
        curl -fsS -o /dev/null "http://127.0.0.1:$our_port/readyz" 2>/dev/null && break
        kill -0 "$our_pid" 2>/dev/null || break
        sleep 0.1
    done
    curl -fsS -o /dev/null "http://127.0.0.1:$our_port/readyz" ||
        { echo "run-vs-seedstack: inbox-central did not become ready; log:" >&2; cat "$work/server-$db.log" >&2; exit 1; }
    python3 "$bench/seed-inbox.py" --shape seedstack --base-url "http://127.0.0.1:$our_port" \
        --database-url "$database_url" --email "$bench_email" --password "$bench_password" \
        --twilio "$twilio_spec" --out "$out/inbox-seed-$db.json" 2>&1 | tee -a "$report" >&2
    [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "run-vs-seedstack: seeding inbox-central failed" >&2; exit 1; }

    log "inbox-central on $db: run-all.sh $scenarios (load before: $(cut -d' ' -f1 /proc/loadavg))"
    (cd "$ss" && ss_env SCENARIOS="$scenarios" WEBHOOK_BODIES="$webhook_bodies" OUT_DIR="$out/inbox-$db" \
        BENCH_WORK="$work/inbox-work-$db" bench/run-all.sh "http://127.0.0.1:$our_port" "$our_pid") 2>&1 |
        tee "$out/inbox-$db.txt" | tee -a "$report" >&2
    our_rss[$db]=$(rss_of "$our_pid" VmRSS)
    our_hwm[$db]=$(rss_of "$our_pid" VmHWM)
    our_load[$db]=$(cut -d' ' -f1 /proc/loadavg)
    stop_pid "$our_pid"
    our_pid=
    stop_pid "$fake_pid"
done

# --- 5. the tables side by side, one per database of ours
field() { # file scenario column(1-based) -> value from run-all.sh's table
    awk -v s="$2" -v c="$3" '$1 == s && NF >= 12 && $2 ~ /^[0-9.]+$/ { v = $c } END { print (v == "" ? "-" : v) }' "$1"
}
# The target ratio of req/s per scenario (issues 4 and 6); fanout has its own targets (issue 5).
target_of() { case $1 in threads | thread) echo 5 ;; send | webhook) echo 3 ;; *) echo 0 ;; esac; }
{
    for db in $inbox_dbs; do
        ours=$out/inbox-$db.txt
        echo
        echo "Node seed-stack on PostgreSQL vs inbox-central on $db; same data shape (1,000 contacts x 20 messages)," \
             "wrk -t$THREADS -c$CONNS -d$DURATION, warm-up $WARMUP; $(nproc) cores"
        printf '%-8s | %-44s | %-44s | %8s %10s\n' "" "Node seed-stack (Express + pg)" "inbox-central (C++/Qt, $db)" "req/s" "p99"
        printf '%-8s | %8s %8s %8s %6s %10s | %8s %8s %8s %6s %10s | %8s %10s\n' scenario req/s p50_ms p99_ms errors srv_us/req \
            req/s p50_ms p99_ms errors srv_us/req ours/node ours/node
        for s in $scenarios; do
            nr=$(field "$out/node.txt" "$s" 2) np50=$(field "$out/node.txt" "$s" 3) np99=$(field "$out/node.txt" "$s" 4)
            ne=$(field "$out/node.txt" "$s" 5) nus=$(field "$out/node.txt" "$s" 11)
            ir=$(field "$ours" "$s" 2) ip50=$(field "$ours" "$s" 3) ip99=$(field "$ours" "$s" 4)
            ie=$(field "$ours" "$s" 5) ius=$(field "$ours" "$s" 11)
            ratio=$(awk -v a="$ir" -v b="$nr" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2fx", a / b; else print "-" }')
            p99r=$(awk -v a="$ip99" -v b="$np99" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2fx", a / b; else print "-" }')
            printf '%-8s | %8s %8s %8s %6s %10s | %8s %8s %8s %6s %10s | %8s %10s\n' "$s" "$nr" "$np50" "$np99" "$ne" "$nus" \
                "$ir" "$ip50" "$ip99" "$ie" "$ius" "$ratio" "$p99r"
        done
        echo "server RSS: Node ${node_rss} MB (peak ${node_hwm} MB), inbox-central ${our_rss[$db]} MB (peak ${our_hwm[$db]} MB)" \
             "= $(awk -v a="${our_hwm[$db]}" -v b="$node_hwm" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }') of Node's peak;" \
             "load1 after: Node $node_load, inbox-central ${our_load[$db]}"
        echo "targets: threads/thread >= 5x Node's req/s with lower p99 (issue 4); send/webhook >= 3x, webhook p99 < 10 ms (issue 6)"
        for s in $scenarios; do
            want=$(target_of "$s")
            [[ $want == 0 ]] && continue
            awk -v s="$s" -v want="$want" -v nr="$(field "$out/node.txt" "$s" 2)" -v ir="$(field "$ours" "$s" 2)" \
                -v np="$(field "$out/node.txt" "$s" 4)" -v ip="$(field "$ours" "$s" 4)" 'BEGIN {
                    if (nr + 0 <= 0 || ir + 0 <= 0) { printf "  %-8s no numbers\n", s; exit }
                    printf "  %-8s req/s %.2fx (%s), p99 %s ms vs %s ms%s\n", s, ir / nr, (ir >= want * nr ? "met" : "NOT met"),
                        ip, np, (s == "webhook" ? (ip + 0 < 10 ? " (< 10 ms: met)" : " (< 10 ms: NOT met)") : "") }'
        done
    done
    echo "raw: $out (node.txt, inbox-<db>.txt, run-all.sh logs in node/ and inbox-<db>/, report.txt)"
} | tee -a "$report"
