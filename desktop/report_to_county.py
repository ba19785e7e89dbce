"""设置 › 上报县级: the county's public key (entered once by the 管理员), the fingerprints to
compare by phone, and 生成上报包 (``models.reporting``), written off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)

from desktop.permissions import CHANGE_TOWNSHIP, REPORT_TO_COUNTY, can


def write_package(archive, target: Path, progress=None, is_cancelled=None):
    """Make the package and write it whole (``exports.atomic``); returns what was made."""
    from exports.atomic import atomic_path

    made = archive.reporting.make_package()
    with atomic_path(target) as temp:
        temp.write_bytes(made.data)
    return made


class ReportToCountyBox(QGroupBox):
    caption = "上报县级"

    def __init__(self, context, role: str, run):
        super().__init__("上报县级（本乡镇单独使用档案库文件、不连县级数据库时）")
        self.context, self.role, self._run = context, role, run
        self.task = None
        form = QFormLayout(self)
        hint = QLabel("上报包是本乡镇档案库的加密副本：只有县民政局能打开，带本乡镇的签名，"
                      "县里能看出它是否完整、是否由本乡镇生成。用U盘或内网交给县民政局。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        form.addRow(hint)
        self.key = QPlainTextEdit()
        self.key.setObjectName("county_key")
        self.key.setPlaceholderText("把县民政局给的公钥（以 TONGDANG-COUNTY-KEY/1: 开头）粘贴在这里")
        self.key.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        save = QPushButton("保存公钥")
        save.setObjectName("save_county_key")
        save.clicked.connect(lambda: self.save_key())
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(save, 0, Qt.AlignTop)
        form.addRow("县级公钥", key_row)
        if not can(role, CHANGE_TOWNSHIP):
            self.key.setReadOnly(True)
            save.hide()
        self.fingerprints = QLabel()
        self.fingerprints.setObjectName("report_fingerprints")
        self.fingerprints.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.fingerprints.setWordWrap(True)
        form.addRow("指纹（供电话核对）", self.fingerprints)
        make = QPushButton("生成上报包…")
        make.setObjectName("make_report_package")
        make.clicked.connect(lambda: self.make_package())
        make.setVisible(can(role, REPORT_TO_COUNTY))
        self.status = QLabel()
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        make_row = QHBoxLayout()
        make_row.addWidget(make)
        make_row.addStretch(1)
        form.addRow("", make_row)
        form.addRow(self.status)

    def refresh(self) -> None:
        reporting = self.context.archive.reporting
        self.key.setPlainText(reporting.county_key())
        county = reporting.county_key_fingerprint() or "尚未填写"
        self.fingerprints.setText(f"县级公钥：{county}<br>本乡镇签名：{reporting.signer_fingerprint()}")

    def save_key(self) -> None:
        from models.reporting import PackageRefused
        from models.roles import PermissionDenied

        try:
            fingerprint = self.context.archive.reporting.set_county_key(self.key.toPlainText())
        except (PackageRefused, PermissionDenied) as exc:
            QMessageBox.warning(self, self.caption, str(exc))
            return
        self.refresh()
        self.status.setText(f"县级公钥已保存，指纹 {fingerprint}。请与县民政局电话核对这个指纹。")

    def make_package(self, target: str | None = None):
        reporting = self.context.archive.reporting
        if not reporting.county_key():
            QMessageBox.warning(self, self.caption, "还没有填写县级公钥。请先粘贴县民政局给的公钥并保存。")
            return None
        if target is None:
            start = str(Path(self.context.archive.path).parent / reporting.default_name())
            target, _ = QFileDialog.getSaveFileName(self, "保存上报包", start, "童档上报包 (*.tdpkg)")
        if not target:
            return None
        self.status.setText("正在生成上报包……")
        self.task = self._run(write_package, self.context.archive, Path(target), title="生成上报包",
                              label="正在复制并加密档案库……", on_done=lambda made: self._made(target, made),
                              on_error=self._failed)
        return self.task

    def _made(self, target: str, made) -> None:
        self.status.setText(
            f"已生成上报包：{target}（{len(made.data) / 1e6:.1f} MB，在档儿童 {made.header.children} 名，"
            f"生成于 {made.header.made_at}）。请交给县民政局；县里第一次导入时会显示本乡镇签名指纹 "
            f"{made.signer_fingerprint}，请电话核对。")

    def _failed(self, exc: BaseException) -> None:
        from desktop.worker import user_message

        self.status.setText("上报包未生成。")
        QMessageBox.warning(self, self.caption, user_message(exc))
