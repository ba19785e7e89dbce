"""One child's file (``archive.child_file(child_id)``): the facts its header shows, closing and
reopening the file, removing a mistyped record, the history in words and the filled forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models import history
from models.child_query import household_siblings
from models.rules.completeness import referral_suggestions
from models.rules.dates import age_on
from models.schema import Child


@dataclass(frozen=True)
class ChildFacts:
    """What a page shows of a child without the whole file (names as the ``Child`` columns)."""

    id: int
    name: str
    sex: str
    birth_date: date | None
    village: str  # the village's name
    colour: str
    closed_on: date | None
    closed_reason: str
    next_contact_due: date | None
    next_home_visit_due: date | None

    @classmethod
    def of(cls, child: Child) -> ChildFacts:
        return cls(child.id, child.name, child.sex, child.birth_date,
                   child.village.name if child.village_id else "", child.colour, child.closed_on,
                   child.closed_reason, child.next_contact_due, child.next_home_visit_due)


@dataclass(frozen=True)
class HeaderFacts:
    """The header of the child's file on a day, beside what the rules say (the child's state)."""

    child: ChildFacts
    age: int | None  # 周岁 on the day; None without a birth date
    siblings: list[str]  # the other children of the household (一户一档)
    referrals: list[str]  # 建议转介: where each current finding goes


class ChildFile:
    """The file of one child of the archive."""

    def __init__(self, archive, child_id: int):
        self.archive, self.child_id = archive, child_id

    @property
    def child(self) -> Child:
        """The child's row (for the editor of the basic information: child_values, save_child)."""
        return Child.get_by_id(self.child_id)

    def facts(self) -> ChildFacts:
        return ChildFacts.of(self.child)

    def header(self, on: date, state) -> HeaderFacts:
        """The header's facts on ``on``; ``state`` is the child's state then (or None)."""
        child = self.child
        routes = referral_suggestions(state.colour_criteria) if state and not state.closed else []
        return HeaderFacts(ChildFacts.of(child),
                           age_on(child.birth_date, on) if child.birth_date else None,
                           household_siblings(child), [note for _w, _d, note in routes])

    # -- writing ---------------------------------------------------------------------------
    def close(self, on: date, reason: str) -> None:
        """结案: the file stays, closed on ``on`` for ``reason``."""
        self.archive.writer().close_child(self.child, on, reason)

    def reopen(self, reason: str) -> None:
        self.archive.writer().reopen_child(self.child, reason)

    def delete_record(self, record, reason: str) -> None:
        """Remove a mistyped record of the file; its content and the reason stay in the audit
        trail."""
        self.archive.writer().delete(record, reason)

    # -- reading ---------------------------------------------------------------------------
    def history(self, tables: history.Tables | None = None) -> list[history.HistoryLine]:
        """Every change to the file, newest first, in the words of ``tables`` (by default
        those of the record kinds)."""
        return history.history_lines(self.child_id, tables)

    def filled_form(self, form: str, blank: bool = False, on: date | None = None):
        return filled_form(self.child_id, form, blank, on)

    def dossier(self, on: date | None = None):
        return dossier(self.child_id, on)


def filled_form(child_id: int | None, form: str, blank: bool = False, on: date | None = None):
    """A form filled from a child's file (or prefilled, or blank) as it is printed."""
    from models.fill import fill_form

    return fill_form(Child.get_by_id(child_id) if child_id else None, form, blank=blank, on=on)


def dossier(child_id: int, on: date | None = None):
    """A child's whole file as it is printed."""
    from models.dossier import build_dossier

    return build_dossier(Child.get_by_id(child_id), on=on)
