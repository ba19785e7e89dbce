"""入户走访记录表 (DOMAIN §4, §7.1), incl. the weekly parent contact check (Art. 23)."""

from forms import vocab
from forms.spec import Field, FormSpec, Section

BASE = Section("基本情况", (
    Field("child_name", "儿童姓名", required=True, width=3),
    Field("village", "村（社区）", width=3),
    Field("visited_on", "走访日期", "date", required=True, width=3, not_future=True),
    Field("kind", "走访方式", "choice", vocab.CONTACT_KINDS, required=True, width=3),
    Field("visitor", "走访人", required=True, width=3),
    Field("met", "在家人员（见到的人）", width=3),
    Field("parents_contacted_past_week", "父母近一周是否与儿童联系", "bool", width=6),
))

SITUATION = Section("儿童情况", (
    Field("living", "生活情况", "multiline", lines=2),
    Field("safety", "安全情况", "multiline", lines=2),
    Field("schooling", "就学情况", "multiline", lines=2),
    Field("health", "身体健康情况", "multiline", lines=2),
    Field("psychology", "心理状况", "multiline", lines=2),
))

GUARDIANSHIP = Section("家庭监护情况", (
    Field("guardianship", "家庭监护情况", "multiline", lines=2),
    Field("carer_fulfils", "受委托照护人是否履行照护职责", "bool", width=6),
))

FINDINGS = Section("发现问题及处理", (
    Field("problems", "发现的问题", "multiline", lines=3),
    Field("actions", "采取的措施", "multiline", lines=3),
    Field("referrals", "需转介部门", "multichoice", vocab.REFERRAL_DEPARTMENTS, width=6),
    Field("follow_up", "需跟进事项", "multiline", lines=2),
))

SIGNATURES = Section("签名", (
    Field("carer_signature", "监护人或照护人（签名）", width=3),
    Field("visitor_signature", "走访人（签名）", width=3),
    Field("review", "儿童督导员审核意见", width=6),
    Field("reviewer", "儿童督导员（签名）", width=3),
    Field("reviewed_on", "审核日期", "date", width=3, not_future=True),
), kind="signatures")

VISIT_RECORD = FormSpec(
    "visit_record", "入户走访记录表", (BASE, SITUATION, GUARDIANSHIP, FINDINGS, SIGNATURES),
)
