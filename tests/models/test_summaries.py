"""Contact summaries (issue 19): every whole-archive view computed from the summaries kept on
each child's row is the same as the view computed from every contact, on generated archives,
after edits, deletions of wrongly entered records, imports and a migration."""

import json
from dataclasses import asdict
from datetime import date, timedelta

import pytest

from forms import vocab
from models import dashboard, demo, reports, snapshot, spotcheck, summaries
from models.contact_summary import ContactSummary
from models.derived import attach, refresh_all
from models.facts import ContactFacts
from models.ledger_import import import_ledger
from models.schema import Child, Contact, database
from models.state import open_children_on
from tests.models.test_ledger_import import child_row, make_ledger, visit_row

# On SQLite and on PostgreSQL (tests/conftest.py): the summaries are kept on both.
pytestmark = pytest.mark.both_backends

TODAY = date.today()
DAYS = (TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=95), TODAY - timedelta(days=400),
        TODAY - timedelta(days=800), TODAY + timedelta(days=45), date(TODAY.year, 3, 1))
VIEW_MODULES = (snapshot,)  # every view loads facts through models.state from here


def _check_json(on, history):
    code, pairs = open_children_on(on, history=history)
    return json.dumps({"on": on.isoformat(), "profile": code,
                       "children": [state.to_json() for _, state in pairs]}, ensure_ascii=False)


def _views(on) -> dict:
    numbers = [n for (n,) in Child.select(Child.id_number).order_by(Child.id).tuples()]
    board = dashboard.load(on)
    board.from_cache = None  # how it was computed, not what it says
    return {
        "annex1": reports.annex1_form(on).rows,
        "annex2": reports.annex2_form(on).rows,
        "lists": reports.risk_list_form(on, "团委").rows,
        "dashboard": asdict(board),
        "spotcheck": [(s.id_number, s.colour, s.categories, [p.to_json() for p in s.problems])
                      for s in spotcheck.findings_for(numbers, on)],
    }


def _reading_history(load_facts):
    def load(*args, **options):
        return load_facts(*args, **{**options, "history": True})
    return load


def assert_same_from_summaries(monkeypatch):
    """Byte-identical ``check --json`` and equal views on every day in DAYS, and the stored
    summaries exactly those of the contacts."""
    assert summaries.stale_children() == []
    for on in DAYS:
        from_summaries = _check_json(on, history=False)
        assert from_summaries == _check_json(on, history=True), on
    on = DAYS[2]
    from_summaries = _views(on)
    every_contact = _reading_history(snapshot.load_facts)
    with monkeypatch.context() as m:
        for module in VIEW_MODULES:
            m.setattr(module, "load_facts", every_contact)
        from_history = _views(on)
    assert from_summaries == from_history


@pytest.fixture
def archive(new_archive):
    attach(new_archive)
    demo.generate(60, seed=19, writer=new_archive.writer())
    refresh_all()
    return new_archive


def test_summary_answers_like_the_contacts():
    day = date(2026, 5, 10)
    contacts = (ContactFacts(day, "电话"), ContactFacts(day, vocab.HOME_VISIT, False),
                ContactFacts(day, vocab.HOME_VISIT, True), ContactFacts(day + timedelta(days=40), "视频"))
    summary = ContactSummary.of(contacts)
    assert summary.last_contact(day - timedelta(days=1)) is None
    assert summary.last_contact(day + timedelta(days=39)) == day
    assert summary.last_home_visit(day + timedelta(days=99)) == ContactFacts(day, vocab.HOME_VISIT, False)
    assert summary.contacted_between(day + timedelta(days=1), day + timedelta(days=40))
    assert not summary.contacted_between(day + timedelta(days=1), day + timedelta(days=39))
    assert summary.contact_days(day, day + timedelta(days=41)) == [day, day + timedelta(days=40)]
    assert ContactSummary.from_stored(*summary.stored()) == summary


def test_generated_archive_gives_the_same_views(archive, monkeypatch):
    assert Contact.select().count() > 1000
    assert_same_from_summaries(monkeypatch)


def test_same_after_edits_and_deletions(archive, monkeypatch):
    w = archive.writer()
    children = list(Child.select().order_by(Child.id).limit(12))
    contacts = list(Contact.select().where(Contact.child.in_([c.id for c in children[:6]]))
                    .order_by(Contact.id))
    w.create(Contact, child=children[0], on=TODAY - timedelta(days=2), kind=vocab.HOME_VISIT,
             parents_contacted_past_week=False)
    w.create(Contact, child=children[1], on=TODAY - timedelta(days=400), kind="电话")
    w.update(contacts[0], on=TODAY - timedelta(days=1))
    w.update(contacts[1], kind=vocab.HOME_VISIT, parents_contacted_past_week=True)
    w.update(contacts[2], child=children[7])  # entered under the wrong child
    for wrong in contacts[-4:]:
        w.delete(wrong, "录入错误")
    for child in children[8:12]:  # every contact of these children entered by mistake
        for contact in Contact.select().where(Contact.child == child):
            w.delete(contact, "录入错误")
    assert_same_from_summaries(monkeypatch)


def test_same_after_an_import(archive, monkeypatch, tmp_path):
    rows = [child_row(i) for i in range(40)]
    visits = [visit_row(i, k) for i in range(0, 40, 2) for k in range(5)]
    import_ledger(make_ledger(tmp_path / "台账.xlsx", rows, visits), archive.writer())
    more = [visit_row(i, k, 日期=date(2025, 9, 1 + k), 方式="入户走访") for i in range(1, 40, 3) for k in range(3)]
    import_ledger(make_ledger(tmp_path / "台账2.xlsx", rows, more), archive.writer())
    assert_same_from_summaries(monkeypatch)


def test_an_import_rolled_back_leaves_no_summary_behind(archive):
    before = summaries.summaries(None)
    with pytest.raises(RuntimeError), database.atomic():
        archive.writer().create(Contact, child=Child.get_by_id(1), on=TODAY, kind="电话")
        raise RuntimeError("power cut")
    assert summaries.summaries(None) == before
    assert summaries.stale_children() == []


def test_rebuild_repairs_summaries_written_around_the_writer(archive, monkeypatch):
    child = Child.select().order_by(Child.id).first()
    Contact.insert(child=child, on=TODAY, kind=vocab.HOME_VISIT).execute()  # not through Writer
    assert summaries.stale_children() == [child.id]
    assert archive.states.rebuild_summaries() == Child.select().count()
    assert summaries.stale_children() == []
    assert_same_from_summaries(monkeypatch)


def test_check_worked_out_in_chunks_is_the_same(archive, monkeypatch):
    from models import state

    whole = _check_json(DAYS[1], history=True)
    monkeypatch.setattr(state, "CHUNK", 7)
    assert _check_json(DAYS[1], history=False) == whole


def test_version_8_archive_gets_its_summaries_on_opening(tmp_path, monkeypatch):
    from playhouse.migrate import SqliteMigrator, migrate

    from models import storage
    from models.archive import Archive

    path = tmp_path / "v8.tongdang"
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi",
                                recovery_code="7K3M-9QXP-2B4N-HV8R-T6WC-YJ1D-5GZF-0SAE")
    demo.generate(30, seed=8, writer=archive.writer())
    migrator = SqliteMigrator(archive.db)
    migrate(migrator.drop_column("child", "contact_days"), migrator.drop_column("child", "visit_days"))
    storage.set_user_version(archive.db, 8)
    archive.close()

    archive, result = Archive.open(path)
    try:
        assert result.migrated_from == 8
        assert Contact.select().count() > 300
        assert summaries.stale_children() == []
        assert _check_json(DAYS[2], history=False) == _check_json(DAYS[2], history=True)
    finally:
        archive.close()
