"""Contact and home-visit schedule, overdue and urgent (DOMAIN.md §3, §4)."""

from bisect import bisect_left, bisect_right
from datetime import date
from operator import attrgetter

from forms import vocab
from models.facts import ChildFacts, ContactFacts
from models.profiles import Profile, Source, local_source
from models.rules.dates import add_months
from models.rules.routing import fits

_ON = attrgetter("on")


def last_contacts(child: ChildFacts, on: date) -> tuple[date | None, date | None]:
    """(latest contact, latest home visit) on or before ``on``; a home visit is a contact too."""
    summary = child.contact_summary
    if summary is not None:
        visit = summary.last_home_visit(on)
        return summary.last_contact(on), (visit.on if visit else None)
    end = bisect_right(child.contacts, on, key=_ON)
    visit = last_home_visit(child, on)
    return (child.contacts[end - 1].on if end else None), (visit.on if visit else None)


def last_home_visit(child: ChildFacts, on: date) -> ContactFacts | None:
    """The latest home visit on or before ``on``; of several that day, the first recorded."""
    if child.contact_summary is not None:
        return child.contact_summary.last_home_visit(on)
    contacts, latest = child.contacts, None
    for i in range(bisect_right(contacts, on, key=_ON) - 1, -1, -1):
        c = contacts[i]
        if latest is not None and c.on < latest.on:
            break
        if c.kind == vocab.HOME_VISIT:
            latest = c
    return latest


def contact_days(child: ChildFacts, since: date, before: date) -> list[date]:
    """The days of the contacts from ``since`` up to the day before ``before``."""
    if child.contact_summary is not None:
        return child.contact_summary.contact_days(since, before)
    contacts = child.contacts
    return [c.on for c in
            contacts[bisect_left(contacts, since, key=_ON):bisect_left(contacts, before, key=_ON)]]


def contacted_between(child: ChildFacts, since: date, on: date) -> bool:
    """Any contact (home visits included) from ``since`` to ``on``, both days included."""
    if child.contact_summary is not None:
        return child.contact_summary.contacted_between(since, on)
    first = bisect_left(child.contacts, since, key=_ON)
    return first < len(child.contacts) and child.contacts[first].on <= on


def frequent_groups(child: ChildFacts, on: date, profile: Profile) -> list[str]:
    """The plan-named groups for more frequent visits (加大走访频次) the child is in."""
    out = []
    for group in profile.frequent_visit_groups:
        if group == "parent_disabled":
            hit = any(m.relation in vocab.PARENT_RELATIONS and m.status == "重残" for m in child.family)
        elif group == "child_disabled":
            hit = child.health == "残疾" or bool(child.disability_grade)
        elif group == "behaviour":
            hit = any(f.criterion in ("心理行为异常", "严重心理疾病") and f.found_on <= on
                      and (f.resolved_on is None or f.resolved_on > on) for f in child.risk_findings)
        elif group == "single_parent":
            hit = child.single_parent
        elif group == "assessed_high":
            done = [a for a in child.assessments if a.on <= on]
            hit = bool(done) and max(done, key=lambda a: a.on).level in ("中高风险", "高风险")
        else:
            hit = False
        if hit:
            out.append(group)
    return out


def visit_interval(profile: Profile, colour: str, groups=()) -> tuple[int, Source]:
    """(months between home visits, what that rests on) for a child of ``colour``."""
    if colour == "red":
        # 普宁 三1 asks for action at once, not for a rhythm; the visits after it are local.
        red = profile.local_value("red_visit_months")
        base = profile.home_visit_months["yellow"] if profile.colour_intervals else profile.home_visit_base_months
        if red:
            return min(red, base), local_source("red_visit_months")
        return base, profile.sources.get("yellow" if profile.colour_intervals else "home_visit_months")
    if profile.colour_intervals:
        return profile.home_visit_months[colour], profile.sources.get(colour, profile.sources["home_visit_months"])
    if groups:
        months = profile.local_value("frequent_visit_months")
        if months and months < profile.home_visit_base_months:
            return months, local_source("frequent_visit_months")
    return profile.home_visit_base_months, profile.sources["home_visit_months"]


def home_visit_months(profile: Profile, colour: str, groups=()) -> int:
    return visit_interval(profile, colour, groups)[0]


def contact_due(child: ChildFacts, last: date | None, profile: Profile) -> date:
    return child.entered_on if last is None else add_months(last, profile.contact_months)


def home_visit_due(child: ChildFacts, last_visit: date | None, profile: Profile, colour: str,
                   groups=()) -> date:
    if last_visit is None:
        return child.entered_on
    return add_months(last_visit, home_visit_months(profile, colour, groups))


def next_contact_due(child: ChildFacts, on: date, profile: Profile) -> date:
    return contact_due(child, last_contacts(child, on)[0], profile)


def next_home_visit_due(child: ChildFacts, on: date, profile: Profile, colour: str) -> date:
    groups = frequent_groups(child, on, profile)
    return home_visit_due(child, last_contacts(child, on)[1], profile, colour, groups)


def is_overdue(due: date, on: date) -> bool:
    """The due date itself is still in time."""
    return due < on


def interventions(child: ChildFacts) -> list[date]:
    """Dates of referrals, mandatory reports and care records (non-red children's follow-up)."""
    return [r.on for r in child.referrals] + list(child.mandatory_reports_on) + list(child.care_records_on)


def red_actions(child: ChildFacts, on: date, red_criteria, manual_since: date | None = None
                ) -> list[tuple[str, date, bool]]:
    """(finding word, since, acted on) for each red finding active on ``on``.

    Acted on: a 强制报告 on or after the finding, or a referral to a department that fits it
    (普宁 四(二) routing; ``models.rules.routing``). A care record alone never counts.
    """
    out = []
    items = [(c.word, c.since) for c in red_criteria]
    if not items and manual_since is not None:
        items = [("其他红色情形", manual_since)]
    for word, since in items:
        done = any(since <= d <= on for d in child.mandatory_reports_on) or any(
            since <= r.on <= on and fits(word, r.department) for r in child.referrals)
        out.append((word, since, done))
    return out


def is_urgent(child: ChildFacts, on: date, colour: str, red_since: date | None,
              red_criteria=()) -> bool:
    """A red child stays urgent until every red finding is reported or fittingly referred."""
    if colour != "red":
        return False
    since = red_since or child.entered_on
    return not all(done for _w, _s, done in red_actions(child, on, red_criteria, since))
