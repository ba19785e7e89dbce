"""Running lists of a child's file: one header and a table, one row per entry (DOMAIN §7)."""

from forms import vocab
from forms.spec import Field, FormSpec, Section


def _header() -> Section:
    return Section("基本情况", (
        Field("child_name", "儿童姓名", required=True, width=2),
        Field("village", "村（社区）", width=2),
        Field("child_director", "儿童主任", width=2),
    ))


def _running_list(key: str, title: str, columns: tuple[Field, ...]) -> FormSpec:
    return FormSpec(key, title, (_header(), Section(title, kind="table", columns=columns, key="rows")))


CARE_RECORDS = _running_list("care_records", "关爱帮扶记录", (
    Field("on", "日期", "date", required=True, width=1, not_future=True),
    Field("kind", "帮扶类型", "choice", vocab.CARE_KINDS, width=1),
    Field("content", "帮扶内容", "multiline", required=True, width=3),
    Field("helper", "帮扶单位或人员", width=1),
    Field("effect", "帮扶成效", width=1),
))

PROBLEMS = _running_list("problems", "发现问题和解决方案", (
    Field("found_on", "发现日期", "date", required=True, width=1, not_future=True),
    Field("problem", "发现的问题", "multiline", required=True, width=2),
    Field("solution", "解决方案", "multiline", width=2),
    Field("responsible", "责任人", width=1),
    Field("solved_on", "解决日期", "date", width=1, not_future=True,
          not_before="found_on"),
))

WORK_LOG = _running_list("work_log", "工作日志", (
    Field("on", "日期", "date", required=True, width=1, not_future=True),
    Field("content", "工作内容", "multiline", required=True, width=3),
    Field("people", "参与人员", width=1),
    Field("note", "备注", width=1),
))

PSYCH_ASSESSMENTS = _running_list("psych_assessments", "心理测评记录", (
    Field("on", "测评日期", "date", required=True, width=1, not_future=True),
    Field("tool", "测评工具或机构", width=2),
    Field("result", "测评结果", "multiline", required=True, width=2),
    Field("follow_up", "后续措施", "multiline", width=2),
))

REPORTS_REFERRALS = _running_list("reports_referrals", "强制报告与转介记录", (
    Field("on", "日期", "date", required=True, width=2, not_future=True),
    Field("kind", "类别", "choice", ("强制报告", "转介"), width=2),
    Field("reporter", "报告人", width=2),
    Field("recipient", "接收部门", width=2),
    Field("matter", "事由", "multiline", width=3),
    Field("outcome", "处理结果", "multiline", width=3),
))
