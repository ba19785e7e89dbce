"""A Qt editor built from a ``forms.spec.FormSpec``: one widget per field, by the field's kind.

Validation is ``forms.spec`` validation, shown in Chinese under the field: at once when a
field is left, and for every field before saving. Callers may add their own checks per field
(``extra_check``), e.g. "this ID number is already in the archive".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forms.field_text import display_text, to_python
from forms.idnumber import normalise_id_number
from forms.spec import (
    NO,
    ROW_UNITS,
    YES,
    Field,
    FormSpec,
    as_words,
    check_field,
    is_empty,
)

LAYOUT_MODES = ("paper", "two", "one")
_MIN_WIDTHS: dict[tuple[str, str], dict[str, int]] = {}  # (form, font) -> mode -> width
_LAST_MODE: dict[str, str] = {}  # form -> the layout last chosen
LONG_LABEL = 12  # characters: a longer label takes two lines  # fields a row: as on paper, two, one
ERROR_STYLE = "color: #c5221f;"
WARNING_STYLE = "color: #b06000;"
PLACEHOLDERS = {
    "date": "如 2025-03-01",
    "id_number": "18位身份证号",
    "phone": "手机或固定电话",
    "number": "数字",
}


class _MultiChoice(QWidget):
    changed = Signal()

    def __init__(self, choices: tuple[str, ...], columns: int = 4):
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        self.paper_columns = columns
        for word in choices:
            box = QCheckBox(word)
            box.toggled.connect(self.changed)
            self.boxes[word] = box
        self.columns = 0
        self.set_columns(columns)

    def set_columns(self, columns: int) -> None:
        """Reflow the boxes into ``columns`` columns (fewer on a narrow editor)."""
        columns = max(1, min(columns, len(self.boxes) or 1))
        if columns == self.columns:
            return
        self.columns = columns
        for box in self.boxes.values():
            self.grid.removeWidget(box)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        for i, box in enumerate(self.boxes.values()):
            self.grid.addWidget(box, i // columns, i % columns)
        self.grid.invalidate()

    def words(self) -> list[str]:
        return [w for w, box in self.boxes.items() if box.isChecked()]

    def set_words(self, words) -> None:
        chosen = set(as_words(words))
        for word, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(word in chosen)
            box.blockSignals(False)


class FormEditor(QWidget):
    changed = Signal()  # any edit by the user
    field_changed = Signal(str)  # the key of the edited field
    field_left = Signal(str)  # a field lost focus (validated)

    def __init__(self, spec: FormSpec, values: dict | None = None, *,
                 read_only: tuple[str, ...] = (),
                 completions: dict[str, list[str]] | None = None,
                 extra_check: Callable[[str, object], str | None] | None = None,
                 parent=None):
        super().__init__(parent)
        self.spec = spec
        self._fields = {f.key: f for f in spec.fields()}
        self.today: date | None = None  # "today" for dates that may not be in the future
        self.extra_check = extra_check
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self._loading = False
        self.dirty = False
        self._build(read_only, completions or {})
        if values:
            self.set_values(values)

    # -- building --------------------------------------------------------------------
    def _build(self, read_only, completions) -> None:
        layout = QVBoxLayout(self)
        self._sections: list[tuple[QGridLayout, list[Field]]] = []
        for section in self.spec.sections:
            if not section.fields:
                continue
            box = QGroupBox(section.title)
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(10)
            for f in section.fields:
                self._add_field(f, f.key in read_only, completions.get(f.key))
            self._sections.append((grid, list(section.fields)))
            layout.addWidget(box)
        layout.addStretch(1)
        self._mode = None
        self._min_widths: dict[str, int] = {}
        self._apply_minimum_widths()
        self._place(_LAST_MODE.get(self.spec.key, LAYOUT_MODES[0]))

    def _add_field(self, f: Field, read_only, completion) -> None:
        label = QLabel(f"{_two_lines(f.label)}{'＊' if f.required else ''}")
        label.setToolTip(f.help or ("必填" if f.required else ""))
        widget = self._widget_for(f, completion)
        widget.setObjectName(f"field_{f.key}")
        widget.setEnabled(not read_only)
        label.setBuddy(widget)
        error = QLabel("")
        error.setObjectName(f"error_{f.key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        self.widgets[f.key], self.labels[f.key], self.errors[f.key] = widget, label, error

    # -- as many columns as fit ------------------------------------------------------
    # The paper's layout (rows of ROW_UNITS units) when the editor is wide enough; else two
    # fields a row, else one: a date or a phone number is never squeezed below its text.
    def _apply_minimum_widths(self) -> None:
        metrics = self.fontMetrics()
        samples = {"date": "2026-10-31", "phone": "0355-12345678", "id_number": "14042820160517001X",
                   "number": "000000", "text": "某某某某某某", "choice": "外出务工务工"}
        for key, widget in self.widgets.items():
            f = self.spec.field(key)
            sample = samples.get(f.kind)
            if sample and isinstance(widget, (QLineEdit, QComboBox)):
                extra = 40 if isinstance(widget, QComboBox) else 18
                widget.setMinimumWidth(metrics.horizontalAdvance(sample) + extra)
        # Shared by every editor of this form in this font: the next child's file measures
        # nothing and opens in the layout the last one chose.
        self._min_widths = _MIN_WIDTHS.setdefault((self.spec.key, self.font().key()), {})

    @staticmethod
    def _span(f: Field, mode: str) -> int:
        if mode == "paper":
            return f.span
        if mode == "two":
            return ROW_UNITS // 2 if f.span <= ROW_UNITS // 2 else ROW_UNITS
        return ROW_UNITS

    def _place(self, mode: str) -> None:
        """Put every field into the grids for ``mode`` (paper / two / one)."""
        if mode == self._mode:
            return
        self._mode = mode
        for grid, fields in self._sections:
            for f in fields:
                for w in (self.labels[f.key], self.widgets[f.key], self.errors[f.key]):
                    grid.removeWidget(w)
            for column in range(ROW_UNITS * 2):
                grid.setColumnStretch(column, 0)
            row, used = 0, 0
            for f in fields:
                span = self._span(f, mode)
                widget = self.widgets[f.key]
                if isinstance(widget, _MultiChoice):
                    long_words = max(map(len, widget.boxes), default=0) > 8
                    two = 1 if long_words else 2
                    widget.set_columns({"paper": widget.paper_columns, "two": two}.get(mode, 1))
                if used + span > ROW_UNITS:
                    row, used = row + 2, 0
                column = used * 2
                grid.addWidget(self.labels[f.key], row, column, Qt.AlignRight | Qt.AlignTop)
                grid.addWidget(self.widgets[f.key], row, column + 1, 1, span * 2 - 1)
                grid.addWidget(self.errors[f.key], row + 1, column + 1, 1, span * 2 - 1)
                used += span
                if used >= ROW_UNITS:
                    row, used = row + 2, 0
            for column in range(ROW_UNITS * 2):
                grid.setColumnStretch(column, 1 if column % 2 else 0)
            grid.invalidate()
        self.layout().invalidate()

    def layout_mode(self) -> str:
        return self._mode

    def _needed_width(self, mode: str) -> int:
        """The editor's minimum width in ``mode`` (measured once per font; leaves the fields
        laid out in ``mode`` when it had to measure)."""
        if mode not in self._min_widths:
            self._place(mode)
            for widget in self.widgets.values():
                if isinstance(widget, _MultiChoice):
                    widget.grid.activate()
                    widget.updateGeometry()
            for grid, _fields in self._sections:
                grid.activate()
                grid.parentWidget().updateGeometry()  # the outer layout's cached size of the box
            self.layout().activate()
            self._min_widths[mode] = self.minimumSizeHint().width()
        return self._min_widths[mode]

    def _available_width(self) -> int:
        parent = self.parentWidget()
        scroll = parent.parentWidget() if parent is not None else None
        if isinstance(scroll, QScrollArea) and scroll.widget() is self:
            return parent.width()  # the scroll area's viewport
        return self.width()

    def fit_columns(self) -> str:
        """Choose the layout for the width there is; returns the mode chosen."""
        available = self._available_width()
        chosen = LAYOUT_MODES[-1]
        if self._mode in self._min_widths and self._min_widths[self._mode] <= available:
            # Still fits: keep it unless a wider layout is known to fit too.
            wider = LAYOUT_MODES[:LAYOUT_MODES.index(self._mode)]
            if not any(m in self._min_widths and self._min_widths[m] <= available for m in wider) \
                    and all(m in self._min_widths for m in wider):
                return self._mode
        for mode in LAYOUT_MODES:
            if self._needed_width(mode) <= available:
                chosen = mode
                break
        self._place(chosen)
        _LAST_MODE[self.spec.key] = chosen
        return chosen

    def _schedule_fit(self) -> None:
        """Fit once the window has settled its sizes (a file being opened passes through
        a few provisional widths first)."""
        if not getattr(self, "_fit_pending", False):
            self._fit_pending = True
            QTimer.singleShot(0, self, self._fit_now)  # not after the editor is gone

    def _fit_now(self) -> None:
        self._fit_pending = False
        if self.isVisible():
            self.fit_columns()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        parent = self.parentWidget()
        if parent is not None and not getattr(self, "_watching", False):
            parent.installEventFilter(self)  # a scroll area's viewport resizing
            self._watching = True
        self._schedule_fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.isVisible():
            self._schedule_fit()

    def changeEvent(self, event) -> None:
        from PySide6.QtCore import QEvent

        super().changeEvent(event)
        if event.type() == QEvent.FontChange and hasattr(self, "_sections"):
            self._apply_minimum_widths()
            if self.isVisible():
                self._schedule_fit()

    def _widget_for(self, f: Field, completion) -> QWidget:
        key = f.key
        if f.kind == "multiline":
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            lines = max(2, min(6, f.blank_lines))
            widget.setFixedHeight(widget.fontMetrics().lineSpacing() * lines + 14)
            widget.textChanged.connect(lambda: self._edited(key))
            widget.installEventFilter(self)
            return widget
        if f.kind in ("choice", "bool"):
            widget = QComboBox()
            widget.addItem("")
            widget.addItems(list(f.choices) if f.kind == "choice" else [YES, NO])
            widget.currentIndexChanged.connect(lambda _i: (self._edited(key), self._left(key)))
            return widget
        if f.kind == "multichoice":
            widget = _MultiChoice(f.choices, columns=6 if len(f.choices) > 8 else 4)
            widget.changed.connect(lambda: (self._edited(key), self._left(key)))
            return widget
        widget = QLineEdit()
        widget.setPlaceholderText(PLACEHOLDERS.get(f.kind, ""))
        if f.kind == "id_number":
            widget.setMaxLength(18)
        if completion:
            completer = QCompleter(completion, widget)
            completer.setCaseSensitivity(Qt.CaseInsensitive)
            completer.setFilterMode(Qt.MatchContains)
            widget.setCompleter(completer)
        widget.textEdited.connect(lambda _t: self._edited(key))
        widget.editingFinished.connect(lambda: self._left(key))
        return widget

    def eventFilter(self, obj, event):
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Resize and obj is self.parentWidget():
            if self.isVisible():
                self._schedule_fit()
            return False
        if event.type() == QEvent.FocusOut:
            for key, widget in self.widgets.items():
                if widget is obj:
                    self._left(key)
        return super().eventFilter(obj, event)

    # -- values ----------------------------------------------------------------------
    def raw_value(self, key: str):
        widget = self.widgets[key]
        f = self.spec.field(key)
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            return widget.currentText()
        if isinstance(widget, _MultiChoice):
            return widget.words()
        text = widget.text()
        return normalise_id_number(text) if f.kind == "id_number" else text

    def values(self) -> dict:
        """What is typed, as forms.spec values (strings, word lists)."""
        return {key: self.raw_value(key) for key in self.widgets}

    def typed_values(self) -> dict:
        """Values converted for the archive: dates, booleans, numbers, 、-joined words.

        Call after ``validate()`` found no errors; empty fields become None (dates, booleans,
        numbers) or "" (text).
        """
        result = {}
        for key in self.widgets:
            result[key] = to_python(self.spec.field(key), self.raw_value(key))
        return result

    def set_value(self, key: str, value) -> None:
        widget = self.widgets.get(key)
        if widget is None:
            return
        f = self.spec.field(key)
        self._loading = True
        try:
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(display_text(f, value))
            elif isinstance(widget, QComboBox):
                text = display_text(f, value)
                index = widget.findText(text)
                if index < 0 and text:
                    widget.addItem(text)  # an old word not in today's list is kept, not lost
                    index = widget.count() - 1
                widget.setCurrentIndex(max(index, 0))
            elif isinstance(widget, _MultiChoice):
                widget.set_words(value)
            else:
                widget.setText(display_text(f, value))
        finally:
            self._loading = False

    def set_values(self, values: dict) -> None:
        for key, value in values.items():
            self.set_value(key, value)
        self.dirty = False
        self.clear_errors()

    def clear(self) -> None:
        for key in self.widgets:
            self.set_value(key, None)
        self.dirty = False
        self.clear_errors()

    def mark_clean(self) -> None:
        self.dirty = False

    def _edited(self, key: str) -> None:
        if self._loading:
            return
        self.dirty = True
        self.field_changed.emit(key)
        self.changed.emit()

    def _left(self, key: str) -> None:
        if self._loading:
            return
        self.check_field(key)
        for other in self._dependents(key):  # 务工地点 after 状况, 截止日期 after 起始日期
            if self.error_text(other) or not is_empty(self.raw_value(other)):
                self.check_field(other)
        self.field_left.emit(key)

    def _dependents(self, key: str) -> list[str]:
        return [f.key for f in self._fields.values() if f.key in self.widgets and f.key != key
                and (f.not_before == key or (f.only_when and f.only_when[0] == key))]

    # -- validation ------------------------------------------------------------------
    def field_message(self, key: str) -> str | None:
        """The field's own rules and those against the other fields (forms.spec.check_field)."""
        f = self.spec.field(key)
        value = self.raw_value(key)
        values = self.values() if (f.only_when or f.not_before) else {key: value}
        message = check_field(self._fields, f, values, self.today)
        if message is None and self.extra_check is not None:
            message = self.extra_check(key, value)
        return message

    def check_field(self, key: str) -> str | None:
        message = self.field_message(key)
        self.show_error(key, message)
        return message

    def validate(self) -> dict[str, str]:
        """Check every field, show the messages at the fields; {key: "标签：原因"}."""
        errors = {}
        for key in self.widgets:
            message = self.check_field(key)
            if message:
                errors[key] = f"{self.spec.field(key).label}：{message}"
        if errors:
            first = next(iter(errors))
            self.widgets[first].setFocus()
        return errors

    def show_error(self, key: str, message: str | None, warning: bool = False) -> None:
        label = self.errors.get(key)
        if label is None:
            return
        label.setText(message or "")
        label.setStyleSheet(WARNING_STYLE if warning else ERROR_STYLE)
        label.setVisible(bool(message))

    def error_text(self, key: str) -> str:
        label = self.errors.get(key)
        return label.text() if label is not None and label.isVisibleTo(self) else ""

    def clear_errors(self) -> None:
        for key in self.errors:
            self.show_error(key, None)


def _two_lines(label: str) -> str:
    """A long label on two lines, broken before its bracket when it has one
    (存在的不宜情形 / （《未成年人保护法》第二十二条）)."""
    if len(label) <= LONG_LABEL:
        return label
    cut = label.find("（")
    if cut <= 0:
        cut = len(label) // 2
    return f"{label[:cut]}\n{label[cut:]}"
