"""Every write leaves an audit entry; closing keeps everything; nothing is deleted silently."""

import json
from datetime import date

import pytest
from peewee import IntegrityError

from forms.idnumber import make_id_number
from models import audit
from models.archive import Archive
from models.roles import CLERK
from models.schema import AuditEntry, Child, Contact, Village

CODE = "7K3M-9QXP-2B4N-HV8R-T6WC-YJ1D-5GZF-0SAE"
NUMBER = make_id_number("140428", date(2016, 5, 17), 21, True)


@pytest.fixture
def archive(tmp_path):
    archive, _ = Archive.create(tmp_path / "a.tongdang", "丹朱镇", "长子县", "changzhi",
                                recovery_code=CODE)
    archive.login_as("李文", CLERK)
    yield archive
    archive.close()


def changes_of(entry):
    return json.loads(entry.changes)


def test_create_records_who_what_and_derived_fields(archive):
    writer = archive.writer()
    village = writer.create(Village, name="东坡村")
    child = writer.create(Child, id_number=NUMBER, name="张三", village=village,
                          entered_on=date(2025, 3, 1))
    assert (child.birth_date, child.sex) == (date(2016, 5, 17), "男")
    assert (child.pinyin, child.pinyin_initials) == ("zhangsan", "zs")
    [entry] = audit.history("child", child.id)
    assert entry.action == "create" and entry.username == "李文"
    assert changes_of(entry)["name"] == [None, "张三"]
    assert changes_of(entry)["birth_date"] == [None, "2016-05-17"]


def test_update_records_before_and_after_only_for_real_changes(archive):
    writer = archive.writer()
    child = writer.create(Child, id_number=NUMBER, name="张三", entered_on=date(2025, 3, 1))
    assert writer.update(child, name="张三") == {}
    changes = writer.update(child, name="张珊", school="东坡小学")
    assert changes == {"name": ["张三", "张珊"], "school": ["", "东坡小学"]}
    entries = audit.history("child", child.id)
    assert [e.action for e in entries] == ["create", "update"]
    assert changes_of(entries[-1]) == {"name": ["张三", "张珊"], "school": ["", "东坡小学"]}
    assert Child.get_by_id(child.id).pinyin_initials == "zs"


def test_close_keeps_the_file_and_is_audited(archive):
    writer = archive.writer()
    child = writer.create(Child, id_number=NUMBER, name="张三", entered_on=date(2025, 3, 1))
    writer.create(Contact, child=child, on=date(2025, 4, 1), kind="入户走访")
    with pytest.raises(ValueError, match="原因"):
        writer.close_child(child, date(2026, 5, 17), " ")
    writer.close_child(child, date(2026, 5, 17), "年满16周岁，父母返乡")
    stored = Child.get_by_id(child.id)
    assert stored.closed_on == date(2026, 5, 17)
    assert Contact.select().where(Contact.child == child).count() == 1
    last = audit.history("child", child.id)[-1]
    assert last.action == "close"
    assert changes_of(last)["closed_reason"] == ["", "年满16周岁，父母返乡"]


def test_children_cannot_be_deleted_and_deleted_records_keep_their_content(archive):
    writer = archive.writer()
    child = writer.create(Child, id_number=NUMBER, name="张三", entered_on=date(2025, 3, 1))
    contact = writer.create(Contact, child=child, on=date(2025, 4, 1), kind="电话",
                            problems="录入重复")
    with pytest.raises(ValueError, match="结案"):
        writer.delete(child, "重复")
    writer.delete(contact, "重复录入")
    entry = audit.history("contact", contact.id)[-1]
    assert entry.action == "delete"
    assert changes_of(entry)["problems"] == ["录入重复", None]
    assert changes_of(entry)["reason"] == [None, "重复录入"]


def test_a_failed_write_leaves_no_audit_entry(archive):
    writer = archive.writer()
    writer.create(Child, id_number=NUMBER, name="张三", entered_on=date(2025, 3, 1))
    before = AuditEntry.select().count()
    with pytest.raises(IntegrityError):
        writer.create(Child, id_number=NUMBER, name="重复的人", entered_on=date(2025, 3, 1))
    assert AuditEntry.select().count() == before


def test_the_chain_verifies(archive):
    writer = archive.writer()
    child = writer.create(Child, id_number=NUMBER, name="张三", entered_on=date(2025, 3, 1))
    writer.create_many(Contact, [{"child": child.id, "on": date(2025, m, 1), "kind": "电话"}
                                 for m in range(1, 7)])
    writer.update(child, name="张珊")
    assert audit.verify_chain() == []


def test_bulk_creation_is_one_entry_that_history_finds(archive):
    writer = archive.writer()
    child = writer.create(Child, id_number=NUMBER, name="张三", entered_on=date(2025, 3, 1))
    ids = writer.create_many(Contact, [{"child": child.id, "on": date(2025, m, 1), "kind": "电话"}
                                       for m in range(1, 8)], batch=5)
    entries = AuditEntry.select().where(AuditEntry.table == "contact").order_by(AuditEntry.id)
    assert [json.loads(e.changes)["ids"] for e in entries] == [[ids[0], ids[4]], [ids[5], ids[6]]]
    [made] = audit.history("contact", ids[3])
    assert made.action == "create" and json.loads(made.changes)["count"] == 5
    assert audit.verify_chain() == []


def test_fields_kept_out_of_the_trail_are_still_saved(archive):
    from models.roles import SYSTEM
    from models.schema import User
    from models.writer import Writer

    writer = Writer(SYSTEM, SYSTEM)
    user = writer.create(User, username="liwen", role="录入员", password_hash="old-hash")
    changes = writer.update(user, password_hash="new-hash", display_name="李文")
    assert User.get_by_id(user.id).password_hash == "new-hash"
    assert set(changes) == {"password_hash", "display_name"}
    entry = audit.history("user", user.id)[-1]
    recorded = changes_of(entry)
    assert recorded["display_name"] == ["", "李文"]
    assert "hash" not in json.dumps(recorded["password_hash"])
    assert "old-hash" not in entry.changes and "new-hash" not in entry.changes
