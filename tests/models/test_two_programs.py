"""Two programs, one archive: writers wait for each other with a Chinese message, imports run
side by side, a restore is refused while the archive is open elsewhere, and a program whose
file was replaced stops saving into the old one. Each program is a separate process."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from forms.idnumber import make_id_number
from models.archive import Archive
from models.backup import make_backup
from models.schema import Child, Contact
from tests.conftest import RECOVERY

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "tests" / "multiprocess_worker.py"
WAIT = "另一个程序正在导入台账，请稍候…"
FIGURES: dict[str, str] = {}


def _env():
    env = dict(os.environ)
    env["TONGDANG_RECOVERY_CODE"] = RECOVERY
    env["PYTHONPATH"] = str(ROOT)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _start(*args, stdin=None):
    return subprocess.Popen([sys.executable, str(WORKER), *map(str, args)], env=_env(),
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", cwd=ROOT)


def _cli(*args):
    return subprocess.Popen([sys.executable, "-m", "desktop.cli", *map(str, args)], env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", cwd=ROOT)


def _no_traceback(*texts):
    for text in texts:
        assert "Traceback" not in text and "database is locked" not in text, text


@pytest.fixture
def shared(new_archive):
    writer = new_archive.writer()
    writer.create(Child, id_number=make_id_number("140428", date(2015, 1, 1), 1, True),
                  name="王小明", entered_on=date(2025, 1, 1))
    path = new_archive.path
    new_archive.close()
    return path


def _counts(path):
    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    try:
        return (Child.select().count(), Contact.select().count(),
                {c.problems for c in Contact.select(Contact.problems)})
    finally:
        archive.close()


def _ledger(path: Path, start: int, n: int) -> Path:
    assert main(["template", str(path)]) == 0
    wb = load_workbook(path)
    headers = [c.value for c in wb["儿童"][1]]
    for i in range(start, start + n):
        row = {"姓名": f"孙小{i}", "身份证号": make_id_number("140428", date(2012, 1, 1)
                                                             .replace(day=1 + i % 28), i, i % 2 == 0),
               "村(社区)": "石桥村", "就学状况": "小学", "父亲状况": "外出务工",
               "父亲外出范围": "跨省", "登记日期": "2026-01-05"}
        wb["儿童"].append([row.get(h) for h in headers])
    wb.save(path)
    return path


def test_a_save_waits_for_a_long_import_and_says_so(shared, tmp_path):
    ready, go = tmp_path / "ready", tmp_path / "go"
    holder = _start("hold", shared, ready, go)
    while not ready.exists():
        assert holder.poll() is None, holder.communicate()
    saver = _start("saves", shared, 3, "窗口")
    waited = saver.stderr.readline()  # blocks until the saver prints its wait message
    go.write_text("go")
    out, err = saver.communicate()
    h_out, h_err = holder.communicate()
    assert WAIT in waited
    assert saver.returncode == 0 and holder.returncode == 0, (err, h_err)
    _no_traceback(out, err, h_out, h_err)
    assert out.split("\n")[:3] == ["saved 0", "saved 1", "saved 2"]
    children, contacts, tags = _counts(shared)
    assert children == 2 and contacts == 3 and tags == {"窗口-0", "窗口-1", "窗口-2"}
    FIGURES["wait"] = "1 import holding the lock, 3 window saves: 3 saved after waiting, 0 lost"


def test_two_imports_at_once(shared, tmp_path):
    first = _ledger(tmp_path / "甲.xlsx", 100, 300)
    second = _ledger(tmp_path / "乙.xlsx", 500, 300)
    a = _cli("--archive", shared, "import", first)
    b = _cli("--archive", shared, "import", second)
    a_out, a_err = a.communicate()
    b_out, b_err = b.communicate()
    _no_traceback(a_out, a_err, b_out, b_err)
    assert a.returncode == 0 and b.returncode == 0, (a_err, b_err)
    assert "新建儿童档案：300 名" in a_out and "新建儿童档案：300 名" in b_out
    children, _, _ = _counts(shared)
    assert children == 601
    waited = sum(WAIT in e for e in (a_err, b_err))
    FIGURES["imports"] = f"2 imports of 300 children at once: 601/601 children, {waited} waited"


def test_window_saves_during_an_import(shared, tmp_path):
    ledger = _ledger(tmp_path / "台账.xlsx", 100, 1500)
    importer = _cli("--archive", shared, "import", ledger)
    saver = _start("saves", shared, 40, "保存")
    s_out, s_err = saver.communicate()
    i_out, i_err = importer.communicate()
    _no_traceback(s_out, s_err, i_out, i_err)
    assert importer.returncode == 0 and saver.returncode == 0, (i_err, s_err)
    assert s_out.count("saved ") == 40 and "refused" not in s_out
    children, contacts, tags = _counts(shared)
    assert children == 1501 and contacts == 40
    assert tags == {f"保存-{k}" for k in range(40)}
    FIGURES["saves"] = (f"import of 1500 children + 40 window saves: 1501/1501 children, "
                        f"40/40 saves, waited: {'yes' if WAIT in s_err else 'no'}")


def test_restore_is_refused_while_a_session_is_open(shared, tmp_path):
    archive, _ = Archive.open(shared, recovery_code=RECOVERY)
    backup = make_backup(archive, folder=tmp_path / "备份")
    archive.close()
    session = _start("session", shared, stdin=subprocess.PIPE)
    assert session.stdout.readline().strip() == "open"
    for k in range(3):
        session.stdin.write(f"save 前{k}\n")
        session.stdin.flush()
        assert session.stdout.readline().strip() == f"saved 前{k}"
    restore = _cli("--archive", shared, "restore", backup)
    r_out, r_err = restore.communicate()
    assert restore.returncode == 1
    assert "正在被其他程序使用" in r_err and "档案库未改动" in r_err
    for k in range(3):
        session.stdin.write(f"save 后{k}\n")
        session.stdin.flush()
        assert session.stdout.readline().strip() == f"saved 后{k}"
    session.stdin.write("quit\n")
    session.stdin.flush()
    s_out, s_err = session.communicate()
    _no_traceback(r_out, r_err, s_out, s_err)
    _, contacts, tags = _counts(shared)
    assert contacts == 6 and tags == {f"前{k}" for k in range(3)} | {f"后{k}" for k in range(3)}
    # Closed now: the restore goes through and keeps the old archive aside.
    restore = _cli("--archive", shared, "restore", backup)
    r_out, r_err = restore.communicate()
    assert restore.returncode == 0, r_err
    assert _counts(shared)[1] == 0
    aside = Path(r_out.split("原档案库已另存为：")[1].split("（")[0])
    assert _counts(aside)[1] == 6
    FIGURES["restore"] = "restore during an open session: refused 1/1; 6/6 saves kept"


def test_a_session_whose_file_was_replaced_stops_saving(shared, tmp_path):
    archive, _ = Archive.open(shared, recovery_code=RECOVERY)
    backup = make_backup(archive, folder=tmp_path / "备份")
    archive.close()
    session = _start("session", shared, stdin=subprocess.PIPE)
    assert session.stdout.readline().strip() == "open"
    session.stdin.write("save 替换前\n")
    session.stdin.flush()
    assert session.stdout.readline().strip() == "saved 替换前"
    # A copy put in place by something that ignores the lock (a file manager, another PC).
    old = shared.with_name("旧.tongdang")
    os.link(shared, old)
    os.replace(backup, shared)
    answers = []
    for k in range(5):
        session.stdin.write(f"save 替换后{k}\n")
        session.stdin.flush()
        answers.append(session.stdout.readline().strip())
    session.stdin.write("quit\n")
    session.stdin.flush()
    s_out, s_err = session.communicate()
    _no_traceback(s_out, s_err)
    assert all(a.startswith("refused 档案库文件") and "已被替换或移走" in a for a in answers), answers
    assert _counts(old)[1] == 1  # nothing more went into the old file
    assert _counts(shared)[1] == 0
    FIGURES["replaced"] = "file replaced under an open session: 5/5 saves refused, 0 into the old file"


def test_two_programs_figures():
    if not FIGURES:
        pytest.skip("run with the cases above")
    print()
    for line in FIGURES.values():
        print(line)
