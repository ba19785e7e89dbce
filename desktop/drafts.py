"""Unsaved edits kept as drafts, so that a crash loses at most the field being typed.

Drafts go through ``archive.drafts`` into the encrypted archive (never a plain file). Each
editor has a stable key ("child:42:basic", "new_child", "child:42:contact:new"). A draft is
written a moment after each edit and when a field is left, and removed on save or discard.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)
DELAY_MS = 400

_memory: dict[str, dict] = {}


def keep(archive, key: str, values: dict) -> None:
    """Keep ``values`` as the draft ``key`` (in memory too, should the archive refuse it)."""
    _memory[key] = dict(values)
    if archive is not None:
        try:
            archive.drafts.keep(key, values)
        except Exception:
            log.exception("draft %s not kept", key)


def load(archive, key: str) -> dict | None:
    if archive is not None:
        try:
            found = archive.drafts.load(key)
        except Exception:
            log.exception("draft %s not read", key)
            found = None
        if found is not None:
            return found
    return _memory.get(key)


def discard(archive, key: str) -> None:
    _memory.pop(key, None)
    if archive is not None:
        try:
            archive.drafts.discard(key)
        except Exception:
            log.exception("draft %s not discarded", key)


class DraftKeeper(QObject):
    """Watches a FormEditor and keeps its values as the draft ``key`` of ``archive``."""

    def __init__(self, editor, key: str, archive):
        super().__init__(editor)
        self.editor = editor
        self.key = key
        self.archive = archive
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.flush)
        editor.changed.connect(self.timer.start)
        editor.field_left.connect(lambda _key: self.flush())

    def flush(self) -> None:
        self.timer.stop()
        if self.editor.dirty:
            keep(self.archive, self.key, self.editor.values())

    def pending(self) -> dict | None:
        return load(self.archive, self.key)

    def discard(self) -> None:
        self.timer.stop()
        discard(self.archive, self.key)

    def set_key(self, key: str) -> None:
        self.flush()
        self.key = key
