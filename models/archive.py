"""Opening, creating and migrating one township's archive.

One archive is open per process (peewee's ``database`` proxy points at it).
"""

import contextlib
import functools
import glob
import json
import os
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from models import keys, migrations, storage
from models.filelock import ArchiveLock
from models.roles import SYSTEM
from models.schema import (
    ALL_MODELS,
    SCHEMA_VERSION,
    Child,
    Contact,
    Township,
    User,
    Village,
    database,
)
from models.writer import Writer

if TYPE_CHECKING:
    from models.attachments import Attachments
    from models.audit import Audit
    from models.backup import Backups
    from models.child_file import ChildFile
    from models.children import Children
    from models.dashboard import DashboardFacet
    from models.dashboard_counts import Counts
    from models.directors import Directors
    from models.drafts import Drafts
    from models.ledger_import import Ledger
    from models.local_practice import LocalPractice
    from models.records import Records
    from models.reporting import Reporting
    from models.reports import Reports
    from models.showcase import Showcase
    from models.spotcheck import SpotChecks
    from models.state import States
    from models.users import Users

ARCHIVE_ENV = "TONGDANG_ARCHIVE"
SUFFIX = ".tongdang"
# The demo archive holds only fictional children; its code is public so that it opens anywhere.
DEMO_RECOVERY_CODE = "DEMO-0000-0000-0000-0000-0000-0000-0000"


class ArchiveNotFound(storage.ArchiveOpenError):
    pass


class ArchiveExists(storage.ArchiveOpenError):
    pass


def data_dir() -> Path:
    return platformdirs.user_data_path("tongdang", appauthor=False)


def default_path() -> Path:
    env = os.environ.get(ARCHIVE_ENV)
    return Path(env) if env else data_dir() / f"archive{SUFFIX}"


def demo_path() -> Path:
    return data_dir() / f"demo{SUFFIX}"


_demo_key: str | None = None


def _demo_code_if_demo(path: Path) -> str | None:
    """The public demo code when it opens ``path`` (a demo archive never asks for its code)."""
    global _demo_key
    if _demo_key is None:
        _demo_key = keys.key_from_recovery_code(DEMO_RECOVERY_CODE)
    try:
        storage.connect(path, _demo_key).close()
    except storage.ArchiveOpenError:
        return None
    return DEMO_RECOVERY_CODE


@dataclass
class OpenResult:
    key_source: str  # "keyring" or "recovery_code"
    migrated_from: int | None = None
    copy_aside: Path | None = None
    key_stored: bool = False
    warning: str | None = None  # e.g. an interrupted restore; show it to the user
    swept: list[Path] | None = None  # temporary files of killed backups/restores removed


RESTORE_MARKER = ".restoring"  # beside the archive while a restore replaces it
OPEN_WAIT_SECONDS = 10
IN_USE_BY_RESTORE = ("档案库正在被替换（另一个程序正在从备份恢复），暂时不能打开。"
                     "请等恢复完成后再打开。")


def restore_marker_path(path: Path) -> Path:
    path = Path(path)
    return path.with_name(f".{path.name}{RESTORE_MARKER}")


def private_dir(folder: Path) -> None:
    """Create a folder that only its owner can enter (0700 on POSIX)."""
    folder = Path(folder)
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)


def _take_lock(path: Path) -> tuple[ArchiveLock, bool]:
    """The shared lock held while open; (lock, alone) where ``alone`` means no other program
    had the archive open at that moment (so leftovers of killed programs can be swept)."""
    lock = ArchiveLock(path)
    # Another program that is opening holds the lock alone for a moment (to sweep leftovers)
    # before sharing it; only a restore holds it alone for longer.
    deadline = time.monotonic() + OPEN_WAIT_SECONDS
    while True:
        try:
            if lock.try_exclusive():
                return lock, True
            if lock.try_shared():
                return lock, False
        except OSError:  # a read-only folder: open without the lock rather than not at all
            lock.release()
            return None, False
        if time.monotonic() > deadline:
            raise storage.ArchiveInUse(IN_USE_BY_RESTORE)
        time.sleep(0.05)


def sweep_leftovers(path: Path) -> list[Path]:
    """Temporary files of backups and restores that were killed (power cut, task manager):
    called only when no other program has the archive open, so none of them is in use."""
    path = Path(path)
    note = storage.busy_note_path(path)
    found = [path.with_name(f".{path.name}.restore.part"), note,
             *path.parent.glob(f"{glob.escape(note.name)}.*")]  # a killed announcer's draft
    backups = path.parent / "童档备份"
    if backups.is_dir():
        found += backups.glob(".童档备份-*.part")
    removed = []
    for leftover in found:
        with contextlib.suppress(OSError):
            if leftover.is_file():
                leftover.unlink()
                removed.append(leftover)
    return removed


def _interrupted_restore(path: Path) -> str | None:
    marker = restore_marker_path(path)
    if not marker.exists():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    aside = data.get("aside") or "（未知）"
    backup = data.get("backup") or "（未知）"
    with contextlib.suppress(OSError):
        marker.unlink()
    return (f"上次从备份“{backup}”恢复档案库时被中断（可能断电或程序被关闭），恢复可能没有完成。"
            f"原来的档案库保存在：{aside}。当前打开的是这个位置现有的档案库；"
            "请检查其中的内容，如有缺失请重新运行恢复。")


class Archive:
    on_server = False  # the county database's archive (models/server/archive.py) says True

    def __init__(self, path: Path, db: storage.RawKeyDatabase, lock: ArchiveLock | None = None):
        self.path = Path(path)
        self.db = db
        self.lock = lock
        self.open_warning: str | None = None  # e.g. an interrupted restore (OpenResult.warning)
        self.username, self.role = SYSTEM, SYSTEM
        self.on_children_changed = None  # set by models.state to refresh cached rule results

    # -- creation and opening ---------------------------------------------------------
    @classmethod
    def create(cls, path: Path, township: str, county: str, profile: str,
               recovery_code: str | None = None, is_demo: bool = False,
               area_code: str = "") -> tuple["Archive", str]:
        from models.profiles import get_profile

        get_profile(profile)  # unknown profile: clear error before anything is written
        path = Path(path)
        if path.exists():
            raise ArchiveExists(f"档案库文件已存在：{path}。如需新建，请换一个位置或文件名。")
        private_dir(path.parent)
        code = recovery_code or keys.new_recovery_code()
        key_hex = keys.key_from_recovery_code(code)
        lock, _ = _take_lock(path)
        try:
            db = storage.connect(path, key_hex)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        if lock is not None:
            lock.try_shared()
        database.initialize(db)
        with db.atomic():
            db.create_tables(ALL_MODELS)
            storage.set_user_version(db, SCHEMA_VERSION)
            archive = cls(path, db, lock)
            archive.writer().create(Township, name=township, county=county, profile=profile,
                                    is_demo=is_demo, area_code=area_code, created_on=date.today())
        _try_store_key(path, key_hex)
        return archive, keys.format_recovery_code(keys.normalise_recovery_code(code))

    @classmethod
    def open(cls, path: Path, recovery_code: str | None = None) -> tuple["Archive", OpenResult]:
        """Open through the keyring, else the recovery code (argument or environment)."""
        path = Path(path)
        if not path.exists():
            raise ArchiveNotFound(f"找不到档案库文件：{path}。可以新建档案库，或打开其他位置的档案库。")
        if path.stat().st_size == 0:
            raise storage.DamagedArchive(
                f"档案库文件是空的（0字节）：{path}。文件可能在复制或保存时损坏，请从备份恢复。")
        key_hex, source = None, "keyring"
        if recovery_code is None:
            key_hex = keys.load_key(path)
            if key_hex is None:
                recovery_code = keys.recovery_code_from_env()
        if key_hex is None:
            if recovery_code is None:
                recovery_code = _demo_code_if_demo(path)
            if recovery_code is None:
                raise NeedRecoveryCode(_need_code_message())
            key_hex, source = keys.key_from_recovery_code(recovery_code), "recovery_code"
        return cls._open_with_key(path, key_hex, source)

    @classmethod
    def open_copy(cls, path: Path, key_hex: str) -> "Archive":
        """A copy whose key the program holds (the archive in a 上报包): opened, migrated
        if older, its key never stored."""
        return cls._open_with_key(Path(path), key_hex, "package")[0]

    @classmethod
    def _open_with_key(cls, path: Path, key_hex: str, source: str) -> tuple["Archive", OpenResult]:
        lock, alone = _take_lock(path)
        result = OpenResult(key_source=source)
        try:
            if alone:
                result.swept = sweep_leftovers(path)
                result.warning = _interrupted_restore(path)
                lock.try_shared()  # others may open it too; only a restore needs it alone
            db = storage.connect(path, key_hex)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        database.initialize(db)  # migration steps may use the models
        try:
            steps = migrations.pending(db)
            if steps:
                result.migrated_from = steps[0] - 1
                result.copy_aside = _copy_aside(db, path, steps[0] - 1)
                migrations.migrate_forward(db)
        except Exception:
            db.close()
            if lock is not None:
                lock.release()
            raise
        if source == "recovery_code":
            result.key_stored = _try_store_key(path, key_hex)
        archive = cls(path, db, lock)
        archive.open_warning = result.warning
        return archive, result

    @classmethod
    def filled_demo(cls, path: Path, children: int, seed: int) -> "Archive":
        """A new demo archive with ``children`` generated children (screenshots, fit check)."""
        from models.demo_archive import filled_demo_archive

        return filled_demo_archive(path, children, seed)

    def close(self) -> None:
        try:
            if not self.db.is_closed():
                with contextlib.suppress(Exception):  # a damaged or replaced file still closes
                    storage.checkpoint(self.db)
                self.db.close()
        finally:
            if self.lock is not None:
                self.lock.release()

    def file_replaced(self) -> bool:
        """True when the file at ``path`` is no longer the one opened (replaced or moved)."""
        opened = self.db.file_identity
        return opened is not None and storage.file_identity(self.path) != opened

    def check_sound(self) -> None:
        """Before a command writes: every page readable (``DamagedArchive`` otherwise)."""
        storage.quick_check(self.db)

    def announce(self, what: str):
        """``with archive.announce("导入台账"):`` other programs waiting to open it say why."""
        return storage.announce(self.path, what)

    # -- who is writing -----------------------------------------------------------------
    def login_as(self, username: str, role: str) -> None:
        self.username, self.role = username, role

    def writer(self) -> Writer:
        return Writer(self.username, self.role, self._children_changed)

    def _children_changed(self, ids: set[int]) -> None:
        if self.on_children_changed:
            self.on_children_changed(ids)

    # -- facts about the archive --------------------------------------------------------
    @property
    def township(self) -> Township:
        return Township.get()

    def counts(self) -> dict[str, int]:
        open_children = Child.select().where(Child.closed_on.is_null()).count()
        return {
            "儿童（在档）": open_children,
            "儿童（已结案）": Child.select().count() - open_children,
            "村（社区）": Village.select().count(),
            "走访记录": Contact.select().count(),
            "用户": User.select().count(),
        }

    def schema_version(self) -> int:
        return storage.get_user_version(self.db)

    # --- the archive API: one facet per concern (docs/architecture.md) ---
    # desktop/ reaches the archive only through these (tests/test_layout.py); each facet is a
    # class in its own module of models/, made on first use, holding this archive.
    @functools.cached_property
    def children(self) -> "Children":
        from models.children import Children
        return Children(self)

    @functools.cached_property
    def dashboard(self) -> "DashboardFacet":
        from models.dashboard import DashboardFacet
        return DashboardFacet(self)

    def quick_counts(self, on: date) -> "Counts | None":
        """The 工作台's counts alone, from the cached rule columns (None when not of ``on``);
        without the rules that ``archive.dashboard`` brings (a tenth of a second to import)."""
        from models.dashboard_counts import quick_counts
        return quick_counts(on)

    @functools.cached_property
    def reports(self) -> "Reports":
        from models.reports import Reports
        return Reports(self)

    @functools.cached_property
    def spotchecks(self) -> "SpotChecks":
        from models.spotcheck import SpotChecks
        return SpotChecks(self)

    @functools.cached_property
    def users(self) -> "Users":
        from models.users import Users
        return Users(self)

    @functools.cached_property
    def directors(self) -> "Directors":
        from models.directors import Directors
        return Directors(self)

    @functools.cached_property
    def audit(self) -> "Audit":
        from models.audit import Audit
        return Audit(self)

    @functools.cached_property
    def settings(self) -> "LocalPractice":
        from models.local_practice import LocalPractice
        return LocalPractice(self)

    @functools.cached_property
    def backups(self) -> "Backups":
        from models.backup import Backups
        return Backups(self)

    def child_file(self, child_id: int) -> "ChildFile":
        from models.child_file import ChildFile
        return ChildFile(self, child_id)

    @functools.cached_property
    def attachments(self) -> "Attachments":
        from models.attachments import Attachments
        return Attachments(self)

    @functools.cached_property
    def records(self) -> "Records":
        from models.records import Records
        return Records(self)

    @functools.cached_property
    def ledger(self) -> "Ledger":
        from models.ledger_import import Ledger
        return Ledger(self)

    @functools.cached_property
    def states(self) -> "States":
        from models.state import States
        return States(self)

    @functools.cached_property
    def drafts(self) -> "Drafts":
        from models.drafts import Drafts
        return Drafts(self)

    @functools.cached_property
    def showcase(self) -> "Showcase":
        from models.showcase import Showcase
        return Showcase(self)

    @functools.cached_property
    def reporting(self) -> "Reporting":
        from models.reporting import Reporting
        return Reporting(self)
    # --- end of the archive API block ---


class NeedRecoveryCode(storage.ArchiveOpenError):
    pass


def _need_code_message() -> str:
    if keys.keyring_available():
        return "系统凭据存储中没有这个档案库的密钥（可能重装过系统或换了电脑）。请输入打印保存的恢复码。"
    return ("本机没有可用的系统凭据存储（钥匙串），无法自动取得档案库密钥。"
            "请输入恢复码（或设置环境变量 TONGDANG_RECOVERY_CODE）。")


def _try_store_key(path: Path, key_hex: str) -> bool:
    try:
        keys.store_key(path, key_hex)
    except keys.NoSecureKeyring:
        return False
    return True


def _copy_aside(db, path: Path, version: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.v{version}-{stamp}.bak{SUFFIX}")
    storage.checkpoint(db)
    storage.backup_to(db, target)
    return target


def current_database():
    """The database of the archive open in this process (None before any is opened)."""
    return database.obj


def remove_archive_files(path: Path) -> None:
    """An archive file and its journals: scratch archives, and the passing copies a 上报包 or
    a township file is made from."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
