"""Archive records → filled forms and one child's dossier (models.fill, models.dossier)."""

import json
from datetime import date, timedelta

import pytest

from forms.dossier import PART_ORDER
from forms.idnumber import make_id_number
from models import child_records, fill
from models import dossier as models_dossier
from models.schema import (
    Carer,
    Child,
    Contact,
    EntrustmentAgreement,
    FamilyMember,
    GuardianshipAssessment,
    MandatoryReport,
    Problem,
    Referral,
    Township,
    Village,
    WorkLogEntry,
    WorkTripRegistration,
)

# The tests with an archive: on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

TODAY = date.today()
BIRTH = date(TODAY.year - 9, 3, 14)
CHILD_ID = make_id_number("140428", BIRTH, 21, male=False)
FATHER_ID = make_id_number("140428", date(1988, 5, 2), 33, male=True)


@pytest.fixture
def child(new_archive):
    """One left-behind girl with a record of every kind."""
    w = new_archive.writer()
    village = w.create(Village, name="东坡村")
    entered = TODAY - timedelta(days=400)
    c = w.create(Child, id_number=CHILD_ID, name="郑小兰", village=village, entered_on=entered,
                 address="东坡村3组12号", registered_address="东坡村3组", schooling="小学",
                 school="东坡中心小学", grade="三年级", health="健康", ethnicity="汉族",
                 assistance_received="低保、临时救助")
    father = w.create(FamilyMember, child=c, relation="父亲", name="郑大海", id_number=FATHER_ID,
                      status="外出务工", distance="跨省", workplace="广东省深圳市",
                      away_since=entered - timedelta(days=200), phone="13812345678")
    w.create(FamilyMember, child=c, relation="母亲", name="林二妹", status="外出务工",
             distance="跨省", workplace="广东省深圳市", away_since=entered - timedelta(days=200))
    carer = w.create(Carer, child=c, name="郑奶奶", relation="祖母", birth_date=date(1960, 1, 1),
                     phone="13900001111", address="同儿童住址")
    w.create(EntrustmentAgreement, child=c, principal=father, carer=carer, status="已签订",
             signed_on=entered, starts_on=entered, ends_on=entered + timedelta(days=3 * 365),
             witness="东坡村民委员会")
    for days, kind in ((380, "入户走访"), (350, "电话"), (290, "入户走访"), (20, "视频")):
        w.create(Contact, child=c, on=TODAY - timedelta(days=days), kind=kind, visitor="儿童主任甲",
                 living="生活正常" if kind == "入户走访" else "",
                 problems="作业拖欠" if kind == "视频" else "",
                 parents_contacted_past_week=True if kind == "入户走访" else None)
    w.create(GuardianshipAssessment, child=c, on=TODAY - timedelta(days=100), level="中风险",
             score=70, answers=json.dumps({"physical_health": "健康，生长发育正常", "income": 2}))
    w.create(WorkLogEntry, child=c, on=entered, content="完成建档")
    w.create(Problem, child=c, found_on=TODAY - timedelta(days=60), description="房屋漏雨",
             solution="协调住房救助", responsible="儿童主任甲")
    w.create(Referral, child=c, on=TODAY - timedelta(days=10), department="县级教育", reason="课业辅导")
    w.create(MandatoryReport, child=c, on=TODAY - timedelta(days=30), reporter="儿童主任甲",
             reported_to="公安", content="疑似受到欺凌")
    w.create(WorkTripRegistration, child=c, member=father, registered_on=entered,
             workplace="广东省深圳市宝安区", carer_name="郑奶奶", village_notified=True)
    return c


def test_basic_sheet_carries_the_childs_particulars_in_full(child):
    (sheet,) = fill.fill_forms(child_records.load_child(CHILD_ID), "儿童基本信息表")
    v = sheet.values
    assert v["name"] == "郑小兰" and v["id_number"] == CHILD_ID  # never masked
    assert v["birth_date"] == BIRTH and v["sex"] == "女"
    assert v["village"] == "东坡村" and v["township"] == "丹朱镇"
    assert v["father_name"] == "郑大海" and v["father_id_number"] == FATHER_ID
    assert v["both_parents_away"] is True and v["one_away_other_incapable"] is False
    assert v["carer_name"] == "郑奶奶" and v["grandmother_name"] == "郑奶奶"
    assert "留守" in v["categories"]
    assert v["risk_level"].endswith("风险")
    assert v["assistance"] == ["低保", "临时救助"]
    assert v["school"] == "东坡中心小学三年级"
    assert sheet.errors() == {}


def test_each_home_visit_is_one_form_and_other_contacts_one_list(child):
    records = child_records.load_child(CHILD_ID)
    visits = fill.fill_forms(records, "入户走访记录表")
    assert [f.values["visited_on"] for f in visits] == [TODAY - timedelta(days=380),
                                                        TODAY - timedelta(days=290)]
    assert all(f.values["kind"] == "入户走访" and f.values["living"] == "生活正常" for f in visits)
    (log,) = fill.contact_log(records)
    rows = log.rows["rows"]
    assert [r["kind"] for r in rows] == ["电话", "视频"]
    assert rows[1]["notes"] == "问题：作业拖欠"


def test_agreement_names_both_parties_and_the_period(child):
    (agreement,) = fill.fill_forms(child_records.load_child(CHILD_ID), "委托照护协议书")
    v = agreement.values
    assert v["entrustor_name"] == "郑大海" and v["entrustor_relation"] == "父亲"
    assert v["carer_name"] == "郑奶奶" and v["carer_relation"] == "祖母"
    signed = Child.get().entered_on
    assert v["carer_age"] == signed.year - 1960  # born 1 January
    assert v["child_id_number"] == CHILD_ID
    assert v["ends_on"] - v["starts_on"] == timedelta(days=3 * 365)
    assert "entrustor_signature" not in v  # signatures are handwritten on paper


def test_assessment_prints_the_chosen_option_with_its_points(child):
    (form,) = fill.fill_forms(child_records.load_child(CHILD_ID), "家庭监护能力评估表")
    v = form.values
    assert v["physical_health"] == "健康，生长发育正常（8分）"
    assert v["income"] == "无稳定收入，生活困难（0分）"  # stored as option index 2
    assert v["level"] == "中风险" and v["score"] == 70 and v["assessment_kind"] == "首次评估"


def test_running_lists_hold_every_entry_in_date_order(child):
    records = child_records.load_child(CHILD_ID)
    (reports,) = fill.fill_forms(records, "强制报告与转介记录")
    assert [(r["kind"], r["recipient"]) for r in reports.rows["rows"]] == [
        ("强制报告", "公安"), ("转介", "县级教育")]
    (problems,) = fill.fill_forms(records, "发现问题和解决方案")
    assert problems.rows["rows"][0]["solution"] == "协调住房救助"
    (trip,) = fill.fill_forms(records, "外出务工备案表")
    assert trip.values["workplace"] == "广东省深圳市宝安区"
    assert trip.values["worker_name"] == "郑大海" and trip.values["told_village"] is True


def test_fill_form_gives_the_latest_document_or_a_prefilled_or_blank_form(child, new_archive):
    latest = fill.fill_form(CHILD_ID, "入户走访记录表")
    assert latest.values["visited_on"] == TODAY - timedelta(days=290)
    blank = fill.fill_form(None, "委托照护协议书", blank=True)
    assert blank.is_blank and blank.values == {}
    # A child without an agreement: the agreement comes prefilled, ready to be signed.
    w = new_archive.writer()
    other_id = make_id_number("140428", BIRTH, 41, male=True)
    other = w.create(Child, id_number=other_id, name="王小虎", entered_on=TODAY)
    w.create(FamilyMember, child=other, relation="母亲", name="李秀英", status="外出务工")
    prefilled = fill.fill_form(other_id, "委托照护协议书")
    assert not prefilled.is_blank
    assert prefilled.values["child_name"] == "王小虎"
    assert prefilled.values["entrustor_name"] == "李秀英"
    assert "starts_on" not in prefilled.values


def test_unknown_child_and_unknown_form_give_chinese_messages(child):
    with pytest.raises(child_records.ChildNotFound, match="没有身份证号为“110105194912310021”"):
        fill.fill_form("110105194912310021", "儿童基本信息表")
    with pytest.raises(fill.UnknownForm, match="没有名为“成绩单”的表格"):
        fill.fill_form(CHILD_ID, "成绩单")


def test_lowercase_x_in_the_id_number_still_finds_the_child(new_archive):
    number = next(make_id_number("140428", BIRTH, s, male=True) for s in range(1, 999, 2)
                  if make_id_number("140428", BIRTH, s, male=True).endswith("X"))
    new_archive.writer().create(Child, id_number=number, name="赵一", entered_on=TODAY)
    assert child_records.find_child(" " + number.lower()).name == "赵一"


def test_dossier_cover_and_parts(child, new_archive):
    new_archive.writer().update(Township.get(), is_demo=True)
    dossier = models_dossier.build_dossier(CHILD_ID, on=TODAY)
    c = Child.get()
    assert dossier.archive_no == f"丹朱-{c.entered_on.year}-{c.id:06d}"
    assert dossier.name == "郑小兰" and dossier.village == "东坡村" and dossier.township == "丹朱镇"
    assert dossier.created_on == c.entered_on and dossier.keeper == "丹朱镇人民政府（民政办）"
    assert dossier.demo is True
    assert CHILD_ID in dossier.notes
    titles = [p.title for p in dossier.parts]
    assert titles == [
        "儿童基本信息表", "走访记录（入户走访）", "走访记录（入户走访）", "走访记录（电话、视频等联系）",
        "工作日志", "关爱帮扶记录", "发现问题和解决方案", "委托照护协议（已签订）",
        "家庭监护能力评估（中风险）", "外出务工备案", "强制报告与转介记录",
    ]
    ranks = [next(i for i, name in enumerate(PART_ORDER) if t.startswith(name)) for t in titles]
    assert ranks == sorted(ranks)
    care = dossier.parts[titles.index("关爱帮扶记录")]
    assert care.forms == [] and care.note == "无"
    assert all(f.demo for p in dossier.parts for f in p.forms)


def test_archive_number_is_stable_and_uses_the_township_short_name():
    assert models_dossier.archive_number("丹朱镇", date(2024, 3, 1), 7) == "丹朱-2024-000007"
    assert models_dossier.archive_number("城关街道", date(2025, 1, 1), 12345) == "城关-2025-012345"
    assert models_dossier.township_abbreviation("乡") == "乡"
    assert models_dossier.keeper_of("城关街道") == "城关街道办事处（民政办）"


def test_dossier_of_a_demo_archive_child_is_built_for_every_child(demo_archive):
    numbers = [c.id_number for c in Child.select().limit(15)]
    for number in numbers:
        dossier = models_dossier.build_dossier(number)
        assert dossier.parts[0].forms[0].values["id_number"] == number
        for part in dossier.parts:
            for form in part.forms:
                # Demo data leaves some ID numbers out; every value given must be well-formed.
                wrong = [m for m in form.errors().values() if not m.endswith("必填项，不能为空")]
                assert wrong == [], (number, part.title, wrong)
