"""Saving and reading the records of a child's file, through their form-field ↔ column links.

The links themselves are defined once, in ``models.record_kinds``; this module applies them:
``editor_values``/``stored_fields`` for the editor, ``printed_values`` for ``models.fill``
(the paper forms), ``stored_from`` for the ledger import. ``Records`` is the archive's facet
(``archive.records``). Everything is written through ``archive.writer()`` (roles, audit trail,
cached state).
"""

from __future__ import annotations

from datetime import date

from forms import vocab
from forms.idnumber import IdNumberError, parse_id_number
from forms.spec import FormSpec
from models.record_kinds import (
    AGREEMENT,
    CHILD_DERIVED,
    CHILD_SPEC,
    Pairs,
    RecordKind,
)
from models.schema import Carer, Child, FamilyMember, Village

# -- the links, both ways --------------------------------------------------------------------

def editor_values(kind: RecordKind, record) -> dict:
    """What the editor shows for a stored record: its columns by the editor's field keys."""
    return {f.key: getattr(record, f.key, None) for f in kind.spec.fields()}


def printed_values(pairs: Pairs | RecordKind, record, form: FormSpec | None = None,
                   skip: tuple[str, ...] = ()) -> dict:
    """A stored record's columns by the paper form's field keys (only the form's fields, when
    ``form`` is given; a 、-joined column prints as the list a multiple choice is)."""
    if isinstance(pairs, RecordKind):
        pairs = pairs.form_columns
    fields = {f.key: f for f in form.fields()} if form is not None else None
    values = {}
    for form_key, column in pairs:
        if form_key in skip or (fields is not None and form_key not in fields):
            continue
        value = getattr(record, column)
        if fields is not None and fields[form_key].kind == "multichoice" and isinstance(value, str):
            value = vocab.split_multi(value)
        values[form_key] = value
    return values


def stored_from(kind: RecordKind, values: dict) -> dict:
    """Columns of ``kind`` from values keyed by its form's field keys (e.g. a ledger row's
    ``carer_phone`` → the carer's ``phone``); keys the form does not have are left out."""
    return {column: values[key] for key, column in kind.form_columns if key in values}


def stored_fields(kind: RecordKind, typed: dict) -> dict:
    """The columns to store from the editor's typed values (blank text and booleans filled in)."""
    fields = dict(typed)
    for f in kind.spec.fields():
        model_field = kind.model._meta.fields.get(f.key)
        if fields.get(f.key) is None and model_field is not None and not model_field.null \
                and f.kind not in ("date", "number"):
            fields[f.key] = False if f.kind == "bool" else ""
        if f.kind == "bool" and fields.get(f.key) is None and model_field is not None \
                and not model_field.null:
            fields[f.key] = False
    return fields


def label_of(spec: FormSpec, key: str) -> str:
    try:
        return spec.field(key).label
    except KeyError:
        return key


# -- the child -------------------------------------------------------------------------------

def child_values(child: Child) -> dict:
    values = {f.key: getattr(child, f.key, None) for f in CHILD_SPEC.fields()
              if f.key not in ("village", "manual_colour")}
    values["village"] = child.village.name if child.village_id else ""
    values["manual_colour"] = vocab.COLOUR_NAMES.get(child.manual_colour or "", "")
    return values


def derived_from_id(text: str) -> tuple[date, str] | None:
    try:
        parsed = parse_id_number(text)
    except IdNumberError:
        return None
    return parsed.birth_date, parsed.sex


def duplicate_message(id_number: str, child_id: int | None) -> str | None:
    """"Already in the archive" for an ID number another child has."""
    try:
        number = parse_id_number(id_number).number
    except IdNumberError:
        return None
    other = Child.get_or_none(Child.id_number == number)
    if other is None or other.id == child_id:
        return None
    village = other.village.name if other.village_id else ""
    closed = "，已结案" if other.closed_on else ""
    return f"该身份证号已在档案库中：{other.name}（{village}{closed}），请勿重复建档"


def village_id(writer, name: str) -> int | None:
    name = (name or "").strip()
    if not name:
        return None
    village = Village.get_or_none(Village.name == name)
    if village is None:
        village = writer.create(Village, name=name, kind="社区" if name.endswith("社区") else "村")
    return village.id


def child_fields(writer, typed: dict) -> dict:
    """Archive columns from the editor's typed values (birth date and sex are derived)."""
    fields = {k: v for k, v in typed.items() if k not in CHILD_DERIVED}
    fields["village"] = village_id(writer, fields.get("village") or "")
    fields["manual_colour"] = vocab.COLOUR_BY_NAME.get(fields.get("manual_colour") or "") or None
    for key in ("household_registered", "single_parent", "boarding"):
        if fields.get(key) is None:
            fields[key] = key == "household_registered"
    for f in CHILD_SPEC.fields():
        if f.key in fields and fields[f.key] is None and f.kind not in ("date",) \
                and f.key not in ("village", "manual_colour"):
            fields[f.key] = ""
    return fields


def save_child(archive, child: Child | None, typed: dict) -> Child:
    writer = archive.writer()
    fields = child_fields(writer, typed)
    if child is None:
        return writer.create(Child, **fields)
    writer.update(child, **fields)
    return Child.get_by_id(child.id)


# -- records of the file ---------------------------------------------------------------------

def records_of(kind: RecordKind, child_id: int) -> list:
    model = kind.model
    order = getattr(model, kind.order_by)
    return list(model.select().where(model.child == child_id).order_by(order.desc(), model.id.desc()))


def save_record(archive, kind: RecordKind, child_id: int, record, typed: dict):
    writer = archive.writer()
    fields = stored_fields(kind, typed)
    if record is None:
        if kind is AGREEMENT:
            fields.update(_agreement_parties(child_id))
        return writer.create(kind.model, child=child_id, **fields)
    writer.update(record, **fields)
    return kind.model.get_by_id(record.id)


def _agreement_parties(child_id: int) -> dict:
    """A new agreement links the parent away for work (甲方) and the current carer (乙方)."""
    principal = (FamilyMember.select().where((FamilyMember.child == child_id)
                                             & (FamilyMember.relation.in_(vocab.PARENT_RELATIONS)))
                 .order_by((FamilyMember.status != "外出务工"), FamilyMember.id).first())
    carer = (Carer.select().where((Carer.child == child_id) & (Carer.current == True))
             .order_by(Carer.id.desc()).first())
    return {"principal": principal.id if principal else None, "carer": carer.id if carer else None}


class Records:
    """``archive.records``: a child's particulars and the records of the child's file."""

    def __init__(self, archive):
        self.archive = archive

    def of(self, kind: RecordKind, child_id: int) -> list:
        return records_of(kind, child_id)

    def values(self, kind: RecordKind, record) -> dict:
        return editor_values(kind, record)

    def save(self, kind: RecordKind, child_id: int, record, typed: dict):
        return save_record(self.archive, kind, child_id, record, typed)

    def child_values(self, child: Child) -> dict:
        return child_values(child)

    def save_child(self, child: Child | None, typed: dict) -> Child:
        return save_child(self.archive, child, typed)

    def duplicate_message(self, id_number: str, child_id: int | None) -> str | None:
        return duplicate_message(id_number, child_id)

    def derived_from_id(self, text: str) -> tuple[date, str] | None:
        """Birth date and sex read from an ID number (None when it is not one)."""
        return derived_from_id(text)

    def label_of(self, spec: FormSpec, key: str) -> str:
        return label_of(spec, key)
