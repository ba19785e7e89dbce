"""Opening, creating and migrating one township's archive.

One archive is open per process (peewee's ``database`` proxy points at it).
"""

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import platformdirs

from models import keys, migrations, storage
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


class Archive:
    def __init__(self, path: Path, db: storage.RawKeyDatabase):
        self.path = Path(path)
        self.db = db
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
        path.parent.mkdir(parents=True, exist_ok=True)
        code = recovery_code or keys.new_recovery_code()
        key_hex = keys.key_from_recovery_code(code)
        db = storage.connect(path, key_hex)
        database.initialize(db)
        with db.atomic():
            db.create_tables(ALL_MODELS)
            storage.set_user_version(db, SCHEMA_VERSION)
            archive = cls(path, db)
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
        db = storage.connect(path, key_hex)
        database.initialize(db)  # migration steps may use the models
        result = OpenResult(key_source=source)
        try:
            steps = migrations.pending(db)
            if steps:
                result.migrated_from = steps[0] - 1
                result.copy_aside = _copy_aside(db, path, steps[0] - 1)
                migrations.migrate_forward(db)
        except Exception:
            db.close()
            raise
        if source == "recovery_code":
            result.key_stored = _try_store_key(path, key_hex)
        return cls(path, db), result

    def close(self) -> None:
        if not self.db.is_closed():
            storage.checkpoint(self.db)
            self.db.close()

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


def remove_archive_files(path: Path) -> None:
    """Used only for scratch archives in tests and benchmarks."""
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()



