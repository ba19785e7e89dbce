"""The county database's schema version and its upgrade (``tongdang server upgrade``).

The server records its version in ``tongdang_schema``. A program opens only a server of its
own version: an older server is upgraded by the county's IT office, as the database's owner
(only the owner may change tables), with the same steps a township's file runs
(``models.migrations``), in one transaction; a newer server asks for a newer program.
"""

from models import migrations, schema
from models.server import county
from models.storage import ArchiveOpenError

UPGRADE_LOCK = 7414  # advisory lock: one upgrade at a time


class NotACountyDatabase(ArchiveOpenError):
    pass


class NotDatabaseOwner(ArchiveOpenError):
    pass


class ServerNeedsUpgrade(ArchiveOpenError):
    """The server's schema is older than this program's."""


class NewerServer(ArchiveOpenError):
    """The server's schema is newer than this program's."""


def version(db) -> int:
    """The server's schema version; ``NotACountyDatabase`` when it has none."""
    import peewee as pw

    try:
        return county.schema_version(db)
    except pw.ProgrammingError:  # no such table
        db.rollback()
        raise NotACountyDatabase("这个数据库不是童档的县级数据库（没有数据结构版本）。"
                                 "请检查服务器地址中的数据库名。") from None


def check_current(db, setting_text: str) -> None:
    """Refuse, saying in Chinese what to do, a server at another version than this program."""
    found, ours = version(db), migrations.SCHEMA_VERSION
    if found < ours:
        raise ServerNeedsUpgrade(
            f"县级数据库的数据结构版本是 {found}，本程序需要 {ours}。数据库未作任何改动。"
            "请县民政局信息管理员先用 pg_dump 备份数据库，再以数据库所有者身份运行："
            f"tongdang server --server {_as_owner(setting_text)} upgrade，然后重新打开。")
    if found > ours:
        raise NewerServer(
            f"县级数据库已升级到数据结构版本 {found}，本程序只支持到 {ours}。"
            "请先把这台电脑上的童档升级到新版本，再打开县级数据库。")


def _as_owner(setting_text: str) -> str:
    """The setting with the owner in place of the login (the command to tell them)."""
    from models.server.connection import ServerSetting

    address = ServerSetting.parse(setting_text).with_user("").text()  # (a URL quotes names)
    return address.replace("postgresql://", "postgresql://所有者@", 1)


def upgrade(db) -> list[int]:
    """Bring the server to this program's version; the versions passed through (none when it
    is current). Run by the database's owner, in one transaction."""
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (UPGRADE_LOCK,))
        _check_owner(db)
        found = version(db)
        if found > migrations.SCHEMA_VERSION:
            raise NewerServer(f"县级数据库的数据结构版本是 {found}，比本程序的 "
                              f"{migrations.SCHEMA_VERSION} 新：请使用新版本的童档。")
        steps = migrations.steps_after(found)
        if not steps:
            return []
        if steps[0] <= migrations.FIRST_SERVER_VERSION:  # cannot happen: servers began at v9
            raise ServerNeedsUpgrade(f"数据结构版本 {found} 的县级数据库无法升级，请重新建库后迁入。")
        tables = set(db.get_tables())
        migrations.run_steps(db, steps, _record)
        county.add_tables(db, [model for model in schema.ALL_MODELS
                               if model._meta.table_name not in tables])
    return steps


def _check_owner(db) -> None:
    owner = db.execute_sql(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
        "WHERE c.relname = 'tongdang_schema' AND c.relnamespace = 'public'::regnamespace"
    ).fetchone()
    if owner is not None and not owner[0]:
        raise NotDatabaseOwner("只有县级数据库的所有者（建库时使用的数据库账户）可以升级数据结构；"
                               "县级管理员的登录不能修改数据表。")


def _record(db, target: int) -> None:
    db.execute_sql("UPDATE tongdang_schema SET version = %s", (target,))
