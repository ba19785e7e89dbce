"""Write an export so that a failed or cancelled export never leaves a half file.

The content goes to a temporary file in the target folder, which replaces the target
only when the writer finished; on any exception (including cancellation) it is removed.
The one atomic write of the program: PDF, Word and Excel exports, the ledger template and
its error report use ``atomic_path``; a folder written whole (the spot-check packet) uses
``atomic_folder``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


class ExportCancelled(Exception):
    """The user cancelled the export; nothing was written."""

    def __init__(self, message: str = "导出已取消，未生成文件。"):
        super().__init__(message)


class ExportError(Exception):
    """An export that failed; ``str(error)`` is a Chinese message for the user."""


def check_cancelled(is_cancelled: IsCancelled | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise ExportCancelled()


def report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike,
                opened_by: str = "其他程序（如 Word、WPS）") -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it into place on success.

    ``opened_by`` names the programs that may hold the file open, for the message when
    the target cannot be replaced."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"保存位置不存在：{folder}")
    sweep_leftovers(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except PermissionError as error:
        _remove(tmp_path)
        raise ExportError(f"无法写入文件“{target.name}”：文件可能正在被{opened_by}"
                          f"打开，请关闭后重试。（{error.strerror}）") from error
    except BaseException:
        _remove(tmp_path)
        raise


@contextlib.contextmanager
def atomic_folder(target: str | os.PathLike, stem: str) -> Iterator[Path]:
    """Yield a hidden temporary folder next to ``target`` (which must not exist, or be an
    empty folder); it becomes ``target`` on success and is removed on any exception.
    ``stem`` names the temporary folder (a safe form of the target's name)."""
    target = Path(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".part", dir=target.parent))
    try:
        yield tmp
        if target.exists():
            target.rmdir()  # empty: the caller checked
        os.replace(tmp, target)
    except PermissionError as error:
        _remove_tree(tmp)
        raise ExportError(f"无法写入“{target}”：文件夹可能正被其他程序打开。（{error.strerror}）") from error
    except BaseException:
        _remove_tree(tmp)
        raise


def sweep_leftovers(target: str | os.PathLike, older_than_seconds: float = 60.0) -> list[Path]:
    """Remove temporary files of earlier exports to ``target`` that a crash or power cut
    left behind (a killed process cannot clean up after itself). Recent ones may belong to
    an export still running, so they stay."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    cutoff = time.time() - older_than_seconds
    removed = []
    for leftover in folder.glob(f".{glob.escape(target.stem)}.*.part"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                removed.append(leftover)
    return removed


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _remove_tree(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(path)
