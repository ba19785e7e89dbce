"""The app's own preferences, typed, over QSettings. The only module that touches QSettings.

Nothing about children is ever stored here (it is a plain file or registry key): only window
layout, paths and preferences.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

ORGANISATION = "tongdang"
APPLICATION = "tongdang"

DEFAULT_FONT_SIZE = 0  # 0 = the system's size
FONT_SIZES = (0, 10, 11, 12, 13, 14, 16, 18, 20)
DEFAULT_IDLE_LOCK_MINUTES = 15
DEFAULT_BACKUP_KEEP = 10
MAX_BACKUP_KEEP = 100
MAX_RECENT = 6


class Settings:
    """``Settings()`` uses the user's settings; ``Settings(path)`` an INI file (tests)."""

    def __init__(self, path: str | Path | None = None):
        if path is None:
            self._q = QSettings(ORGANISATION, APPLICATION)
        else:
            self._q = QSettings(str(path), QSettings.IniFormat)

    # -- helpers ---------------------------------------------------------------------
    def _get(self, key: str, default, kind):
        value = self._q.value(key, default)
        if value is None:
            return default
        try:
            if kind is bool:
                if isinstance(value, str):
                    return value.lower() in ("true", "1", "yes")
                return bool(value)
            return kind(value)
        except (TypeError, ValueError):
            return default

    def _bytes(self, key: str) -> QByteArray:
        value = self._q.value(key)
        return value if isinstance(value, QByteArray) else QByteArray()

    def sync(self) -> None:
        self._q.sync()

    def clear(self) -> None:
        self._q.clear()

    # -- window layout ---------------------------------------------------------------
    @property
    def window_geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._q.setValue("window/state", value)

    def splitter_state(self, name: str) -> QByteArray:
        return self._bytes(f"splitters/{name}")

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self._q.setValue(f"splitters/{name}", value)

    def header_state(self, name: str) -> QByteArray:
        """Column widths and order of a table (e.g. the children list)."""
        return self._bytes(f"headers/{name}")

    def set_header_state(self, name: str, value: QByteArray) -> None:
        self._q.setValue(f"headers/{name}", value)

    @property
    def last_page(self) -> str:
        return self._get("window/last_page", "", str)

    @last_page.setter
    def last_page(self, name: str) -> None:
        self._q.setValue("window/last_page", name)

    # -- archives --------------------------------------------------------------------
    @property
    def last_archive(self) -> Path | None:
        text = self._get("archive/last", "", str)
        return Path(text) if text else None

    @last_archive.setter
    def last_archive(self, path: str | Path | None) -> None:
        self._q.setValue("archive/last", str(path) if path else "")
        if path:
            self.add_recent_archive(path)
            self._q.setValue("archive/kind", "file")

    @property
    def recent_archives(self) -> list[Path]:
        value = self._q.value("archive/recent", [])
        if isinstance(value, str):
            value = [value] if value else []
        return [Path(v) for v in (value or [])]

    def add_recent_archive(self, path: str | Path) -> None:
        text = str(path)
        recent = [str(p) for p in self.recent_archives if str(p) != text]
        self._q.setValue("archive/recent", [text] + recent[:MAX_RECENT - 1])

    # -- the county database (a server, desktop/server_open.py) ---------------------
    @property
    def opens_server(self) -> bool:
        """The last archive opened was the county database: start with its login."""
        return self._get("archive/kind", "file", str) == "server"

    @property
    def server(self) -> str:
        """The county database's connection setting with the user name, never a password."""
        return self._get("server/setting", "", str)

    @server.setter
    def server(self, text: str) -> None:
        self._q.setValue("server/setting", text)
        self._q.setValue("archive/kind", "server" if text else "file")

    @property
    def server_township(self) -> str:
        """The township a county login chose last time."""
        return self._get("server/township", "", str)

    @server_township.setter
    def server_township(self, name: str) -> None:
        self._q.setValue("server/township", name or "")

    # -- backups ---------------------------------------------------------------------
    @property
    def backup_folder(self) -> Path | None:
        """The folder chosen for backups (e.g. on a USB drive); None when never chosen."""
        text = self._get("backup/folder", "", str)
        return Path(text) if text else None

    @backup_folder.setter
    def backup_folder(self, folder: str | Path | None) -> None:
        self._q.setValue("backup/folder", str(folder) if folder else "")

    def backup_folder_for(self, archive) -> Path:
        """Where this archive's backups go: the chosen folder, else the one beside the archive."""
        if self.backup_folder is not None:
            return self.backup_folder
        return archive.backups.default_folder()

    @property
    def backup_keep(self) -> int:
        """How many automatic backups of an archive are kept (the newest)."""
        keep = self._get("backup/keep", DEFAULT_BACKUP_KEEP, int)
        return keep if 1 <= keep <= MAX_BACKUP_KEEP else DEFAULT_BACKUP_KEEP

    @backup_keep.setter
    def backup_keep(self, keep: int) -> None:
        self._q.setValue("backup/keep", min(MAX_BACKUP_KEEP, max(1, int(keep))))

    # -- preferences -----------------------------------------------------------------
    @property
    def font_size(self) -> int:
        """Point size of the whole interface; 0 means the system's default."""
        size = self._get("ui/font_size", DEFAULT_FONT_SIZE, int)
        return size if 0 <= size <= 40 else DEFAULT_FONT_SIZE

    @font_size.setter
    def font_size(self, size: int) -> None:
        self._q.setValue("ui/font_size", int(size))

    @property
    def idle_lock_minutes(self) -> int:
        """Lock the window after this many idle minutes; 0 turns the lock off."""
        minutes = self._get("security/idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES, int)
        return max(0, minutes)

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, minutes: int) -> None:
        self._q.setValue("security/idle_lock_minutes", max(0, int(minutes)))

    @property
    def show_full_id(self) -> bool:
        """Show full ID numbers in lists (admins only; others always see them masked)."""
        return self._get("privacy/show_full_id", False, bool)

    @show_full_id.setter
    def show_full_id(self, value: bool) -> None:
        self._q.setValue("privacy/show_full_id", bool(value))

    def may_show_full_id(self, role: str) -> bool:
        from models.roles import may_see_full_id

        return self.show_full_id and may_see_full_id(role)

    @property
    def last_visitor(self) -> str:
        """The 走访人 last typed in the quick entry (a staff name, not child data)."""
        return self._get("quick_entry/visitor", "", str)

    @last_visitor.setter
    def last_visitor(self, name: str) -> None:
        self._q.setValue("quick_entry/visitor", name)


def apply_font_size(app: QApplication, size: int) -> None:
    """The interface font size (points); 0 keeps the system's."""
    if size <= 0:
        return
    font: QFont = app.font()
    font.setPointSize(size)
    app.setFont(font)
