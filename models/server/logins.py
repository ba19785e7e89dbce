"""Townships and people of the county database: each app user is a PostgreSQL login role.

Run by the database owner (the county's IT office, ``tongdang server`` commands) or a
县级管理员 login. A township login also gets the app's own user row in its township (the
GUI's permission table stays as in a township archive), written through the writer so the
township's audit trail says who added whom.
"""

import secrets
from contextlib import contextmanager
from datetime import date

from psycopg import sql

from models import users
from models.roles import SYSTEM
from models.schema import Township
from models.server.roles import COUNTY_ROLES, TOWNSHIP_ROLES, group_for
from models.writer import Writer


@contextmanager
def working_in(db, township_id: int):
    """A transaction whose writes belong to ``township_id`` (owner and county logins only:
    for a township login the database ignores the choice and keeps its own township)."""
    with db.atomic():
        db.execute_sql("SELECT set_config('tongdang.township', %s, true)", (str(township_id),))
        yield


def choose_township(db, township_id: int | None) -> None:
    """For the whole session (a county login opening one township's archive), and for the
    connections the database opens later in other threads (``CountyDatabase``)."""
    choice = "" if township_id is None else str(township_id)
    getattr(db, "obj", db).township_choice = choice
    db.execute_sql("SELECT set_config('tongdang.township', %s, false)", (choice,))


def add_township(db, name: str, county: str, profile: str, area_code: str = "") -> int:
    from models.profiles import get_profile

    get_profile(profile)
    with db.atomic():
        # The township's first audit entry (its creation) already belongs to it.
        new_id = db.execute_sql("SELECT nextval(pg_get_serial_sequence('township', 'id'))").fetchone()[0]
        with working_in(db, new_id):
            Writer(SYSTEM, SYSTEM).create(
                Township, id=new_id, name=name, county=county, profile=profile,
                area_code=area_code, created_on=date.today())
    return new_id


def township_id(name: str) -> int:
    township = Township.get_or_none(Township.name == name)
    if township is None:
        raise ValueError(f"县级数据库中没有乡镇“{name}”。")
    return township.id


def add_login(db, username: str, password: str, role: str, township: int | None = None,
              by: str = SYSTEM) -> None:
    """A PostgreSQL login role for ``username``: a township role needs ``township``, a county
    role (县级管理员 / 县级查阅) must not have one."""
    username = users.check_username(username)
    users.check_password(password)
    group = group_for(role)
    if role in COUNTY_ROLES and township is not None:
        raise ValueError(f"{role}不属于某个乡镇。")
    if role in TOWNSHIP_ROLES and township is None:
        raise ValueError(f"{role}必须属于一个乡镇。")
    conn = db.connection()
    with db.atomic():
        db.execute_sql(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            sql.Identifier(username), sql.Literal(password), sql.Identifier(group)).as_string(conn))
        db.execute_sql(
            "INSERT INTO tongdang_login (role_name, township_id, county_role) VALUES (%s, %s, %s)",
            (username, township, role if role in COUNTY_ROLES else ""))
        if township is not None:
            # The database checks the password; the app's row keeps no hash of it (a random one).
            with working_in(db, township):
                user = users.create_user(Writer(by, SYSTEM), username,
                                         secrets.token_urlsafe(24), role)
                if user.role != role:  # a file's first user is its 管理员; not on the server,
                    Writer(by, SYSTEM).update(user, role=role)  # where the county manages


def add_imported_login(db, username: str, role: str, township: int, active: bool) -> None:
    """The login role of a user moved in with a township's file (``township_import``): no
    password (the server cannot know the file's), so it cannot log in until the county sets
    one with ``set_password``; a user disabled in the file stays unable to log in."""
    group = group_for(role)
    if role not in TOWNSHIP_ROLES:
        raise ValueError(f"档案库文件中的用户“{username}”的角色“{role}”不是乡镇角色。")
    conn = db.connection()
    db.execute_sql(sql.SQL("CREATE ROLE {} {} IN ROLE {}").format(
        sql.Identifier(username), sql.SQL("LOGIN" if active else "NOLOGIN"),
        sql.Identifier(group)).as_string(conn))
    db.execute_sql("INSERT INTO tongdang_login (role_name, township_id, county_role) "
                   "VALUES (%s, %s, '')", (username, township))


def set_password(db, username: str, password: str) -> None:
    """A login's database password (``tongdang server password``): how a user moved in with
    a township's file gets one, and how the county resets a forgotten one."""
    users.check_password(password)
    known = db.execute_sql("SELECT 1 FROM tongdang_login WHERE role_name = %s",
                           (username,)).fetchone()
    if known is None:
        raise ValueError(f"县级数据库中没有登录用户“{username}”。")
    conn = db.connection()
    db.execute_sql(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(username), sql.Literal(password)).as_string(conn))
