"""抽查: a wizard — sample share, per village or not, seed (shown and recorded) → the sampled
files with their completeness findings → the packet folder, written with progress and 取消.
Past spot-checks are listed with their samples and findings (the county's checks of this
township among them). A county login also gets the tab 全县抽查 (desktop/county_spotcheck.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.permissions import RUN_SPOTCHECK, can, role_of
from desktop.record_table import fill_table, record_table
from forms.colours import risk_level
from models.spotcheck import SpotCheckRun

STEP_SETTINGS, STEP_RESULTS = 0, 1


def _colour_text(colour: str) -> str:
    return risk_level(colour)


def packet_folder_name(run: SpotCheckRun) -> str:
    return f"抽查材料-{run.on:%Y%m%d}-种子{run.seed}"


class Page(QWidget):
    title = "抽查"

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.run: SpotCheckRun | None = None
        self.task = None
        self.packet_path: Path | None = None
        self._population: list[tuple[str, str]] = []
        self._build()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._wizard(), "新建抽查")
        self.tabs.addTab(self._history(), "历次抽查")
        self.county = None
        if getattr(self.context.archive, "county_role", ""):  # a county login on the server
            from desktop.county_spotcheck import CountySpotCheckPanel

            self.county = CountySpotCheckPanel(self.context)
            self.tabs.addTab(self.county, "全县抽查")
        self.tabs.currentChanged.connect(self._tab_shown)
        layout.addWidget(self.tabs)

    def _tab_shown(self, index: int) -> None:
        if index == 1:
            self.load_history()
        elif index == 2 and self.county is not None:
            self.county.refresh()

    def _wizard(self) -> QWidget:
        self.steps = QStackedWidget()
        self.steps.addWidget(self._settings_step())
        self.steps.addWidget(self._results_step())
        return self.steps

    def _settings_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<h3>第一步：抽查设置</h3>"
                                "<p>从在档儿童中随机抽取一定比例的档案。随机种子会记录在抽查记录中，"
                                "复核时填写同一种子可抽出同一批档案。</p>"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldsStayAtSizeHint)
        self.share = QDoubleSpinBox()
        self.share.setRange(1, 100)
        self.share.setDecimals(0)
        self.share.setSuffix(" %")
        self.share.setValue(self.context.archive.spotchecks.default_share() * 100)
        self.share.setToolTip("抽查比例是本地做法（方案只要求每年至少抽查一次），默认值在“设置”中修改。")
        self.share.valueChanged.connect(self._update_estimate)
        self.per_village = QCheckBox("按村（社区）分层，每个村按比例抽取")
        self.per_village.toggled.connect(self._update_estimate)
        seed_row = QHBoxLayout()
        self.seed = QLineEdit(self.context.archive.spotchecks.new_seed())
        self.seed.setMinimumWidth(160)
        new_seed = QPushButton("换一个种子")
        new_seed.clicked.connect(lambda: self.seed.setText(self.context.archive.spotchecks.new_seed()))
        seed_row.addWidget(self.seed)
        seed_row.addWidget(new_seed)
        self.on = QDateEdit()
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy年M月d日")
        self.inspector = QLineEdit()
        self.inspector.setMinimumWidth(240)
        self.notes = QLineEdit()
        self.notes.setMinimumWidth(480)
        form.addRow("抽查比例", self.share)
        form.addRow("", self.per_village)
        form.addRow("随机种子", seed_row)
        form.addRow("抽查日期", self.on)
        form.addRow("抽查人", self.inspector)
        form.addRow("备注", self.notes)
        layout.addLayout(form)
        self.estimate = QLabel()
        layout.addWidget(self.estimate)
        row = QHBoxLayout()
        row.addStretch(1)
        self.draw_button = QPushButton("抽取样本并检查 →")
        self.draw_button.setDefault(True)
        self.draw_button.clicked.connect(self.draw)
        row.addWidget(self.draw_button)
        self.may_draw = can(role_of(self.context), RUN_SPOTCHECK)
        if not self.may_draw:
            # Drawing a sample records a SpotCheck row: a 查阅 user may only read past ones.
            self.draw_button.hide()
            row.insertWidget(0, QLabel("当前用户为“查阅”角色，只能查看“历次抽查”，不能新建抽查。"))
        # A county login working in the whole county records a check in a township: in
        # 全县抽查 (every township), or after choosing one township.
        self.county_hint = QLabel("当前为全县视图：请在“全县抽查”中抽查各乡镇，或先选择一个乡镇。")
        self.county_hint.hide()
        row.insertWidget(0, self.county_hint)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _results_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<h3>第二步：抽查结果</h3>"))
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.result_label)
        splitter = QSplitter(Qt.Vertical)
        self.sample_table = record_table(
            ["序号", "村（社区）", "姓名", "风险等级", "检查结论", "发现的问题"], word_wrap=True)
        self.sample_table.itemActivated.connect(self._open_sampled)
        self.summary_table = record_table(["问题类型", "涉及档案份数"], word_wrap=True)
        splitter.addWidget(self.sample_table)
        splitter.addWidget(self.summary_table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        back = QPushButton("← 重新设置")
        back.clicked.connect(lambda: self.steps.setCurrentIndex(STEP_SETTINGS))
        row.addWidget(back)
        row.addStretch(1)
        self.packet_status = QLabel()
        row.addWidget(self.packet_status)
        self.packet_button = QPushButton("生成抽查材料…")
        self.packet_button.clicked.connect(lambda: self.export_packet())
        row.addWidget(self.packet_button)
        layout.addLayout(row)
        return page

    def _history(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        splitter = QSplitter(Qt.Vertical)
        self.history_table = record_table(["抽查日期", "抽查人", "比例", "按村分层", "随机种子", "抽查份数",
                                     "存在问题", "备注"], word_wrap=True)
        self.history_table.itemSelectionChanged.connect(self._history_selected)
        self.history_detail = record_table(
            ["序号", "村（社区）", "姓名", "身份证号", "发现的问题"], word_wrap=True)
        splitter.addWidget(self.history_table)
        splitter.addWidget(self.history_detail)
        layout.addWidget(splitter)
        # A township on its own file receives the county's check of it from the county's
        # packet (``models.county_check_record``); on the server the check is there already.
        receive_row = QHBoxLayout()
        receive_row.addWidget(QLabel("县里抽查了本乡镇的档案时，可导入县级抽查材料中的“县级抽查记录”文件。"), 1)
        self.receive_button = QPushButton("导入县级抽查记录…")
        self.receive_button.clicked.connect(self.receive_county_check)
        receive_row.addWidget(self.receive_button)
        self.receive_row = QWidget()
        self.receive_row.setLayout(receive_row)
        layout.addWidget(self.receive_row)
        return page

    def receive_county_check(self, path: str | None = None) -> bool:
        """Record the county's check from its file; True when recorded."""
        from forms.spotcheck_share import SpotCheckError

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "导入县级抽查记录", "",
                                                  "县级抽查记录 (*.json)")
            if not path:
                return False
        try:
            check = self.context.archive.spotchecks.receive(Path(path))
        except SpotCheckError as exc:
            QMessageBox.warning(self, "导入县级抽查记录", str(exc))
            return False
        self.load_history()
        QMessageBox.information(
            self, "导入县级抽查记录",
            f"已导入{check.on:%Y年%m月%d日}的县级抽查：抽查 {len(check.sample)} 份，"
            f"存在问题 {check.with_problems} 份。下次上报时随上报包交回县里。")
        return True

    # -- page protocol ---------------------------------------------------------------
    def refresh(self) -> None:
        on = self.context.on
        if self.run is None:
            self.on.setDate(QDate(on.year, on.month, on.day))
        archive = self.context.archive
        whole_county = bool(getattr(archive, "county_role", "")) and archive.township_id is None
        self.draw_button.setVisible(self.may_draw and not whole_county)
        self.receive_row.setVisible(self.may_draw and not getattr(archive, "on_server", False))
        self.county_hint.setVisible(whole_county)
        # Read once per visit; the estimate follows the spin box.
        self._population = self.context.archive.spotchecks.population()
        self._update_estimate()
        self._tab_shown(self.tabs.currentIndex())

    def _update_estimate(self) -> None:
        population = self._population
        share = self.share.value() / 100
        if self.per_village.isChecked():
            villages: dict[str, int] = {}
            for _number, village in population:
                villages[village] = villages.get(village, 0) + 1
            size = sum(self.context.archive.spotchecks.sample_size(n, share) for n in villages.values())
        else:
            size = self.context.archive.spotchecks.sample_size(len(population), share)
        self.estimate.setText(f"在档儿童{len(population)}名，将抽取{size}份档案。")

    def _error(self, exc: BaseException) -> None:
        from desktop.worker import user_message

        QMessageBox.warning(self, self.title, user_message(exc))

    # -- step 1 → 2 ------------------------------------------------------------------
    def settings(self) -> dict:
        d = self.on.date()
        return {"share": self.share.value() / 100, "per_village": self.per_village.isChecked(),
                "seed": self.seed.text().strip() or None, "on": date(d.year(), d.month(), d.day()),
                "inspector": self.inspector.text(), "notes": self.notes.text().strip()}

    def draw(self):
        from models.roles import PermissionDenied

        options = self.settings()
        if options["seed"] is None:
            options["seed"] = self.context.archive.spotchecks.new_seed()
            self.seed.setText(options["seed"])
        spotchecks = self.context.archive.spotchecks

        def work(progress=None, is_cancelled=None):
            return spotchecks.run(**options)

        run = self.context.run_in_background
        if run is None:
            try:
                self.show_run(work())
            except (ValueError, PermissionDenied) as exc:
                self._error(exc)
            return None
        self.draw_button.setEnabled(False)
        self.task = run(work, title="抽查", label="正在抽取样本并检查档案……",
                        on_done=self.show_run, on_error=self._drawn_error,
                        on_cancelled=lambda: self.draw_button.setEnabled(True))
        return self.task

    def _drawn_error(self, exc) -> None:
        self.draw_button.setEnabled(True)
        self._error(exc)

    def show_run(self, run: SpotCheckRun) -> None:
        self.run = run
        self.packet_path = None
        self.draw_button.setEnabled(True)
        self.context.archive_changed()
        mode = "按村（社区）分层" if run.per_village else "不分层"
        self.result_label.setText(
            f"抽查日期{run.on.isoformat()}，在档儿童{run.population}名，按{run.share * 100:.0f}%"
            f"（{mode}）抽取{len(run.children)}份，其中{run.with_problems}份存在问题。"
            f"<br>随机种子：<b>{run.seed}</b>（已记入抽查记录，复核时填写同一种子可抽出同一批档案）")
        rows = [[n, c.village, c.name, _colour_text(c.colour), "需整改" if c.problems else "合格",
                 "\n".join(c.messages) or "—"] for n, c in enumerate(run.children, start=1)]
        fill_table(self.sample_table, rows, [c.id_number for c in run.children])
        fill_table(self.summary_table, [[kind, f"{count}份"] for kind, count in self.context.archive.spotchecks.summary(run.children)])
        self.packet_status.setText("")
        self.packet_button.setEnabled(True)
        self.steps.setCurrentIndex(STEP_RESULTS)

    def _open_sampled(self, item) -> None:
        number = self.sample_table.item(item.row(), 0).data(Qt.UserRole)
        child_id = self.context.archive.children.id_of(number)
        if child_id is not None:
            self.context.open_child(child_id)

    # -- the packet ------------------------------------------------------------------
    def _choose_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self, "选择抽查材料的保存位置", str(Path.home()))

    def export_packet(self, parent_folder: str | None = None):
        if self.run is None:
            return None
        parent_folder = parent_folder or self._choose_folder()
        if not parent_folder:
            return None
        from exports.spotcheck import write_packet

        target = Path(parent_folder) / packet_folder_name(self.run)
        if target.exists() and any(target.iterdir()):
            QMessageBox.warning(self, self.title, f"“{target}”已存在且不是空文件夹，请另选保存位置。")
            return None
        packet = self.context.archive.spotchecks.packet(self.run)
        self.packet_button.setEnabled(False)
        self.packet_status.setText("正在生成抽查材料……")
        run = self.context.run_in_background
        if run is None:
            from desktop.worker import run_in_background as run
        self.task = run(write_packet, packet, target, title="生成抽查材料",
                        label=f"正在生成{len(packet.children)}份档案和抽查记录表……",
                        on_done=self._packet_done, on_error=self._packet_failed,
                        on_cancelled=self._packet_cancelled)
        return self.task

    def _packet_done(self, path) -> None:
        self.packet_path = Path(path)
        self.packet_button.setEnabled(True)
        self.packet_status.setText(f"抽查材料已保存：{path}")

    def _packet_failed(self, exc) -> None:
        self.packet_button.setEnabled(True)
        self.packet_status.setText("未能生成抽查材料。")
        self._error(exc)

    def _packet_cancelled(self) -> None:
        self.packet_button.setEnabled(True)
        self.packet_status.setText("已取消，未生成任何文件。")

    # -- past spot-checks ------------------------------------------------------------
    def load_history(self) -> None:
        records = self.context.archive.spotchecks.history()
        rows = [[r.on.isoformat(), r.inspector, f"{r.share * 100:.0f}%",
                 "是" if r.per_village else "否", r.seed, f"{len(r.sample)}份",
                 f"{r.with_problems}份", r.notes] for r in records]
        fill_table(self.history_table, rows, [r.id for r in records])
        self.history_detail.setRowCount(0)

    def _history_selected(self) -> None:
        row = self.history_table.currentRow()
        if row < 0:
            return
        check_id = self.history_table.item(row, 0).data(Qt.UserRole)
        record = self.context.archive.spotchecks.get(check_id)
        if record is None:
            return
        sample, findings = record.sample, record.findings
        names = self.context.archive.children.names_and_villages(sample)
        from forms.idnumber import mask_id_number

        rows = [[n, names.get(number, ("", ""))[1], names.get(number, ("（已不在档案库）", ""))[0],
                 mask_id_number(number),
                 "\n".join(f.get("message", "") for f in findings.get(number, [])) or "—"]
                for n, number in enumerate(sample, start=1)]
        fill_table(self.history_detail, rows)

