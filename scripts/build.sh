#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configures and builds into ./build (or $INBOX_BUILD_DIR): RelWithDebInfo, all cores.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=${INBOX_BUILD_DIR:-$root/build}

# Ninja, not Make: with Make, Qt 6.4's QML module rules (moc --collect-json, type registration,
# qmlcache) rerun on every build, so a no-op build relinked the desktop targets (and cpack in the
# .deb test rebuilt them while other tests ran). A build folder made with another generator is
# reconfigured (its cache only; the objects are rebuilt once).
generator=Ninja
if [[ -f "$build/CMakeCache.txt" ]] \
    && ! grep -qx "CMAKE_GENERATOR:INTERNAL=$generator" "$build/CMakeCache.txt"; then
    echo "build: $build was configured with another generator; reconfiguring it for $generator"
    rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
fi
cmake -S "$root" -B "$build" -G "$generator" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)"
