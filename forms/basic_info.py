"""儿童基本信息表, after the 2016 national screening form (DOMAIN §7.1)."""

from forms import checks, vocab
from forms.colours import risk_level
from forms.spec import Field, FormSpec, Section

CHILD = Section("一、儿童基本情况", (
    Field("name", "姓名", required=True, width=2),
    Field("sex", "性别", "choice", vocab.SEXES, required=True, width=2),
    Field("ethnicity", "民族", "choice", vocab.ETHNICITIES, width=2),
    Field("birth_date", "出生日期", "date", required=True, width=3, not_future=True),
    Field("id_number", "身份证号", "id_number", required=True, width=3),
    Field("registered", "是否登记户籍", "bool", width=3),
    Field("registration_type", "户籍类型", "choice", vocab.REGISTRATION_TYPES, width=3),
    Field("township", "乡镇（街道）", width=3),
    Field("village", "村（社区）", required=True, width=3),
    Field("registered_address", "户籍地址", width=6),
    Field("current_address", "现居住地址", width=6),
    Field("health", "健康状况", "choice", vocab.HEALTH_STATUSES, width=3),
    Field("illness", "所患疾病", width=3),
    Field("disability_category", "残疾类别", "choice", vocab.DISABILITY_CATEGORIES, width=3),
    Field("disability_grade", "残疾等级", "choice", vocab.DISABILITY_GRADES, width=3),
    Field("schooling", "就学状况", "choice", vocab.SCHOOLING_STATUSES, width=6),
    Field("school", "就读学校及年级", width=4),
    Field("boarding", "是否寄宿", "bool", width=2),
    Field("categories", "儿童类别", "multichoice",
          (vocab.LEFT_BEHIND,) + vocab.HARDSHIP_CATEGORIES, width=6),
    Field("single_parent", "是否单亲家庭", "bool", width=3),
    Field("risk_level", "风险等级", "choice",
          tuple(risk_level(c) for c in vocab.COLOURS),
          width=3),
))

GRANDPARENTS = Section("二、祖父母（外祖父母）情况", tuple(
    f
    for key, label in (("grandfather", "祖父"), ("grandmother", "祖母"),
                       ("maternal_grandfather", "外祖父"), ("maternal_grandmother", "外祖母"))
    for f in (Field(f"{key}_name", f"{label}姓名", width=3),
              Field(f"{key}_birth_date", f"{label}出生日期", "date", width=3, not_future=True))
))


def _parent(key: str, label: str) -> tuple[Field, ...]:
    return (
        Field(f"{key}_name", f"{label}姓名", width=3),
        Field(f"{key}_birth_date", "出生日期", "date", width=3, not_future=True),
        Field(f"{key}_id_number", "身份证号", "id_number", width=3),
        Field(f"{key}_status", "状况", "choice", vocab.PERSON_STATUSES, width=3),
        Field(f"{key}_workplace", "务工地点", width=3,
              only_when=(f"{key}_status", checks.WORKS_AWAY)),
        Field(f"{key}_phone", "联系电话", "phone", width=3),
        Field(f"{key}_away_since", "外出时间", "date", width=3, not_future=True,
              only_when=(f"{key}_status", checks.WORKS_AWAY)),
        Field(f"{key}_distance", "外出范围", "choice", vocab.DISTANCES, width=3,
              only_when=(f"{key}_status", checks.WORKS_AWAY)),
    )


PARENTS = Section("三、父母情况", _parent("father", "父亲") + _parent("mother", "母亲"))

GUARDIANSHIP = Section("四、实际监护情况", (
    Field("both_parents_away", "父母是否均外出务工", "bool", width=3),
    Field("one_away_other_incapable", "是否一方外出、另一方无监护能力", "bool", width=3),
    Field("carer_name", "受委托照护人", width=3),
    Field("carer_relation", "与儿童关系", width=3),
    Field("carer_id_number", "照护人身份证号", "id_number", width=3),
    Field("carer_phone", "照护人电话", "phone", width=3),
    Field("carer_address", "照护人住址", width=6),
    Field("guardianship_type", "监护类型", "choice", vocab.GUARDIANSHIP_TYPES, width=6),
))

ECONOMY = Section("五、家庭经济及救助情况", (
    Field("income_sources", "家庭收入来源", "multiline", lines=2),
    Field("assistance", "享受救助情况", "multichoice", vocab.ASSISTANCE_KINDS, width=6),
    Field("assistance_note", "救助情况说明", width=6),
))

CONFIRM = Section("六、填报与确认", (
    Field("filler", "填表人", width=3),
    Field("filled_on", "填表日期", "date", width=3, not_future=True),
    Field("reviewer", "审核人", width=3),
    Field("unit_head", "单位负责人", width=3),
    Field("confirmer", "父母或受委托照护人确认（签名）", width=3),
    Field("confirmed_on", "确认日期", "date", width=3, not_future=True),
), text=("以上信息经儿童父母或受委托照护人核实，确认无误。",), kind="signatures")

BASIC_INFO = FormSpec(
    "basic_info",
    "儿童基本信息表",
    (CHILD, GRANDPARENTS, PARENTS, GUARDIANSHIP, ECONOMY, CONFIRM),
    subtitle="（农村留守儿童和困境儿童一人一档）",
)
