"""The county's spot-check across townships (issue 17, item 3) on a local PostgreSQL: the draw
recorded in every township, the past draws, and one township's packet.

    python bench/bench_county_spotcheck.py [TOWNSHIPS] [CHILDREN_EACH]

Starts a throwaway cluster (tests/pgserver/pgcluster.py; as ``nobody`` when run as root),
loads the townships with demo data as bench_county_server.py does, and removes it at the end.
Defaults: 20 townships × 2,000 children. Prints wall and CPU seconds (median of 3).
"""

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

ON = date(2026, 11, 25)
PASSWORD = "Bench-Pass-2026"


def timed(fn, repeat=3):
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main():
    townships = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    each = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    from pgserver.pgcluster import Cluster

    from exports.spotcheck import write_packet
    from models import demo
    from models.derived import refresh_all
    from models.server import county, logins
    from models.server.archive import ServerArchive, open_as_owner

    print(f"{townships} townships × {each} children")
    with tempfile.TemporaryDirectory() as folder, Cluster() as cluster:
        cluster.create_database("bench")
        db = open_as_owner(cluster.url("bench"), cluster.password)
        county.create_county(db)
        for n in range(townships):
            tid = logins.add_township(db, f"第{n + 1}镇", "某县", "national")
            logins.add_login(db, f"clerk{n + 1}", PASSWORD, "录入员", tid)
        logins.add_login(db, "countyadmin", PASSWORD, "县级管理员")
        db.close()
        start = time.perf_counter()
        for n in range(townships):
            archive, _ = ServerArchive.open(cluster.url("bench", f"clerk{n + 1}"), PASSWORD)
            archive.login_as(f"clerk{n + 1}", "录入员")
            demo.generate(each, n + 1, ON, archive.writer())
            refresh_all()
            archive.close()
        print(f"load {time.perf_counter() - start:.0f} s")

        admin, _ = ServerArchive.open(cluster.url("bench", "countyadmin"), PASSWORD)
        admin.login_as("countyadmin", admin.login_role())
        spot = admin.county_spotchecks
        for label, kwargs in (("share 10%", {"share": "10%"}), ("count 20", {"count": 20})):
            wall, cpu, check = timed(lambda kw=kwargs: spot.run(seed="2026", on=ON, **kw))
            print(f"county draw, {label}: {check.files} files in {len(check.checks)} townships, "
                  f"recorded: wall {wall:.2f} s, CPU {cpu:.2f} s")
        wall, cpu, past = timed(spot.history)
        print(f"past county draws ({len(past)}): wall {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms")
        check = spot.run(share="10%", seed="2026", townships=["第1镇"], on=ON)
        target = Path(folder) / "packet"
        start, cpu = time.perf_counter(), time.process_time()
        spot.each_packet(check, lambda _t, packet: write_packet(packet, target))
        files = check.files
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"one township's packet ({files} dossiers + record): wall {wall:.1f} s, "
              f"CPU {cpu:.1f} s ({wall / files:.2f} s a file)")
        admin.close()


if __name__ == "__main__":
    main()
