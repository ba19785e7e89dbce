"""Issue 11 against a real archive: migration v5, who may set a manual colour, local-practice
settings, the single-parent ledger kept out of the county tables, check --json's basis."""

from datetime import date

import pytest
from playhouse.migrate import SqliteMigrator, migrate

from forms.idnumber import make_id_number
from models import storage
from models.archive import Archive
from models.derived import refresh_all
from models.local_practice import archive_profile, set_local_setting
from models.roles import ADMIN, CLERK, PermissionDenied
from models.schema import SCHEMA_VERSION, Child, FamilyMember, LocalSetting, RiskFinding
from models.snapshot import load_facts
from models.writer import Writer

# The tests with an archive: on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

CODE = "7K3M-9QXP-2B4N-HV8R-T6WC-YJ1D-5GZF-0SAE"
ON = date(2026, 5, 20)


def _id(n):
    return make_id_number("140428", date(2014, 5, 17), 2 * n + 1, True)


def test_v4_archive_keeps_manual_colours_and_marks_unreasoned_ones(tmp_path):
    path = tmp_path / "a.tongdang"
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "puning", recovery_code=CODE)
    w = archive.writer()
    for n in (1, 2):
        w.create(Child, id_number=_id(n), name=f"儿童{n}", entered_on=date(2025, 3, 1), hardship_categories="低保")
    db = archive.db
    db.execute_sql("UPDATE child SET manual_colour = 'green', manual_colour_on = '2025-04-01'")
    db.execute_sql("UPDATE child SET manual_colour_reason = '乡镇组织评估确认' WHERE name = '儿童2'")
    db.execute_sql("DROP TABLE carer_follow_up")
    db.execute_sql("DROP TABLE local_setting")
    db.execute_sql('DROP INDEX IF EXISTS "contact_carer_fulfils"')
    db.execute_sql('DROP INDEX IF EXISTS "child_household"')
    m = SqliteMigrator(db)
    migrate(m.drop_column("child", "manual_colour_by"), m.drop_column("child", "manual_colour_confirmed"),
            m.drop_column("child", "core_urban_excluded"), m.drop_column("contact", "carer_fulfils"),
            m.drop_column("child", "household"),
            m.drop_column("contact", "referral_departments"), m.drop_column("contact", "reviewer"),
            m.drop_column("entrustment_agreement", "school_told_on"),
            m.drop_column("entrustment_agreement", "village_told_on"),
            m.drop_column("guardianship_assessment", "result"),
            m.drop_column("guardianship_assessment", "placement"),
            m.drop_column("work_trip_registration", "parent"))
    storage.set_user_version(db, 4)
    archive.close()

    archive, result = Archive.open(path)
    assert result.migrated_from == 4 and archive.schema_version() == SCHEMA_VERSION
    rows = {c.name: c for c in Child.select()}
    assert rows["儿童1"].manual_colour == "green" and rows["儿童1"].manual_colour_confirmed is False
    assert rows["儿童2"].manual_colour_confirmed is True
    from models.rules import child_state

    facts = {f.name: f for f in load_facts()}
    state = child_state(facts["儿童1"], ON, archive_profile())
    assert state.colour == "green" and "manual_colour_unconfirmed" in {p.code for p in state.problems}
    state = child_state(facts["儿童2"], ON, archive_profile())
    assert "manual_colour_unconfirmed" not in {p.code for p in state.problems}
    archive.close()


@pytest.fixture
def archive(new_archive):
    return new_archive


def test_only_an_administrator_sets_a_manual_colour_and_gives_a_reason(archive):
    clerk = Writer("luru", CLERK)
    child = clerk.create(Child, id_number=_id(3), name="王小明", entered_on=date(2025, 3, 1))
    with pytest.raises(PermissionDenied, match="管理员"):
        clerk.update(child, manual_colour="green", manual_colour_reason="看起来还好")
    admin = Writer("zhang", ADMIN)
    with pytest.raises(ValueError, match="理由"):
        admin.update(child, manual_colour="green", manual_colour_reason=" ")
    admin.update(child, manual_colour="green", manual_colour_reason="乡镇组织评估确认")
    child = Child.get_by_id(child.id)
    assert (child.manual_colour, child.manual_colour_by, child.manual_colour_confirmed) == ("green", "zhang", True)
    assert child.manual_colour_on == date.today()
    clerk.update(child, notes="其他字段照常可改", manual_colour="green")  # unchanged: allowed
    with pytest.raises(PermissionDenied):
        clerk.update(child, manual_colour=None)


def test_local_practice_is_stored_changed_by_admin_only_and_used(archive):
    with pytest.raises(PermissionDenied):
        set_local_setting(Writer("luru", CLERK), "follow_up_days", 0)
    assert archive_profile().local_value("follow_up_days") == 30
    set_local_setting(Writer("zhang", ADMIN), "follow_up_days", 45)
    set_local_setting(Writer("zhang", ADMIN), "follow_up_days", 0)
    assert LocalSetting.get(LocalSetting.key == "follow_up_days").value == 0
    assert archive_profile().local_value("follow_up_days") == 0
    with pytest.raises(ValueError):
        set_local_setting(Writer("zhang", ADMIN), "spotcheck_share", 150)


def test_single_parent_only_child_is_in_its_ledger_not_annex1(archive):
    from models.reports import archive_pairs, single_parent_ledger
    from models.statistics import annex1

    w = archive.writer()
    sp = w.create(Child, id_number=_id(4), name="单亲儿", entered_on=date(2025, 3, 1), single_parent=True)
    w.create(FamilyMember, child=sp, relation="父亲", name="父", status="在家")
    w.create(FamilyMember, child=sp, relation="母亲", name="母", status="死亡")
    w.create(Child, id_number=_id(5), name="低保儿", entered_on=date(2025, 3, 1), hardship_categories="低保")
    refresh_all(ON)
    pairs = archive_pairs(ON)
    assert [c.name for c, _s in single_parent_ledger(pairs)] == ["单亲儿"]
    assert annex1(pairs).count == 1
    assert Child.get(Child.name == "单亲儿").colour == ""  # off the colour lists
    from models.child_query import SINGLE_PARENT_LEDGER, has_category

    assert [c.name for c in Child.select().where(has_category(SINGLE_PARENT_LEDGER))] == ["单亲儿"]


def test_flagged_child_is_red_urgent_in_the_cache_and_the_dashboard(archive):
    from models import dashboard

    w = archive.writer()
    c = w.create(Child, id_number=_id(6), name="无人管", entered_on=date(2025, 3, 1))
    w.create(FamilyMember, child=c, relation="父亲", name="父", status="失联")
    w.create(FamilyMember, child=c, relation="母亲", name="母", status="服刑在押")
    refresh_all(ON)
    row = Child.get_by_id(c.id)
    assert row.colour == "red" and row.urgent
    board = dashboard.load(ON)
    assert [i.name for i in board.urgent] == ["无人管"]
    w.create(RiskFinding, child=c, criterion="遭受侵害", found_on=date(2026, 5, 1))
    assert Child.get_by_id(c.id).urgent


def test_visit_record_keeps_what_it_found_about_the_carer(archive):
    from models.child_records import load_child
    from models.fill import visit_record
    from models.schema import Contact

    w = archive.writer()
    c = w.create(Child, id_number=_id(7), name="李小花", entered_on=date(2025, 3, 1), hardship_categories="低保")
    w.create(Contact, child=c, on=date(2026, 5, 2), kind="入户走访", carer_fulfils=False,
             referral_departments="县级民政、县级教育", reviewer="督导员王")
    form = visit_record(load_child(c))[0]
    assert form.values["carer_fulfils"] is False
    assert form.values["referrals"] == ["县级民政", "县级教育"] and form.values["reviewer"] == "督导员王"
    # The "no" opened a follow-up, tracked until a record closes it.
    from models.rules import child_state

    state = child_state(load_facts([c.id])[0], ON, archive_profile())
    assert "carer_follow_up_open" in {p.code for p in state.problems}
    from models.schema import CarerFollowUp

    visit = Contact.get(Contact.child == c)
    w.create(CarerFollowUp, child=c, contact=visit, found_on=date(2026, 5, 2), action="重新选择被委托照护人",
             parents_told_on=date(2026, 5, 3), closed_on=date(2026, 5, 10))
    state = child_state(load_facts([c.id])[0], ON, archive_profile())
    assert "carer_follow_up_open" not in {p.code for p in state.problems}


def test_household_siblings_share_one_agreement_and_one_registration(tmp_path):
    # 一户一档 (香格里拉 二（二）6): entered once for the household, counted for every sibling.
    from models.rules import child_state
    from models.schema import Carer, EntrustmentAgreement, WorkTripRegistration

    archive, _ = Archive.create(tmp_path / "x.tongdang", "建塘镇", "香格里拉市", "shangrila", recovery_code=CODE)
    w = archive.writer()
    kids = []
    for n in (8, 9):
        c = w.create(Child, id_number=_id(n), name=f"同户{n}", entered_on=date(2025, 3, 1), household="建塘-12")
        for relation in ("父亲", "母亲"):
            w.create(FamilyMember, child=c, relation=relation, name=relation, status="外出务工",
                     distance="跨省", away_since=date(2025, 3, 1))
        kids.append(c)
    carer = w.create(Carer, child=kids[0], name="王奶奶", birth_date=date(1960, 1, 1))
    w.create(EntrustmentAgreement, child=kids[0], carer=carer, status="已签订", signed_on=date(2025, 2, 20),
             starts_on=date(2025, 2, 20), carer_declared=True, school_told_on=date(2025, 2, 21),
             village_told_on=date(2025, 2, 21))
    w.create(WorkTripRegistration, child=kids[0], parent="父母双方", registered_on=date(2025, 2, 1),
             village_notified=True, school_notified=True)
    profile = archive_profile()
    for facts in load_facts([kids[1].id]):  # the sibling alone, as after a write
        codes = {p.code for p in child_state(facts, ON, profile).problems}
        assert not codes & {"agreement_missing", "work_trip_registration_missing", "child_left_alone"}
    refresh_all(ON)
    assert not Child.get_by_id(kids[1].id).urgent
    archive.close()
