#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the .deb with CPack from an already built tree and checks it as dpkg and an admin would
# see it: control fields, contents, maintainer scripts, conffiles, the unit (systemd-analyze
# verify) and the .desktop entry (desktop-file-validate) where those tools exist; then unpacks
# it and starts the unpacked server the way the unit does, until /healthz answers.
#
#   tests/packaging/check-deb.sh BUILD_DIR VERSION WITH_DESKTOP(0|1)
# `check && pass ... || fail ...` is meant: pass only prints, so fail runs exactly when check fails.
# shellcheck disable=SC2015
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: $0 BUILD_DIR VERSION WITH_DESKTOP" >&2
    exit 2
fi
build=$1
version=$2
with_desktop=$3

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() {
    echo "ok: $*"
}

work=$(mktemp -d /tmp/inbox-deb-test.XXXXXX)
server_pid=
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- Build ---------------------------------------------------------------------------------------
start=$SECONDS
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
    tail -30 "$work/cpack.log" >&2
    echo "FAIL: cpack did not build the .deb" >&2
    exit 1
fi
shopt -s nullglob
debs=("$work"/out/*.deb)
shopt -u nullglob
if [[ ${#debs[@]} -ne 1 ]]; then
    echo "FAIL: expected one .deb in $work/out, found ${#debs[@]}" >&2
    exit 1
fi
deb=${debs[0]}
arch=$(dpkg --print-architecture)
if [[ "$(basename "$deb")" == "inbox-central_${version}-1_${arch}.deb" ]]; then
    pass "built $(basename "$deb") ($(stat -c %s "$deb") bytes) in $((SECONDS - start)) s"
else
    fail "file name $(basename "$deb"), expected inbox-central_${version}-1_${arch}.deb"
fi

# --- Control fields ------------------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[[ "$(field Package)" == inbox-central ]] && pass "Package" || fail "Package is '$(field Package)'"
[[ "$(field Version)" == "${version}-1" ]] && pass "Version ${version}-1" \
    || fail "Version is '$(field Version)', expected ${version}-1"
[[ "$(field Architecture)" == "$arch" ]] && pass "Architecture" || fail "Architecture"
[[ -n "$(field Maintainer)" ]] && pass "Maintainer" || fail "no Maintainer"
[[ "$(field Section)" == net ]] && pass "Section" || fail "Section is '$(field Section)'"
[[ -n "$(field Description)" ]] && pass "Description" || fail "no Description"

depends=$(field Depends)
# Depends as a list of package names (version constraints and alternatives dropped).
dep_names=$(tr ',|' '\n' <<<"$depends" | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | sort -u)
expected=(libc6 libqt6core6 libqt6network6 libqt6sql6 libqt6httpserver6 libqt6websockets6
          libssl3 adduser libqt6sql6-sqlite libqt6sql6-psql)
if [[ "$with_desktop" == 1 ]]; then
    expected+=(libqt6gui6 libqt6widgets6 libqt6qml6 libqt6quick6
               qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
               qml6-module-qtquick-templates qml6-module-qtquick-window
               qml6-module-qtqml-workerscript qml6-module-qtquick-dialogs libqt6svg6)
fi
missing=()
for pkg in "${expected[@]}"; do
    grep -qx -- "$pkg" <<<"$dep_names" || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    pass "Depends has the ${#expected[@]} expected packages ($(wc -l <<<"$dep_names") in all)"
else
    fail "Depends lacks ${missing[*]}: $depends"
fi

# --- Contents ------------------------------------------------------------------------------------
dpkg-deb -c "$deb" >"$work/contents"
entry() { awk -v p="$1" '$6 == p' "$work/contents"; }
expect_file() { # path [mode]
    local line
    line=$(entry "$1")
    if [[ -z "$line" ]]; then
        fail "missing $1"
    elif [[ -n "${2:-}" && "$(awk '{print $1}' <<<"$line")" != "$2" ]]; then
        fail "$1 has mode $(awk '{print $1}' <<<"$line"), expected $2"
    elif [[ "$(awk '{print $2}' <<<"$line")" != root/root ]]; then
        fail "$1 is owned by $(awk '{print $2}' <<<"$line"), expected root/root"
    else
        pass "contains $1"
    fi
}
expect_file ./usr/bin/inbox-central -rwxr-xr-x
expect_file ./usr/lib/systemd/system/inbox-central.service -rw-r--r--
expect_file ./etc/inbox-central/inbox-central.env -rw-r-----
expect_file ./usr/share/doc/inbox-central/copyright
expect_file ./usr/share/doc/inbox-central/README.md
expect_file ./usr/share/doc/inbox-central/running.md
if [[ "$with_desktop" == 1 ]]; then
    expect_file ./usr/bin/inbox-central-desktop -rwxr-xr-x
    expect_file ./usr/share/applications/inbox-central-desktop.desktop -rw-r--r--
    expect_file ./usr/share/icons/hicolor/scalable/apps/inbox-central.svg -rw-r--r--
fi
# Nothing from a developer install (headers, CMake files, /usr/local) or a stray absolute path.
stray=$(awk '{print $6}' "$work/contents" \
        | grep -Ev '^\./$|^\./(etc|usr)/$|^\./etc/inbox-central/|^\./usr/(bin|lib|share)/' || true)
stray+=$(awk '{print $6}' "$work/contents" | grep -E '^\./usr/(local|include)/|/cmake/' || true)
[[ -z "$stray" ]] && pass "no files outside /usr/{bin,lib,share} and /etc/inbox-central" \
    || fail "unexpected entries: $stray"

# --- Maintainer scripts and conffiles ------------------------------------------------------------
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
    path="$work/control/$script"
    if [[ ! -x "$path" ]]; then
        fail "no executable $script"
    elif ! sh -n "$path"; then
        fail "$script has a shell syntax error"
    else
        pass "$script present, executable, sh -n clean"
    fi
done
grep -q 'adduser .*--system' "$work/control/postinst" && grep -q 'deb-systemd-helper' \
    "$work/control/postinst" && pass "postinst creates the user and enables the unit" \
    || fail "postinst lacks adduser --system or deb-systemd-helper"
grep -q 'rm -rf /var/lib/inbox-central' "$work/control/postrm" \
    && pass "postrm deletes the data on purge" || fail "postrm does not handle purge"
if [[ "$(cat "$work/control/conffiles" 2>/dev/null)" == /etc/inbox-central/inbox-central.env ]]; then
    pass "conffiles lists the env file"
else
    fail "conffiles is '$(cat "$work/control/conffiles" 2>/dev/null)'"
fi
[[ -s "$work/control/md5sums" ]] && pass "md5sums" || fail "no md5sums"

# --- Unpacked: the files themselves --------------------------------------------------------------
root="$work/root"
dpkg-deb -x "$deb" "$root"
unit="$root/usr/lib/systemd/system/inbox-central.service"
binaries=(inbox-central)
[[ "$with_desktop" == 1 ]] && binaries+=(inbox-central-desktop)
for bin in "${binaries[@]}"; do
    if file -L "$root/usr/bin/$bin" | grep -q ', stripped'; then
        pass "$bin is stripped"
    else
        fail "$bin is not stripped: $(file -L "$root/usr/bin/$bin")"
    fi
done
if command -v systemd-analyze >/dev/null 2>&1; then
    # verify also checks that ExecStart's binary exists: a copy pointing into the unpacked root.
    mkdir "$work/unit"
    sed "s#^ExecStart=/usr/bin/#ExecStart=$root/usr/bin/#" "$unit" >"$work/unit/inbox-central.service"
    # It exits 0 even for unknown keys or bad values, but then prints them: no output = clean.
    if systemd-analyze verify "$work/unit/inbox-central.service" >"$work/verify.log" 2>&1 \
            && [[ ! -s "$work/verify.log" ]]; then
        pass "systemd-analyze verify: clean"
    else
        fail "systemd-analyze verify: $(cat "$work/verify.log")"
    fi
    # The hardening, as systemd scores it (0 = locked down, 10 = exposed; below 3 is "OK").
    exposure=$(systemd-analyze security --offline=true "$work/unit/inbox-central.service" 2>&1 \
               | sed -n 's/.*Overall exposure level for inbox-central.service: \([0-9.]*\).*/\1/p')
    if [[ -z "$exposure" ]]; then
        echo "skip: systemd-analyze security --offline gave no score"
    elif awk -v e="$exposure" 'BEGIN { exit !(e < 3.0) }'; then
        pass "systemd-analyze security: exposure $exposure"
    else
        fail "systemd-analyze security: exposure $exposure (hardening lost?)"
    fi
else
    echo "skip: systemd-analyze not installed"
fi
if [[ "$with_desktop" == 1 ]]; then
    desktop="$root/usr/share/applications/inbox-central-desktop.desktop"
    grep -qx 'Exec=inbox-central-desktop' "$desktop" && grep -qx 'Icon=inbox-central' "$desktop" \
        && pass ".desktop runs inbox-central-desktop with the inbox-central icon" \
        || fail ".desktop Exec/Icon"
    if command -v desktop-file-validate >/dev/null 2>&1; then
        # Hints (e.g. two main categories) are allowed, errors and warnings are not.
        out=$(desktop-file-validate "$desktop" 2>&1) && ! grep -Eq 'error:|warning:' <<<"$out" \
            && pass "desktop-file-validate" || fail "desktop-file-validate: $out"
    else
        echo "skip: desktop-file-validate not installed"
    fi
fi

# --- Unpacked: the server started as the unit starts it ------------------------------------------
# The unit's Environment= lines and its ExecStart, with /var/lib/inbox-central and /usr moved
# into the unpacked root; then the shipped env file (all comments: it must change nothing).
state="$root/var/lib/inbox-central"
mkdir -p "$state"
chmod 0750 "$state"
unit_env=()
while IFS= read -r line; do
    unit_env+=("${line//\/var\/lib\/inbox-central/$state}")
done < <(sed -n 's/^Environment=//p' "$unit")
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
read -r -a cmd <<<"$exec_start"
[[ "${cmd[0]}" == /usr/bin/inbox-central ]] || fail "ExecStart is '$exec_start'"
cmd[0]="$root${cmd[0]}"
env_file="$root/etc/inbox-central/inbox-central.env"
if grep -Evq '^[[:space:]]*(#|$)' "$env_file"; then
    fail "the shipped env file sets something: $(grep -Ev '^[[:space:]]*(#|$)' "$env_file")"
fi

version_out=$(env -i PATH=/usr/bin:/bin "${cmd[0]}" --version 2>&1 || true)
grep -q -- "$version" <<<"$version_out" && pass "inbox-central --version: $version_out" \
    || fail "inbox-central --version said '$version_out'"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
healthz() { # port -> prints the response body
    local response
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    response=$(timeout 5 cat <&3) || true
    exec 3<&-
    [[ "$response" == "HTTP/1.1 200"* || "$response" == "HTTP/1.0 200"* ]] || return 1
    printf '%s' "${response#*$'\r\n\r\n'}"
}

body=
for attempt in 1 2 3; do
    port=$((20000 + RANDOM % 20000))
    port_in_use "$port" && continue
    # shellcheck disable=SC2016 # $1 and $@ belong to the inner shell
    env -i PATH=/usr/bin:/bin HOME="$state" "${unit_env[@]}" HOST=127.0.0.1 PORT="$port" \
        bash -c 'set -a; . "$1"; shift; exec "$@"' - "$env_file" "${cmd[@]}" \
        >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        if body=$(healthz "$port" 2>/dev/null); then
            break 2
        fi
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "server did not answer on port $port (attempt $attempt); log:" >&2
    tail -5 "$work/server.log" >&2
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
done
if [[ -n "$server_pid" && "$(tr -d ' \n' <<<"$body")" == '{"status":"ok"}' ]]; then
    pass "unpacked server answers /healthz with $body"
else
    fail "no {\"status\":\"ok\"} from /healthz (got '$body')"
fi
if [[ -n "$server_pid" ]]; then
    # The unit's DATA_DIR / DATABASE_URL were used: the database and the generated key are there.
    [[ -s "$state/inbox-central.db" ]] && pass "SQLite database in the unit's data folder" \
        || fail "no $state/inbox-central.db"
    [[ "$(stat -c %a "$state/jwt-secret" 2>/dev/null)" == 600 ]] \
        && pass "generated JWT key there, mode 600" || fail "no owner-only $state/jwt-secret"
    # The unit stops it with SIGTERM: a clean stop exits 0.
    kill -TERM "$server_pid"
    status=0
    for _ in $(seq 1 150); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
        fail "server still running 15 s after SIGTERM"
    else
        wait "$server_pid" || status=$?
        server_pid=
        [[ $status -eq 0 ]] && pass "SIGTERM: clean exit 0" || fail "SIGTERM: exit $status"
    fi
fi

echo "checked in $((SECONDS - start)) s: $failures failure(s)"
[[ $failures -eq 0 ]]
