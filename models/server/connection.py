"""Where the county database is: a connection setting kept without its password.

A setting is a PostgreSQL URL, ``postgresql://用户名@主机:端口/数据库?sslmode=verify-full``.
The password is never part of what is stored: it comes from the person at login or from the
operating system's keyring (service ``tongdang-server``, user ``用户名@主机:端口/数据库``).

TLS: ``sslmode`` is passed to libpq as written. Without it we use ``prefer`` (TLS when the server
offers it). A county whose server has a certificate should write ``sslmode=verify-full`` (and
``sslrootcert=…`` for its own certificate authority), so that the connection is refused rather
than sent in clear or to another machine.
"""

import socket
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import peewee as pw

from models.storage import ArchiveOpenError

DEFAULT_PORT = 5432
DEFAULT_SSLMODE = "prefer"
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
KEYRING_SERVICE = "tongdang-server"
# libpq options a setting may carry besides sslmode (the rest are refused, not ignored).
ALLOWED_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout",
                   "application_name")


class BadServerSetting(ArchiveOpenError):
    pass


class ServerLoginFailed(ArchiveOpenError):
    pass


@dataclass(frozen=True)
class ServerSetting:
    host: str
    database: str
    user: str = ""
    port: int = DEFAULT_PORT
    options: dict = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> "ServerSetting":
        parts = urlsplit(text.strip())
        if parts.scheme not in ("postgresql", "postgres"):
            raise BadServerSetting(
                f"服务器地址应以 postgresql:// 开头，例如 postgresql://主机/数据库：{text}")
        if parts.password:
            raise BadServerSetting("服务器地址中不能写密码：密码在登录时输入，或存放在系统凭据存储中。")
        database = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not database:
            raise BadServerSetting(f"服务器地址缺少主机或数据库名：{text}")
        options = dict(parse_qsl(parts.query))
        unknown = sorted(set(options) - set(ALLOWED_OPTIONS))
        if unknown:
            raise BadServerSetting(f"服务器地址中有不认识的选项：{'、'.join(unknown)}")
        options.setdefault("sslmode", DEFAULT_SSLMODE)
        if options["sslmode"] not in SSLMODES:
            raise BadServerSetting(f"sslmode 只能是 {' / '.join(SSLMODES)}：{options['sslmode']}")
        return cls(host=parts.hostname, database=database, user=unquote(parts.username or ""),
                   port=parts.port or DEFAULT_PORT, options=options)

    def with_user(self, user: str) -> "ServerSetting":
        return ServerSetting(self.host, self.database, user, self.port, dict(self.options))

    def text(self) -> str:
        """The setting as stored and shown: never a password."""
        who = f"{quote(self.user)}@" if self.user else ""
        return (f"postgresql://{who}{self.host}:{self.port}/{quote(self.database)}"
                f"?{urlencode(sorted(self.options.items()))}")

    def keyring_name(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def stored_password(setting: ServerSetting) -> str | None:
    """The password kept in the OS keyring for this login, if any."""
    import keyring

    # A backend fails with its own errors (D-Bus, Windows API), not only keyring's: any of them.
    try:
        return keyring.get_password(KEYRING_SERVICE, setting.keyring_name())
    except Exception:  # noqa: BLE001 - no usable keyring: the person types the password
        return None


def store_password(setting: ServerSetting, password: str) -> bool:
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, setting.keyring_name(), password)
    except Exception:  # noqa: BLE001 - as above: not kept, the password is asked for next time
        return False
    return True


class CountyDatabase(pw.PostgresqlDatabase):
    """PostgreSQL as the archive's code expects a database to read.

    Raw rows (``models.snapshot`` reads hundreds of thousands without peewee's conversions)
    come back as from the archive's SQLite driver: booleans as 0/1 — peewee's models still
    give ``True``/``False`` — and dates as dates.

    As with the file, each thread has its own connection, opened on first use: the GUI's
    background tasks (the dashboard of another day, exports, imports) run in other threads.
    Each new connection works in the township a county login chose (``township_choice``,
    set by ``models.server.logins.choose_township``).
    """

    returns_dates = True
    township_choice = ""  # the township id a county login chose, "" for none

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._opened = []  # every thread's connection, closed together by ``close_everywhere``

    def _connect(self):
        conn = super()._connect()
        self._opened.append(conn)
        return conn

    def _initialize_connection(self, conn):
        super()._initialize_connection(conn)
        from psycopg.adapt import Loader

        class BoolAsInt(Loader):
            def load(self, data):
                return 1 if bytes(data) in (b"t", b"\x01") else 0

        conn.adapters.register_loader("bool", BoolAsInt)
        if self.township_choice:
            conn.execute("SELECT set_config('tongdang.township', %s, false)",
                         (self.township_choice,))

    def close_everywhere(self) -> None:
        """This thread's connection and those the background tasks' threads opened."""
        if not self.is_closed():
            self.close()
        for conn in self._opened:
            if not conn.closed:
                conn.close()
        self._opened.clear()


def connect(setting: ServerSetting, password: str | None) -> pw.PostgresqlDatabase:
    """An open peewee database on the server (psycopg 3); a Chinese error when it cannot."""
    if not setting.user:
        raise BadServerSetting("请在服务器地址中写明用户名，例如 postgresql://用户名@主机/数据库。")
    if password is None:
        password = stored_password(setting)
    options = dict(setting.options)
    # Which PC: the audit trail's from_pc (models.server.trail) names it.
    options.setdefault("application_name", f"tongdang@{socket.gethostname()}"[:63])
    db = CountyDatabase(setting.database, host=setting.host, port=setting.port,
                               user=setting.user, password=password or "",
                               prefer_psycopg3=True, **options)
    try:
        db.connect()
    except pw.OperationalError as exc:
        raise _open_error(setting, exc) from None
    except pw.ImproperlyConfigured:
        raise BadServerSetting("本机缺少连接数据库服务器的组件 psycopg，请重新运行 ./run 安装。") from None
    return db


def _open_error(setting: ServerSetting, exc: Exception) -> ArchiveOpenError:
    text = str(exc)
    if "password authentication failed" in text or "no password supplied" in text:
        return ServerLoginFailed(f"无法登录县级数据库：用户名或密码不对（{setting.user}）。")
    if "not permitted to log in" in text:
        return ServerLoginFailed(f"用户“{setting.user}”已停用，不能登录县级数据库。")
    if "does not exist" in text and "database" in text:
        return BadServerSetting(f"服务器上没有数据库“{setting.database}”。")
    if "SSL" in text or "certificate" in text:
        return BadServerSetting(f"与服务器的加密连接（TLS）无法建立或证书验证失败：{text.strip()}")
    return BadServerSetting(
        f"连接不上县级数据库服务器 {setting.host}:{setting.port}（{text.strip()}）。"
        "请检查网络和服务器地址，或联系县民政局信息管理员。")
