from datetime import date, datetime, timedelta

import pytest

from forms.idnumber import make_id_number
from models import users
from models.audit import verify_chain
from models.roles import ADMIN, CLERK, READER, PermissionDenied
from models.schema import AuditEntry, Child, Contact, Township, User, Village
from models.writer import Writer

PASSWORD = "correct-horse-1"
T0 = datetime(2026, 3, 2, 9, 0, 0)


@pytest.fixture
def with_admin(new_archive):
    users.create_first_admin(new_archive, "zhang", PASSWORD, "张主任")
    return new_archive


def admin_writer():
    return Writer("zhang", ADMIN)


def test_password_stored_only_as_salted_scrypt(real_scrypt, with_admin):
    users.create_user(admin_writer(), "li", PASSWORD, CLERK, "李干事")
    a, b = User.get(User.username == "zhang"), User.get(User.username == "li")
    for user in (a, b):
        scheme, n, r, p, salt, digest = user.password_hash.split("$")
        assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**17, 8, 1)  # OWASP minimum
        assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
        assert PASSWORD not in user.password_hash
    assert a.password_hash != b.password_hash  # same password, different salts
    # The hash never reaches the audit trail.
    assert not any(PASSWORD in e.changes or "scrypt$" in e.changes for e in AuditEntry.select())


def test_authenticate_right_and_wrong(with_admin):
    user = users.authenticate("zhang", PASSWORD, now=T0)
    assert (user.username, user.role, user.display_name) == ("zhang", ADMIN, "张主任")
    # One answer for a wrong password and an unknown user: trying names tells nothing.
    with pytest.raises(users.LoginFailed, match=r"^用户名或密码不正确。$"):
        users.authenticate("zhang", "wrong-password", now=T0)
    with pytest.raises(users.LoginFailed, match=r"^用户名或密码不正确。$"):
        users.authenticate("nobody", PASSWORD, now=T0)
    logins = AuditEntry.select().where(AuditEntry.action == "login")
    assert [e.username for e in logins] == ["zhang", "zhang"]
    assert verify_chain() == []


def test_five_wrong_passwords_lock_for_fifteen_minutes(with_admin):
    for _attempt in range(4):
        with pytest.raises(users.LoginFailed, match=r"^用户名或密码不正确。$"):
            users.authenticate("zhang", "bad-password", now=T0)
        assert User.get(User.username == "zhang").locked_until is None
    with pytest.raises(users.LoginFailed, match=r"连续错误5次.*09:15以后再试"):
        users.authenticate("zhang", "bad-password", now=T0)
    assert User.get(User.username == "zhang").locked_until == T0 + timedelta(minutes=15)
    # Even the right password is refused while locked.
    with pytest.raises(users.LoginFailed, match="已被锁定"):
        users.authenticate("zhang", PASSWORD, now=T0 + timedelta(minutes=14, seconds=59))
    assert users.authenticate("zhang", PASSWORD, now=T0 + timedelta(minutes=15, seconds=1))


def test_success_resets_the_count(with_admin):
    for _ in range(4):
        with pytest.raises(users.LoginFailed):
            users.authenticate("zhang", "bad-password", now=T0)
    users.authenticate("zhang", PASSWORD, now=T0)
    assert User.get(User.username == "zhang").failed_attempts == 0
    for _ in range(4):  # four more wrong ones do not lock: the count started again
        with pytest.raises(users.LoginFailed, match=r"^用户名或密码不正确。$"):
            users.authenticate("zhang", "bad-password", now=T0)
    assert User.get(User.username == "zhang").locked_until is None


def test_admin_unlocks_and_resets(with_admin):
    users.create_user(admin_writer(), "li", PASSWORD, CLERK)
    for _ in range(5):
        with pytest.raises(users.LoginFailed):
            users.authenticate("li", "bad-password", now=T0)
    li = User.get(User.username == "li")
    with pytest.raises(PermissionDenied):
        users.unlock_user(Writer("li", CLERK), li)
    users.reset_password(admin_writer(), li, "new-password-2")
    assert users.authenticate("li", "new-password-2", now=T0).username == "li"


def test_change_own_password_any_role(with_admin):
    users.create_user(admin_writer(), "wang", PASSWORD, READER)
    with pytest.raises(users.LoginFailed):
        users.change_password("wang", "not-the-password", "another-pass-3", now=T0)
    with pytest.raises(users.BadUserInput, match="至少需要8个字符"):
        users.change_password("wang", PASSWORD, "short", now=T0)
    users.change_password("wang", PASSWORD, "another-pass-3", now=T0)
    with pytest.raises(users.LoginFailed):
        users.authenticate("wang", PASSWORD, now=T0)
    assert users.authenticate("wang", "another-pass-3", now=T0).role == READER
    entry = AuditEntry.select().where(AuditEntry.action == "update").order_by(AuditEntry.id.desc()).get()
    assert (entry.username, entry.table) == ("wang", "user")
    assert verify_chain() == []


def test_first_admin_only_once(with_admin):
    with pytest.raises(users.BadUserInput, match="已有用户"):
        users.create_first_admin(with_admin, "other", PASSWORD)


@pytest.mark.parametrize("username, password, role, message", [
    ("", PASSWORD, CLERK, "用户名不能为空"),
    ("a b", PASSWORD, CLERK, "不能包含空格"),
    ("x" * 33, PASSWORD, CLERK, "不能超过32个字符"),
    ("zhang", PASSWORD, CLERK, "已存在"),
    ("li", "1234567", CLERK, "至少需要8个字符"),
    ("li", " leading-space", CLERK, "首尾不能是空格"),
    ("li", PASSWORD, "superuser", "用户角色应为"),
])
def test_bad_user_input(with_admin, username, password, role, message):
    with pytest.raises(users.BadUserInput, match=message):
        users.create_user(admin_writer(), username, password, role)


def test_deactivated_user_cannot_log_in_and_last_admin_stays(with_admin):
    zhang = User.get(User.username == "zhang")
    with pytest.raises(users.BadUserInput, match="至少要保留"):
        users.set_active(admin_writer(), zhang, False)
    with pytest.raises(users.BadUserInput, match="至少要保留一个管理员"):
        users.set_role(admin_writer(), zhang, CLERK)
    li = users.create_user(admin_writer(), "li", PASSWORD, CLERK)
    users.set_active(admin_writer(), li, False)
    with pytest.raises(users.LoginFailed, match="已停用"):
        users.authenticate("li", PASSWORD, now=T0)


# --- each role's limits, enforced by the writer ---------------------------------------

def _child_fields(seq):
    return {"id_number": make_id_number("140428", date(2015, 5, 1), seq, True),
            "name": "王小明", "entered_on": date(2025, 1, 1)}


def test_reader_cannot_write_anything(with_admin):
    users.create_user(admin_writer(), "cha", PASSWORD, READER)
    user = users.login(with_admin, "cha", PASSWORD, now=T0)
    assert (with_admin.username, with_admin.role) == ("cha", READER)
    writer = with_admin.writer()
    child = admin_writer().create(Child, **_child_fields(1))
    before = AuditEntry.select().count()
    attempts = [
        lambda: writer.create(Child, **_child_fields(3)),
        lambda: writer.create(Village, name="东坡村"),
        lambda: writer.create(Contact, child=child, on=date(2025, 2, 1), kind="电话"),
        lambda: writer.update(child, notes="改动"),
        lambda: writer.close_child(child, date(2025, 3, 1), "年满18周岁"),
        lambda: writer.create_many(Contact, [{"child": child.id, "on": date(2025, 2, 1), "kind": "电话"}]),
        lambda: users.create_user(writer, "new", PASSWORD, READER),
        lambda: users.reset_password(writer, user, "whatever-123"),
        lambda: writer.update(Township.get(), name="别的镇"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="查阅"):
            attempt()
    assert AuditEntry.select().count() == before
    assert Child.get_by_id(child.id).notes == "" and Contact.select().count() == 0
    assert Child.select().count() == 1 and User.select().count() == 2


def test_clerk_writes_children_but_not_users(with_admin):
    users.create_user(admin_writer(), "lu", PASSWORD, CLERK)
    users.login(with_admin, "lu", PASSWORD, now=T0)
    writer = with_admin.writer()
    child = writer.create(Child, **_child_fields(5))
    writer.create(Contact, child=child, on=date(2025, 2, 1), kind="电话")
    assert AuditEntry.select().order_by(AuditEntry.id.desc()).get().username == "lu"
    with pytest.raises(PermissionDenied, match="只有管理员"):
        users.create_user(writer, "another", PASSWORD, CLERK)
    with pytest.raises(PermissionDenied):
        users.set_role(writer, User.get(User.username == "lu"), ADMIN)
    with pytest.raises(PermissionDenied):
        writer.update(Township.get(), name="别的镇")
    assert User.select().count() == 2
    assert User.get(User.username == "lu").role == CLERK


def test_admin_creates_users(with_admin):
    users.login(with_admin, "zhang", PASSWORD, now=T0)
    user = users.create_user(with_admin.writer(), "li", PASSWORD, CLERK, "李干事")
    entry = AuditEntry.select().where((AuditEntry.table == "user") & (AuditEntry.record_id == user.id)
                                      & (AuditEntry.action == "create")).get()
    assert entry.username == "zhang" and "李干事" in entry.changes
