#!/usr/bin/env bash
# Install the .deb with apt in a minimal older system and smoke-test it there: the package's
# Depends must resolve from that system's own archive and the program must run on its glibc.
#   packaging/check_deb_in_root.sh focal dist/tongdang_版本_amd64.deb     Ubuntu 20.04 (glibc 2.31,
#                                                                         the base of 银河麒麟 V10)
#   packaging/check_deb_in_root.sh bullseye dist/tongdang_版本_amd64.deb  Debian 11 (glibc 2.31)
# Needs root (debootstrap, chroot). The minimal root is kept in $TONGDANG_BUILD_CACHE
# (default ~/.cache/tongdang-build/<suite>-testroot). This machine has no Ubuntu keyring, so an
# Ubuntu root is made with --no-check-gpg: it is a throwaway test system, nothing from it ships.
set -euo pipefail
SUITE=${1:?用法：packaging/check_deb_in_root.sh focal|bullseye 安装包.deb}
DEB=$(realpath "${2:?用法：packaging/check_deb_in_root.sh focal|bullseye 安装包.deb}")
cd "$(dirname "$0")/.."
REPO=$PWD
CACHE=${TONGDANG_BUILD_CACHE:-$HOME/.cache/tongdang-build}
ROOT=$CACHE/$SUITE-testroot
case "$SUITE" in
  focal|bionic|jammy)
    MIRROR=http://archive.ubuntu.com/ubuntu COMPONENTS=main,universe
    [ -s /usr/share/keyrings/ubuntu-archive-keyring.gpg ] && CHECK=() || CHECK=(--no-check-gpg) ;;
  *) MIRROR=${TONGDANG_DEBIAN_MIRROR:-http://deb.debian.org/debian} COMPONENTS=main CHECK=() ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "需要 root（debootstrap、chroot）" >&2; exit 1; }

# shellcheck source=oldroot/mounts.sh
source packaging/oldroot/mounts.sh

if [ ! -f "$ROOT/.tongdang-ready" ]; then
  echo "正在准备测试系统 $SUITE（debootstrap）……"
  remove_root "$ROOT"
  debootstrap --variant=minbase "${CHECK[@]}" --components="$COMPONENTS" "$SUITE" "$ROOT" "$MIRROR" \
    >"$CACHE/debootstrap-$SUITE.log" 2>&1 || { tail -20 "$CACHE/debootstrap-$SUITE.log" >&2; exit 1; }
  touch "$ROOT/.tongdang-ready"
fi
mount_in "$ROOT/proc" -t proc proc
mount_in "$ROOT/dev/shm" -t tmpfs shm
mount_in "$ROOT/dev/pts" -t devpts -o newinstance,ptmxmode=0666 devpts  # apt's log
mount_in "$ROOT/src" --bind "$REPO"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
cp "$DEB" "$ROOT/tmp/tongdang.deb"
in_root() {
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}
echo "在 $SUITE（glibc $(in_root ldd --version | head -1 | grep -o '[0-9.]*$')）中安装 $(basename "$DEB")："
in_root apt-get update -qq
in_root apt-get install -y -qq --no-install-recommends /tmp/tongdang.deb poppler-utils >/dev/null
in_root dpkg -s tongdang | grep -E '^(Status|Version)'
status=0
in_root /src/packaging/smoke.sh tongdang || status=$?
in_root apt-get remove -y -qq tongdang >/dev/null
exit "$status"
