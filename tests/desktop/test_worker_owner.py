"""A background task whose window was closed while it ran calls nobody back."""

import threading

import pytest
from PySide6.QtWidgets import QWidget

from desktop.worker import active_tasks, run_in_background

pytestmark = pytest.mark.gui


def test_a_task_finishing_after_its_window_closed_calls_nothing(qtbot):
    window = QWidget()
    release = threading.Event()
    called = []

    def slow(progress, is_cancelled):
        release.wait(5)
        return 42

    run_in_background(slow, parent=window, show_dialog=False,
                      on_done=called.append, on_error=called.append)
    window.deleteLater()
    qtbot.wait(50)  # the window is gone before the result comes back
    release.set()
    qtbot.waitUntil(lambda: active_tasks() == 0, timeout=5000)
    qtbot.wait(50)
    assert called == []


def test_a_task_whose_window_is_open_delivers_its_result(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    called = []
    run_in_background(lambda progress, is_cancelled: 42, parent=window, show_dialog=False,
                      on_done=called.append)
    qtbot.waitUntil(lambda: called == [42], timeout=5000)


def test_a_task_closes_its_connection_even_if_the_archive_was_switched_meanwhile(
        qtbot, new_archive, tmp_path):
    # A connection left open in a pool thread is freed when the idle thread ends, without the
    # GIL, and the program aborts: the task must close the one it opened, not the current one.
    from conftest import RECOVERY

    from models.archive import Archive
    from models.schema import Child, database

    release = threading.Event()
    seen = {}

    def reads_then_waits(progress, is_cancelled):
        seen["connection"] = database.connection()
        Child.select().count()
        release.wait(5)
        return 1

    task = run_in_background(reads_then_waits, show_dialog=False)
    qtbot.waitUntil(lambda: "connection" in seen, timeout=5000)
    new_archive.close()  # the clerk opens another archive while the task runs
    other, _ = Archive.create(tmp_path / "b.tongdang", "丹朱镇", "长子县", "changzhi",
                              recovery_code=RECOVERY)
    try:
        release.set()
        assert task.wait(5)
        with pytest.raises(Exception, match="closed"):
            seen["connection"].in_transaction  # noqa: B018 - asks the driver whether it is open
    finally:
        qtbot.waitUntil(lambda: active_tasks() == 0, timeout=5000)
        other.close()
