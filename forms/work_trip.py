"""外出务工备案表 (香格里拉, DOMAIN §5): parents register a work trip before leaving."""

from forms import vocab
from forms.spec import Field, FormSpec, Section

WORKER = Section("外出务工人员", (
    Field("worker_name", "姓名", required=True, width=3),
    Field("worker_relation", "与儿童关系", "choice", vocab.FAMILY_RELATIONS, required=True, width=3),
    Field("worker_id_number", "身份证号", "id_number", width=3),
    Field("worker_phone", "联系电话", "phone", required=True, width=3),
    Field("workplace", "务工地点（省、市、县）", required=True, width=6),
    Field("employer", "工作单位", width=3),
    Field("distance", "外出范围", "choice", vocab.DISTANCES, width=3),
    Field("left_on", "外出日期", "date", required=True, width=3),
    Field("return_on", "预计返回日期", "date", width=3, not_before="left_on"),
    Field("other_parent", "另一方父母姓名及状况", width=6),
))

CHILD = Section("留守儿童", (
    Field("child_name", "儿童姓名", required=True, width=2),
    Field("child_sex", "性别", "choice", vocab.SEXES, width=1),
    Field("child_id_number", "身份证号", "id_number", width=3),
    Field("child_school", "就读学校及年级", width=6),
))

CARE = Section("委托照护情况", (
    Field("carer_name", "受委托照护人", required=True, width=3),
    Field("carer_relation", "与儿童关系", width=3),
    Field("carer_phone", "联系电话", "phone", width=3),
    Field("agreement_signed", "是否签订委托照护协议", "bool", width=3),
    Field("carer_address", "住址", width=6),
))

NOTICE = Section("告知情况", (
    Field("told_village", "已告知村（居）民委员会", "bool", width=3),
    Field("told_village_on", "告知日期", "date", width=3),
    Field("told_school", "已告知儿童就读学校", "bool", width=3),
    Field("told_school_on", "告知日期", "date", width=3),
), text=(("父母双方外出务工前，应将务工地点、联系方式和委托照护等基本信息主动告知村（居）民委员会"
         "和未成年子女就读学校。"),))

SIGNATURES = Section("签名", (
    Field("worker_signature", "外出务工人员（签名）", width=3),
    Field("worker_signed_on", "日期", "date", width=3, not_future=True),
    Field("registrar", "村（居）委会经办人（盖章）", width=3),
    Field("registered_on", "备案日期", "date", width=3, not_future=True),
), kind="signatures")

WORK_TRIP = FormSpec(
    "work_trip", "外出务工备案表", (WORKER, CHILD, CARE, NOTICE, SIGNATURES),
    copies_note="本表一式三份，外出务工人员、村（居）民委员会、儿童就读学校各存一份。",
)
