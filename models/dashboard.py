"""The 工作台: what needs doing in the township, as of one day (DOMAIN.md §3, §4, §5, §9).

Plain data, no Qt. Every item carries the ids of the children concerned so that the window can
open them. For the day the cached rule columns on ``Child`` were computed for (normally today)
the numbers come from those columns in SQL; for any other day every child's state is evaluated
with the rules (``models.rules.child_state``), which gives the same numbers, only slower.
A few items (ageing out, entrustment agreements) always use the rules, on the few children
they can concern.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from peewee import JOIN

from forms import vocab
from models.dashboard_counts import (  # noqa: F401 - cache_is_current is part of this API
    AGE_OUT_DAYS,
    AGREEMENT_DAYS,
    DUE_SOON_DAYS,
    cache_is_current,
    quick_counts,
)
from models.dashboard_counts import open_on as _open_on
from models.facts import AgreementFacts, CarerFacts, ChildFacts
from models.profiles import Profile, get_profile
from models.rules import ages_out_on
from models.rules import completeness as check
from models.rules.dates import add_years, fmt
from models.rules.left_behind import LEFT_BEHIND_AGE
from models.schema import (
    Carer,
    Child,
    ChildDirector,
    DirectorVillage,
    EntrustmentAgreement,
    GuidanceSession,
    ScreeningRound,
    Township,
    Training,
    Village,
    database,
)
from models.state import pairs

VILLAGE_CHILDREN_LIMIT = 30  # over this many 留守 and 困境 children: more than one 儿童主任
SCREENING_ROUNDS_PER_YEAR = 2
GUIDANCE_SESSIONS_PER_YEAR = 1
_CHUNK = 900


class Cancelled(Exception):
    """The caller's is_cancelled() said stop."""


@dataclass(slots=True)
class ChildItem:
    child_id: int
    name: str
    village: str
    detail: str  # why the child is listed, in Chinese
    day: date | None = None


@dataclass(frozen=True)
class OverdueGroup:
    """Overdue children sharing a village or a 儿童主任."""

    name: str
    contact_ids: tuple[int, ...]
    home_visit_ids: tuple[int, ...]

    @property
    def child_ids(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.contact_ids) | set(self.home_visit_ids)))


@dataclass(frozen=True)
class VillageNeed:
    village: str
    children: int  # 留守 and 困境 children in the archive on the day
    directors: int  # 儿童主任 serving the village on the day
    needed: int
    child_ids: tuple[int, ...]


@dataclass(frozen=True)
class DirectorItem:
    director_id: int
    name: str
    villages: str
    child_ids: tuple[int, ...]


@dataclass(frozen=True)
class Progress:
    done: int
    required: int
    dates: tuple[date, ...] = ()
    label: str = ""  # what is counted and what the number rests on (plan clause or 本地做法)

    @property
    def met(self) -> bool:
        return self.done >= self.required


@dataclass
class Dashboard:
    on: date
    from_cache: bool
    open_children: int = 0
    by_colour: dict[str, int] = field(default_factory=dict)
    colour_ids: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    category_ids: dict[str, tuple[int, ...]] = field(default_factory=dict)
    urgent: list[ChildItem] = field(default_factory=list)
    overdue_contact: list[ChildItem] = field(default_factory=list)
    overdue_home_visit: list[ChildItem] = field(default_factory=list)
    overdue_by_village: list[OverdueGroup] = field(default_factory=list)
    overdue_by_director: list[OverdueGroup] = field(default_factory=list)
    due_soon: list[ChildItem] = field(default_factory=list)
    ageing_out: list[ChildItem] = field(default_factory=list)
    agreements_expiring: list[ChildItem] = field(default_factory=list)
    agreements_missing: list[ChildItem] = field(default_factory=list)
    villages_needing_director: list[VillageNeed] = field(default_factory=list)
    screening: Progress = field(default_factory=lambda: Progress(0, SCREENING_ROUNDS_PER_YEAR))
    guidance: Progress = field(default_factory=lambda: Progress(0, GUIDANCE_SESSIONS_PER_YEAR))
    untrained_directors: list[DirectorItem] = field(default_factory=list)
    active_directors: int = 0  # 儿童主任 serving on the day

    @property
    def overdue_ids(self) -> tuple[int, ...]:
        ids = {i.child_id for i in self.overdue_contact} | {i.child_id for i in self.overdue_home_visit}
        return tuple(sorted(ids))


@dataclass(slots=True)
class _Row:
    """One open child's state on the day, as the dashboard needs it. Dates are ISO strings:
    they compare like dates, and 20,000 rows need not be converted."""

    id: int
    name: str
    village_id: int | None
    director_id: int | None
    colour: str
    categories: tuple[str, ...]
    contact_due: str | None
    visit_due: str | None
    urgent: bool
    birth: str | None
    support_ended: str | None


ProgressCallback = Callable[[int, int], None]


def load(on: date | None = None, progress: ProgressCallback | None = None,
         is_cancelled: Callable[[], bool] | None = None) -> Dashboard:
    """Everything the 工作台 shows for day ``on`` (default today)."""
    on = on or date.today()
    from models.local_practice import archive_profile

    profile = archive_profile()
    rows, from_cache = _rows_from_cache(on)
    if not from_cache:
        rows = _rows_from_rules(rows, on, profile, progress, is_cancelled)
    villages = {v.id: v.name for v in Village.select(Village.id, Village.name)}
    directors = {d.id: d.name for d in ChildDirector.select(ChildDirector.id, ChildDirector.name)}
    board = Dashboard(on=on, from_cache=from_cache, open_children=len(rows))
    _counts(board, rows)
    _schedule(board, rows, villages, directors, on)
    board.ageing_out = _ageing_out(rows, villages, on, profile)
    board.agreements_missing, board.agreements_expiring = _agreements(rows, villages, on)
    board.villages_needing_director = _villages_needing_director(rows, villages, on)
    board.screening, board.guidance = _township_progress(on, profile)
    board.untrained_directors = _untrained_directors(rows, villages, on)
    board.active_directors = ChildDirector.select().where(_active_directors(on)).count()
    return board


# -- where the children's state comes from ----------------------------------------------------

def _iso(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _rows_from_cache(on: date) -> tuple[list[_Row], bool]:
    """The open children from the cached columns, and whether those were computed for ``on``.
    Read through a raw cursor: peewee's per-value conversion would cost more than the rest."""
    query = (Child.select(Child.id, Child.name, Child.village, Child.director, Child.colour,
                          Child.categories, Child.next_contact_due, Child.next_home_visit_due,
                          Child.urgent, Child.birth_date, Child.support_ended_on, Child.state_on)
             .where(_open_on(on)).order_by(Child.id))
    day = on.isoformat()
    rows, current = [], True
    for (i, name, village, director, colour, cats, contact, visit, urgent, birth, ended,
         state_on) in database.execute(query):
        current = current and _iso(state_on) == day
        rows.append(_Row(i, name, village, director, colour, tuple(cats.split("、")) if cats else (),
                         _iso(contact), _iso(visit), bool(urgent), _iso(birth), _iso(ended)))
    return rows, current


def _rows_from_rules(cached: list[_Row], on, profile, progress, is_cancelled) -> list[_Row]:
    by_id = {r.id: r for r in cached}
    ids = list(by_id)
    rows = []
    for start in range(0, len(ids), _CHUNK):
        if is_cancelled and is_cancelled():
            raise Cancelled()
        for child, state in pairs(on, ids[start:start + _CHUNK], profile=profile):
            row = by_id[child.extra["child_id"]]
            rows.append(replace(row, colour=state.list_colour, categories=tuple(state.categories),
                                contact_due=_iso(state.next_contact_due),
                                visit_due=_iso(state.next_home_visit_due), urgent=state.urgent))
        if progress:
            progress(min(start + _CHUNK, len(ids)), len(ids))
    return rows


# -- the items --------------------------------------------------------------------------------

def _counts(board: Dashboard, rows: list[_Row]) -> None:
    by_colour: dict[str, list[int]] = {c: [] for c in vocab.COLOURS}
    by_category: dict[str, list[int]] = {c: [] for c in (vocab.LEFT_BEHIND, *vocab.HARDSHIP_CATEGORIES)}
    for r in rows:
        if r.colour:  # "" : off the colour lists (e.g. single-parent only, 单亲家庭儿童台账)
            by_colour.setdefault(r.colour, []).append(r.id)
        for word in r.categories:
            by_category.setdefault(word, []).append(r.id)
    board.colour_ids = {c: tuple(ids) for c, ids in by_colour.items()}
    board.by_colour = {c: len(ids) for c, ids in by_colour.items()}
    board.category_ids = {c: tuple(ids) for c, ids in by_category.items() if ids}
    board.by_category = {c: len(ids) for c, ids in by_category.items() if ids}


def _item(r: _Row, villages, detail: str, day: date | None = None) -> ChildItem:
    return ChildItem(r.id, r.name, villages.get(r.village_id, ""), detail, day)


def _schedule(board: Dashboard, rows, villages, directors, on: date) -> None:
    today, soon = on.isoformat(), (on + timedelta(days=DUE_SOON_DAYS)).isoformat()
    by_village = defaultdict(lambda: ([], []))
    by_director = defaultdict(lambda: ([], []))
    for r in rows:
        if r.urgent:
            board.urgent.append(_item(r, villages, "红色高风险（含疑似监护缺失），尚未强制报告或向对口部门转介，须即时介入"))
        contact_late = r.contact_due is not None and r.contact_due < today
        visit_late = r.visit_due is not None and r.visit_due < today
        if contact_late:
            board.overdue_contact.append(
                _item(r, villages, f"联系逾期（最迟应于{r.contact_due}）", _day(r.contact_due)))
        if visit_late:
            board.overdue_home_visit.append(
                _item(r, villages, f"入户走访逾期（最迟应于{r.visit_due}）", _day(r.visit_due)))
        if contact_late or visit_late:
            for groups, key in ((by_village, villages.get(r.village_id, "未填写村（社区）")),
                                (by_director, directors.get(r.director_id, "未指定儿童主任"))):
                if contact_late:
                    groups[key][0].append(r.id)
                if visit_late:
                    groups[key][1].append(r.id)
        due = [(what, d) for what, d in (("联系", r.contact_due), ("入户走访", r.visit_due))
               if d is not None and today <= d <= soon]
        if due:
            detail = "，".join(f"{what}应于{d}" for what, d in due)
            board.due_soon.append(_item(r, villages, detail, _day(min(d for _w, d in due))))
    board.overdue_contact.sort(key=lambda i: (i.day, i.child_id))
    board.overdue_home_visit.sort(key=lambda i: (i.day, i.child_id))
    board.due_soon.sort(key=lambda i: (i.day, i.child_id))
    board.overdue_by_village = _groups(by_village)
    board.overdue_by_director = _groups(by_director)


def _groups(groups) -> list[OverdueGroup]:
    out = [OverdueGroup(name, tuple(c), tuple(v)) for name, (c, v) in groups.items()]
    return sorted(out, key=lambda g: (-len(g.child_ids), g.name))


def _stub(birth_date: date, **facts) -> ChildFacts:
    """A stand-in child carrying only what one rule looks at (the rest is never read)."""
    return ChildFacts(id_number="", name="", birth_date=birth_date, sex="", registration="",
                      village="", entered_on=birth_date, **facts)


def _ageing_out(rows, villages, on: date, profile: Profile) -> list[ChildItem]:
    """Children whose every category ends within the window (age limits, 过渡期). Only those
    with a 16th or upper-age birthday in the window, or whose support ended, can qualify."""
    end = on + timedelta(days=AGE_OUT_DAYS)
    windows = [((add_years(on, -age) - timedelta(days=1)).isoformat(),
                (add_years(end, -age) + timedelta(days=1)).isoformat())
               for age in {LEFT_BEHIND_AGE, profile.hardship_age_range[1]}]
    out = []
    for r in rows:
        if not r.categories or r.birth is None:
            continue
        if r.support_ended is None and not any(lo <= r.birth <= hi for lo, hi in windows):
            continue
        child = _stub(_day(r.birth), support_ended_on=_day(r.support_ended))
        leaves = ages_out_on(child, r.categories, profile)
        if leaves is not None and on < leaves <= end:
            words = "、".join(r.categories)
            out.append(_item(r, villages, f"{fmt(leaves)}起不再属于{words}", leaves))
    return sorted(out, key=lambda i: (i.day, i.child_id))


def _agreement_facts(on: date, after: date) -> tuple[dict[int, list[AgreementFacts]], set[int]]:
    """The agreements of each child, except children with one signed agreement, with an
    eligible carer, valid from ``on`` through ``after``: the entrustment rule can only find
    those in order, so their agreements are not converted (most of the archive)."""
    query = (EntrustmentAgreement
             .select(EntrustmentAgreement.child, EntrustmentAgreement.status,
                     EntrustmentAgreement.signed_on, EntrustmentAgreement.starts_on,
                     EntrustmentAgreement.ends_on, Carer.name, Carer.exclusions)
             .join(Carer, JOIN.LEFT_OUTER, on=(EntrustmentAgreement.carer == Carer.id)))
    first, last = on.isoformat(), after.isoformat()
    rows = [(child, status, _iso(signed), _iso(starts), _iso(ends), carer, exclusions)
            for child, status, signed, starts, ends, carer, exclusions in database.execute(query)]
    covered = {child for child, status, _s, starts, ends, _c, exclusions in rows
               if status == "已签订" and (starts is None or starts <= first)
               and (ends is None or ends >= last) and not exclusions}
    out: dict[int, list[AgreementFacts]] = defaultdict(list)
    for child, status, signed, starts, ends, carer, exclusions in rows:
        if child in covered:
            continue
        carer_facts = None if carer is None else CarerFacts(
            name=carer, exclusions=tuple(vocab.split_multi(exclusions)))
        out[child].append(AgreementFacts(status, _day(signed), _day(starts), _day(ends), carer_facts))
    return out, covered


class _Agreements:
    """What the entrustment rule reads of a child: its agreements only."""

    __slots__ = ("agreements",)

    def __init__(self, agreements):
        self.agreements = agreements


def _agreements(rows, villages, on: date) -> tuple[list[ChildItem], list[ChildItem]]:
    """Left-behind children without a valid agreement (the completeness rule), and those
    whose cover ends within the next 30 days with nothing signed to follow it."""
    after = on + timedelta(days=AGREEMENT_DAYS + 1)
    by_child, covered = _agreement_facts(on, after)
    missing, expiring = [], []
    for r in rows:
        if vocab.LEFT_BEHIND not in r.categories or r.id in covered:
            continue
        agreements = tuple(by_child.get(r.id, ()))
        child = _Agreements(agreements)
        problems = check.entrustment(child, on)
        if problems:
            missing.append(_item(r, villages, problems[0].message))
            continue
        if check.entrustment(child, after):
            ends = max((a.ends_on for a in agreements if a.ends_on and a.ends_on >= on
                        and a.status == "已签订"), default=None)
            expiring.append(_item(r, villages, f"委托照护协议将于{fmt(ends)}到期", ends))
    expiring.sort(key=lambda i: (i.day or on, i.child_id))
    return missing, expiring


def _active_directors(on: date):
    return ((ChildDirector.started_on.is_null() | (ChildDirector.started_on <= on))
            & (ChildDirector.ended_on.is_null() | (ChildDirector.ended_on > on)))


def _villages_needing_director(rows, villages, on: date) -> list[VillageNeed]:
    children = defaultdict(list)
    for r in rows:
        if r.categories and r.village_id is not None:
            children[r.village_id].append(r.id)
    serving = defaultdict(int)
    query = (DirectorVillage.select(DirectorVillage.village)
             .join(ChildDirector).where(_active_directors(on)).tuples())
    for (village,) in query:
        serving[village] += 1
    out = []
    for village_id, ids in children.items():
        needed = 2 if len(ids) > VILLAGE_CHILDREN_LIMIT else 1
        if serving[village_id] < needed:
            out.append(VillageNeed(villages.get(village_id, ""), len(ids), serving[village_id],
                                   needed, tuple(ids)))
    return sorted(out, key=lambda v: (v.directors, -v.children, v.village))


def _progress_label(what: str, count: int, source) -> str:
    from models.profiles import basis_text

    if not count:
        return f"{what}（方案未规定次数，不检查）"
    tag = basis_text(source) if source.file else "本地做法"
    return f"{what}（每年至少{count}次，{tag}）"


def _township_progress(on: date, profile: Profile | None = None) -> tuple[Progress, Progress]:
    if profile is None:
        profile = get_profile(Township.get().profile)
    screenings, screening_basis = profile.screenings_required()
    guidance, guidance_basis = profile.guidance_required()
    first = date(on.year, 1, 1)
    rounds = [d for (d,) in ScreeningRound.select(ScreeningRound.started_on)
              .where(ScreeningRound.started_on.between(first, on))
              .order_by(ScreeningRound.started_on).tuples()]
    sessions = [d for (d,) in GuidanceSession.select(GuidanceSession.on)
                .where(GuidanceSession.on.between(first, on))
                .order_by(GuidanceSession.on).tuples()]
    return (Progress(len(rounds), screenings, tuple(rounds),
                     _progress_label("全面摸底排查", screenings, screening_basis)),
            Progress(len(sessions), guidance, tuple(sessions),
                     _progress_label("家庭教育指导", guidance, guidance_basis)))


def _untrained_directors(rows, villages, on: date) -> list[DirectorItem]:
    first = date(on.year, 1, 1)
    trained = {d for (d,) in Training.select(Training.director)
               .where(Training.on.between(first, on)).tuples()}
    served = defaultdict(list)
    for director, village in DirectorVillage.select(DirectorVillage.director,
                                                    DirectorVillage.village).tuples():
        served[director].append(villages.get(village, ""))
    children = defaultdict(list)
    for r in rows:
        if r.director_id is not None:
            children[r.director_id].append(r.id)
    out = []
    for director_id, name in (ChildDirector.select(ChildDirector.id, ChildDirector.name)
                              .where(_active_directors(on)).order_by(ChildDirector.id).tuples()):
        if director_id not in trained:
            out.append(DirectorItem(director_id, name, "、".join(sorted(served[director_id])),
                                    tuple(children[director_id])))
    return out


class DashboardFacet:
    """``archive.dashboard``: what the 工作台 shows for a day."""

    def __init__(self, archive):
        self.archive = archive

    def load(self, on: date | None = None, progress: ProgressCallback | None = None,
             is_cancelled: Callable[[], bool] | None = None) -> Dashboard:
        return load(on, progress, is_cancelled)
