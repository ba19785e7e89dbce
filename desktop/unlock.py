"""Opening an archive: through the keyring, else with the recovery code; 新建档案库 (a wizard
that shows the recovery code once, with 打印, and asks the clerk to confirm they kept it);
打开其他档案库; 打开演示档案库. Every failure is a clear Chinese sentence.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from desktop.dialog_fit import grow_to_fit
from models.archive import SUFFIX, Archive, default_path, demo_path
from models.storage import ArchiveOpenError, DamagedArchive

CONFIRM_KEPT = "我已打印或抄写并妥善保管恢复码"
RESTORE = "从备份恢复…"
DAMAGED = f"档案库文件已损坏。请点击“{RESTORE}”选择最近的备份文件。"


def open_error_message(exc: BaseException) -> str:
    """The Chinese message for anything opening an archive can raise."""
    from models.keys import KeyError_
    from models.migrations import NewerSchema

    if isinstance(exc, DamagedArchive):
        return f"{DAMAGED}\n详情：{exc}"
    if isinstance(exc, (ArchiveOpenError, NewerSchema, KeyError_)):
        return str(exc)
    if isinstance(exc, PermissionError):
        return "没有权限读取档案库文件，请检查文件权限或以本人账户登录。"
    if isinstance(exc, OSError):
        return f"无法读取档案库文件：{exc.strerror or exc}"
    text = str(exc)
    if "database disk image is malformed" in text or "malformed" in text:
        return DAMAGED
    return f"无法打开档案库：{type(exc).__name__}：{text}"


def try_open(path: Path, recovery_code: str | None = None):
    """(archive, None) or (None, (kind, message)); kind "need_code" asks for the code."""
    from models.archive import NeedRecoveryCode

    try:
        archive, _result = Archive.open(path, recovery_code=recovery_code)
    except NeedRecoveryCode as exc:
        return None, ("need_code", str(exc))
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message
        return None, ("error", open_error_message(exc))
    return archive, None


class UnlockDialog(QDialog):
    """Choose and unlock an archive. After ``exec()`` succeeds, ``self.archive`` is open."""

    def __init__(self, settings, path: Path | None = None, message: str = "", parent=None):
        super().__init__(parent)
        self.settings = settings
        self.archive = None
        self.path = Path(path) if path else (settings.last_archive if settings else None) \
            or default_path()
        self.setWindowTitle("打开档案库 — 童档")
        self.setMinimumWidth(560)
        self.heading = QLabel("<h2>童档</h2>乡镇农村留守儿童和困境儿童“一人一档”档案管理")
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message = QLabel(message)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#c5221f")
        self.code = QLineEdit()
        self.code.setObjectName("recovery_code")
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.Monospace)
        self.code.setFont(mono)
        self.code.returnPressed.connect(self.unlock)
        self.unlock_button = QPushButton("打开")
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        form = QFormLayout()
        form.addRow("档案库：", self.path_label)
        form.addRow("恢复码：", self.code)
        others = QHBoxLayout()
        for text, slot, name in (("新建档案库…", self.new_archive, "new"),
                                 ("打开其他档案库…", self.choose_other, "other"),
                                 ("打开演示档案库", self.open_demo, "demo"),
                                 (RESTORE, self.restore_from_backup, "restore"),
                                 ("县级数据库…", self.open_server, "server")):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, s=slot: s())
            others.addWidget(button)
        others.addStretch(1)
        others.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(others)
        self._show_path()
        self.demo_task = None

    def _show_path(self) -> None:
        exists = self.path.exists()
        self.path_label.setText(f"{self.path}" + ("" if exists else "（尚未创建）"))
        self.unlock_button.setEnabled(exists)
        if not exists and not self.message.text():
            self.message.setStyleSheet("color:#333")
            self.message.setText("这台电脑上还没有档案库。请新建档案库，或打开其他位置的档案库，"
                                 "也可以先打开演示档案库熟悉操作。")

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet("color:#c5221f" if error else "color:#333")
        self.message.setText(text)
        grow_to_fit(self)  # a longer message must not squeeze the subtitle above it

    # -- actions ---------------------------------------------------------------------
    def unlock(self) -> bool:
        code = self.code.text().strip() or None
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            archive, problem = try_open(self.path, code)
        finally:
            QApplication.restoreOverrideCursor()
        if problem:
            kind, text = problem
            self.show_message(text, error=kind != "need_code" or bool(code))
            self.code.setFocus()
            self.code.selectAll()
            return False
        self._opened(archive)
        return True

    def _opened(self, archive) -> None:
        self.archive = archive
        if self.settings is not None and not archive.on_server:  # (the server's is kept)
            self.settings.last_archive = archive.path
        self.accept()

    def open_server(self) -> bool:
        """The county database instead of a file (desktop/server_open.py)."""
        from desktop.server_open import open_server_in

        return open_server_in(self)

    def restore_from_backup(self, backup: str | Path | None = None) -> bool:
        """Replace the dialog's archive by a checked backup (the old file is kept aside), then
        open it. Needs the recovery code typed above; nothing is replaced when anything fails."""
        from models.opening import restore_backup

        code = self.code.text().strip()
        if not code:
            self.show_message(f"请先在“恢复码”一栏输入恢复码，再点击“{RESTORE}”。"
                              "备份与档案库使用同一个恢复码。")
            self.code.setFocus()
            return False
        if backup is None:
            backup = self._choose_backup()
        if not backup:
            return False
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            result = restore_backup(Path(backup), code, self.path)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message
            QApplication.restoreOverrideCursor()
            from desktop.worker import user_message

            self.show_message(f"未能从备份恢复，档案库未改动。{user_message(exc)}")
            return False
        try:
            archive, problem = try_open(result.target, code)
        finally:
            QApplication.restoreOverrideCursor()
        kept = (f"原来的档案库文件已改名保留在：{result.aside}" if result.aside else
                "此位置原来没有档案库文件。")
        if problem:
            self.show_message(f"已从备份恢复到 {result.target}，但打开时出错：{problem[1]} {kept}")
            return False
        self.inform(f"已从备份“{Path(backup).name}”恢复档案库：{result.target}\n\n{kept}\n"
                    "请检查最近的记录，备份之后录入的内容需要补录。")
        self._opened(archive)
        return True

    def _choose_backup(self) -> str:
        from models.backup import PREFIX

        folder = self.settings.backup_folder if self.settings is not None else None
        start = folder or self.path.parent / PREFIX
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(start),
                                              f"童档备份 (*{SUFFIX});;所有文件 (*)")
        return path

    def inform(self, text: str) -> None:
        QMessageBox.information(self, "从备份恢复", text)

    def choose_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开其他档案库", str(self.path.parent),
                                              f"童档档案库 (*{SUFFIX});;所有文件 (*)")
        if path:
            self.set_path(Path(path))
            self.unlock()

    def set_path(self, path: Path) -> None:
        self.path = Path(path)
        self.message.setText("")
        self.code.clear()
        self._show_path()
        grow_to_fit(self)

    def new_archive(self) -> None:
        wizard = NewArchiveWizard(self._free_path(), self)
        if wizard.exec() == QDialog.Accepted and wizard.archive is not None:
            self._opened(wizard.archive)

    def _free_path(self) -> Path:
        path = default_path()
        n = 2
        while path.exists():
            path = path.with_name(f"archive-{n}{SUFFIX}")
            n += 1
        return path

    def open_demo(self):
        """Open (creating it in the background the first time) the fictional demo archive."""
        task = open_demo_in(self)
        if task is not None:
            self.demo_task = task
        return task


def open_demo_in(dialog):
    """Open the fictional demo archive for a dialog with ``_opened`` and ``show_message``,
    making it in the background the first time; returns that task, or None."""
    from desktop.worker import run_in_background

    if demo_path().exists():
        archive, problem = try_open(demo_path(), _demo_code())
        if problem:
            dialog.show_message(problem[1])
        else:
            dialog._opened(archive)
        return None

    def make(progress, is_cancelled):
        from models.opening import open_demo

        return open_demo(progress=progress)

    return run_in_background(
        make, parent=dialog, title="打开演示档案库",
        label="正在生成演示档案库（约300名虚构儿童），请稍候……",
        on_done=dialog._opened,
        on_error=lambda exc: dialog.show_message(open_error_message(exc)))


def _demo_code() -> str:
    from models.archive import DEMO_RECOVERY_CODE

    return DEMO_RECOVERY_CODE


# -- new archive wizard --------------------------------------------------------------------

class _PlacePage(QWizardPage):
    def __init__(self, wizard: NewArchiveWizard, path: Path):
        super().__init__()
        self.wiz = wizard
        self.setTitle("新建档案库")
        self.setSubTitle("一个档案库对应一个乡镇（街道）。档案库文件加密保存。")
        self.township = QLineEdit()
        self.township.setObjectName("township")
        self.county = QLineEdit()
        self.county.setObjectName("county")
        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        from models.profiles import PROFILES

        for code, profile in PROFILES.items():
            self.profile.addItem(f"{profile.name}（{code}）" if code != "national" else
                                 "全国通用", code)
        self.admin = QLineEdit()
        self.admin.setObjectName("admin")
        self.admin.setPlaceholderText("如 zhangsan")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setObjectName("password_again")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.path = QLineEdit(str(path))
        self.path.setObjectName("path")
        browse = QPushButton("选择位置…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color:#c5221f")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("乡镇（街道）＊", self.township)
        form.addRow("县（市、区）＊", self.county)
        form.addRow("地区方案＊", self.profile)
        form.addRow("管理员用户名＊", self.admin)
        form.addRow("管理员密码＊", self.password)
        form.addRow("再次输入密码＊", self.password_again)
        form.addRow("保存位置", path_row)
        form.addRow(self.error)
        hint = QLabel("地区方案决定留守儿童的认定范围、风险分色和走访频次，按本地实施方案选择；"
                      "不确定时选“全国通用”。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        form.addRow(hint)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "档案库保存位置", self.path.text(),
                                              f"童档档案库 (*{SUFFIX})")
        if path:
            self.path.setText(path if path.endswith(SUFFIX) else path + SUFFIX)

    def validatePage(self) -> bool:
        township, county = self.township.text().strip(), self.county.text().strip()
        if not township or not county:
            self.error.setText("请填写乡镇（街道）和县（市、区）名称。")
            return False
        if self.wiz.archive is not None:
            return True
        from models.opening import check_password, check_username
        from models.users import BadUserInput

        password = self.password.text()
        try:
            admin = check_username(self.admin.text())
            check_password(password)
        except BadUserInput as exc:
            self.error.setText(f"管理员：{exc}")
            return False
        if password != self.password_again.text():
            self.error.setText("两次输入的密码不一致，请重新输入。")
            return False
        try:
            archive, code = Archive.create(Path(self.path.text().strip()), township, county,
                                           self.profile.currentData())
            user = archive.users.create_first_admin(admin, password)
            archive.login_as(user.username, user.role)
        except Exception as exc:  # noqa: BLE001
            self.error.setText(open_error_message(exc))
            return False
        self.wiz.archive, self.wiz.recovery_code = archive, code
        self.wiz.code_page.show_code(code, township, county)
        return True


class _CodePage(QWizardPage):
    def __init__(self, wizard: NewArchiveWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("恢复码")
        self.setSubTitle("系统重装、换电脑或密钥丢失时，只有恢复码能打开这个档案库。"
                         "恢复码丢失后任何人都无法找回数据。")
        self.code = QLabel()
        self.code.setObjectName("code")
        self.code.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = QFont("monospace")
        font.setStyleHint(QFont.Monospace)
        font.setPointSize(max(14, font.pointSize() + 6))
        font.setBold(True)
        self.code.setFont(font)
        self.code.setAlignment(Qt.AlignCenter)
        self.print_button = QPushButton("打印恢复码…")
        self.print_button.setObjectName("print_code")
        self.print_button.clicked.connect(self.print_code)
        self.kept = QCheckBox(CONFIRM_KEPT)
        self.kept.setObjectName("kept")
        self.kept.toggled.connect(self.completeChanged)
        advice = QLabel("请立即打印或抄写，与纸质档案分开、锁在柜中保管。不要拍照，不要保存在电脑或手机上。")
        advice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.code)
        layout.addWidget(advice)
        layout.addWidget(self.print_button, 0, Qt.AlignLeft)
        layout.addStretch(1)
        layout.addWidget(self.kept)
        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setStyleSheet("color:#c5221f")
        layout.addWidget(self.warning)
        self._sheet = ""

    def show_code(self, code: str, township: str, county: str) -> None:
        self.code.setText(code)
        self._sheet = (f"<h2>童档档案库恢复码</h2><p>{county} {township}</p>"
                       f"<p style='font-size:16pt; font-family:monospace; white-space:nowrap'><b>{code}</b></p>"
                       "<p>请与纸质档案分开、妥善保管。恢复码丢失后任何人都无法打开档案库。</p>")

    def isComplete(self) -> bool:
        return self.kept.isChecked()

    def print_code(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.Accepted:
            self.print_to(printer)

    def print_to(self, printer) -> None:
        document = QTextDocument()
        document.setHtml(self._sheet)
        document.print_(printer)


class NewArchiveWizard(QWizard):
    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建档案库")
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setButtonText(QWizard.NextButton, "下一步")
        self.setButtonText(QWizard.BackButton, "上一步")
        self.setButtonText(QWizard.FinishButton, "完成")
        self.setButtonText(QWizard.CancelButton, "取消")
        self.setOption(QWizard.NoBackButtonOnLastPage, True)
        self.archive = None
        self.recovery_code = ""
        self.place_page = _PlacePage(self, path)
        self.code_page = _CodePage(self)
        self.addPage(self.place_page)
        self.addPage(self.code_page)

    def reject(self) -> None:
        if self.archive is not None and not self.code_page.kept.isChecked():
            self.code_page.warning.setText(
                f"档案库已经建好。请打印或抄写恢复码，并勾选“{CONFIRM_KEPT}”后再关闭。")
            return
        super().reject()
