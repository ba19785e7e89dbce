"""The tables the county asks townships for (DOMAIN.md §3, §10; 普宁 附件1、附件2).

- ``ANNEX1``: 摸排情况数据表 — per risk colour and criterion, 人数 and 其中已干预, subtotals
  and a grand total. Rows are filled by ``models.reports`` from ``models.statistics``.
- ``ANNEX2``: 排查表 — one row per child screened, the risk colour in 备注.
- ``RISK_LIST``: the red/yellow/blue lists sent to 团委, 妇联 and 残联 at least every half
  year, one table per colour, ID numbers masked.

Each has the header the annexes print: 填报单位, 填报人, 日期, 联系电话. Rows are dicts keyed
by column key; two extra keys steer the renderers and are never printed: ``ROW_STYLE``
(item / of_whom / subtotal / total) and ``ROW_COLOUR`` (red/yellow/blue/green).
"""

from dataclasses import dataclass, replace

from forms import vocab
from forms.activity_list import ACTIVITY_LIST
from forms.colours import level_with_colour
from forms.school_list import SCHOOL_LIST
from forms.spec import Field, FilledForm, FormSpec, Section

ROW_STYLE = "_style"
ROW_COLOUR = "_colour"
# Values of ROW_STYLE: a criterion's count, its "其中…" count, 人数小计, 人数合计.
ITEM, OF_WHOM, SUBTOTAL, TOTAL = "item", "of_whom", "subtotal", "total"
EMPHASISED = (SUBTOTAL, TOTAL)

HEADER_KEY = "header"


def _header(*extra: Field) -> Section:
    return Section("填报信息", (
        *extra,
        Field("unit", "填报单位", required=True, width=3),
        Field("filler", "填报人", width=3),
        Field("on", "日期", "date", required=True, width=3),
        Field("phone", "联系电话", "phone", width=3),
    ), key=HEADER_KEY)


@dataclass(frozen=True)
class TableLayout:
    """How a county table sits on paper and in a sheet, beyond its columns."""

    landscape: bool = True
    merge_columns: tuple[str, ...] = ()  # vertically merge runs of equal values
    annex_label: str = ""  # printed above the title: 附件1
    font_size: float = 9.0  # table cells, in points (PDF and Word)
    colour_column: str = ""  # cell tinted with the row's risk colour (ROW_COLOUR)


# --- Annex 1 -------------------------------------------------------------------------------

ANNEX1_TABLE = "annex1"
ANNEX1 = FormSpec(
    "county_annex1", "农村留守儿童和困境儿童摸排情况数据表",
    (
        _header(),
        Section("摸排情况", kind="table", key=ANNEX1_TABLE, columns=(
            Field("level", "风险等级类型", width=2),
            Field("item", "服务对象类型", width=7),
            Field("count", "人数", "number", width=1),
            Field("note", "备注", width=2),
        )),
    ),
    copies_note="注：1. 风险等级类型和服务对象类型按照当地农村留守儿童和困境儿童关爱服务"
                "质量提升三年行动实施方案的要求划分。2. 一名儿童符合多项服务对象类型的，在每一项"
                "中均计入，故各项人数之和可能大于小计；小计为儿童人数，每名儿童只计一次。",
)


ANNEX1_BY_TOWNSHIP_KEY = "county_annex1_townships"
TOTAL_COLUMN = "count"


def annex1_by_township(townships: list[str]) -> FormSpec:
    """Annex 1 for a whole county: a column of 人数 per township and the county's 合计
    (``models.server.county_tables``). A child belongs to one township, so 合计 is the sum."""
    columns = (
        Field("level", "风险等级类型", width=2),
        Field("item", "服务对象类型", width=6),
        *(Field(township_column(n), name, "number", width=1) for n, name in enumerate(townships)),
        Field(TOTAL_COLUMN, "合计", "number", width=1),
    )
    return FormSpec(
        ANNEX1_BY_TOWNSHIP_KEY, ANNEX1.title,
        (_header(), Section("摸排情况", kind="table", key=ANNEX1_TABLE, columns=columns)),
        copies_note=ANNEX1.copies_note + "3. 各乡镇（街道）一列，合计为各乡镇人数之和。",
    )


def township_column(index: int) -> str:
    return f"township_{index}"


def annex1_title(county: str, year: int) -> str:
    return f"{year}年{county}农村留守儿童和困境儿童摸排情况数据表"


# --- Annex 2 -------------------------------------------------------------------------------

ANNEX2_TABLE = "annex2"
ANNEX2_NOTE = ("说明：1. 排查儿童信息实时更新录入全国儿童信息系统；2. 备注栏中，根据风险等级，"
               "农村留守儿童和困境儿童分为四个等级：高风险（红色）、中高风险（黄色）、"
               "中低风险（蓝色）、低风险（绿色）。")
ANNEX2 = FormSpec(
    "county_annex2", "农村留守儿童和困境儿童排查表",
    (
        _header(),
        Section("排查情况", kind="table", key=ANNEX2_TABLE, text=(ANNEX2_NOTE,), columns=(
            # widths are relative: half-units so that every column fits its longest usual value
            Field("no", "序号", "number", width=2),
            Field("village", "村（社区）", width=4),
            Field("name", "姓名", width=3),
            Field("sex", "性别", width=2),
            Field("birth_date", "出生日期", "date", width=6),
            Field("ethnicity", "民族", width=2),
            Field("id_number", "身份证号", width=11),
            Field("address", "住址", width=5),
            Field("categories", "儿童类别", width=5),
            Field("parents", "父母姓名、状况及电话", width=7),
            Field("carer", "监护（照护）人", width=5),
            Field("phone", "联系电话", width=7),
            Field("agreement", "委托照护协议", width=7),
            Field("schooling", "就学状况", width=3),
            Field("health", "健康状况", width=3),
            Field("director", "儿童主任（排查人）", width=4),
            Field("last_contact", "排查日期", "date", width=6),
            Field("note", "备注", width=8),
        )),
    ),
)


def annex2_title(county: str) -> str:
    return f"{county}农村留守儿童和困境儿童排查表"


# --- red / yellow / blue lists -------------------------------------------------------------

RECIPIENTS = ("团委", "妇联", "残联")
RECIPIENT_NAMES = {
    "团委": "共青团{county}委员会",
    "妇联": "{county}妇女联合会",
    "残联": "{county}残疾人联合会",
}
LIST_COLOURS = ("red", "yellow", "blue")


def recipient_name(recipient: str, county: str) -> str:
    if recipient not in RECIPIENT_NAMES:
        raise ValueError(f"报送单位应为{vocab.join_multi(RECIPIENTS)}之一，而不是“{recipient}”")
    return RECIPIENT_NAMES[recipient].format(county=county)


def _list_columns() -> tuple[Field, ...]:
    return (
        Field("no", "序号", "number", width=1),
        Field("village", "村（社区）", width=3),
        Field("name", "姓名", width=2),
        Field("sex", "性别", width=1),
        Field("id_number", "身份证号", width=4),
        Field("age", "年龄", "number", width=1),
        Field("categories", "儿童类别", width=3),
        Field("criteria", "风险情形", width=6),
        Field("carer", "监护（照护）人", width=3),
        Field("director", "儿童主任", width=2),
        Field("note", "备注", width=2),
    )


RISK_LIST = FormSpec(
    "county_risk_list", "红色、黄色、蓝色风险等级儿童名单",
    (
        _header(Field("recipient", "报送单位", required=True, width=6)),
        *(Section(f"{level_with_colour(c)}儿童", kind="table", key=c, columns=_list_columns(),
                  blank_rows=3)
          for c in LIST_COLOURS),
    ),
    copies_note="注：名单仅供相关部门开展关爱帮扶工作使用，身份证号已隐去中间位，"
                "请妥善保管，不得对外公开或用于宣传。",
)


def risk_list_title(county: str) -> str:
    return f"{county}红色、黄色、蓝色风险等级儿童名单"


# --- registry ------------------------------------------------------------------------------

# ``activity`` (活动名单, forms.activity_list) is not a county table, but it is printed the same way.
COUNTY_TABLES: dict[str, FormSpec] = {"stats": ANNEX1, "screening": ANNEX2, "lists": RISK_LIST,
                                      "activity": ACTIVITY_LIST, "school": SCHOOL_LIST}

LAYOUTS: dict[str, TableLayout] = {
    ANNEX1.key: TableLayout(landscape=False, merge_columns=("level",), annex_label="附件1",
                            font_size=10.5, colour_column="level"),
    ANNEX1_BY_TOWNSHIP_KEY: TableLayout(merge_columns=("level",), annex_label="附件1", font_size=8,
                                        colour_column="level"),
    ANNEX2.key: TableLayout(annex_label="附件2", font_size=8.5, colour_column="note"),
    RISK_LIST.key: TableLayout(font_size=9),
    ACTIVITY_LIST.key: TableLayout(font_size=10),
    SCHOOL_LIST.key: TableLayout(font_size=9),
}


def layout_of(spec: FormSpec) -> TableLayout:
    return LAYOUTS.get(spec.key, TableLayout())


def titled(spec: FormSpec, title: str) -> FormSpec:
    """The same table with the county's own title (the layout stays keyed by ``spec.key``)."""
    return replace(spec, title=title)


# --- a township-by-township book (a sheet per township and 汇总) ---------------------------------

SUMMARY_TABLE = "summary"
SUMMARY_KEY = "county_township_summary"
SUMMARY_TOWNSHIP = "township"


@dataclass(frozen=True)
class TableBook:
    """A county table as a book: the county's 汇总 first, then each township's own table
    (``models.server.county_tables.township_sheets``). Excel: a sheet each; Word and PDF: a
    part each, starting on a new page."""

    title: str
    summary: FilledForm
    parts: tuple[tuple[str, FilledForm], ...]  # (township, its table)

    @property
    def demo(self) -> bool:
        return self.summary.demo or any(p.demo for _n, p in self.parts)

    def errors(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, part in (("汇总", self.summary), *self.parts):
            found.update({f"{name}：{k}": v for k, v in part.errors().items()})
        return found

    def rows_of_key(self, key: str) -> list[dict]:
        """The rows of table ``key`` of every township, one after another."""
        return [row for _n, part in self.parts for row in part.rows.get(key, [])]

    def forms(self) -> list[tuple[str, FilledForm]]:
        return [("汇总", self.summary), *self.parts]


def township_summary(counts: tuple[tuple[str, str], ...]) -> FormSpec:
    """各乡镇人数汇总: a row per township and 合计; a column per count (key, label)."""
    return FormSpec(
        SUMMARY_KEY, "各乡镇人数汇总",
        (_header(), Section("各乡镇人数", kind="table", key=SUMMARY_TABLE, columns=(
            Field(SUMMARY_TOWNSHIP, "乡镇（街道）", width=4),
            *(Field(key, label, "number", width=2) for key, label in counts),
            Field(TOTAL_COLUMN, "合计", "number", width=2),
        ))),
        copies_note="注：各乡镇（街道）的名单见以后各表（每个乡镇一张），人数按各乡镇自己的规则计算。",
    )


LAYOUTS[SUMMARY_KEY] = TableLayout(font_size=10)
