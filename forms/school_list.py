"""The school-term list for 教育: 适龄孤儿、事实无人抚养儿童名单 (长治 二(三)12).

The clause: "县级民政部门分别在寒、暑假开学前向教育部门提供适龄孤儿、事实无人抚养儿童名单，
教育部门做好信息核查比对工作，并与民政部门共享相关信息" — before each term starts (the spring
term after the winter holiday, the autumn term after the summer holiday) the county gives the
education bureau the school-age orphans and 事实无人抚养 children, so that it can check them
against its own records and give them the education aid they are due.

What the list holds follows from that task and nothing more (DOMAIN.md §12: data shared between
departments is limited to what the task needs): who the child is (name, sex, birth date, the
full ID number — the key education matches on), which of the two categories, where the child
lives, the schooling the township knows of (就学状况, school, grade) and whom to call. No risk
colour, no parents' situation, no other category.

What the plan does not say is local practice (本地做法), shown as such on the list:
- "适龄" (school age): ``SCHOOL_AGE`` — from 3 (kindergarten) to under 18 on the term's first day.
- the terms' first days: ``forms.school_term``.
"""

from forms.spec import Field, FormSpec, Section

KEY = "school_list"
TABLE_KEY = "children"
HEADER_KEY = "header"
CATEGORIES = ("孤儿", "事实无人抚养")  # forms.vocab.HARDSHIP_CATEGORIES words
CATEGORY_LABELS = {"孤儿": "孤儿", "事实无人抚养": "事实无人抚养儿童"}
SCHOOL_AGE = (3, 18)  # 本地做法: from 3 years (入园) to under 18, on the term's first day
CLAUSE = "长治市实施方案二(三)12"
RECIPIENT = "{county}教育局"

CLAUSE_WORDS = ("县级民政部门分别在寒、暑假开学前向教育部门提供适龄孤儿、事实无人抚养儿童名单，"
         "教育部门做好信息核查比对工作，并与民政部门共享相关信息")


def school_list_note(profile: str) -> str:
    """The list's printed note under plan ``profile``: 长治's clause is policy only in 长治;
    elsewhere the list is the county's own practice, following that clause, and says so."""
    basis = (f"依据{CLAUSE}：{CLAUSE_WORDS}。" if profile == "changzhi" else
             f"本地做法：本方案未规定此名单，参照{CLAUSE}“{CLAUSE_WORDS}”。")
    return (f"注：1. {basis}"
            f"2. 适龄按开学当日年满{SCHOOL_AGE[0]}周岁、未满{SCHOOL_AGE[1]}周岁计（本地做法）。"
            "3. 身份证号完整列出，供核查比对使用；名单仅用于落实教育资助和帮扶，请妥善保管，"
            "不得对外公开或转作他用。")


SCHOOL_LIST = FormSpec(
    KEY, "适龄孤儿、事实无人抚养儿童名单",
    (
        Section("填报信息", (
            Field("recipient", "报送单位", required=True, width=4),
            Field("term", "学期", required=True, width=2),
            Field("unit", "填报单位", required=True, width=3),
            Field("filler", "填报人", width=3),
            Field("on", "日期", "date", required=True, width=3),
            Field("phone", "联系电话", "phone", width=3),
        ), key=HEADER_KEY),
        Section("名单", kind="table", key=TABLE_KEY, blank_rows=10, columns=(
            Field("no", "序号", "number", width=2),
            Field("village", "村（社区）", width=5),
            Field("name", "姓名", width=3),
            Field("sex", "性别", width=2),
            Field("birth_date", "出生日期", "date", width=5),
            Field("id_number", "身份证号", width=10),
            Field("age", "开学时年龄", "number", width=3),
            Field("category", "类别", width=7),
            Field("schooling", "就学状况", width=3),
            Field("school", "就读学校", width=6),
            Field("grade", "年级", width=3),
            Field("carer", "监护（照护）人", width=5),
            Field("phone", "联系电话", width=6),
            Field("note", "备注", width=3),
        )),
    ),
    copies_note=school_list_note(""),  # the archive's plan chooses the first point
)

def school_list_title(county: str, term: str) -> str:
    return f"{county}{term}适龄孤儿、事实无人抚养儿童名单"


def recipient_name(county: str) -> str:
    return RECIPIENT.format(county=county)
