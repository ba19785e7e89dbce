"""The 工作台's counts without the rules: what the window draws first at start.

``quick_counts`` reads the cached rule columns of ``Child`` with one grouped query (one pass
over the table: ≈25 ms of CPU on 20,000 children); ``models.dashboard.load`` fills the lists
afterwards, in the background. Kept apart from ``models.dashboard`` so that starting the
window does not import the rules engine (≈0.1 s) before the first frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from forms import vocab
from models.schema import Child, database

DUE_SOON_DAYS = 7
AGE_OUT_DAYS = 60
AGREEMENT_DAYS = 30


@dataclass
class Counts:
    on: date
    open_children: int = 0
    by_colour: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    from_cache: bool = True


def open_on(on: date):
    """In the archive on the day: entered by then and not closed."""
    return ((Child.closed_on.is_null() | (Child.closed_on > on))
            & (Child.entered_on.is_null() | (Child.entered_on <= on)))


def state_not_on(on: date):
    """Children whose cached columns are not for ``on``; written as ranges so that SQLite
    answers from the index on ``state_on`` (schema v8) instead of reading 20,000 rows."""
    return Child.state_on.is_null() | (Child.state_on < on) | (Child.state_on > on)


def cache_is_current(on: date) -> bool:
    """True when every child's cached rule columns were computed for ``on``."""
    return not Child.select().where(state_not_on(on)).exists()


def grouped(on: date):
    """Children open on the day, counted by (colour, categories). Grouped categories first:
    SQLite then reads the table straight through instead of walking the index on colour and
    fetching each row from it (half the time at start on 20,000 children, whose rows carry the
    contact-day columns since schema v9); ``quick_counts`` sorts the groups back into
    (colour, categories) order, so the counts come out in the order they always did."""
    return (Child.select(Child.colour, Child.categories, fn.COUNT(Child.id))
            .where(open_on(on)).group_by(Child.categories, Child.colour))


def quick_counts(on: date) -> Counts | None:
    """Children on the day, by colour and by category, from the cached columns; None when
    the cache was not computed for ``on``."""
    if not cache_is_current(on):
        return None
    by_colour = dict.fromkeys(vocab.COLOURS, 0)
    by_category = dict.fromkeys((vocab.LEFT_BEHIND, *vocab.HARDSHIP_CATEGORIES), 0)
    total = 0
    for colour, categories, count in sorted(database.execute(grouped(on))):
        total += count
        if colour:  # "": off the colour lists (single-parent only, 单亲家庭儿童台账)
            by_colour[colour] = by_colour.get(colour, 0) + count
        for word in (categories.split("、") if categories else ()):
            by_category[word] = by_category.get(word, 0) + count
    return Counts(on=on, open_children=total, by_colour=by_colour,
                  by_category={c: n for c, n in by_category.items() if n})
