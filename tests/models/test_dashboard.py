"""The 工作台 numbers equal those computed child by child with the rules."""

from collections import Counter
from datetime import date, timedelta

import pytest

from forms import vocab
from forms.idnumber import make_id_number
from models import dashboard
from models.derived import refresh_all
from models.profiles import get_profile
from models.rules import child_state
from models.schema import (
    Child,
    ChildDirector,
    DirectorVillage,
    EntrustmentAgreement,
    FamilyMember,
    GuidanceSession,
    RiskFinding,
    ScreeningRound,
    Township,
    Training,
    Village,
)
from models.snapshot import load_facts

# On SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

TODAY = date.today()


def independent(on: date):
    """The dashboard's numbers by our own loop over child_state."""
    profile = get_profile(Township.get().profile)
    states = {}
    for child in load_facts():
        if (child.closed_on is not None and child.closed_on <= on) or child.entered_on > on:
            continue
        states[child.extra["child_id"]] = child_state(child, on, profile)
    agreement_codes = {"agreement_missing", "agreement_not_signed", "carer_excluded",
                       "agreement_not_started", "agreement_expired"}
    soon = on + timedelta(days=dashboard.DUE_SOON_DAYS)
    return {
        "open": len(states),
        "colours": Counter(s.colour for s in states.values()),
        "categories": Counter(w for s in states.values() for w in s.categories),
        "urgent": {i for i, s in states.items() if s.urgent},
        "contact": {i for i, s in states.items() if "contact" in s.overdue},
        "visit": {i for i, s in states.items() if "home_visit" in s.overdue},
        "soon": {i for i, s in states.items()
                 if on <= s.next_contact_due <= soon or on <= s.next_home_visit_due <= soon},
        "ageing": {i for i, s in states.items()
                   if s.ages_out_on and on < s.ages_out_on <= on + timedelta(days=60)},
        "missing": {i for i, s in states.items()
                    if any(p.code in agreement_codes for p in s.problems)},
    }


def check_against(board, expected):
    assert board.open_children == expected["open"]
    assert board.by_colour == {c: expected["colours"].get(c, 0) for c in vocab.COLOURS}
    assert board.by_category == dict(expected["categories"])
    assert {i.child_id for i in board.urgent} == expected["urgent"]
    assert {i.child_id for i in board.overdue_contact} == expected["contact"]
    assert {i.child_id for i in board.overdue_home_visit} == expected["visit"]
    assert {i.child_id for i in board.due_soon} == expected["soon"]
    assert {i.child_id for i in board.ageing_out} == expected["ageing"]
    assert {i.child_id for i in board.agreements_missing} == expected["missing"]
    by_village = set().union(*(g.child_ids for g in board.overdue_by_village))
    by_director = set().union(*(g.child_ids for g in board.overdue_by_director))
    assert by_village == by_director == expected["contact"] | expected["visit"]
    assert sum(len(g.contact_ids) for g in board.overdue_by_village) == len(expected["contact"])
    for colour, ids in board.colour_ids.items():
        assert len(ids) == board.by_colour[colour]


@pytest.fixture
def big_demo(new_archive):
    from models import demo

    writer = new_archive.writer()
    demo.generate(240, seed=5, writer=writer)
    for child_id in (3, 4):  # red without an intervention: urgent
        writer.create(RiskFinding, child=child_id, criterion="遭受侵害", found_on=TODAY - timedelta(days=40))
    refresh_all()
    return new_archive


def test_counts_from_the_cache_equal_the_rules(big_demo):
    expected = independent(TODAY)
    board = dashboard.load(TODAY)
    assert board.from_cache
    assert expected["open"] == 240
    assert expected["urgent"] and expected["contact"] and expected["ageing"] and expected["missing"]
    check_against(board, expected)


def test_any_other_day_is_computed_with_the_rules(big_demo):
    on = TODAY - timedelta(days=45)
    board = dashboard.load(on)
    assert not board.from_cache
    check_against(board, independent(on))


def test_a_closed_child_is_left_out(demo_archive):
    child = Child.select().order_by(Child.id).first()
    demo_archive.writer().close_child(child, TODAY, "迁出本乡镇")
    refresh_all()
    board = dashboard.load(TODAY)
    assert board.open_children == 49
    assert all(child.id not in ids for ids in board.colour_ids.values())


def test_children_entered_later_are_not_counted_on_an_earlier_day(demo_archive):
    child = Child.select().order_by(Child.id).first()
    demo_archive.writer().update(child, entered_on=TODAY - timedelta(days=5))
    earlier = dashboard.load(TODAY - timedelta(days=6))
    assert earlier.open_children == 49
    assert all(child.id not in ids for ids in earlier.colour_ids.values())
    check_against(earlier, independent(TODAY - timedelta(days=6)))


def test_progress_and_cancel_on_the_slow_path(demo_archive):
    seen = []
    dashboard.load(TODAY - timedelta(days=1), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (50, 50)
    with pytest.raises(dashboard.Cancelled):
        dashboard.load(TODAY - timedelta(days=1), is_cancelled=lambda: True)


# -- hand-made archives for the township items ---------------------------------------------

def add_child(writer, seq, village, director=None, left_behind=True, birth=date(2015, 6, 1)):
    child = writer.create(Child, id_number=make_id_number("140428", birth, seq, True), name=f"童{seq}",
                          village=village, director=director, registration="农村",
                          entered_on=date(2025, 1, 1))
    status = "外出务工" if left_behind else "在家"
    for relation in ("父亲", "母亲"):
        writer.create(FamilyMember, child=child, relation=relation, name="某", status=status,
                      distance="跨省" if left_behind else None,
                      away_since=date(2024, 1, 1) if left_behind else None)
    return child


def test_agreements_missing_and_expiring(new_archive):
    w = new_archive.writer()
    village = w.create(Village, name="东坡村")
    on = date(2026, 6, 1)
    lapsing = add_child(w, 1, village)
    w.create(EntrustmentAgreement, child=lapsing, status="已签订", signed_on=date(2025, 6, 1),
             starts_on=date(2025, 6, 1), ends_on=on + timedelta(days=20))
    renewed = add_child(w, 3, village)
    w.create(EntrustmentAgreement, child=renewed, status="已签订", signed_on=date(2025, 6, 1),
             starts_on=date(2025, 6, 1), ends_on=on + timedelta(days=20))
    w.create(EntrustmentAgreement, child=renewed, status="已签订", signed_on=on,
             starts_on=on + timedelta(days=21), ends_on=on + timedelta(days=400))
    missing = add_child(w, 5, village)
    draft = add_child(w, 7, village)
    w.create(EntrustmentAgreement, child=draft, status="草稿")
    add_child(w, 9, village, left_behind=False)
    board = dashboard.load(on)
    assert [i.child_id for i in board.agreements_expiring] == [lapsing.id]
    assert board.agreements_expiring[0].day == on + timedelta(days=20)
    assert {i.child_id for i in board.agreements_missing} == {missing.id, draft.id}
    assert "草稿" in next(i for i in board.agreements_missing if i.child_id == draft.id).detail


def test_villages_directors_training_and_township_rounds(new_archive):
    w = new_archive.writer()
    on = date(2026, 9, 1)
    big, small, bare = (w.create(Village, name=n) for n in ("东坡村", "西岭村", "南山村"))
    one = w.create(ChildDirector, name="李秀英", started_on=date(2020, 1, 1))
    gone = w.create(ChildDirector, name="王建国", started_on=date(2020, 1, 1), ended_on=date(2026, 1, 1))
    w.create(DirectorVillage, director=one, village=big)
    w.create(DirectorVillage, director=one, village=small)
    w.create(DirectorVillage, director=gone, village=big)
    for seq in range(31):
        add_child(w, 2 * seq + 1, big, director=one)
    add_child(w, 101, small, director=one)
    add_child(w, 103, bare)
    w.create(Training, director=one, on=date(2025, 12, 1), topic="儿童主任业务培训", hours=8)
    w.create(ScreeningRound, started_on=date(2026, 3, 1))
    w.create(ScreeningRound, started_on=date(2025, 9, 1))
    w.create(GuidanceSession, on=date(2026, 5, 15), topic="家庭教育指导讲座")
    board = dashboard.load(on)
    needs = {v.village: (v.children, v.directors, v.needed) for v in board.villages_needing_director}
    assert needs == {"东坡村": (31, 1, 2), "南山村": (1, 0, 1)}
    assert [d.name for d in board.untrained_directors] == ["李秀英"]
    assert len(board.untrained_directors[0].child_ids) == 32
    assert (board.screening.done, board.screening.met) == (1, False)
    assert (board.guidance.done, board.guidance.met) == (1, True)
    w.create(Training, director=one, on=date(2026, 4, 2), topic="未成年人保护法解读", hours=4)
    assert dashboard.load(on).untrained_directors == []


def test_ageing_out_within_sixty_days(new_archive):
    w = new_archive.writer()
    village = w.create(Village, name="东坡村")
    on = date(2026, 6, 1)
    soon = add_child(w, 1, village, birth=date(2010, 7, 15))  # 16 on 2026-07-15
    later = add_child(w, 3, village, birth=date(2010, 9, 15))
    board = dashboard.load(on)
    assert [(i.child_id, i.day) for i in board.ageing_out] == [(soon.id, date(2026, 7, 15))]
    assert later.id not in {i.child_id for i in board.ageing_out}
