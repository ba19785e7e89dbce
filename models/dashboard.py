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
from dataclasses import dataclass, field
from datetime import date, timedelta

from peewee import JOIN

from forms import vocab
from models.facts import AgreementFacts, CarerFacts, ChildFacts
from models.profiles import Profile, get_profile
from models.rules import child_state
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
)
from models.snapshot import load_facts

DUE_SOON_DAYS = 7
AGE_OUT_DAYS = 60
AGREEMENT_DAYS = 30
VILLAGE_CHILDREN_LIMIT = 30  # over this many 留守 and 困境 children: more than one 儿童主任
SCREENING_ROUNDS_PER_YEAR = 2
GUIDANCE_SESSIONS_PER_YEAR = 1
_CHUNK = 900


class Cancelled(Exception):
    """The caller's is_cancelled() said stop."""


@dataclass(frozen=True)
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

    @property
    def overdue_ids(self) -> tuple[int, ...]:
        ids = {i.child_id for i in self.overdue_contact} | {i.child_id for i in self.overdue_home_visit}
        return tuple(sorted(ids))


@dataclass(frozen=True)
class _Row:
    """One open child's state on the day, as the dashboard needs it."""

    id: int
    name: str
    village_id: int | None
    director_id: int | None
    colour: str
    categories: tuple[str, ...]
    contact_due: date | None
    visit_due: date | None
    urgent: bool


ProgressCallback = Callable[[int, int], None]


def cache_is_current(on: date) -> bool:
    """True when every child's cached rule columns were computed for ``on``."""
    return not Child.select().where(Child.state_on.is_null() | (Child.state_on != on)).exists()


def load(on: date | None = None, progress: ProgressCallback | None = None,
         is_cancelled: Callable[[], bool] | None = None) -> Dashboard:
    """Everything the 工作台 shows for day ``on`` (default today)."""
    on = on or date.today()
    profile = get_profile(Township.get().profile)
    from_cache = cache_is_current(on)
    if from_cache:
        rows, facts = _rows_from_cache(on), None
    else:
        rows, facts = _rows_from_rules(on, profile, progress, is_cancelled)
    villages = {v.id: v.name for v in Village.select(Village.id, Village.name)}
    directors = {d.id: d.name for d in ChildDirector.select(ChildDirector.id, ChildDirector.name)}
    board = Dashboard(on=on, from_cache=from_cache, open_children=len(rows))
    _counts(board, rows)
    _schedule(board, rows, villages, directors, on)
    board.ageing_out = _ageing_out(rows, villages, on, profile, facts)
    board.agreements_missing, board.agreements_expiring = _agreements(rows, villages, on, facts)
    board.villages_needing_director = _villages_needing_director(rows, villages, on)
    board.screening, board.guidance = _township_progress(on)
    board.untrained_directors = _untrained_directors(rows, villages, on)
    return board


# -- where the children's state comes from ----------------------------------------------------

def _open_on(on: date):
    return Child.closed_on.is_null() | (Child.closed_on > on)


def _rows_from_cache(on: date) -> list[_Row]:
    query = (Child.select(Child.id, Child.name, Child.village, Child.director, Child.colour,
                          Child.categories, Child.next_contact_due, Child.next_home_visit_due,
                          Child.urgent)
             .where(_open_on(on)).order_by(Child.id).tuples())
    return [_Row(i, name, village, director, colour, tuple(vocab.split_multi(cats)), contact,
                 visit, bool(urgent))
            for i, name, village, director, colour, cats, contact, visit, urgent in query.iterator()]


def _rows_from_rules(on, profile, progress, is_cancelled):
    ids = [i for (i,) in Child.select(Child.id).where(_open_on(on)).tuples()]
    placement = {i: (v, d) for i, v, d in
                 Child.select(Child.id, Child.village, Child.director).where(_open_on(on)).tuples()}
    rows, facts = [], {}
    for start in range(0, len(ids), _CHUNK):
        if is_cancelled and is_cancelled():
            raise Cancelled()
        for child in load_facts(ids[start:start + _CHUNK]):
            state = child_state(child, on, profile)
            child_id = child.extra["child_id"]
            facts[child_id] = child
            village, director = placement[child_id]
            rows.append(_Row(child_id, child.name, village, director, state.colour,
                             tuple(state.categories), state.next_contact_due,
                             state.next_home_visit_due, state.urgent))
        if progress:
            progress(min(start + _CHUNK, len(ids)), len(ids))
    return rows, facts


def _facts_for(ids, facts: dict | None) -> list[ChildFacts]:
    if facts is not None:
        return [facts[i] for i in sorted(ids) if i in facts]
    return load_facts(ids)


# -- the items --------------------------------------------------------------------------------

def _counts(board: Dashboard, rows: list[_Row]) -> None:
    by_colour: dict[str, list[int]] = {c: [] for c in vocab.COLOURS}
    by_category: dict[str, list[int]] = {c: [] for c in (vocab.LEFT_BEHIND, *vocab.HARDSHIP_CATEGORIES)}
    for r in rows:
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
    soon = on + timedelta(days=DUE_SOON_DAYS)
    by_village = defaultdict(lambda: ([], []))
    by_director = defaultdict(lambda: ([], []))
    for r in rows:
        if r.urgent:
            board.urgent.append(_item(r, villages, "红色高风险，尚未记录干预措施，须即时介入"))
        contact_late = r.contact_due is not None and r.contact_due < on
        visit_late = r.visit_due is not None and r.visit_due < on
        if contact_late:
            board.overdue_contact.append(
                _item(r, villages, f"联系逾期（最迟应于{fmt(r.contact_due)}）", r.contact_due))
        if visit_late:
            board.overdue_home_visit.append(
                _item(r, villages, f"入户走访逾期（最迟应于{fmt(r.visit_due)}）", r.visit_due))
        for groups, key in ((by_village, villages.get(r.village_id, "未填写村（社区）")),
                            (by_director, directors.get(r.director_id, "未指定儿童主任"))):
            if contact_late:
                groups[key][0].append(r.id)
            if visit_late:
                groups[key][1].append(r.id)
        due = [(what, d) for what, d in (("联系", r.contact_due), ("入户走访", r.visit_due))
               if d is not None and on <= d <= soon]
        if due:
            detail = "，".join(f"{what}应于{fmt(d)}" for what, d in due)
            board.due_soon.append(_item(r, villages, detail, min(d for _w, d in due)))
    board.overdue_contact.sort(key=lambda i: (i.day, i.child_id))
    board.overdue_home_visit.sort(key=lambda i: (i.day, i.child_id))
    board.due_soon.sort(key=lambda i: (i.day, i.child_id))
    board.overdue_by_village = _groups(by_village)
    board.overdue_by_director = _groups(by_director)


def _groups(groups) -> list[OverdueGroup]:
    out = [OverdueGroup(name, tuple(c), tuple(v)) for name, (c, v) in groups.items()]
    return sorted(out, key=lambda g: (-len(g.child_ids), g.name))


def _age_out_candidates(rows, on: date, profile: Profile) -> set[int]:
    """Children who can possibly leave every category within the window: a 16th or
    upper-age birthday inside it, or basic living support ended (过渡期)."""
    in_category = {r.id for r in rows if r.categories}
    if not in_category:
        return set()
    end = on + timedelta(days=AGE_OUT_DAYS)
    windows = None
    for age in {LEFT_BEHIND_AGE, profile.hardship_age_range[1]}:
        cond = Child.birth_date.between(add_years(on, -age) - timedelta(days=1),
                                        add_years(end, -age) + timedelta(days=1))
        windows = cond if windows is None else windows | cond
    query = Child.select(Child.id).where(_open_on(on) & (windows | Child.support_ended_on.is_null(False)))
    return {i for (i,) in query.tuples()} & in_category


def _ageing_out(rows, villages, on: date, profile: Profile, facts) -> list[ChildItem]:
    by_id = {r.id: r for r in rows}
    end = on + timedelta(days=AGE_OUT_DAYS)
    out = []
    for child in _facts_for(_age_out_candidates(rows, on, profile), facts):
        state = child_state(child, on, profile)
        if state.ages_out_on is not None and on < state.ages_out_on <= end:
            r = by_id[child.extra["child_id"]]
            words = "、".join(state.categories)
            out.append(_item(r, villages, f"{fmt(state.ages_out_on)}起不再属于{words}",
                             state.ages_out_on))
    return sorted(out, key=lambda i: (i.day, i.child_id))


def _agreement_facts(child_ids: list[int]) -> dict[int, list[AgreementFacts]]:
    out: dict[int, list[AgreementFacts]] = defaultdict(list)
    for start in range(0, len(child_ids), _CHUNK):
        chunk = child_ids[start:start + _CHUNK]
        query = (EntrustmentAgreement
                 .select(EntrustmentAgreement.child, EntrustmentAgreement.status,
                         EntrustmentAgreement.signed_on, EntrustmentAgreement.starts_on,
                         EntrustmentAgreement.ends_on, Carer.name, Carer.exclusions)
                 .join(Carer, JOIN.LEFT_OUTER, on=(EntrustmentAgreement.carer == Carer.id))
                 .where(EntrustmentAgreement.child.in_(chunk)).tuples())
        for child, status, signed, starts, ends, carer, exclusions in query:
            carer_facts = None if carer is None else CarerFacts(
                name=carer, exclusions=tuple(vocab.split_multi(exclusions)))
            out[child].append(AgreementFacts(status, signed, starts, ends, carer_facts))
    return out


def _agreements_only(agreements, on: date) -> ChildFacts:
    """A stand-in child for the entrustment rule, which looks only at the agreements."""
    return ChildFacts(id_number="", name="", birth_date=on, sex="", registration="", village="",
                      entered_on=on, agreements=tuple(agreements))


def _agreements(rows, villages, on: date, facts) -> tuple[list[ChildItem], list[ChildItem]]:
    """Left-behind children without a valid agreement, and those whose cover ends within
    the next 30 days with nothing signed to follow it."""
    left_behind = [r for r in rows if vocab.LEFT_BEHIND in r.categories]
    if facts is not None:
        by_child = {r.id: list(facts[r.id].agreements) for r in left_behind}
    else:
        by_child = _agreement_facts([r.id for r in left_behind])
    after = on + timedelta(days=AGREEMENT_DAYS + 1)
    missing, expiring = [], []
    for r in left_behind:
        agreements = by_child.get(r.id, [])
        problems = check.entrustment(_agreements_only(agreements, on), on)
        if problems:
            missing.append(_item(r, villages, problems[0].message))
            continue
        if check.entrustment(_agreements_only(agreements, after), after):
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


def _township_progress(on: date) -> tuple[Progress, Progress]:
    first = date(on.year, 1, 1)
    rounds = [d for (d,) in ScreeningRound.select(ScreeningRound.started_on)
              .where(ScreeningRound.started_on.between(first, on))
              .order_by(ScreeningRound.started_on).tuples()]
    sessions = [d for (d,) in GuidanceSession.select(GuidanceSession.on)
                .where(GuidanceSession.on.between(first, on))
                .order_by(GuidanceSession.on).tuples()]
    return (Progress(len(rounds), SCREENING_ROUNDS_PER_YEAR, tuple(rounds)),
            Progress(len(sessions), GUIDANCE_SESSIONS_PER_YEAR, tuple(sessions)))


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
