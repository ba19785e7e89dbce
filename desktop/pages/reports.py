"""报表: Annex 1, Annex 2, the red/yellow/blue lists, the school-term list for 教育 and the 活动名单
(no labels) for any date — preview the numbers on screen, then export to Excel, Word or PDF, or
print. Building and exporting run off the GUI thread (every child is evaluated with the rules on
the chosen day).

A county login working in the whole county chooses the 范围: the county in one table (Annex 1 a
column per township, the lists every township in turn), the county as a table per township
with a 汇总 (a sheet each in Excel, a part each in Word and PDF), or one township. Exporting a
county-wide list for 团委/妇联/残联 or 教育 notes it in the county's log of lists sent (unless
unticked)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from forms import county_tables as ct
from forms.county_tables import TableBook
from forms.spec import FilledForm, format_value
from models.reports import BY_TOWNSHIP, SHEETS, ReportRequest

REPORTS = (("stats", "附件1 摸排情况数据表"), ("screening", "附件2 排查表"),
           ("lists", "红色、黄色、蓝色风险等级儿童名单"),
           ("school", "适龄孤儿、事实无人抚养儿童名单（寒、暑假开学前报教育部门）"),
           ("activity", "活动名单（不含类别标签）"))
COUNTY_SCOPES = (("全县（一张表，按乡镇列出）", BY_TOWNSHIP), ("全县（每个乡镇一张表，另加汇总）", SHEETS))
SENT_RECIPIENTS = {"lists": None, "school": "教育局"}  # None: the 报送单位 chosen
REPORTS_BY_KEY = dict(REPORTS)
ACTIVITY = "activity"
NO_LIMIT = -1  # the age boxes' "不限"
FORMATS = (("xlsx", "Excel", "Excel 工作簿 (*.xlsx)"), ("docx", "Word", "Word 文档 (*.docx)"),
           ("pdf", "PDF", "PDF 文件 (*.pdf)"))
ROW_TINTS = {"red": "#fde2e2", "yellow": "#fff4c2", "blue": "#dde9fb", "green": "#e1f3e3"}


def build_report(archive, request: ReportRequest, progress=None, is_cancelled=None):
    """The filled county table, or a ``TableBook`` (runs in the worker thread)."""
    if request.township or request.layout:
        return archive.reports.county_table(request)
    if progress:
        progress(0, 2)
    pairs = archive.reports.pairs(request.on)
    if is_cancelled and is_cancelled():
        from desktop.worker import Cancelled

        raise Cancelled()
    if progress:
        progress(1, 2)
    form = archive.reports.form(request, pairs)
    if progress:
        progress(2, 2)
    return form


_ROOT = QModelIndex()


class RowsModel(QAbstractTableModel):
    """The rows of one county table as printed (text, tint of the risk colour, bold totals)."""

    def __init__(self, columns, rows: list[dict], tinted: str, parent=None):
        super().__init__(parent)
        self.columns, self.rows, self.tinted = columns, rows, tinted  # tinted "" = whole row
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.columns[section].label
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.DisplayRole:
            return format_value(column, row.get(column.key))
        if role == Qt.TextAlignmentRole and column.kind == "number":
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.BackgroundRole:
            tint = ROW_TINTS.get(row.get(ct.ROW_COLOUR))
            if tint and (not self.tinted or column.key == self.tinted):
                return QBrush(QColor(tint))
        if role == Qt.FontRole and row.get(ct.ROW_STYLE) in ct.EMPHASISED:
            return self._bold
        return None

    def text(self, row: int, column: int) -> str:
        return self.data(self.index(row, column))


def build_and_render(archive, request: ReportRequest, path: Path, fmt: str, progress=None,
                     is_cancelled=None) -> tuple[FilledForm, Path]:
    """The report the selector shows now, built and saved in one go (the worker thread)."""
    from exports.tables import render_table

    form = build_report(archive, request, None, is_cancelled)
    return form, render_table(form, path, fmt, progress, is_cancelled)


def _age(box: QSpinBox) -> int | None:
    return None if box.value() == NO_LIMIT else box.value()


def file_name(form: FilledForm, on: date) -> str:
    return f"{form.title}（{on.isoformat()}）"


class Page(QWidget):
    title = "报表"

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.form: FilledForm | None = None
        self.request: ReportRequest | None = None
        self.task = None
        self._after_preview = None  # 打印 after the selection changed: print once built
        self._build()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        box = QGroupBox("报表设置")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldsStayAtSizeHint)
        self.kind = QComboBox()
        for key, label in REPORTS:
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.kind.currentIndexChanged.connect(self._selection_changed)
        self.on = QDateEdit()
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy年M月d日")
        self.unit, self.filler, self.phone = QLineEdit(), QLineEdit(), QLineEdit()
        self.unit.setPlaceholderText("默认为本乡镇（街道）名称")
        self.recipient = QComboBox()
        self.recipient.addItems(ct.RECIPIENTS)
        self.mask_ids = QCheckBox("身份证号隐去中间位")
        self.term = QLineEdit()
        self.term.setPlaceholderText("默认下一学期，如 2027春")
        self.term.setMinimumWidth(self.term.fontMetrics().horizontalAdvance("默认下一学期，如 2027春") + 24)
        self.scope = QComboBox()
        self.scope.setObjectName("report_scope")
        self.record_sent = QCheckBox("导出时记入报送记录")
        self.record_sent.setChecked(True)
        self.record_sent.setToolTip("县级导出全县名单时，记为今天向报送单位报送（县级提醒据此计算）")
        form.addRow("报表", self.kind)
        self.scope_label = QLabel("范围")
        form.addRow(self.scope_label, self.scope)
        self.on_label = QLabel("统计日期")
        form.addRow(self.on_label, self.on)
        header = QHBoxLayout()
        self.header_labels = {}
        for label, widget in (("填报单位", self.unit), ("填报人", self.filler), ("联系电话", self.phone)):
            self.header_labels[label] = QLabel(label)
            header.addWidget(self.header_labels[label])
            header.addWidget(widget, 1)
        form.addRow(header)
        form.addRow(self._activity_row())
        extra = QHBoxLayout()
        self.recipient_label = QLabel("报送单位")
        extra.addWidget(self.recipient_label)
        extra.addWidget(self.recipient)
        self.term_label = QLabel("学期")
        extra.addWidget(self.term_label)
        extra.addWidget(self.term)
        extra.addWidget(self.mask_ids)
        extra.addWidget(self.record_sent)
        extra.addStretch(1)
        form.addRow(extra)
        layout.addWidget(box)
        self.on.dateChanged.connect(self._selection_changed)
        self.scope.currentIndexChanged.connect(self._kind_changed)
        self.scope.currentIndexChanged.connect(self._selection_changed)
        for edit in (self.unit, self.filler, self.phone, self.activity_name, self.village,
                     self.term):
            edit.textChanged.connect(self._selection_changed)
        for spin in (self.min_age, self.max_age):
            spin.valueChanged.connect(self._selection_changed)
        self.recipient.currentIndexChanged.connect(self._selection_changed)
        self.mask_ids.toggled.connect(self._selection_changed)

        actions = QHBoxLayout()
        self.preview_button = QPushButton("生成预览")
        self.preview_button.clicked.connect(self.make_preview)
        actions.addWidget(self.preview_button)
        self.export_buttons = {}
        for fmt, label, _filter in FORMATS:
            button = QPushButton(f"导出{label}")
            button.clicked.connect(lambda _c=False, f=fmt: self.export(f))
            actions.addWidget(button)
            self.export_buttons[fmt] = button
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_current)
        actions.addWidget(self.print_button)
        actions.addStretch(1)
        self.status = QLabel()
        actions.addWidget(self.status)
        layout.addLayout(actions)

        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.title_label.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.title_label)
        self.header_label = QLabel()
        layout.addWidget(self.header_label)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self._kind_changed()
        self._set_exportable(False)

    def _activity_row(self) -> QWidget:
        """活动名称, 村（社区） and an age range: shown only for the 活动名单."""
        self.activity_box = QWidget()
        row = QHBoxLayout(self.activity_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.activity_name, self.village = QLineEdit(), QLineEdit()
        self.activity_name.setPlaceholderText("如：暑期阅读班")
        self.village.setPlaceholderText("不填为全部村（社区）")
        self.min_age, self.max_age = QSpinBox(), QSpinBox()
        for box in (self.min_age, self.max_age):
            box.setRange(NO_LIMIT, 18)
            box.setValue(NO_LIMIT)
            box.setSpecialValueText("不限")
            box.setSuffix(" 周岁")
        for label, widget in (("活动名称", self.activity_name), ("村（社区）", self.village),
                              ("年龄从", self.min_age), ("到", self.max_age)):
            row.addWidget(QLabel(label))
            row.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        return self.activity_box

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        activity = kind == ACTIVITY
        self.activity_box.setVisible(activity)
        self.on_label.setText("活动日期" if activity else "统计日期")
        self.header_labels["填报单位"].setText("组织单位" if activity else "填报单位")
        self.header_labels["填报人"].setText("联系人" if activity else "填报人")
        self.recipient.setVisible(kind == "lists")
        self.recipient_label.setVisible(kind == "lists")
        self.mask_ids.setVisible(kind in ("screening", "school"))
        self.term.setVisible(kind == "school")
        self.term_label.setVisible(kind == "school")
        county = self.scope.count() > 0
        self.scope.setVisible(county)
        self.scope_label.setVisible(county)
        self.record_sent.setVisible(kind in SENT_RECIPIENTS and self._county_wide())

    def _selection_changed(self, *_args) -> None:
        if self.form is not None and self.is_stale():
            self.status.setText("选择已更改：导出和打印将按当前选择重新生成。")

    def is_stale(self) -> bool:
        """The preview on screen is not what the selector shows now."""
        return self.form is None or self.request != self.current_request()

    def _set_exportable(self, enabled: bool) -> None:
        for button in (*self.export_buttons.values(), self.print_button):
            button.setEnabled(enabled)

    def _county_wide(self) -> bool:
        return self.scope.currentData() in (BY_TOWNSHIP, SHEETS)

    def _fill_scopes(self) -> None:
        """范围 for a county login working in the whole county: the county two ways, then each
        township; nothing otherwise (a township's own archive, or a township the county chose)."""
        archive = self.context.archive
        county = bool(getattr(archive, "county_role", "")) and archive.township_id is None
        key = (id(archive), county)
        if getattr(self, "_scopes_for", None) == key:
            return
        self._scopes_for = key
        self.scope.blockSignals(True)
        self.scope.clear()
        if county:
            for label, layout in COUNTY_SCOPES:
                self.scope.addItem(label, layout)
            for name in archive.township_names():
                self.scope.addItem(name, "township:" + name)
        self.scope.blockSignals(False)
        self.unit.setPlaceholderText("默认为县民政局（每个乡镇的表为乡镇名称）" if county
                                     else "默认为本乡镇（街道）名称")
        self._kind_changed()

    # -- page protocol ---------------------------------------------------------------
    def refresh(self) -> None:
        self._fill_scopes()
        if self.form is None:
            on = self.context.on
            self.on.setDate(QDate(on.year, on.month, on.day))

    def mark_stale(self) -> None:
        if self.form is not None:
            self.status.setText("档案已有修改，请重新生成预览。")

    def current_request(self) -> ReportRequest:
        d = self.on.date()
        scope = self.scope.currentData() or ""
        township = scope.removeprefix("township:") if scope.startswith("township:") else ""
        layout = "" if township else scope
        return ReportRequest(self.kind.currentData(), date(d.year(), d.month(), d.day()),
                             self.unit.text().strip(), self.filler.text().strip(),
                             self.phone.text().strip(), self.recipient.currentText(),
                             self.mask_ids.isChecked(), self.activity_name.text().strip(),
                             self.village.text().strip(), _age(self.min_age), _age(self.max_age),
                             term=self.term.text().strip(), township=township, layout=layout)

    # -- preview ---------------------------------------------------------------------
    def make_preview(self) -> None:
        request = self.current_request()
        self._set_exportable(False)
        self.status.setText("正在生成……")
        run = self.context.run_in_background
        if run is None:
            try:
                self.show_form(request, build_report(self.context.archive, request))
            except Exception as exc:  # noqa: BLE001
                self._error(exc)
            return
        self.task = run(build_report, self.context.archive, request, title="报表",
                        label=f"正在按{request.on.isoformat()}统计……",
                        on_done=lambda form: self.show_form(request, form), on_error=self._error,
                        on_cancelled=lambda: self.status.setText("已取消。"))

    def _error(self, exc: BaseException) -> None:
        from desktop.worker import user_message

        self._after_preview = None
        self.status.setText("")
        QMessageBox.warning(self, self.title, user_message(exc))

    def show_form(self, request: ReportRequest, form) -> None:
        """A filled table: a tab per table; a ``TableBook``: the 汇总, then each township's."""
        self.request, self.form = request, form
        self.title_label.setText(form.title + ("（演示数据）" if form.demo else ""))
        first = form.summary if isinstance(form, TableBook) else form
        header = next(s for s in first.spec.sections if s.key == ct.HEADER_KEY)
        self.header_label.setText("　　".join(f"{f.label}：{first.text_of(f)}" for f in header.fields))
        self.tabs.clear()
        parts = form.forms() if isinstance(form, TableBook) else [("", form)]
        for name, part in parts:
            tables = [s for s in part.spec.sections if s.kind == "table"]
            for section in tables:
                rows = part.rows_of(section)
                label = name if name and len(tables) == 1 else " ".join(
                    t for t in (name, section.title) if t)
                self.tabs.addTab(self._table(section, rows, part),
                                 f"{label}（{self._count(section, rows)}）")
        self.status.setText(f"已生成：{request.on.isoformat()}")
        self._set_exportable(True)
        then, self._after_preview = self._after_preview, None
        if then is not None and not self.is_stale():
            then()

    @staticmethod
    def _count(section, rows) -> str:
        if section.key in (ct.ANNEX1_TABLE, ct.SUMMARY_TABLE):
            total = next((r[ct.TOTAL_COLUMN] for r in rows if r.get(ct.ROW_STYLE) == ct.TOTAL), 0)
            return f"合计{total}人"
        return f"{len(rows)}人"

    def _table(self, section, rows: list[dict], form: FilledForm) -> QTableView:
        """A view over the rows: cells are made only when shown, so 20,000 rows stay quick."""
        columns = section.columns
        model = RowsModel(columns, rows, ct.layout_of(form.spec).colour_column, self)
        table = QTableView()
        table.setObjectName(f"report_table_{section.key}")
        table.setModel(model)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(True)
        self._merge(table, columns, rows, form)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        table.resizeColumnsToContents()  # measures the rows on screen, not all of them
        for c in range(len(columns)):
            table.setColumnWidth(c, min(table.columnWidth(c), 420))
        header.setStretchLastSection(True)
        if len(rows) <= 500:
            table.resizeRowsToContents()
        return table

    def _merge(self, table: QTableView, columns, rows: list[dict], form: FilledForm) -> None:
        """Runs of equal values in the columns the paper merges (Annex 1's 风险等级类型)."""
        for key in ct.layout_of(form.spec).merge_columns:
            c = next((i for i, col in enumerate(columns) if col.key == key), None)
            if c is None:
                continue
            start = 0
            for r in range(1, len(rows) + 1):
                if r == len(rows) or rows[r].get(key) != rows[start].get(key):
                    if r - start > 1:
                        table.setSpan(start, c, r - start, 1)
                    start = r

    # -- export and print ------------------------------------------------------------
    def _choose_path(self, fmt: str, name: str | None = None) -> str:
        label_filter = next(f for key, _l, f in FORMATS if key == fmt)
        name = name or file_name(self.form, self.request.on)
        suggested = str(Path.home() / f"{name}.{fmt}")
        path, _ = QFileDialog.getSaveFileName(self, "导出报表", suggested, label_filter)
        if path and not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        return path

    def export(self, fmt: str, path: str | None = None):
        if self.form is None:
            QMessageBox.information(self, self.title, "请先生成预览。")
            return None
        request = self.current_request()
        stale = self.is_stale()
        if stale:  # the selector changed since the preview: export what is selected now
            suggested = REPORTS_BY_KEY[request.kind]
            path = path or self._choose_path(fmt, f"{suggested}（{request.on.isoformat()}）")
        else:
            path = path or self._choose_path(fmt)
        if not path:
            return None
        from exports.tables import render_table

        run = self.context.run_in_background
        if run is None:
            from desktop.worker import run_in_background

            run = run_in_background
        label = f"正在保存“{Path(path).name}”……"
        cancelled = lambda: self.status.setText("导出已取消，未生成文件。")  # noqa: E731
        if stale:
            def done(result):
                form, saved = result
                self.show_form(request, form)
                self.status.setText(f"已保存：{saved}{self._note_sent(request, form, saved)}")

            self.task = run(build_and_render, self.context.archive, request, Path(path), fmt,
                            title="导出报表",
                            label=label, on_done=done, on_error=self._error,
                            on_cancelled=cancelled)
            return self.task
        form = self.form
        self.task = run(render_table, form, Path(path), fmt, title="导出报表", label=label,
                        on_done=lambda p: self.status.setText(
                            f"已保存：{p}{self._note_sent(request, form, p)}"),
                        on_error=self._error, on_cancelled=cancelled)
        return self.task

    def _note_sent(self, request: ReportRequest, form, saved) -> str:
        """Note a county-wide list for another department in the county's log of lists sent;
        what to add to the status line."""
        if request.kind not in SENT_RECIPIENTS or request.layout not in (BY_TOWNSHIP, SHEETS) \
                or not self.record_sent.isChecked():
            return ""
        from models.server.county_settings import SettingsError

        recipient = SENT_RECIPIENTS[request.kind] or request.recipient
        keys = ct.LIST_COLOURS if request.kind == "lists" else ("children",)
        if isinstance(form, TableBook):
            children = sum(len(form.rows_of_key(k)) for k in keys)
        else:
            children = sum(len(form.rows.get(k, [])) for k in keys)
        try:
            archive = self.context.archive
            term = (archive.reports.with_county_terms(request).school_term().code
                    if request.kind == "school" else "")
            self.context.archive.county_settings.record_sent(
                request.kind, recipient, date.today(), children=children,
                file_name=Path(saved).name, how="导出时记录", term=term)
        except (SettingsError, ValueError) as exc:
            return f"（未记入报送记录：{exc}）"
        return f"；已记入报送记录（今天向{recipient}报送）"

    def print_current(self) -> None:
        if self.form is None:
            QMessageBox.information(self, self.title, "请先生成预览。")
            return
        if self.is_stale():  # print what is selected: preview it first, then print that
            self._after_preview = self.print_current
            self.make_preview()
            return
        from desktop.print_preview import PrintJob, preview
        from exports.tables import render_table

        form = self.form

        def pdf(path, progress=None, is_cancelled=None):
            return render_table(form, path, "pdf", progress, is_cancelled)

        def docx(path, progress=None, is_cancelled=None):
            return render_table(form, path, "docx", progress, is_cancelled)

        self.preview_request = preview(self, PrintJob(form.title, file_name(form, self.request.on),
                                                      pdf, docx), self.context)
