"""设置: township and county names, the regional profile (with the settings it implies shown
read-only, each with its policy source), the archive's location, checking and backing up the
archive, and the font size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.pages.users import MyAccountBox, UsersSection, logged_in_user
from desktop.permissions import (
    BACKUP,
    CHANGE_OWN_PASSWORD,
    CHANGE_TOWNSHIP,
    MANAGE_USERS,
    SHOW_FULL_ID,
    can,
    role_of,
)
from desktop.report_to_county import ReportToCountyBox
from models.profiles import POLICY_FILES, PROFILES, Source

PLAN_NAMES = {file: f"{PROFILES[code].name}实施方案（{file}）" for code, file in POLICY_FILES.items()}


def source_text(source: Source) -> str:
    if not source.file:  # 本地做法, the law, or "not stated": never shown as the plan
        return source.clause
    plan = PLAN_NAMES.get(source.file, source.file)
    quote = f"：“{source.quote}”" if source.quote else ""
    return f"{plan} {source.clause}{quote}"


def check_archive(archive, progress=None, is_cancelled=None) -> list[str]:
    """Every problem found in the archive file, the audit chain and the attachments."""
    return archive.backups.problems()


def backup_archive(archive, folder: Path, progress=None, is_cancelled=None) -> Path:
    return archive.backups.make(folder)


def change_profile(archive, profile: str, progress=None, is_cancelled=None) -> int:
    """Save the new profile and recompute every child's cached state under it."""
    archive.settings.set_profile(profile)
    return archive.states.refresh_all()


class Page(QWidget):
    title = "设置"

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.task = None
        self.role = role_of(context)
        self._build()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self._township_box())
        layout.addWidget(self._profile_box(), 1)
        layout.addWidget(self._local_box())
        layout.addWidget(self._archive_box())
        self.report_box = None
        if self.context.archive.reporting.needed:
            self.report_box = ReportToCountyBox(self.context, self.role, self._run)
            layout.addWidget(self.report_box)
        layout.addWidget(self._display_box())
        if can(self.role, CHANGE_OWN_PASSWORD) and logged_in_user(self.context.archive):
            layout.addWidget(MyAccountBox(self.context.archive))
        self.users_section = None
        if can(self.role, MANAGE_USERS):
            self.users_section = UsersSection(self.context.archive)
            layout.addWidget(self.users_section)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)

    def _township_box(self) -> QGroupBox:
        box = QGroupBox("乡镇信息")
        form = QFormLayout(box)
        self.township = QLineEdit()
        self.county = QLineEdit()
        self.profile = QComboBox()
        for code, profile in PROFILES.items():
            self.profile.addItem(profile.name, code)
        self.profile.currentIndexChanged.connect(self._show_profile)
        save = QPushButton("保存乡镇信息")
        save.setObjectName("save_township")
        save.clicked.connect(lambda: self.save_township())
        form.addRow("乡镇（街道）名称", self.township)
        form.addRow("县（市、区）名称", self.county)
        form.addRow("地区方案", self.profile)
        form.addRow("", save)
        if not can(self.role, CHANGE_TOWNSHIP):
            # Shown, not offered: the profile stays selectable to read its rules, never saved.
            self.township.setReadOnly(True)
            self.county.setReadOnly(True)
            save.hide()
            form.addRow("", QLabel("只有管理员可以更改乡镇信息和地区方案。"))
        return box

    def _profile_box(self) -> QGroupBox:
        box = QGroupBox("地区方案的规定（只读，依据各地实施方案）")
        layout = QVBoxLayout(box)
        self.profile_table = QTableWidget(0, 3)
        self.profile_table.setHorizontalHeaderLabels(["项目", "规定", "依据（方案条款、法律或本地做法）"])
        self.profile_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.profile_table.setWordWrap(True)
        self.profile_table.verticalHeader().setVisible(False)
        # Rows follow their wrapped text when the 字号 or a column width changes (no overlap).
        self.profile_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        header = self.profile_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self.profile_table.setColumnWidth(1, 300)
        self.profile_table.setMinimumHeight(320)
        layout.addWidget(self.profile_table)
        return box

    def _local_box(self) -> QGroupBox:
        box = QGroupBox("本地做法（方案未规定，县级可修改；检查结果中标注为“本地做法”，不作为政策依据）")
        layout = QVBoxLayout(box)
        self.local_table = QTableWidget(0, 4)
        self.local_table.setHorizontalHeaderLabels(["项目", "取值", "单位", "说明"])
        self.local_table.verticalHeader().setVisible(False)
        self.local_table.horizontalHeader().setStretchLastSection(True)
        self.local_table.setMinimumHeight(260)
        layout.addWidget(self.local_table)
        self.local_spins: dict[str, QSpinBox] = {}
        if can(self.role, CHANGE_TOWNSHIP):
            save = QPushButton("保存本地做法")
            save.setObjectName("save_local_practice")
            save.clicked.connect(lambda: self.save_local_practice())
            layout.addWidget(save)
        else:
            layout.addWidget(QLabel("只有管理员可以修改本地做法设置。"))
        return box

    def _show_local_practice(self) -> None:
        rows = self.context.archive.settings.local_rows()
        self.local_table.setRowCount(len(rows))
        self.local_spins = {}
        for r, (key, label, unit, value, note) in enumerate(rows):
            self.local_table.setItem(r, 0, QTableWidgetItem(label))
            spin = QSpinBox()
            spin.setRange(0, 100 if key == "spotcheck_share" else 120)
            spin.setValue(value)
            spin.setEnabled(can(self.role, CHANGE_TOWNSHIP))
            self.local_table.setCellWidget(r, 1, spin)
            self.local_spins[key] = spin
            self.local_table.setItem(r, 2, QTableWidgetItem(unit))
            item = QTableWidgetItem(note)
            item.setToolTip(note)
            self.local_table.setItem(r, 3, item)
        self.local_table.resizeRowsToContents()

    def save_local_practice(self) -> None:
        from models.roles import PermissionDenied

        settings = self.context.archive.settings
        try:
            for key, spin in self.local_spins.items():
                settings.set_local(key, spin.value())
        except (ValueError, PermissionDenied) as exc:
            QMessageBox.warning(self, self.title, str(exc))
            return
        self.context.archive.states.refresh_all()
        self.context.archive_changed()
        self.archive_status.setText("本地做法已保存，已重新计算每名儿童的状态。")

    def _archive_box(self) -> QGroupBox:
        box = QGroupBox("档案库")
        layout = QVBoxLayout(box)
        self.location = QLabel()
        self.location.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.location.setWordWrap(True)
        layout.addWidget(self.location)
        row = QHBoxLayout()
        for text, slot in (("打开所在文件夹", self.open_folder), ("校验档案库", self.verify),
                           ("立即备份", self.backup)):
            if slot == self.backup and not can(self.role, BACKUP):
                continue
            button = QPushButton(text)
            button.setObjectName(f"archive_{slot.__name__}")
            button.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addLayout(self._backup_rows())
        self.archive_status = QLabel()
        self.archive_status.setWordWrap(True)
        self.archive_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.archive_status)
        return box

    def _backup_rows(self) -> QFormLayout:
        from desktop.settings import MAX_BACKUP_KEEP

        form = QFormLayout()
        self.backup_folder = QLabel()
        self.backup_folder.setObjectName("backup_folder")
        self.backup_folder.setWordWrap(True)
        self.backup_folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        change = QPushButton("更改…")
        change.setObjectName("change_backup_folder")
        change.clicked.connect(lambda: self.change_backup_folder())
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.backup_folder, 1)
        folder_row.addWidget(change)
        self.backup_keep = QSpinBox()
        self.backup_keep.setObjectName("backup_keep")
        self.backup_keep.setRange(1, MAX_BACKUP_KEEP)
        self.backup_keep.setSuffix(" 份")
        self.backup_keep.valueChanged.connect(self.set_backup_keep)
        hint = QLabel("每天第一次打开和每次关闭档案库时自动备份到这个文件夹，只保留最近的几份。"
                      "可以选U盘上的文件夹，备份与档案库同样加密。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        if not can(self.role, BACKUP):
            change.hide()
            self.backup_keep.setEnabled(False)
        form.addRow("备份文件夹", folder_row)
        form.addRow("自动备份保留", self.backup_keep)
        form.addRow(hint)
        return form

    def _display_box(self) -> QGroupBox:
        from desktop.settings import FONT_SIZES

        box = QGroupBox("显示")
        form = QFormLayout(box)
        self.font_size = QComboBox()
        for size in FONT_SIZES:
            self.font_size.addItem("系统默认" if size == 0 else f"{size} 磅", size)
        self.font_size.activated.connect(lambda _i: self.set_font_size(self.font_size.currentData()))
        form.addRow("界面字号", self.font_size)
        self.full_id = QCheckBox("在列表中显示完整身份证号（仅管理员）")
        self.full_id.setObjectName("show_full_id")
        self.full_id.toggled.connect(self.set_show_full_id)
        if can(self.role, SHOW_FULL_ID) and self.context.settings is not None:
            form.addRow("隐私", self.full_id)
        else:
            self.full_id.hide()
        return box

    # -- showing ---------------------------------------------------------------------
    def refresh(self) -> None:
        archive = self.context.archive
        township = archive.township
        self.township.setText(township.name)
        self.county.setText(township.county)
        self.profile.blockSignals(True)
        self.profile.setCurrentIndex(max(0, self.profile.findData(township.profile)))
        self.profile.blockSignals(False)
        self._show_profile()
        self._show_local_practice()
        demo = "（演示档案库，全部为虚构数据）" if township.is_demo else ""
        self.location.setText(f"档案库文件：{archive.path}{demo}")
        settings = self.context.settings
        if settings is not None:
            self.font_size.setCurrentIndex(max(0, self.font_size.findData(settings.font_size)))
            self.backup_keep.blockSignals(True)
            self.backup_keep.setValue(settings.backup_keep)
            self.backup_keep.blockSignals(False)
            self.full_id.blockSignals(True)
            self.full_id.setChecked(settings.show_full_id)
            self.full_id.blockSignals(False)
        if self.users_section is not None:
            self.users_section.refresh()
        if self.report_box is not None:
            self.report_box.refresh()
        self._show_backup_folder()

    def backup_folder_path(self) -> Path:
        settings = self.context.settings
        if settings is None:
            return self.context.archive.backups.default_folder()
        return settings.backup_folder_for(self.context.archive)

    def _folder_chosen(self) -> bool:
        settings = self.context.settings
        return settings is not None and settings.backup_folder is not None

    def _show_backup_folder(self) -> None:
        folder = self.backup_folder_path()
        problem = self.context.archive.backups.folder_problem(folder, chosen=self._folder_chosen())
        note = "<br><span style='color:#c62828'>（现在不可用：请插入U盘或更改位置）</span>" \
            if problem else ""
        self.backup_folder.setText(f"{folder}{note}")

    def _show_profile(self) -> None:
        profile = self.context.archive.settings.profile_named(self.profile.currentData())
        rows = self.context.archive.settings.profile_rows(profile)
        if profile.basis_note:
            rows = [("本配置的依据", profile.basis_note, Source("", "说明"))] + rows
        self.profile_table.setRowCount(len(rows))
        for r, (label, value, source) in enumerate(rows):
            for c, text in enumerate((label, value, source_text(source))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.profile_table.setItem(r, c, item)
        self.profile_table.resizeRowsToContents()

    def _error(self, exc: BaseException) -> None:
        from desktop.worker import user_message

        QMessageBox.warning(self, self.title, user_message(exc))

    def _run(self, fn, *args, **kwargs):
        run = self.context.run_in_background
        if run is None:
            from desktop.worker import run_in_background as run
        return run(fn, *args, **kwargs)

    # -- township --------------------------------------------------------------------
    def _confirm(self, text: str) -> bool:
        return QMessageBox.question(self, self.title, text) == QMessageBox.Yes

    def save_township(self):
        from models.roles import PermissionDenied

        township = self.context.archive.township
        name, county = self.township.text().strip(), self.county.text().strip()
        profile = self.profile.currentData()
        if not name or not county:
            QMessageBox.warning(self, self.title, "乡镇（街道）名称和县（市、区）名称都不能为空。")
            return None
        try:
            self.context.archive.settings.rename_township(name, county)
        except (ValueError, PermissionDenied) as exc:
            QMessageBox.warning(self, self.title, str(exc))
            return None
        self.context.archive_changed()
        if profile == township.profile:
            self.archive_status.setText("乡镇信息已保存。")
            return None
        name = self.context.archive.settings.profile_named(profile).name
        if not self._confirm(f"改用“{name}”方案后，所有儿童的类别、风险等级和"
                             "走访日期将按新方案重新计算。确定要更改吗？"):
            self.profile.setCurrentIndex(self.profile.findData(township.profile))
            return None
        archive = self.context.archive
        self.task = self._run(change_profile, archive, profile, title="更改地区方案",
                              label="正在按新方案重新计算每名儿童的状态……",
                              on_done=self._profile_changed, on_error=self._profile_failed)
        return self.task

    def _profile_changed(self, count: int) -> None:
        self.context.archive_changed()
        self.archive_status.setText(f"地区方案已更改，已按新方案重新计算{count}名儿童的状态。")
        self.refresh()

    def _profile_failed(self, exc: BaseException) -> None:
        self._error(exc)
        self.refresh()

    # -- archive ---------------------------------------------------------------------
    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.context.archive.path).parent)))

    def verify(self):
        self.archive_status.setText("正在校验……")
        self.task = self._run(check_archive, self.context.archive, title="校验档案库",
                              label="正在校验档案库文件、审计记录和附件……",
                              on_done=self._verified, on_error=self._error)
        return self.task

    def _verified(self, problems: list[str]) -> None:
        if not problems:
            self.archive_status.setText("<b style='color:#2e7d32'>校验通过：</b>档案库文件完整，"
                                        "审计记录前后衔接、未被改动，附件与登记的校验值一致。")
            return
        shown = "<br>".join(problems[:20])
        more = f"<br>……另有{len(problems) - 20}处问题。" if len(problems) > 20 else ""
        self.archive_status.setText(f"<b style='color:#c62828'>发现{len(problems)}处问题：</b><br>"
                                    f"{shown}{more}<br>请从最近的备份恢复，或联系技术支持。")

    def change_backup_folder(self, folder: str | None = None) -> None:
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "选择备份文件夹（可以选U盘）",
                                                      str(self.backup_folder_path()))
        if not folder or self.context.settings is None:
            return
        self.context.settings.backup_folder = Path(folder)
        self._show_backup_folder()
        self.archive_status.setText(f"备份文件夹已改为：{folder}")

    def set_backup_keep(self, keep: int) -> None:
        if self.context.settings is not None:
            self.context.settings.backup_keep = keep

    def backup(self, folder: str | None = None):
        """Back up now into ``folder`` (by default the configured backup folder)."""
        chosen = not folder and self._folder_chosen()
        folder = Path(folder) if folder else self.backup_folder_path()
        problem = self.context.archive.backups.folder_problem(folder, chosen=chosen)
        if problem:
            self.archive_status.setText(problem)
            QMessageBox.warning(self, self.title, problem)
            return None
        self.archive_status.setText("正在备份……")
        self.task = self._run(backup_archive, self.context.archive, Path(folder), title="备份档案库",
                              label="正在备份并校验备份文件……",
                              on_done=lambda p: self.archive_status.setText(
                                  f"备份已保存并校验通过：{p}<br>备份与档案库同样加密，需用同一恢复码打开。"),
                              on_error=self._error)
        return self.task

    # -- display ---------------------------------------------------------------------
    def set_show_full_id(self, show: bool) -> None:
        settings = self.context.settings
        if settings is None or not can(self.role, SHOW_FULL_ID):
            return
        settings.show_full_id = show
        self.context.archive_changed()  # the children list reloads with or without masking
        self.archive_status.setText("列表中将显示完整身份证号。" if show
                                    else "列表中的身份证号将部分隐去。")

    def set_font_size(self, size: int) -> None:
        settings = self.context.settings
        if settings is not None:
            settings.font_size = size
        if size > 0:
            from desktop.settings import apply_font_size

            apply_font_size(QApplication.instance(), size)
            self.archive_status.setText(f"界面字号已改为{size}磅。")
        else:
            self.archive_status.setText("已恢复系统默认字号，重新打开童档后生效。")
