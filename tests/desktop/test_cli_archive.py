"""`tongdang init / demo / info` and Chinese help, run as a real command."""

import argparse
import json
import os
import subprocess
import sys

import pytest

from desktop.cli import build_parser
from models.schema import SCHEMA_VERSION


def run(args, env_extra=None, tmp_path=None):
    env = dict(os.environ)
    # Never touch the machine's real credential store from tests.
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.pop("TONGDANG_RECOVERY_CODE", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300, check=False,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def initialised(tmp_path):
    path = tmp_path / "a.tongdang"
    result = run(["--archive", str(path), "init", "--township", "丹朱镇", "--county", "长子县",
                  "--profile", "changzhi", "--json"])
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    return path, payload["recovery_code"]


def test_init_json_then_info(initialised):
    path, code = initialised
    env = {"TONGDANG_RECOVERY_CODE": code, "TONGDANG_ARCHIVE": str(path)}
    info = run(["info"], env)
    assert info.returncode == 0, info.stderr
    assert "乡镇：丹朱镇" in info.stdout
    assert f"数据结构版本：{SCHEMA_VERSION}" in info.stdout
    assert "儿童（在档）：0" in info.stdout
    assert "演示数据" not in info.stdout


def test_demo_refuses_a_real_archive_and_says_how_to_make_a_demo_one(initialised):
    """Fictional children can only be closed, and the flag stamps every export: real archives
    never get them (issue 12, point 6)."""
    path, code = initialised
    env = {"TONGDANG_RECOVERY_CODE": code, "TONGDANG_ARCHIVE": str(path)}
    demo = run(["demo", "--children", "40", "--seed", "3"], env)
    assert demo.returncode == 2
    assert "不是演示档案库" in demo.stderr and "tongdang --archive 演示.tongdang demo" in demo.stderr
    assert "Traceback" not in demo.stderr
    info = run(["info"], env)
    assert "儿童（在档）：0" in info.stdout and "演示数据" not in info.stdout


def test_demo_makes_a_new_demo_archive_then_adds_to_it(tmp_path):
    from models.archive import DEMO_RECOVERY_CODE

    path = tmp_path / "演示.tongdang"
    env = {"TONGDANG_RECOVERY_CODE": DEMO_RECOVERY_CODE}
    demo = run(["--archive", str(path), "demo", "--children", "40", "--seed", "3"], env)
    assert demo.returncode == 0, demo.stderr
    assert f"已新建演示档案库：{path}" in demo.stderr
    again = run(["--archive", str(path), "demo", "--children", "10", "--seed", "4"], env)
    assert again.returncode == 0, again.stderr
    info = run(["--archive", str(path), "info"], env)
    assert info.returncode == 0, info.stderr
    assert "儿童（在档）：50" in info.stdout
    assert "演示数据：是" in info.stdout


def test_demo_does_not_make_the_default_archive_a_demo_one(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    demo = run(["demo", "--children", "5"], env)
    assert demo.returncode == 2 and "默认位置还没有档案库" in demo.stderr
    assert not list(tmp_path.rglob("*.tongdang"))


def test_wrong_code_is_a_chinese_message_and_failure(initialised):
    path, _ = initialised
    wrong = "0000-1111-2222-3333-4444-5555-6666-7777"
    result = run(["--archive", str(path), "info"], {"TONGDANG_RECOVERY_CODE": wrong})
    assert result.returncode != 0
    assert "恢复码" in result.stderr
    assert "Traceback" not in result.stderr and "not a database" not in result.stderr


def test_without_keyring_or_code_the_user_is_told_what_to_do(initialised):
    path, _ = initialised
    result = run(["--archive", str(path), "info"])
    assert result.returncode != 0
    assert "TONGDANG_RECOVERY_CODE" in result.stderr and "Traceback" not in result.stderr


def test_init_refuses_to_overwrite(initialised):
    path, _ = initialised
    again = run(["--archive", str(path), "init", "--township", "x", "--county", "y",
                 "--profile", "national"])
    assert again.returncode != 0 and "已存在" in again.stderr


def subcommands(parser=None, prefix=()):
    """Every subcommand path, nested ones included (export dossier, user add, ...)."""
    parser = parser or build_parser()
    paths = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in sorted(action.choices.items()):
                paths.append(" ".join(prefix + (name,)))
                paths += subcommands(sub, prefix + (name,))
    return paths


def test_top_level_help_is_chinese():
    result = run(["--help"])
    assert result.returncode == 0
    assert "用法：" in result.stdout and "显示本帮助并退出" in result.stdout
    for name in ("init", "demo", "info"):
        assert name in result.stdout


@pytest.mark.parametrize("name", subcommands())
def test_every_subcommand_help_is_chinese(name, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*name.split(), "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "用法：" in out and "显示本帮助并退出" in out
    assert "show this help" not in out and "usage:" not in out


def test_init_can_create_the_first_admin(tmp_path):
    path = tmp_path / "a.tongdang"
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--archive", str(path), "init", "--township", "丹朱镇",
         "--county", "长子县", "--profile", "puning", "--admin", "liwen", "--password-stdin"],
        input="mima-1234\n", capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}, check=False)
    assert result.returncode == 0, result.stderr
    assert "管理员：liwen" in result.stdout
    code = next(line.split("：", 1)[1] for line in result.stdout.splitlines()
                if line.startswith("恢复码："))
    from models.archive import Archive
    from models.users import authenticate

    archive, _ = Archive.open(path, recovery_code=code)
    try:
        user = authenticate("liwen", "mima-1234")
        assert user.role == "管理员"
    finally:
        archive.close()


def test_init_refuses_a_weak_admin_password_before_creating_anything(tmp_path):
    path = tmp_path / "a.tongdang"
    result = run(["--archive", str(path), "init", "--township", "丹朱镇", "--county", "长子县",
                  "--profile", "puning", "--admin", "liwen", "--password-stdin"])
    assert result.returncode != 0 and "密码" in result.stderr
    assert not path.exists()
