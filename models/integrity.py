"""What ``tongdang verify`` proves: the audit trail replayed against every current row, and the
trail compared with a chain head kept outside the archive (an anchor).

The hash chain alone (``audit.verify_chain``) only shows that entries fit together: anyone
with the recovery code can rewrite the trail and recompute every hash. Two further checks:

* **Replay**: every row of every audited table must be what its audit entries say — created
  by a 'create' entry, changed only by 'update'/'close'/'reopen' entries, never deleted
  without a 'delete' entry. A change made directly in the database (a child's name, a user's
  role) is found and named: table, row, field.
* **Anchor**: a chain head (count and hash) kept outside the archive — in a backup, on a
  printed 抽查记录表, in a county package — must still be found in the trail. If entries up to
  that head were removed or rewritten (even with every hash recomputed), the head differs.

What no check on a single PC can prove: a change that someone with the key made *and* wrote
into the trail as an ordinary entry after the newest anchor looks like an ordinary edit; and
without any anchor, a trail rewritten from the start with recomputed hashes is consistent.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw

from models import audit
from models.audit import ChainHead, canon, field_default, short_digest
from models.schema import ALL_MODELS, AuditEntry, Draft

# Tables that are not archive records (no audit entries by design).
UNAUDITED = (AuditEntry, Draft)
MODIFIED = "（已修改）"

TABLE_NAMES = {
    "township": "乡镇", "village": "村（社区）", "user": "用户", "child_director": "儿童主任",
    "director_village": "儿童主任服务村", "training": "培训", "screening_round": "摸底排查",
    "guidance_session": "家庭教育指导", "child": "儿童", "family_member": "家庭成员",
    "carer": "被委托照护人", "attachment": "附件", "entrustment_agreement": "委托照护协议",
    "guardianship_assessment": "监护评估", "risk_finding": "风险情形", "contact": "走访记录",
    "work_log_entry": "工作日志", "care_record": "关爱帮扶记录", "problem": "发现问题",
    "referral": "转介", "mandatory_report": "强制报告", "psych_assessment": "心理测评",
    "work_trip_registration": "外出务工备案", "spot_check": "抽查记录",
}


def table_label(table: str) -> str:
    name = TABLE_NAMES.get(table)
    return f"{name}（{table}）" if name else table


@dataclass
class _Row:
    kind: str  # "single" / "bulk" / "deleted"
    values: dict = field(default_factory=dict)  # field -> canon value (single: complete)
    first_before: dict = field(default_factory=dict)  # bulk: field -> value at creation
    bulk: tuple | None = None  # (entry id, index in the entry)
    parent: dict = field(default_factory=dict)


@dataclass
class _Bulk:
    entry_id: int
    first: int
    last: int
    fields: list[str] | None
    rows: list[str] | None
    columns: dict | None


@dataclass
class ReplayReport:
    problems: list[str]
    rows_checked: int
    unchecked_bulk_rows: int = 0  # rows made by old bulk entries that kept only one digest


def _audited_models():
    return [m for m in ALL_MODELS if m not in UNAUDITED]


def _fields(model):
    """Fields the trail records for a model (no id, no cached or secret ones)."""
    return [f for name, f in model._meta.fields.items()
            if name != "id" and name not in model.audit_exclude]


def _empty(value) -> bool:
    return value in (None, "", False, 0, "0.0")


def _same(field_, expected, actual, default) -> bool:
    if expected == actual:
        return True
    if expected is _EMPTY:
        return _empty(actual) or actual == canon(field_, default)
    return False


_EMPTY = object()


def replay(progress=None) -> ReplayReport:
    """Replay the trail and compare it with every current row of every audited table."""
    models = {m._meta.table_name: m for m in _audited_models()}
    state: dict[str, dict[int, _Row]] = {t: {} for t in models}
    bulks: dict[int, _Bulk] = {}
    deleted_parents: dict[str, set[int]] = {t: set() for t in models}
    query = (AuditEntry.select(AuditEntry.id, AuditEntry.table, AuditEntry.record_id,
                               AuditEntry.last_record_id, AuditEntry.action, AuditEntry.changes)
             .order_by(AuditEntry.id).tuples().iterator())
    for entry_id, table, record_id, last_record_id, action, changes_json in query:
        model = models.get(table)
        if model is None or action == "login":
            continue
        try:
            changes = json.loads(changes_json)
        except ValueError:
            continue  # verify_chain reports a rewritten entry
        rows = state[table]
        fields = model._meta.fields
        if action == "create" and (last_record_id is not None or "ids" in changes):
            last = last_record_id if last_record_id is not None else changes["ids"][1]
            bulk = _Bulk(entry_id, record_id, last, changes.get("fields"), changes.get("rows"),
                         changes.get("columns"))
            bulks[entry_id] = bulk
            for i, row_id in enumerate(range(record_id, last + 1)):
                rows[row_id] = _Row("bulk", bulk=(entry_id, i))
        elif action == "create":
            values = {k: canon(fields[k], v[1]) for k, v in changes.items()
                      if k in fields and isinstance(v, list) and len(v) == 2 and v[1] != MODIFIED}
            rows[record_id] = _Row("single", values=values)
        elif action == "delete":  # one row, or a run of ids (a 上报包 replaced on the server)
            last = changes["ids"][1] if "ids" in changes else record_id
            for row_id in range(record_id, last + 1):
                rows[row_id] = _Row("deleted")
                deleted_parents[table].add(row_id)
        elif action in ("update", "close", "reopen"):
            row = rows.get(record_id)
            if row is None or row.kind == "deleted":
                continue  # reported below when the row exists
            for k, v in changes.items():
                if k not in fields or not isinstance(v, list) or len(v) != 2 or MODIFIED in v:
                    continue
                value = canon(fields[k], v[1])
                if row.kind == "bulk" and k not in row.values and k not in row.first_before:
                    row.first_before[k] = canon(fields[k], v[0])
                row.values[k] = value
    problems: list[str] = []
    checked = unchecked = 0
    db = AuditEntry._meta.database
    for table, model in models.items():
        rows = state[table]
        fields = _fields(model)
        names = [f.name for f in fields]
        convert = [audit.converter(f) for f in fields]
        defaults = [canon(f, field_default(f)) for f in fields]
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        cursor = db.execute_sql(f'SELECT "id", {columns} FROM "{table}"')
        seen: set[int] = set()
        by_bulk: dict[int, list] = {}
        for values in cursor:
            row_id = values[0]
            current = [fn(v) for fn, v in zip(convert, values[1:], strict=True)]
            seen.add(row_id)
            checked += 1
            row = rows.get(row_id)
            if row is None:
                problems.append(f"{table_label(table)}第{row_id}号记录没有新建的审计记录："
                                "是在童档之外加进档案库的。")
                continue
            if row.kind == "deleted":
                problems.append(f"{table_label(table)}第{row_id}号记录按审计记录已删除，"
                                "却仍在档案库中：是在童档之外放回的。")
                continue
            if row.kind == "single":
                expected_values = row.values
                for i, name in enumerate(names):
                    expected = expected_values.get(name, _EMPTY)
                    actual = current[i]
                    if expected != actual and not (
                            expected is _EMPTY and (_empty(actual) or actual == defaults[i])):
                        problems.append(_changed(f"{table_label(table)}第{row_id}号记录", name,
                                                 expected, actual))
                continue
            if row.values:
                for i, name in enumerate(names):  # fields changed later through the app
                    if name in row.values and current[i] != row.values[name]:
                        problems.append(_changed(f"{table_label(table)}第{row_id}号记录", name,
                                                 row.values[name], current[i]))
            by_bulk.setdefault(row.bulk[0], []).append(
                (row_id, dict(zip(names, current, strict=True)), row))
        for entry_id, members in by_bulk.items():
            found, skipped = _check_bulk(table, model, bulks[entry_id], members)
            problems += found
            unchecked += skipped
        cascade = _cascade_parents(model)
        for row_id, row in rows.items():
            if row.kind == "deleted" or row_id in seen:
                continue
            if cascade and any(deleted_parents.get(t) for t in cascade):
                continue  # removed with a deleted parent (ON DELETE CASCADE)
            problems.append(f"{table_label(table)}第{row_id}号记录没有删除的审计记录，"
                            "却已不在档案库中：是在童档之外删除的。")
        if progress:
            progress(table)
    return ReplayReport(problems, checked, unchecked)


def _cascade_parents(model) -> list[str]:
    return [f.rel_model._meta.table_name for f in model._meta.fields.values()
            if isinstance(f, pw.ForeignKeyField) and (f.on_delete or "").upper() == "CASCADE"]


def _changed(where: str, name: str, expected, actual) -> str:
    shown = "（空）" if expected is _EMPTY or expected in (None, "") else expected
    now = "（空）" if actual in (None, "") else actual
    return (f"{where}的字段“{name}”与审计记录不符：按审计记录应为“{_short(shown)}”，"
            f"现在是“{_short(now)}”（在童档之外被改动）。")


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _check_bulk(table: str, model, bulk: _Bulk, members) -> tuple[list[str], int]:
    """Rows of one bulk creation: rebuilt as created (undoing later edits) and compared with
    the row and column digests the entry kept."""
    if bulk.fields is None or bulk.rows is None:
        return [], len(members)
    meta = model._meta.fields
    names = [n for n in bulk.fields if n in meta]
    problems = []
    created = {}
    for row_id, current, row in members:
        values = []
        for name in bulk.fields:
            if name in row.first_before:
                values.append(row.first_before[name])
            elif name in current:
                values.append(current[name])
            else:  # excluded from the audit (cached): the digest cannot be rebuilt
                values.append(None)
        created[row_id] = values
        excluded = [n for n in bulk.fields if n not in current]
        index = row.bulk[1]
        if not excluded and index < len(bulk.rows) and short_digest(values) != bulk.rows[index]:
            problems.append((row_id, index))
        # Fields that the bulk creation did not set were stored with their defaults.
        for f in _fields(model):
            if f.name in names or f.name in row.values:
                continue
            if not _same(f, _EMPTY, current[f.name], field_default(f)):
                where = f"{table_label(table)}第{row_id}号记录"
                problems.append(_changed(where, f.name, _EMPTY, current[f.name]))
    messages = [p for p in problems if isinstance(p, str)]
    bad_rows = [p for p in problems if not isinstance(p, str)]
    if bad_rows:
        suspects = []
        if bulk.columns and len(members) == bulk.last - bulk.first + 1:
            by_index = sorted((row.bulk[1], created[row_id]) for row_id, _, row in members)
            for i, name in enumerate(bulk.fields):
                column = [values[i] for _, values in by_index]
                if bulk.columns.get(name) != short_digest(column):
                    suspects.append(name)
        which = f"被改动的字段：{'、'.join(suspects)}" if suspects else "无法确定是哪个字段"
        for row_id, _ in bad_rows:
            messages.append(f"{table_label(table)}第{row_id}号记录与批量新建时的校验值不符"
                            f"（{which}），是在童档之外被改动的。")
    return messages, 0


# --- anchors ---------------------------------------------------------------------------------

@dataclass
class AnchorResult:
    source: str
    head: ChainHead
    ok: bool
    message: str


def check_head(head: ChainHead, source: str) -> AnchorResult:
    """Is the trail as it was when ``head`` was taken (entries since may only be added)?"""
    before_import = _head_before_import(head, source)
    if before_import is not None:
        return before_import
    total = AuditEntry.select().count()
    if head.count == 0:
        return AnchorResult(source, head, True, f"{source}：核对码记录时还没有审计记录。")
    if total < head.count:
        return AnchorResult(source, head, False,
                            f"{source}：当时有{head.count}条审计记录，现在只有{total}条——"
                            f"至少{head.count - total}条审计记录在那以后被删除了。")
    entry = (AuditEntry.select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id)
             .offset(head.count - 1).first())
    if not entry.hash.lower().startswith(head.hash.lower()):
        return AnchorResult(source, head, False,
                            f"{source}：第{head.count}条审计记录与当时的核对码不符——"
                            "那以前的审计记录在那以后被删除、改写或重新计算过。")
    problems = [p for p in audit.verify_chain() if p.entry_id <= entry.id]
    if problems:
        return AnchorResult(source, head, False,
                            f"{source}：核对码相符，但那以前的审计记录前后不衔接（{problems[0].message}）。")
    return AnchorResult(source, head, True,
                        f"{source}：当时的{head.count}条审计记录原样保存（此后新增{total - head.count}条）。")


def _head_before_import(head: ChainHead, source: str) -> AnchorResult | None:
    """On the server, a code taken before the township moved in names its imported trail
    (``models.server.imported_trail``; checked as a whole by ``verify``)."""
    from models.server import is_server

    db = AuditEntry._meta.database
    if not is_server(db):
        return None
    from models.server.imported_trail import head_before_import

    if head_before_import(db, head) is None:
        return None
    return AnchorResult(source, head, True, f"{source}：迁入县级数据库以前的{head.count}条"
                                            "审计记录原样保存在迁入前的审计记录中。")


def check_backup_trail(path: Path, key_hex: str) -> AnchorResult:
    """A backup as anchor: its whole trail must be the beginning of the archive's trail."""
    from models.backup import _open_read_only

    conn = _open_read_only(path, key_hex)
    try:
        rows = conn.execute("SELECT id, at, username, \"table\", record_id, action, changes, "
                            "prev_hash, hash FROM audit_entry ORDER BY id").fetchall()
    finally:
        conn.close()
    source = f"备份“{Path(path).name}”"
    prev = audit.GENESIS
    for row in rows:
        at = row[1] if isinstance(row[1], str) else str(row[1])
        if row[7] != prev or audit.entry_hash(row[7], at.replace("T", " "), *row[2:7]) != row[8]:
            break  # the backup's own trail was altered: fall back to its head as stored
        prev = row[8]
    head = ChainHead(len(rows), rows[-1][8] if rows else audit.GENESIS)
    result = check_head(head, source)
    if result.ok or not rows:
        return result
    ours = [h for (h,) in AuditEntry.select(AuditEntry.hash).order_by(AuditEntry.id).tuples()]
    for n, row in enumerate(rows, 1):
        if n > len(ours) or ours[n - 1] != row[8]:
            result.message += f"（从第{n}条起与备份中的审计记录不同）"
            break
    return result


# A code as printed: the count, then five groups of four hex digits (found in any text, also
# in a table cell of a .docx/.xlsx where the label stands in the cell beside it).
_CODE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z-])([0-9]+(?:-[0-9a-fA-F]{4}){5})(?![0-9A-Za-z-])")


def heads_in_text(text: str) -> list[ChainHead]:
    found = []
    for m in _CODE_IN_TEXT.finditer(text):
        head = audit.parse_head_code(m.group(1))
        if head is not None:
            found.append(head)
    return found


def heads_in_file(path: Path) -> list[ChainHead]:
    """Codes printed into a text file or carried by a package (a zip of text/XML members,
    such as .docx/.xlsx or a county package), each once."""
    return list(dict.fromkeys(_heads_in_file(Path(path))))


def _heads_in_file(path: Path) -> list[ChainHead]:
    if zipfile.is_zipfile(path):
        heads = []
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.file_size > 20 * 1024 * 1024:
                    continue
                if info.filename.lower().endswith((".txt", ".json", ".xml", ".csv", ".md",
                                                   ".html", ".rels")):
                    heads += heads_in_text(z.read(info).decode("utf-8", "replace"))
                elif info.filename.lower().endswith((".zip", ".docx", ".xlsx")):
                    with tempfile.TemporaryFile() as tmp:
                        tmp.write(z.read(info))
                        tmp.seek(0)
                        if zipfile.is_zipfile(tmp):
                            with zipfile.ZipFile(tmp) as inner:
                                for sub in inner.infolist():
                                    if sub.file_size < 20 * 1024 * 1024:
                                        heads += heads_in_text(
                                            inner.read(sub).decode("utf-8", "replace"))
        return heads
    if path.stat().st_size > 50 * 1024 * 1024:
        return []
    if path.suffix.lower() == ".pdf":
        return []  # compressed text: the code printed on it is typed in instead
    return heads_in_text(path.read_bytes().decode("utf-8", "replace"))


def is_archive_file(path: Path) -> bool:
    """An encrypted archive or backup (no readable header), not a text or zip file."""
    path = Path(path)
    with open(path, "rb") as f:
        start = f.read(16)
    return len(start) == 16 and not start.startswith((b"PK", b"%PDF")) and \
        not all(32 <= b < 127 or b in (9, 10, 13) for b in start)


def spotcheck_heads() -> list[tuple[int, ChainHead]]:
    """Heads recorded with each spot check inside the archive (they help only when someone
    rewrote the trail and forgot them; the printed record is the real anchor)."""
    from models.schema import SpotCheck

    found = []
    if "chain_head" not in SpotCheck._meta.fields:
        return found
    for record_id, code in SpotCheck.select(SpotCheck.id, SpotCheck.chain_head).tuples():
        head = audit.parse_head_code(code or "")
        if head is not None:
            found.append((record_id, head))
    return found
