"""The county 工作台 (issue 17, item 1): one line per township, and the children behind each
number (``archive.county`` of a ``ServerArchive``).

Per township: the children in the archive on the day, the red ones, overdue contacts and home
visits, left-behind children without a valid 委托照护协议, and the last spot-check (the latest
``SpotCheck.on`` of the township: its own checks and the county's, which are recorded as the
township's rows). The numbers are those of the township's own 工作台 for the day of its cached
rule columns (``models.dashboard``), read for every township at once with one grouped query;
only the agreements need the rules, on the few left-behind children no signed agreement covers.

Cached columns are written by a login that may write (``models.derived``); a 县级查阅 cannot.
Each line therefore says the day its colours were computed for (``TownshipLine.state_on``);
a line whose day is not ``on`` is shown as such, never as today's.

The whole county is read in a transaction of its own whatever township the window works in
(``whole_county``): the session's choice is left as it was.
"""

from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from forms import vocab
from models.dashboard_counts import AGREEMENT_DAYS

WHOLE_COUNTY = "全县"
TOTAL = "合计"
# What a number of the table stands for (``CountyOverview.child_ids``), in the table's order.
CHILDREN, RED, OVERDUE_CONTACT, OVERDUE_VISIT, AGREEMENT_MISSING = (
    "children", "red", "overdue_contact", "overdue_visit", "agreement_missing")
CONDITIONS = {
    CHILDREN: "在档儿童",
    RED: "红色",
    OVERDUE_CONTACT: "联系逾期",
    OVERDUE_VISIT: "入户走访逾期",
    AGREEMENT_MISSING: "未签订或已失效委托照护协议",
}


class NotACountyLogin(ValueError):
    """The county 工作台 is for 县级管理员 / 县级查阅 (Chinese message)."""


@dataclass(frozen=True)
class TownshipLine:
    township_id: int | None  # None: the 合计 line
    name: str
    counts: dict[str, int] = field(default_factory=dict)  # condition -> children
    last_spot_check: date | None = None
    state_on: date | None = None  # the oldest day its open children's colours were computed for
    current: bool = True  # every open child's cached columns are of the overview's day

    def count(self, condition: str) -> int:
        return self.counts.get(condition, 0)


@dataclass(frozen=True)
class Overview:
    on: date
    townships: list[TownshipLine]
    total: TownshipLine

    @property
    def stale(self) -> list[TownshipLine]:
        """The townships whose colours and due dates are not of ``on`` yet."""
        return [t for t in self.townships if not t.current]


@contextmanager
def whole_county(db):
    """Every township's rows for a county login, in one transaction; the session's own
    choice (``logins.choose_township``) is back afterwards (``set_config(…, true)``)."""
    with db.atomic():
        db.execute_sql("SELECT set_config('tongdang.township', '', true)")
        yield


@contextmanager
def one_township(db, township_id: int):
    """One township's rows, in one transaction (as ``whole_county``)."""
    with db.atomic():
        db.execute_sql("SELECT set_config('tongdang.township', %s, true)", (str(township_id),))
        yield


_OPEN = ('(c.closed_on IS NULL OR c.closed_on > %(on)s) '
         'AND (c.entered_on IS NULL OR c.entered_on <= %(on)s)')

_COUNTS = f"""
SELECT c.township_id, count(*),
       count(*) FILTER (WHERE c.colour = 'red'),
       count(*) FILTER (WHERE c.next_contact_due < %(on)s),
       count(*) FILTER (WHERE c.next_home_visit_due < %(on)s),
       min(c.state_on), bool_and(c.state_on IS NOT NULL AND c.state_on = %(on)s)
FROM child c WHERE {_OPEN} GROUP BY c.township_id"""

_IDS = {
    CHILDREN: "TRUE",
    RED: "c.colour = 'red'",
    OVERDUE_CONTACT: "c.next_contact_due < %(on)s",
    OVERDUE_VISIT: "c.next_home_visit_due < %(on)s",
}

# Left-behind children no signed agreement with an eligible carer covers from the day through
# the next AGREEMENT_DAYS: the only ones the entrustment rule can find missing (as on the
# township's 工作台, ``models.dashboard._agreement_facts``).
_UNCOVERED = f"""
SELECT c.id, c.township_id, c.categories FROM child c
WHERE {_OPEN} AND c.categories LIKE %(left_behind)s
  AND NOT EXISTS (
    SELECT 1 FROM entrustment_agreement a LEFT JOIN carer r ON r.id = a.carer_id
    WHERE a.child_id = c.id AND a.status = '已签订'
      AND (a.starts_on IS NULL OR a.starts_on <= %(on)s)
      AND (a.ends_on IS NULL OR a.ends_on >= %(after)s)
      AND coalesce(r.exclusions, '') = '')
ORDER BY c.id"""

_AGREEMENTS = """
SELECT a.child_id, a.status, a.signed_on, a.starts_on, a.ends_on, r.name, r.exclusions
FROM entrustment_agreement a LEFT JOIN carer r ON r.id = a.carer_id
WHERE a.child_id = ANY(%(ids)s)"""


def townships(db) -> list[tuple[int, str]]:
    return [tuple(r) for r in db.execute_sql("SELECT id, name FROM township ORDER BY id")]


def _last_spot_checks(db) -> dict[int, date]:
    return dict(db.execute_sql('SELECT township_id, max("on") FROM spot_check GROUP BY township_id'))


def _missing_agreements(db, on: date, township_id: int | None = None) -> dict[int, list[int]]:
    """Township → ids of its open left-behind children without a valid agreement on ``on``."""
    from models.facts import AgreementFacts, CarerFacts  # the rules: not at the window's start
    from models.rules import completeness

    params = {"on": on, "after": on + timedelta(days=AGREEMENT_DAYS + 1),
              "left_behind": f"%{vocab.LEFT_BEHIND}%"}
    candidates = [(i, t) for i, t, cats in db.execute_sql(_UNCOVERED, params)
                  if vocab.LEFT_BEHIND in vocab.split_multi(cats)
                  and (township_id is None or t == township_id)]
    agreements = defaultdict(list)
    if candidates:
        for child, status, signed, starts, ends, carer, exclusions in db.execute_sql(
                _AGREEMENTS, {"ids": [i for i, _t in candidates]}):
            carer_facts = None if carer is None else CarerFacts(
                name=carer, exclusions=tuple(vocab.split_multi(exclusions)))
            agreements[child].append(AgreementFacts(status, signed, starts, ends, carer_facts))
    out = defaultdict(list)
    for child_id, township in candidates:
        if completeness.entrustment(_Agreements(tuple(agreements[child_id])), on):
            out[township].append(child_id)
    return out


class _Agreements:
    """What the entrustment rule reads of a child: its agreements only."""

    __slots__ = ("agreements",)

    def __init__(self, agreements):
        self.agreements = agreements


def overview(db, on: date) -> Overview:
    """Every township's line and the 合计, for day ``on`` (a county login; the whole county)."""
    with whole_county(db):
        names = townships(db)
        counts = {row[0]: row[1:] for row in db.execute_sql(_COUNTS, {"on": on})}
        missing = _missing_agreements(db, on)
        checks = _last_spot_checks(db)
    lines = []
    for township_id, name in names:
        children, red, contact, visit, state_on, current = counts.get(
            township_id, (0, 0, 0, 0, None, True))
        lines.append(TownshipLine(
            township_id, name,
            {CHILDREN: children, RED: red, OVERDUE_CONTACT: contact, OVERDUE_VISIT: visit,
             AGREEMENT_MISSING: len(missing.get(township_id, ()))},
            checks.get(township_id), state_on, bool(current)))
    total = TownshipLine(
        None, TOTAL, {c: sum(t.count(c) for t in lines) for c in CONDITIONS},
        max((t.last_spot_check for t in lines if t.last_spot_check), default=None),
        min((t.state_on for t in lines if t.state_on), default=None),
        all(t.current for t in lines))
    return Overview(on, lines, total)


def child_ids(db, township_id: int | None, condition: str, on: date) -> tuple[int, ...]:
    """The children behind one number of the table (``township_id`` None: the 合计)."""
    if condition not in CONDITIONS:
        raise ValueError(f"不认识的条件：{condition}")
    with whole_county(db):
        if condition == AGREEMENT_MISSING:
            missing = _missing_agreements(db, on, township_id)
            return tuple(sorted(i for ids in missing.values() for i in ids))
        where = f"{_OPEN} AND {_IDS[condition]}"
        params = {"on": on}
        if township_id is not None:
            where += " AND c.township_id = %(township)s"
            params["township"] = township_id
        rows = db.execute_sql(f"SELECT c.id FROM child c WHERE {where} ORDER BY c.id", params)
        return tuple(i for (i,) in rows)


def refresh_stale(db, on: date, progress: Callable[[int, int], None] | None = None) -> int:
    """The cached colours and due dates of every township whose cache is not of ``on``,
    township by township with its own rules (a 县级管理员; a 县级查阅 cannot write).
    Returns the number of children refreshed."""
    from models.derived import refresh_all

    stale = list(overview(db, on).stale)
    done = 0
    for n, line in enumerate(stale):
        with one_township(db, line.township_id):
            done += refresh_all(on)
        if progress:
            progress(n + 1, len(stale))
    return done


class CountyOverview:
    """``archive.county``: the county 工作台 of a county login on the county database."""

    def __init__(self, archive):
        self.archive = archive

    def _check(self) -> None:
        if not getattr(self.archive, "county_role", ""):
            raise NotACountyLogin("县级工作台只供县级管理员和县级查阅使用。")

    def overview(self, on: date | None = None) -> Overview:
        self._check()
        return overview(self.archive.db, on or date.today())

    def child_ids(self, township_id: int | None, condition: str,
                  on: date | None = None) -> tuple[int, ...]:
        self._check()
        return child_ids(self.archive.db, township_id, condition, on or date.today())

    def may_refresh(self) -> bool:
        """Whether this login may write the cached columns (a 县级管理员)."""
        from models.server.roles import COUNTY_ADMIN

        return self.archive.county_role == COUNTY_ADMIN

    def refresh_stale(self, on: date | None = None, progress=None, is_cancelled=None) -> int:
        self._check()
        if not self.may_refresh():
            from models.roles import PermissionDenied

            raise PermissionDenied("县级查阅不能写入县级数据库，不能更新各乡镇的风险等级和走访日期。")
        return refresh_stale(self.archive.db, on or date.today(), progress)

    def choose(self, township: str | None) -> None:
        """The window works in ``township`` from now on, or in the whole county (None /
        ``WHOLE_COUNTY``). The whole county is read-only (查阅): a record written there would
        belong to no township; a township gets the login's own role back."""
        self._check()
        name = None if township in (None, "", WHOLE_COUNTY) else township
        self.archive.choose_township(name)
        role = self.archive.login_role() if name else "查阅"
        self.archive.login_as(self.archive.setting.user, role)

    def township_name(self) -> str:
        """The township the window works in, or ``WHOLE_COUNTY``."""
        chosen = self.archive.township_id
        if chosen is None:
            return WHOLE_COUNTY
        return dict(townships(self.archive.db)).get(chosen, WHOLE_COUNTY)
