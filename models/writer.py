"""The one place every write goes through: roles are enforced, derived fields are filled,
and an audit entry (who, when, which record, before → after) is appended in the same
transaction. Nothing is deleted silently: closing a child keeps everything, and the rare
deletion of a mistyped record keeps its full before-image in the audit trail.
"""

from collections.abc import Callable, Iterable
from datetime import date

import peewee as pw

from forms.idnumber import parse_id_number
from models import audit, summaries
from models.local_practice import prepare_manual_colour
from models.pinyin import name_keys
from models.roles import check_can_write
from models.schema import AuditEntry, Child, Contact, database


class Writer:
    def __init__(self, username: str, role: str,
                 on_children_changed: Callable[[set[int]], None] | None = None):
        self.username = username
        self.role = role
        self._on_children_changed = on_children_changed or (lambda ids: None)

    # -- single records -------------------------------------------------------------
    def create(self, model: type[pw.Model], **fields) -> pw.Model:
        check_can_write(self.role, model)
        if model is Child:
            prepare_manual_colour(self, None, fields)
        with database.atomic():
            _fill_derived(model, fields)
            instance = model.create(**fields)
            changes = {k: [None, audit.plain(v)] for k, v in _field_values(instance).items()
                       if v not in (None, "", False)}
            self._append(model, instance.id, "create", changes)
            _contacts_changed(model, [instance.child_id] if model is Contact else ())
        self._children_changed(model, [instance])
        return instance

    def update(self, instance: pw.Model, **new_values) -> dict:
        """Change fields; returns {field: [before, after]} of what really changed."""
        model = type(instance)
        check_can_write(self.role, model)
        if model is Child:
            prepare_manual_colour(self, instance, new_values)
        requested = set(new_values)
        with database.atomic():
            _fill_derived(model, new_values)
            before = _field_values(instance, everything=True)
            before_child = getattr(instance, "child_id", None)
            for key, value in new_values.items():
                setattr(instance, key, value)
            after = _field_values(instance, everything=True)
            changed = [k for k in new_values if k in after and before[k] != after[k]]
            # Search keys and cached results follow silently; what the caller set is recorded
            # (secrets and large content only as "changed").
            changes = {k: [audit.plain(before[k]), audit.plain(after[k])] for k in changed
                       if k in requested or k not in model.audit_exclude}
            if changed:
                _save_changed(instance, before, changed)
            if changes:
                self._append(model, instance.id, "update", _audited(model, changes))
            if changed:  # a contact moved to another child changes both
                _contacts_changed(model, {before_child, getattr(instance, "child_id", None)})
        if changes:
            self._children_changed(model, [instance])
        return changes

    def close_child(self, child: Child, on: date, reason: str) -> None:
        if not reason or not reason.strip():
            raise ValueError("结案必须填写原因。")
        check_can_write(self.role, Child)
        with database.atomic():
            before = [audit.plain(child.closed_on), child.closed_reason]
            child.closed_on, child.closed_reason = on, reason.strip()
            child.save(only=[Child.closed_on, Child.closed_reason])
            self._append(Child, child.id, "close", {
                "closed_on": [before[0], on.isoformat()],
                "closed_reason": [before[1], child.closed_reason]})
        self._children_changed(Child, [child])

    def reopen_child(self, child: Child, reason: str) -> None:
        check_can_write(self.role, Child)
        with database.atomic():
            changes = {"closed_on": [audit.plain(child.closed_on), None],
                       "closed_reason": [child.closed_reason, ""], "reopen_reason": [None, reason]}
            child.closed_on, child.closed_reason = None, ""
            child.save(only=[Child.closed_on, Child.closed_reason])
            self._append(Child, child.id, "reopen", changes)
        self._children_changed(Child, [child])

    def delete(self, instance: pw.Model, reason: str) -> None:
        """Remove a mistyped record; its full content stays in the audit trail."""
        model = type(instance)
        if model is Child:
            raise ValueError("儿童档案不能删除，只能结案。")
        if not reason or not reason.strip():
            raise ValueError("删除记录必须填写原因。")
        check_can_write(self.role, model)
        with database.atomic():
            _refuse_if_named(instance)
            before = {k: [audit.plain(v), None] for k, v in _field_values(instance).items()}
            before["reason"] = [None, reason.strip()]
            instance.delete_instance()
            self._append(model, instance.id, "delete", _audited(model, before))
            _contacts_changed(model, [getattr(instance, "child_id", None)])
        self._children_changed(model, [instance])

    # -- bulk (demo data, ledger import) --------------------------------------------
    def create_many(self, model: type[pw.Model], rows: list[dict], batch: int = 500) -> list[int]:
        """Insert many rows (ledger import, demo data) in one transaction.

        Each batch is one audit entry naming the ids it created and a digest of the rows, so
        the trail does not hold a second copy of every imported record.
        """
        check_can_write(self.role, model)
        ids: list[int] = []
        table = model._meta.table_name
        with database.atomic():
            prev = audit.last_hash()
            for start in range(0, len(rows), batch):
                chunk = rows[start:start + batch]
                for fields in chunk:
                    _fill_derived(model, fields)
                # Ids are consecutive inside the transaction (SQLite rowids; on the server a
                # run reserved from the sequence, models/server/ids.py).
                first_id = _next_id(model, len(chunk))
                _insert_rows(model, _with_ids(model, chunk, first_id))
                entry = audit.new_entry_row(prev, self.username, table, first_id, "create",
                                            audit.bulk_changes(first_id, chunk, model))
                entry["last_record_id"] = first_id + len(chunk) - 1
                AuditEntry.insert(entry).execute()
                prev = entry["hash"]
                ids.extend(range(first_id, first_id + len(chunk)))
            _contacts_changed(model, {_child_id(r["child"]) for r in rows} if model is Contact else ())
        if model is Child:
            self._on_children_changed(set(ids))
        elif "child" in model._meta.fields:
            self._on_children_changed({_child_id(r["child"]) for r in rows})
        return ids

    # -- internals ------------------------------------------------------------------
    def _append(self, model, record_id: int, action: str, changes: dict) -> None:
        entry = audit.new_entry_row(audit.last_hash(), self.username, model._meta.table_name,
                                    record_id, action, changes)
        AuditEntry.insert(entry).execute()

    def _children_changed(self, model, instances: Iterable[pw.Model]) -> None:
        if model is Child:
            ids = {i.id for i in instances}
        elif "child" in model._meta.fields:
            ids = {i.child_id for i in instances}
        else:
            return
        self._on_children_changed(ids)


def _child_id(value) -> int:
    return value if isinstance(value, int) else value.id


def _contacts_changed(model, child_ids) -> None:
    """The children's contact summaries follow their contacts, in the write's transaction."""
    if model is Contact:
        summaries.refresh(child_ids)


def _insert_rows(model, rows: list[dict]) -> None:
    """One prepared INSERT run for every row: peewee's insert_many builds SQL text per value,
    which made bulk imports several times slower than the database itself."""
    meta = model._meta
    keys = sorted({k for row in rows for k in row})
    fields = [meta.fields[k] for k in keys]
    defaults = [f for f in meta.sorted_fields
                if f.name not in keys and f.name != "id" and f.default is not None]
    fields += defaults
    db = meta.database
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    sql = (f'INSERT INTO "{meta.table_name}" ({columns}) '
           f'VALUES ({", ".join([db.param] * len(fields))})')
    params = [[f.db_value(row[f.name] if f.name in row else _default(f)) for f in fields]
              for row in rows]
    db.cursor().executemany(sql, params)


def _default(field):
    return field.default() if callable(field.default) else field.default


def _next_id(model, count: int) -> int:
    from models.server import is_server
    from models.server.ids import reserve_ids

    if is_server(model._meta.database):  # other clerks insert at the same time
        return reserve_ids(model, count)
    current = model.select(pw.fn.MAX(model.id)).scalar() or 0
    return current + 1


def _save_changed(instance, loaded: dict, changed: list[str]) -> None:
    from models.server import is_server

    if is_server(type(instance)._meta.database):  # another clerk may have saved it meanwhile
        from models.server.conflicts import save_unless_changed

        save_unless_changed(instance, loaded, changed)
        return
    instance.save(only=[type(instance)._meta.fields[k] for k in changed])


def _with_ids(model, rows: list[dict], first_id: int) -> list[dict]:
    """On the server, the reserved ids are written; on SQLite they follow by themselves."""
    from models.server import is_server

    if not is_server(model._meta.database):
        return rows
    return [{**row, "id": first_id + n} for n, row in enumerate(rows)]


def _fill_derived(model, fields: dict) -> None:
    """Birth date and sex come from the ID number; search keys from the name."""
    if model is not Child:
        return
    if "id_number" in fields:
        parsed = parse_id_number(fields["id_number"])
        fields["id_number"] = parsed.number
        fields["birth_date"], fields["sex"] = parsed.birth_date, parsed.sex
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        fields.update(name_keys(fields["name"]))


def _refuse_if_named(instance: pw.Model) -> None:
    """A record that others still name (a carer named by an agreement, a parent by a work-trip
    registration) is not removed: the database would refuse it with an English error."""
    model = type(instance)
    naming = [ref.model for ref in model._meta.backrefs
              if (ref.on_delete or "").upper() not in ("CASCADE", "SET NULL")
              and ref.model.select().where(ref == instance.id).exists()]
    if naming:
        names = "、".join(dict.fromkeys(_record_name(m) for m in naming))
        raise ValueError(f"这条{_record_name(model)}记录还被{names}引用，不能删除。"
                         f"请先修改或删除引用它的{names}，再删除这条记录。")


def _record_name(model) -> str:
    """What the editors call a kind of record (``models.record_kinds``), else the trail."""
    from models.integrity import TABLE_NAMES
    from models.record_kinds import KIND_BY_MODEL

    kind = KIND_BY_MODEL.get(model)
    return kind.title if kind else TABLE_NAMES.get(model._meta.table_name, model._meta.table_name)


def _field_values(instance, everything: bool = False) -> dict:
    """Field values by name; without ``everything``, only those the audit trail records."""
    model = type(instance)
    values = {}
    for name, field in model._meta.fields.items():
        if name == "id" or (name in model.audit_exclude and not everything):
            continue
        if isinstance(field, pw.ForeignKeyField):
            values[name] = getattr(instance, field.object_id_name)
        else:
            values[name] = getattr(instance, name)
    return values


def _audited(model, changes: dict) -> dict:
    """What the trail keeps: secrets and large content are named as changed, not copied."""
    return {k: (["（不记录内容）", "（已修改）"] if k in model.audit_exclude else v)
            for k, v in changes.items()}
