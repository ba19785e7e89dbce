#!/usr/bin/env bash
# Install the .deb (dpkg -i), smoke-test `tongdang` from the PATH, check the menu entry and the
# icon, remove it (dpkg -r) and check that a user's archive is still there. Needs root.
set -euo pipefail
DEB=${1:?用法：packaging/check_deb.sh dist/tongdang_版本_amd64.deb}
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "需要 root（dpkg -i）" >&2; exit 1; }
if dpkg -s tongdang >/dev/null 2>&1; then dpkg -r tongdang >/dev/null; fi

dpkg -i "$DEB"
trap 'dpkg -r tongdang >/dev/null 2>&1 || true' EXIT
failed=0
fail() { echo "  失败：$*"; failed=$((failed + 1)); }
[ "$(command -v tongdang)" = /usr/bin/tongdang ] || fail "tongdang 不在 PATH 上"
grep -qx 'Categories=Office;' /usr/share/applications/tongdang.desktop || fail "菜单项不在办公类"
grep -qx 'Icon=tongdang' /usr/share/applications/tongdang.desktop || fail "菜单项没有图标"
[ -s /usr/share/icons/hicolor/256x256/apps/tongdang.png ] || fail "缺少图标文件"
[ -z "$(ls /var/lib/dpkg/info/tongdang.{preinst,postinst,prerm,postrm} 2>/dev/null)" ] ||
  fail "安装包不应有维护脚本"
smoke_ok=0
packaging/smoke.sh tongdang || smoke_ok=$?

# An archive the user made with the installed program survives the removal of the package.
home=$(mktemp -d)
HOME=$home XDG_DATA_HOME=$home/data QT_QPA_PLATFORM=offscreen tongdang init --township 丹朱镇 \
  --county 长子县 --profile national --json >/dev/null
dpkg -r tongdang
trap - EXIT
[ ! -e /usr/bin/tongdang ] && [ ! -e /opt/tongdang ] || fail "卸载后仍有程序文件"
[ -s "$home/data/tongdang/archive.tongdang" ] || fail "卸载删除了用户的档案库"
rm -rf "$home"
[ "$smoke_ok" -eq 0 ] || failed=$((failed + 1))
echo "deb: $((6 - failed < 0 ? 0 : 6 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
