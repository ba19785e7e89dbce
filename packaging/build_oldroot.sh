#!/usr/bin/env bash
# Build the one-folder program dist/tongdang/ inside an older Debian, so that it runs on older
# systems: the build machine's glibc is the lowest the program accepts. The root is Debian 11
# (bullseye, glibc 2.31, from deb.debian.org) with Python 3.11 and SQLite compiled from Debian's
# source tarballs, every C file bound to glibc 2.28's symbol versions (oldroot/glibc-2.28.h),
# and PySide6 pinned to manylinux_2_28 wheels (oldroot/constraints.txt). The bundle then needs
# glibc >= 2.28: 统信UOS 20 (2.28), 银河麒麟 V10 and Ubuntu 20.04 (2.31), Debian 10 and later.
#   packaging/build_oldroot.sh          build dist/tongdang/ (needs root: debootstrap, chroot)
#   packaging/build_oldroot.sh smoke    run packaging/smoke.sh on dist/tongdang inside the old system
# The root (6–10 minutes to make on 2 cores; 2 GB with the build environment) and the finished
# bundles (keyed as in build_bundle.sh) are kept in $TONGDANG_BUILD_CACHE (default
# ~/.cache/tongdang-build).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
CACHE=${TONGDANG_BUILD_CACHE:-$HOME/.cache/tongdang-build}
MIRROR=${TONGDANG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bullseye
ROOT=$CACHE/$SUITE-root
# Bump when the root's recipe changes (packages, sources, the compat header): the root is remade.
RECIPE="2 $(cat packaging/oldroot/glibc-2.28.h packaging/oldroot/inside.sh | sha256sum | cut -c1-16)"
SOURCES=(
  "pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
  # Debian 12's patches to it; the security and crash fixes among them are applied (inside.sh)
  "pool/main/p/python3.11/python3.11_3.11.2-6+deb12u8.debian.tar.xz ece2d63c70ac0b7a401fbe6b51b0103be997c294a01a3865549be1862794ba97"
  "pool/main/s/sqlite3/sqlite3_3.34.1.orig.tar.xz 082f583440c662cb484ae1c124ffe285b587bbb7837e095e693026e6df50334d"
)
PACKAGES=(
  # to compile SQLite (tcl makes its amalgamation) and Python
  build-essential tcl libssl-dev zlib1g-dev libffi-dev libbz2-dev liblzma-dev uuid-dev
  xz-utils ca-certificates binutils file
  # to run the smoke test in the old system (Qt offscreen, pdffonts/pdftotext)
  poppler-utils libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0
  libdbus-1-3 libcups2 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
  libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
)

[ "$(id -u)" -eq 0 ] || { echo "在旧系统中打包需要 root（debootstrap、chroot）" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "缺少 debootstrap（apt-get install debootstrap）" >&2; exit 1; }

# shellcheck source=oldroot/mounts.sh
source packaging/oldroot/mounts.sh
enter() {  # enter 根目录 命令…: run in the root with a clean environment
  local root=$1; shift
  mount_in "$root/proc" -t proc proc
  mount_in "$root/dev/shm" -t tmpfs shm  # Python's multiprocessing (spot-check PDFs)
  mount_in "$root/src" --bind "$REPO"
  mount_in "$root/sources" --bind "$CACHE/sources"
  mount_in "$root/bundle-cache" --bind "$CACHE/$SUITE-bundles"
  # This machine's certificate authorities (a proxy's, too) for pip inside the root.
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/host-ca-certificates.crt"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    PIP_CERT=/etc/ssl/host-ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_DEFAULT_TIMEOUT=60 "$@"
}

fetch_sources() {
  mkdir -p "$CACHE/sources"
  local entry path sum file
  for entry in "${SOURCES[@]}"; do
    read -r path sum <<<"$entry"
    file=$CACHE/sources/$(basename "$path")
    if ! echo "$sum  $file" | sha256sum -c --status 2>/dev/null; then
      echo "下载 $(basename "$path") ……"
      curl -fsSL --retry 3 -o "$file.part" "$MIRROR/$path" || {
        echo "无法下载 $MIRROR/$path（Debian 更新后旧文件会从镜像上移走：请把这一行和校验值改为" \
          "镜像上的新版本，或把该文件放进 $CACHE/sources/）" >&2
        exit 1
      }
      echo "$sum  $file.part" | sha256sum -c --status || { echo "校验失败：$path" >&2; exit 1; }
      mv "$file.part" "$file"
    fi
  done
}

make_root() {
  local tmp=$ROOT.tmp started=$SECONDS
  echo "正在准备旧系统（Debian $SUITE，glibc 2.31）以构建兼容老系统的程序，只需一次（约 8 分钟）……"
  fetch_sources
  remove_root "$tmp"
  local list
  list=$(IFS=,; echo "${PACKAGES[*]}")
  debootstrap --variant=minbase --include="$list" "$SUITE" "$tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
    { tail -20 "$CACHE/debootstrap.log" >&2; echo "debootstrap 失败，见 $CACHE/debootstrap.log" >&2; exit 1; }
  enter "$tmp" /src/packaging/oldroot/inside.sh python
  unmount_all
  echo "$RECIPE" >"$tmp/.tongdang-recipe"
  remove_root "$ROOT"
  mv "$tmp" "$ROOT"
  echo "旧系统已准备好：$ROOT（用时 $((SECONDS - started)) 秒）"
}

mkdir -p "$CACHE/$SUITE-bundles"
[ "$(cat "$ROOT/.tongdang-recipe" 2>/dev/null)" = "$RECIPE" ] || make_root
fetch_sources
if [ "${1:-}" = smoke ]; then
  [ -x dist/tongdang/tongdang ] || { echo "缺少 dist/tongdang：请先运行 ./run bundle" >&2; exit 1; }
  echo "在旧系统（Debian $SUITE，$(chroot "$ROOT" ldd --version | head -1 | grep -o '[0-9.]*$')）中运行："
  enter "$ROOT" /src/packaging/oldroot/inside.sh smoke
  exit
fi
enter "$ROOT" /src/packaging/oldroot/inside.sh bundle
glibc=$(packaging/glibc_needed.sh dist/tongdang)
echo "程序文件夹需要 glibc ≥ $glibc（GLIBC_ 符号版本的最高值）"
if [ "$(printf '%s\n' "$glibc" 2.28 | sort -V | tail -1)" != 2.28 ]; then
  packaging/glibc_needed.sh -v dist/tongdang 2>&1 >/dev/null | sort -V | tail -5 >&2
  echo "程序文件夹需要 glibc $glibc，高于目标 2.28（统信UOS 20）" >&2
  exit 1
fi
