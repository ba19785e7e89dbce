"""An OS-level lock on a small file beside the archive, held for as long as it is open.

Every program that opens the archive holds a *shared* lock on ``.<archive name>.lock``; a
restore or replacement needs the *exclusive* lock, so it is refused while any other program
(a window, an import on the command line) has the archive open. The operating system drops
the lock when a process ends, even when it is killed, so a crash never leaves a stale lock.

POSIX: ``flock`` (per open file, so two opens in one process also exclude each other).
Windows: ``LockFileEx`` on the first byte (shared or exclusive, never blocking).
The lock file itself is tiny, holds no data and is never removed (removing it would race).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import ctypes
    import msvcrt
    from ctypes import wintypes

    _LOCKFILE_FAIL_IMMEDIATELY = 0x1
    _LOCKFILE_EXCLUSIVE_LOCK = 0x2

    class _OVERLAPPED(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD),
                    ("hEvent", wintypes.HANDLE)]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _kernel32.LockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD,
                                     wintypes.DWORD, wintypes.DWORD, ctypes.POINTER(_OVERLAPPED)]
    _kernel32.LockFileEx.restype = wintypes.BOOL
    _kernel32.UnlockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD,
                                       wintypes.DWORD, ctypes.POINTER(_OVERLAPPED)]
    _kernel32.UnlockFileEx.restype = wintypes.BOOL

    def _lock(fd: int, exclusive: bool) -> bool:
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        handle = wintypes.HANDLE(msvcrt.get_osfhandle(fd))
        return bool(_kernel32.LockFileEx(handle, flags, 0, 1, 0, ctypes.byref(_OVERLAPPED())))

    def _unlock(fd: int) -> None:
        handle = wintypes.HANDLE(msvcrt.get_osfhandle(fd))
        _kernel32.UnlockFileEx(handle, 0, 1, 0, ctypes.byref(_OVERLAPPED()))
else:
    import fcntl

    def _lock(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(archive_path: Path) -> Path:
    archive_path = Path(archive_path)
    return archive_path.with_name(f".{archive_path.name}.lock")


class ArchiveLock:
    """``try_shared()`` while open; ``try_exclusive()`` to replace. Never blocks."""

    def __init__(self, archive_path: Path):
        self.path = lock_path(archive_path)
        self.fd: int | None = None
        self.mode: str | None = None  # "shared" / "exclusive"

    def _open(self) -> int:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self.fd

    def _take(self, exclusive: bool) -> bool:
        fd = self._open()
        if self.mode is not None and os.name == "nt":  # no lock conversion on Windows
            _unlock(fd)
            self.mode = None
        if _lock(fd, exclusive):
            self.mode = "exclusive" if exclusive else "shared"
            return True
        if self.mode is None:
            self.release()
        return False

    def try_shared(self) -> bool:
        return self._take(False)

    def try_exclusive(self) -> bool:
        return self._take(True)

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                if self.mode is not None:
                    _unlock(self.fd)
            with contextlib.suppress(OSError):
                os.close(self.fd)
        self.fd, self.mode = None, None

    def __del__(self):  # a forgotten lock must not outlive its object
        self.release()


def in_use_elsewhere(archive_path: Path) -> bool:
    """True while any other program (or another open in this one) holds the archive open."""
    lock = ArchiveLock(archive_path)
    try:
        return not lock.try_exclusive()
    finally:
        lock.release()
