"""One child's whole file (卷): the parts in the order of ``forms.dossier.PART_ORDER``,
with the volume's archive number, keeper, span and notes (一人一档, DOMAIN §7).

``build_dossier`` loads the child's records (``models.child_records``) and fills each part's
forms (``models.fill``).
"""

from __future__ import annotations

from datetime import date

from forms import vocab
from forms.colours import risk_level
from forms.dossier import Dossier, DossierPart
from models.child_records import ChildRecords, load_child
from models.fill import (
    assessment,
    basic_info,
    care_records,
    contact_log,
    entrustment,
    home_visits,
    problems,
    psych_assessments,
    reports_referrals,
    visit_record,
    work_log,
    work_trip,
)
from models.schema import Child

TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "镇", "乡")


def township_abbreviation(name: str) -> str:
    name = name.strip()
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def archive_number(township: str, entered_on: date | None, child_id: int) -> str:
    """档号: township abbreviation, year the file was opened, the child's number (stable)."""
    year = entered_on.year if entered_on else "0000"
    return f"{township_abbreviation(township)}-{year}-{child_id:06d}"


def keeper_of(township: str) -> str:
    name = township.strip()
    if name.endswith(("街道", "办事处")):
        return f"{name.removesuffix('办事处')}办事处（民政办）"
    return f"{name}人民政府（民政办）"


def _span(dates: list[date]) -> date | str | None:
    if not dates:
        return None
    first, last = min(dates), max(dates)
    return first if first == last else f"{first:%Y%m%d}—{last:%Y%m%d}"


def _office(r: ChildRecords) -> str:
    return f"{r.township.name}民政办"


def _makers(names, fallback: str, limit: int = 3) -> str:
    """责任者: the people or offices who made a record, in order, without repeats."""
    seen: list[str] = []
    for name in names:
        name = (name or "").strip()
        if name and name not in seen:
            seen.append(name)
    if not seen:
        return fallback
    return "、".join(seen[:limit]) + ("等" if len(seen) > limit else "")


def _committee(village: str) -> str:
    if not village:
        return "村（居）民委员会"
    return f"{village}居民委员会" if village.endswith("社区") else f"{village}村民委员会"


def _document_parts(r: ChildRecords) -> list[DossierPart]:
    """One 卷内目录 entry per document: each visit, agreement, assessment, registration.

    责任者 is whoever made the record: the visitor, the assessor, the parties of an
    agreement, the people who wrote a running list, the office for the basic sheet."""
    director = r.director or "儿童主任"
    parts = [DossierPart("儿童基本信息表", _office(r), date=r.child.entered_on,
                         forms=basic_info(r))]
    for c, filled in zip(home_visits(r), visit_record(r), strict=True):
        parts.append(DossierPart("走访记录（入户走访）", c.visitor or director, date=c.on,
                                 forms=[filled]))
    others = [c for c in r.contacts if c.kind != vocab.HOME_VISIT]
    if others:
        parts.append(DossierPart("走访记录（电话、视频等联系）",
                                 _makers((c.visitor for c in others), director),
                                 date=_span([c.on for c in others]), forms=contact_log(r, others),
                                 note=f"{len(others)}次"))
    if not r.contacts:
        parts.append(DossierPart("走访记录", director, note="无"))
    lists = (("工作日志", work_log, [w.on for w in r.work_log],
              _makers((w.author for w in r.work_log), _office(r))),
             ("关爱帮扶记录", care_records, [x.on for x in r.care_records],
              _makers((x.provider for x in r.care_records), director)),
             ("发现问题和解决方案", problems, [p.found_on for p in r.problems], director))
    for title, filler, dates, maker in lists:
        parts.append(DossierPart(title, maker, date=_span(dates),
                                 forms=filler(r) if dates else [], note="" if dates else "无"))
    for a, filled in zip(r.agreements, entrustment(r), strict=True):
        v = filled.values
        parties = _makers((v.get("entrustor_name"), v.get("entrustor2_name"),
                           v.get("carer_name")), director)
        parts.append(DossierPart(f"委托照护协议（{a.status}）", parties,
                                 date=a.signed_on or a.starts_on, forms=[filled]))
    if not r.agreements and r.state.left_behind:
        parts.append(DossierPart("委托照护协议", note="未签订"))
    for a, filled in zip(r.assessments, assessment(r), strict=True):
        parts.append(DossierPart(f"家庭监护能力评估（{a.level}）", a.assessor or director, date=a.on,
                                 forms=[filled]))
    for t, filled in zip(r.work_trips, work_trip(r), strict=True):
        parts.append(DossierPart("外出务工备案",
                                 _makers((filled.values.get("worker_name"),
                                          _committee(r.village)), _committee(r.village)),
                                 date=t.registered_on, forms=[filled]))
    if r.psych:
        parts.append(DossierPart("心理测评记录", _makers((p.assessor for p in r.psych), director),
                                 date=_span([p.on for p in r.psych]), forms=psych_assessments(r)))
    dates = [m.on for m in r.reports] + [x.on for x in r.referrals]
    if dates:
        parts.append(DossierPart("强制报告与转介记录",
                                 _makers([m.reporter for m in r.reports], director),
                                 date=_span(dates), forms=reports_referrals(r)))
    return parts


def _notes(r: ChildRecords, on: date) -> str:
    c = r.child
    status = (f"已于{c.closed_on.year}年{c.closed_on.month}月{c.closed_on.day}日结案"
              f"（{c.closed_reason}），档案保留。" if c.closed_on else "在档。")
    categories = "、".join(r.state.categories) or "无"
    return (f"儿童{c.name}，身份证号{c.id_number}，{r.village}。档案状态：{status}"
            f"儿童类别：{categories}；风险等级：{risk_level(r.state.colour)}。"
            f"本卷由电子档案于{on.year}年{on.month}月{on.day}日导出打印。")


def build_dossier(child: Child | str, on: date | None = None, compiler: str = "") -> Dossier:
    """The whole file of one child, parts in the order of ``forms.dossier.PART_ORDER``."""
    on = on or date.today()
    r = child if isinstance(child, ChildRecords) else load_child(child, on)
    c = r.child
    dossier = Dossier(
        archive_no=archive_number(r.township.name, c.entered_on, c.id), name=c.name,
        village=r.village, township=r.township.name, created_on=c.entered_on,
        keeper=keeper_of(r.township.name), parts=_document_parts(r), notes=_notes(r, on),
        compiler=compiler, compiled_on=on, demo=r.demo,
    )
    dossier.parts = dossier.ordered_parts()
    return dossier
