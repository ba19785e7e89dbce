"""What the rules need from a child's contact history, in two small arrays (issue 19).

The rules ask four things of the contacts (``models/rules/schedule.py``): the latest contact on
or before a day, the latest home visit on or before a day with its answer to "did the parents
contact the child in the past week", whether there was a contact between two days, and in
which calendar months there were contacts. For any day, past or present, these answers follow
from

* ``days``: every day with a contact (home visits included), in order, each once;
* ``visits``: every day with a home visit, in order, each once, with the answer of that day's
  first recorded visit (the one the rules read).

Both are kept on each child's row (``models.summaries``), updated in the same transaction as
every write of a contact, so that the whole-archive views read one row per child instead of
every contact. A day is its proleptic ordinal; a visit is ``ordinal * 4 + answer`` (0: not
asked, 1: no, 2: yes). Stored as little-endian 32-bit integers. No database here.
"""

import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date

from forms import vocab
from models.facts import ContactFacts

_ANSWER = {None: 0, False: 1, True: 2}
_FROM_CODE = (None, False, True)
_BIG_ENDIAN = sys.byteorder == "big"
EMPTY = b""


def _pack(values: array) -> bytes:
    if _BIG_ENDIAN:
        values = array("i", values)
        values.byteswap()
    return values.tobytes()


def _unpack(blob: bytes | None) -> array:
    values = array("i")
    if blob:
        values.frombytes(bytes(blob))
        if _BIG_ENDIAN:
            values.byteswap()
    return values


class ContactSummary:
    """Answers the rules' questions about one child's contacts for any day."""

    __slots__ = ("days", "visits")

    def __init__(self, days: array, visits: array):
        self.days, self.visits = days, visits

    # -- building and storing -----------------------------------------------------------
    @classmethod
    def of(cls, contacts: Iterable[tuple]) -> "ContactSummary":
        """From (day, kind, parents_contacted_past_week) in date order, same-day contacts in the
        order recorded (``ContactFacts`` are such tuples)."""
        days, visits = array("i"), array("i")
        for on, kind, answer, *_ in contacts:
            day = on.toordinal()
            if not days or days[-1] != day:
                days.append(day)
            if kind == vocab.HOME_VISIT and (not visits or visits[-1] >> 2 != day):
                visits.append(day * 4 + _ANSWER[answer])
        return cls(days, visits)

    @classmethod
    def from_stored(cls, days: bytes | None, visits: bytes | None) -> "ContactSummary":
        return cls(_unpack(days), _unpack(visits))

    def stored(self) -> tuple[bytes, bytes]:
        return _pack(self.days), _pack(self.visits)

    # -- the rules' questions -----------------------------------------------------------
    def last_contact(self, on: date) -> date | None:
        end = bisect_right(self.days, on.toordinal())
        return date.fromordinal(self.days[end - 1]) if end else None

    def last_home_visit(self, on: date) -> ContactFacts | None:
        end = bisect_right(self.visits, on.toordinal() * 4 + 3)
        if not end:
            return None
        code = self.visits[end - 1]
        return ContactFacts(date.fromordinal(code >> 2), vocab.HOME_VISIT, _FROM_CODE[code & 3])

    def contacted_between(self, since: date, on: date) -> bool:
        first = bisect_left(self.days, since.toordinal())
        return first < len(self.days) and self.days[first] <= on.toordinal()

    def contact_days(self, since: date, before: date) -> list[date]:
        """The days with a contact from ``since`` up to the day before ``before``."""
        days = self.days
        start, end = bisect_left(days, since.toordinal()), bisect_left(days, before.toordinal())
        return [date.fromordinal(d) for d in days[start:end]]

    def __eq__(self, other) -> bool:
        return isinstance(other, ContactSummary) and (self.days, self.visits) == (other.days, other.visits)

    def __repr__(self) -> str:
        return f"ContactSummary({len(self.days)} days, {len(self.visits)} visit days)"
