"""Logins and roles shared by the GUI and the command line: one answer for unknown users and
wrong passwords, scrypt at OWASP cost with old hashes upgraded, one active 管理员 always, and
the one table of what each role may do."""

from datetime import datetime, timedelta

import pytest

from models import users
from models.audit import verify_chain
from models.roles import (
    ADD_DEMO_DATA,
    ADMIN,
    BACKUP,
    CLERK,
    IMPORT_LEDGER,
    MANAGE_USERS,
    READ_CHILDREN,
    READER,
    RESTORE,
    RUN_SPOTCHECK,
    SHOW_FULL_ID,
    SYSTEM,
    PermissionDenied,
    can,
    check_can,
    may_see_full_id,
)
from models.schema import AuditEntry, User
from models.writer import Writer

PASSWORD = "correct-horse-1"
T0 = datetime(2026, 3, 2, 9, 0, 0)


@pytest.fixture
def with_admin(new_archive):
    users.create_first_admin(new_archive, "zhang", PASSWORD, "张主任")
    return new_archive


def admin_writer():
    return Writer("zhang", ADMIN)


def refusal(username, password, now=T0) -> str:
    with pytest.raises(users.LoginFailed) as exc:
        users.authenticate(username, password, now=now)
    return str(exc.value)


# --- one answer ------------------------------------------------------------------------

def test_unknown_user_wrong_password_and_disabled_user_get_one_answer(with_admin):
    users.create_user(admin_writer(), "li", PASSWORD, CLERK)
    users.set_active(admin_writer(), users.find_user("li"), False)
    answers = {refusal("nobody", PASSWORD), refusal("zhang", "wrong-password"),
               refusal("li", "wrong-password"), refusal("", ""), refusal("zhang", None)}
    assert answers == {users.LOGIN_FAILED} == {"用户名或密码不正确。"}
    # Only the right password learns that its user is disabled.
    assert refusal("li", PASSWORD) == "该用户已停用，请联系管理员。"
    assert verify_chain() == []


def test_a_disabled_user_is_locked_like_any_other(with_admin):
    """Otherwise "已停用" would tell an unlimited guesser when the password is right."""
    li = users.create_user(admin_writer(), "li", PASSWORD, CLERK)
    users.set_active(admin_writer(), li, False)
    for _ in range(4):
        assert refusal("li", "bad-password") == users.LOGIN_FAILED
    assert "连续错误5次" in refusal("li", "bad-password")
    assert "已被锁定" in refusal("li", PASSWORD)  # not "已停用": no answer while locked


def test_login_outcomes_are_in_the_trail_under_the_user(with_admin):
    refusal("zhang", "wrong-password")
    users.authenticate("zhang", PASSWORD, now=T0)
    outcomes = [(e.username, e.action, e.changes) for e in
                AuditEntry.select().where(AuditEntry.action == "login").order_by(AuditEntry.id)]
    assert [o[:2] for o in outcomes] == [("zhang", "login"), ("zhang", "login")]
    assert "密码错误" in outcomes[0][2] and "成功" in outcomes[1][2]


# --- scrypt ----------------------------------------------------------------------------

def test_new_hashes_use_the_owasp_parameters(real_scrypt):
    assert real_scrypt == (2**17, 8, 1)
    stored = users.hash_password(PASSWORD)
    assert stored.split("$")[:4] == ["scrypt", "131072", "8", "1"]
    assert users.verify_password(PASSWORD, stored) and not users.verify_password("x" * 9, stored)
    assert not users.needs_rehash(stored)


def test_an_old_hash_still_verifies_and_is_upgraded_at_the_next_login(real_scrypt, with_admin):
    old = "scrypt$16384$8$1$" + _old_hash_tail(PASSWORD)
    assert users.verify_password(PASSWORD, old) and users.needs_rehash(old)
    User.update(password_hash=old).where(User.username == "zhang").execute()
    # A wrong password changes nothing.
    refusal("zhang", "wrong-password")
    assert User.get(User.username == "zhang").password_hash == old
    users.authenticate("zhang", PASSWORD, now=T0)
    stored = User.get(User.username == "zhang").password_hash  # read back from the database
    assert stored != old and stored.split("$")[:4] == ["scrypt", "131072", "8", "1"]
    assert users.verify_password(PASSWORD, stored)
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert last.action == "login" and "密码存储已按当前安全参数更新" in last.changes
    assert "scrypt$" not in last.changes and PASSWORD not in last.changes
    # The next login finds nothing to upgrade.
    users.authenticate("zhang", PASSWORD, now=T0)
    assert User.get(User.username == "zhang").password_hash == stored
    assert verify_chain() == []


def _old_hash_tail(password: str) -> str:
    import hashlib

    salt = bytes(range(16))
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"{salt.hex()}${digest.hex()}"


@pytest.mark.parametrize("stored", [
    "scrypt$1073741824$8$1$00$00",  # N = 2^30: 1 TiB of memory asked for by a doctored row
    "scrypt$16384$64$1$00$00",
    "scrypt$16384$8$99$00$00",
    "scrypt$abc$8$1$00$00",
    "pbkdf2$16384$8$1$00$00",
    "",
    None,
])
def test_doctored_hashes_are_refused_without_work(stored):
    assert not users.verify_password(PASSWORD, stored)
    assert users.needs_rehash(stored)


# --- at least one active 管理员 -----------------------------------------------------------

def test_the_first_user_is_an_admin_whatever_role_was_asked(new_archive):
    user = users.create_user(Writer(SYSTEM, SYSTEM), "li", PASSWORD, CLERK)
    assert User.get_by_id(user.id).role == ADMIN
    second = users.create_user(Writer("li", ADMIN), "wang", PASSWORD, CLERK)
    assert User.get_by_id(second.id).role == CLERK


def test_the_last_active_admin_cannot_be_disabled_or_demoted(with_admin):
    zhang = users.find_user("zhang")
    for change in (lambda: users.set_active(admin_writer(), zhang, False),
                   lambda: users.set_role(admin_writer(), zhang, CLERK),
                   lambda: users.set_role(admin_writer(), zhang, READER)):
        with pytest.raises(users.BadUserInput, match="至少要保留"):
            change()
    # A disabled second 管理员 does not count.
    wang = users.create_user(admin_writer(), "wang", PASSWORD, ADMIN)
    users.set_active(admin_writer(), wang, False)
    with pytest.raises(users.BadUserInput, match="至少要保留"):
        users.set_role(admin_writer(), zhang, CLERK)
    # An active one does: then either may go.
    users.set_active(admin_writer(), wang, True)
    users.set_role(admin_writer(), zhang, CLERK)
    assert users.find_user("zhang").role == CLERK
    with pytest.raises(users.BadUserInput, match="至少要保留"):
        users.set_active(Writer("wang", ADMIN), users.find_user("wang"), False)
    active_admins = User.select().where((User.role == ADMIN) & User.active).count()
    assert active_admins == 1


# --- one table of what each role may do ----------------------------------------------------

def test_what_each_role_may_do():
    writes = (IMPORT_LEDGER, ADD_DEMO_DATA, RESTORE, RUN_SPOTCHECK, BACKUP)
    assert all(can(role, READ_CHILDREN) for role in (ADMIN, CLERK, READER, SYSTEM))
    assert all(can(CLERK, a) and can(ADMIN, a) and not can(READER, a) for a in writes)
    assert can(ADMIN, MANAGE_USERS) and not can(CLERK, MANAGE_USERS)
    assert not can(READER, MANAGE_USERS) and can(SYSTEM, MANAGE_USERS)
    assert [may_see_full_id(r) for r in (ADMIN, CLERK, READER, SYSTEM)] == [True, False, False,
                                                                          True]
    assert not can("超级用户", READ_CHILDREN) and not can(ADMIN, "no_such_action")


def test_the_gui_uses_the_same_table():
    from desktop import permissions

    assert permissions.can is can and permissions.SHOW_FULL_ID == SHOW_FULL_ID


@pytest.mark.parametrize("role, action, message", [
    (READER, IMPORT_LEDGER, "当前用户为“查阅”角色，不能导入台账。"),
    (READER, ADD_DEMO_DATA, "当前用户为“查阅”角色，不能填入演示数据。"),
    (READER, RESTORE, "当前用户为“查阅”角色，不能从备份恢复档案库。"),
    (CLERK, MANAGE_USERS, "只有管理员可以管理用户（当前用户为“录入员”角色）。"),
    (READER, MANAGE_USERS, "只有管理员可以管理用户（当前用户为“查阅”角色）。"),
])
def test_refusals_are_chinese(role, action, message):
    with pytest.raises(PermissionDenied) as exc:
        check_can(role, action)
    assert str(exc.value) == message


def test_lock_ends_after_fifteen_minutes(with_admin):
    for _ in range(5):
        refusal("zhang", "bad-password")
    assert "已被锁定" in refusal("zhang", PASSWORD, now=T0 + timedelta(minutes=14))
    assert users.authenticate("zhang", PASSWORD, now=T0 + timedelta(minutes=16)).role == ADMIN


def test_an_archive_left_without_an_admin_is_repaired_by_any_of_its_users(new_archive):
    """Archives where the old 添加用户 default made the only user a 录入员."""
    li = User.create(username="li", display_name="li", role=CLERK,
                     password_hash=users.hash_password(PASSWORD))
    assert users.has_users() and not users.has_active_admin()
    with pytest.raises(users.BadUserInput, match="请先以档案库的用户登录"):
        users.add_missing_admin("nobody", "wang", "wang-pass-1")
    made = users.add_missing_admin(li.username, "wang", "wang-pass-1", "王主任")
    assert User.get_by_id(made.id).role == ADMIN and users.has_active_admin()
    entry = AuditEntry.select().where(AuditEntry.table == "user").order_by(
        AuditEntry.id.desc()).get()
    assert (entry.username, entry.action) == ("li", "create")
    with pytest.raises(users.BadUserInput, match="已有管理员"):
        users.add_missing_admin(li.username, "zhao", "zhao-pass-1")
