"""The Excel ledger (台账): which sheets and columns it has, what each column takes.

Defined once here; ``exports.ledger_template`` writes the blank template from it and
``models.ledger_import`` reads filled ledgers against it. Column headers are the words
the clerk sees; ``key`` names the value inside the program.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from forms import checks, vocab
from forms.idnumber import IdNumberError, parse_id_number

# Column kinds: text, id_number, phone, date, choice, multichoice, bool.
MAX_CELL_CHARS = 2000
MULTI_SEPARATORS = "、；"
YES, NO = "是", "否"
EARLIEST_YEAR = checks.EARLIEST_YEAR


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = False
    width: int = 12  # characters, for the template
    help: str = ""
    max_chars: int = 200

    def allowed_text(self) -> str:
        """What the column takes, in words for the clerk (instructions and error messages)."""
        if self.kind == "choice":
            return "只能填：" + "、".join(self.choices)
        if self.kind == "multichoice":
            return "可填一项或多项（用“、”或“；”分隔）：" + "、".join(self.choices)
        if self.kind == "bool":
            return f"只能填“{YES}”或“{NO}”"
        if self.kind == "date":
            return "填日期，如 2026-03-01（也可用 Excel 日期格式）"
        if self.kind == "id_number":
            return "18位公民身份号码，请按文本格式填写"
        if self.kind == "phone":
            return checks.PHONE_RULE.replace("应为", "填")
        return ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    help: str = ""

    def column(self, header: str) -> Column | None:
        return next((c for c in self.columns if c.header == header), None)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def required_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.required)


def _person(prefix: str, key: str) -> tuple[Column, ...]:
    return (
        Column(f"{prefix}姓名", f"{key}_name", width=10),
        Column(f"{prefix}身份证号", f"{key}_id_number", "id_number", width=21),
        Column(f"{prefix}状况", f"{key}_status", "choice", vocab.PERSON_STATUSES, width=12),
        Column(f"{prefix}外出范围", f"{key}_distance", "choice", vocab.DISTANCES, width=10,
               help="仅在状况为“外出务工”时填写"),
        Column(f"{prefix}外出起始日期", f"{key}_away_since", "date", width=13,
               help="仅在状况为“外出务工”时填写"),
        Column(f"{prefix}联系电话", f"{key}_phone", "phone", width=14),
    )


CARER_RELATIONS = ("祖父", "祖母", "外祖父", "外祖母", "伯父", "伯母", "叔叔", "婶婶", "姑姑",
                   "舅舅", "姨妈", "哥哥", "姐姐", "其他亲属", "邻居", "朋友", "其他")

CHILDREN = Sheet("儿童", (
    Column("姓名", "name", required=True, width=10, max_chars=50),
    Column("身份证号", "id_number", "id_number", required=True, width=21,
           help="用于识别儿童：再次导入时，身份证号相同的行更新同一名儿童"),
    Column("民族", "ethnicity", "choice", vocab.ETHNICITIES, width=9),
    Column("户籍类型", "registration", "choice", vocab.REGISTRATION_TYPES, width=9,
           help="新建档案时不填视为“农村”"),
    Column("村(社区)", "village", required=True, width=12, max_chars=50,
           help="档案库中还没有的村（社区）会自动新建"),
    Column("家庭住址", "address", width=24),
    Column("就读学校", "school", width=16),
    Column("年级", "grade", width=8),
    Column("就学状况", "schooling", "choice", vocab.SCHOOLING_STATUSES, width=9),
    Column("健康状况", "health", "choice", vocab.HEALTH_STATUSES, width=9),
    Column("残疾类别", "disability_category", "choice", vocab.DISABILITY_CATEGORIES, width=9),
    Column("残疾等级", "disability_grade", "choice", vocab.DISABILITY_GRADES, width=9),
    Column("困境类别", "hardship_categories", "multichoice", vocab.HARDSHIP_CATEGORIES, width=14),
    Column("单亲家庭", "single_parent", "bool", width=9),
    Column("风险情形", "risk_criteria", "multichoice", vocab.RISK_CRITERIA, width=16,
           help="发现日期记为登记日期（未填登记日期时为导入当天）；已消除的情形请在档案中填写解除日期"),
    *_person("父亲", "father"),
    *_person("母亲", "mother"),
    Column("照护人姓名", "carer_name", width=10, help="填写照护人其他信息时必须填写姓名"),
    Column("照护人与儿童关系", "carer_relation", width=14, help="如：" + "、".join(CARER_RELATIONS[:6])),
    Column("照护人身份证号", "carer_id_number", "id_number", width=21),
    Column("照护人联系电话", "carer_phone", "phone", width=14),
    Column("儿童主任", "director", width=10, max_chars=50,
           help="按姓名对应档案库中的儿童主任，没有的会自动新建"),
    Column("登记日期", "entered_on", "date", width=12, help="新建档案时不填视为导入当天"),
    Column("备注", "notes", width=24, max_chars=MAX_CELL_CHARS),
), help="每行一名儿童。")

VISITS = Sheet("走访记录", (
    Column("身份证号", "id_number", "id_number", required=True, width=21,
           help="儿童的身份证号，须在“儿童”表或档案库中"),
    Column("日期", "on", "date", required=True, width=12),
    Column("方式", "kind", "choice", vocab.CONTACT_KINDS, required=True, width=10,
           help="只有“入户走访”计为入户走访，其余均计为联系"),
    Column("走访人", "visitor", width=10, max_chars=50),
    Column("情况记录", "living", width=30, max_chars=MAX_CELL_CHARS),
    Column("发现问题", "problems", width=24, max_chars=MAX_CELL_CHARS),
    Column("处理措施", "actions", width=24, max_chars=MAX_CELL_CHARS),
), help="每行一次联系或走访。身份证号、日期、方式和走访人都相同的记录只导入一次。")

SHEETS = (CHILDREN, VISITS)
INSTRUCTIONS_SHEET = "填写说明"
CHOICES_SHEET = "选项"  # hidden sheet holding the drop-down lists

TITLE = "农村留守儿童和困境儿童信息台账"

INSTRUCTIONS = (
    "1. 本台账有“儿童”和“走访记录”两张表，请勿修改表名和第一行的列名，不要增加其他列。",
    "2. 列名为红色的是必填列，每行都要填写；其余列可以空着（各列要求见下表）。",
    ("3. 再次导入时按身份证号对应儿童：内容相同的不作改动，内容有变化的更新档案（留有修改记录）；"
    "空着的单元格不会清除档案中已有的内容。"),
    "4. 有下拉选项的列请从下拉列表中选择，不要自行填写其他说法。",
    "5. 困境类别、风险情形可以填写多项，用“、”或“；”分隔，如：低保、重残。",
    f"6. 单亲家庭填“{YES}”或“{NO}”。",
    "7. 日期请填写如 2026-03-01，或使用 Excel 的日期格式；不能早于1900年，也不能晚于今天。",
    "8. 身份证号请按文本格式填写（模板中已设好），否则 Excel 会把后几位变成0。",
    "9. 单元格中不能填写公式，单个单元格不超过2000字。",
    ("10. 导入前程序会检查全部内容；只要有一处错误，就不导入任何数据，"
    "并生成一份错误报告，列出每个错误所在的表、行、列和修改方法。"),
    "11. 台账含有儿童的敏感个人信息，请妥善保管，不要通过公开渠道传送。",
)


def column_help(column: Column) -> str:
    parts = [p for p in (column.allowed_text(), column.help) if p]
    return "；".join(parts)


def sheet(name: str) -> Sheet | None:
    return next((s for s in SHEETS if s.name == name), None)


def normalise_header(text: object) -> str:
    """Headers as typed: full-width brackets, spaces and a "（必填）" mark are tolerated."""
    if text is None:
        return ""
    value = str(text).strip()
    for mark in ("（必填）", "(必填)", "*", "＊"):
        value = value.replace(mark, "")
    return value.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "").strip()


# -- reading one cell --------------------------------------------------------------------

class CellError(ValueError):
    """A cell that does not fit its column; ``str()`` is a Chinese message naming the column."""


_EXCEL_ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!",
                 "#CALC!", "#GETTING_DATA")
_DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_cell(column: Column, value: object, today: date):
    """The cell's value as the archive stores it (``None`` for a blank cell).

    Raises ``CellError`` with a message that names the column and says what it takes.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if value[0] == "=":
            raise CellError(f"“{column.header}”不能包含公式（{_clip(value)}），请填写实际内容。")
        if value[0] == "#" and value.upper() in _EXCEL_ERRORS:
            raise CellError(f"“{column.header}”是 Excel 错误值 {value}，请填写实际内容。")
        limit = min(column.max_chars, MAX_CELL_CHARS)
        if len(value) > limit:
            raise CellError(f"“{column.header}”内容过长（{len(value)}字），最多{limit}字。")
    parser = _PARSERS.get(column.kind, _text)
    return parser(column, value, today)


def _clip(text: str, size: int = 20) -> str:
    return text if len(text) <= size else text[:size] + "…"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "逻辑值" + ("TRUE" if value else "FALSE")
    if isinstance(value, (datetime, date)):
        return f"日期{_as_date(value).isoformat()}"
    if isinstance(value, (int, float)):
        return f"数字{value:g}" if isinstance(value, float) else f"数字{value}"
    return f"“{_clip(str(value))}”"


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _number_text(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return None


def _text(column: Column, value, today: date) -> str:
    if isinstance(value, str):
        return value
    number = _number_text(value)
    if number is not None:
        return number
    raise CellError(f"“{column.header}”应填写文字，现在是{_describe(value)}。")


def _choice(column: Column, value, today: date) -> str:
    text = value if isinstance(value, str) else _number_text(value) or _describe(value)
    word = text.replace(" ", "").replace("\u3000", "")
    if word in column.choices:
        return word
    if word + "族" in column.choices:  # 民族 typed without 族
        return word + "族"
    raise CellError(f"“{column.header}”填写的“{_clip(text)}”不在可选范围内，{column.allowed_text()}。")


def _multichoice(column: Column, value, today: date) -> tuple[str, ...]:
    if not isinstance(value, str):
        raise CellError(f"“{column.header}”应填写文字，现在是{_describe(value)}。{column.allowed_text()}。")
    words = [w.replace(" ", "") for w in vocab.split_multi(value)]
    unknown = [w for w in words if w not in column.choices]
    if unknown:
        raise CellError(f"“{column.header}”中的“{'、'.join(unknown)}”不在可选范围内，"
                        f"{column.allowed_text()}。")
    return tuple(w for w in column.choices if w in words)  # vocabulary order, no repeats


def _bool(column: Column, value, today: date) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in (YES, NO):
        return value == YES
    raise CellError(f"“{column.header}”填写的{_describe(value)}不对，{column.allowed_text()}。")


def _date(column: Column, value, today: date) -> date:
    label = f"“{column.header}”"
    if isinstance(value, (datetime, date)):
        day = _as_date(value)
    elif isinstance(value, str):
        match = _DATE_PATTERN.match(value) or _COMPACT_DATE.match(value)
        if not match:
            raise CellError(f"{label}的“{_clip(value)}”不是日期，请填写如 2026-03-01 的日期。")
        try:
            day = date(*(int(part) for part in match.groups()))
        except ValueError:
            raise CellError(f"{label}的日期“{value}”不存在，请核对月份和日。") from None
    else:
        raise CellError(f"{label}应填写日期（如 2026-03-01），现在是{_describe(value)}。")
    if day.year < EARLIEST_YEAR:
        raise CellError(f"{label}的日期{day.isoformat()}早于{EARLIEST_YEAR}年，请核对。")
    if day > today:
        raise CellError(f"{label}的日期{day.isoformat()}晚于今天，请核对。")
    return day


def _id_number(column: Column, value, today: date) -> str:
    label = f"“{column.header}”"
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise CellError(f"{label}被存成了数字，Excel 会把后几位变成0。"
                            "请把该列设为文本格式后重新填写身份证号。")
        raise CellError(f"{label}应填写18位身份证号，现在是{_describe(value)}。")
    try:
        return parse_id_number(value, today).number
    except IdNumberError as error:
        raise CellError(f"{label}有误：{error}") from None


def _phone(column: Column, value, today: date) -> str:
    """The editors' rule (forms.checks): +86 and spaces accepted, stored normalised."""
    text = value if isinstance(value, str) else _number_text(value)
    if text is None or checks.phone_problem(text):
        raise CellError(f"“{column.header}”的{_describe(value)}不像电话号码，{column.allowed_text()}。")
    return checks.normalise_phone(text)


_PARSERS = {
    "text": _text, "choice": _choice, "multichoice": _multichoice, "bool": _bool,
    "date": _date, "id_number": _id_number, "phone": _phone,
}
