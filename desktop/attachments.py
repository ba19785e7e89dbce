"""The 附件 tab of a child's file: dropped or chosen files are stored inside the archive
(``archive.attachments``), previewed when they are images, opened or exported.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.worker import user_message
from exports.safe_names import safe_file_name, safe_path
from models.attachments import StoredFile

# --- opened for viewing ----------------------------------------------------------------------
# "打开" needs a plain file for the system's viewer. It goes to one private folder (0700) of
# this user, which is emptied when the archive closes and at the next start (a viewer may
# still hold a file at closing time on Windows; a crash skips the closing).

def viewing_folder() -> Path:
    return platformdirs.user_cache_path("tongdang", appauthor=False) / "viewing"


def _private_viewing_folder() -> Path:
    folder = viewing_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    return folder


def open_for_viewing(attachment: StoredFile) -> Path:
    """A copy to show in the system's viewer, inside the private viewing folder."""
    folder = Path(tempfile.mkdtemp(prefix="a", dir=_private_viewing_folder()))  # 0700
    return export_into(attachment, folder)


def clear_viewing_folder() -> int:
    """Remove every copy opened for viewing; returns how many files could not be removed yet."""
    folder = viewing_folder()
    if not folder.is_dir():
        return 0
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
    return sum(1 for p in folder.rglob("*") if p.is_file())


def export_into(attachment: StoredFile, folder: str | Path) -> Path:
    """Export under the stored name, made safe: a name like ``../../x`` cannot leave ``folder``."""
    return attachment.export(safe_path(folder, attachment.file_name))


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class AttachmentsTab(QWidget):
    changed = Signal()

    def __init__(self, context, child_id: int):
        super().__init__()
        self.context, self.archive, self.child_id = context, context.archive, child_id
        self.setAcceptDrops(True)
        self.list = QListWidget()
        self.list.setObjectName("attachments")
        self.list.currentItemChanged.connect(lambda *_: self._preview())
        self.list.itemDoubleClicked.connect(lambda *_: self.open_current())
        self.preview = QLabel("把扫描件或照片拖到这里即可添加。")
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setMinimumSize(240, 240)
        self.preview.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (("添加文件…", self.choose_files), ("打开", self.open_current),
                           ("导出…", self.export_current), ("删除（加错时）…", self.delete_current)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([300, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        note = QLabel("附件加密保存在档案库中。用“打开”查看时生成的副本放在只有本人能打开的文件夹中，"
                      "关闭档案库时自动删除。")
        note.setStyleSheet("color:#555")
        layout.addWidget(note)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for a in self.archive.attachments.of_child(self.child_id):
            item = QListWidgetItem(f"{a.file_name}（{_size_text(a.size)}，{a.added_on:%Y-%m-%d}）")
            item.setData(Qt.UserRole, a.id)
            item.setToolTip(a.description or a.file_name)
            self.list.addItem(item)

    def current(self) -> StoredFile | None:
        item = self.list.currentItem()
        return self.archive.attachments.stored(item.data(Qt.UserRole)) if item else None

    def _preview(self) -> None:
        a = self.current()
        if a is None:
            self.preview.setText("把扫描件或照片拖到这里即可添加。")
            return
        if a.is_image:
            image = QImage.fromData(a.content)
            if not image.isNull():
                pixmap = QPixmap.fromImage(image).scaled(
                    self.preview.size(), Qt.KeepAspectRatio, Qt.SmoothTransformation)
                self.preview.setPixmap(pixmap)
                return
        self.preview.setText(f"{a.file_name}\n{_size_text(a.size)}\nSHA-256：{a.sha256[:16]}…\n"
                             "（此类文件不能预览，请点“打开”）")

    def add_files(self, paths) -> int:
        added, problems = 0, []
        for path in paths:
            try:
                self.archive.attachments.add(self.child_id, path)
                added += 1
            except Exception as exc:  # noqa: BLE001
                problems.append(user_message(exc))
        self.reload()
        if added:
            self.list.setCurrentRow(self.list.count() - 1)
            self.changed.emit()
        if problems:
            QMessageBox.warning(self, "部分文件未添加", "\n".join(problems))
        return added

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "添加附件", "",
                                                "扫描件和照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)")
        if paths:
            self.add_files(paths)

    def open_current(self) -> None:
        a = self.current()
        if a is None:
            return
        try:
            path = open_for_viewing(a)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "无法打开", user_message(exc))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def export_current(self) -> None:
        a = self.current()
        if a is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "导出附件", safe_file_name(a.file_name))
        if not target:
            return
        try:
            a.export(target)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "导出失败", user_message(exc))

    def delete_current(self) -> None:
        a = self.current()
        if a is None:
            return
        reason, ok = QInputDialog.getText(self, "删除附件", "请写明删除原因（记入修改历史）：")
        if ok and reason.strip():
            try:
                self.archive.attachments.remove(a.id, reason)
            except Exception as exc:  # noqa: BLE001
                QMessageBox.warning(self, "未能删除", user_message(exc))
                return
            self.reload()
            self.changed.emit()

    def dragEnterEvent(self, event):
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        self.add_files(paths)
        event.acceptProposedAction()
