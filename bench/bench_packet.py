"""Time a spot-check packet: draw 10% of a 2,000-child demo archive (200 files), write the folder.

    python bench/bench_packet.py [children] [share] [workers ...]

Prints the time to draw the sample with its findings, to build the 200 dossiers from the
archive, and to write the packet (dossier PDFs + 抽查记录表) with 1 worker process and with
each extra worker count given (default: 1 and the number of CPUs, at most 4). Wall-clock and
CPU seconds are both shown: on a busy machine the wall clock says little.
"""

import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exports.spotcheck import DOSSIER_FOLDER, write_packet
from models import demo, keys
from models.archive import DEMO_RECOVERY_CODE, Archive, remove_archive_files
from models.derived import refresh_all
from models.dossier import build_dossier
from models.spotcheck import build_packet, run_spotcheck


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timer:
    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), cpu()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = cpu() - self.cpu
        print(f"{self.label}: {self.wall:.1f} s wall, {self.cpu:.1f} s CPU", flush=True)


def pdf_pages(folder: Path) -> int:
    total = 0
    for path in folder.glob("*.pdf"):
        data = path.read_bytes()
        total += data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + \
            data.count(b"/Type /Page>") + data.count(b"/Type /Page/")
    return total


def main(children: int, share: str, worker_counts: list[int]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "bench.tongdang"
        archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi",
                                    recovery_code=DEMO_RECOVERY_CODE, is_demo=True)
        try:
            with Timer(f"demo archive of {children} children"):
                demo.generate(children, seed=7, writer=archive.writer())
                refresh_all()
            with Timer("draw the sample and its findings (recorded)"):
                run = run_spotcheck(archive.writer(), share, seed="bench", on=date.today())
            print(f"  sample: {len(run.children)} of {run.population} files, "
                  f"{run.with_problems} with findings")
            with Timer(f"build {len(run.children)} dossiers from the archive"):
                dossiers = [build_dossier(n) for n in run.sample]
            forms = sum(len(p.forms) for d in dossiers for p in d.parts)
            print(f"  {forms} filled forms, {forms / len(dossiers):.1f} per file")
            del dossiers
            for workers in worker_counts:
                target = Path(scratch) / f"packet-{workers}"
                with Timer(f"write the packet, {workers} worker process(es)") as t:
                    write_packet(build_packet(run), target, workers=workers)
                pages = pdf_pages(target / DOSSIER_FOLDER)
                print(f"  {pages} dossier pages, {t.wall / len(run.children) * 1000:.0f} ms "
                      f"per file, {t.wall / max(pages, 1) * 1000:.1f} ms per page (wall)")
        finally:
            archive.close()
            keys.forget_key(path)
            remove_archive_files(path)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    ratio = sys.argv[2] if len(sys.argv) > 2 else "10%"
    given = [int(x) for x in sys.argv[3:]]
    main(count, ratio, given or sorted({1, max(1, min(4, os.cpu_count() or 1))}))
