"""农村留守儿童和困境儿童档案抽查记录表: the record of one spot-check of a township's files.

Not a form of one child: it lists the sampled files, their findings and a summary, and is
written with the spot-check packet (``tongdang spotcheck``), never per child.
"""

from forms.spec import Field, FormSpec, Section

SPOTCHECK_RECORD = FormSpec("spotcheck_record", "农村留守儿童和困境儿童档案抽查记录表", (
    Section("抽查情况", (
        Field("unit", "被抽查单位", width=3),
        Field("county", "县（市、区）", width=3),
        Field("checked_on", "抽查日期", "date", width=3, not_future=True),
        Field("inspector", "抽查人", width=3),
        Field("method", "抽样方式", width=3),
        Field("record_no", "记录编号", width=3),
        Field("share", "抽查比例", width=2),
        Field("seed", "随机种子", width=2),
        Field("population", "在档儿童数", "number", width=2),
        Field("sampled", "抽查份数", "number", width=3),
        Field("with_problems", "存在问题份数", "number", width=3),
        Field("method_note", "复核说明", width=6),
    )),
    Section("抽查明细", kind="table", key="rows", columns=(
        Field("no", "序号", "number", width=2),
        Field("name", "姓名", width=3),
        Field("id_number", "身份证号", width=9),
        Field("village", "村（社区）", width=3),
        Field("risk", "风险等级", width=3),
        Field("findings", "发现的问题", "multiline", width=11),
        Field("result", "结论", width=3),
    )),
    Section("问题汇总", kind="table", key="summary", columns=(
        Field("kind", "问题类型", width=6),
        Field("count", "档案份数", "number", width=2),
        Field("percent", "占抽查份数", width=2),
    ), blank_rows=4),
    Section("签名", (
        Field("inspector_signature", "抽查人（签名）", width=3),
        Field("inspector_signed_on", "日期", "date", width=3, not_future=True),
        Field("unit_head", "被抽查单位负责人（签名）", width=3),
        Field("unit_signed_on", "日期", "date", width=3, not_future=True),
    ), kind="signatures"),
))
