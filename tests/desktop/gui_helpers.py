"""Helpers for driving the real widgets in tests."""

from datetime import date
from pathlib import Path

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from forms.idnumber import make_id_number


def type_chinese(widget, text: str) -> None:
    """Type text the way an input method commits it (qtbot.keyClicks takes ASCII only)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def id_number(birth: date, sequence: int = 11, male: bool = True, area: str = "140428") -> str:
    return make_id_number(area, birth, sequence, male)


def wrong_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


def make_window(archive, tmp_path: Path, on: date | None = None):
    from desktop.app import prepare_archive
    from desktop.mainwindow import MainWindow
    from desktop.settings import Settings

    prepare_archive(archive)
    return MainWindow(archive, Settings(tmp_path / "settings.ini"), on=on)


def make_context(archive, tmp_path: Path, on: date | None = None):
    from desktop.app import prepare_archive
    from desktop.context import AppContext
    from desktop.settings import Settings

    prepare_archive(archive)
    return AppContext(archive=archive, settings=Settings(tmp_path / "settings.ini"),
                      on=on or date.today())
