"""Hostile and broken spreadsheets: refused with a Chinese message, no traceback, and each
checked in its own process whose peak memory stays under 500 MB (a zip bomb of a few MB
took 3.28 GB before the limits)."""

import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import hostile_xlsx as hostile
import pytest

from exports.ledger_report import write_issue_report
from models import xlsx_limits
from models.ledger_import import LedgerInvalid, import_ledger, validate_ledger

ROOT = Path(__file__).resolve().parents[2]
MEMORY_MB = 500
CJK = re.compile(r"[\u4e00-\u9fff]{4}")

# Sizes for the default run: each passes exactly the bound named.
BOMBS = {
    "shared_strings_bomb": (lambda p: hostile.shared_strings_bomb(p, 260), "解压后有"),
    "sheet_bomb": (lambda p: hostile.sheet_bomb(p, 150), "压缩比异常"),
    "many_strings": (lambda p: hostile.many_strings(p, 1_000_100), "不同文字超过"),
    "many_entries": (lambda p: hostile.many_entries(p, 1_500), "组成部分"),
    "styles_bomb": (lambda p: hostile.styles_bomb(p, 30), "压缩比异常"),
    "many_styles": (lambda p: hostile.many_styles(p, 600_000), "过多内容"),
    "huge_row": (lambda p: hostile.sheet_bomb(p, 9), "单元格多得异常"),
    "blank_rows": (lambda p: hostile.blank_rows_bomb(p, 1_000_000), "身份证号"),
    "lying_sizes": (hostile.lying_sizes, "已损坏"),
}


def measure(path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "hostile_xlsx.py"), str(path)],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bombs_are_refused_within_memory(tmp_path, name):
    make, words = BOMBS[name]
    path = tmp_path / f"{name}.xlsx"
    make(path)
    result = measure(path)
    assert "traceback" not in result, result["traceback"]
    assert result["issues"] >= 1 and words in result["first"], result
    assert result["peak_mb"] < MEMORY_MB, result


@pytest.mark.parametrize("name", sorted(hostile.SMALL))
def test_broken_files_are_reported_in_chinese(new_archive, tmp_path, name):
    path = tmp_path / f"{name}.xlsx"
    hostile.SMALL[name](path)
    check = validate_ledger(path, new_archive, today=date(2026, 1, 1))
    assert check.issues
    assert all(CJK.search(i.message) for i in check.issues), check.issues
    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(path, new_archive.writer(), today=date(2026, 1, 1),
                      report_path=tmp_path / "报告.xlsx", write_report=write_issue_report)
    assert caught.value.report_path and caught.value.report_path.is_file()


@pytest.mark.parametrize("make, unpacked", [(hostile.sheet_bomb, 1000),
                                             (hostile.shared_strings_bomb, 3500)])
def test_bombs_of_a_few_mb_are_refused_at_once(tmp_path, make, unpacked):
    path = tmp_path / "bomb.xlsx"
    make(path, unpacked)  # 3.6 MB and 5.3 MB on disk
    assert path.stat().st_size < 6 * xlsx_limits.MB
    result = measure(path)
    assert "traceback" not in result and f"解压后有 {unpacked - 1} MB" in result["first"], result
    assert result["peak_mb"] < MEMORY_MB


def test_a_real_sized_ledger_passes_the_limits(tmp_path):
    """The bounds leave room: a 20,000-child ledger as openpyxl writes it (35 MB unpacked,
    compressed about 14 times) is read."""
    from exports.ledger_template import write_ledger_template

    path = tmp_path / "台账.xlsx"
    write_ledger_template(path, rows=10)
    with zipfile.ZipFile(path) as z:
        total = sum(i.file_size for i in z.infolist())
    assert total < xlsx_limits.MAX_UNPACKED // 100
    with open(path, "rb") as handle:
        xlsx_limits.check_package(handle, path.name)  # no TooLarge
