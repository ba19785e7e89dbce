"""The county 工作台 (issue 17, item 1) on a county of TOWNSHIPS × CHILDREN_EACH: the township
table (``archive.county.overview``) and the whole county page's data, beside a bare SQL read
of the same columns. Wall and CPU time, median of 5.

    python bench/bench_county_overview.py [TOWNSHIPS] [CHILDREN_EACH]   # load, measure, stop
    python bench/bench_county_overview.py --serve [TOWNSHIPS] [CHILDREN_EACH]
    python bench/bench_county_overview.py --url postgresql://countyreader@127.0.0.1:PORT/bench?sslmode=disable

``--serve`` loads a throwaway cluster (tests/pgserver/pgcluster.py) and keeps it running, for
measurements and screenshots, until it gets SIGTERM or SIGINT; it prints the
address of its logins (password ``PASSWORD`` below). ``--url`` measures a county loaded so.
Defaults: 20 townships × 2,000 children.
"""

import signal
import statistics
import sys
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

PASSWORD = "Bench-Pass-2026"
NAMES = ("丹朱镇", "鲍店镇", "石哲镇", "大堡头镇", "慈林镇", "色头镇", "南漳镇", "宋村镇", "南陈乡",
         "岚水乡", "碾张乡", "常张乡", "东坡乡", "西峪乡", "城关镇", "北高庙乡", "张店镇", "韩坊乡",
         "王村镇", "苏村乡")


def township_name(n: int) -> str:
    return NAMES[n] if n < len(NAMES) else f"第{n + 1}镇"


def load(cluster, townships: int, each: int) -> None:
    """Townships with demo children (their cached columns for today), a spot-check of most of
    them, a 县级查阅 ``countyreader`` and a 县级管理员 ``countyadmin``."""
    from models import demo
    from models.derived import refresh_all
    from models.schema import SpotCheck
    from models.server import county, county_settings, logins
    from models.server.archive import ServerArchive, open_as_owner

    cluster.create_database("bench")
    db = open_as_owner(cluster.url("bench"), cluster.password)
    county.create_county(db)  # as `server init` makes it, the county's own tables included
    county_settings.create_tables(db)
    for n in range(townships):
        tid = logins.add_township(db, township_name(n), "长子县", "changzhi")
        logins.add_login(db, f"clerk{n + 1}", PASSWORD, "管理员", tid)
    logins.add_login(db, "countyreader", PASSWORD, "县级查阅")
    logins.add_login(db, "countyadmin", PASSWORD, "县级管理员")
    db.close()
    today = date.today()
    started = time.perf_counter()
    for n in range(townships):
        archive, _ = ServerArchive.open(cluster.url("bench", f"clerk{n + 1}"), PASSWORD)
        archive.login_as(f"clerk{n + 1}", "管理员")
        demo.generate(each, n + 1, today, archive.writer())
        if n % 4 != 3:  # every fourth township was not checked yet
            archive.writer().create(SpotCheck, on=today - timedelta(days=30 + 47 * n),
                                    inspector="县民政局", share=0.1, seed=f"bench{n}",
                                    sample="[]")
        refresh_all(today)
        archive.close()
        print(f"  {township_name(n)} loaded ({time.perf_counter() - started:.0f} s)", flush=True)


def timed(fn, repeat=5):
    """Median wall and CPU seconds of ``repeat`` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


BARE_SQL = """SELECT township_id, count(*), count(*) FILTER (WHERE colour = 'red'),
                     count(*) FILTER (WHERE next_contact_due < %s),
                     count(*) FILTER (WHERE next_home_visit_due < %s)
              FROM child WHERE closed_on IS NULL GROUP BY township_id"""


def measure(url: str) -> None:
    from models.server.archive import ServerArchive
    from models.server.county_overview import AGREEMENT_MISSING, OVERDUE_CONTACT

    archive, _ = ServerArchive.open(url, PASSWORD)
    archive.county.choose(None)
    today = date.today()
    county = archive.county
    rows = [
        ("bare SQL: one grouped read of the cached columns",
         lambda: archive.db.execute_sql(BARE_SQL, (today, today)).fetchall()),
        ("township table (archive.county.overview)", lambda: county.overview(today)),
        ("children behind 合计 联系逾期 (child_ids)",
         lambda: county.child_ids(None, OVERDUE_CONTACT, today)),
        ("children behind 合计 未签或失效协议 (child_ids)",
         lambda: county.child_ids(None, AGREEMENT_MISSING, today)),
    ]
    timed(rows[1][1], repeat=1)  # imports and the first connection
    for label, fn in rows:
        wall, cpu, _result = timed(fn)
        print(f"{label}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU (median of 5)")
    measure_window(archive)
    archive.close()


def measure_window(archive) -> None:
    """The county 工作台 in the window (offscreen): from making the page to its table drawn
    with the overview that a worker thread read (what a county login waits for)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.app import make_application, prepare_archive
    from desktop.context import AppContext
    from desktop.pages import county as county_page
    from desktop.worker import run_in_background

    make_application()
    prepare_archive(archive)
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        holder = QApplication.activeWindow()
        context = AppContext(archive=archive, run_in_background=partial(run_in_background,
                                                                        parent=holder))
        page = county_page.Page(context)
        page.resize(1200, 700)
        page.show()
        page.refresh()
        while page.overview is None:
            QApplication.processEvents()
            time.sleep(0.002)
        page.repaint()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        page.close()
        page.deleteLater()
        QApplication.processEvents()
    print(f"county 工作台 page, made to drawn with its table: "
          f"{statistics.median(walls) * 1000:.0f} ms wall, {statistics.median(cpus) * 1000:.0f} ms "
          "CPU (median of 5)")


def serve(townships: int, each: int) -> None:
    from pgserver.pgcluster import Cluster

    cluster = Cluster().start()
    try:
        load(cluster, townships, each)
        print("URL", cluster.url("bench", "countyreader"), flush=True)
        print("ADMIN", cluster.url("bench", "countyadmin"), flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
        while True:
            signal.pause()
    finally:
        cluster.stop()


def main():
    args = sys.argv[1:]
    if args[:1] == ["--url"]:
        measure(args[1])
        return
    serving = args[:1] == ["--serve"]
    numbers = [int(a) for a in args[serving:]]
    townships, each = (numbers + [20, 2000][len(numbers):])[:2]
    if serving:
        serve(townships, each)
        return
    from pgserver.pgcluster import Cluster

    print(f"{townships} townships × {each} children")
    with Cluster() as cluster:
        started = time.perf_counter()
        load(cluster, townships, each)
        print(f"loaded in {time.perf_counter() - started:.0f} s")
        measure(cluster.url("bench", "countyreader"))


if __name__ == "__main__":
    main()
