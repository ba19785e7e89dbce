"""Long work (exports, demo data, refreshes) off the GUI thread, with progress and 取消.

``run_in_background(fn, ...)`` calls ``fn(*args, progress=..., is_cancelled=..., **kwargs)``
in Qt's thread pool. ``progress(done, total)`` and the result or error are posted back to
the GUI thread through Qt signals; the worker never touches a widget. Functions that take
no callbacks can be wrapped: ``run_in_background(lambda progress, is_cancelled: f(x))``.

The worker thread opens its own connection to the archive (peewee keeps one per thread) and
closes it when the task ends.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

_ACTIVE: set[Task] = set()  # keeps tasks (and their signal objects) alive until they end


class Cancelled(Exception):
    """Raised inside a task function when it notices ``is_cancelled()``."""


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Task:
    """One background call: ``cancel()``, ``wait()``, and after the end ``result``/``error``."""

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = _Signals()
        self.result: Any = None
        self.error: BaseException | None = None
        self.error_text = ""
        self.cancelled = False
        self.done = False  # set on the GUI thread once the outcome was delivered
        self._finished = threading.Event()
        self._cancel_flag = threading.Event()

    def cancel(self) -> None:
        self.cancelled = True
        self._cancel_flag.set()

    def is_cancelled(self) -> bool:
        return self._cancel_flag.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker thread finished (tests, shutdown); True when it did."""
        return self._finished.wait(timeout)

    # -- on the worker thread --------------------------------------------------------
    def _run(self) -> None:
        started_on = _current_database()
        try:
            value = self.fn(*self.args, progress=self._progress,
                            is_cancelled=self.is_cancelled, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
            self.error = exc
            self.error_text = traceback.format_exc()
            _close_thread_connections(started_on)
            self._finished.set()
            self.signals.failed.emit(exc)
            return
        self.result = value
        _close_thread_connections(started_on)
        self._finished.set()
        self.signals.finished.emit(value)

    def _progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(int(done), int(total))


class _Runnable(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


def _current_database():
    try:
        from models.archive import current_database
    except Exception:  # noqa: BLE001
        return None
    return current_database()


def _close_thread_connections(started_on) -> None:
    """Close this thread's connections: to the archive the task started on (it may have been
    closed or switched on the GUI thread meanwhile) and to the current one. A connection left
    open in a pool thread is freed when the idle thread ends, and the SQLite driver frees it
    without holding the GIL: the whole program aborts."""
    for db in {id(d): d for d in (started_on, _current_database()) if d is not None}.values():
        try:
            if not db.is_closed():
                db.close()
        except Exception:  # noqa: BLE001 - the task's outcome matters more than closing
            continue


def run_in_background(
    fn: Callable[..., Any],
    *args,
    parent: QWidget | None = None,
    title: str = "请稍候",
    label: str = "正在处理……",
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    show_dialog: bool = True,
    **kwargs,
) -> Task:
    """Start ``fn`` in the thread pool; callbacks run on the GUI thread.

    With ``show_dialog`` a modal progress dialog with a 取消 button is shown while it runs.
    A task that ends by raising ``Cancelled`` or ``exports.atomic.ExportCancelled`` (or that
    was cancelled and raised anything) calls ``on_cancelled`` instead of ``on_error``.
    """
    task = Task(fn, args, kwargs)
    dialog = _progress_dialog(parent, title, label, task) if show_dialog else None

    def owner_gone() -> bool:
        # The window that asked may have been closed while the task ran: its widgets are gone
        # and the result has nobody to go to.
        return parent is not None and not shiboken6.isValid(parent)

    def progress(done: int, total: int) -> None:
        if owner_gone():
            return
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)
        if on_progress:
            on_progress(done, total)

    def end() -> None:
        task.done = True
        _ACTIVE.discard(task)
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.canceled.disconnect()  # closing the dialog emits canceled
            dialog.reset()
            dialog.close()
            dialog.deleteLater()

    def finished(value) -> None:
        cancelled = task.cancelled
        end()
        if owner_gone():
            return
        if cancelled and on_cancelled:
            on_cancelled()
        elif on_done:
            on_done(value)

    def failed(exc) -> None:
        cancelled = task.cancelled
        end()
        if owner_gone():
            return
        if _is_cancellation(exc) or cancelled:
            if on_cancelled:
                on_cancelled()
            return
        if on_error:
            on_error(exc)
        else:
            _show_error(parent, exc)

    # The signal object lives on the GUI thread, so these slots run there (queued).
    task.signals.progress.connect(progress, Qt.QueuedConnection)
    task.signals.finished.connect(finished, Qt.QueuedConnection)
    task.signals.failed.connect(failed, Qt.QueuedConnection)
    _ACTIVE.add(task)
    QThreadPool.globalInstance().start(_Runnable(task))
    if dialog is not None:
        dialog.show()
    return task


def _is_cancellation(exc: BaseException) -> bool:
    if isinstance(exc, Cancelled):
        return True
    try:
        from exports.atomic import ExportCancelled
    except ImportError:
        return False
    return isinstance(exc, ExportCancelled)


def _progress_dialog(parent, title: str, label: str, task: Task) -> QProgressDialog:
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal if parent is not None else Qt.ApplicationModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(task.cancel)
    dialog.canceled.connect(lambda: dialog.setLabelText("正在取消……"))
    return dialog


def _show_error(parent, exc: BaseException) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, "操作未完成", user_message(exc))


# What SQLite/SQLCipher says when pages of the file are damaged (read long after opening).
DAMAGE_MARKERS = ("malformed", "not a database", "disk image", "file is encrypted")
DAMAGED_ARCHIVE = ("档案库文件已损坏，无法读取（{detail}）。请在“设置”中点击“校验档案库”查看详情，"
                   "并从最近的备份恢复：重新打开童档时点击“从备份恢复…”，选择最近的备份文件。")


def is_damage(exc: BaseException) -> bool:
    """A database error that means the archive file itself is damaged (no driver import here:
    peewee and sqlcipher stay in models)."""
    text = str(exc).lower()
    return "Error" in type(exc).__name__ and any(marker in text for marker in DAMAGE_MARKERS)


BUSY_MARKERS = ("database is locked", "database is busy", "database table is locked")
BUSY_ARCHIVE = ("另一个程序（例如正在导入台账的命令）长时间占用档案库，刚才的内容没有保存。"
                "请等它完成后重试。")


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "Error" in type(exc).__name__ and any(marker in text for marker in BUSY_MARKERS)


def user_message(exc: BaseException) -> str:
    """A Chinese sentence for an error; our own exceptions already carry one."""
    text = str(exc).strip()
    if text and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    if is_damage(exc):
        return DAMAGED_ARCHIVE.format(detail=text)
    if is_busy(exc):
        return BUSY_ARCHIVE
    return f"操作未完成：发生了意外错误（{type(exc).__name__}：{text}）。请重试，如仍失败请联系技术支持。"


def active_tasks() -> int:
    return len(_ACTIVE)
