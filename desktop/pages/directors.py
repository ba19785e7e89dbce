"""儿童主任: the ledger, training records with the "every 儿童主任 trained this year" check, and
the township's screening rounds and family-education guidance sessions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext, ChildFilter
from desktop.permissions import EDIT_DIRECTORS, can, role_of
from desktop.record_table import fill_table, record_table

TRAINING_TOPICS = ("儿童主任业务培训", "未成年人保护法解读", "心理健康辅导技能", "强制报告制度",
                   "单亲家庭儿童关爱保护")
GUIDANCE_AUDIENCE = "父母、监护人、受委托照护人"


def _qdate(day: date | None) -> QDate:
    day = day or date.today()
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _date_edit(day: date | None = None) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _text(day) -> str:
    return day.isoformat() if day else ""


class FormDialog(QDialog):
    """A small form with 确定/取消; ``form`` is the QFormLayout to add rows to."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class DirectorDialog(FormDialog):
    def __init__(self, parent=None, director=None, villages: list[tuple[int, str]] = (),
                 chosen: set[int] = frozenset()):
        """``director``: the row edited (None: a new one); ``villages``: (id, name) to choose
        from; ``chosen``: the ids of those it serves."""
        super().__init__("修改儿童主任" if director else "新增儿童主任", parent)
        self.name = QLineEdit(director.name if director else "")
        self.phone = QLineEdit(director.phone if director else "")
        self.started = _date_edit(director.started_on if director else None)
        self.villages = QListWidget()
        for village_id, name in villages:
            item = QListWidgetItem(name)
            item.setData(Qt.UserRole, village_id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if village_id in chosen else Qt.Unchecked)
            self.villages.addItem(item)
        self.form.addRow("姓名", self.name)
        self.form.addRow("联系电话", self.phone)
        self.form.addRow("任职日期", self.started)
        self.form.addRow("服务村（社区）", self.villages)

    def village_ids(self) -> list[int]:
        return [self.villages.item(i).data(Qt.UserRole) for i in range(self.villages.count())
                if self.villages.item(i).checkState() == Qt.Checked]

    def check_village(self, name: str) -> None:
        for i in range(self.villages.count()):
            if self.villages.item(i).text() == name:
                self.villages.item(i).setCheckState(Qt.Checked)


class TrainingDialog(FormDialog):
    def __init__(self, parent=None, director_id: int | None = None,
                 serving: list[tuple[int, str]] = ()):
        super().__init__("登记培训", parent)
        self.director = QComboBox()
        for serving_id, name in serving:  # (id, name) of the 儿童主任 in service
            self.director.addItem(name, serving_id)
        if director_id is not None:
            self.director.setCurrentIndex(max(0, self.director.findData(director_id)))
        self.on = _date_edit()
        self.topic = QComboBox()
        self.topic.setEditable(True)
        self.topic.addItems(TRAINING_TOPICS)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.5, 200)
        self.hours.setDecimals(1)
        self.hours.setValue(4)
        self.organiser = QLineEdit("县民政局")
        self.form.addRow("儿童主任", self.director)
        self.form.addRow("培训日期", self.on)
        self.form.addRow("培训内容", self.topic)
        self.form.addRow("学时", self.hours)
        self.form.addRow("组织单位", self.organiser)


class ScreeningDialog(FormDialog):
    def __init__(self, parent=None):
        super().__init__("登记全面摸底排查", parent)
        self.started = _date_edit()
        self.finished = _date_edit()
        self.scope = QLineEdit("全乡镇")
        self.screened = QSpinBox()
        self.screened.setRange(0, 1_000_000)
        self.notes = QLineEdit()
        for label, widget in (("开始日期", self.started), ("结束日期", self.finished),
                              ("排查范围", self.scope), ("排查儿童人数", self.screened),
                              ("备注", self.notes)):
            self.form.addRow(label, widget)


class GuidanceDialog(FormDialog):
    def __init__(self, parent=None):
        super().__init__("登记家庭教育指导", parent)
        self.on = _date_edit()
        self.topic = QLineEdit("家庭教育指导讲座")
        self.audience = QLineEdit(GUIDANCE_AUDIENCE)
        self.attendees = QSpinBox()
        self.attendees.setRange(0, 100_000)
        self.notes = QLineEdit()
        for label, widget in (("日期", self.on), ("主题", self.topic), ("对象", self.audience),
                              ("参加人数", self.attendees), ("备注", self.notes)):
            self.form.addRow(label, widget)


class Page(QWidget):
    title = "儿童主任"

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self._build()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        self.check_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.check_label)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._ledger_tab(), "儿童主任台账")
        self.tabs.addTab(self._training_tab(), "培训记录")
        self.tabs.addTab(self._township_tab(), "摸底排查与家庭教育指导")
        layout.addWidget(self.tabs, 1)

    def _buttons(self, *pairs) -> QHBoxLayout:
        """A row of buttons; those that write are left out for a role that may not."""
        may_edit = can(role_of(self.context), EDIT_DIRECTORS)
        row = QHBoxLayout()
        for text, slot in pairs:
            if not may_edit and slot != self.show_director_children:
                continue
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _ledger_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(self._buttons(("新增儿童主任", self.add_director), ("修改", self.edit_director),
                                       ("登记离任", self.end_service), ("登记培训", self.add_training),
                                       ("查看负责的儿童", self.show_director_children)))
        self.director_table = record_table(["姓名", "服务村（社区）", "联系电话", "任职日期", "离任日期",
                                      "负责儿童", "本年度培训"])
        if can(role_of(self.context), EDIT_DIRECTORS):
            self.director_table.doubleClicked.connect(lambda _i: self.edit_director())
        layout.addWidget(self.director_table)
        return tab

    def _training_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(self._buttons(("登记培训", self.add_training)))
        self.training_table = record_table(["培训日期", "儿童主任", "培训内容", "学时", "组织单位"])
        layout.addWidget(self.training_table)
        return tab

    def _township_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.screening_label = QLabel()
        layout.addWidget(self.screening_label)
        layout.addLayout(self._buttons(("登记摸底排查", self.add_screening_round)))
        self.screening_table = record_table(["开始日期", "结束日期", "排查范围", "排查儿童人数", "备注"])
        layout.addWidget(self.screening_table)
        self.guidance_label = QLabel()
        layout.addWidget(self.guidance_label)
        layout.addLayout(self._buttons(("登记家庭教育指导", self.add_guidance_session)))
        self.guidance_table = record_table(["日期", "主题", "对象", "参加人数", "备注"])
        layout.addWidget(self.guidance_table)
        return tab

    # -- showing ---------------------------------------------------------------------
    def year(self) -> int:
        return self.context.on.year

    def refresh(self) -> None:
        year = self.year()
        directors = self.context.archive.directors
        rows = directors.rows(year)
        fill_table(self.director_table, [
            [r.name, "、".join(r.villages), r.phone, _text(r.started_on), _text(r.ended_on),
             r.children, f"{r.trainings_this_year}次，{r.hours_this_year}学时" if r.trained_this_year
             else "未培训"] for r in rows], [r.id for r in rows])
        for row, r in enumerate(rows):
            if r.active and not r.trained_this_year:
                self.director_table.item(row, 6).setForeground(Qt.red)
        check = directors.training_check(year)
        colour = "#2e7d32" if check.all_trained and check.active else "#c62828"
        self.check_label.setText(f"<b style='color:{colour}'>培训检查：</b>{check.message()}")
        trainings = directors.trainings(year=None)
        fill_table(self.training_table, [[_text(t.on), t.director.name, t.topic, t.hours, t.organiser]
                                    for t in trainings])
        rounds = directors.screening_rounds(year)
        fill_table(self.screening_table, [[_text(s.started_on), _text(s.finished_on), s.scope,
                                      s.children_screened, s.notes] for s in rounds])
        profile = self.context.archive.settings.profile()
        self.screening_label.setText(self._progress_text(
            "全面摸底排查", len(rounds), *profile.screenings_required(), year))
        sessions = directors.guidance_sessions(year)
        fill_table(self.guidance_table, [[_text(g.on), g.topic, g.audience, g.attendees, g.notes]
                                    for g in sessions])
        self.guidance_label.setText(self._progress_text(
            "家庭教育指导", len(sessions), *profile.guidance_required(), year))

    @staticmethod
    def _progress_text(what: str, done: int, required: int, source, year: int) -> str:
        if not required:
            return f"<b>{year}年{what}</b>：已开展{done}次（本方案未规定次数，不检查）。"
        state = "已达到要求" if done >= required else f"还差{required - done}次"
        basis = source.text if source.file else "本地做法"
        return f"<b>{year}年{what}</b>：已开展{done}次（每年至少{required}次，{basis}），{state}。"

    def selected_director(self):
        """The row of the 儿童主任 chosen in the ledger (None and a message when none is)."""
        row = self.director_table.currentRow()
        if row < 0:
            QMessageBox.information(self, self.title, "请先在台账中选择一名儿童主任。")
            return None
        director_id = self.director_table.item(row, 0).data(Qt.UserRole)
        return self.context.archive.directors.get(director_id)

    # -- writing ---------------------------------------------------------------------
    def _run_dialog(self, dialog: QDialog) -> bool:
        """Shown modally; tests replace this to fill the dialog and accept it."""
        return dialog.exec() == QDialog.Accepted

    def _write(self, action) -> bool:
        """Run a write on ``archive.directors``; data-layer refusals become a message, never a traceback."""
        from models.roles import PermissionDenied

        try:
            action(self.context.archive.directors)
        except (ValueError, PermissionDenied) as exc:
            QMessageBox.warning(self, self.title, str(exc))
            return False
        self.context.archive_changed()
        self.refresh()
        return True

    def add_director(self) -> None:
        dialog = DirectorDialog(self, villages=self.context.archive.children.villages())
        if self._run_dialog(dialog):
            self._write(lambda d: d.add(
                dialog.name.text(), dialog.phone.text(), _pydate(dialog.started.date()),
                dialog.village_ids()))

    def edit_director(self) -> None:
        director = self.selected_director()
        if director is None:
            return
        dialog = DirectorDialog(self, director, self.context.archive.children.villages(),
                                self.context.archive.directors.village_ids(director.id))
        if self._run_dialog(dialog):
            self._write(lambda d: d.update(
                director, name=dialog.name.text(), phone=dialog.phone.text(),
                started_on=_pydate(dialog.started.date()), village_ids=dialog.village_ids()))

    def end_service(self) -> None:
        director = self.selected_director()
        if director is None:
            return
        dialog = FormDialog(f"登记离任：{director.name}", self)
        ended = _date_edit()
        dialog.form.addRow("离任日期", ended)
        if self._run_dialog(dialog):
            self._write(lambda d: d.end_service(director, _pydate(ended.date())))

    def add_training(self) -> None:
        row = self.director_table.currentRow()
        director_id = self.director_table.item(row, 0).data(Qt.UserRole) if row >= 0 else None
        dialog = TrainingDialog(self, director_id, self.context.archive.directors.serving())
        if dialog.director.count() == 0:
            QMessageBox.information(self, self.title, "请先新增儿童主任。")
            return
        if self._run_dialog(dialog):
            self._write(lambda d: d.add_training(
                dialog.director.currentData(), _pydate(dialog.on.date()),
                dialog.topic.currentText(), dialog.hours.value(), dialog.organiser.text()))

    def add_screening_round(self) -> None:
        dialog = ScreeningDialog(self)
        if self._run_dialog(dialog):
            self._write(lambda d: d.add_screening_round(
                _pydate(dialog.started.date()), _pydate(dialog.finished.date()),
                dialog.scope.text(), dialog.screened.value(), dialog.notes.text()))

    def add_guidance_session(self) -> None:
        dialog = GuidanceDialog(self)
        if self._run_dialog(dialog):
            self._write(lambda d: d.add_guidance_session(
                _pydate(dialog.on.date()), dialog.topic.text(), dialog.audience.text(),
                dialog.attendees.value(), dialog.notes.text()))

    def show_director_children(self) -> None:
        director = self.selected_director()
        if director is None:
            return
        ids = self.context.archive.children.of_director(director.id)
        self.context.show_children(ChildFilter(child_ids=ids, label=f"儿童主任{director.name}负责的儿童"))
