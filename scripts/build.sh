#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configures and builds into ./build (or $INBOX_BUILD_DIR): RelWithDebInfo, all cores.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=${INBOX_BUILD_DIR:-$root/build}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)"
