#!/usr/bin/env bash
# Make dist/tongdang_<version>_amd64.deb from the one-folder program dist/tongdang/ (build it
# first: packaging/build_bundle.sh). Only dpkg-deb (and objdump) is needed; nothing is downloaded.
# The package puts the program in /opt/tongdang, `tongdang` in /usr/bin (a symlink), a desktop
# entry in the 办公 (Office) menu and the icon. It has no maintainer scripts: removing it never
# touches the archives, which live in each user's data folder (~/.local/share/tongdang).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x dist/tongdang/tongdang ] || { echo "缺少 dist/tongdang：请先运行 ./run bundle" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "缺少 dpkg-deb（apt-get install dpkg）" >&2; exit 1; }

version=$(sed -n 's/^VERSION = "\(.*\)"/\1/p' desktop/version.py)
arch=amd64
root=build/deb/tongdang
rm -rf build/deb
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/share/icons/hicolor/48x48/apps" \
  "$root/usr/share/doc/tongdang"
cp -a dist/tongdang "$root/opt/tongdang"
ln -s /opt/tongdang/tongdang "$root/usr/bin/tongdang"
cp resources/icons/tongdang-256.png "$root/usr/share/icons/hicolor/256x256/apps/tongdang.png"
cp resources/icons/tongdang-48.png "$root/usr/share/icons/hicolor/48x48/apps/tongdang.png"
cp packaging/tongdang.desktop "$root/usr/share/applications/tongdang.desktop"
cp resources/fonts/wqy-microhei.COPYING "$root/usr/share/doc/tongdang/wqy-microhei.COPYING"

# The oldest C library the bundled binaries accept: the highest GLIBC_ symbol version they need
# (2.28 when built in the old root by packaging/build_oldroot.sh; the build machine's otherwise).
glibc=$(packaging/glibc_needed.sh "$root/opt/tongdang")
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: tongdang
Version: $version
Section: misc
Priority: optional
Architecture: $arch
Maintainer: 童档 tongdang <tongdang@localhost>
Installed-Size: $size
Depends: libc6 (>= $glibc), libgl1, libegl1, libfontconfig1, libfreetype6, libdbus-1-3, libglib2.0-0 | libglib2.0-0t64, libcups2 | libcups2t64, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-glx0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-util1, libxcb-xfixes0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0
Description: 童档：乡镇农村留守儿童和困境儿童“一人一档”档案管理
 Offline desktop archive manager for township civil-affairs offices (one file
 per child, encrypted archive, Chinese forms as PDF/Word/Excel). Includes its
 own Python, Qt and SQLCipher; archives stay in each user's data folder and
 are not removed with the package.
CONTROL
find "$root" -type d -exec chmod 755 {} +
out="dist/tongdang_${version}_${arch}.deb"
rm -f "$out"
# xz makes the smallest file (the one to hand out) but takes minutes on a busy 2-core machine;
# CI sets TONGDANG_DEB_COMPRESSION=gzip. Both are read by every dpkg, UOS's and Kylin's too.
dpkg-deb --root-owner-group -Z"${TONGDANG_DEB_COMPRESSION:-xz}" --build "$root" "$out" >/dev/null
echo "安装包：$out（$(du -m "$out" | cut -f1) MB；安装：sudo apt install ./$(basename "$out")）"
