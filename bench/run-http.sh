#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# HTTP throughput and latency of inbox-central next to nginx serving the same trivial JSON, on
# this machine, over loopback. Run on demand (not part of the test suite); see bench/README.md.
#
#   bench/run-http.sh             wrk -t2 -c100 -d10s per target
#   DURATION=30s CONNECTIONS=50 THREADS=2 bench/run-http.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=${INBOX_BUILD_DIR:-$root/build}
bin=$build/app/inbox-central
duration=${DURATION:-10s}
connections=${CONNECTIONS:-100}
threads=${THREADS:-2}

bash "$root/scripts/install-deps.sh" --bench
bash "$root/scripts/build.sh" >/dev/null # incremental: a no-op when up to date

work=$(mktemp -d /tmp/inbox-bench.XXXXXX)
server_pid=
nginx_pid=
cleanup() {
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
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
    echo "run-http: no free port found" >&2
    exit 1
}

wait_for() { # URL LOGFILE
    for _ in $(seq 1 200); do
        if curl -fsS -o /dev/null "$1" 2>/dev/null; then
            return
        fi
        sleep 0.1
    done
    echo "run-http: $1 did not answer; log:" >&2
    cat "$2" >&2
    exit 1
}

# --- inbox-central on SQLite, production-like bcrypt cost, no access log
port=$(free_port)
base=http://127.0.0.1:$port
DATABASE_URL="sqlite://$work/inbox.db" DATA_DIR="$work/data" \
    JWT_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') BCRYPT_COST=10 ACCESS_LOG=0 \
    "$bin" serve --port "$port" --host 127.0.0.1 >"$work/server.log" 2>&1 &
server_pid=$!
wait_for "$base/healthz" "$work/server.log"

signup=$(curl -fsS -X POST -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-1234","name":"Bench"}' \
    "$base/api/v1/auth/signup") || { echo "run-http: signup failed" >&2; exit 1; }
token=$(printf '%s' "$signup" | grep -o '"accessToken" *: *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
if [[ -z "$token" ]]; then
    echo "run-http: no accessToken in the signup answer: $signup" >&2
    exit 1
fi
export INBOX_BENCH_TOKEN=$token
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/auth/me" ||
    { echo "run-http: GET /api/v1/auth/me with the new token failed" >&2; exit 1; }

# --- nginx serving the same JSON as our /healthz, as the reference point
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
    }
}
CONF
nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" \
    -g 'daemon off;' >"$work/nginx/stdout.log" 2>&1 &
nginx_pid=$!
wait_for "http://127.0.0.1:$nginx_port/" "$work/nginx/error.log"

# --- wrk, one target after the other
to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}

results=$root/bench/results
mkdir -p "$results"
stamp=$(date +%Y%m%d-%H%M%S)
raw=$results/http-$stamp.txt
: >"$raw"

declare -A rps p50 p99 errors
names=("nginx /" "inbox /healthz" "inbox /api/v1/auth/me")
urls=("http://127.0.0.1:$nginx_port/" "$base/healthz" "$base/api/v1/auth/me")
scripts=("" "" "$root/bench/auth-me.lua")
for i in "${!names[@]}"; do
    name=${names[$i]}
    echo "run-http: wrk -t$threads -c$connections -d$duration --latency ${urls[$i]}" >&2
    args=(-t"$threads" -c"$connections" -d"$duration" --latency)
    [[ -n "${scripts[$i]}" ]] && args+=(-s "${scripts[$i]}")
    out=$(wrk "${args[@]}" "${urls[$i]}")
    printf '== %s\n%s\n\n' "$name" "$out" >>"$raw"
    rps[$name]=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50[$name]=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99[$name]=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    errors[$name]=$(awk '/Non-2xx or 3xx responses:/ {n += $NF}
        /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")
done

{
    echo
    echo "wrk -t$threads -c$connections -d$duration over loopback on $(nproc) cores" \
         "(inbox-central on SQLite, BCRYPT_COST=10, ACCESS_LOG=0)"
    printf '%-24s %12s %10s %10s %8s\n' target req/s p50_ms p99_ms errors
    for name in "${names[@]}"; do
        printf '%-24s %12s %10s %10s %8s\n' "$name" "${rps[$name]}" "${p50[$name]}" \
            "${p99[$name]}" "${errors[$name]}"
    done
    awk -v a="${rps[inbox /healthz]}" -v b="${rps[nginx /]}" \
        'BEGIN { printf "inbox /healthz vs nginx: %.2fx the requests per second\n", (b > 0 ? a / b : 0) }'
    echo "raw wrk output: $raw"
} | tee -a "$raw"
