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
