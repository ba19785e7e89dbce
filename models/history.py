"""A child's history in words: every audit entry about the child and about each record of the
child's file.

The audit trail (models.audit) has three shapes this must read:
- one entry per write (新建, 修改, 结案, 重新启用, 删除) naming one record by ``record_id``;
- one entry per *batch* of a bulk creation (ledger import, demo data): ``record_id`` ..
  ``last_record_id`` and a digest instead of the fields, so a child's record can sit in the
  middle of a batch;
- the ``删除`` entry of a record deleted as wrongly entered: the record is gone from its table,
  and only the entry's before-image (with ``child``) says whose it was.
Attachments (附件) are records of the child too.

How each table's records are told apart and labelled comes from the record kinds of a child's
file (``tables_in_words``), passed in by who defines them.
"""

from __future__ import annotations

import functools
import json
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from forms.field_text import display_text
from forms.spec import FormSpec
from models import audit
from models.schema import ALL_MODELS, Attachment, AuditEntry, Child, User

_CHUNK = 500
ATTACHMENT_TITLE = "附件"
ATTACHMENT_LABELS = {"file_name": "文件名", "mime_type": "文件类型", "sha256": "校验值（SHA-256）",
                     "size": "大小（字节）", "description": "说明", "added_on": "添加日期"}
EXTRA_LABELS = {"closed_on": "结案日期", "closed_reason": "结案原因", "reopen_reason": "重新启用原因",
                "reason": "删除原因", "child": "儿童", "principal": "委托人", "carer": "受托人",
                "scan": "协议扫描件", **ATTACHMENT_LABELS}
BULK_ACTION = "批量新建"
CHILD_TABLE = Child._meta.table_name
MODEL_OF_TABLE = {model._meta.table_name: model for model in ALL_MODELS}
# The records of a child's file: every table whose ``child`` column points at the child.
CHILD_RECORD_MODELS = tuple(
    model for model in ALL_MODELS
    if getattr(model._meta.fields.get("child"), "rel_model", None) is Child)


@dataclass(frozen=True)
class TableWords:
    """How the history names one table's records: its title, the form that labels its fields
    (None: ``EXTRA_LABELS`` only) and the fields that tell one record from another."""

    title: str
    spec: FormSpec | None
    keys: tuple[str, ...]


Tables = dict[str, TableWords]


def tables_in_words(kinds: Iterable, child_spec: FormSpec | None) -> Tables:
    """The words for the child, each record kind (``.model``, ``.title``, ``.spec``,
    ``.list_columns``) and the attachments."""
    tables = {kind.model._meta.table_name:
              TableWords(kind.title, kind.spec, tuple(kind.list_columns[:3])) for kind in kinds}
    tables[CHILD_TABLE] = TableWords("儿童基本信息", child_spec, ("name",))
    tables[Attachment._meta.table_name] = TableWords(ATTACHMENT_TITLE, None,
                                                     ("file_name", "added_on"))
    return tables


@dataclass(frozen=True)
class HistoryLine:
    entry_id: int
    at: str
    user: str  # the app user: 姓名（用户名）
    action: str  # 新建, 修改, 删除, 批量新建 …
    record: str  # which record, in words: 走访记录：2026-03-01 入户走访 张主任
    details: str

    def cells(self) -> tuple[str, str, str, str, str]:
        return (self.at, self.user, self.action, self.record, self.details)


# -- which entries --------------------------------------------------------------------------

def deleted_record_ids(model, child_id: int) -> set[int]:
    """Ids of the child's records of ``model`` deleted as wrongly entered (from the audit
    trail: the record itself is gone)."""
    table = model._meta.table_name
    query = (AuditEntry.select(AuditEntry.record_id, AuditEntry.changes)
             .where((AuditEntry.table == table) & (AuditEntry.action == "delete")
                    & AuditEntry.changes.contains(f'"child": [{child_id},')))
    ids = set()
    for entry in query:
        try:
            before = json.loads(entry.changes).get("child", [None])[0]
        except (ValueError, AttributeError, IndexError):
            continue
        if before == child_id:
            ids.add(entry.record_id)
    return ids


def _covers(entry: AuditEntry, ids: list[int]) -> list[int]:
    """The ids (sorted) that a bulk entry created."""
    start = bisect_left(ids, entry.record_id)
    out = []
    for i in ids[start:]:
        if i > entry.last_record_id:
            break
        out.append(i)
    return out


def entries_by_record(child_id: int) -> list[tuple[AuditEntry, str, list[int]]]:
    """(entry, table, the child's record ids it concerns), oldest first."""
    found: dict[int, tuple[AuditEntry, str, list[int]]] = {}
    for entry in audit.history("child", child_id):
        found[entry.id] = (entry, "child", [child_id])
    for model in CHILD_RECORD_MODELS:
        table = model._meta.table_name
        ids = {r.id for r in model.select(model.id).where(model.child == child_id)}
        ids |= deleted_record_ids(model, child_id)
        if not ids:
            continue
        ordered = sorted(ids)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start:start + _CHUNK]
            for entry in AuditEntry.select().where((AuditEntry.table == table)
                                                   & AuditEntry.record_id.in_(chunk)):
                covered = _covers(entry, ordered) if entry.last_record_id else [entry.record_id]
                found[entry.id] = (entry, table, covered)
        # Batches that began with another child's record and went on into this child's.
        for entry in AuditEntry.select().where(
                (AuditEntry.table == table) & AuditEntry.last_record_id.is_null(False)
                & (AuditEntry.record_id <= ordered[-1])
                & (AuditEntry.last_record_id >= ordered[0])):
            covered = _covers(entry, ordered)
            if covered:
                found[entry.id] = (entry, table, covered)
    return [found[k] for k in sorted(found)]


def history_entries(child_id: int) -> list[AuditEntry]:
    """Audit entries of the child and of every record in the child's file, oldest first."""
    return [entry for entry, _table, _ids in entries_by_record(child_id)]


# -- in words -------------------------------------------------------------------------------

def user_names() -> dict[str, str]:
    """username -> how the history shows the app user: 姓名（用户名）, or the user name."""
    names = {}
    for user in User.select(User.username, User.display_name):
        shown = user.display_name.strip()
        names[user.username] = (f"{shown}（{user.username}）" if shown and shown != user.username
                                else user.username)
    return names


def _words(tables: Tables, table: str) -> TableWords:
    return tables.get(table) or TableWords(table, None, ())


def _label(tables: Tables, table: str, key: str) -> str:
    if key in EXTRA_LABELS:
        return EXTRA_LABELS[key]
    f = _field(_words(tables, table).spec, key)
    return f.label if f is not None else key


def _field(spec, key):
    if spec is None:
        return None
    try:
        return spec.field(key)
    except KeyError:
        return None


def _value_text(tables: Tables, table: str, key: str, value) -> str:
    f = _field(_words(tables, table).spec, key)
    if f is not None:
        try:
            text = display_text(f, value)
        except Exception:  # noqa: BLE001 - an old value of another shape is shown as it is
            text = str(value)
    else:
        text = _plain(value)
    return text if text not in ("", None) else "（空）"


def _plain(value) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def record_words(tables: Tables, table: str, values: dict) -> str:
    """A record in words: its title and the fields that tell it apart."""
    words = _words(tables, table)
    parts = [_value_text(tables, table, k, values.get(k))
             for k in words.keys if values.get(k) not in (None, "")]
    return f"{words.title}：{' '.join(parts)}" if parts else words.title


def _current_values(table: str, record_id: int) -> dict | None:
    model = MODEL_OF_TABLE.get(table)
    if model is None:
        return None
    return model.select().where(model.id == record_id).dicts().first()


def _before_image(entry: AuditEntry) -> dict:
    try:
        changes = json.loads(entry.changes)
    except ValueError:
        return {}
    return {k: v[0] for k, v in changes.items() if isinstance(v, list) and len(v) == 2}


def describe_changes(entry: AuditEntry, tables: Tables) -> str:
    """What an entry changed, field by field, in words."""
    try:
        changes = json.loads(entry.changes)
    except ValueError:
        return entry.changes
    if entry.last_record_id is not None or ("ids" in changes and "sha256" in changes):
        count = changes.get("count") or (entry.last_record_id - entry.record_id + 1)
        return f"台账导入或批量录入，同批新建 {count} 条记录（内容的校验值记入审计记录）"
    parts, reason = [], ""
    for key, pair in changes.items():
        if key == "child" or not isinstance(pair, list) or len(pair) != 2:
            continue
        before, after = pair
        label = _label(tables, entry.table, key)
        if key == "reason":
            reason = f"删除原因：{_plain(after)}"
        elif entry.action == "create":
            parts.append(f"{label}：{_value_text(tables, entry.table, key, after)}")
        elif entry.action == "delete":
            parts.append(f"{label}：{_value_text(tables, entry.table, key, before)}")
        else:
            parts.append(f"{label}：{_value_text(tables, entry.table, key, before)} → "
                         f"{_value_text(tables, entry.table, key, after)}")
    if entry.action == "delete":
        return "；".join(([reason] if reason else []) + (["原内容：" + "；".join(parts)] if parts else []))
    return "；".join(parts)


@functools.cache
def record_tables() -> Tables:
    """The words of every kind of record in a child's file (``models.record_kinds``)."""
    from models.record_kinds import ALL_KINDS, CHILD_SPEC

    return tables_in_words(ALL_KINDS, CHILD_SPEC)


def history_lines(child_id: int, tables: Tables | None = None) -> list[HistoryLine]:
    """Every change to the child's file, newest first, one line per record concerned, in the
    words of ``tables`` (``tables_in_words``; by default those of the record kinds)."""
    tables = tables or record_tables()
    names = user_names()
    lines = []
    current: dict[tuple[str, int], dict | None] = {}
    deleted: dict[tuple[str, int], dict] = {}
    triples = entries_by_record(child_id)
    for entry, table, _ids in triples:
        if entry.action == "delete":
            deleted[(table, entry.record_id)] = _before_image(entry)
    for entry, table, ids in triples:
        at = entry.at if isinstance(entry.at, str) else entry.at.strftime("%Y-%m-%d %H:%M")
        user = names.get(entry.username, entry.username)
        bulk = entry.last_record_id is not None
        action = BULK_ACTION if bulk else audit.ACTION_NAMES.get(entry.action, entry.action)
        details = describe_changes(entry, tables)
        for record_id in ids:
            key = (table, record_id)
            if key not in current:
                current[key] = _current_values(table, record_id)
            values = current[key] or deleted.get(key) or {}
            if not bulk and entry.action == "create" and not current[key]:
                values = {k: v[1] for k, v in json.loads(entry.changes).items()
                          if isinstance(v, list) and len(v) == 2} or values
            words = record_words(tables, table, values)
            if current[key] is None and table != "child":
                words += "（已删除）"
            lines.append(HistoryLine(entry.id, str(at)[:16], user, action, words, details))
    lines.reverse()
    return lines
