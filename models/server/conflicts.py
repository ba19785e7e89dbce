"""Two clerks saving the same record: the second is told who changed what, never overwrites it.

On the server every row carries ``row_version``, ``changed_by`` (the login) and ``changed_at``,
kept by the database itself on every change (a trigger, so also for changes made outside the
app). When the writer saves a record it locks the row and compares it with the values the
editor loaded: if anything the person could see has changed since, nothing is written and
``EditConflict`` says, in Chinese, who changed which fields to what, so that the editor can
reload the record (``EditConflict.current``) and the person can redo their change on it.

Cached results (colour, due dates, search keys: ``audit_exclude``) change whenever anyone
writes a visit for the child; they are not the person's data and never make a conflict.
"""

from collections.abc import Callable
from datetime import datetime

import peewee as pw

from models import audit

VERSION_COLUMNS = ("row_version", "changed_by", "changed_at")

TRIGGER_FUNCTION = """
CREATE FUNCTION tongdang_row_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.row_version := OLD.row_version + 1;
    NEW.changed_by := session_user;
    NEW.changed_at := now();
    RETURN NEW;
END $$;
"""


def add_version_columns(db, table: str) -> None:
    """``row_version`` and who changed the row last, kept by the database (``county``)."""
    db.execute_sql(
        f'ALTER TABLE "{table}" ADD COLUMN row_version integer NOT NULL DEFAULT 1, '
        f"ADD COLUMN changed_by text NOT NULL DEFAULT session_user, "
        f"ADD COLUMN changed_at timestamptz NOT NULL DEFAULT now()")
    db.execute_sql(f'CREATE TRIGGER "{table}_row_changed" BEFORE UPDATE ON "{table}" '
                   f"FOR EACH ROW EXECUTE FUNCTION tongdang_row_changed()")


class EditConflict(Exception):
    """Someone else saved the record after it was loaded; ``str()`` says who changed what."""

    def __init__(self, table: str, record_id: int, changed_by: str, changed_at: datetime,
                 version: int, fields: dict, current: dict, label: Callable[[str, str], str]):
        self.table, self.record_id = table, record_id
        self.changed_by, self.changed_at, self.version = changed_by, changed_at, version
        self.fields = fields  # field -> [as loaded, as saved by the other person]
        self.current = current  # the record as it is now (reload it from here)
        super().__init__(self._message(label))

    def _message(self, label) -> str:
        from models.integrity import TABLE_NAMES

        what = TABLE_NAMES.get(self.table, self.table)
        if not self.fields:
            return (f"这条{what}记录在您打开之后已被其他用户删除，您的修改没有保存。"
                    "请关闭编辑窗口后重新打开儿童档案。")
        when = self.changed_at.strftime("%Y-%m-%d %H:%M") if self.changed_at else "刚才"
        changes = "；".join(f"{label(self.table, k)}：“{_text(a)}”改为“{_text(b)}”"
                           for k, (a, b) in self.fields.items())
        return (f"这条{what}记录在您打开之后已被 {self.changed_by} 于 {when} 修改（{changes}）。"
                "您的修改没有保存，以免覆盖对方的修改。请重新载入这条记录，核对后再修改。")


def _text(value) -> str:
    value = audit.plain(value)
    return "（空）" if value in (None, "") else str(value)


def _column_label(table: str, key: str) -> str:
    return key


# Set by the layer that knows the form labels (models.records) to name fields as the forms do.
field_label: Callable[[str, str], str] = _column_label


def save_unless_changed(instance: pw.Model, loaded: dict, changed: list[str]) -> None:
    """Save ``changed`` fields of ``instance`` if its row still holds ``loaded`` (field ->
    value as the editor read it), else raise ``EditConflict``. Runs inside the writer's
    transaction; the row stays locked until it ends."""
    model = type(instance)
    table = model._meta.table_name
    fields = [f for name, f in model._meta.fields.items()
              if name != "id" and name not in model.audit_exclude]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    db = model._meta.database
    row = db.execute_sql(
        f'SELECT {columns}, row_version, changed_by, changed_at FROM "{table}" '
        f"WHERE id = %s FOR UPDATE", (instance.id,)).fetchone()
    if row is None:
        raise EditConflict(table, instance.id, "另一位用户", None, 0,
                           {}, {}, field_label) from None
    differences = {}
    # the row is longer than the fields: row_version, changed_by and changed_at follow them
    for f, now in zip(fields, row, strict=False):
        before = loaded.get(f.name)
        if audit.canon(f, before) != audit.canon(f, now):
            differences[f.name] = [before, now]
    version, by, at = row[len(fields):]
    if differences:
        current = {f.name: value for f, value in zip(fields, row, strict=False)}  # (as above)
        raise EditConflict(table, instance.id, by, at, version, differences, current, field_label)
    instance.save(only=[model._meta.fields[k] for k in changed])
