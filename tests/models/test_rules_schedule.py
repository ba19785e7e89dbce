from dataclasses import replace
from datetime import date

import pytest

from models.facts import ChildFacts, ContactFacts, ReferralFacts, RiskFinding
from models.profiles import get_profile
from models.rules import child_state, is_overdue, next_contact_due, next_home_visit_due
from models.rules.schedule import contacted_between, last_contacts, last_home_visit

NATIONAL = get_profile("national")
PUNING = get_profile("puning")  # the only plan with colour intervals


def child(contacts=(), **kw):
    base = {
        "id_number": "", "name": "孙小雨", "birth_date": date(2014, 3, 10), "sex": "女", "registration": "农村",
        "village": "北村", "entered_on": date(2025, 9, 15), "contacts": tuple(contacts),
    }
    base.update(kw)
    return ChildFacts(**base)


def visit(day, kind="入户走访"):
    return ContactFacts(day, kind)


def test_no_record_is_due_on_entry():
    c = child()
    assert next_contact_due(c, date(2026, 1, 1), NATIONAL) == date(2025, 9, 15)
    assert next_home_visit_due(c, date(2026, 1, 1), NATIONAL, "green") == date(2025, 9, 15)


@pytest.mark.parametrize(
    "last, due",
    [
        (date(2026, 1, 31), date(2026, 2, 28)),  # month end clamps
        (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
        (date(2026, 3, 15), date(2026, 4, 15)),
        (date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_next_contact_due_month_end(last, due):
    c = child([visit(last, "电话")])
    assert next_contact_due(c, date(2027, 6, 1), NATIONAL) == due


def test_home_visit_counts_as_contact_but_phone_is_not_a_visit():
    c = child([visit(date(2026, 1, 10)), visit(date(2026, 3, 5), "电话")])
    assert next_contact_due(c, date(2026, 3, 20), NATIONAL) == date(2026, 4, 5)
    assert next_home_visit_due(c, date(2026, 3, 20), NATIONAL, "green") == date(2026, 4, 10)


@pytest.mark.parametrize(
    "colour, due",
    [
        ("red", date(2026, 2, 28)),
        ("yellow", date(2026, 2, 28)),
        ("blue", date(2026, 3, 31)),
        ("green", date(2026, 4, 30)),
    ],
)
def test_home_visit_interval_by_colour(colour, due):
    c = child([visit(date(2026, 1, 31))])
    assert next_home_visit_due(c, date(2026, 2, 1), PUNING, colour) == due
    # Changed on purpose (issue 11): other profiles keep the plans' quarterly visit.
    assert next_home_visit_due(c, date(2026, 2, 1), NATIONAL, colour) == (
        date(2026, 2, 28) if colour == "red" else date(2026, 4, 30))


def test_records_after_the_day_do_not_count():
    c = child([visit(date(2026, 1, 10)), visit(date(2026, 5, 1))])
    assert next_home_visit_due(c, date(2026, 3, 1), NATIONAL, "green") == date(2026, 4, 10)


@pytest.mark.parametrize(
    "due, on, overdue",
    [(date(2026, 2, 28), date(2026, 2, 28), False), (date(2026, 2, 28), date(2026, 3, 1), True),
     (date(2026, 2, 28), date(2026, 2, 27), False)],
)
def test_due_date_itself_is_not_overdue(due, on, overdue):
    assert is_overdue(due, on) is overdue


@pytest.mark.parametrize(
    "on, overdue",
    [
        (date(2026, 2, 28), []),
        (date(2026, 3, 1), ["contact"]),
        (date(2026, 4, 30), ["contact"]),
        (date(2026, 5, 1), ["contact", "home_visit"]),
    ],
)
def test_state_overdue_list(on, overdue):
    c = child([visit(date(2026, 1, 31))], hardship_categories=frozenset({"低保"}))
    state = child_state(c, on, NATIONAL)
    assert state.overdue == overdue
    codes = {p.code for p in state.problems}
    assert ("contact_overdue" in codes) is ("contact" in overdue)
    assert ("home_visit_overdue" in codes) is ("home_visit" in overdue)


def red_child(**kw):
    return child([visit(date(2026, 5, 1))], risk_findings=(RiskFinding("遭受侵害", date(2026, 4, 10)),), **kw)


@pytest.mark.parametrize(
    "kw, urgent",
    [
        ({}, True),
        ({"referrals": (ReferralFacts(date(2026, 4, 10), "县级公安"),)}, False),  # same day counts
        ({"referrals": (ReferralFacts(date(2026, 4, 9), "县级公安"),)}, True),  # before turning red
        ({"referrals": (ReferralFacts(date(2026, 6, 1), "县级公安"),)}, True),  # after the day asked
        ({"mandatory_reports_on": (date(2026, 4, 11),)}, False),
        # Changed on purpose (issue 11): a care record alone does not act on a red finding,
        # and a referral must go to a department that fits it (harm: 公安, 检察, 法院).
        ({"care_records_on": (date(2026, 5, 20),)}, True),
        ({"referrals": (ReferralFacts(date(2026, 4, 12), "县级教育"),)}, True),
        ({"referrals": (ReferralFacts(date(2026, 4, 12), "县级检察院"),)}, False),
    ],
)
def test_red_child_urgent_until_intervention(kw, urgent):
    state = child_state(red_child(**kw), date(2026, 5, 20), NATIONAL)
    assert state.colour == "red" and state.red_since == date(2026, 4, 10)
    assert state.urgent is urgent
    assert ("red_urgent" in {p.code for p in state.problems}) is urgent


def test_manual_red_is_urgent_from_the_day_it_was_set():
    c = child(manual_colour="red", manual_colour_reason="疑似遭受暴力", manual_colour_on=date(2026, 5, 2),
              care_records_on=(date(2026, 5, 1),))
    assert child_state(c, date(2026, 5, 20), NATIONAL).urgent
    c = child(manual_colour="red", manual_colour_reason="疑似遭受暴力", manual_colour_on=date(2026, 5, 2),
              care_records_on=(date(2026, 5, 2),))
    # Changed on purpose (issue 11): a care record does not clear a red child; a report does.
    assert child_state(c, date(2026, 5, 20), NATIONAL).urgent
    c = replace(c, mandatory_reports_on=(date(2026, 5, 2),))
    assert not child_state(c, date(2026, 5, 20), NATIONAL).urgent


def test_yellow_child_is_never_urgent():
    c = child(schooling="辍学")
    assert not child_state(c, date(2026, 5, 20), NATIONAL).urgent


def test_contacts_are_kept_in_date_order_whatever_order_they_come_in():
    days = [date(2026, 3, 5), date(2025, 12, 1), date(2026, 1, 20)]
    c = child([visit(d, "电话") for d in days])
    assert [x.on for x in c.contacts] == sorted(days)
    assert next_contact_due(c, date(2026, 3, 1), NATIONAL) == date(2026, 2, 20)  # 1-20 is the last by 3-1


def test_latest_home_visit_of_a_day_is_the_first_recorded_that_day():
    same_day = date(2026, 2, 10)
    c = child([ContactFacts(same_day, "入户走访", False), ContactFacts(same_day, "电话"),
               ContactFacts(same_day, "入户走访", True), ContactFacts(date(2026, 2, 11), "电话")])
    assert last_home_visit(c, date(2026, 3, 1)).parents_contacted_past_week is False
    assert last_home_visit(c, date(2026, 2, 9)) is None
    assert last_contacts(c, date(2026, 3, 1)) == (date(2026, 2, 11), same_day)


@pytest.mark.parametrize("since, until, contacted", [
    (date(2026, 2, 11), date(2026, 2, 11), True),  # both days included
    (date(2026, 2, 12), date(2026, 3, 1), False),
    (date(2026, 1, 1), date(2026, 2, 9), False),
    (date(2026, 1, 1), date(2026, 2, 10), True),
])
def test_contacted_between(since, until, contacted):
    c = child([visit(date(2026, 2, 10)), visit(date(2026, 2, 11), "电话")])
    assert contacted_between(c, since, until) is contacted
