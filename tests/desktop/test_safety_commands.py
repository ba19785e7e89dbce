"""tongdang backup / restore / user, run through the command line's main()."""

import io

import keyring
import pytest
from conftest import RECOVERY, MemoryKeyring

from desktop.cli import main
from models.archive import Archive
from models.backup import list_backups
from models.schema import Child, User


@pytest.fixture
def env(demo_archive, monkeypatch):
    monkeypatch.setenv("TONGDANG_ARCHIVE", str(demo_archive.path))
    monkeypatch.delenv("TONGDANG_RECOVERY_CODE", raising=False)
    monkeypatch.delenv("TONGDANG_PASSWORD", raising=False)
    demo_archive.close()
    return demo_archive.path


def test_backup_then_restore_on_a_new_machine(env, tmp_path, capsys, monkeypatch):
    assert main(["backup", "--folder", str(tmp_path / "u盘")]) == 0
    out = capsys.readouterr().out
    (made,) = list_backups(tmp_path / "u盘")
    assert f"已备份到：{made}" in out and "备份已校验" in out

    keyring.set_keyring(MemoryKeyring())
    monkeypatch.setenv("TONGDANG_RECOVERY_CODE", RECOVERY)
    target = tmp_path / "新电脑" / "archive.tongdang"
    assert main(["restore", str(made), "--to", str(target)]) == 0
    assert f"已从备份恢复档案库：{target}" in capsys.readouterr().out
    archive, _ = Archive.open(target)
    try:
        assert Child.select().count() == 50
    finally:
        archive.close()

    # Restoring over the existing archive keeps the old one aside.
    assert main(["restore", str(made)]) == 0
    out = capsys.readouterr().out
    assert "原档案库已另存为：" in out
    assert len(list(env.parent.glob("a.恢复前-*.tongdang"))) == 1


def test_restore_with_wrong_code_fails_clearly(env, tmp_path, capsys, monkeypatch):
    main(["backup", "--out", str(tmp_path / "b.tongdang")])
    monkeypatch.setenv("TONGDANG_RECOVERY_CODE", "ZZZZ-YYYY-XXXX-WWWW-VVVV-TTTT-SSSS-RRRR")
    assert main(["restore", str(tmp_path / "b.tongdang")]) == 1
    assert "恢复码不对" in capsys.readouterr().err
    assert not list(env.parent.glob("a.恢复前-*"))


def test_user_commands_enforce_the_admin(env, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("first-pass-1\n"))
    assert main(["user", "add", "zhang", "--name", "张主任", "--password-stdin"]) == 0
    assert "已添加用户：zhang（张主任，管理员）" in capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", io.StringIO("second-pass-2\n"))
    assert main(["user", "add", "li", "--password-stdin"]) == 2
    assert "--user" in capsys.readouterr().err

    monkeypatch.setenv("TONGDANG_PASSWORD", "wrong-password")
    monkeypatch.setattr("sys.stdin", io.StringIO("second-pass-2\n"))
    assert main(["user", "add", "li", "--password-stdin", "--admin", "zhang"]) == 4
    assert "用户名或密码不正确" in capsys.readouterr().err

    monkeypatch.setenv("TONGDANG_PASSWORD", "first-pass-1")
    monkeypatch.setattr("sys.stdin", io.StringIO("second-pass-2\n"))
    assert main(["user", "add", "li", "--role", "录入员", "--password-stdin", "--admin", "zhang"]) == 0

    # A 录入员 acting as admin is refused (exit status 4: login or role refused).
    monkeypatch.setenv("TONGDANG_PASSWORD", "second-pass-2")
    monkeypatch.setattr("sys.stdin", io.StringIO("third-pass-3\n"))
    assert main(["user", "add", "wang", "--password-stdin", "--user", "li"]) == 4
    assert "只有管理员" in capsys.readouterr().err

    monkeypatch.setenv("TONGDANG_PASSWORD", "first-pass-1")
    assert main(["user", "list", "--user", "zhang"]) == 0
    out = capsys.readouterr().out
    assert "zhang\t张主任\t管理员\t正常" in out and "li\tli\t录入员\t正常" in out
    archive, _ = Archive.open(env)
    try:
        assert [u.username for u in User.select().order_by(User.id)] == ["zhang", "li"]
    finally:
        archive.close()
