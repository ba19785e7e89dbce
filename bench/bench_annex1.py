"""Time Annex 1 (摸排情况数据表) and the other county tables for a large archive.

    python bench/bench_annex1.py [ARCHIVE] [CHILDREN] [--no-files]

ARCHIVE defaults to /tmp/tongdang-bench-20k.tongdang; it is made with
``bench/make_demo_archive.py`` (20,000 fictional children) when it does not exist.
Prints wall and CPU seconds for:

- Annex 1 from facts already loaded (rules + counting), and the counting alone;
- Annex 1 from the archive (load facts, rules, counting, rows) — the target is ≤ 2 s — and
  on to a written .xlsx / .pdf, as the 报表 page does in the running app;
- writing Annex 1, Annex 2 and the lists as xlsx / docx / pdf.
"""

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exports.tables import render_table
from models import reports
from models.archive import DEMO_RECOVERY_CODE, Archive
from models.snapshot import load_facts
from models.state import entered_pairs
from models.statistics import annex1

DEFAULT = Path(tempfile.gettempdir()) / "tongdang-bench-20k.tongdang"


def timed(label: str, fn, repeat: int = 3):
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    print(f"{label:<46} {best_wall:7.2f} s wall  {best_cpu:7.2f} s CPU  (best of {repeat})",
          flush=True)
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    children = int(args[1]) if len(args) > 1 else 20_000
    if not path.exists():
        from make_demo_archive import main as make

        make(str(path), children)
    archive, _ = Archive.open(path, recovery_code=DEMO_RECOVERY_CODE)
    on = date.today()
    try:
        info = reports.archive_info()
        facts = timed("load facts from the archive", load_facts, 1)
        days = sum(len(f.contact_summary.days) for f in facts if f.contact_summary is not None)
        print(f"{len(facts)} children, {days} days with a contact (contact summaries)", flush=True)
        pairs = timed("rules for every child (facts loaded)",
                      lambda: entered_pairs(on, facts))
        timed("Annex 1 counting alone (states computed)", lambda: annex1(pairs))
        timed("Annex 1 from facts already loaded",
              lambda: reports.annex1_form(on, pairs=entered_pairs(on, facts),
                                          info=info))
        filled = timed("Annex 1 from the archive (load+rules+count)",
                       lambda: reports.annex1_form(on))
        print(f"人数合计 {filled.rows['annex1'][-1]['count']}", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            for fmt in ("xlsx", "pdf"):
                out = Path(folder) / f"annex1.{fmt}"
                timed(f"Annex 1 from the archive to a .{fmt} file",
                      lambda out=out, fmt=fmt: render_table(reports.annex1_form(on), out, fmt))
        if "--no-files" in sys.argv:
            return
        forms = {
            "stats": filled,
            "screening": timed("Annex 2 rows (states computed)",
                               lambda: reports.annex2_form(on, pairs=pairs, info=info), 1),
            "lists": timed("red/yellow/blue lists (states computed)",
                           lambda: reports.risk_list_form(on, "团委", pairs=pairs, info=info), 1),
        }
    finally:
        archive.close()
    with tempfile.TemporaryDirectory() as folder:
        for name, form in forms.items():
            rows = sum(len(form.rows_of(s)) for s in form.spec.table_sections())
            for fmt in ("xlsx", "docx", "pdf"):
                out = Path(folder) / f"{name}.{fmt}"
                timed(f"write {name} ({rows} rows) as {fmt}",
                      lambda form=form, out=out, fmt=fmt: render_table(form, out, fmt), 1)


if __name__ == "__main__":
    main()
