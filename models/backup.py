"""Encrypted backups: made online, verified before they count, rotated, and restored safely.

A backup is a copy of the archive encrypted with the same key, so the printed recovery code
opens it on any machine. It is written to a temporary file in the target folder, reopened,
checked (integrity and every table's row count against the archive) and only then renamed
to its final name: a backup that exists under its name is a verified one.
Restoring never overwrites an archive without first moving it (and its WAL) aside.
"""

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import peewee as pw

from models import keys, storage
from models.archive import SUFFIX, Archive, private_dir
from models.audit import verify_chain
from models.schema import Attachment

PREFIX = "童档备份"
PART_SUFFIX = ".part"
_NAME = re.compile(rf"^{PREFIX}-(?P<township>.+)-(?P<stamp>\d{{8}}-\d{{6}})(-\d+)?{re.escape(SUFFIX)}$")


class BackupError(Exception):
    """A backup or restore that failed; ``str()`` is a Chinese message for the user."""


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    aside: Path | None  # where the archive that was there before now is


# --- names -----------------------------------------------------------------------------

def backup_name(township: str, now: datetime | None = None) -> str:
    now = now or datetime.now()
    return f"{PREFIX}-{_safe(township)}-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def backup_time(path: Path) -> datetime | None:
    m = _NAME.match(Path(path).name)
    return datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S") if m else None


def default_folder(archive: Archive) -> Path:
    return archive.path.parent / PREFIX


def list_backups(folder: Path, township: str | None = None) -> list[Path]:
    """This folder's backups (of one township if given), newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        m = _NAME.match(path.name)
        if m and (township is None or m.group("township") == _safe(township)):
            found.append(path)
    return sorted(found, key=lambda p: (backup_time(p), p.name), reverse=True)


def _safe(township: str) -> str:
    """The township as a file-name part: letters and digits only (any script)."""
    text = "".join(ch if ch.isalnum() else "_" for ch in (township or "").strip())
    return text[:40] or "档案库"


# --- making ----------------------------------------------------------------------------

def make_backup(archive: Archive, out_path: Path | None = None, folder: Path | None = None,
                now: datetime | None = None) -> Path:
    """Write a verified backup; returns its path. Nothing is left behind when it fails."""
    from models.server import is_server

    if is_server(archive.db):  # the county database (models/server/township_file.py)
        raise BackupError("县级数据库由服务器自己备份（pg_dump）。要把本乡镇的档案写成加密的档案库文件，"
                          "请用 tongdang server --server 地址 backup --out 文件。")
    if out_path is not None:
        target = Path(out_path)
        if target.suffix != SUFFIX:
            target = target.with_name(target.name + SUFFIX)
    else:
        folder = Path(folder) if folder is not None else default_folder(archive)
        target = _free_name(folder / backup_name(archive.township.name, now))
    if target.resolve() == archive.path.resolve():
        raise BackupError("备份文件不能与档案库文件相同，请另选位置。")
    try:
        private_dir(target.parent)
    except OSError as exc:
        raise BackupError(f"无法创建备份文件夹“{target.parent}”：{exc.strerror}") from None
    temp = target.with_name(f".{target.name}{PART_SUFFIX}")
    _remove(temp)
    try:
        key_hex = archive.db.connect_params["passphrase"]
        storage.backup_to(archive.db, temp)
        expected = table_counts(archive.db)
        _single_file(temp, key_hex)
        problems = _check_copy(temp, key_hex, expected)
        if problems:
            raise BackupError("备份校验未通过，未保存：" + "；".join(problems[:5]))
        _fsync(temp)
        os.replace(temp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        _remove(temp)
        raise BackupError(f"备份失败：无法写入“{target}”（{exc.strerror or exc}）。"
                          "请检查磁盘空间和文件夹权限。") from None
    except BaseException:
        _remove(temp)
        raise
    return target


def auto_backup(archive: Archive, folder: Path | None = None, keep: int = 10, daily: bool = True,
                force: bool = False, now: datetime | None = None) -> Path | None:
    """The automatic backup: at most one a day (unless forced); keeps the newest ``keep``."""
    now = now or datetime.now()
    folder = Path(folder) if folder is not None else default_folder(archive)
    sweep_partial(folder)
    township = archive.township.name
    existing = list_backups(folder, township)
    if daily and not force and any(backup_time(p).date() == now.date() for p in existing):
        return None
    made = make_backup(archive, folder=folder, now=now)
    for old in list_backups(folder, township)[max(1, keep):]:
        _remove(old)
    return made


def sweep_partial(folder: Path) -> list[Path]:
    """Remove temporary files left by a backup that was interrupted (power cut, killed)."""
    removed = []
    folder = Path(folder)
    if folder.is_dir():
        for path in folder.glob(f".{PREFIX}-*{PART_SUFFIX}"):
            _remove(path)
            removed.append(path)
    return removed


def _free_name(path: Path) -> Path:
    n, candidate = 1, path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


# --- checking --------------------------------------------------------------------------

def table_counts(db) -> dict[str, int]:
    names = [r[0] for r in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name").fetchall()]
    return {name: db.execute_sql(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _single_file(path: Path, key_hex: str) -> None:
    """A backup needs no -wal/-shm beside it: switch the copy to a rollback journal."""
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    finally:
        conn.close()


def _check_copy(path: Path, key_hex: str, expected: dict[str, int]) -> list[str]:
    """Reopen a copy read-only with the key: integrity, and each table's row count."""
    conn = _open_read_only(path, key_hex)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        got = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()
    problems.extend(f"表 {name} 的记录数不一致（档案库 {expected.get(name)}，备份 {got.get(name)}）"
                    for name in sorted(set(expected) | set(got))
                    if expected.get(name) != got.get(name))
    return problems


def _open_read_only(path: Path, key_hex: str):
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(f"file:{Path(path).resolve().as_posix()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            raise storage.WrongKey("无法打开备份文件：恢复码不对，或文件不是童档档案库（备份）。"
                                   "请核对恢复码和文件后重试。") from None
        raise storage.DamagedArchive(f"备份文件已损坏，无法读取（{exc}）。请换一个备份文件。") from None
    return conn


def backup_head(path: Path, key_hex: str):
    """The audit chain head a backup carries (``models.audit.ChainHead``)."""
    from models.audit import GENESIS, ChainHead

    conn = _open_read_only(path, key_hex)
    try:
        count = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
        row = conn.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return ChainHead(count, row[0] if row else GENESIS)


def check_backup(backup_path: Path, recovery_code: str) -> dict[str, int]:
    """Open a backup with the recovery code and check it; its table counts when sound."""
    backup_path = Path(backup_path)
    if not backup_path.is_file():
        raise BackupError(f"找不到备份文件：{backup_path}")
    from sqlcipher3 import dbapi2 as sqlcipher

    key_hex = keys.key_from_recovery_code(recovery_code)
    conn = _open_read_only(backup_path, key_hex)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
                  for n in sorted(names) if not n.startswith("sqlite_")}
    except sqlcipher.DatabaseError as exc:  # damage found while reading pages
        raise storage.DamagedArchive(f"备份文件已损坏，无法读取（{exc}）。请换一个备份文件。") from None
    finally:
        conn.close()
    if problems:
        raise storage.DamagedArchive("备份文件已损坏：" + "；".join(problems[:5]))
    if "township" not in names or "audit_entry" not in names:
        raise BackupError("这个文件不是童档档案库的备份。")
    return counts


def archive_problems(archive: Archive) -> list[str]:
    """Everything ``tongdang verify`` checks, as Chinese sentences (empty when all is well)."""
    from sqlcipher3 import dbapi2 as sqlcipher

    try:
        own_check = getattr(archive, "database_problems", None)  # the server's (models/server)
        problems = [f"数据库完整性：{p}"
                    for p in (own_check() if own_check else storage.integrity_problems(archive.db))]
        problems += [p.message for p in verify_chain()]
        problems += _attachment_problems()
    except (pw.DatabaseError, sqlcipher.DatabaseError) as exc:
        return [f"档案库文件已损坏，读取时出错（{exc}）。请从备份恢复。"]
    return problems


def _attachment_problems() -> list[str]:
    query = Attachment.select(Attachment.id, Attachment.file_name, Attachment.sha256,
                              Attachment.content)
    return [f"附件“{att.file_name}”（第{att.id}号）的内容与登记的校验值不符。"
            for att in query.iterator()
            if hashlib.sha256(bytes(att.content)).hexdigest() != att.sha256]


# --- restoring -------------------------------------------------------------------------

def restore_backup(backup_path: Path, recovery_code: str, target_path: Path,
                   now: datetime | None = None) -> Path:
    return restore_backup_detailed(backup_path, recovery_code, target_path, now).target


IN_USE = ("档案库“{path}”正在被其他程序使用（童档窗口、正在运行的导入或其他命令），不能恢复。"
          "请先关闭所有使用这个档案库的童档程序，再重新恢复。档案库未改动。")


def restore_backup_detailed(backup_path: Path, recovery_code: str, target_path: Path,
                            now: datetime | None = None) -> RestoreResult:
    """Put a checked backup at ``target_path``; an archive already there is kept aside.

    Refused while any program has the archive open (the OS-level lock of
    ``models.filelock``). The path is never empty: the old archive is first linked (or
    copied) to its aside name, and the new file replaces it in one rename. A marker beside
    the archive says where the old one is if the restore is interrupted; the next opening
    reports it (``models.archive``).
    """
    from models.archive import private_dir, restore_marker_path
    from models.filelock import ArchiveLock

    backup_path, target = Path(backup_path), Path(target_path)
    check_backup(backup_path, recovery_code)
    key_hex = keys.key_from_recovery_code(recovery_code)
    _refuse_if_open(target)
    private_dir(target.parent)
    lock = ArchiveLock(target)
    try:
        alone = lock.try_exclusive()
    except OSError:
        alone = True  # a folder where no lock file can be made: nobody else can lock either
    if not alone:
        lock.release()
        raise BackupError(IN_USE.format(path=target))
    temp = target.with_name(f".{target.name}.restore{PART_SUFFIX}")
    marker = restore_marker_path(target)
    aside = None
    try:
        _remove(temp)
        _copy_synced(backup_path, temp)
        if target.exists():
            aside = _free_name(target.with_name(
                f"{target.stem}.恢复前-{(now or datetime.now()):%Y%m%d-%H%M%S}{SUFFIX}"))
        _write_marker(marker, backup_path, aside)
        if aside is not None:
            _keep_aside(target, aside)
        for extra in ("-wal", "-shm"):  # the old archive's journal must not meet the new file
            _remove(Path(str(target) + extra))
        os.replace(temp, target)
        _fsync_dir(target.parent)
        _remove(marker)
    except OSError as exc:
        _remove(temp)
        if aside is not None and target.exists():
            _undo_aside(target, aside)
            aside = None
        if not target.exists() or aside is None:
            _remove(marker)
        raise BackupError(f"恢复失败：无法写入“{target}”（{exc.strerror or exc}）。"
                          "原档案库未改动。请确认童档已关闭、磁盘有空间后重试。") from None
    finally:
        lock.release()
    with contextlib.suppress(keys.KeyError_):
        keys.store_key(target, key_hex)
    return RestoreResult(target, aside)


def _refuse_if_open(target: Path) -> None:
    from models.schema import database

    db = database.obj
    if db is not None and not db.is_closed() and Path(db.database).resolve() == target.resolve():
        raise BackupError("要恢复到的档案库正在打开，请先关闭后再恢复。")


def _write_marker(marker: Path, backup_path: Path, aside: Path | None) -> None:
    import json

    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"backup": str(backup_path), "aside": str(aside) if aside else None}, f,
                  ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())


def _keep_aside(target: Path, aside: Path) -> None:
    """The old archive under its aside name while it stays at ``target``: a hard link (no
    copy) where the file system has them, else a copy; its WAL moves with it."""
    try:
        os.link(target, aside)
    except OSError:
        _copy_synced(target, aside)
    wal = Path(str(target) + "-wal")
    if wal.exists():
        os.replace(wal, Path(str(aside) + "-wal"))
    _fsync_dir(target.parent)


def _undo_aside(target: Path, aside: Path) -> None:
    with contextlib.suppress(OSError):
        wal = Path(str(aside) + "-wal")
        if wal.exists() and not Path(str(target) + "-wal").exists():
            os.replace(wal, Path(str(target) + "-wal"))
        aside.unlink()


def _copy_synced(source: Path, dest: Path) -> None:
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
        while chunk := src.read(1024 * 1024):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


# --- files -----------------------------------------------------------------------------

def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        Path(path).unlink()


FOLDER_UNAVAILABLE = "备份文件夹不可用：{folder}，本次未备份。请插入U盘或在“设置”中更改备份位置。"


def folder_problem(folder: Path, chosen: bool = True) -> str | None:
    """A chosen folder (picked while it existed) that is missing now is a USB drive that is not
    plugged in: never create it on the computer instead. The folder beside the archive is
    simply created when its parent exists."""
    folder = Path(folder)
    if folder.is_dir() or (not chosen and folder.parent != folder and folder.parent.is_dir()):
        return None
    return FOLDER_UNAVAILABLE.format(folder=folder)


class Backups:
    """``archive.backups``: copies of this archive, made and checked; its soundness."""

    def __init__(self, archive: Archive):
        self.archive = archive

    def default_folder(self) -> Path:
        return default_folder(self.archive)

    def folder_problem(self, folder: Path, chosen: bool = True) -> str | None:
        """Why backups cannot go into ``folder`` now (``folder_problem``), or None."""
        return folder_problem(folder, chosen)

    def auto(self, folder: Path | None = None, keep: int = 10, daily: bool = True,
             force: bool = False) -> Path | None:
        """The automatic backup: at most one a day (unless forced); the newest ``keep`` kept."""
        return auto_backup(self.archive, folder, keep, daily=daily, force=force)

    def make(self, folder: Path | None = None, out_path: Path | None = None) -> Path:
        """A checked backup in ``folder`` (or at ``out_path``)."""
        return make_backup(self.archive, out_path=out_path, folder=folder)

    def problems(self) -> list[str]:
        """Every problem found in the archive file, the audit chain and the attachments."""
        return archive_problems(self.archive)

    def _key(self) -> str:
        return self.archive.db.connect_params["passphrase"]

    def head_of(self, backup: Path):
        """The audit chain head a backup of this archive holds (``backup_head``)."""
        return backup_head(backup, self._key())

    def check_trail(self, backup: Path):
        """Whether this archive's audit trail still holds what the backup's did
        (``tongdang verify --anchor 备份文件``)."""
        from models.integrity import check_backup_trail

        return check_backup_trail(backup, self._key())
