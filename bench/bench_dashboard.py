"""Dashboard load on a 20,000-child demo archive (issue 6: target ≤ 0.5 s).

    python bench/bench_dashboard.py [--children 20000] [--archive /tmp/bench-dashboard.tongdang]

Builds the demo archive once (kept for later runs), then times ``models.dashboard.load``:
from the cached rule columns (the normal case: the cache is current for today) and, for
comparison, the full rule evaluation used for any other date.
"""

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RECOVERY = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"


def _unique_id_numbers():
    """The demo generator reuses ID-number sequences past a few thousand children; give each
    child a distinct sequence so that a 20,000-child archive can be built."""
    from forms import idnumber
    from models import demo

    used: set[str] = set()
    original = idnumber.make_id_number

    def make(area, birth, sequence, male):
        for step in range(0, 1000, 2):
            number = original(area, birth, sequence + step, male)
            if number not in used:
                used.add(number)
                return number
        raise RuntimeError("no free ID number")

    demo.make_id_number = make


def build(path: Path, children: int):
    from models import demo
    from models.archive import Archive
    from models.derived import refresh_all

    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=RECOVERY,
                                is_demo=True)
    _unique_id_numbers()
    started = time.perf_counter()
    demo.generate(children, seed=7, writer=archive.writer())
    refresh_all()
    print(f"built {children} children in {time.perf_counter() - started:.1f} s")
    return archive


def open_or_build(path: Path, children: int):
    from models.archive import Archive

    if path.exists():
        archive, _ = Archive.open(path, recovery_code=RECOVERY)
        return archive
    return build(path, children)


def timed(fn, repeat):
    """Wall-clock and CPU seconds of each call (CPU time shows the cost on a busy machine)."""
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return result, times, cpu


def report(what, times, cpu):
    print(f"{what}: wall median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); "
          f"CPU median {statistics.median(cpu) * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=20000)
    parser.add_argument("--archive", default="/tmp/bench-dashboard.tongdang")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import keyring
    from keyring.backends.null import Keyring

    keyring.set_keyring(Keyring())  # headless: no credential store, the recovery code opens it
    from models import dashboard
    from models.derived import refresh_all, stale

    archive = open_or_build(Path(args.archive), args.children)
    today = date.today()
    if stale(today):
        refresh_all(today)
    print(f"children: {archive.counts()['儿童（在档）']}")

    _, times, cpu = timed(lambda: dashboard.cache_is_current(today), args.repeat)
    report("cache check (page decides: at once or in the background)", times, cpu)
    board, times, cpu = timed(lambda: dashboard.load(today), args.repeat)
    assert board.from_cache
    report("dashboard, today (cached columns)", times, cpu)
    other = today - timedelta(days=30)
    board2, times, cpu = timed(lambda: dashboard.load(other), 1)
    assert not board2.from_cache
    report(f"dashboard, {other} (every child through the rules, off the GUI thread)", times, cpu)
    print("colours:", board.by_colour)
    archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
