"""Every printable form, keyed by the Chinese name used on the command line.

``tongdang export form 委托照护协议书`` looks the name up here.
"""

from forms.assessment import ASSESSMENT
from forms.basic_info import BASIC_INFO
from forms.entrustment import ENTRUSTMENT
from forms.running_lists import (
    CARE_RECORDS,
    PROBLEMS,
    PSYCH_ASSESSMENTS,
    REPORTS_REFERRALS,
    WORK_LOG,
)
from forms.spec import FormSpec
from forms.visit_record import VISIT_RECORD
from forms.work_trip import WORK_TRIP

FORMS: dict[str, FormSpec] = {
    "儿童基本信息表": BASIC_INFO,
    "委托照护协议书": ENTRUSTMENT,
    "家庭监护能力评估表": ASSESSMENT,
    "入户走访记录表": VISIT_RECORD,
    "外出务工备案表": WORK_TRIP,
    "关爱帮扶记录": CARE_RECORDS,
    "发现问题和解决方案": PROBLEMS,
    "工作日志": WORK_LOG,
    "心理测评记录": PSYCH_ASSESSMENTS,
    "强制报告与转介记录": REPORTS_REFERRALS,
}

FORMS_BY_KEY: dict[str, FormSpec] = {spec.key: spec for spec in FORMS.values()}


def form_by_name(name: str) -> FormSpec:
    """The form for a command-line name; KeyError with a Chinese message listing the names."""
    name = name.strip()
    if name in FORMS:
        return FORMS[name]
    if name in FORMS_BY_KEY:
        return FORMS_BY_KEY[name]
    raise KeyError(f"没有名为“{name}”的表格。可用的表格：{'、'.join(FORMS)}")
