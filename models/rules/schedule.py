"""Contact and home-visit schedule, overdue and urgent (DOMAIN.md §3, §4)."""

from datetime import date

from forms import vocab
from models.facts import ChildFacts
from models.profiles import Profile
from models.rules.dates import add_months


def last_contacts(child: ChildFacts, on: date) -> tuple[date | None, date | None]:
    """(latest contact, latest home visit) on or before ``on``; a home visit is a contact too."""
    last = last_visit = None
    for c in child.contacts:
        day = c.on
        if day > on:
            continue
        if last is None or day > last:
            last = day
        if c.kind == vocab.HOME_VISIT and (last_visit is None or day > last_visit):
            last_visit = day
    return last, last_visit


def home_visit_months(profile: Profile, colour: str) -> int:
    # Red children are acted on at once; their visits follow at least the yellow rhythm.
    return profile.home_visit_months["yellow" if colour == "red" else colour]


def contact_due(child: ChildFacts, last: date | None, profile: Profile) -> date:
    return child.entered_on if last is None else add_months(last, profile.contact_months)


def home_visit_due(child: ChildFacts, last_visit: date | None, profile: Profile, colour: str) -> date:
    if last_visit is None:
        return child.entered_on
    return add_months(last_visit, home_visit_months(profile, colour))


def next_contact_due(child: ChildFacts, on: date, profile: Profile) -> date:
    return contact_due(child, last_contacts(child, on)[0], profile)


def next_home_visit_due(child: ChildFacts, on: date, profile: Profile, colour: str) -> date:
    return home_visit_due(child, last_contacts(child, on)[1], profile, colour)


def is_overdue(due: date, on: date) -> bool:
    """The due date itself is still in time."""
    return due < on


def interventions(child: ChildFacts) -> list[date]:
    """Dates of referrals, mandatory reports and care records."""
    return [r.on for r in child.referrals] + list(child.mandatory_reports_on) + list(child.care_records_on)


def is_urgent(child: ChildFacts, on: date, colour: str, red_since: date | None) -> bool:
    """A red child stays urgent until an intervention is recorded on or after it turned red."""
    if colour != "red":
        return False
    since = red_since or child.entered_on
    return not any(since <= d <= on for d in interventions(child))
