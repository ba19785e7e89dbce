"""Hostile spreadsheets at full size, and the error report's time against its length.

Each hostile file (tests/hostile_xlsx.py) is checked as the import does, in its own
process: problems found, traceback or not, seconds, peak memory. Then the error report is
written for 5,000 / 20,000 / 200,000 problems (linear: about the same time a problem).
Run:

    python bench/bench_hostile.py [folder]
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import hostile_xlsx as hostile

FULL = {
    "shared_strings_bomb (3.5 GB unpacked)": lambda p: hostile.shared_strings_bomb(p, 3500),
    "sheet_bomb (1 GB unpacked, 3.6 MB file)": lambda p: hostile.sheet_bomb(p, 1000),
    "styles_bomb (500 MB unpacked)": lambda p: hostile.styles_bomb(p, 500),
    "blank_rows_bomb (5 million empty rows)": lambda p: hostile.blank_rows_bomb(p, 5_000_000),
    "many_strings (2 million strings)": lambda p: hostile.many_strings(p, 2_000_000),
    "many_styles (600,000 styles)": hostile.many_styles,
    "many_entries (20,000 parts)": hostile.many_entries,
    "huge_row (one row of 9 MB)": lambda p: hostile.sheet_bomb(p, 9),
    "lying_sizes": hostile.lying_sizes,
    **hostile.SMALL,
}


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    worst, tracebacks = 0, 0
    for i, (label, make) in enumerate(FULL.items()):
        path = folder / f"h{i}.xlsx"
        make(path)
        done = subprocess.run([sys.executable, str(ROOT / "tests" / "hostile_xlsx.py"), str(path)],
                              capture_output=True, text=True, env=env, check=False)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        worst = max(worst, result["peak_mb"])
        tracebacks += "traceback" in result
        print(f"{label:45} {path.stat().st_size / 2**20:7.1f} MB file  {result['seconds']:6.1f} s  "
              f"{result['peak_mb']:4} MB peak  {'TRACEBACK' if 'traceback' in result else ''}"
              f"{result.get('first', '')[:40]}")
    print(f"{len(FULL)} files, {tracebacks} tracebacks, worst peak {worst} MB")

    from exports.ledger_report import write_issue_report
    from models.ledger_import import ImportIssue

    for n in (5_000, 20_000, 200_000):
        issues = [ImportIssue("儿童", i + 2, "身份证号", "“身份证号”被存成了数字，Excel 会把后几位变成0。"
                              "请把该列设为文本格式后重新填写身份证号。") for i in range(n)]
        start = time.perf_counter()
        write_issue_report(issues, folder / "report.xlsx")
        spent = time.perf_counter() - start
        print(f"error report, {n:>7,} problems: {spent:6.1f} s ({spent / n * 1e6:.0f} µs a problem)")


if __name__ == "__main__":
    main()
