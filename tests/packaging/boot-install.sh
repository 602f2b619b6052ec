#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# On demand (not in the suite: it downloads a Debian root, ~2 minutes): installs the .deb on a
# fresh Debian 12 with apt, boots that root with systemd as PID 1 in a container, and checks
# that the enabled unit started, serves /healthz as its own user, and stops cleanly.
#
#   tests/packaging/boot-install.sh build/inbox-central_*.deb
# Needs root, debootstrap and systemd-container (systemd-nspawn); the container shares the
# host's network, so port 5000 must be free.
set -euo pipefail
deb=$(realpath "${1:?usage: $0 path/to/inbox-central_*.deb}")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d /tmp/inbox-boot-install.XXXXXX)
chmod 755 "$root" # it becomes the container's /: mktemp's 0700 would lock out every other user
machine=inbox-boot-$$
cleanup() {
    pid=$(pgrep -f "systemd-nspawn -D $root" | head -1 || true)
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && sleep 2
    rm -rf "$root"
}
trap cleanup EXIT

echo "boot-install: debootstrap bookworm into $root"
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,curl bookworm "$root" "$mirror" >/dev/null
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
cp "$deb" "$root/root/"
echo "boot-install: apt-get install ./$(basename "$deb")"
chroot "$root" bash -c "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q /root/$(basename "$deb") >/dev/null"

echo "boot-install: booting with systemd"
# --register=no --keep-unit: the host need not run systemd itself.
systemd-nspawn -D "$root" --boot --register=no --keep-unit --machine="$machine" \
    >"$root.console.log" 2>&1 &
in_container() {
    local init
    init=$(pgrep -P "$(pgrep -f "systemd-nspawn -D $root" | head -1)" | head -1)
    nsenter -t "$init" -m -u -i -p -n "$@"
}
for _ in $(seq 60); do
    state=$(in_container systemctl show inbox-central -p ActiveState --value 2>/dev/null || true)
    [[ "$state" == active ]] && break
    sleep 1
done
[[ "$state" == active ]] || { echo "boot-install: unit not active ($state)"; tail -30 "$root.console.log"; exit 1; }
[[ $(in_container systemctl show inbox-central -p User --value) == inbox-central ]]
health=""
for _ in $(seq 20); do
    health=$(in_container curl -s -m 2 http://127.0.0.1:5000/healthz || true)
    [[ "$health" == '{"status":"ok"}' ]] && break
    sleep 0.5
done
if [[ "$health" != '{"status":"ok"}' ]]; then
    echo "boot-install: /healthz said '$health'"
    in_container journalctl -u inbox-central --no-pager | tail -20
    exit 1
fi
in_container systemctl stop inbox-central
[[ $(in_container systemctl show inbox-central -p Result --value) == success ]]
[[ -s "$root/var/lib/inbox-central/inbox-central.db" ]]
in_container systemctl poweroff || true
rm -f "$root.console.log"
echo "boot-install: OK (installed with apt, started by systemd as inbox-central, /healthz ok, clean stop)"
