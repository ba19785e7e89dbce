#!/usr/bin/env bash
# Smoke test of an installed or bundled program, as a clerk would use it:
#   packaging/smoke.sh PROGRAM        e.g. dist/tongdang/tongdang, or tongdang after dpkg -i
# --version, init, --demo demo, check, export dossier (a PDF with an embedded Chinese font),
# and the window started offscreen and closed once drawn (TONGDANG_SMOKE_QUIT=1). Everything
# happens in a temporary home folder; needs pdffonts/pdftotext (poppler-utils).
set -uo pipefail
PROGRAM=${1:?用法：packaging/smoke.sh 程序}
case "$PROGRAM" in */*) PROGRAM=$(cd "$(dirname "$PROGRAM")" && pwd)/$(basename "$PROGRAM") ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" \
  XDG_CACHE_HOME="$work/cache" QT_QPA_PLATFORM=offscreen PYTHONPATH= PYTHONHOME=
unset TONGDANG_ARCHIVE TONGDANG_RECOVERY_CODE TONGDANG_PASSWORD
mkdir -p "$HOME"
cd "$work"
passed=0 failed=0

step() {  # step 名称 命令…: run, show the output on failure
  local name=$1; shift
  if "$@" >"$work/out" 2>&1; then
    passed=$((passed + 1)); echo "  通过：$name"
  else
    failed=$((failed + 1)); echo "  失败：$name"; sed 's/^/    | /' "$work/out" | tail -30
  fi
}

code() { grep -o '"recovery_code": "[^"]*"' "$work/init.json" | cut -d'"' -f4; }
version() { "$PROGRAM" --version | grep >/dev/null '童档 tongdang'; }
init() {
  "$PROGRAM" --archive "$work/real.tongdang" init --township 丹朱镇 --county 长子县 \
    --profile changzhi --json >"$work/init.json" &&
    TONGDANG_RECOVERY_CODE=$(code) "$PROGRAM" --archive "$work/real.tongdang" info 2>&1 | tee /dev/stderr | grep >/dev/null 丹朱镇
}
demo() {
  "$PROGRAM" --demo demo --children 50 --seed 1 &&
    "$PROGRAM" --demo info | tee /dev/stderr | grep >/dev/null '演示数据：是'
}
check() {
  "$PROGRAM" --demo check --json >"$work/check.json" &&
    grep >/dev/null '"id_number"' "$work/check.json"
}
dossier() {
  local id
  id=$(grep -o '"id_number": "[0-9X]*"' "$work/check.json" | head -1 | grep -o '[0-9X]\{18\}')
  "$PROGRAM" --demo export dossier --child "$id" --format pdf --out 档案.pdf &&
    pdffonts 档案.pdf | tee /dev/stderr |
      grep -Ei 'WenQuanYi|MicroHei|Sim(Sun|Hei|Fang)|FangSong|Song|Ming|Kai' | grep >/dev/null ' yes ' &&
    pdftotext 档案.pdf - | grep >/dev/null '儿童'
}
word() {
  local id
  id=$(grep -o '"id_number": "[0-9X]*"' "$work/check.json" | head -1 | grep -o '[0-9X]\{18\}')
  "$PROGRAM" --demo export dossier --child "$id" --format docx --out 档案.docx &&
    "$PROGRAM" --demo export stats --on 2026-06-30 --format xlsx --out 附件1.xlsx &&
    [ "$(head -c 2 档案.docx)" = PK ] && [ "$(head -c 2 附件1.xlsx)" = PK ]
}
spotcheck() {
  "$PROGRAM" --demo spotcheck --sample 2% --seed 1 --out 抽查材料 &&
    [ -n "$(find 抽查材料 -name '*.pdf' | head -1)" ]
}
package() {  # a 上报包 for a county key made for this test (cryptography in the program)
  "$PROGRAM" --demo report-package --county-key 'TONGDANG-COUNTY-KEY/1:tW74s+tVe3PAR5ivw3MOXZMzIK3pFV9SAPokdHHF7io2Vg2P' &&
    "$PROGRAM" --demo report-package --out 上报包.tdpkg &&
    [ "$(head -c 17 上报包.tdpkg)" = TONGDANG-REPORT/1 ]
}
window() {
  TONGDANG_SMOKE_QUIT=1 TONGDANG_RECOVERY_CODE=$(code) timeout 120 "$PROGRAM" --archive "$work/real.tongdang" \
    | tee /dev/stderr | grep >/dev/null 'SMOKE-WINDOW-SHOWN .* qt-zh_CN .*丹朱镇'
}

echo "冒烟测试：$PROGRAM"
step "--version" version
step "init（新建档案库）" init
step "demo（演示档案库）" demo
step "check" check
step "export dossier（PDF 内嵌中文字体）" dossier
step "export dossier --format docx、export stats --format xlsx" word
step "spotcheck（多进程生成 PDF）" spotcheck
step "report-package（上报包：加密并签名）" package
step "图形界面启动并关闭（offscreen）" window
echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
