"""Moving a township file into the county database (issue 16, item 4), timed on a big file.

    python bench/bench_township_import.py ARCHIVE [CHECK_JSON] [ON]

Copies ARCHIVE (never writes to it) and runs ``tongdang server import`` on a throwaway local
PostgreSQL (tests/pgserver/pgcluster.py; as ``nobody`` when run as root), then ``check --json
--on ON`` through the server as a county login, compared byte for byte with CHECK_JSON (the
file's own output), ``verify`` on the server, and the import run a second time.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
PASSWORD = "Bench-Pass-2026"


def tongdang(args, password, out=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TONGDANG_PASSWORD": password}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "desktop.cli", *args], env=env,
                            stdout=out or subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - start, result


def main():
    source = Path(sys.argv[1])
    expected = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    on = sys.argv[3] if len(sys.argv) > 3 else "2026-11-25"
    from pgserver.pgcluster import Cluster

    from models.schema import database
    from models.server import connection, county, logins

    with tempfile.TemporaryDirectory() as folder, Cluster() as cluster:
        path = Path(folder) / source.name
        shutil.copyfile(source, path)
        cluster.create_database("county")
        owner = cluster.url("county")
        db = connection.connect(connection.ServerSetting.parse(owner), cluster.password)
        database.initialize(db)
        county.create_county(db)
        logins.add_login(db, "bench_county", PASSWORD, "县级管理员")
        db.close()

        t, result = tongdang(["server", "--server", owner, "import", str(path), "--township",
                              "迁入镇"], cluster.password)
        print(f"import: {t:.1f} s (exit {result.returncode})")
        print(result.stdout.strip() or result.stderr.strip())
        county_login = ["--server", cluster.url("county", "bench_county"), "--town", "迁入镇"]
        if expected:
            out_path = Path(folder) / "check.json"
            with open(out_path, "w") as out:
                t, result = tongdang([*county_login, "check", "--json", "--on", on], PASSWORD, out)
            same = out_path.read_bytes() == expected.read_bytes()
            print(f"check --json on the server: {t:.1f} s; byte-identical to {expected.name}: {same}")
        t, result = tongdang([*county_login, "verify"], PASSWORD)
        print(f"verify on the server: {t:.1f} s (exit {result.returncode})")
        print(result.stdout.strip()[:600])
        t, result = tongdang(["server", "--server", owner, "import", str(path), "--township",
                              "迁入镇"], cluster.password)
        print(f"import again: {t:.1f} s (exit {result.returncode}): {result.stdout.strip()[:120]}")


if __name__ == "__main__":
    main()
