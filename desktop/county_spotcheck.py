"""全县抽查: the 抽查 page's tab for a county login (``archive.county_spotchecks``,
models/server/county_spotcheck.py). Choose the townships, a share or a count per township and
the seed; the draw is recorded in every chosen township; then one packet folder per township.
A 县级查阅 login sees the past county draws only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.record_table import fill_table, record_table

TITLE = "全县抽查"
EXPLAINED = ("<h3>全县抽查</h3><p>从所选乡镇的在档儿童中，每个乡镇按村（社区）分层随机抽取档案，"
             "抽查结果记入各乡镇的抽查记录（各乡镇在自己的“抽查”页可以看到）。随机种子记入记录："
             "填写同一种子可重新抽出同一批档案；各乡镇的种子是“全县种子/乡镇名”。</p>")
READ_ONLY = "当前用户为“县级查阅”，只能查看历次全县抽查，不能新建（抽查结果要记入各乡镇的档案库，需要县级管理员）。"


def folder_name(check) -> str:
    return f"全县抽查材料-{check.draw.on:%Y%m%d}-种子{check.draw.seed}"


class CountySpotCheckPanel(QWidget):
    """The county's draw across townships, its result and packets, and the past draws."""

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.check = None
        self.task = None
        self.packet_path: Path | None = None
        self._build()

    @property
    def county(self):
        return self.context.archive.county_spotchecks

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(EXPLAINED)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        top = QHBoxLayout()
        self.townships = QListWidget()
        self.townships.setMaximumWidth(260)
        self.townships.itemChanged.connect(lambda _item: self._update_estimate())
        top.addWidget(self.townships)
        top.addLayout(self._settings(), 1)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Vertical)
        self.result_table = record_table(["乡镇（街道）", "在档儿童", "抽查份数", "存在问题",
                                          "乡镇随机种子"])
        self.history_table = record_table(["抽查日期", "抽查人", "规模", "全县随机种子", "乡镇",
                                           "抽查份数", "存在问题"], word_wrap=True)
        splitter.addWidget(self._titled("本次抽查", self.result_table))
        splitter.addWidget(self._titled("历次全县抽查", self.history_table))
        layout.addWidget(splitter, 1)

    def _titled(self, title: str, table) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(f"<b>{title}</b>"))
        column.addWidget(table)
        return box

    def _settings(self) -> QVBoxLayout:
        column = QVBoxLayout()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldsStayAtSizeHint)
        self.by_share = QRadioButton("按比例")
        self.by_count = QRadioButton("每个乡镇固定份数")
        self.by_share.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_share)
        group.addButton(self.by_count)
        self.share = QDoubleSpinBox()
        self.share.setRange(1, 100)
        self.share.setDecimals(0)
        self.share.setSuffix(" %")
        self.share.setValue(10)
        self.count = QSpinBox()
        self.count.setRange(1, 10000)
        self.count.setValue(20)
        self.count.setSuffix(" 份")
        for widget in (self.by_share, self.by_count, self.share, self.count):
            signal = widget.toggled if isinstance(widget, QRadioButton) else widget.valueChanged
            signal.connect(lambda *_: self._update_estimate())
        share_row, count_row = QHBoxLayout(), QHBoxLayout()
        share_row.addWidget(self.by_share)
        share_row.addWidget(self.share)
        count_row.addWidget(self.by_count)
        count_row.addWidget(self.count)
        self.seed = QLineEdit(self.county.new_seed())
        self.seed.setMinimumWidth(160)
        new_seed = QPushButton("换一个种子")
        new_seed.clicked.connect(lambda: self.seed.setText(self.county.new_seed()))
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed)
        seed_row.addWidget(new_seed)
        self.on = QDateEdit()
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy年M月d日")
        form.addRow("抽查规模", share_row)
        form.addRow("", count_row)
        form.addRow("随机种子", seed_row)
        form.addRow("抽查日期", self.on)
        column.addLayout(form)
        self.estimate = QLabel()
        self.estimate.setWordWrap(True)
        column.addWidget(self.estimate)
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        row.addWidget(self.status, 1)
        self.draw_button = QPushButton("抽取并记入各乡镇")
        self.draw_button.clicked.connect(self.draw)
        self.packet_button = QPushButton("生成各乡镇抽查材料…")
        self.packet_button.setEnabled(False)
        self.packet_button.clicked.connect(lambda: self.export_packets())
        row.addWidget(self.draw_button)
        row.addWidget(self.packet_button)
        if not self.county.may_record():
            self.draw_button.hide()
            self.packet_button.hide()
            self.status.setText(READ_ONLY)
        column.addLayout(row)
        column.addStretch(1)
        return column

    # -- page protocol ---------------------------------------------------------------
    def refresh(self) -> None:
        on = self.context.on
        if self.check is None:
            self.on.setDate(QDate(on.year, on.month, on.day))
        chosen = set(self.chosen_townships()) if self.townships.count() else None
        self._files = self.county.open_files()
        self.townships.blockSignals(True)
        self.townships.clear()
        for name, files in self._files.items():
            item = QListWidgetItem(f"{name}（在档{files}名）")
            item.setData(Qt.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if chosen is None or name in chosen else Qt.Unchecked)
            self.townships.addItem(item)
        self.townships.blockSignals(False)
        self._update_estimate()
        self.load_history()

    def chosen_townships(self) -> list[str]:
        return [self.townships.item(i).data(Qt.UserRole) for i in range(self.townships.count())
                if self.townships.item(i).checkState() == Qt.Checked]

    def _update_estimate(self) -> None:
        names = self.chosen_townships()
        files = sum(getattr(self, "_files", {}).get(n, 0) for n in names)
        size = (f"每个乡镇{self.count.value()}份" if self.by_count.isChecked()
                else f"每个乡镇{self.share.value():.0f}%")
        self.estimate.setText(f"已选{len(names)}个乡镇，在档儿童共{files}名；{size}，各村按比例分配。")

    def options(self) -> dict:
        d = self.on.date()
        return {"share": None if self.by_count.isChecked() else self.share.value() / 100,
                "count": self.count.value() if self.by_count.isChecked() else None,
                "townships": self.chosen_townships(), "seed": self.seed.text().strip() or None,
                "on": date(d.year(), d.month(), d.day())}

    def _error(self, exc: BaseException) -> None:
        from desktop.worker import user_message

        QMessageBox.warning(self, TITLE, user_message(exc))

    # -- the draw --------------------------------------------------------------------
    def draw(self):
        options = self.options()
        if not options["townships"]:
            QMessageBox.information(self, TITLE, "请至少选择一个乡镇。")
            return None
        if options["seed"] is None:
            options["seed"] = self.county.new_seed()
            self.seed.setText(options["seed"])
        county = self.county

        def work(progress=None, is_cancelled=None):
            return county.run(**options)

        run = self.context.run_in_background
        if run is None:
            try:
                self.show_check(work())
            except ValueError as exc:
                self._error(exc)
            return None
        self.draw_button.setEnabled(False)
        self.task = run(work, title=TITLE, label="正在抽取各乡镇的样本并记入抽查记录……",
                        on_done=self.show_check, on_error=self._failed,
                        on_cancelled=lambda: self.draw_button.setEnabled(True))
        return self.task

    def _failed(self, exc) -> None:
        self.draw_button.setEnabled(True)
        self.packet_button.setEnabled(self.check is not None)
        self._error(exc)

    def show_check(self, check) -> None:
        self.check = check
        self.packet_path = None
        self.draw_button.setEnabled(True)
        self.packet_button.setEnabled(True)
        draw = check.draw
        skipped = f"；{'、'.join(check.skipped)}没有在档儿童，未抽查" if check.skipped else ""
        self.status.setText(
            f"已记入{len(check.checks)}个乡镇的抽查记录：抽查{check.files}份，其中{check.with_problems}份"
            f"存在问题{skipped}。全县随机种子：<b>{draw.seed}</b>（复核时填写同一种子可抽出同一批档案）")
        rows = [[c.township, f"{c.run.population}名", f"{len(c.run.children)}份",
                 f"{c.run.with_problems}份", c.run.seed] for c in check.checks]
        fill_table(self.result_table, rows)
        self.context.archive_changed()
        self.load_history()

    # -- the packets -----------------------------------------------------------------
    def export_packets(self, parent_folder: str | None = None):
        if self.check is None:
            return None
        parent_folder = parent_folder or QFileDialog.getExistingDirectory(
            self, "选择抽查材料的保存位置", str(Path.home()))
        if not parent_folder:
            return None
        target = Path(parent_folder) / folder_name(self.check)
        if target.exists() and any(target.iterdir()):
            QMessageBox.warning(self, TITLE, f"“{target}”已存在且不是空文件夹，请另选保存位置。")
            return None
        county, check = self.county, self.check
        self.packet_button.setEnabled(False)
        run = self.context.run_in_background
        if run is None:
            from desktop.worker import run_in_background as run
        files = check.files + len(check.checks)
        self.task = run(write_packets, county, check, target, files, title=TITLE,
                        label=f"正在生成{len(check.checks)}个乡镇的抽查材料（{check.files}份档案）……",
                        on_done=self._packets_done, on_error=self._failed,
                        on_cancelled=self._packets_cancelled)
        return self.task

    def _packets_done(self, path) -> None:
        self.packet_path = Path(path)
        self.packet_button.setEnabled(True)
        self.status.setText(f"各乡镇的抽查材料已保存：{path}（每个乡镇一个文件夹）")

    def _packets_cancelled(self) -> None:
        self.packet_button.setEnabled(True)
        self.status.setText("已取消；已生成完的乡镇文件夹保留，未完成的乡镇没有留下文件。")

    # -- past draws ------------------------------------------------------------------
    def load_history(self) -> None:
        past = self.county.history()
        rows = [[p.draw.on.isoformat(), p.draw.by, p.draw.size_text, p.draw.seed,
                 "、".join(r[0] for r in p.rows), f"{p.files}份", f"{p.with_problems}份"]
                for p in past]
        fill_table(self.history_table, rows)


def write_packets(county, check, target: Path, files: int, progress=None,
                  is_cancelled=None) -> Path:
    """Every township's packet under ``target``, one folder per township (in a worker)."""
    from exports.spotcheck import safe_name, write_packet

    target.mkdir(exist_ok=True)
    done = [0]

    def write(township, packet):
        def step(n, _total):
            if progress is not None:
                progress(done[0] + n, files)

        write_packet(packet, target / safe_name(township), progress=step,
                     is_cancelled=is_cancelled)
        done[0] += len(packet.children) + 1

    county.each_packet(check, write)
    return target
