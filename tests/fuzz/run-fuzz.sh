#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the packet-parser fuzz target with clang's libFuzzer (+ASan/UBSan) and runs it on the
# committed corpus for a short time (the test suite), or longer on demand:
#   tests/fuzz/run-fuzz.sh [seconds] [work-dir]      e.g. tests/fuzz/run-fuzz.sh 600
# The parsers are compiled into the target from source so the fuzzer sees their coverage.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
seconds=${1:-20}
work=${2:-$(mktemp -d)}
mkdir -p "$work/corpus"
cp -n "$here"/corpus/* "$work/corpus/" 2>/dev/null || true

clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -fPIC -DQT_NO_CAST_FROM_ASCII -DQT_NO_KEYWORDS \
    -I"$root/server" $(pkg-config --cflags Qt6Core) \
    "$here/fuzz_packets.cpp" "$root/server/realtime/engineiopacket.cpp" \
    "$root/server/realtime/socketiopacket.cpp" "$root/server/core/apierror.cpp" \
    $(pkg-config --libs Qt6Core) -o "$work/fuzz_packets"

# New inputs go to the work dir's corpus; the committed corpus stays as it is.
"$work/fuzz_packets" -max_total_time="$seconds" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
    -print_final_stats=1 "$work/corpus"
echo "fuzz: ${seconds}s without a crash"
