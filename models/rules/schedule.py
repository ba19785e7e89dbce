"""Contact and home-visit schedule, overdue and urgent (DOMAIN.md §3, §4)."""

from bisect import bisect_left, bisect_right
from datetime import date
from operator import attrgetter

from forms import vocab
from models.facts import ChildFacts, ContactFacts
from models.profiles import Profile
from models.rules.dates import add_months

_ON = attrgetter("on")


def last_contacts(child: ChildFacts, on: date) -> tuple[date | None, date | None]:
    """(latest contact, latest home visit) on or before ``on``; a home visit is a contact too."""
    end = bisect_right(child.contacts, on, key=_ON)
    visit = last_home_visit(child, on)
    return (child.contacts[end - 1].on if end else None), (visit.on if visit else None)


def last_home_visit(child: ChildFacts, on: date) -> ContactFacts | None:
    """The latest home visit on or before ``on``; of several that day, the first recorded."""
    contacts, latest = child.contacts, None
    for i in range(bisect_right(contacts, on, key=_ON) - 1, -1, -1):
        c = contacts[i]
        if latest is not None and c.on < latest.on:
            break
        if c.kind == vocab.HOME_VISIT:
            latest = c
    return latest


def contacts_from(child: ChildFacts, since: date, before: date) -> tuple[ContactFacts, ...]:
    """The contacts from ``since`` up to the day before ``before``."""
    contacts = child.contacts
    return contacts[bisect_left(contacts, since, key=_ON):bisect_left(contacts, before, key=_ON)]


def contacted_between(child: ChildFacts, since: date, on: date) -> bool:
    """Any contact (home visits included) from ``since`` to ``on``, both days included."""
    first = bisect_left(child.contacts, since, key=_ON)
    return first < len(child.contacts) and child.contacts[first].on <= on


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
