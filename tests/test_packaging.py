"""The package as a user installs it: the built wheel (not the editable install of ./run) in a
fresh virtual environment, then the `tongdang` command from that environment.

The fresh environment gets only our wheel; the third-party packages (PySide6 and the rest,
hundreds of MB) are borrowed from the running environment through a .pth path line, so the
test stays fast and needs no network. Our own modules can only come from the wheel: the
repository is not on the path, PYTHONPATH is cleared and the editable install's hooks in the
borrowed folder are not run (a path line does not process that folder's .pth files).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    # No warnings of ours at build time (the resources.fonts data-folder warning).
    assert "resources.fonts" not in result.stdout + result.stderr
    (path,) = out.glob("tongdang-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh environment with the wheel installed (not editable); returns its `tongdang`."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--force-reinstall", "-q", str(wheel)],
        capture_output=True, text=True, env=clean_env(), cwd=venv)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "zz_borrowed_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv / ("Scripts/tongdang.exe" if os.name == "nt" else "bin/tongdang")


def clean_env() -> dict:
    """The environment without our variables and without PYTHONPATH (the tests set it)."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("TONGDANG_", "PYTHON", "VIRTUAL_ENV"))}


def run(program: Path, *args: str, home: Path, extra: dict | None = None, timeout=300):
    env = clean_env()
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), QT_QPA_PLATFORM="offscreen")
    env.update(extra or {})
    return subprocess.run([str(program), *args], capture_output=True, text=True, env=env,
                          cwd=home, timeout=timeout)


def test_the_wheel_holds_every_subpackage_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    in_repo = {str(p.relative_to(ROOT)).replace(os.sep, "/")
               for pkg in ("forms", "models", "exports", "desktop")
               for p in (ROOT / pkg).rglob("*.py")}
    assert in_repo - names == set()
    for data in ("resources/fonts/wqy-microhei.ttc", "resources/fonts/wqy-microhei.COPYING",
                 "resources/icons/tongdang-256.png"):
        assert data in names


def test_the_installed_program_works_from_the_wheel(installed, tmp_path):
    home = tmp_path
    (home / "data").mkdir()
    # Our modules come from the fresh environment, not from the repository.
    where = run(installed.parent / "python", "-c", "import desktop.cli; print(desktop.cli.__file__)",
                home=home)
    assert where.returncode == 0, where.stderr
    assert str(installed.parent.parent) in where.stdout and str(ROOT) not in where.stdout

    help_ = run(installed, "--help", home=home)
    assert help_.returncode == 0, help_.stderr
    assert "子命令" in help_.stdout and "export" in help_.stdout

    version = run(installed, "--version", home=home)
    assert version.returncode == 0 and "童档 tongdang" in version.stdout

    archive = home / "real.tongdang"
    init = run(installed, "--archive", str(archive), "init", "--township", "丹朱镇",
               "--county", "长子县", "--profile", "changzhi", "--json", home=home)
    assert init.returncode == 0, init.stderr
    code = json.loads(init.stdout)["recovery_code"]
    info = run(installed, "--archive", str(archive), "info", home=home,
               extra={"TONGDANG_RECOVERY_CODE": code})
    assert info.returncode == 0 and "丹朱镇" in info.stdout, info.stderr

    demo = run(installed, "--demo", "demo", "--children", "50", "--seed", "1", home=home)
    assert demo.returncode == 0, demo.stderr
    check = run(installed, "--demo", "check", "--json", home=home)
    assert check.returncode == 0, check.stderr
    child = json.loads(check.stdout)["children"][0]["id_number"]
    out = home / "档案.pdf"
    export = run(installed, "--demo", "export", "dossier", "--child", child, "--format", "pdf",
                 "--out", out.name, home=home)
    assert export.returncode == 0, export.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "演示数据" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts or "Sim" in fonts

    window = run(installed, "--archive", str(archive), home=home,
                 extra={"TONGDANG_SMOKE_QUIT": "1", "TONGDANG_RECOVERY_CODE": code})
    assert window.returncode == 0, window.stderr
    assert "SMOKE-WINDOW-SHOWN" in window.stdout
    assert "qt-zh_CN" in window.stdout  # Qt's own texts in Chinese (qtbase_zh_CN.qm)
    assert "丹朱镇" in window.stdout  # the main window's title: the archive really opened
