"""Each record's form-field ↔ column links, defined once (models.record_kinds, models.records)."""

from dataclasses import replace
from types import SimpleNamespace

import pytest

from forms.entrustment import ENTRUSTMENT
from forms.registry import FORMS_BY_KEY
from forms.spec import Field, FormSpec, Section
from models import record_kinds as rk
from models.records import editor_values, printed_values, stored_fields, stored_from
from models.schema import Child, EntrustmentAgreement


@pytest.mark.parametrize("kind", rk.ALL_KINDS, ids=lambda k: k.key)
def test_every_link_joins_a_column_to_a_field(kind):
    columns = set(kind.model._meta.fields)
    for form_key, column in kind.form_columns:
        assert column in columns, (kind.key, form_key, column)
    editor_keys = {f.key for f in kind.spec.fields()}
    assert editor_keys <= columns, editor_keys - columns


def test_the_child_links_name_basic_info_fields_and_child_columns():
    form_keys = {f.key for f in FORMS_BY_KEY["basic_info"].fields()}
    for form_key, column in rk.CHILD_FORM_COLUMNS:
        assert form_key in form_keys and column in Child._meta.fields, (form_key, column)


def test_a_form_field_named_as_a_column_is_edited_and_printed_without_more():
    """What adding a field to the agreement relies on (docs/architecture.md)."""
    carer = next(s for s in ENTRUSTMENT.sections if s.title == "乙方（受托人）")
    declared = Field("carer_declared", "乙方已声明", "bool", width=2)
    form = replace(ENTRUSTMENT, sections=tuple(
        replace(s, fields=(*s.fields, declared)) if s is carer else s
        for s in ENTRUSTMENT.sections))
    kind = rk._kind("agreement", "委托照护协议", EntrustmentAgreement,
                    (rk._field(form, "village_name", "witness"),), ("witness",), "starts_on",
                    form=form)
    # in the form's order, after the fields the kind lists itself
    assert [f.key for f in kind.spec.fields()] == ["witness", "carer_declared", "starts_on",
                                                  "ends_on"]
    assert kind.spec.field("carer_declared") == declared
    assert kind.column_of("carer_declared") == "carer_declared"
    assert kind.column_of("village_name") == "witness"
    record = SimpleNamespace(witness="东坡村民委员会", starts_on=None, ends_on=None,
                             carer_declared=True)
    assert printed_values(kind, record, form) == {
        "village_name": "东坡村民委员会", "carer_declared": True, "starts_on": None,
        "ends_on": None}


def test_the_agreement_prints_its_columns_into_the_form():
    a = SimpleNamespace(starts_on="s", ends_on="e", witness="村委会", notes="另约", signed_on="d",
                        status="已签订")
    assert printed_values(rk.AGREEMENT, a, ENTRUSTMENT) == {
        "starts_on": "s", "ends_on": "e", "village_name": "村委会", "other_terms": "另约",
        "entrustor_signed_on": "d", "carer_signed_on": "d", "village_signed_on": "d"}


def test_printing_splits_a_joined_multiple_choice_and_keeps_only_the_forms_fields():
    contact = SimpleNamespace(**{column: "" for _, column in rk.CONTACT.form_columns})
    contact.referral_departments = "教育、卫生健康"
    printed = printed_values(rk.CONTACT, contact, FORMS_BY_KEY["visit_record"])
    assert printed["referrals"] == ["教育", "卫生健康"]
    carer = SimpleNamespace(name="郑奶奶", relation="祖母", id_number="", health="健康",
                            address="同儿童住址", phone="13900001111")
    on_basic_info = printed_values(rk.CARER, carer, FORMS_BY_KEY["basic_info"])
    assert "carer_health" not in on_basic_info  # 儿童基本信息表 has no such field
    assert on_basic_info["carer_name"] == "郑奶奶"


def test_a_ledger_row_is_stored_through_the_same_links():
    row = {"carer_name": "王爷爷", "carer_relation": "祖父", "carer_phone": "13900001111",
           "father_name": "王大"}
    assert stored_from(rk.CARER, row) == {"name": "王爷爷", "relation": "祖父",
                                          "phone": "13900001111"}


def test_the_editor_reads_and_writes_columns_by_its_own_keys():
    kind = rk.AGREEMENT
    record = SimpleNamespace(**{f.key: None for f in kind.spec.fields()})
    record.witness = "村委会"
    assert editor_values(kind, record)["witness"] == "村委会"
    stored = stored_fields(kind, {"witness": None, "carer_declared": None, "starts_on": None})
    # blank text and unticked boxes for the columns that may not be NULL, dates left empty
    assert stored == {"witness": "", "carer_declared": False, "starts_on": None, "status": "",
                      "notes": ""}


def test_a_kind_without_a_form_adds_nothing():
    form = FormSpec("x", "X", (Section("s", (Field("status", "状态"),)),))
    kind = rk._kind("x", "X", EntrustmentAgreement, (Field("notes", "备注"),), ("notes",),
                    "starts_on")
    assert [f.key for f in kind.spec.fields()] == ["notes"] and kind.form_columns == ()
    assert printed_values(kind, SimpleNamespace(notes="n"), form) == {}
