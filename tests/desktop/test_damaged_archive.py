"""A damaged archive (pages past the header) meets every command: a Chinese damaged-archive
message with the way to restore, never a traceback, and nothing written into it."""

import hashlib
import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import date

import pytest

from desktop.cli import main
from forms.idnumber import make_id_number
from tests.conftest import RECOVERY

PAGE = 4096


@pytest.fixture(scope="module")
def sound(tmp_path_factory):
    import keyring

    from models import demo
    from models.archive import Archive
    from models.derived import refresh_all
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    folder = tmp_path_factory.mktemp("damaged")
    # A demo archive, so that ``demo`` too gets as far as writing (it refuses others).
    archive, _ = Archive.create(folder / "sound.tongdang", "丹朱镇", "长子县", "changzhi",
                                recovery_code=RECOVERY, is_demo=True)
    demo.generate(120, seed=3, writer=archive.writer())
    refresh_all()
    archive.close()
    ledger = folder / "台账.xlsx"
    assert main(["template", str(ledger)]) == 0
    from openpyxl import load_workbook

    wb = load_workbook(ledger)
    headers = [c.value for c in wb["儿童"][1]]
    row = {"姓名": "孙小明", "身份证号": make_id_number("140428", date(2016, 3, 1), 7, True),
           "村(社区)": "石桥村", "就学状况": "小学", "登记日期": "2026-01-05"}
    wb["儿童"].append([row.get(h) for h in headers])
    wb.save(ledger)
    keyring.set_keyring(previous)
    return {"path": folder / "sound.tongdang", "ledger": ledger, "folder": folder}


def _damage(source, target, page):
    data = bytearray(source.read_bytes())
    assert len(data) > (page + 1) * PAGE
    for k in range(0, 64, 8):
        data[page * PAGE + 200 + k] ^= 0x5A
    target.write_bytes(bytes(data))


def _commands(s, tmp):
    return {
        "info": ["info"],
        "check": ["check"],
        "export stats": ["export", "stats", "--out", str(tmp / "附件1.xlsx")],
        "export screening": ["export", "screening", "--out", str(tmp / "附件2.xlsx")],
        "backup": ["backup", "--folder", str(tmp / "备份")],
        "verify": ["verify"],
        "import": ["import", str(s["ledger"])],
        "demo": ["demo", "--children", "3"],
        "spotcheck": ["spotcheck", "--out", str(tmp / "抽查")],
    }


WRITERS = {"import", "demo", "spotcheck"}
RUNS = {"runs": 0, "refused": 0, "ok": 0, "tracebacks": 0}


def _run(args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as exc:  # argparse
            status = exc.code
        except Exception as exc:
            RUNS["tracebacks"] += 1
            raise AssertionError(f"{args}: traceback {exc!r}") from exc
    return status, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("fraction", [0.15, 0.35, 0.55, 0.75])
def test_every_command_answers_a_damaged_archive(sound, tmp_path, monkeypatch, fraction):
    monkeypatch.setenv("TONGDANG_RECOVERY_CODE", RECOVERY)
    pages = sound["path"].stat().st_size // PAGE
    page = max(2, int(pages * fraction))
    for name, args in _commands(sound, tmp_path).items():
        path = tmp_path / "damaged.tongdang"
        _damage(sound["path"], path, page)
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        status, text = _run(["--archive", str(path), *args])
        RUNS["runs"] += 1
        assert "Traceback" not in text
        if status == 0:
            RUNS["ok"] += 1  # the command never read the damaged page
            assert name not in WRITERS, f"{name} wrote into a damaged archive"
        else:
            RUNS["refused"] += 1
            assert "档案库文件已损坏" in text, (name, text)
            assert "备份" in text and "恢复" in text, (name, text)
        if name in WRITERS:
            assert status != 0
            assert hashlib.sha256(path.read_bytes()).hexdigest() == before, name
        for extra in ("-wal", "-shm"):
            (tmp_path / f"damaged.tongdang{extra}").unlink(missing_ok=True)
        shutil.rmtree(tmp_path / "抽查", ignore_errors=True)


def test_damaged_runs_figure():
    if not RUNS["runs"]:
        pytest.skip("run with the damaged-archive cases")
    print(f"\ndamaged archive: {RUNS['runs']} runs, {RUNS['refused']} answered with the "
          f"damaged-archive message, {RUNS['ok']} did not need the damaged page, "
          f"{RUNS['tracebacks']} tracebacks")
    assert RUNS["tracebacks"] == 0
