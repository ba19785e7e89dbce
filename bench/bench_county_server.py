"""The county database on a local PostgreSQL (issue 16): load, check, Annex 1, the children
filter and clerks saving at once, beside one township's SQLite archive in the same run.

    python bench/bench_county_server.py [TOWNSHIPS] [CHILDREN_EACH] [SAVE_SECONDS] [SESSIONS]

Starts a throwaway cluster (tests/pgserver/pgcluster.py; as ``nobody`` when run as root) and
removes it at the end. Defaults: 20 townships × 2,000 children, 60 s of 10 sessions saving.
"""

import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

ON = date(2026, 11, 25)
PASSWORD = "Bench-Pass-2026"


def timed(fn, *args, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def check():
    from models.local_practice import archive_profile
    from models.rules import DuplicateIndex, child_states
    from models.snapshot import load_facts

    facts = load_facts(include_closed=False)
    return list(child_states(facts, ON, archive_profile(), DuplicateIndex.build(facts)))


def annex1():
    from models import reports

    return reports.annex1_form(ON)


def keystrokes():
    from models.child_query import ChildQuery, rows

    times = []
    for text in ("z", "zh", "zha", "zhan", "zhang", "w", "wa", "wan", "wang", "l", "li"):
        start = time.perf_counter()
        rows(ChildQuery(text=text, on=ON).ids()[:200])
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main():
    townships = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    each = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 60
    sessions = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    from pgserver.pgcluster import Cluster

    from models import demo
    from models.archive import Archive
    from models.derived import refresh_all
    from models.schema import Contact, database
    from models.server import county, logins
    from models.server.archive import ServerArchive, open_as_owner

    print(f"{townships} townships × {each} children; {sessions} sessions saving for {seconds} s")
    with tempfile.TemporaryDirectory() as folder, Cluster() as cluster:
        local_path = Path(folder) / "one.tongdang"
        local, _ = Archive.create(local_path, "单镇", "某县", "national")
        t, _ = timed(demo.generate, each, 1, ON, local.writer())
        refresh_all()
        print(f"SQLite: load {each} children {t:.1f} s")
        t, states = timed(check, repeat=3)
        print(f"SQLite: check one township ({len(states)} open) {t:.2f} s")
        t, _ = timed(annex1, repeat=3)
        print(f"SQLite: Annex 1 one township {t:.2f} s")
        median, worst = keystrokes()
        print(f"SQLite: children filter per keystroke {median * 1000:.0f} ms median, "
              f"{worst * 1000:.0f} ms slowest")
        local.close()

        cluster.create_database("bench")
        db = open_as_owner(cluster.url("bench"), cluster.password)
        county.create_county(db)
        for n in range(townships):
            tid = logins.add_township(db, f"第{n + 1}镇", "某县", "national")
            logins.add_login(db, f"clerk{n + 1}", PASSWORD, "录入员", tid)
        logins.add_login(db, "countyreader", PASSWORD, "县级查阅")
        db.close()
        load = 0.0
        for n in range(townships):
            archive, _ = ServerArchive.open(cluster.url("bench", f"clerk{n + 1}"), PASSWORD)
            archive.login_as(f"clerk{n + 1}", "录入员")
            t, _ = timed(demo.generate, each, n + 1, ON, archive.writer())
            t2, _ = timed(refresh_all)
            load += t + t2
            archive.close()
        print(f"server: load {townships * each} children {load:.1f} s "
              f"({load / townships:.1f} s a township)")

        archive, _ = ServerArchive.open(cluster.url("bench", "clerk1"), PASSWORD)
        t, states = timed(check, repeat=3)
        print(f"server: check one township ({len(states)} open) {t:.2f} s")
        t, _ = timed(annex1, repeat=3)
        print(f"server: Annex 1 one township {t:.2f} s")
        median, worst = keystrokes()
        print(f"server: children filter per keystroke {median * 1000:.0f} ms median, "
              f"{worst * 1000:.0f} ms slowest")
        archive.close()
        archive, _ = ServerArchive.open(cluster.url("bench", "countyreader"), PASSWORD)
        t, states = timed(check)
        print(f"server: check the county ({len(states)} open) {t:.2f} s")
        t, _ = timed(annex1)
        print(f"server: Annex 1 for the county {t:.2f} s")
        from models.reports import ReportRequest
        from models.server.county_tables import by_township

        t, _ = timed(by_township, archive, ReportRequest("stats", ON))
        print(f"server: Annex 1 for the county, a column per township {t:.2f} s")
        from models.server.county_tables import township_sheets

        for kind, name in (("stats", "Annex 1"), ("screening", "Annex 2"),
                           ("school", "the school-term list")):
            t, _ = timed(township_sheets, archive, ReportRequest(kind, ON))
            print(f"server: {name} for the county, a table per township and 汇总 {t:.2f} s")
        archive.close()

        archive, _ = ServerArchive.open(cluster.url("bench", "clerk1"), PASSWORD)
        archive.login_as("clerk1", "录入员")
        child_ids = [i for (i,) in database.execute_sql(
            "SELECT id FROM child ORDER BY id LIMIT 500").fetchall()]
        before = Contact.select().count()
        save_times, failures = [], []
        deadline = time.monotonic() + seconds

        def clerk(n):
            archive.db.connect(reuse_if_open=True)
            writer = archive.writer()
            i = 0
            try:
                while time.monotonic() < deadline:
                    start = time.perf_counter()
                    writer.create(Contact, child=child_ids[(n * 50 + i) % len(child_ids)],
                                  on=ON, kind="电话", visitor=f"会话{n}", actions=f"第{i}次")
                    save_times.append(time.perf_counter() - start)
                    i += 1
            except Exception as exc:  # noqa: BLE001
                failures.append(exc)
            finally:
                archive.db.close()

        threads = [threading.Thread(target=clerk, args=(n,)) for n in range(sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        archive.db.connect(reuse_if_open=True)
        saved = Contact.select().count() - before
        distinct = database.execute_sql(
            "SELECT count(DISTINCT (visitor, actions)) FROM contact WHERE kind = '电话' "
            "AND visitor LIKE '会话%%'").fetchone()[0]
        from models.audit import verify_chain

        chain = verify_chain()
        p95 = statistics.quantiles(save_times, n=20)[18] if len(save_times) > 20 else max(save_times)
        print(f"server: {sessions} sessions saving visits for {seconds:.0f} s (one township, one "
              f"process): {len(save_times) / seconds:.1f} saves/s, p95 {p95 * 1000:.0f} ms; "
              f"{len(save_times)} saves timed, {saved} rows counted, {distinct} distinct, "
              f"failures {len(failures)}, audit chain problems {len(chain)}")
        archive.close()


if __name__ == "__main__":
    main()
