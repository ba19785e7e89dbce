"""`tongdang --demo` (what ./run starts on a fresh machine) opens the demo archive's window."""

import pytest

import models.archive
from desktop.app import Session
from desktop.cli import build_parser
from desktop.settings import Settings
from models.schema import Child, Township


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(models.archive, "data_dir", lambda: tmp_path / "data")
    return tmp_path / "data"


def test_demo_flag_opens_a_window_on_a_new_demo_archive(qtbot, qapp, tmp_path, data_dir):
    args = build_parser().parse_args(["--demo"])
    assert args.demo and args.command is None
    session = Session(qapp, Settings(tmp_path / "settings.ini"))
    assert session.start(None, demo=args.demo)
    qtbot.addWidget(session.window)
    try:
        assert (data_dir / "demo.tongdang").exists()
        assert Township.get().is_demo
        assert Child.select().count() == 300
        assert session.window.isVisible()
    finally:
        session.window.close()
        session.close()
    # the second start reopens the same archive instead of making another
    session = Session(qapp, Settings(tmp_path / "settings.ini"))
    assert session.start(None, demo=True)
    qtbot.addWidget(session.window)
    try:
        assert Child.select().count() == 300
    finally:
        session.window.close()
        session.close()
