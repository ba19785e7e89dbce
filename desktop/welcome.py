"""The first-use screen: shown when this computer has no archive yet.

Three choices in a clerk's words: 新建档案库 (the wizard that shows the recovery code),
打开其他档案库 (a file on a USB drive or copied from another computer) and 先看看演示 (the
fictional demo archive). A fourth, smaller one restores from a backup on a new computer.
After ``exec()`` succeeds, ``self.archive`` is open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from models.archive import SUFFIX, default_path

TITLE = "欢迎使用童档"
CHOICES = (
    ("new", "新建档案库…",
     "为本乡镇（街道）建立正式的档案库。向导会显示恢复码，请打印或抄写后妥善保管。"),
    ("other", "打开其他档案库…",
     "档案库文件在U盘、其他文件夹，或从另一台电脑拷贝过来（文件名以 .tongdang 结尾）。"),
    ("demo", "先看看演示",
     "打开演示档案库：约300名虚构儿童，可以随意操作，不影响正式数据。"),
    ("server", "连接县级数据库…",
     "县里统一使用服务器时：填写县民政局提供的服务器地址，用自己的用户名和密码登录。"),
)


class WelcomeDialog(QDialog):
    def __init__(self, settings, path: Path | None = None, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.path = Path(path) if path else default_path()
        self.archive = None
        self.demo_task = None
        self.setWindowTitle(TITLE)  # ends with 童档: Qt does not append it again
        self.setMinimumWidth(620)
        heading = QLabel(f"<h2>{TITLE}</h2>"
                         "<p>乡镇农村留守儿童和困境儿童“一人一档”档案管理。"
                         "这台电脑上还没有档案库，请选择：</p>")
        heading.setWordWrap(True)
        heading.setObjectName("heading")
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        self.buttons: dict[str, QPushButton] = {}
        slots = {"new": self.new_archive, "other": self.open_other, "demo": self.open_demo,
                 "server": self.open_server}
        for row, (name, text, hint) in enumerate(CHOICES):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setMinimumHeight(button.sizeHint().height() * 3 // 2)
            button.setMinimumWidth(170)
            font = button.font()
            font.setPointSizeF(font.pointSizeF() * 1.15)
            font.setBold(name == "new")
            button.setFont(font)
            button.clicked.connect(lambda _c=False, s=slots[name]: s())
            label = QLabel(hint)
            label.setWordWrap(True)
            label.setObjectName(f"{name}_hint")
            grid.addWidget(button, row, 0)
            grid.addWidget(label, row, 1)
            self.buttons[name] = button
        grid.setColumnStretch(1, 1)
        self.buttons["new"].setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#c5221f")
        self.message.hide()
        restore = QPushButton("从备份恢复…")
        restore.setObjectName("restore")
        restore.setFlat(True)
        restore.setStyleSheet("color:#1a57b0; text-decoration: underline;")
        restore.clicked.connect(lambda: self.restore())
        restore_row = QHBoxLayout()
        restore_hint = QLabel("换了电脑或重装了系统？有备份文件和恢复码时可以")
        restore_hint.setStyleSheet("color:#555")
        restore_row.addWidget(restore_hint)
        restore_row.addWidget(restore)
        restore_row.addStretch(1)
        place = QLabel(f"档案库将保存在：{self.path.parent}")
        place.setObjectName("place")
        place.setWordWrap(True)
        place.setStyleSheet("color:#555")
        place.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(self.message)
        layout.addLayout(restore_row)
        layout.addWidget(place)

    def show_message(self, text: str) -> None:
        from desktop.dialog_fit import grow_to_fit

        self.message.setText(text)
        self.message.setVisible(bool(text))
        grow_to_fit(self)

    # -- the choices -----------------------------------------------------------------
    def _opened(self, archive) -> None:
        self.archive = archive
        if self.settings is not None and not archive.on_server:  # (the server's is kept)
            self.settings.last_archive = archive.path
        self.accept()

    def open_server(self) -> bool:
        """The county database (desktop/server_open.py)."""
        from desktop.server_open import open_server_in

        return open_server_in(self)

    def new_archive(self) -> None:
        from desktop.unlock import NewArchiveWizard

        wizard = NewArchiveWizard(self._free_path(), self)
        if wizard.exec() == QDialog.Accepted and wizard.archive is not None:
            self._opened(wizard.archive)

    def _free_path(self) -> Path:
        path, n = self.path, 2
        while path.exists():
            path = path.with_name(f"archive-{n}{SUFFIX}")
            n += 1
        return path

    def open_other(self, path: str | Path | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "打开其他档案库", str(Path.home()),
                                                  f"童档档案库 (*{SUFFIX});;所有文件 (*)")
        if path:
            self._unlock(Path(path))

    def restore(self) -> None:
        self._unlock(self.path, "请在“恢复码”一栏输入档案库的恢复码，再点击“从备份恢复…”选择备份文件"
                                "（备份与档案库使用同一个恢复码）。", error=False)

    def _unlock(self, path: Path, message: str = "", error: bool = True) -> None:
        """Through the keyring when it can; else the unlock dialog asks for the recovery code."""
        from desktop.unlock import UnlockDialog, try_open

        if path.exists():
            archive, problem = try_open(path)
            if archive is not None:
                self._opened(archive)
                return
            message = problem[1]
        dialog = UnlockDialog(self.settings, path, "", self)
        if message:
            dialog.show_message(message, error=error)
        self.unlock_dialog = dialog
        if dialog.exec() == QDialog.Accepted and dialog.archive is not None:
            self._opened(dialog.archive)

    def open_demo(self):
        """Open the demo archive; the first time it is made in the background."""
        from desktop.unlock import open_demo_in

        task = open_demo_in(self)
        if task is not None:
            self.demo_task = task
        return task


def is_first_use(path: Path | None) -> bool:
    """No archive where the window would look: show the welcome screen."""
    return not Path(path or default_path()).exists()
