#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building (and with --test, testing; with --bench, benchmarking) needs on Debian 12.
# Idempotent: when every package is already installed it touches neither apt nor the network.
#
#   scripts/install-deps.sh            build: compiler, CMake, Qt 6.4 (+ Quick, Linguist), prometheus-cpp,
#                                      OpenSSL, QtKeychain
#   scripts/install-deps.sh --test     + PostgreSQL, nginx, Node.js/npm, and `npm ci` for tests/node
#   scripts/install-deps.sh --bench    + wrk, nginx-light, curl for bench/
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

with_test=
with_bench=
for arg in "$@"; do
    case "$arg" in
        --test) with_test=1 ;;
        --bench) with_bench=1 ;;
        *) echo "usage: $0 [--test] [--bench]" >&2; exit 2 ;;
    esac
done

packages=(build-essential cmake ninja-build pkg-config qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
          libqt6sql6-sqlite libqt6sql6-psql prometheus-cpp-dev libssl-dev libcrypt-dev
          libphonenumber-dev libcsv-dev
          # The desktop app: Qt Quick (with the QML modules it imports at run time), QtKeychain,
          # Qt Linguist's tools for the translations.
          qt6-declarative-dev qml6-module-qtquick qml6-module-qtquick-controls
          qml6-module-qtquick-layouts qml6-module-qtquick-templates qml6-module-qtquick-window
          qml6-module-qtqml-workerscript qml6-module-qtquick-dialogs qtkeychain-qt6-dev
          qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
          # Qt's SVG image and icon plugins: the tray and window icon is resources/icons/*.svg.
          libqt6svg6
          ca-certificates)
if [[ -n "$with_test" ]]; then
    packages+=(postgresql clang-14 libclang-rt-14-dev nginx-light
               # Qt Quick Test, the desktop app under a virtual X server, the .deb's own check.
               qml6-module-qttest xvfb xauth dpkg-dev file
               desktop-file-utils
               # A private D-Bus session bus for the keychain-fallback test.
               dbus-daemon
               # The import test reads its SQLite target with the sqlite3 shell.
               sqlite3)
    # Only Debian's Node when there is none: a newer node from elsewhere bundles its own npm,
    # and Debian's npm package would conflict with it.
    if ! command -v node >/dev/null 2>&1; then
        packages+=(nodejs npm)
    fi
fi
if [[ -n "$with_bench" ]]; then
    packages+=(wrk nginx-light curl postgresql python3)
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != installed ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
    echo "install-deps: installing ${missing[*]}"
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "install-deps: missing packages (${missing[*]}) and not root; install them as root" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Always refresh the lists before installing: a bare image has none, an old one may be stale.
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [[ -n "$with_test" ]]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "install-deps: 'node' is installed but 'npm' is not; install npm for that node" >&2
        exit 1
    fi
    # `npm ci` wipes node_modules and reinstalls: skip it while the lockfile has not changed.
    stamp="$root/node_modules/.inbox-lock-sha256"
    lock_sha=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)
    if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$lock_sha" ]]; then
        (cd "$root" && npm ci --no-audit --no-fund)
        echo "$lock_sha" >"$stamp"
    fi
fi
