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
                "delete": "删除", "login": "登录", "import": "迁入"}


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
    from models.server import is_server

    if is_server(AuditEntry._meta.database):  # one chain per township (models/server/trail.py)
        from models.server.trail import last_hash as township_last_hash

        return township_last_hash(AuditEntry._meta.database) or GENESIS
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
    from models.server import is_server

    problems = []
    expected_prev = GENESIS
    expected_id = None
    # On the server ids are counted across the county: a township's entries are not consecutive.
    consecutive_ids = not is_server(AuditEntry._meta.database)
    query = (AuditEntry.select(AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.table,
                               AuditEntry.record_id, AuditEntry.action, AuditEntry.changes,
                               AuditEntry.prev_hash, AuditEntry.hash)
             .order_by(AuditEntry.id).tuples().iterator())
    for (id_, at, username, table, record_id, action, changes, prev_hash, hash_) in query:
        if consecutive_ids and expected_id is not None and id_ != expected_id:
            problems.append(ChainProblem(id_, f"审计记录第{expected_id}至{id_ - 1}条被删除。"))
        at_text = at.isoformat(sep=" ") if isinstance(at, datetime) else str(at)
        if prev_hash != expected_prev:
            problems.append(ChainProblem(id_, f"审计记录第{id_}条与上一条不衔接（前一条被改动或删除）。"))
        if entry_hash(prev_hash, at_text, username, table, record_id, action, changes) != hash_:
            problems.append(ChainProblem(id_, f"审计记录第{id_}条的内容被改动过。"))
        expected_prev = hash_
        expected_id = id_ + 1
    return problems


# --- the chain head: what is kept outside the archive ----------------------------------------

HEAD_HEX = 20  # hex digits of the head hash in a printed code (80 bits: cannot be forged)


@dataclass(frozen=True)
class ChainHead:
    """How many audit entries there were and the hash of the last one, at one moment.

    Kept outside the database (in a backup, on a printed 抽查记录表, in a county package), it
    shows later whether any of those entries were removed or rewritten: every hash depends on
    all entries before it, so rewriting or removing any of them changes the hash at ``count``.
    """

    count: int
    hash: str  # the full hash, or a prefix of at least 16 hex digits when typed from paper

    @property
    def code(self) -> str:
        """E.g. ``1523-9f3a-0b1c-77de-1042-aa90``: short enough to print and type back."""
        h = self.hash[:HEAD_HEX]
        return f"{self.count}-" + "-".join(h[i:i + 4] for i in range(0, len(h), 4))

    @property
    def label(self) -> str:
        return f"审计链核对码：{self.code}（共{self.count}条审计记录）"


def chain_head() -> ChainHead:
    """The head of the open archive's audit trail (for backups, spot checks, packages)."""
    count = AuditEntry.select().count()
    return ChainHead(count, last_hash() if count else GENESIS)


_CODE_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "_": "-"})


def parse_head_code(text: str) -> ChainHead | None:
    """A code typed back from paper (spaces, case and dash style do not matter)."""
    import re

    text = "".join((text or "").translate(_CODE_DASHES).split()).lower()
    m = re.fullmatch(r"(\d+)-([0-9a-f-]+)", text)
    if not m:
        return None
    digits = m.group(2).replace("-", "")
    if len(digits) < 16 or len(digits) > 64 or any(c not in "0123456789abcdef" for c in digits):
        return None
    return ChainHead(int(m.group(1)), digits)


def history(table: str, record_id: int) -> list[AuditEntry]:
    """Entries about one record, including the bulk creation that made it."""
    in_bulk = ((AuditEntry.record_id <= record_id) & (AuditEntry.last_record_id >= record_id))
    return list(AuditEntry.select()
                .where((AuditEntry.table == table)
                       & ((AuditEntry.record_id == record_id) | in_bulk))
                .order_by(AuditEntry.id))


def bulk_changes(first_id: int, rows: list[dict], model=None) -> dict:
    """What a bulk creation records: the ids made and a digest of exactly what was written.

    With the model, also a short digest of each row and of each column as stored, so that
    ``tongdang verify`` can name the row and the field changed outside the app.
    """
    canonical = json.dumps([{k: plain(v) for k, v in row.items()} for row in rows],
                           ensure_ascii=False, sort_keys=True, default=str)
    changes = {"ids": [first_id, first_id + len(rows) - 1], "count": len(rows),
               "sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest()}
    if model is not None:
        # Cached and derived fields (pinyin, colour…) follow other fields silently: not digested.
        names = sorted({k for row in rows for k in row} - set(model.audit_exclude))
        parts = []
        for name in names:
            fn = converter(model._meta.fields[name])
            default = fn(field_default(model._meta.fields[name]))
            parts.append([fn(row[name]) if name in row else default for row in rows])
        changes["fields"] = names
        changes["rows"] = [short_digest(values) for values in zip(*parts, strict=True)]
        changes["columns"] = {name: short_digest(column)
                              for name, column in zip(names, parts, strict=True)}
    return changes


ROW_DIGEST_HEX = 16


def short_digest(values) -> str:
    """Digest of canonical values (None, int, str): ``repr`` of a tuple of them is exact."""
    return hashlib.sha256(repr(tuple(values)).encode("utf-8")).hexdigest()[:ROW_DIGEST_HEX]


def field_default(field):
    return field.default() if callable(field.default) else field.default


def canon(field, value):
    """One comparable form of a stored value, whatever Python type it came in as (a date or
    its ISO text, a model or its id, Decimal or float, True or 1)."""
    return converter(field)(value)


_CONVERTERS: dict = {}


def converter(field):
    """``canon`` for one field, chosen once (verify calls it for every stored value)."""
    found = _CONVERTERS.get(id(field))
    if found is not None and found[0] is field:
        return found[1]
    fn = _make_converter(field)
    _CONVERTERS[id(field)] = (field, fn)
    return fn


def _make_converter(field):
    import peewee as pw

    def base(value):
        if isinstance(value, pw.Model):
            return value.get_id()
        return value

    if isinstance(field, pw.BooleanField):
        def fn(value):
            return None if value is None else int(bool(base(value)))
    elif isinstance(field, (pw.DecimalField, pw.FloatField, pw.DoubleField)):
        def fn(value):
            if value is None:
                return None
            try:
                return repr(float(value))
            except (TypeError, ValueError):
                return str(value)
    elif isinstance(field, (pw.IntegerField, pw.ForeignKeyField, pw.AutoField)):
        def fn(value):
            if value is None:
                return None
            value = base(value)
            if type(value) is int:
                return value
            try:
                return int(value)
            except (TypeError, ValueError):
                return str(value)
    elif isinstance(field, pw.DateTimeField):
        def fn(value):
            if value is None:
                return None
            text = value.isoformat() if isinstance(value, datetime) else str(value)
            return text.replace(" ", "T")
    elif isinstance(field, pw.DateField):
        def fn(value):
            if value is None:
                return None
            if isinstance(value, (date, datetime)):
                return value.isoformat()[:10]
            return str(value)[:10]
    elif isinstance(field, pw.BlobField):
        def fn(value):
            return None if value is None else hashlib.sha256(bytes(value)).hexdigest()
    else:
        def fn(value):
            if value is None:
                return None
            if type(value) is str:
                return value
            if isinstance(value, (bytes, bytearray, memoryview)):
                return hashlib.sha256(bytes(value)).hexdigest()
            return str(base(value))
    return fn


class Audit:
    """``archive.audit``: the audit trail (审计记录) and its hash chain."""

    def __init__(self, archive):
        self.archive = archive

    def entry_count(self) -> int:
        return AuditEntry.select().count()

    def verify_chain(self) -> list[ChainProblem]:
        return verify_chain()

    def chain_head(self) -> ChainHead:
        return chain_head()

    def history(self, table: str, record_id: int) -> list[AuditEntry]:
        return history(table, record_id)

    # -- checking the trail against the rows and against codes kept elsewhere (integrity) --
    def replay(self, progress=None):
        """Every row against the audit entries that wrote it (``models.integrity.replay``)."""
        from models.integrity import replay

        return replay(progress)

    def spotcheck_heads(self) -> list[tuple[int, ChainHead]]:
        """(spot-check record id, the code printed on its 抽查记录表)."""
        from models.integrity import spotcheck_heads

        return spotcheck_heads()

    def check_head(self, head: ChainHead, source: str):
        """Whether the trail still holds what ``head`` (from ``source``) says it did."""
        from models.integrity import check_head

        return check_head(head, source)

    def heads_in_file(self, path):
        """The chain codes a file (a PDF, Word or Excel output, a text) carries."""
        from models.integrity import heads_in_file

        return heads_in_file(path)

    def is_archive_file(self, path) -> bool:
        """Whether ``path`` is an archive (a backup) rather than a file carrying codes."""
        from models.integrity import is_archive_file

        return is_archive_file(path)

    def parse_head_code(self, text: str) -> ChainHead | None:
        return parse_head_code(text)
