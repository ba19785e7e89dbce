"""One benchmark run: each figure of issue 19 beside its bare baseline measured in the same run.

    python bench/run_all.py [--archive PATH] [--runs 5] [--big PATH] [--skip-import]

Builds (or reuses) the 20,000-child demo archive (``bench/make_demo_archive.py``) and prints
one Markdown table: each figure, its baseline measured alternately with it in this run, the
ratio, and the target. Medians of ``--runs`` runs (at least 5), wall and CPU seconds. The
baselines:

- ``check --json`` (a new process each run): ``tongdang info`` on the same archive;
- the dashboard for another day, Annex 1: a bare SQL read of the rows they read;
- the first import of 10,000 children × 5 visits: openpyxl reading the same ledger, and
  reading and checking it (``validate_ledger``) for the "≤ 2×" target;
- the peak memory of ``check`` at 50,000 children (``--big PATH``, made when missing):
  the peak of ``info`` on it.

On a shared machine compare the ratios: both sides of each ratio ran at the same moment.
Copy the table into ``docs/benchmarks.md`` with its date and machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT = Path(tempfile.gettempdir()) / "tongdang-bench-20k.tongdang"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
CHECK_DAY = "2026-11-25"


@dataclass
class Sample:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float, peak_mb: float = 0.0) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.peak_mb.append(peak_mb)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


@dataclass
class Row:
    figure: str
    ours: Sample
    baseline_name: str
    baseline: Sample
    target: str
    met: bool | None
    memory: bool = False


# The child's own peak: its VmHWM at exit. (ru_maxrss of a child on Linux starts from the
# parent's resident size at the fork, which is this benchmark's own, hundreds of MB.)
TONGDANG = """
import atexit, runpy, sys
PEAK_FILE = sys.argv.pop(1)
def peak():
    with open('/proc/self/status') as status, open(PEAK_FILE, 'w') as out:
        out.write(next(line.split()[1] for line in status if line.startswith('VmHWM:')))
atexit.register(peak)
runpy.run_module('desktop.cli', run_name='__main__', alter_sys=True)
"""


def run_process(args: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one ``tongdang`` process."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", TONGDANG, peak.name, *args], env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"tongdang {' '.join(args)} failed ({proc.returncode})")
        return wall, usage.ru_utime + usage.ru_stime, int(peak.read() or 0) / 1024


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def alternate(runs: int, ours: Callable, baseline: Callable) -> tuple[Sample, Sample]:
    a, b = Sample(), Sample()
    ours()  # warm-up: imports, caches, the archive's pages
    baseline()
    for _ in range(runs):
        a.add(*ours())
        b.add(*baseline())
    return a, b


def ensure_archive(path: Path, children: int) -> None:
    if not path.exists():
        print(f"making {path} ({children} children) …", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_demo_archive.py"), str(path),
                        str(children)], env=ENV, check=True)
    run_process(["--archive", str(path), "info"])  # migrates once, outside the timings


# -- the figures ----------------------------------------------------------------------------

def check_rows(path: Path, runs: int) -> list[Row]:
    check = ["--archive", str(path), "check", "--json", "--on", CHECK_DAY]
    info = ["--archive", str(path), "info"]
    ours, base = alternate(runs, lambda: run_process(check), lambda: run_process(info))
    ratio = ours.median_wall / base.median_wall
    return [Row("`check --json`, 20,000 children (new process)", ours, "`info`", base,
                "≤ 1.5 s, ≤ 3× `info`", ours.median_wall <= 1.5 and ratio <= 3)]


def _bare_read(queries: list[str]) -> Callable[[], None]:
    from models.schema import database

    def read():
        for sql in queries:
            database.execute_sql(sql).fetchall()
    return read


CHILD_ROWS = ("SELECT id, name, village_id, director_id, colour, categories, next_contact_due, "
              "next_home_visit_due, urgent, birth_date, support_ended_on, state_on, contact_days, "
              "visit_days FROM child WHERE closed_on IS NULL")
FACT_TABLES = ("family_member", "carer", "entrustment_agreement", "guardianship_assessment",
               "risk_finding", "problem", "referral", "mandatory_report", "care_record",
               "work_trip_registration", "carer_follow_up")


def in_process_rows(path: Path, runs: int) -> list[Row]:
    from models import dashboard, reports
    from models.archive import DEMO_RECOVERY_CODE, Archive

    archive, _ = Archive.open(path, recovery_code=DEMO_RECOVERY_CODE)
    try:
        today, past = date.today(), date.today() - timedelta(days=100)
        rows = []
        ours, base = alternate(runs, lambda: timed(lambda: dashboard.load(past)),
                               lambda: timed(_bare_read([CHILD_ROWS])))
        rows.append(Row(f"dashboard, another day ({past})", ours,
                        "bare SQL read of the children's rows", base, "≤ 0.5 s",
                        ours.median_wall <= 0.5))
        ours, base = alternate(runs, lambda: timed(lambda: dashboard.load(today)),
                               lambda: timed(_bare_read([CHILD_ROWS])))
        rows.append(Row("dashboard, today (cached columns)", ours,
                        "bare SQL read of the children's rows", base, "≤ 0.5 s",
                        ours.median_wall <= 0.5))
        every_row = [CHILD_ROWS.replace(" WHERE closed_on IS NULL", "")] + [
            f'SELECT * FROM "{t}"' for t in FACT_TABLES]
        ours, base = alternate(runs, lambda: timed(lambda: reports.annex1_form(today)),
                               lambda: timed(_bare_read(every_row)))
        rows.append(Row("Annex 1 from the archive", ours,
                        "bare SQL read of every row it reads", base, "≤ 1 s",
                        ours.median_wall <= 1.0))
        return rows
    finally:
        archive.close()


def import_rows(runs: int, children: int = 10_000, visits: int = 5) -> list[Row]:
    import keyring
    from bench_import import MemoryKeyring, build_ledger
    from openpyxl import load_workbook

    from models.archive import Archive
    from models.derived import attach
    from models.ledger_import import import_ledger, validate_ledger

    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "台账.xlsx"
        build_ledger(ledger, children, visits)

        def first_import():
            target = Path(tmp) / f"a{time.monotonic_ns()}.tongdang"
            archive, _ = Archive.create(target, "丹朱镇", "长子县", "changzhi",
                                        recovery_code="ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789")
            attach(archive)
            try:
                return timed(lambda: import_ledger(ledger, archive.writer()))
            finally:
                archive.close()

        def openpyxl_read():
            def read():
                wb = load_workbook(ledger, read_only=True)
                for ws in wb.worksheets:
                    for _ in ws.iter_rows(values_only=True):
                        pass
                wb.close()
            return timed(read)

        ours, bare = Sample(), Sample()
        checked = Sample()
        first_import(), openpyxl_read()
        for _ in range(runs):
            ours.add(*first_import())
            bare.add(*openpyxl_read())
            checked.add(*timed(lambda: validate_ledger(ledger)))
    ratio = ours.median_wall / checked.median_wall
    return [
        Row(f"first import, {children:,} children × {visits} visits", ours,
            "openpyxl reading the same ledger", bare, "≤ 8 s", ours.median_wall <= 8),
        Row("the same import", ours, "reading and checking the ledger alone (`validate_ledger`)",
            checked, "≤ 2× reading and checking", ratio <= 2),
    ]


def memory_rows(path: Path, runs: int) -> list[Row]:
    ensure_archive(path, 50_000)
    check = ["--archive", str(path), "check", "--json", "--on", CHECK_DAY]
    info = ["--archive", str(path), "info"]
    ours, base = alternate(runs, lambda: run_process(check), lambda: run_process(info))
    return [Row("peak memory of `check`, 50,000 children", ours, "peak of `info`", base,
                "≤ 300 MB", ours.peak <= 300, memory=True)]


# -- the table --------------------------------------------------------------------------------

def _cell(s: Sample) -> str:
    return f"{s.median_wall:.3f} s / {s.median_cpu:.3f} s"


def table(rows: list[Row], runs: int) -> str:
    lines = [f"| figure (median of {runs}) | ours: wall / CPU | baseline | baseline: wall / CPU "
             "| ratio wall (CPU) | target | met |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.memory:
            ours, base = f"{r.ours.peak:.0f} MB peak", f"{r.baseline.peak:.0f} MB peak"
            ratio = f"{r.ours.peak / r.baseline.peak:.1f}×"
        else:
            ours, base = _cell(r.ours), _cell(r.baseline)
            ratio = (f"{r.ours.median_wall / r.baseline.median_wall:.1f}× "
                     f"({r.ours.median_cpu / r.baseline.median_cpu:.1f}×)")
        met = "—" if r.met is None else "✓" if r.met else "✗"
        lines.append(f"| {r.figure} | {ours} | {r.baseline_name} | {base} | {ratio} | {r.target} | {met} |")
    return "\n".join(lines)


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{date.today()}, {platform.node()}: {os.cpu_count()} cores, load {load}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", type=Path, default=None, help="a 50,000-child archive (made when missing)")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    runs = max(args.runs, 5)
    print(f"machine at start: {machine()}", flush=True)
    ensure_archive(args.archive, 20_000)
    rows = check_rows(args.archive, runs)
    rows += in_process_rows(args.archive, runs)
    if not args.skip_import:
        rows += import_rows(runs)
    if args.big:
        rows += memory_rows(args.big, runs)
    print(f"machine at end: {machine()}")
    print(table(rows, runs))


if __name__ == "__main__":
    main()
