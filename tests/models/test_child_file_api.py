"""A child's file through the archive API: ``archive.child_file(child_id)`` (header facts,
closing, removing a mistyped record, history in words) and ``archive.attachments``."""

import hashlib
import json
import os
import stat
from datetime import date

import pytest

from forms.idnumber import make_id_number
from models import audit, history, showcase
from models.attachments import MAX_BYTES, AttachmentError
from models.child_file import ChildFacts
from models.schema import AuditEntry, Child, Contact, Village

BORN = date(2016, 5, 17)


@pytest.fixture
def child(new_archive):
    writer = new_archive.writer()
    village = writer.create(Village, name="东坡村")
    child = writer.create(Child, id_number=make_id_number("140428", BORN, 21, True), name="张小明",
                          village=village, entered_on=date(2025, 3, 1), household="H1")
    writer.create(Child, id_number=make_id_number("140428", date(2018, 1, 2), 23, False),
                  name="张小红", village=village, entered_on=date(2025, 3, 1), household="H1")
    return child


# -- the file ---------------------------------------------------------------------------------

@pytest.mark.both_backends
def test_facts_name_the_child_and_its_village(new_archive, child):
    facts = new_archive.child_file(child.id).facts()
    assert isinstance(facts, ChildFacts)
    assert (facts.id, facts.name, facts.sex, facts.birth_date) == (child.id, "张小明", "男", BORN)
    assert facts.village == "东坡村" and facts.closed_on is None


@pytest.mark.both_backends
def test_header_gives_age_on_the_day_and_the_household(new_archive, child):
    header = new_archive.child_file(child.id).header(date(2026, 5, 16), None)
    assert header.age == 9  # the birthday is the next day
    assert new_archive.child_file(child.id).header(date(2026, 5, 17), None).age == 10
    assert header.siblings == ["张小红"]
    assert header.referrals == []  # no state: nothing to refer


@pytest.mark.both_backends
def test_closing_and_reopening_keep_the_reason(new_archive, child):
    file = new_archive.child_file(child.id)
    file.close(date(2026, 6, 1), "父母返乡")
    assert (file.facts().closed_on, file.facts().closed_reason) == (date(2026, 6, 1), "父母返乡")
    file.reopen("父亲再次外出务工")
    assert file.facts().closed_on is None
    assert [e.action for e in audit.history("child", child.id)][-2:] == ["close", "reopen"]


@pytest.mark.both_backends
def test_a_removed_record_stays_in_the_history_in_words(new_archive, child):
    visit = new_archive.writer().create(Contact, child=child, on=date(2026, 3, 1), kind="入户走访",
                                        visitor="王建国")
    new_archive.child_file(child.id).delete_record(visit, "录错了儿童")
    assert not Contact.select().where(Contact.id == visit.id).exists()
    tables = {**history.tables_in_words((), None),
              "contact": history.TableWords("走访记录", None, ("on", "kind"))}
    lines = new_archive.child_file(child.id).history(tables)
    removed = [line for line in lines if line.action == "删除"]
    assert len(removed) == 1
    assert removed[0].record == "走访记录：2026-03-01 入户走访（已删除）"
    assert "删除原因：录错了儿童" in removed[0].details
    assert lines[-1].record == "儿童基本信息：张小明"  # newest first: the child was made first


def test_every_table_of_a_childs_records_is_read_for_the_history():
    tables = {model._meta.table_name for model in history.CHILD_RECORD_MODELS}
    assert {"contact", "attachment", "carer", "family_member"} <= tables
    assert "child" not in tables and "audit_entry" not in tables


# -- attachments ------------------------------------------------------------------------------

@pytest.fixture
def scan(tmp_path):
    path = tmp_path / "户口本.png"
    path.write_bytes(b"\x89PNG scan of a household register")
    return path


@pytest.mark.both_backends
def test_an_attachment_is_stored_listed_read_and_exported(new_archive, child, scan, tmp_path):
    attachments = new_archive.attachments
    new_id = attachments.add(child.id, scan, "户口本首页")
    [listed] = attachments.of_child(child.id)
    assert (listed.id, listed.file_name, listed.mime_type) == (new_id, "户口本.png", "image/png")
    assert (listed.size, listed.description) == (len(scan.read_bytes()), "户口本首页")
    stored = attachments.stored(new_id)
    assert stored.content == scan.read_bytes() and stored.is_image
    assert stored.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
    target = attachments.export(new_id, tmp_path / "out.png")
    assert target.read_bytes() == scan.read_bytes()
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert attachments.stored(new_id + 1) is None


@pytest.mark.both_backends
def test_the_same_file_twice_and_a_missing_file_are_refused(new_archive, child, scan, tmp_path):
    new_archive.attachments.add(child.id, scan)
    with pytest.raises(AttachmentError, match="已在附件中"):
        new_archive.attachments.add(child.id, scan)
    with pytest.raises(AttachmentError, match="找不到文件"):
        new_archive.attachments.add(child.id, tmp_path / "无.png")
    big = tmp_path / "大.pdf"
    with open(big, "wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(AttachmentError, match="超过50MB"):
        new_archive.attachments.add(child.id, big)


@pytest.mark.both_backends
def test_a_removed_attachment_leaves_its_reason_in_the_audit_trail(new_archive, child, scan):
    new_id = new_archive.attachments.add(child.id, scan)
    new_archive.attachments.remove(new_id, "加错了儿童")
    assert new_archive.attachments.of_child(child.id) == []
    entry = (AuditEntry.select().where((AuditEntry.table == "attachment")
                                       & (AuditEntry.action == "delete")).get())
    assert json.loads(entry.changes)["reason"][1] == "加错了儿童"


@pytest.mark.both_backends
def test_an_export_of_damaged_content_is_refused(new_archive, child, scan, tmp_path):
    stored = new_archive.attachments.stored(new_archive.attachments.add(child.id, scan))
    from dataclasses import replace

    from models.attachments import export_attachment

    with pytest.raises(AttachmentError, match="校验值不符"):
        export_attachment(replace(stored, content=b"changed"), tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


# -- children picked for the screenshots --------------------------------------------------------

@pytest.mark.both_backends
def test_the_shown_child_has_the_contacts_asked_for(demo_archive):
    shown = showcase.child_with_contacts(2)
    assert Contact.select().where(Contact.child == shown.id).count() >= 2
    assert Child.get_by_id(shown.id).closed_on is None
    full = showcase.interesting_child()
    assert full.pinyin == Child.get_by_id(full.id).pinyin


@pytest.mark.both_backends
def test_the_showcase_facet_picks_the_children_shown(demo_archive):
    shown = demo_archive.showcase.child_with_contacts(2)
    assert Contact.select().where(Contact.child == shown.id).count() >= 2
    full = demo_archive.showcase.interesting_child()
    assert full == showcase.interesting_child() and full.pinyin == Child.get_by_id(full.id).pinyin


# -- the records of the file, as the editors see them -------------------------------------------

@pytest.mark.both_backends
def test_birth_date_and_sex_are_read_from_an_id_number(new_archive, child):
    records = new_archive.records
    assert records.derived_from_id(child.id_number) == (BORN, "男")
    assert records.derived_from_id(child.id_number[:-1] + "X") is None  # wrong check digit
    assert records.derived_from_id("张小明") is None


@pytest.mark.both_backends
def test_a_field_is_labelled_by_its_form_else_by_its_key(new_archive):
    from models.record_kinds import CHILD_SPEC

    assert new_archive.records.label_of(CHILD_SPEC, "name") == CHILD_SPEC.field("name").label
    assert new_archive.records.label_of(CHILD_SPEC, "no_such_field") == "no_such_field"


@pytest.mark.both_backends
def test_a_list_line_gives_the_age_on_the_day(new_archive, child):
    from dataclasses import replace

    [line] = new_archive.children.rows([child.id])
    assert (line.age(date(2026, 5, 16)), line.age(date(2026, 5, 17))) == (9, 10)
    assert replace(line, birth_date=None).age(date(2026, 5, 17)) is None


@pytest.mark.both_backends
def test_a_stored_file_exports_itself_readable_by_its_owner_only(new_archive, child, scan,
                                                                 tmp_path):
    from dataclasses import replace

    stored = new_archive.attachments.stored(new_archive.attachments.add(child.id, scan))
    target = stored.export(tmp_path / "out.png")
    assert target == tmp_path / "out.png" and target.read_bytes() == scan.read_bytes()
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    with pytest.raises(AttachmentError, match="校验值不符"):
        replace(stored, content=b"changed").export(tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


# -- drafts of unsaved edits --------------------------------------------------------------------

@pytest.mark.both_backends
def test_a_draft_is_kept_read_back_and_discarded_inside_the_archive(new_archive):
    drafts = new_archive.drafts
    assert drafts.load("child:1:basic") is None and drafts.pending() == []
    drafts.keep("child:1:basic", {"name": "张小明", "entered_on": date(2026, 3, 1)})
    drafts.keep("child:1:basic", {"name": "张小明明", "entered_on": date(2026, 3, 2)})
    assert drafts.load("child:1:basic") == {"name": "张小明明", "entered_on": date(2026, 3, 2)}
    assert drafts.pending() == ["child:1:basic"]
    drafts.discard("child:1:basic")
    assert drafts.load("child:1:basic") is None and drafts.pending() == []


# -- what the screenshots and the screen-fit check make -----------------------------------------

def test_a_filled_demo_archive_is_marked_as_demo(tmp_path):
    from models.archive import Archive

    archive = Archive.filled_demo(tmp_path / "d.tongdang", 5, seed=3)
    try:
        assert archive.township.is_demo and archive.township.name == "丹朱镇"
        assert Child.select().count() == 5
    finally:
        archive.close()


def test_accounts_are_made_through_the_users_facet(new_archive):
    from models.roles import ADMIN

    assert not new_archive.users.has_users()
    new_archive.users.create("lijuan", "演示密码-2026-demo", ADMIN, "李娟")
    assert new_archive.users.has_users()
    assert (new_archive.users.find("lijuan").display_name, new_archive.users.find("lijuan").role) \
        == ("李娟", ADMIN)
