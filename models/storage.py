"""The encrypted SQLite file: connecting with a raw key, pragmas, and SQLite-only SQL.

This is the only module that knows the archive is SQLite/SQLCipher.
"""

from datetime import date
from functools import lru_cache
from pathlib import Path

import peewee as pw
from playhouse.sqlcipher_ext import SqlCipherDatabase


class ArchiveOpenError(Exception):
    """The archive cannot be opened; ``str()`` is a Chinese message for the user."""


class WrongKey(ArchiveOpenError):
    pass


class DamagedArchive(ArchiveOpenError):
    pass


PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "synchronous": "normal", "busy_timeout": 5000}


class RawKeyDatabase(SqlCipherDatabase):
    """SQLCipher opened with a raw 256-bit key: no key derivation on every open."""

    returns_dates = True  # DATE columns are converted by the driver

    def _connect(self):
        params = dict(self.connect_params)
        key_hex = params.pop("passphrase")
        params.pop("key_hex", None)
        from sqlcipher3 import dbapi2 as sqlcipher

        conn = sqlcipher.connect(self.database, isolation_level=None,
                                 detect_types=sqlcipher.PARSE_DECLTYPES, **params)
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
            self._add_conn_hooks(conn)
        except Exception:
            conn.close()
            raise
        return conn


def _date_from_column(raw: bytes):
    """DATE columns come back as dates from the driver itself: whole-archive views read
    hundreds of thousands of them, and converting them in Python row by row was slow."""
    text = raw.decode("utf-8", "replace")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return text


def _register_converters() -> None:
    from sqlcipher3 import dbapi2 as sqlcipher

    # An archive holds a few thousand distinct days in hundreds of thousands of rows; the
    # cache (C code) answers most of them without calling into Python. Dates are immutable.
    sqlcipher.register_converter("DATE", lru_cache(maxsize=8192)(_date_from_column))


_register_converters()


def connect(path: Path, key_hex: str) -> RawKeyDatabase:
    """Open (or create) the encrypted file; wrong keys and damage become clear errors."""
    if not all(c in "0123456789abcdef" for c in key_hex.lower()) or len(key_hex) != 64:
        raise WrongKey("密钥格式不正确。")
    db = RawKeyDatabase(str(path), passphrase=key_hex, pragmas=PRAGMAS)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except pw.DatabaseError as exc:
        db.close()
        message = str(exc)
        if "not a database" in message:
            raise WrongKey(
                "无法打开档案库：恢复码不对，或文件不是童档档案库、文件开头已损坏。"
                "请核对恢复码后重试；恢复码无误时请从备份恢复。"
            ) from None
        raise DamagedArchive(f"档案库文件已损坏，无法读取（{message}）。可以从备份恢复。") from None
    return db


def get_user_version(db: pw.Database) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def set_user_version(db: pw.Database, version: int) -> None:
    db.execute_sql(f"PRAGMA user_version = {int(version)}")


def integrity_problems(db: pw.Database) -> list[str]:
    rows = db.execute_sql("PRAGMA integrity_check").fetchall()
    problems = [r[0] for r in rows if r[0] != "ok"]
    problems += [f"外键错误：{r}" for r in db.execute_sql("PRAGMA foreign_key_check").fetchall()]
    return problems


def checkpoint(db: pw.Database) -> None:
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def backup_to(db: RawKeyDatabase, target: Path) -> None:
    """Copy the open archive to ``target``, encrypted with the same key (online backup)."""
    from sqlcipher3 import dbapi2 as sqlcipher

    key_hex = db.connect_params["passphrase"]
    dest = sqlcipher.connect(str(target))
    try:
        dest.execute("PRAGMA cipher_log_level = NONE")
        dest.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        db.connection().backup(dest)
    finally:
        dest.close()
