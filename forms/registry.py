"""Every printable form, keyed by the Chinese name used on the command line.

``tongdang export form 委托照护协议书`` looks the name up here. ``FORMS`` holds the forms of
one child's file (each can be filled for any child, or printed blank); ``FORMS_BY_KEY`` holds
every form defined in ``forms``, including those that are not about one child.
"""

from forms.assessment import ASSESSMENT
from forms.basic_info import BASIC_INFO
from forms.contact_log import CONTACT_LOG
from forms.entrustment import ENTRUSTMENT
from forms.running_lists import (
    CARE_RECORDS,
    PROBLEMS,
    PSYCH_ASSESSMENTS,
    REPORTS_REFERRALS,
    WORK_LOG,
)
from forms.spec import FormSpec
from forms.spotcheck_record import SPOTCHECK_RECORD
from forms.visit_record import VISIT_RECORD
from forms.work_trip import WORK_TRIP

FORMS: dict[str, FormSpec] = {
    "儿童基本信息表": BASIC_INFO,
    "委托照护协议书": ENTRUSTMENT,
    "家庭监护能力评估表": ASSESSMENT,
    "入户走访记录表": VISIT_RECORD,
    "联系记录": CONTACT_LOG,
    "外出务工备案表": WORK_TRIP,
    "关爱帮扶记录": CARE_RECORDS,
    "发现问题和解决方案": PROBLEMS,
    "工作日志": WORK_LOG,
    "心理测评记录": PSYCH_ASSESSMENTS,
    "强制报告与转介记录": REPORTS_REFERRALS,
}

# Forms that are not about one child, so not exported with ``export form 表名 --child``: the
# 抽查记录表 lists a whole spot-check and is written with the packet (``tongdang spotcheck``).
OTHER_FORMS: dict[str, FormSpec] = {
    "抽查记录表": SPOTCHECK_RECORD,
}

FORMS_BY_KEY: dict[str, FormSpec] = {
    spec.key: spec for spec in (*FORMS.values(), *OTHER_FORMS.values())}

_CHILD_FORM_KEYS = {spec.key for spec in FORMS.values()}
_WHERE_ELSE = {SPOTCHECK_RECORD.key: "请用 tongdang spotcheck --sample 10% --out 文件夹 生成抽查材料，"
                                     "其中包含抽查记录表。"}


def form_by_name(name: str) -> FormSpec:
    """A form of one child's file by Chinese name or key; KeyError with a Chinese message."""
    name = name.strip()
    if name in FORMS:
        return FORMS[name]
    if name in _CHILD_FORM_KEYS:
        return FORMS_BY_KEY[name]
    other = OTHER_FORMS.get(name) or FORMS_BY_KEY.get(name)
    if other is not None:
        raise KeyError(f"“{name}”不是单个儿童的表格，不能按儿童导出。{_WHERE_ELSE.get(other.key, '')}")
    raise KeyError(f"没有名为“{name}”的表格。可用的表格：{'、'.join(FORMS)}")
