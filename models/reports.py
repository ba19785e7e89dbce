"""The county's tables filled from the archive as of a date (DOMAIN.md §3, §10).

- ``annex1_form``: 摸排情况数据表, numbers from ``models.statistics.annex1``.
- ``annex2_form``: 排查表, one row per open child in the archive scope, colour in 备注.
- ``risk_list_form``: the red/yellow/blue lists for 团委/妇联/残联, ID numbers masked.
- ``activity_list_form``: 活动名单 for a care activity — no category, colour or ID number.

"As of a date" means: the rules are evaluated on that day, children who entered the
archive later are left out, and files closed on or before it are not counted.
Each builder accepts ``pairs`` (facts and state already computed) so that callers making
several tables, and the benchmark, evaluate the rules once.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from forms import activity_list as al
from forms import county_tables as ct
from forms import vocab
from forms.colours import level_with_colour
from forms.idnumber import mask_id_number
from forms.spec import FilledForm
from models.facts import ChildFacts
from models.rules.colour import RANK
from models.rules.dates import age_on
from models.rules.schedule import last_contacts
from models.rules.state import ChildState
from models.schema import Carer, Child, ChildDirector, Township
from models.state import entered_pairs
from models.statistics import Annex1, annex1

Pair = tuple[ChildFacts, ChildState]


@dataclass
class ReportHeader:
    """What the clerk fills in the header; the unit defaults to the township's name."""

    unit: str = ""
    filler: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ArchiveInfo:
    township: str
    county: str
    profile: str
    is_demo: bool


def archive_info() -> ArchiveInfo:
    t = Township.get()
    return ArchiveInfo(t.name, t.county, t.profile, bool(t.is_demo))


def archive_pairs(on: date) -> list[Pair]:
    """(facts, state) for every child already in the archive on ``on``."""
    return entered_pairs(on)


def screened(pairs: Iterable[Pair]) -> list[Pair]:
    """Open children the county tables count on the day: 留守 or 困境 (or flagged as possibly
    without a guardian). Single-parent-only children are in their own ledger (below)."""
    return [(c, s) for c, s in pairs if s.in_colour_lists]


def single_parent_ledger(pairs: Iterable[Pair]) -> list[Pair]:
    """单亲家庭儿童台账 (普宁 五(五)18; 长治 二(三)9; 乐清 二(三)8): single-parent children who are
    neither 留守 nor 困境."""
    return [(c, s) for c, s in pairs if not s.closed and s.single_parent_only]


def _header_values(header: ReportHeader | None, info: ArchiveInfo, on: date) -> dict:
    header = header or ReportHeader()
    return {"unit": header.unit.strip() or info.township, "filler": header.filler,
            "on": on, "phone": header.phone}


# --- Annex 1 -------------------------------------------------------------------------------

def annex1_rows(table: Annex1) -> list[dict]:
    """The printed lines of Annex 1: each criterion's count, then its "其中…" count."""
    rows: list[dict] = []
    for block in table.blocks:
        # a line break before （红色） so the narrow level column wraps where a reader would
        base = {"level": block.title.replace("（", "\n（", 1), ct.ROW_COLOUR: block.colour}
        for r in block.rows:
            rows.append({**base, "item": f"{r.number}. {r.label}", "count": r.count,
                         ct.ROW_STYLE: ct.ITEM})
            rows.append({**base, "item": r.intervened_label, "count": r.intervened,
                         ct.ROW_STYLE: ct.OF_WHOM})
        rows.append({**base, "item": "人数小计", "count": block.count, ct.ROW_STYLE: ct.SUBTOTAL})
    rows.append({"level": "", "item": "人数合计", "count": table.count, ct.ROW_STYLE: ct.TOTAL})
    return rows


def annex1_form(on: date, header: ReportHeader | None = None,
                pairs: Sequence[Pair] | None = None, info: ArchiveInfo | None = None) -> FilledForm:
    info = info or archive_info()
    pairs = archive_pairs(on) if pairs is None else pairs
    spec = ct.titled(ct.ANNEX1, ct.annex1_title(info.county, on.year))
    return FilledForm(spec, _header_values(header, info, on),
                      {ct.ANNEX1_TABLE: annex1_rows(annex1(pairs))}, demo=info.is_demo)


# --- what Annex 2 and the lists print about one child ----------------------------------------

def category_text(state: ChildState) -> str:
    parts = []
    if state.left_behind:
        parts.append("农村留守儿童")
    hardship = [c for c in state.categories if c != vocab.LEFT_BEHIND]
    if hardship:
        parts.append(f"困境儿童（{vocab.join_multi(hardship)}）")
    if state.single_parent:
        parts.append("单亲家庭儿童")
    return "\n".join(parts)


def parents_text(child: ChildFacts, with_contacts: bool = False) -> str:
    """父亲：外出务工（跨省）, one line per parent; with their names and phones on Annex 2."""
    parts = []
    for relation in vocab.PARENT_RELATIONS:
        member = child.parent(relation)
        if member is None:
            continue
        status = member.status or "未填写"
        if status == "外出务工" and member.distance:
            status += f"（{member.distance}）"
        if with_contacts:
            who = member.name or relation
            phone = f" {member.phone}" if member.phone else ""
            parts.append(f"{relation}：{who}，{status}{phone}")
        else:
            parts.append(f"{relation}：{status}")
    return "\n".join(parts)


def agreement_text(child: ChildFacts, state: ChildState, on: date) -> str:
    """委托照护协议 on Annex 2: the agreement in force on the day, else the latest's status."""
    current = [a for a in child.agreements if a.status == "已签订"
               and (a.starts_on is None or a.starts_on <= on)
               and (a.ends_on is None or a.ends_on >= on)]
    if current:
        a = current[-1]
        return f"已签订（至{a.ends_on:%Y-%m-%d}）" if a.ends_on else "已签订"
    if child.agreements:
        return child.agreements[-1].status
    return "未签订" if state.left_behind else "—"


def health_text(child: ChildFacts) -> str:
    if child.disability_grade or child.disability_category:
        detail = f"{child.disability_category}{child.disability_grade}"
        return f"{child.health or '残疾'}（{detail}）"
    return child.health


@dataclass(frozen=True)
class CarerInfo:
    name: str
    relation: str
    phone: str


def _carers(child_ids: list[int]) -> dict[int, CarerInfo]:
    """The current entrusted carer of each child (the latest when several are current)."""
    out: dict[int, CarerInfo] = {}
    for chunk in _chunks(child_ids):
        query = (Carer.select(Carer.child, Carer.name, Carer.relation, Carer.phone)
                 .where(Carer.current & Carer.child.in_(chunk)).order_by(Carer.id))
        for child_id, name, relation, phone in query.tuples():
            out[child_id] = CarerInfo(name, relation, phone)
    return out


def _directors(child_ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(child_ids):
        query = (Child.select(Child.id, ChildDirector.name)
                 .join(ChildDirector, on=(Child.director == ChildDirector.id))
                 .where(Child.id.in_(chunk)))
        out.update(dict(query.tuples()))
    return out


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _child_id(child: ChildFacts) -> int | None:
    return child.extra.get("child_id")


def carer_text(child: ChildFacts, carer: CarerInfo | None) -> tuple[str, str]:
    """(who cares for the child, a phone to reach them): the entrusted carer, else a parent at home."""
    if carer is not None:
        return (f"{carer.name}（{carer.relation}）" if carer.relation else carer.name), carer.phone
    for member in child.family:
        if member.status == "在家" and member.name:
            return f"{member.name}（{member.relation}）", member.phone
    return "", ""


def last_contact(child: ChildFacts, on: date) -> date | None:
    return last_contacts(child, on)[0]


def _sorted(pairs: Iterable[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda p: (p[0].village, p[0].pinyin, p[0].name))


# --- Annex 2 -------------------------------------------------------------------------------

def annex2_rows(pairs: Sequence[Pair], on: date, mask_ids: bool = False) -> list[dict]:
    chosen = _sorted(screened(pairs))
    ids = [i for i in (_child_id(c) for c, _ in chosen) if i is not None]
    carers, directors = _carers(ids), _directors(ids)
    rows = []
    for no, (child, state) in enumerate(chosen, start=1):
        who, phone = carer_text(child, carers.get(_child_id(child)))
        director = directors.get(_child_id(child), "")
        rows.append({
            "no": no, "village": child.village, "name": child.name, "sex": child.sex,
            "birth_date": child.birth_date, "ethnicity": child.ethnicity,
            "id_number": mask_id_number(child.id_number) if mask_ids else child.id_number,
            "address": child.address,
            "categories": category_text(state), "parents": parents_text(child, True),
            "carer": who, "phone": phone, "agreement": agreement_text(child, state, on),
            "schooling": child.schooling, "health": health_text(child), "director": director,
            # 排查: the latest contact on or before the day (the director screens)
            "last_contact": last_contact(child, on) or child.entered_on,
            "note": level_with_colour(state.colour), ct.ROW_COLOUR: state.colour,
        })
    return rows


def annex2_form(on: date, header: ReportHeader | None = None, pairs: Sequence[Pair] | None = None,
                mask_ids: bool = False, info: ArchiveInfo | None = None) -> FilledForm:
    info = info or archive_info()
    pairs = archive_pairs(on) if pairs is None else pairs
    spec = ct.titled(ct.ANNEX2, ct.annex2_title(info.county))
    return FilledForm(spec, _header_values(header, info, on),
                      {ct.ANNEX2_TABLE: annex2_rows(pairs, on, mask_ids)}, demo=info.is_demo)


# --- red / yellow / blue lists ---------------------------------------------------------------

def criteria_text(state: ChildState) -> str:
    """Why the child has its colour: the manual confirmation and every criterion, worst first."""
    return "\n".join(state.colour_reasons)


def risk_list_rows(pairs: Sequence[Pair], on: date) -> dict[str, list[dict]]:
    """colour -> rows, for red, yellow and blue; ID numbers always masked (DOMAIN §12)."""
    chosen = [(c, s) for c, s in screened(pairs) if s.colour in ct.LIST_COLOURS]
    chosen.sort(key=lambda p: (-RANK[p[1].colour], p[0].village, p[0].pinyin, p[0].name))
    ids = [i for i in (_child_id(c) for c, _ in chosen) if i is not None]
    carers, directors = _carers(ids), _directors(ids)
    out: dict[str, list[dict]] = {colour: [] for colour in ct.LIST_COLOURS}
    for child, state in chosen:
        rows = out[state.colour]
        who, _phone = carer_text(child, carers.get(_child_id(child)))
        rows.append({
            "no": len(rows) + 1, "village": child.village, "name": child.name, "sex": child.sex,
            "id_number": mask_id_number(child.id_number),
            "age": age_on(child.birth_date, on) if child.birth_date else "",
            "categories": category_text(state), "criteria": criteria_text(state),
            "carer": who, "director": directors.get(_child_id(child), ""), "note": "",
            ct.ROW_COLOUR: state.colour,
        })
    return out


def risk_list_form(on: date, recipient: str, header: ReportHeader | None = None,
                   pairs: Sequence[Pair] | None = None,
                   info: ArchiveInfo | None = None) -> FilledForm:
    info = info or archive_info()
    values = _header_values(header, info, on)
    values["recipient"] = ct.recipient_name(recipient, info.county)  # ValueError in Chinese
    pairs = archive_pairs(on) if pairs is None else pairs
    spec = ct.titled(ct.RISK_LIST, ct.risk_list_title(info.county))
    return FilledForm(spec, values, risk_list_rows(pairs, on), demo=info.is_demo)


def colour_counts(pairs: Iterable[Pair]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for _child, state in screened(pairs):
        counts[state.colour] += 1
    return dict(counts)


# --- 活动名单 (no labels, DOMAIN §12) -------------------------------------------------------

@dataclass(frozen=True)
class ActivityFilter:
    """Which open children an activity invites: one village and/or an age range (inclusive)."""

    village: str = ""
    min_age: int | None = None
    max_age: int | None = None

    def check(self) -> None:
        for label, age in (("最小年龄", self.min_age), ("最大年龄", self.max_age)):
            if age is not None and not 0 <= age <= 18:
                raise ValueError(f"{label}应为0到18之间的整数，而不是“{age}”")
        if None not in (self.min_age, self.max_age) and self.min_age > self.max_age:
            raise ValueError(f"最小年龄 {self.min_age} 岁大于最大年龄 {self.max_age} 岁，请检查年龄范围。")

    def admits(self, child: ChildFacts, on: date) -> bool:
        if self.village and child.village != self.village.strip():
            return False
        if self.min_age is None and self.max_age is None:
            return True
        if child.birth_date is None:
            return False
        age = age_on(child.birth_date, on)
        return ((self.min_age is None or age >= self.min_age)
                and (self.max_age is None or age <= self.max_age))


def activity_children(pairs: Sequence[Pair], on: date,
                      chosen: ActivityFilter = ActivityFilter()) -> list[ChildFacts]:
    """Open children in the archive on ``on`` that the filter admits, by village and name."""
    chosen.check()
    return [c for c, _s in _sorted(screened(pairs)) if chosen.admits(c, on)]


def activity_rows(children: Sequence[ChildFacts], on: date) -> list[dict]:
    """What the list prints of each child: nothing that tells why the child is in the archive."""
    carers = _carers([i for i in (_child_id(c) for c in children) if i is not None])
    rows = []
    for no, child in enumerate(children, start=1):
        who, phone = carer_text(child, carers.get(_child_id(child)))
        rows.append({
            "no": no, "name": child.name, "sex": child.sex,
            "age": age_on(child.birth_date, on) if child.birth_date else "",
            "village": child.village, "school": child.school, "grade": child.grade,
            "carer": who, "phone": phone, "note": "",
        })
    return rows


def activity_list_form(on: date, chosen: ActivityFilter = ActivityFilter(),
                       header: ReportHeader | None = None, activity: str = "",
                       pairs: Sequence[Pair] | None = None,
                       info: ArchiveInfo | None = None) -> FilledForm:
    """活动名单 for an activity held on ``on``; ``header.unit`` is the 组织单位 (default the
    township), ``header.filler`` the 联系人. ValueError (in Chinese) for a bad filter."""
    chosen.check()
    info = info or archive_info()
    header = header or ReportHeader()
    pairs = archive_pairs(on) if pairs is None else pairs
    children = activity_children(pairs, on, chosen)
    if chosen.village and not children and not any(
            c.village == chosen.village.strip() for c, _s in pairs):
        raise ValueError(f"档案中没有村（社区）“{chosen.village}”的儿童，请检查名称。")
    values = {"activity": activity.strip(), "on": on,
              "unit": header.unit.strip() or info.township,
              "contact": header.filler, "phone": header.phone}
    spec = ct.titled(al.ACTIVITY_LIST, al.activity_title(info.township))
    return FilledForm(spec, values, {al.TABLE_KEY: activity_rows(children, on)}, demo=info.is_demo)


def villages(pairs: Iterable[Pair]) -> list[str]:
    """The villages of the open children, for a choice of village."""
    return sorted({c.village for c, _s in screened(pairs) if c.village})



BY_TOWNSHIP, SHEETS = "by_township", "sheets"  # ReportRequest.layout


@dataclass(frozen=True)
class ReportRequest:
    """Which county table for which day, and what its header and choices say."""

    kind: str  # stats (附件1) / screening (附件2) / lists (风险名单) / activity (活动名单)
    #            / school (适龄孤儿、事实无人抚养儿童名单 for 教育)
    on: date
    unit: str = ""
    filler: str = ""
    phone: str = ""
    recipient: str = "团委"
    mask_ids: bool = False
    activity: str = ""  # 活动名单: the activity's name and which children
    village: str = ""
    min_age: int | None = None
    max_age: int | None = None
    term: str = ""  # school: "2027春" / "2026秋"; "" for the next term to start after ``on``
    # A county login's choice (``Reports.county_table``): one township by name, or the whole
    # county as one table (BY_TOWNSHIP) or as a book of a table per township (SHEETS).
    township: str = ""
    layout: str = ""
    # The terms' first days ((month, day) of spring, of autumn): the county's settings when a
    # county login makes the list (``Reports.with_county_terms``); None: forms.school_term's.
    term_starts: tuple | None = None

    def school_term(self):
        """The term of a school list (``forms.school_term``); ValueError in Chinese."""
        from forms.school_term import AUTUMN_STARTS, SPRING_STARTS, next_term, parse_term

        spring, autumn = self.term_starts or (SPRING_STARTS, AUTUMN_STARTS)
        if self.term:
            return parse_term(self.term, spring, autumn)
        return next_term(self.on, spring, autumn)


def county_form(request: ReportRequest, pairs: Sequence[Pair]) -> FilledForm:
    """The table ``request`` asks for, filled from ``pairs`` (``archive_pairs(request.on)``)."""
    header = ReportHeader(request.unit, request.filler, request.phone)
    if request.kind == "stats":
        return annex1_form(request.on, header, pairs)
    if request.kind == "screening":
        return annex2_form(request.on, header, pairs, mask_ids=request.mask_ids)
    if request.kind == "activity":
        chosen = ActivityFilter(request.village, request.min_age, request.max_age)
        return activity_list_form(request.on, chosen, header, request.activity, pairs)
    if request.kind == "school":
        from models.school_list import SchoolListHeader, school_list_form

        return school_list_form(request.on, request.school_term(), pairs, archive_info(),
                                SchoolListHeader(request.unit, request.filler, request.phone),
                                request.mask_ids)
    return risk_list_form(request.on, request.recipient, header, pairs)


class Reports:
    """``archive.reports``: the county's tables and lists (附件1/2, 风险名单, 活动名单)."""

    def __init__(self, archive):
        self.archive = archive

    def info(self) -> ArchiveInfo:
        return archive_info()

    def pairs(self, on: date) -> list[Pair]:
        """(facts, state) of every open child on ``on``."""
        return archive_pairs(on)

    def with_county_terms(self, request: ReportRequest) -> ReportRequest:
        """A school list of a county login: the terms' first days from the county's settings
        (the same days its reminders count with); unchanged for anyone else."""
        from dataclasses import replace

        settings = getattr(self.archive, "county_settings", None)
        if request.kind != "school" or request.term_starts or settings is None \
                or not getattr(self.archive, "county_role", ""):
            return request
        from models.server.county_settings import SettingsError

        try:
            values = settings.values()
        except SettingsError:  # no county tables yet: the usual first days
            return request
        return replace(request, term_starts=(values["spring_term_starts"],
                                             values["autumn_term_starts"]))

    def by_township(self, request: ReportRequest) -> FilledForm:
        """A county table township by township (Annex 1 a column each; Annex 2 and the lists
        every township's children in turn): a county login on the county database;
        ``ValueError`` with a Chinese message otherwise."""
        if not hasattr(self.archive, "county_role"):
            raise ValueError("按乡镇汇总的县级表格只能从县级数据库导出（--server，县级用户）。")
        from models.server.county_tables import by_township

        return by_township(self.archive, self.with_county_terms(request))

    def county_table(self, request: ReportRequest):
        """The table as a county login chose it: ``request.township`` alone, else the county
        by township (``request.layout``: BY_TOWNSHIP or SHEETS), else this archive's."""
        if request.township:
            if not hasattr(self.archive, "county_role"):
                raise ValueError("选择乡镇只适用于县级用户登录县级数据库。")
            from models.server.county_tables import one_township

            return one_township(self.archive, self.with_county_terms(request))
        if request.layout == SHEETS:
            return self.township_sheets(request)
        if request.layout == BY_TOWNSHIP:
            return self.by_township(request)
        return self.form(request)

    def township_sheets(self, request: ReportRequest):
        """A county table as a book: each township's own table and a 汇总
        (``forms.county_tables.TableBook``); a county login on the county database."""
        if not hasattr(self.archive, "county_role"):
            raise ValueError("按乡镇分表的县级表格只能从县级数据库导出（--server，县级用户）。")
        from models.server.county_tables import township_sheets

        return township_sheets(self.archive, self.with_county_terms(request))

    def form(self, request: ReportRequest, pairs: Sequence[Pair] | None = None) -> FilledForm:
        """The county table ``request`` asks for (``pairs``: from ``pairs(request.on)``)."""
        request = self.with_county_terms(request)
        return county_form(request, archive_pairs(request.on) if pairs is None else pairs)

    # -- one child's papers by ID number (``tongdang export dossier|form --child``) --------
    def child_dossier(self, id_number: str, compiler: str = ""):
        """The whole file of one child (``models.dossier.build_dossier``); ``ChildNotFound``."""
        from models.dossier import build_dossier

        return build_dossier(id_number, compiler=compiler)

    def child_form(self, id_number: str | None, spec, blank: bool = False) -> FilledForm:
        """One paper form of one child, or the blank form (``models.fill.fill_form``)."""
        from models.fill import fill_form

        return fill_form(id_number, spec, blank=blank)
