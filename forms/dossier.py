"""One child's file (一人一档, DOMAIN §7) as a snapshot for the dossier renderers.

Archive conventions after GB/T 9705—2008: a cover, the 卷内目录, the documents, the 卷内备考表.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.spec import FilledForm

# The five parts the plans name come first, in their order; then what the plans add.
PART_ORDER = (
    "儿童基本信息",
    "走访记录",
    "工作日志",
    "关爱帮扶记录",
    "发现问题和解决方案",
    "委托照护协议",
    "家庭监护能力评估",
    "外出务工备案",
    "心理测评",
    "强制报告与转介",
)

# Which form keys belong to which part (for callers grouping filled forms).
PART_FORMS = {
    "儿童基本信息": ("basic_info",),
    "走访记录": ("visit_record",),
    "工作日志": ("work_log",),
    "关爱帮扶记录": ("care_records",),
    "发现问题和解决方案": ("problems",),
    "委托照护协议": ("entrustment",),
    "家庭监护能力评估": ("assessment",),
    "外出务工备案": ("work_trip",),
    "心理测评": ("psych_assessments",),
    "强制报告与转介": ("reports_referrals",),
}

RETENTION_PERIODS = ("永久", "30年", "10年")


@dataclass
class DossierPart:
    """One entry of the 卷内目录: a document (or a run of records) with its forms."""

    title: str  # 题名
    responsible: str = ""  # 责任者
    doc_no: str = ""  # 文号
    date: date | str | None = None  # 日期 (a date, or a span such as "2024.01—2025.12")
    forms: list[FilledForm] = field(default_factory=list)
    note: str = ""  # 备注


@dataclass
class Dossier:
    archive_no: str  # 档号
    name: str  # 儿童姓名
    village: str = ""  # 村（社区）
    township: str = ""  # 乡镇（街道）
    created_on: date | None = None  # 建档日期
    keeper: str = ""  # 保管单位
    retention: str = "永久"  # 保管期限
    parts: list[DossierPart] = field(default_factory=list)
    notes: str = ""  # 本卷情况说明
    compiler: str = ""  # 立卷人
    checker: str = ""  # 检查人
    compiled_on: date | None = None  # 立卷时间
    demo: bool = False

    @property
    def title(self) -> str:
        return f"{self.name}一人一档"

    def ordered_parts(self) -> list[DossierPart]:
        """Parts in the file's order; unknown titles keep their place after the known ones."""
        def rank(indexed):
            index, part = indexed
            for i, name in enumerate(PART_ORDER):
                if part.title.startswith(name):
                    return (i, index)
            return (len(PART_ORDER), index)

        return [part for _, part in sorted(enumerate(self.parts), key=rank)]
