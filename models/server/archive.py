"""One township's archive in the county database: the same ``Archive`` API, on PostgreSQL.

``ServerArchive.open(setting, password)`` logs in as a PostgreSQL login role. A township login
works in its own township; a county login (县级管理员 / 县级查阅) names the township it opens, or
none to read the whole county. Everything the app does then goes through the same models; the
database's row-level-security policies keep each login inside its township.
"""

import functools
from pathlib import Path

from models.archive import Archive
from models.schema import database
from models.server import connection, county, logins, schema_version
from models.server.schema_version import NotACountyDatabase  # noqa: F401 - raised by open
from models.storage import ArchiveOpenError


class NoTownship(ArchiveOpenError):
    pass


class ServerArchive(Archive):
    """A township's archive (or the whole county's, for a county login) on the server."""

    on_server = True

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
            schema_version.check_current(db, setting.text())
            own, county_role = db.execute_sql("SELECT * FROM tongdang_whoami()").fetchone()
            if own is None and not county_role:
                raise NoTownship(f"用户“{setting.user}”没有登记在县级数据库中（不属于任何乡镇）。")
            database.initialize(db)
            if county_role:
                own = _township_named(township) if township else None
                logins.choose_township(db, own)
            else:
                _check_active(setting.user)
                if township:
                    _check_own_township(own, township)
        except BaseException:
            db.close()
            raise
        return cls(setting, db, own, county_role), None

    def township_names(self) -> list[str]:
        """The townships this login may open: every one for a county login, else its own."""
        from models.schema import Township

        return [t.name for t in Township.select(Township.name).order_by(Township.id)]

    def choose_township(self, name: str | None) -> None:
        """A county login works in township ``name`` from now on (None: the whole county).
        ``NoTownship`` (Chinese) for a township login or a name the county does not have."""
        if not self.county_role:
            raise NoTownship("只有县级用户可以选择乡镇。")
        logins.choose_township(self.db, None)  # every township visible to find ``name``
        own = _township_named(name) if name else None
        logins.choose_township(self.db, own)
        self.township_id = own

    @functools.cached_property
    def county_spotchecks(self):
        """A county login's spot-check across townships (``models.server.county_spotcheck``)."""
        from models.server.county_spotcheck import CountySpotChecks

        return CountySpotChecks(self)

    @functools.cached_property
    def users(self):
        """The township's accounts; passwords are checked by the server (its login roles)."""
        from models.server.server_users import ServerUsers

        return ServerUsers(self)

    @functools.cached_property
    def county(self):
        """The county 工作台 of a county login (``models.server.county_overview``)."""
        from models.server.county_overview import CountyOverview

        return CountyOverview(self)

    @functools.cached_property
    def county_settings(self):
        """The county's settings, its log of lists sent and its reminders
        (``models.server.county_settings``; county logins)."""
        from models.server.county_settings import CountySettings

        return CountySettings(self)

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
        """``tongdang verify``: the server keeps its own pages sound (checked by its tools);
        a township's trail from before it moved in is checked here (``imported_trail``)."""
        from models.server import imported_trail

        return imported_trail.problems(self.db)

    def close(self) -> None:
        self.db.close_everywhere()

    def file_replaced(self) -> bool:
        return False

    def check_sound(self) -> None:
        """The server keeps its own pages sound; a reachable server is all we check."""
        self.db.execute_sql("SELECT 1")

    def schema_version(self) -> int:
        return county.schema_version(self.db)


def _township_named(name: str) -> int:
    try:
        return logins.township_id(name)
    except ValueError as exc:
        raise NoTownship(str(exc)) from None


def _check_active(username: str) -> None:
    """A person the township's 管理员 stopped (停用) in 用户管理 is not let in by the app."""
    from models.schema import User

    user = User.get_or_none(User.username == username)
    if user is not None and not user.active:
        raise connection.ServerLoginFailed(f"用户“{username}”已停用，请联系本乡镇的管理员。")


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
