"""Scans and photos in a child's file (``archive.attachments``): files are stored inside the
archive (``Attachment``, with their SHA-256), listed, read back and exported with their
checksum verified. Copies opened in the system's viewer are the desktop's (desktop.attachments).
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.schema import Attachment

MAX_BYTES = 50 * 1024 * 1024  # a scanned agreement is a few MB; larger files are refused
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff", "image/webp")


class AttachmentError(Exception):
    pass


@dataclass(frozen=True)
class ListedAttachment:
    """One line of a child's attachments (without the content)."""

    id: int
    file_name: str
    size: int
    mime_type: str
    added_on: date
    description: str


@dataclass(frozen=True)
class StoredFile:
    """An attachment with its content, as the archive holds it."""

    id: int
    file_name: str
    mime_type: str
    sha256: str
    size: int
    content: bytes
    description: str
    added_on: date

    @property
    def is_image(self) -> bool:
        return self.mime_type in IMAGE_TYPES

    def export(self, target: str | Path) -> Path:
        """Write the file out to ``target`` (readable by its owner only)."""
        return export_attachment(self, target)


class Attachments:
    """``archive.attachments``: the attachments of every child of the archive."""

    def __init__(self, archive):
        self.archive = archive

    def add(self, child_id: int, path: str | Path, description: str = "") -> int:
        return add_attachment(self.archive, child_id, path, description).id

    def of_child(self, child_id: int) -> list[ListedAttachment]:
        query = (Attachment.select(Attachment.id, Attachment.file_name, Attachment.size,
                                   Attachment.mime_type, Attachment.added_on, Attachment.description)
                 .where(Attachment.child == child_id).order_by(Attachment.id))
        return [ListedAttachment(a.id, a.file_name, a.size, a.mime_type, a.added_on, a.description)
                for a in query]

    def stored(self, attachment_id: int) -> StoredFile | None:
        a = Attachment.get_or_none(Attachment.id == attachment_id)
        if a is None:
            return None
        return StoredFile(a.id, a.file_name, a.mime_type, a.sha256, a.size, bytes(a.content),
                          a.description, a.added_on)

    def remove(self, attachment_id: int, reason: str) -> None:
        """Remove an attachment added by mistake; the reason stays in the audit trail."""
        self.archive.writer().delete(Attachment.get_by_id(attachment_id), reason)

    def export(self, attachment_id: int, target: str | Path) -> Path:
        return export_attachment(Attachment.get_by_id(attachment_id), target)


def add_attachment(archive, child_id: int, path: str | Path, description: str = "") -> Attachment:
    path = Path(path)
    if not path.is_file():
        raise AttachmentError(f"找不到文件：{path}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise AttachmentError(f"文件“{path.name}”超过50MB，请压缩或降低扫描分辨率后再添加。")
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    existing = Attachment.get_or_none((Attachment.child == child_id) & (Attachment.sha256 == digest))
    if existing is not None:
        raise AttachmentError(f"“{path.name}”已在附件中（{existing.file_name}）。")
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return archive.writer().create(Attachment, child=child_id, file_name=path.name, mime_type=mime,
                                   sha256=digest, size=len(content), content=content,
                                   description=description, added_on=date.today())


def export_attachment(attachment, target: str | Path) -> Path:
    """Write the attachment out, readable by its owner only (scans of 户口本 and ID cards)."""
    target = Path(target)
    data = bytes(attachment.content)
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise AttachmentError(f"附件“{attachment.file_name}”的内容与登记的校验值不符，可能已损坏。")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)  # an existing file keeps its mode through O_TRUNC
    return target
