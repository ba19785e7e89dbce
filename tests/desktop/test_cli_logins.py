"""The command line respects logins (issue 12, point 5): with users in the archive, every command
that reads child data or changes anything needs --user and a password (TONGDANG_PASSWORD in
scripts), the GUI's lock-out applies, roles are enforced, the audit trail names the user, and
lists mask ID numbers for roles that may not see them in the GUI either.

Run as real commands (subprocesses), except where a terminal must be faked."""

import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from conftest import RECOVERY

from desktop.cli import main
from forms.idnumber import mask_id_number
from models import users
from models.archive import Archive
from models.roles import ADMIN, CLERK, READER
from models.schema import AuditEntry, Child, Township, User
from tests.desktop.test_cli_ledger import fill, rows

PASSWORDS = {"zhang": "admin-pass-1", "li": "clerk-pass-1", "cha": "reader-pass-1"}
ROLES = {"zhang": ADMIN, "li": CLERK, "cha": READER}


@pytest.fixture
def archive_path(demo_archive):
    """50 children, a 管理员 (zhang), a 录入员 (li) and a 查阅 (cha); closed for the commands."""
    users.create_first_admin(demo_archive, "zhang", PASSWORDS["zhang"], "张主任")
    users.login(demo_archive, "zhang", PASSWORDS["zhang"])
    for name in ("li", "cha"):
        users.create_user(demo_archive.writer(), name, PASSWORDS[name], ROLES[name])
    path = demo_archive.path
    demo_archive.close()
    return path


def run(path, args, user=None, password=None, stdin_text=None):
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["TONGDANG_RECOVERY_CODE"] = RECOVERY
    env["TONGDANG_ARCHIVE"] = str(path)
    env.pop("TONGDANG_PASSWORD", None)
    if user is not None:
        args = [*args, "--user", user]
        password = PASSWORDS.get(user) if password is None else password
    if password is not None:
        env["TONGDANG_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300, check=False,
                          input=stdin_text, stdin=None if stdin_text is not None else
                          subprocess.DEVNULL)


def opened(path):
    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    return archive


def first_id_number(path) -> str:
    archive = opened(path)
    try:
        return Child.select().order_by(Child.id).first().id_number
    finally:
        archive.close()


def no_traceback(result):
    assert "Traceback" not in result.stderr, result.stderr
    return result


# --- who you are -----------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["check"],
    ["export", "dossier", "--child", "X", "--out", "x.pdf"],
    ["export", "stats", "--out", "x.xlsx"],
    ["backup", "--out", "b.tongdang"],
    ["verify"],
    ["user", "list"],
    ["template", "t.xlsx", "--from-archive"],
])
def test_without_user_every_reading_or_writing_command_asks_for_one(archive_path, tmp_path, args):
    args = [str(tmp_path / a) if a.endswith((".pdf", ".xlsx", ".tongdang")) else a for a in args]
    result = no_traceback(run(archive_path, args))
    assert result.returncode == 2
    assert "这个档案库已设置用户，请用 --user 用户名 登录" in result.stderr
    assert "TONGDANG_PASSWORD" in result.stderr
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob("b.*"))


def test_info_shows_no_child_data_and_needs_no_login(archive_path):
    result = no_traceback(run(archive_path, ["info"]))
    assert result.returncode == 0 and "儿童（在档）：50" in result.stdout


def test_unknown_user_and_wrong_password_get_the_same_answer(archive_path):
    unknown = no_traceback(run(archive_path, ["check"], user="nobody", password="whatever-1"))
    wrong = no_traceback(run(archive_path, ["check"], user="zhang", password="whatever-1"))
    assert unknown.returncode == wrong.returncode == 4
    assert unknown.stderr == wrong.stderr == "错误：用户名或密码不正确。\n"
    assert unknown.stdout == wrong.stdout == ""


def test_no_password_and_no_terminal_says_what_to_do(archive_path):
    result = no_traceback(run(archive_path, ["check", "--user", "li"]))
    assert result.returncode == 2
    assert "需要用户“li”的密码" in result.stderr and "TONGDANG_PASSWORD" in result.stderr


def test_the_lock_out_is_the_guis(archive_path):
    for _ in range(4):
        assert run(archive_path, ["check"], user="li", password="bad-pass-1").returncode == 4
    fifth = no_traceback(run(archive_path, ["check"], user="li", password="bad-pass-1"))
    assert fifth.returncode == 4 and "密码连续错误5次" in fifth.stderr
    locked = no_traceback(run(archive_path, ["check"], user="li"))  # the right password
    assert locked.returncode == 4 and "该用户已被锁定" in locked.stderr and locked.stdout == ""
    # The same lock holds in the GUI's login (models.users), and an admin lifts it.
    archive = opened(archive_path)
    try:
        with pytest.raises(users.LoginFailed, match="已被锁定"):
            users.authenticate("li", PASSWORDS["li"])
    finally:
        archive.close()
    assert run(archive_path, ["user", "unlock", "li"], user="zhang").returncode == 0
    assert run(archive_path, ["check"], user="li").returncode == 0


def test_a_user_given_for_an_archive_without_users_is_refused(demo_archive):
    path = demo_archive.path
    demo_archive.close()
    result = no_traceback(run(path, ["check"], user="zhang", password="x-password"))
    assert result.returncode == 2 and "还没有设置用户" in result.stderr
    assert run(path, ["check"]).returncode == 0  # and without --user it works as before


def test_the_password_is_asked_on_a_terminal(archive_path, monkeypatch, capsys):
    """Interactive use: getpass on the terminal, nothing echoed."""
    asked = []

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setenv("TONGDANG_ARCHIVE", str(archive_path))
    monkeypatch.setenv("TONGDANG_RECOVERY_CODE", RECOVERY)
    monkeypatch.delenv("TONGDANG_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("desktop.commands.common.getpass.getpass",
                        lambda prompt: asked.append(prompt) or PASSWORDS["cha"])
    assert main(["--user", "cha", "check", "--json"]) == 0
    assert asked == ["cha 的密码："]
    assert len(json.loads(capsys.readouterr().out)["children"]) == 50


# --- what each role may do ------------------------------------------------------------------

def test_a_reader_cannot_import_restore_backup_spotcheck_or_manage_users(archive_path, tmp_path):
    """(查阅 and demo data: see test_a_demo_archive_with_users_takes_demo_data_from_a_clerk.)"""
    ledger = tmp_path / "台账.xlsx"
    assert run(archive_path, ["template", str(ledger)]).returncode == 0
    fill(ledger, rows())
    backup = tmp_path / "b.tongdang"
    assert run(archive_path, ["backup", "--out", str(backup)], user="zhang").returncode == 0
    refused = {
        "导入台账": ["import", str(ledger)],
        "从备份恢复档案库": ["restore", str(backup)],
        "备份档案库": ["backup", "--out", str(tmp_path / "c.tongdang")],
        "抽查档案": ["spotcheck", "--out", str(tmp_path / "抽查")],
    }
    for what, args in refused.items():
        result = no_traceback(run(archive_path, args, user="cha"))
        assert result.returncode == 4, (what, result.stderr)
        assert result.stderr == f"错误：当前用户为“查阅”角色，不能{what}。\n"
    for args in (["user", "list"], ["user", "add", "wang", "--password-stdin"],
                 ["user", "disable", "li"]):
        result = no_traceback(run(archive_path, args, user="cha", stdin_text="wang-pass-1\n"))
        assert result.returncode == 4 and "只有管理员可以管理用户" in result.stderr
    clerk = no_traceback(run(archive_path, ["user", "list"], user="li"))
    assert clerk.returncode == 4 and "只有管理员可以管理用户（当前用户为“录入员”角色）" in clerk.stderr
    archive = opened(archive_path)
    try:
        assert Child.select().count() == 50 and users.find_user("wang") is None
        assert not Township.get().is_demo
        assert users.find_user("li").active
    finally:
        archive.close()
    assert not (tmp_path / "c.tongdang").exists() and not (tmp_path / "抽查").exists()
    assert not list(tmp_path.glob("*恢复前*"))
    # What a 查阅 may do: read and export.
    number = first_id_number(archive_path)
    out = tmp_path / "档案.pdf"
    dossier = no_traceback(run(archive_path, ["export", "dossier", "--child", number, "--out",
                                              str(out)], user="cha"))
    assert dossier.returncode == 0 and out.read_bytes().startswith(b"%PDF")


def test_the_audit_trail_names_the_user_not_the_system(archive_path, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    assert run(archive_path, ["template", str(ledger)]).returncode == 0
    fill(ledger, rows())
    result = no_traceback(run(archive_path, ["import", str(ledger)], user="li"))
    assert result.returncode == 0, result.stderr
    assert "新建儿童档案：3 名" in result.stdout
    archive = opened(archive_path)
    try:
        assert Child.select().count() == 53
        since = AuditEntry.select().where(AuditEntry.action == "login").order_by(
            AuditEntry.id.desc()).get()
        assert (since.username, json.loads(since.changes)["结果"][1][:2]) == ("li", "成功")
        written = list(AuditEntry.select().where((AuditEntry.id > since.id)
                                                 & (AuditEntry.action != "login")))
        assert written and {e.username for e in written} == {"li"}
        assert "child" in {e.table for e in written}
    finally:
        archive.close()


def test_a_clerk_restores_a_backup(archive_path, tmp_path):
    backup = tmp_path / "b.tongdang"
    assert run(archive_path, ["backup", "--out", str(backup)], user="li").returncode == 0
    result = no_traceback(run(archive_path, ["restore", str(backup)], user="li"))
    assert result.returncode == 0 and "已从备份恢复档案库" in result.stdout
    refused = no_traceback(run(archive_path, ["restore", str(backup)]))
    assert refused.returncode == 2 and "--user" in refused.stderr


# --- ID numbers in lists ----------------------------------------------------------------------

def test_check_masks_id_numbers_for_roles_that_may_not_see_them(archive_path):
    number = first_id_number(archive_path)
    shown = {}
    for name in ("zhang", "li", "cha"):
        result = no_traceback(run(archive_path, ["check", "--json"], user=name))
        assert result.returncode == 0, result.stderr
        shown[name] = {c["id_number"] for c in json.loads(result.stdout)["children"]}
        table = no_traceback(run(archive_path, ["check"], user=name))
        assert (number in table.stdout) == (name == "zhang")
        assert mask_id_number(number) in table.stdout or name == "zhang"
    assert number in shown["zhang"]
    assert shown["li"] == shown["cha"] == {mask_id_number(n) for n in shown["zhang"]}
    assert all("*" in n for n in shown["cha"])


# --- at least one active 管理员 -----------------------------------------------------------------

def test_the_last_admin_cannot_be_disabled_or_demoted_from_the_command_line(archive_path):
    disable = no_traceback(run(archive_path, ["user", "disable", "zhang"], user="zhang"))
    assert disable.returncode == 1 and "至少要保留一个启用的管理员" in disable.stderr
    demote = no_traceback(run(archive_path, ["user", "role", "zhang", "查阅"], user="zhang"))
    assert demote.returncode == 1 and "至少要保留一个管理员" in demote.stderr
    # With a second 管理员 the first may step down.
    assert run(archive_path, ["user", "role", "li", "管理员"], user="zhang").returncode == 0
    assert run(archive_path, ["user", "role", "zhang", "录入员"], user="li").returncode == 0
    assert run(archive_path, ["user", "disable", "cha"], user="li").returncode == 0
    again = no_traceback(run(archive_path, ["user", "disable", "li"], user="li"))
    assert again.returncode == 1 and "至少要保留" in again.stderr
    archive = opened(archive_path)
    try:
        assert {(u.username, u.role, u.active) for u in User.select()} == {
            ("zhang", CLERK, True), ("li", ADMIN, True), ("cha", READER, False)}
        entries = AuditEntry.select().where((AuditEntry.table == "user")
                                            & (AuditEntry.action == "update"))
        assert {e.username for e in entries} >= {"zhang", "li"}
    finally:
        archive.close()


def test_init_without_admin_then_the_first_user_added_is_an_admin(tmp_path):
    path = tmp_path / "a.tongdang"
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               TONGDANG_RECOVERY_CODE=RECOVERY)
    init = subprocess.run([sys.executable, "-m", "desktop.cli", "--archive", str(path), "init",
                           "--township", "丹朱镇", "--county", "长子县", "--profile", "changzhi"],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          stdin=subprocess.DEVNULL, timeout=120, check=False)
    assert init.returncode == 0, init.stderr
    code = next(line.split("：", 1)[1] for line in init.stdout.splitlines()
                if line.startswith("恢复码："))
    env["TONGDANG_RECOVERY_CODE"] = code
    add = subprocess.run([sys.executable, "-m", "desktop.cli", "--archive", str(path), "user",
                          "add", "liwen", "--role", "查阅", "--password-stdin"],
                         input="first-pass-1\n", capture_output=True, text=True, encoding="utf-8",
                         env=env, timeout=120, check=False)
    assert add.returncode == 0, add.stderr
    assert "第一个用户设为管理员" in add.stderr and "已添加用户：liwen（liwen，管理员）" in add.stdout
    archive, _ = Archive.open(path, recovery_code=code)
    try:
        assert users.find_user("liwen").role == ADMIN
        # Made by the command line at the real cost.
        assert users.find_user("liwen").password_hash.split("$")[1] == str(2**17)
    finally:
        archive.close()


def test_a_demo_archive_with_users_takes_demo_data_from_a_clerk(tmp_path):
    from models.archive import DEMO_RECOVERY_CODE
    from models.demo_archive import create_demo_archive

    path = tmp_path / "演示.tongdang"
    archive = create_demo_archive(path)
    users.create_first_admin(archive, "zhang", PASSWORDS["zhang"])
    users.login(archive, "zhang", PASSWORDS["zhang"])
    users.create_user(archive.writer(), "li", PASSWORDS["li"], CLERK)
    users.create_user(archive.writer(), "cha", PASSWORDS["cha"], READER)
    archive.close()
    env_code = {"TONGDANG_RECOVERY_CODE": DEMO_RECOVERY_CODE}
    base = [sys.executable, "-m", "desktop.cli", "--archive", str(path), "demo", "--children", "3"]

    def demo(user):
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                   TONGDANG_PASSWORD=PASSWORDS[user], **env_code)
        return subprocess.run([*base, "--user", user], capture_output=True, text=True,
                              encoding="utf-8", env=env, stdin=subprocess.DEVNULL, timeout=120,
                              check=False)

    refused = no_traceback(demo("cha"))
    assert refused.returncode == 4
    assert refused.stderr == "错误：当前用户为“查阅”角色，不能填入演示数据。\n"
    assert no_traceback(demo("li")).returncode == 0
    archive, _ = Archive.open(path, recovery_code=DEMO_RECOVERY_CODE)
    try:
        assert Child.select().count() == 3
        made = AuditEntry.select().where(AuditEntry.table == "child")
        assert {e.username for e in made} == {"li"}
        assert Child.select().first().entered_on <= date.today()
    finally:
        archive.close()


def test_an_archive_without_an_active_admin_gets_one_from_its_clerk(demo_archive):
    User.create(username="li", display_name="li", role=CLERK,
                password_hash=users.hash_password(PASSWORDS["li"]))
    path = demo_archive.path
    demo_archive.close()
    result = no_traceback(run(path, ["user", "add", "wang", "--password-stdin"], user="li",
                              stdin_text="wang-pass-1\n"))
    assert result.returncode == 0, result.stderr
    assert "没有启用的管理员" in result.stderr and "已添加用户：wang（wang，管理员）" in result.stdout
    # From then on the usual rule: a 录入员 does not manage users.
    again = no_traceback(run(path, ["user", "add", "zhao", "--password-stdin"], user="li",
                             stdin_text="zhao-pass-1\n"))
    assert again.returncode == 4 and "只有管理员" in again.stderr


def test_a_blank_form_needs_no_login_but_a_filled_one_does(archive_path, tmp_path):
    blank = no_traceback(run(archive_path, ["export", "form", "入户走访记录表", "--blank", "--out",
                                            str(tmp_path / "空白.pdf")]))
    assert blank.returncode == 0 and (tmp_path / "空白.pdf").read_bytes().startswith(b"%PDF")
    number = first_id_number(archive_path)
    filled = no_traceback(run(archive_path, ["export", "form", "入户走访记录表", "--child", number,
                                             "--out", str(tmp_path / "已填.pdf")]))
    assert filled.returncode == 2 and not (tmp_path / "已填.pdf").exists()


def test_demo_on_a_real_archive_with_users_says_so_before_asking_for_a_login(archive_path):
    for user in (None, "zhang"):
        result = no_traceback(run(archive_path, ["demo", "--children", "5"], user=user))
        assert result.returncode == 2 and "不是演示档案库" in result.stderr
    archive = opened(archive_path)
    try:
        assert Child.select().count() == 50 and not Township.get().is_demo
    finally:
        archive.close()
