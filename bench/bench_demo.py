"""Benchmark: `demo --children N` into an encrypted archive, and the same bulk insert on plain SQLite.

    python bench/bench_demo.py [N]

Prints wall time and file size for both. Not part of the test suite.
"""

import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from peewee import SqliteDatabase

from models import demo, keys
from models.archive import Archive
from models.derived import refresh_all
from models.roles import SYSTEM
from models.schema import ALL_MODELS, SCHEMA_VERSION, Township, database
from models.storage import PRAGMAS, set_user_version
from models.writer import Writer

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"


def size_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return total / 1e6


def encrypted(n: int, folder: Path) -> tuple[float, float, float]:
    path = folder / "enc.tongdang"
    with mock.patch.object(keys, "store_key"):
        archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=CODE)
    start = time.perf_counter()
    demo.generate(n, seed=1, writer=archive.writer())
    generated = time.perf_counter() - start
    refresh_all()
    total = time.perf_counter() - start
    archive.close()
    return generated, total, size_mb(path)


def plain(n: int, folder: Path) -> tuple[float, float]:
    path = folder / "plain.sqlite"
    db = SqliteDatabase(str(path), pragmas=PRAGMAS)
    database.initialize(db)
    db.create_tables(ALL_MODELS)
    set_user_version(db, SCHEMA_VERSION)
    writer = Writer(SYSTEM, SYSTEM)
    writer.create(Township, name="丹朱镇", county="长子县", profile="changzhi",
                  created_on=__import__("datetime").date.today())
    start = time.perf_counter()
    demo.generate(n, seed=1, writer=writer)
    elapsed = time.perf_counter() - start
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return elapsed, size_mb(path)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gen, total, enc_size = encrypted(n, folder)
        plain_time, plain_size = plain(n, folder)
    print(f"children: {n}")
    print(f"SQLCipher: generate {gen:.1f} s, with rule state {total:.1f} s, size {enc_size:.0f} MB")
    print(f"plain SQLite: generate {plain_time:.1f} s, size {plain_size:.0f} MB")
    print(f"ratio SQLCipher / plain: {gen / plain_time:.2f}")


if __name__ == "__main__":
    main()
