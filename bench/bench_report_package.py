"""上报包 (issue 17): size and time to make one for a township of 2,000 children with two years
of records, and the time to check and apply it to the county database (first and second).

    python bench/bench_report_package.py [CHILDREN] [RUNS]

Starts a throwaway PostgreSQL cluster (tests/pgserver/pgcluster.py) and removes it at the end.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
ON = date(2026, 11, 25)


def main():
    children = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    from pgserver.pgcluster import Cluster

    from models import demo
    from models.archive import Archive
    from models.derived import refresh_all
    from models.schema import database
    from models.server import county, logins
    from models.server.archive import open_as_owner
    from models.server.owner import CountyOwner

    with tempfile.TemporaryDirectory() as folder, Cluster() as cluster:
        os.environ["XDG_DATA_HOME"] = str(Path(folder) / "data")
        cluster.create_database("bench")
        db = open_as_owner(cluster.url("bench"), cluster.password)
        county.create_county(db)
        logins.add_township(db, "单镇", "某县", "national")
        owner = CountyOwner(db)
        key = owner.county_key()

        archive, _ = Archive.create(Path(folder) / "one.tongdang", "单镇", "某县", "national")
        demo.generate(children, 1, ON, archive.writer())
        refresh_all()
        archive.reporting.set_county_key(key)
        size = archive.path.stat().st_size
        made, times = [], []
        for n in range(runs):
            database.initialize(archive.db)
            start = time.perf_counter()
            made.append(archive.reporting.make_package(now=datetime(2026, 6, 1) + timedelta(days=n)).data)
            times.append(time.perf_counter() - start)
        archive.close()
        print(f"{children} children: archive {size / 1e6:.1f} MB; package {len(made[0]) / 1e6:.1f} MB, "
              f"made in {statistics.median(times):.2f} s (median of {runs})")
        applied = []
        for data in made[:2]:
            database.initialize(db)
            start = time.perf_counter()
            owner.import_package(data)
            applied.append(time.perf_counter() - start)
        start = time.perf_counter()
        owner.import_package(made[1])
        again = time.perf_counter() - start
        print(f"import: first {applied[0]:.2f} s, replacing it {applied[1]:.2f} s, "
              f"the same package again {again:.2f} s")
        owner.close()


if __name__ == "__main__":
    main()
