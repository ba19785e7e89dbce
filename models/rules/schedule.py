"""Contact and home-visit schedule, overdue and urgent (DOMAIN.md §3, §4)."""

from datetime import date

from forms import vocab
from models.facts import ChildFacts
from models.profiles import Profile
from models.rules.dates import add_months


def last_contact(child: ChildFacts, on: date, home_visit_only: bool = False) -> date | None:
    """The latest contact (or home visit) on or before ``on``; every home visit is a contact."""
    latest = None
    for c in child.contacts:
        later = c.on <= on and (latest is None or c.on > latest)
        if later and (not home_visit_only or c.kind == vocab.HOME_VISIT):
            latest = c.on
    return latest


def home_visit_months(profile: Profile, colour: str) -> int:
    # Red children are acted on at once; their visits follow at least the yellow rhythm.
    return profile.home_visit_months["yellow" if colour == "red" else colour]


def next_contact_due(child: ChildFacts, on: date, profile: Profile) -> date:
    last = last_contact(child, on)
    return child.entered_on if last is None else add_months(last, profile.contact_months)


def next_home_visit_due(child: ChildFacts, on: date, profile: Profile, colour: str) -> date:
    last = last_contact(child, on, home_visit_only=True)
    return child.entered_on if last is None else add_months(last, home_visit_months(profile, colour))


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
