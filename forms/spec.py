"""How a paper form is defined once: fields, sections, fixed wording, and validation.

The Qt editor builds its widgets from these definitions, the models fill ``FilledForm``
snapshots, and the Word/PDF renderers walk the same definitions. Plain Python only.

Values of a form are a ``dict[field_key, value]``:
- text, multiline, id_number, phone, choice: ``str``
- date: ``datetime.date`` or a string ``2025-03-01`` / ``2025/3/1`` / ``2025年3月1日``
- multichoice: a list/tuple of words (or one string joined with "、")
- bool: ``True``/``False`` (or "是"/"否")
- number: ``int``/``float`` or a numeric string
A missing key or an empty string means "not filled".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from forms import checks, vocab
from forms.idnumber import IdNumberError, parse_id_number

KINDS = ("text", "multiline", "date", "choice", "multichoice", "bool", "id_number", "phone", "number")
SECTION_KINDS = ("fields", "table", "text", "signatures")

# A row of a "fields" section is ROW_UNITS wide; a field's width is how many units it takes.
ROW_UNITS = 6
YES, NO = "是", "否"

Validator = Callable[[object], "str | None"]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = False
    width: int | None = None  # units of ROW_UNITS; None = full row for multiline, half otherwise
    help: str = ""
    validator: Validator | None = None  # extra check: returns a Chinese message or None
    lines: int = 0  # handwriting lines on a blank form (multiline); 0 = automatic
    # Validation rules across time and fields (forms.checks), used by editors and imports:
    not_future: bool = False  # a date of something done (a visit, a signature): not after today
    not_before: str = ""  # key of the date field this one may not precede (end after start)
    # (other field's key, its values): this field is filled only then, and then required
    # when ``required`` (务工地点 only for a parent who works away).
    only_when: tuple[str, tuple[str, ...]] | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r} for {self.key}")
        if self.kind in ("choice", "multichoice") and not self.choices:
            raise ValueError(f"field {self.key} needs choices")

    @property
    def span(self) -> int:
        if self.width:
            return max(1, min(ROW_UNITS, self.width))
        return ROW_UNITS if self.kind == "multiline" else ROW_UNITS // 2

    @property
    def blank_lines(self) -> int:
        if self.lines:
            return self.lines
        return 3 if self.kind == "multiline" else 1


@dataclass(frozen=True)
class Section:
    """One part of a form. How renderers print each kind:

    - "fields": the ``text`` paragraphs, then the fields in rows of ROW_UNITS units.
    - "text": only the ``text`` paragraphs; ``fields`` are the values its {placeholders} use
      (the editor shows them as inputs, the paper shows them inside the wording).
    - "table": ``text``, then a table with ``columns`` (a column's width is its relative
      width); one row per dict in ``FilledForm.rows[section.row_key]``.
    - "signatures": ``text``, then label + handwriting line per field (printed value if any).
    """

    title: str
    fields: tuple[Field, ...] = ()
    text: tuple[str, ...] = ()  # fixed wording; may hold {field_key} placeholders
    kind: str = "fields"
    columns: tuple[Field, ...] = ()  # table sections: each row is a dict keyed by column key
    key: str = ""  # stable key for rows; defaults to the title
    blank_rows: int = 8  # empty rows printed on a blank table

    def __post_init__(self):
        if self.kind not in SECTION_KINDS:
            raise ValueError(f"unknown section kind {self.kind!r} for {self.title}")
        if self.kind == "table" and not self.columns:
            raise ValueError(f"table section {self.title} needs columns")

    @property
    def row_key(self) -> str:
        return self.key or self.title


@dataclass(frozen=True)
class FormSpec:
    key: str
    title: str
    sections: tuple[Section, ...]
    subtitle: str = ""
    copies_note: str = ""

    def fields(self) -> Iterator[Field]:
        """Every field of the form (not table columns), in order."""
        for section in self.sections:
            yield from section.fields

    def field(self, key: str) -> Field:
        for f in self.fields():
            if f.key == key:
                return f
        raise KeyError(key)

    def table_sections(self) -> list[Section]:
        return [s for s in self.sections if s.kind == "table"]

    def section(self, title_or_key: str) -> Section:
        for s in self.sections:
            if title_or_key in (s.title, s.key):
                return s
        raise KeyError(title_or_key)


@dataclass
class FilledForm:
    """A snapshot of one filled (or blank) form, ready for a renderer."""

    spec: FormSpec
    values: dict = dc_field(default_factory=dict)
    rows: dict = dc_field(default_factory=dict)  # section row_key (or title) -> list[dict]
    demo: bool = False
    is_blank: bool = False  # print handwriting space instead of values

    @classmethod
    def blank(cls, spec: FormSpec, demo: bool = False) -> FilledForm:
        return cls(spec, {}, {}, demo=demo, is_blank=True)

    @property
    def title(self) -> str:
        return self.spec.title

    def rows_of(self, section: Section) -> list[dict]:
        if section.row_key in self.rows:
            return list(self.rows[section.row_key])
        return list(self.rows.get(section.title, []))

    def text_of(self, f: Field) -> str:
        """The value of a field as printed ("" when not filled)."""
        return "" if self.is_blank else format_value(f, self.values.get(f.key))

    def fill(self, template: str, blank_width: int = 6) -> str:
        """Fixed wording with {placeholders} replaced by printed values or a blank line."""
        return fill_text(self.spec, template, {} if self.is_blank else self.values, blank_width)

    def errors(self) -> dict[str, str]:
        return validate(self.spec, self.values)


def pack_rows(fields: tuple[Field, ...]) -> list[list[tuple[Field, int]]]:
    """Fields laid out in rows of ROW_UNITS units, as (field, units) pairs.

    A field that does not fit starts a new row; the last field of a row stretches to fill
    it. The PDF and Word renderers (and an editor that wants the paper's look) share this.
    """
    rows: list[list[tuple[Field, int]]] = []
    used = ROW_UNITS
    for f in fields:
        if used + f.span > ROW_UNITS:
            rows.append([])
            used = 0
        rows[-1].append((f, f.span))
        used += f.span
    for row in rows:
        last_field, last_span = row[-1]
        row[-1] = (last_field, last_span + ROW_UNITS - sum(span for _, span in row))
    return rows


# --- values ------------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, dict, bytes)):
        return not value
    return False


def parse_date(value) -> date:
    """A date from a ``date`` or a common Chinese/ISO spelling; ValueError with a Chinese message."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace(" ", "")
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                raise ValueError(f"{y}年{mo}月{d}日不是有效日期") from None
    raise ValueError("日期格式应为“2025-03-01”或“2025年3月1日”")


def as_words(value) -> list:
    """The words of a multichoice value; items that are not text are kept for the checker."""
    if is_empty(value):
        return []
    if isinstance(value, str):
        return vocab.split_multi(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v.strip() if isinstance(v, str) else v for v in value]
    return [value]


def as_bool(value) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if text in (YES, "true", "True", "1", "有"):
        return True
    if text in (NO, "false", "False", "0", "无"):
        return False
    raise ValueError("应填“是”或“否”")


def format_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def format_value(f: Field, value) -> str:
    """Printed text of a value; unparseable values are printed as typed, never dropped."""
    if is_empty(value):
        return ""
    try:
        if f.kind == "date":
            return format_date(parse_date(value))
        if f.kind == "multichoice":
            return vocab.join_multi(str(w) for w in as_words(value))
        if f.kind == "bool":
            return YES if as_bool(value) else NO
    except ValueError:
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_text(spec: FormSpec, template: str, values: Mapping, blank_width: int = 6) -> str:
    """Replace {field_key} with the printed value, or with an underline for handwriting.

    A date placeholder that is not filled prints as "____年__月__日" so the fixed wording
    ("自{start}起至{end}止") reads correctly on a blank form.
    """

    def repl(m: re.Match) -> str:
        key = m.group(1)
        try:
            f = spec.field(key)
        except KeyError:
            f = Field(key, key)
        text = format_value(f, values.get(key))
        if text:
            return text
        if f.kind == "date":
            return "______年____月____日"
        return "_" * max(blank_width, 2 * f.span)

    return _PLACEHOLDER.sub(repl, template)


# --- validation --------------------------------------------------------------------------

def _id_message(error: IdNumberError) -> str:
    text = str(error)
    for prefix in ("身份证号中的", "身份证号"):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _show(value, limit: int = 20) -> str:
    text = str(value).strip()
    return text if len(text) <= limit else text[:limit] + "…"


_SCALARS = (str, int, float, Decimal, date)
_COLLECTIONS = (list, tuple, set, frozenset)


def _check_text(f: Field, value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, _SCALARS):
        return "格式不正确，应填写文字"
    return None


def _check_date(f: Field, value) -> str | None:
    if not isinstance(value, (str, date)):
        return "日期格式应为“2025-03-01”或“2025年3月1日”"
    try:
        parse_date(value)
    except ValueError as error:
        return str(error)
    return None


def _check_choice(f: Field, value) -> str | None:
    if not isinstance(value, str) or value.strip() not in f.choices:
        return f"“{_show(value)}”不在可选项中（可选：{vocab.join_multi(f.choices[:12])}）"
    return None


def _check_multichoice(f: Field, value) -> str | None:
    if not isinstance(value, (str, *_COLLECTIONS)):
        return "格式不正确，应从可选项中选择"
    words = as_words(value)
    wrong = [_show(w) for w in words if not isinstance(w, str) or w not in f.choices]
    if wrong:
        return f"“{vocab.join_multi(wrong[:5])}”不在可选项中"
    return None


def _check_bool(f: Field, value) -> str | None:
    try:
        as_bool(value)
    except ValueError as error:
        return str(error)
    return None


def _check_id_number(f: Field, value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return "格式不正确，应为18位身份证号"
    try:
        parse_id_number(str(value))
    except IdNumberError as error:
        return _id_message(error)
    return None


def _check_phone(f: Field, value) -> str | None:
    return checks.phone_problem(value)


def _check_number(f: Field, value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        return "应为数字"
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (ValueError, OverflowError, InvalidOperation):
        return "应为数字"
    if not math.isfinite(number):
        return "应为有效的数字"
    return None


_CHECKS = {
    "text": _check_text, "multiline": _check_text, "date": _check_date,
    "choice": _check_choice, "multichoice": _check_multichoice, "bool": _check_bool,
    "id_number": _check_id_number, "phone": _check_phone, "number": _check_number,
}


def check_value(f: Field, value, today: date | None = None) -> str | None:
    """The Chinese message for one value (without the label), or None when it is fine.

    Any value at all may arrive here (imports, a broken snapshot): never raise. Rules that
    look at other fields (``not_before``, ``only_when``) are in ``check_field``.
    """
    if is_empty(value):
        return "必填项，不能为空" if f.required and not f.only_when else None
    message = _CHECKS[f.kind](f, value)
    if message is None and f.kind == "date":
        day = parse_date(value)
        message = checks.too_early_problem(day)
        if message is None and f.not_future:
            message = checks.future_problem(day, today)
    if message is None and f.validator is not None:
        return f.validator(value)
    return message


def _date_or_none(value) -> date | None:
    if is_empty(value) or not isinstance(value, (str, date)):
        return None
    try:
        return parse_date(value)
    except ValueError:
        return None


def check_field(fields: tuple[Field, ...] | list[Field] | Mapping[str, Field], f: Field,
                values: Mapping, today: date | None = None) -> str | None:
    """``check_value`` plus the rules against the other fields of the same form or row
    (``fields``: the form's fields, or them by key)."""
    value = values.get(f.key)
    message = check_value(f, value, today)
    if message or not (f.only_when or f.not_before):
        return message
    by_key = fields if isinstance(fields, Mapping) else {other.key: other for other in fields}
    if f.only_when and f.only_when[0] in by_key:
        other_key, allowed = f.only_when
        other_value = values.get(other_key)
        other_text = "" if is_empty(other_value) else str(other_value).strip()
        message = checks.only_when_problem(not is_empty(value), other_text in allowed,
                                           by_key[other_key].label, other_text, allowed,
                                           f.required)
        if message:
            return message
    if f.kind == "date" and f.not_before and f.not_before in by_key:
        day, earlier = _date_or_none(value), _date_or_none(values.get(f.not_before))
        if day is not None and earlier is not None:
            return checks.order_problem(day, earlier, by_key[f.not_before].label)
    return None


def validate(spec: FormSpec, values: Mapping, today: date | None = None) -> dict[str, str]:
    """Messages keyed by field key, each naming the field: "身份证号：校验位不正确…"."""
    errors: dict[str, str] = {}
    fields = {f.key: f for f in spec.fields()}
    for f in fields.values():
        message = check_field(fields, f, values, today)
        if message:
            errors[f.key] = f"{f.label}：{message}"
    return errors


def validate_row(section: Section, row: Mapping, today: date | None = None) -> dict[str, str]:
    """Messages for one row of a table section, keyed by column key."""
    errors: dict[str, str] = {}
    columns = {c.key: c for c in section.columns}
    for column in section.columns:
        message = check_field(columns, column, row, today)
        if message:
            errors[column.key] = f"{column.label}：{message}"
    return errors


# Shared choice tuples used by several forms.
YES_NO = (YES, NO)
