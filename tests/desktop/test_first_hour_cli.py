"""What a new user meets on the command line in the first hour, run as real commands: clean
Chinese help, dates that do not exist called so, the empty template refused, and spotcheck
progress only on a terminal, counted in the files drawn."""

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.commands.common import text_width
from tests.conftest import RECOVERY

ROOT = Path(__file__).resolve().parents[2]


def run(args, archive=None, **kwargs):
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the real store
    env["TONGDANG_RECOVERY_CODE"] = RECOVERY
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "100"
    if archive is not None:
        env["TONGDANG_ARCHIVE"] = str(archive)
    kwargs.setdefault("capture_output", True)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], check=False, text=True,
                          encoding="utf-8", env=env, timeout=300, cwd=ROOT, **kwargs)


@pytest.fixture
def demo(demo_archive):
    """The shared 50-child archive, marked as a demo archive, closed; returns its path."""
    from models.schema import Township

    demo_archive.writer().update(Township.get(), is_demo=True)
    demo_archive.close()
    return demo_archive.path


# -- help -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["export", "--help"],
                                  ["export", "stats", "--help"], ["user", "--help"]])
def test_help_is_chinese_with_full_width_colons_and_no_repeated_heading(args):
    result = run(args)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：")
    assert "选项：" in out
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in out
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")
                and not line.startswith("用法")]
    assert all(not h.endswith(":") for h in headings), headings  # no ASCII colon
    assert len(headings) == len(set(headings)), headings
    # no subcommand group listed under a second line of its own name
    lines = out.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.endswith("：") and not line.startswith(" "):
            assert lines[i + 1].strip() != line[:-1], (line, lines[i + 1])


def test_main_help_lists_every_subcommand_once_in_aligned_columns():
    out = run(["--help"]).stdout
    assert out.count("子命令：") == 1
    lines = out.splitlines()
    start = lines.index("子命令：")
    rows = [line for line in lines[start + 1:] if line.startswith("  ") and line.strip()]
    names = [row.split()[0] for row in rows if not row.startswith("   ")]
    for name in ("init", "demo", "info", "check", "template", "import", "export", "spotcheck",
                 "backup", "restore", "verify", "user"):
        assert names.count(name) == 1, name
    # the help texts begin in one column although Chinese characters are two columns wide
    option_rows = [line for line in lines if line.startswith("  -")]
    columns = {text_width(line[:re.search(r"\S\s{2,}(\S)", line).start(1)]) for line in option_rows}
    assert len(columns) == 1, option_rows


def test_a_mistyped_subcommand_lists_the_choices_plainly():
    result = run(["chec"])
    assert result.returncode == 2
    assert "“chec”不在可选范围内" in result.stderr and "check、template" in result.stderr
    assert "'" not in result.stderr.splitlines()[-1]


# -- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["check", "--on", "2026-02-30"],
                                  ["export", "stats", "--on", "2026-02-30", "--out", "x.xlsx"]])
def test_a_date_that_does_not_exist_is_named(args, tmp_path):
    result = run(args, tmp_path / "no-archive.tongdang")
    assert result.returncode == 2
    assert "2026-02-30" in result.stderr and "不存在" in result.stderr
    assert "2026年2月只有28天" in result.stderr and "格式" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_badly_written_date_is_a_format_error(tmp_path):
    result = run(["check", "--on", "下个月"], tmp_path / "no-archive.tongdang")
    assert result.returncode == 2
    assert "格式不对" in result.stderr and "YYYY-MM-DD" in result.stderr


# -- the empty template --------------------------------------------------------------------------

def test_importing_the_empty_template_says_it_has_no_rows(demo, tmp_path):
    from models.archive import Archive
    from models.schema import AuditEntry, Child

    template = tmp_path / "台账模板.xlsx"
    result = run(["template", str(template)], demo)
    assert result.returncode == 0, result.stderr
    result = run(["import", str(template)], demo)
    assert result.returncode == 1
    assert "没有填写任何儿童或走访记录" in result.stderr
    assert "已导入" not in result.stdout and "新建儿童档案：0" not in result.stdout
    archive, _ = Archive.open(demo, recovery_code=RECOVERY)
    try:
        assert Child.select().count() == 50  # the shared demo_archive, unchanged
        assert not AuditEntry.select().where(AuditEntry.username != "系统").exists()
    finally:
        archive.close()


# -- spotcheck progress --------------------------------------------------------------------------

def drawn(stdout: str) -> int:
    return int(re.search(r"抽查份数：(\d+)", stdout).group(1))


def test_spotcheck_into_a_pipe_has_no_progress_lines_and_counts_agree(demo, tmp_path):
    result = run(["spotcheck", "--sample", "25%", "--seed", "7", "--out", str(tmp_path / "p")], demo)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and "\r" not in result.stdout
    n = drawn(result.stdout)
    assert f"已抽取 {n} 份档案" in result.stderr
    files = list((tmp_path / "p").rglob("*.pdf"))
    dossiers = [f for f in files if not f.name.startswith("抽查记录表")]
    assert len(dossiers) == n


def test_spotcheck_on_a_terminal_shows_progress_in_files_drawn(demo, tmp_path):
    master, slave = pty.openpty()
    try:
        result = run(["spotcheck", "--sample", "25%", "--seed", "7", "--out", str(tmp_path / "p")],
                     demo, capture_output=False, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        slave = None
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    assert result.returncode == 0
    err = b"".join(chunks).decode("utf-8")
    n = drawn(result.stdout)
    assert "\r" in err
    counts = [(int(a), int(b)) for a, b in re.findall(r"已生成档案 (\d+)/(\d+) 份", err)]
    assert counts and all(total == n and done <= n for done, total in counts), counts
    assert counts[-1] == (n, n)
    assert "抽查记录表" in err
    assert not re.search(rf"{n + 1}/", err)  # never more items than files drawn
