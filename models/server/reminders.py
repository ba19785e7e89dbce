"""What the county has to do and when (issue 17, item 5), from its settings, its log of lists
sent and the townships' spot-checks (``models.server.county_settings``).

- **Colour lists** to 团委, 妇联 and 残联, each at least every half year (普宁 四(三)): due six
  months (the setting) after the last one sent to that recipient; at once if never sent.
- **Spot-check** of every township at least once a year (长治 二(三)10 and the others): due a
  year after the township's last ``SpotCheck.on`` (the county's checks are recorded there too);
  at once if it has none.
- **School-term list** to 教育 before each term (长治 二(三)12): due on the county's date for
  the next term (本地做法); done when a list for that term was logged as sent.
- **Annexes** (附件1、附件2): the dates the plan gives (普宁 六(二)(四)) and the county's own
  yearly date (本地做法); done when they were logged as sent after the deadline before.

Each reminder says where its rule comes from under the county's own plan (the townships'
profile), and whether it is local practice: another city's clause is never printed as this
county's policy.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from forms.school_term import next_term
from models.rules.dates import add_months
from models.server import county_settings as cs

OVERDUE, NOW, SOON, LATER = "已逾期", "应即办理", "即将到期", "未到期"  # NOW: never done yet
ORDER = {OVERDUE: 0, NOW: 1, SOON: 2, LATER: 3}


@dataclass(frozen=True)
class Reminder:
    kind: str  # lists / spotcheck / school / annex
    what: str
    due: date
    status: str
    last: str  # what was done last, in words
    basis: str  # the clause, or 本地做法 and what it follows
    township: str = ""

    @property
    def local(self) -> bool:
        return self.basis.startswith(cs.LOCAL)


def _status(due: date, on: date, warn_days: int, never: bool = False) -> str:
    if never:
        return NOW
    if due < on:
        return OVERDUE
    return SOON if due <= on + timedelta(days=warn_days) else LATER


def reminders(settings: "cs.CountySettings", on: date) -> list[Reminder]:
    """Every reminder on ``on``, the overdue first, then by due date."""
    values = settings.values()
    log = settings.sent()
    profile = settings.profile()
    found = _lists(values, log, on, profile) + _spotchecks(settings, values, on, profile)
    found += _school(values, log, on, profile) + _annexes(values, log, on, profile)
    return sorted(found, key=lambda r: (ORDER[r.status], r.due, r.township, r.what))


def _last_text(entry) -> str:
    if entry is None:
        return "没有报送记录"
    return f"上次报送：{entry.sent_on:%Y-%m-%d}（{entry.recorded_by}记录）"


def _lists(values: dict, log, on: date, profile: str | None) -> list[Reminder]:
    months = values["lists_every_months"]
    if not months:
        return []
    out = []
    for recipient in cs.RECIPIENTS["lists"]:
        last = next((e for e in log if e.kind == "lists" and e.recipient == recipient), None)
        due = on if last is None else add_months(last.sent_on, months)
        out.append(Reminder("lists", f"向{recipient}通报红色、黄色、蓝色风险等级儿童名单", due,
                            _status(due, on, values["warn_days"], last is None), _last_text(last),
                            cs.BY_KEY["lists_every_months"].source(profile)))
    return out


def _spotchecks(settings, values: dict, on: date, profile: str | None) -> list[Reminder]:
    months = values["spotcheck_every_months"]
    out = []
    for township, last in last_spotchecks(settings.db):
        due = on if last is None else add_months(last, months)
        said = "从未抽查" if last is None else f"上次抽查：{last:%Y-%m-%d}"
        out.append(Reminder("spotcheck", f"抽查{township}的儿童档案", due,
                            _status(due, on, values["warn_days"], last is None), said,
                            cs.BY_KEY["spotcheck_every_months"].source(profile), township))
    return out


def last_spotchecks(db) -> list[tuple[str, date | None]]:
    """(township, its latest spot-check day) for every township, whatever township the login
    chose for its session (the choice is set aside for this one transaction)."""
    from models.schema import SpotCheck

    table = SpotCheck._meta.table_name
    with db.atomic():
        db.execute_sql("SELECT set_config('tongdang.township', '', true)")
        rows = db.execute_sql(
            f'SELECT t.name, max(s."on") FROM township t LEFT JOIN "{table}" s '
            "ON s.township_id = t.id GROUP BY t.id, t.name ORDER BY t.id").fetchall()
    return [(name, last) for name, last in rows]


def _school(values: dict, log, on: date, profile: str | None) -> list[Reminder]:
    term = next_term(on, values["spring_term_starts"], values["autumn_term_starts"])
    key = "spring_list_by" if term.season == "春" else "autumn_list_by"
    month, day = values[key]
    due = date(term.starts_on.year, month, day)
    if due > term.starts_on:  # a date after the term starts cannot be "before the term"
        due = term.starts_on - timedelta(days=1)
    done = next((e for e in log if e.kind == "school" and e.term == term.code), None)
    if done is not None:
        return []
    last = next((e for e in log if e.kind == "school"), None)
    return [Reminder("school", f"向教育局报送{term.label}适龄孤儿、事实无人抚养儿童名单", due,
                     _status(due, on, values["warn_days"]), _last_text(last),
                     f"{cs.BY_KEY[key].source(profile)}；名单本身：{cs.school_list_basis(profile)}")]


def _annexes(values: dict, log, on: date, profile: str | None) -> list[Reminder]:
    month, day = values["annex_by"]
    yearly = [(date(y, month, day), cs.BY_KEY["annex_by"].source(profile)) for y in (on.year - 1, on.year,
                                                                               on.year + 1)]
    deadlines = sorted(set(yearly) | set(cs.POLICY_DEADLINES.get(profile or "", ())))
    sent = [e.sent_on for e in log if e.kind in ("stats", "screening")]
    out, ahead = [], False
    for n, (due, basis) in enumerate(deadlines):
        after = deadlines[n - 1][0] if n else due - timedelta(days=365)
        if due < on - timedelta(days=365) or due > on + timedelta(days=365):
            continue
        if any(after < day <= due for day in sent) or (due < on and any(day > due for day in sent)):
            continue  # sent for this deadline (or, once it passed, sent late)
        if due >= on and ahead:  # only the next deadline ahead, after any overdue ones
            continue
        ahead = ahead or due >= on
        out.append(Reminder("annex", "汇总报送附件1 摸排情况数据表、附件2 排查表", due,
                            _status(due, on, values["warn_days"]),
                            _last_text(next((e for e in log if e.kind in ("stats", "screening")),
                                            None)), basis))
    return out
