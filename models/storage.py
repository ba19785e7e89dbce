"""The encrypted SQLite file: connecting with a raw key, pragmas, and SQLite-only SQL.

This is the only module that knows the archive is SQLite/SQLCipher.
"""

import json
import os
import sys
import time
from contextlib import contextmanager, suppress
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


class ArchiveBusy(ArchiveOpenError):
    """Another program held the write lock for longer than we wait."""


class ArchiveReplaced(ArchiveOpenError):
    """The file at the archive's path is no longer the one this program opened."""


class ArchiveInUse(ArchiveOpenError):
    """Another program has the archive open (restore and replacement are refused)."""


# What SQLite says when another connection holds the write lock.
BUSY_MARKERS = ("database is locked", "database is busy", "database table is locked")
# What SQLite/SQLCipher says when pages of the file are damaged.
DAMAGE_MARKERS = ("malformed", "not a database", "disk image", "file is encrypted",
                  "database corrupt")
DAMAGED_MESSAGE = ("档案库文件已损坏，无法读取（{detail}）。为免损坏扩大，本次没有写入任何内容。"
                   "请从最近的备份恢复：在命令行运行“tongdang restore 备份文件”，"
                   "或重新打开童档时点击“从备份恢复…”，选择最近的备份文件"
                   "（备份默认在档案库旁的“童档备份”文件夹）。")
WAIT_MESSAGE = "另一个程序正在{what}，请稍候…"
WAIT_LIMIT_SECONDS = 30 * 60  # an import of the largest ledgers ends well within this
BUSY_MESSAGE = ("另一个程序（{what}）长时间占用档案库，本次操作没有保存。"
                "请等它完成后重试；如果那个程序已经没有反应，请关闭它后再试。")
REPLACED_MESSAGE = ("档案库文件“{path}”已被替换或移走（例如在别处从备份恢复了档案库）。"
                    "为免把内容写进旧文件，本窗口不再保存。请关闭童档后重新打开档案库，"
                    "再检查最近录入的内容。")


def is_busy_error(exc: BaseException) -> bool:
    return any(m in str(exc).lower() for m in BUSY_MARKERS)


def is_damage_error(exc: BaseException) -> bool:
    return any(m in str(exc).lower() for m in DAMAGE_MARKERS)


def damaged(detail) -> DamagedArchive:
    return DamagedArchive(DAMAGED_MESSAGE.format(detail=detail))


def file_identity(path) -> tuple | None:
    """Which file is at ``path`` (device and inode / file index); None when nothing is."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# --- announcing long writes -----------------------------------------------------------------

def busy_note_path(path) -> Path:
    path = Path(path)
    return path.with_name(f".{path.name}.busy")


@contextmanager
def announce(path, what: str):
    """While a long write runs (a ledger import), other programs that wait for the archive
    say what they wait for. The note holds only a label, a process id and a time."""
    note = busy_note_path(path)
    # Two programs may announce at once: each writes its own file and renames it into place,
    # so a reader sees one whole note, never two interleaved.
    draft = note.with_name(f"{note.name}.{os.getpid()}")
    try:
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"what": what, "pid": os.getpid(), "since": time.time()}, f,
                      ensure_ascii=False)
        os.replace(draft, note)
    except OSError:
        with suppress(OSError):
            draft.unlink()
        note = None
    try:
        yield
    finally:
        if note is not None:
            with suppress(OSError, ValueError, AttributeError):
                current = json.loads(note.read_text(encoding="utf-8"))
                if current.get("pid") == os.getpid():
                    note.unlink()


def current_activity(path) -> str:
    """What another program announced it is doing with the archive (else a general phrase)."""
    with suppress(OSError, ValueError, TypeError, AttributeError):
        data = json.loads(busy_note_path(path).read_text(encoding="utf-8"))
        pid, what = int(data["pid"]), str(data["what"])[:40]
        if pid != os.getpid() and _alive(pid) and what:
            return what
    return "写入档案库"


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _print_wait(message: str | None) -> None:
    if message:
        print(message, file=sys.stderr, flush=True)


# Called with the Chinese wait message when a write starts to wait for another program, with
# None while it still waits, and with "" when it got the lock (the command line prints the
# message; the window shows it). Replaced by desktop code.
on_wait = _print_wait


PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "synchronous": "normal", "busy_timeout": 5000}


class RawKeyDatabase(SqlCipherDatabase):
    """SQLCipher opened with a raw 256-bit key: no key derivation on every open."""

    returns_dates = True  # DATE columns are converted by the driver
    file_identity: tuple | None = None  # the file that was opened (see ``begin``)

    def begin(self, lock_type=None):
        """Every transaction takes the write lock at once (``BEGIN IMMEDIATE``): a deferred
        one that read first could not wait for another writer and failed with "database is
        locked". While another program writes (a long import), we wait and say so, then give
        up with a Chinese message. Writing into a file that was replaced since it was opened
        is refused."""
        if self.file_identity is not None and file_identity(self.database) != self.file_identity:
            raise ArchiveReplaced(REPLACED_MESSAGE.format(path=self.database))
        statement = f"BEGIN {lock_type or 'IMMEDIATE'}"
        deadline, told = None, False
        while True:
            try:
                self.cursor().execute(statement)
            except Exception as exc:
                if not is_busy_error(exc):
                    if is_damage_error(exc):
                        raise damaged(exc) from None
                    raise
            else:
                if told:
                    self._set_busy_timeout(PRAGMAS["busy_timeout"])
                    on_wait("")  # the wait is over
                return
            now = time.monotonic()
            what = current_activity(self.database)
            if deadline is None:
                deadline = now + WAIT_LIMIT_SECONDS
                told = True
                on_wait(WAIT_MESSAGE.format(what=what))
                self._set_busy_timeout(500)  # short waits, so that the window stays alive
            elif now > deadline:
                self._set_busy_timeout(PRAGMAS["busy_timeout"])
                raise ArchiveBusy(BUSY_MESSAGE.format(what=what))
            else:
                on_wait(None)  # still waiting (the window processes its events)

    def _set_busy_timeout(self, ms: int) -> None:
        with suppress(Exception):
            self.cursor().execute(f"PRAGMA busy_timeout = {int(ms)}")

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
    if not Path(path).exists():  # a new archive: readable by its owner only (-wal, -shm follow)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    db = RawKeyDatabase(str(path), passphrase=key_hex, pragmas=PRAGMAS)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        db.file_identity = file_identity(path)
    except pw.DatabaseError as exc:
        db.close()
        message = str(exc)
        if "not a database" in message:
            raise WrongKey(
                "无法打开档案库：恢复码不对，或文件不是童档档案库、文件开头已损坏。"
                "请核对恢复码后重试；恢复码无误时请从备份恢复。"
            ) from None
        if is_busy_error(exc):
            raise ArchiveBusy(BUSY_MESSAGE.format(what=current_activity(path))) from None
        raise damaged(message) from None
    return db


def quick_check(db: pw.Database) -> None:
    """Read every page once (SQLCipher checks each page's HMAC) before a command writes:
    a damaged archive is refused with the damaged-archive message instead of written into."""
    try:
        rows = db.execute_sql("PRAGMA quick_check").fetchall()
    except pw.DatabaseError as exc:
        raise damaged(exc) from None
    problems = [r[0] for r in rows if r[0] != "ok"]
    if problems:
        raise damaged("；".join(problems[:3]))


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
    if not Path(target).exists():  # readable by its owner only
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    dest = sqlcipher.connect(str(target))
    try:
        dest.execute("PRAGMA cipher_log_level = NONE")
        dest.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        db.connection().backup(dest)
    finally:
        dest.close()
