"""The audit trail: every write leaves an entry, each chained to the previous by a hash.

Changing or removing an entry outside the app breaks the chain, and ``verify_chain`` says where.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from models.schema import AuditEntry

GENESIS = "0" * 64

ACTION_NAMES = {"create": "新建", "update": "修改", "close": "结案", "reopen": "重新启用",
                "delete": "删除", "login": "登录"}


def plain(value):
    """A field value as it is stored in the audit JSON."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} 字节>"
    return value


def entry_hash(prev_hash: str, at: str, username: str, table: str, record_id: int,
               action: str, changes: str) -> str:
    payload = json.dumps([prev_hash, at, username, table, record_id, action, changes],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def last_hash() -> str:
    row = AuditEntry.select(AuditEntry.hash).order_by(AuditEntry.id.desc()).first()
    return row.hash if row else GENESIS


def new_entry_row(prev_hash: str, username: str, table: str, record_id: int, action: str,
                  changes: dict) -> dict:
    at = datetime.now().replace(microsecond=0).isoformat(sep=" ")
    changes_json = json.dumps(changes, ensure_ascii=False, sort_keys=True)
    return {
        "at": at, "username": username, "table": table, "record_id": record_id,
        "action": action, "changes": changes_json, "prev_hash": prev_hash,
        "hash": entry_hash(prev_hash, at, username, table, record_id, action, changes_json),
    }


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    message: str


def verify_chain() -> list[ChainProblem]:
    problems = []
    expected_prev = GENESIS
    expected_id = None
    query = (AuditEntry.select(AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.table,
                               AuditEntry.record_id, AuditEntry.action, AuditEntry.changes,
                               AuditEntry.prev_hash, AuditEntry.hash)
             .order_by(AuditEntry.id).tuples().iterator())
    for (id_, at, username, table, record_id, action, changes, prev_hash, hash_) in query:
        if expected_id is not None and id_ != expected_id:
            problems.append(ChainProblem(id_, f"审计记录第{expected_id}至{id_ - 1}条被删除。"))
        at_text = at.isoformat(sep=" ") if isinstance(at, datetime) else str(at)
        if prev_hash != expected_prev:
            problems.append(ChainProblem(id_, f"审计记录第{id_}条与上一条不衔接（前一条被改动或删除）。"))
        if entry_hash(prev_hash, at_text, username, table, record_id, action, changes) != hash_:
            problems.append(ChainProblem(id_, f"审计记录第{id_}条的内容被改动过。"))
        expected_prev = hash_
        expected_id = id_ + 1
    return problems


def history(table: str, record_id: int) -> list[AuditEntry]:
    """Entries about one record, including the bulk creation that made it."""
    in_bulk = ((AuditEntry.record_id <= record_id) & (AuditEntry.last_record_id >= record_id))
    return list(AuditEntry.select()
                .where((AuditEntry.table == table)
                       & ((AuditEntry.record_id == record_id) | in_bulk))
                .order_by(AuditEntry.id))


def bulk_changes(first_id: int, rows: list[dict]) -> dict:
    """What a bulk creation records: the ids made and a digest of exactly what was written."""
    canonical = json.dumps([{k: plain(v) for k, v in row.items()} for row in rows],
                           ensure_ascii=False, sort_keys=True, default=str)
    return {"ids": [first_id, first_id + len(rows) - 1], "count": len(rows),
            "sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest()}
