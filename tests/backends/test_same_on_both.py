"""The same township on the two backends gives the same answers: one fictional township made
in an encrypted file and in the county database, changed in the same ways (edits, deletions of
wrongly entered records, a ledger import), answers every whole-archive view alike — ``check
--json`` byte for byte on several days, Annex 1 and 2, the risk lists, the dashboard, the spot
check's findings and the children list. Issue 19's summaries on PostgreSQL are compared here
with the file's, and with the server's own full history in tests/models/test_summaries.py."""

import json
from dataclasses import asdict
from datetime import date, timedelta

import pytest

from forms import vocab
from models import dashboard, demo, reports, spotcheck
from models.child_query import ChildQuery, rows
from models.derived import attach, refresh_all
from models.ledger_import import import_ledger
from models.schema import Child, Contact
from models.state import open_children_on
from tests.models.test_ledger_import import child_row, make_ledger, visit_row

pytestmark = pytest.mark.pgserver

TODAY = date(2026, 11, 25)
DAYS = (TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=95),
        TODAY - timedelta(days=400), TODAY + timedelta(days=45))
FILTERS = [dict(), dict(text="zh"), dict(text="张"), dict(colour="red"), dict(category="留守"),
           dict(overdue_only=True), dict(include_closed=True, sort="name"),
           dict(sort="village", descending=True), dict(sort="age"),
           dict(sort="next_contact_due")]


def answers() -> dict:
    """Every whole-archive view of the open archive, as plain values."""
    found = {}
    for on in DAYS:
        code, pairs = open_children_on(on)
        found[f"check {on}"] = json.dumps(
            {"on": on.isoformat(), "profile": code,
             "children": [state.to_json() for _, state in pairs]}, ensure_ascii=False)
    on = DAYS[2]
    board = dashboard.load(on)
    board.from_cache = None  # how it was computed, not what it says
    found["dashboard"] = asdict(board)
    found["annex1"] = reports.annex1_form(on).rows
    found["annex2"] = reports.annex2_form(on).rows
    found["lists"] = reports.risk_list_form(on, "团委").rows
    numbers = [n for (n,) in Child.select(Child.id_number).order_by(Child.id_number).tuples()]
    found["spotcheck"] = [(s.id_number, s.colour, s.categories, [p.to_json() for p in s.problems])
                          for s in spotcheck.findings_for(numbers, on)]
    found["children lists"] = [
        [(r.id_number, r.name, r.village, r.colour, r.status(on))
         for r in rows(ChildQuery(on=on, **options).ids())] for options in FILTERS]
    return found


def make_and_change(archive, tmp_path) -> dict:
    """The township made and changed the same way on either backend; its answers."""
    attach(archive)
    writer = archive.writer()
    demo.generate(60, seed=16, today=TODAY, writer=writer)
    children = list(Child.select().order_by(Child.id_number).limit(10))
    contacts = list(Contact.select().where(Contact.child.in_([c.id for c in children[:5]]))
                    .order_by(Contact.id))
    writer.create(Contact, child=children[0], on=TODAY - timedelta(days=2), kind=vocab.HOME_VISIT,
                  parents_contacted_past_week=False)
    writer.update(contacts[0], on=TODAY - timedelta(days=1))
    writer.update(contacts[1], kind=vocab.HOME_VISIT, parents_contacted_past_week=True)
    writer.update(children[6], school="中心小学", village=children[7].village_id)
    writer.close_child(children[8], TODAY - timedelta(days=3), "年满十八周岁")
    for wrong in contacts[-3:]:
        writer.delete(wrong, "录入错误")
    ledger_rows = [child_row(i) for i in range(20)]
    visits = [visit_row(i, k) for i in range(0, 20, 2) for k in range(3)]
    import_ledger(make_ledger(tmp_path / "台账.xlsx", ledger_rows, visits), archive.writer())
    refresh_all()
    return answers()


def test_a_township_answers_alike_in_a_file_and_on_the_server(backend_template, tmp_path):
    from backends.archives import ServerArchives, SqliteArchives
    from tests.conftest import RECOVERY

    in_a_file = SqliteArchives(tmp_path, RECOVERY)
    archive = in_a_file.create()
    try:
        expected = make_and_change(archive, tmp_path)
    finally:
        archive.close()
    on_the_server = ServerArchives(backend_template)
    archive = on_the_server.create()
    try:
        found = make_and_change(archive, tmp_path)
    finally:
        archive.close()
        on_the_server.remove()
    assert all(expected["children lists"][:6]), "every filter finds someone"
    assert expected["annex1"] and expected["annex2"] and expected["spotcheck"]
    for view in expected:
        assert found[view] == expected[view], view
