"""The command line as delivered: --version, --demo with every subcommand, no traceback on a
closed pipe, the demo archive opening without its (public) code, `./run tongdang` in the
folder the user typed in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RECOVERY

ROOT = Path(__file__).resolve().parents[2]


def env_for(tmp_path, **extra):
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    for name in ("TONGDANG_RECOVERY_CODE", "TONGDANG_ARCHIVE"):
        env.pop(name, None)
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    env.update(extra)
    return env


def cli(tmp_path, *args, shell=None):
    command = shell or [sys.executable, "-m", "desktop.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                          env=env_for(tmp_path), cwd=tmp_path, timeout=300,
                          stdin=subprocess.DEVNULL, shell=bool(shell))


def test_version():
    from desktop.version import VERSION

    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--version"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0
    assert result.stdout.strip() == f"童档 tongdang {VERSION}"


def test_demo_option_works_with_a_subcommand(tmp_path):
    result = cli(tmp_path, "--demo", "info")
    assert result.returncode == 0, result.stderr
    assert "demo.tongdang" in result.stdout and "演示数据：是" in result.stdout
    # the real archive was neither asked for nor created
    assert not (tmp_path / "data" / "tongdang" / "archive.tongdang").exists()
    again = cli(tmp_path, "--demo", "check", "--json")
    assert again.returncode == 0, again.stderr
    assert '"children"' in again.stdout


def test_demo_option_refuses_init(tmp_path):
    result = cli(tmp_path, "--demo", "init", "--township", "甲", "--county", "乙",
                 "--profile", "national")
    assert result.returncode == 2
    assert "演示档案库不需要新建" in result.stderr


def test_a_closed_pipe_ends_quietly(tmp_path):
    python = f'"{sys.executable}" -m desktop.cli'
    for args in ("--help", "--demo info"):
        result = cli(tmp_path, shell=f"{python} {args} | head -1")
        assert result.returncode == 0
        assert result.stdout.strip(), args
        assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, \
            result.stderr


def test_the_demo_archive_opens_without_its_code(tmp_path, memory_keyring):
    from models.archive import DEMO_RECOVERY_CODE, Archive, NeedRecoveryCode

    demo_copy = tmp_path / "从别处拷来的demo.tongdang"
    archive, _ = Archive.create(demo_copy, "示范镇", "示范县", "national",
                                recovery_code=DEMO_RECOVERY_CODE, is_demo=True)
    archive.close()
    real = tmp_path / "real.tongdang"
    archive, _ = Archive.create(real, "丹朱镇", "长子县", "national", recovery_code=RECOVERY)
    archive.close()
    memory_keyring.store.clear()  # another computer: no keys in its credential store

    archive, _result = Archive.open(demo_copy)
    try:
        assert archive.township.is_demo and archive.township.name == "示范镇"
    finally:
        archive.close()
    with pytest.raises(NeedRecoveryCode):
        Archive.open(real)


@pytest.mark.gui
def test_opening_the_demo_archive_as_another_archive_asks_for_no_code(tmp_path, qtbot,
                                                                       memory_keyring):
    from desktop.unlock import UnlockDialog
    from models.archive import DEMO_RECOVERY_CODE, Archive

    path = tmp_path / "demo.tongdang"
    archive, _ = Archive.create(path, "示范镇", "示范县", "national",
                                recovery_code=DEMO_RECOVERY_CODE, is_demo=True)
    archive.close()
    memory_keyring.store.clear()
    dialog = UnlockDialog(None, tmp_path / "none.tongdang")
    qtbot.addWidget(dialog)
    dialog.set_path(path)  # what 打开其他档案库 does with the chosen file
    assert dialog.unlock()
    try:
        assert dialog.archive.township.is_demo
    finally:
        dialog.archive.close()


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "tongdang").exists(),
                    reason="./run has not set up .venv in this checkout")
def test_run_tongdang_works_in_the_folder_the_user_typed_in(tmp_path):
    work = tmp_path / "我的文件夹"
    work.mkdir()
    env = env_for(tmp_path)
    env.pop("PYTHONPATH")
    result = subprocess.run(
        ["bash", str(ROOT / "run"), "tongdang", "--demo", "export", "form", "入户走访记录表",
         "--blank", "--format", "pdf", "--out", "空白走访记录表.pdf"],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=work, timeout=600,
        stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert (work / "空白走访记录表.pdf").read_bytes().startswith(b"%PDF-")
    assert not (ROOT / "空白走访记录表.pdf").exists()
