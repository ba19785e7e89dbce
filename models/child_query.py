"""Finding children for lists: filtering and sorting done in SQL, with bound parameters.

The children list holds only the ids a query returns and fetches rows page by page, so
20,000 children stay instant. Filters read the cached rule columns of ``Child`` (colour,
categories, due dates, urgent), kept current by ``models.derived``.

One search box: Chinese text matches the name; letters match pinyin initials (zs → 张三) or
the full pinyin (zhangsan, zhangs), by every reading of the name (zengjie, cengjie, zj → 曾杰); digits (and a final X) match anywhere in the ID number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import peewee as pw

from forms import vocab
from forms.idnumber import normalise_id_number
from models.schema import Child, Village, database

PAGE_SIZE = 200
_LETTERS = re.compile(r"^[a-z]+$")
_ID_DIGITS = re.compile(r"^\d+[x]?$|^x$")

COLOUR_ORDER = {c: i for i, c in enumerate(vocab.COLOURS)}  # red first

# Sortable columns of the list, by key.
SORT_KEYS = ("colour", "name", "village", "categories", "next_contact_due",
             "next_home_visit_due", "status", "id_number", "age")

STATUS_CLOSED, STATUS_URGENT, STATUS_OVERDUE, STATUS_OPEN = "已结案", "紧急", "逾期", "在档"


@dataclass
class ChildQuery:
    text: str = ""
    village: str | int | None = None  # a village name or id
    colour: str | None = None  # red / yellow / blue / green (or 红色 …)
    category: str | None = None  # one word of the categories (留守, 孤儿, 低保 …)
    overdue_only: bool = False
    urgent_only: bool = False
    include_closed: bool = False
    child_ids: tuple[int, ...] | None = None
    on: date | None = None  # "today" for overdue
    sort: str = "colour"
    descending: bool = False

    @classmethod
    def from_filter(cls, child_filter, on: date | None = None, sort: str = "colour",
                    descending: bool = False) -> ChildQuery:
        """From a ``desktop.context.ChildFilter`` (or anything with the same attributes)."""
        return cls(
            text=child_filter.text, village=child_filter.village, colour=child_filter.colour,
            category=child_filter.category, overdue_only=child_filter.overdue_only,
            urgent_only=child_filter.urgent_only, include_closed=child_filter.include_closed,
            child_ids=child_filter.child_ids, on=on, sort=sort, descending=descending,
        )

    # -- SQL -------------------------------------------------------------------------
    def conditions(self) -> list[pw.Expression]:
        on = self.on or date.today()
        where: list[pw.Expression] = []
        if not self.include_closed:
            where.append(Child.closed_on.is_null())
        text_condition = search_condition(self.text)
        if text_condition is not None:
            where.append(text_condition)
        if self.village not in (None, ""):
            if isinstance(self.village, int):
                where.append(Child.village == self.village)
            else:
                where.append(Child.village.in_(
                    Village.select(Village.id).where(Village.name == self.village)))
        if self.colour:
            where.append(Child.colour == vocab.COLOUR_BY_NAME.get(self.colour, self.colour))
        if self.category:
            where.append(has_category(self.category))
        if self.overdue_only:
            where.append(Child.closed_on.is_null()
                         & ((Child.next_contact_due < on) | (Child.next_home_visit_due < on)))
        if self.urgent_only:
            where.append(Child.urgent == True)
        if self.child_ids is not None:
            where.append(Child.id.in_(list(self.child_ids)))
        return where

    def select(self, *fields) -> pw.ModelSelect:
        query = Child.select(*(fields or (Child.id,)))
        needs_village = self.sort == "village"
        if needs_village:
            query = query.join(Village, pw.JOIN.LEFT_OUTER, on=(Child.village == Village.id))
        for condition in self.conditions():
            query = query.where(condition)
        return query

    def order(self) -> list:
        on = self.on or date.today()
        key = self.sort if self.sort in SORT_KEYS else "colour"
        if key == "colour":
            expr = pw.Case(Child.colour, [(c, i) for c, i in COLOUR_ORDER.items()], 9)
        elif key == "name":
            expr = Child.pinyin
        elif key == "village":
            expr = Village.name
        elif key == "categories":
            expr = Child.categories
        elif key == "next_contact_due":
            expr = Child.next_contact_due
        elif key == "next_home_visit_due":
            expr = Child.next_home_visit_due
        elif key == "id_number":
            expr = Child.id_number
        elif key == "age":
            expr = Child.birth_date
            descending = not self.descending  # older children are born earlier
            return [expr.desc() if descending else expr.asc(), Child.id]
        else:  # status: closed last, urgent first, then overdue
            expr = pw.Case(None, [
                (Child.closed_on.is_null(False), 3),
                (Child.urgent == True, 0),
                ((Child.next_contact_due < on) | (Child.next_home_visit_due < on), 1),
            ], 2)
        ordered = expr.desc() if self.descending else expr.asc()
        secondary = [Child.next_contact_due.asc(), Child.pinyin] if key == "colour" else []
        return [ordered, *secondary, Child.id]

    def count(self) -> int:
        return self.select().count()

    def ids(self) -> list[int]:
        # peewee builds the SQL with bound parameters; the cursor is read directly because
        # turning 20,000 rows into peewee tuples costs more than the query itself.
        sql, params = self.select(Child.id).order_by(*self.order()).sql()
        return [row[0] for row in database.execute_sql(sql, params).fetchall()]


def search_condition(text: str) -> pw.Expression | None:
    text = (text or "").strip().lower().replace(" ", "")
    if not text:
        return None
    number = normalise_id_number(text)  # full-width digits typed by a Chinese input method
    if _ID_DIGITS.match(number.lower()):
        return Child.id_number.contains(number)
    if _LETTERS.match(text):
        # Any reading of the name, full or initials (曾杰: zengjie, cengjie, zj, cj): the keys
        # hold the sort reading and its initials too, so one LIKE does it.
        return pw.fn.instr(Child.pinyin_keys, " " + text) > 0  # instr: faster than LIKE
    return Child.name.contains(text)


SINGLE_PARENT_LEDGER = "单亲家庭儿童台账"  # single-parent, neither 留守 nor 困境 (普宁 五(五)18)


def has_category(word: str) -> pw.Expression:
    """The cached 、-joined categories hold ``word`` as a whole word (低保 ≠ 低保边缘);
    ``SINGLE_PARENT_LEDGER``: single-parent children in no category."""
    if word == SINGLE_PARENT_LEDGER:
        return (Child.single_parent == True) & (Child.categories == "")
    sep = "、"
    return pw.Value(sep).concat(Child.categories).concat(sep).contains(f"{sep}{word}{sep}")


def status_of(closed_on, urgent: bool, contact_due, visit_due, on: date) -> str:
    if closed_on is not None:
        return STATUS_CLOSED
    if urgent:
        return STATUS_URGENT
    if (contact_due and contact_due < on) or (visit_due and visit_due < on):
        return STATUS_OVERDUE
    return STATUS_OPEN


@dataclass(frozen=True)
class ChildRow:
    """What one line of the children list shows."""

    id: int
    name: str
    id_number: str
    sex: str
    birth_date: date | None
    village: str
    colour: str
    manual_colour: bool
    categories: str
    next_contact_due: date | None
    next_home_visit_due: date | None
    urgent: bool
    closed_on: date | None

    def status(self, on: date) -> str:
        return status_of(self.closed_on, self.urgent, self.next_contact_due,
                         self.next_home_visit_due, on)

    def age(self, on: date) -> int:
        """Full years (周岁) on ``on`` (``models.rules.dates.age_on``); needs a birth date."""
        from models.rules.dates import age_on

        return age_on(self.birth_date, on)


def rows(ids: list[int]) -> list[ChildRow]:
    """The list lines for ``ids``, in the same order (missing ids are left out)."""
    if not ids:
        return []
    query = (Child.select(Child.id, Child.name, Child.id_number, Child.sex, Child.birth_date,
                          Village.name, Child.colour, Child.manual_colour, Child.categories,
                          Child.next_contact_due, Child.next_home_visit_due, Child.urgent,
                          Child.closed_on)
             .join(Village, pw.JOIN.LEFT_OUTER, on=(Child.village == Village.id))
             .where(Child.id.in_(list(ids))))
    found = {}
    for (id_, name, id_number, sex, birth, village, colour, manual, categories, contact_due,
         visit_due, urgent, closed_on) in database.execute_sql(*query.sql()).fetchall():
        found[id_] = ChildRow(id_, name, id_number, sex, _day(birth), village or "",
                              colour or "green", bool(manual), categories or "",
                              _day(contact_due), _day(visit_due), bool(urgent), _day(closed_on))
    return [found[i] for i in ids if i in found]


def _day(value) -> date | None:
    """Dates read straight from the cursor are ISO text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def village_names() -> list[str]:
    return [v for (v,) in Village.select(Village.name).order_by(Village.name).tuples()]


def household_siblings(child: Child) -> list[str]:
    """Names of the other children of the child's household (一户一档), in id order."""
    if not getattr(child, "household", ""):
        return []
    query = (Child.select(Child.name).where((Child.household == child.household) & (Child.id != child.id))
             .order_by(Child.id))
    return [name for (name,) in query.tuples()]
