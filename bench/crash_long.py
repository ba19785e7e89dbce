"""Long crash-safety run: ≥ 1,000 random SIGKILLs of a writing worker, checked after each.

    python bench/crash_long.py [--kills 1000] [--campaigns 5] [--max-delay 0.15] [--dir PATH]

Each campaign starts a fresh archive (so it grows over ``kills / campaigns`` kills), kills the
worker of ``tests/crash_worker.py`` at a random moment up to ``--max-delay`` seconds after it
started, and checks integrity, the journal of committed changes, bulk imports, audit pairing,
the audit chain (every 5th kill and at the end) and the export folder. Linux/macOS only.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import crash_worker


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--campaigns", type=int, default=5)
    parser.add_argument("--max-delay", type=float, default=0.15)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="tongdang-crash-"))
    per = -(-args.kills // args.campaigns)
    totals = {"kills": 0, "finished_before_kill": 0, "temps_swept": 0, "journal_records": 0,
              "children": 0, "contacts": 0, "audit_entries": 0}
    failures = []
    started = time.monotonic()
    for n in range(args.campaigns):
        t0 = time.monotonic()
        stats = crash_worker.campaign(base / f"c{n}", per, seed=1000 + n,
                                      max_delay=args.max_delay, chain_every=5)
        for key in totals:
            totals[key] += stats[key]
        print(f"campaign {n}: {stats['kills']} kills in {time.monotonic() - t0:.1f} s, "
              f"{stats['journal_records']} committed changes journaled, "
              f"{stats['children']} children, {stats['contacts']} contacts, "
              f"{stats['audit_entries']} audit entries, {stats['temps_swept']} temp files swept, "
              f"problems: {stats['problems'] or 'none'}", flush=True)
        if stats["problems"]:
            failures.append((n, stats.get("failed_at"), stats["problems"]))
    print(f"total: {totals['kills']} SIGKILLs (+{totals['finished_before_kill']} finished first) "
          f"in {time.monotonic() - started:.0f} s; {totals['journal_records']} journaled changes "
          f"all found; temp export files left by kills and swept: {totals['temps_swept']}; "
          f"failures: {failures or 'none'}")
    print(f"work folder: {base}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
