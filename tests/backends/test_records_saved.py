"""Every kind of record of a child's file saved, changed and removed through ``archive.records``
and ``archive.child_file`` (the editors' path), read back after the archive is opened again:
on SQLite and on PostgreSQL."""

from datetime import date

import pytest

from models import record_kinds as rk
from models.schema import AuditEntry, Child

pytestmark = pytest.mark.both_backends


def first_record(kind):
    """A record of ``kind`` from the demo data, the newest of its child's."""
    model = kind.model
    return model.select().order_by(model.id.desc()).first()


def test_every_kind_of_record_is_saved_changed_and_removed(demo_archive, backend):
    archive = demo_archive
    records = archive.records
    child = Child.select().order_by(Child.id.desc()).first()
    saved = {}
    for kind in rk.ALL_KINDS:
        example = first_record(kind)
        if example is None:
            continue
        typed = records.values(kind, example)
        saved[kind.key] = (records.save(kind, child.id, None, typed).id, typed)
    assert len(saved) >= 12, sorted(saved)

    archive = backend.reopen(archive)
    records = archive.records
    for kind in rk.ALL_KINDS:
        if kind.key not in saved:
            continue
        record_id, typed = saved[kind.key]
        [record] = [r for r in records.of(kind, child.id) if r.id == record_id]
        assert records.values(kind, record) == typed, kind.key
        text = next((f.key for f in kind.spec.fields() if f.kind in ("text", "multiline")), None)
        if text:
            changed = records.save(kind, child.id, record, {**typed, text: "核实后更正"})
            assert getattr(changed, text) == "核实后更正"

    # The new agreement names the new carer: the carer goes only after the agreement.
    file = archive.child_file(child.id)
    carer = rk.CARER.model.get_by_id(saved["carer"][0])
    with pytest.raises(ValueError, match="这条受委托照护人记录还被委托照护协议引用，不能删除"):
        file.delete_record(carer, "录入错误")
    for kind in reversed(rk.ALL_KINDS):
        if kind.key in saved:
            file.delete_record(kind.model.get_by_id(saved[kind.key][0]), "录入错误")

    archive = backend.reopen(archive)
    try:
        for kind in rk.ALL_KINDS:
            if kind.key in saved:
                assert kind.model.get_or_none(kind.model.id == saved[kind.key][0]) is None
        removed = AuditEntry.select().where((AuditEntry.action == "delete")
                                            & AuditEntry.changes.contains("录入错误"))
        assert removed.count() == len(saved)
        assert archive.audit.replay().problems == []
        assert archive.child_file(child.id).facts().name == child.name
    finally:
        archive.close()


def test_a_child_is_saved_from_the_editor_and_read_back(new_archive, backend):
    from forms.idnumber import make_id_number

    records = new_archive.records
    number = make_id_number("140428", date(2016, 5, 17), 21, True)
    assert records.derived_from_id(number) == (date(2016, 5, 17), "男")
    typed = {"name": "张小明", "id_number": number, "village": "东坡村", "school": "中心小学",
             "entered_on": date(2025, 3, 1), "categories": "留守", "manual_colour": ""}
    child = records.save_child(None, typed)
    assert records.duplicate_message(number, None).startswith("该身份证号已在档案库中：张小明（东坡村")
    archive = backend.reopen(new_archive)
    try:
        again = Child.get_by_id(child.id)
        values = archive.records.child_values(again)
        assert (values["name"], values["village"], values["school"]) == ("张小明", "东坡村", "中心小学")
        assert again.birth_date == date(2016, 5, 17) and again.entered_on == date(2025, 3, 1)
        saved = archive.records.save_child(again, {**typed, "school": "城关一小", "village": "西河村"})
        assert (saved.school, saved.village.name) == ("城关一小", "西河村")
    finally:
        archive.close()
