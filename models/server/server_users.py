"""Accounts of a township in the county database: the server checks passwords.

Each person is a PostgreSQL login role (``models.server.logins``); the township's user rows
keep the app's permission table but no usable password hash. So unlocking the window after
idle minutes asks the server (a second connection with the password typed), and a person's
own password change goes to their login role (``ALTER ROLE``, which a login may do for itself).
"""

from datetime import datetime

from psycopg import sql

from models import users
from models.server import connection
from models.users import LOGIN_FAILED, BadUserInput, LoginFailed


class ServerUsers(users.Users):
    """``archive.users`` of a ``ServerArchive``."""

    def has_users(self) -> bool:
        return True  # every session is a login: unlocking always asks for its password

    def authenticate(self, username: str, password: str, now: datetime | None = None):
        """The login's user row (None for a county login) when the server takes the password;
        ``LoginFailed`` otherwise."""
        setting = self.archive.setting.with_user(str(username or "").strip())
        try:
            probe = connection.connect(setting, password or "")
        except connection.ServerLoginFailed:
            raise LoginFailed(LOGIN_FAILED) from None
        except connection.BadServerSetting as exc:
            raise LoginFailed(str(exc)) from None
        probe.close()
        return self.find(setting.user)

    def login(self, username: str, password: str, now: datetime | None = None):
        user = self.authenticate(username, password, now)
        self.archive.login_as(username, self.archive.login_role())
        return user

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """The login's own password on the server (and in the keyring when it was kept there)."""
        self.authenticate(username, old_password)
        users.check_password(new_password)
        if new_password == old_password:
            raise BadUserInput("新密码不能与原密码相同。")
        db = self.archive.db
        statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(username), sql.Literal(new_password))
        db.execute_sql(statement.as_string(db.connection()))
        setting = self.archive.setting.with_user(username)
        if connection.stored_password(setting) is not None:
            connection.store_password(setting, new_password)
