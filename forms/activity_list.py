"""活动名单: the children invited to a care activity, for a school, volunteers or 团委.

普宁's plan (DOMAIN.md §12): materials for activities and publicity must not label children.
So this list has no category, colour, risk, disability or family-situation column and no
ID number, and its fixed wording names no category of child. ``FORBIDDEN_WORDS`` lists
what must never appear in it (the tests read every export back against it).

The header section is keyed ``"header"`` like the county tables (``forms.county_tables``
registers this form as ``activity``; it cannot import that module back).
"""

from forms.spec import Field, FormSpec, Section

KEY = "activity"
HEADER_KEY = "header"
TABLE_KEY = "children"
TITLE = "关爱活动儿童名单"

# Labels of a child; none may appear anywhere in the list or its exports.
FORBIDDEN_WORDS = ("留守", "困境", "孤儿", "事实无人抚养", "低保", "特困", "重残", "残疾",
                   "红色", "黄色", "蓝色", "风险", "身份证")

ACTIVITY_LIST = FormSpec(
    "activity_list", TITLE,
    (
        Section("活动信息", (
            Field("activity", "活动名称", width=6),
            Field("on", "活动日期", "date", required=True, width=3),
            Field("unit", "组织单位", required=True, width=3),
            Field("contact", "联系人", width=3),
            Field("phone", "联系电话", "phone", width=3),
        ), key=HEADER_KEY),
        Section("参加活动的儿童", kind="table", key=TABLE_KEY, blank_rows=15, columns=(
            Field("no", "序号", "number", width=2),
            Field("name", "姓名", width=3),
            Field("sex", "性别", width=2),
            Field("age", "年龄", "number", width=2),
            Field("village", "村（社区）", width=5),
            Field("school", "就读学校", width=6),
            Field("grade", "年级", width=3),
            Field("carer", "照护人", width=5),
            Field("phone", "联系电话", width=5),
            Field("note", "备注", width=5),
        )),
    ),
    copies_note="注：本名单仅用于组织本次活动，请妥善保管，活动结束后交回组织单位或销毁，"
                "不得对外公开、转发或用于宣传报道。",
)


def activity_title(township: str) -> str:
    return f"{township}{TITLE}" if township else TITLE
