"""One township's archive in the county database: the same ``Archive`` API, on PostgreSQL.

``ServerArchive.open(setting, password)`` logs in as a PostgreSQL login role. A township login
works in its own township; a county login (县级管理员 / 县级查阅) names the township it opens, or
none to read the whole county. Everything the app does then goes through the same models; the
database's row-level-security policies keep each login inside its township.
"""

from pathlib import Path

import peewee as pw

from models.archive import Archive
from models.schema import SCHEMA_VERSION, database
from models.server import connection, county, logins
from models.storage import ArchiveOpenError


class NotACountyDatabase(ArchiveOpenError):
    pass


class NoTownship(ArchiveOpenError):
    pass


class ServerArchive(Archive):
    """A township's archive (or the whole county's, for a county login) on the server."""

    def __init__(self, setting: connection.ServerSetting, db, township_id: int | None,
                 county_role: str):
        # ``path`` names the server for messages; there is no file, lock or key.
        super().__init__(Path(setting.text()), db, None)
        self.setting = setting
        self.township_id = township_id
        self.county_role = county_role

    def write_township_file(self, path: Path, recovery_code: str | None = None) -> str:
        """This township as a new encrypted file that opens offline; its recovery code
        (``models.server.township_file``)."""
        from models.server.township_file import write_township_file

        return write_township_file(self, path, recovery_code)

    @classmethod
    def open(cls, setting, password: str | None = None,
             township: str | None = None) -> tuple["ServerArchive", None]:
        if isinstance(setting, str):
            setting = connection.ServerSetting.parse(setting)
        db = connection.connect(setting, password)
        try:
            version = _version(db)
            if version != SCHEMA_VERSION:
                raise NotACountyDatabase(
                    f"县级数据库的数据结构版本是 {version}，本程序是 {SCHEMA_VERSION}。"
                    "请让县民政局信息管理员先把数据库和所有电脑上的童档升级到同一版本。")
            own, county_role = db.execute_sql("SELECT * FROM tongdang_whoami()").fetchone()
            if own is None and not county_role:
                raise NoTownship(f"用户“{setting.user}”没有登记在县级数据库中（不属于任何乡镇）。")
            database.initialize(db)
            if county_role:
                own = logins.township_id(township) if township else None
                logins.choose_township(db, own)
            elif township:
                _check_own_township(own, township)
        except BaseException:
            db.close()
            raise
        return cls(setting, db, own, county_role), None

    def login_role(self) -> str:
        """The app's permission role of this login (``models.roles``): a county role's
        counterpart, else the login's user row in its township."""
        from models.schema import User
        from models.server.roles import app_role

        if self.county_role:
            return app_role(self.county_role)
        user = User.get_or_none(User.username == self.setting.user)
        return user.role if user else "查阅"

    def database_problems(self) -> list[str]:
        """``tongdang verify``: the server keeps its own pages sound (checked by its tools)."""
        self.db.execute_sql("SELECT 1")
        return []

    def close(self) -> None:
        self.db.close_everywhere()

    def file_replaced(self) -> bool:
        return False

    def check_sound(self) -> None:
        """The server keeps its own pages sound; a reachable server is all we check."""
        self.db.execute_sql("SELECT 1")

    def schema_version(self) -> int:
        return county.schema_version(self.db)


def _version(db) -> int:
    try:
        return county.schema_version(db)
    except pw.ProgrammingError:  # no such table
        db.rollback()
        raise NotACountyDatabase("这个数据库不是童档的县级数据库（没有数据结构版本）。"
                                 "请检查服务器地址中的数据库名。") from None


def _check_own_township(own: int, name: str) -> None:
    from models.schema import Township

    if Township.get_by_id(own).name != name:
        raise NoTownship(f"这个用户属于另一个乡镇，不能打开“{name}”的档案库。")


def open_as_owner(setting, password: str | None):
    """The database owner's connection (setting up the county: ``tongdang server``)."""
    if isinstance(setting, str):
        setting = connection.ServerSetting.parse(setting)
    db = connection.connect(setting, password)
    database.initialize(db)
    return db
