"""Accounts of a township in the county database: the server checks passwords.

Each person is a PostgreSQL login role (``models.server.logins``); the township's user rows
keep the app's permission table but no usable password hash. So unlocking the window after
idle minutes asks the server (a second connection with the password typed), and a person's
own password change goes to their login role (``ALTER ROLE``, which a login may do for itself).
Adding people, setting someone else's password and moving a person between the database's
groups (查阅 reads only) need the database owner (``tongdang server login``): the facet says so
in Chinese instead of writing an app row the server would not honour.
"""

from datetime import datetime

from psycopg import sql

from models import users
from models.server import connection
from models.server.roles import group_for
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

    # -- what only the county's IT office can do on the server --------------------------
    def create(self, username: str, password: str, role: str, display_name: str = ""):
        raise BadUserInput(ADD_BY_OWNER)

    def add_missing_admin(self, username: str, password: str, display_name: str = ""):
        raise BadUserInput(ADD_BY_OWNER)

    def reset_password(self, user, new_password: str) -> None:
        raise BadUserInput("县级数据库的密码由数据库保管，管理员不能在这里重设。忘记密码请联系县民政局"
                           "信息管理员重设；本人登录后可以用“修改密码”修改自己的密码。")

    def set_role(self, user, role: str) -> None:
        if group_for(role) != group_for(user.role):
            raise BadUserInput("“查阅”与“录入员”“管理员”在县级数据库中的权限不同（查阅只能读），"
                               "请联系县民政局信息管理员更改。")
        super().set_role(user, role)


ADD_BY_OWNER = ("县级数据库的用户是数据库的登录账户，由县民政局信息管理员添加："
                "tongdang server --server 地址 login 用户名 --role 角色 --township 乡镇。")
