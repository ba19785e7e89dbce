"""One child's state on one day: everything the rules say, in one place."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from forms import vocab
from models.bulk import collector_paused
from models.facts import ChildFacts
from models.profiles import Profile, Source
from models.rules import completeness as check
from models.rules.age_out import ages_out_on
from models.rules.colour import Criterion, colour
from models.rules.completeness import Problem
from models.rules.dates import add_months, age_on, fmt
from models.rules.duplicates import DuplicateIndex
from models.rules.hardship import hardship_categories
from models.rules.left_behind import left_behind
from models.rules.schedule import contact_due as next_contact_due_from
from models.rules.schedule import (
    frequent_groups,
    last_contacts,
    red_actions,
    visit_interval,
)

ADULT_AGE = 18


@dataclass(slots=True)
class ChildState:
    id_number: str
    name: str
    on: date
    categories: list[str]
    category_codes: list[str]
    category_reasons: dict[str, list[str]]
    single_parent: bool
    colour: str
    colour_manual: bool
    colour_reasons: list[str]
    red_since: date | None
    next_contact_due: date
    next_home_visit_due: date
    overdue: list[str]
    urgent: bool
    ages_out_on: date | None
    closed: bool = False
    entered_on_missing: bool = False
    colour_criteria: tuple[Criterion, ...] = field(default=())
    contact_basis: Source | None = None
    visit_basis: Source | None = None
    frequent_groups: tuple[str, ...] = ()
    guardianship_flag: str = ""  # "absent" / "alone" (suspected: no guardian, see colour.py)
    red_pending: tuple[tuple[str, date], ...] = ()  # red findings not yet reported or referred
    manual_state: str = ""
    manual_expires_on: date | None = None
    # What the completeness rules read: (facts, profile, duplicate index).
    _for_problems: tuple = field(default=(), repr=False, compare=False)
    _problems: list[Problem] | None = field(default=None, repr=False, compare=False)

    @property
    def problems(self) -> list[Problem]:
        """What a spot-check would flag. Worked out when first asked for: the county's tables,
        the lists and the cached colours never ask, and it is two fifths of the rules' time."""
        if self._problems is None:
            self._problems = [] if self.closed else self._work_out_problems()
        return self._problems

    def _work_out_problems(self) -> list[Problem]:
        child, profile, duplicates = self._for_problems
        problems = _problems(child, self.on, profile, self, duplicates)
        if self.entered_on_missing:
            problems.insert(0, Problem("missing_entered_on", "未填写建档日期。"))
        return problems

    @property
    def in_colour_lists(self) -> bool:
        """Counted in the colour lists and the county tables: 留守 or 困境, or flagged as
        possibly without any guardian. A single-parent-only child is kept in its own ledger."""
        return not self.closed and (bool(self.categories) or bool(self.guardianship_flag))

    @property
    def list_colour(self) -> str:
        """The colour as the lists and cached columns show it; "" off the colour lists."""
        return self.colour if self.in_colour_lists else ""

    @property
    def single_parent_only(self) -> bool:
        return self.single_parent and not self.categories

    @property
    def left_behind(self) -> bool:
        return vocab.LEFT_BEHIND in self.categories

    @property
    def in_difficulty(self) -> bool:
        return any(c != vocab.LEFT_BEHIND for c in self.categories)

    def to_json(self) -> dict:
        return {
            "id_number": self.id_number,
            "name": self.name,
            "categories": list(self.category_codes),
            "single_parent": self.single_parent,
            "colour": self.colour,
            "colour_manual": self.colour_manual,
            "next_contact_due": fmt(self.next_contact_due),
            "next_home_visit_due": fmt(self.next_home_visit_due),
            "overdue": list(self.overdue),
            "urgent": self.urgent,
            "ages_out_on": fmt(self.ages_out_on) or None,
            "problems": [p.to_json() for p in self.problems],
        }


def in_archive_scope(state: ChildState) -> bool:
    """The child is 留守, 困境, single-parent or flagged as possibly without a guardian."""
    return bool(state.categories) or state.single_parent or bool(state.guardianship_flag)


def _categories(child: ChildFacts, on: date, profile: Profile):
    hardship = hardship_categories(child, on, profile)
    found = left_behind(child, on, profile)
    reasons = {vocab.LEFT_BEHIND: found.reasons} if found.applies else {}
    reasons.update(hardship)
    return hardship, reasons


def child_state(
    child: ChildFacts, on: date, profile: Profile, duplicates: DuplicateIndex | None = None
) -> ChildState:
    missing_entry = child.entered_on is None
    if missing_entry:  # due at once, coverage counted from today
        child = replace(child, entered_on=on)
    closed = child.closed_on is not None and child.closed_on <= on
    hardship, reasons = _categories(child, on, profile)
    if closed:  # a closed file keeps its paper archive but is in no category any more
        hardship, reasons = [], {}
    categories = list(reasons)
    result = colour(child, on, profile, hardship)
    flag = "" if closed or not result.criteria else next(
        (c.derived for c in result.criteria if c.derived), "")
    last, last_visit = last_contacts(child, on)
    contact_due = next_contact_due_from(child, last, profile)
    groups = tuple(frequent_groups(child, on, profile)) if profile.frequent_visit_groups else ()
    visit_months, visit_basis = visit_interval(profile, result.colour, groups)
    visit_due = child.entered_on if last_visit is None else add_months(last_visit, visit_months)
    single_parent = child.single_parent and not closed and (
        child.birth_date is None or age_on(child.birth_date, on) < ADULT_AGE
    )
    pending = ()
    if result.colour == "red":
        red = [c for c in result.criteria if c.colour == "red"]
        actions = red_actions(child, on, red, result.red_since or child.entered_on)
        pending = tuple((w, since) for w, since, done in actions if not done)
    urgent = not closed and bool(pending)
    # Out of every category (and not in a single-parent ledger, not flagged): off the lists.
    followed = bool(categories) or bool(flag) or (single_parent and profile.single_parent_ledger)
    overdue = [] if closed or not followed else [
        kind for kind, due in (("contact", contact_due), ("home_visit", visit_due)) if due < on
    ]
    return ChildState(
        id_number=child.id_number, name=child.name, on=on,
        categories=categories,
        category_codes=[vocab.CATEGORY_CODES.get(c, "other") for c in categories],
        category_reasons=reasons, single_parent=single_parent,
        colour=result.colour, colour_manual=result.manual, colour_reasons=result.reasons,
        red_since=result.red_since, next_contact_due=contact_due, next_home_visit_due=visit_due,
        overdue=overdue, urgent=urgent, ages_out_on=ages_out_on(child, categories, profile),
        closed=closed, entered_on_missing=missing_entry, colour_criteria=result.criteria,
        contact_basis=profile.sources["contact_months"], visit_basis=visit_basis,
        frequent_groups=groups, guardianship_flag=flag, red_pending=pending,
        manual_state=result.manual_state, manual_expires_on=result.manual_expires_on,
        _for_problems=(child, profile, duplicates),
    )


def child_states(
    children: Iterable[ChildFacts], on: date, profile: Profile, duplicates: DuplicateIndex | None = None
) -> list[ChildState]:
    """``child_state`` for many children (a whole archive) at once."""
    with collector_paused():
        return [child_state(child, on, profile, duplicates) for child in children]


def _problems(child, on, profile, state: ChildState, duplicates) -> list[Problem]:
    problems = check.basic_information(child, on, profile)
    problems += check.guardianship(state.colour_criteria if state.guardianship_flag else (), profile)
    if state.left_behind:
        problems += check.entrustment(child, on, profile)
        problems += check.parents_weekly_contact(child, on, profile)
        problems += check.work_trip_registration(child, profile)
    problems += check.assessment(child, on, state.colour, profile, state.left_behind, state.in_difficulty)
    problems += check.overdue(state.next_contact_due, state.next_home_visit_due, on,
                              state.contact_basis, state.visit_basis) if state.overdue else []
    problems += check.coverage(child, on, profile) if state.overdue or state.categories else []
    problems += check.follow_ups(child, on, profile)
    if state.urgent:
        problems += check.urgent(state.red_since, profile, state.red_pending)
    if child.manual_colour:
        problems += check.manual_colour(child, state, profile)
    if child.carer_follow_ups:
        problems += check.carer_follow_ups(child, on, profile)
    problems += check.duplicates(child, duplicates)
    return problems
