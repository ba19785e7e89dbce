"""The rows of a township file copied into the county database with new ids, and compared
back record by record (``models.server.township_import``).

Each table's rows get one run of consecutive server ids (``models.server.ids``) in the order
of their file ids, so the id map is, per table, the file's ids and the first server id. A
reference (a record's child, an agreement's carer …) is translated through the map of the
table it points at. The server chain records the rows as bulk creations (``models.audit.
bulk_changes``: a digest of each row and column), so that ``verify``'s replay checks every
imported row from then on as it checks any other.

Users keep no password hash on the server (the database checks passwords): theirs is replaced
by a random one and their failed logins and lock-out start afresh.
"""

import secrets
from itertools import islice

import peewee as pw

from models import audit
from models.schema import ALL_MODELS, AuditEntry, Draft, Township, User
from models.server.ids import reserve_ids

# Not rows of the township's archive: the township row exists on the server already, the
# trail is kept as the imported trail, drafts belong to the PC they were typed on.
NOT_COPIED = (Township, AuditEntry, Draft)
COPIED = tuple(m for m in ALL_MODELS if m not in NOT_COPIED)
# Fields the server sets afresh (compared as such, not with the file's values).
FRESH = {User: ("password_hash", "failed_attempts", "locked_until")}
ENTRY_ROWS = 1000  # rows per bulk-creation audit entry
COMPARE_ROWS = 5000  # rows read back from the server at a time


class ImportMismatch(ValueError):
    """A row on the server differs from the file's (the import is rolled back)."""


class IdMap:
    """File id → server id, per table: ``{table: (first server id, [file ids in order])}``."""

    def __init__(self, township_file_id: int, township_id: int):
        self.runs: dict[str, tuple[int, list[int]]] = {}
        self._lookup: dict[str, dict[int, int]] = {
            Township._meta.table_name: {township_file_id: township_id}}

    def add(self, table: str, first: int, file_ids: list[int]) -> None:
        self.runs[table] = (first, file_ids)
        self._lookup[table] = {file_id: first + n for n, file_id in enumerate(file_ids)}

    def server_id(self, table: str, file_id: int, where: str) -> int:
        try:
            return self._lookup.get(table, {})[file_id]
        except KeyError:
            raise ImportMismatch(f"档案库文件中{where}指向不存在的记录（{table} 第{file_id}号），"
                                 "文件不完整，不能迁入。请先在童档中运行 tongdang verify 检查这个文件。"
                                 ) from None


def copy_all(file_db, id_map: IdMap, username: str, models=COPIED) -> dict[str, int]:
    """Every copied table (``models``), in the order of ``ALL_MODELS`` (a table's references
    first); returns the number of rows per table."""
    prev = audit.last_hash()
    counts = {}
    for model in models:
        counts[model._meta.table_name], prev = _copy_table(file_db, model, id_map, username,
                                                           prev)
    return counts


def _fields(model) -> list[pw.Field]:
    return [f for f in model._meta.sorted_fields if f.name != "id"]


def file_rows(file_db, model, id_map: IdMap):
    """(file id, {field: value as the server should hold it}) in file id order."""
    fields = _fields(model)
    table = model._meta.table_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    cursor = file_db.execute_sql(f'SELECT "id", {columns} FROM "{table}" ORDER BY "id"')
    for row in cursor:
        values = {}
        for f, raw in zip(fields, row[1:], strict=True):
            value = f.python_value(raw)
            if isinstance(f, pw.ForeignKeyField) and value is not None:
                value = id_map.server_id(f.rel_model._meta.table_name, value,
                                         f"{table} 第{row[0]}号记录的 {f.name}")
            values[f.name] = value
        yield row[0], values


def _chunks(iterable, size: int):
    it = iter(iterable)
    while chunk := list(islice(it, size)):
        yield chunk


def _copy_table(file_db, model, id_map: IdMap, username: str, prev: str) -> tuple[int, str]:
    """Rows are read, written and recorded a batch at a time (a township's contacts do not
    all sit in memory at once)."""
    table = model._meta.table_name
    count = file_db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    if not count:
        return 0, prev
    first = reserve_ids(model, count)
    fields = _fields(model)
    db = model._meta.database
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    insert = (f'INSERT INTO "{table}" ("id", {columns}) '
              f'VALUES ({", ".join(["%s"] * (len(fields) + 1))})')
    file_ids: list[int] = []
    for chunk in _chunks(file_rows(file_db, model, id_map), ENTRY_ROWS):
        start = first + len(file_ids)
        file_ids += [file_id for file_id, _ in chunk]
        values = [row for _, row in chunk]
        if model is User:
            for row in values:
                row.update(password_hash=secrets.token_urlsafe(24), failed_attempts=0,
                           locked_until=None)
        db.cursor().executemany(insert, [[start + n] + [f.db_value(row[f.name]) for f in fields]
                                         for n, row in enumerate(values)])
        entry = audit.new_entry_row(prev, username, table, start, "create",
                                    audit.bulk_changes(start, values, model))
        entry["last_record_id"] = start + len(values) - 1
        AuditEntry.insert(entry).execute()
        prev = entry["hash"]
    if len(file_ids) != count:
        raise ImportMismatch(f"{table}：读取档案库文件时记录数变了（{count} → {len(file_ids)}）。")
    id_map.add(table, first, file_ids)
    # The tables that point at this one check each reference with a plan made from the
    # table's statistics; a table that was empty when last measured would be read whole for
    # every row that points at it (a 20,000-child file took minutes instead of seconds).
    db.execute_sql(f'ANALYZE "{table}"')
    return count, prev


def mismatches(file_db, server_db, id_map: IdMap, township_id: int, models=COPIED) -> list[str]:
    """Every copied row read back from the server and compared, field by field, with the
    file's row (references through the map); the first problems found, at most 20."""
    found: list[str] = []
    for model in models:
        found += _table_mismatches(file_db, server_db, model, id_map, township_id)
        if len(found) >= 20:
            break
    return found[:20]


def _table_mismatches(file_db, server_db, model, id_map, township_id) -> list[str]:
    table = model._meta.table_name
    fields = [f for f in _fields(model) if f.name not in FRESH.get(model, ())]
    convert = [audit.converter(f) for f in fields]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    query = (f'SELECT "id", {columns} FROM "{table}" WHERE township_id = %s '
             f'AND "id" BETWEEN %s AND %s')
    first, file_ids = id_map.runs.get(table, (0, []))
    found, position = [], 0
    for chunk in _chunks(file_rows(file_db, model, id_map), COMPARE_ROWS):
        server = {row[0]: row[1:] for row in server_db.execute_sql(
            query, (township_id, first + position, first + position + len(chunk) - 1))}
        for n, (file_id, values) in enumerate(chunk, position):
            now = server.get(first + n)
            if n >= len(file_ids) or file_ids[n] != file_id or now is None:
                found.append(f"{table} 文件第{file_id}号记录在服务器上没有找到（应为第{first + n}号）。")
                continue
            for f, fn, value in zip(fields, convert, now, strict=True):
                if fn(values[f.name]) != fn(value):
                    found.append(f"{table} 文件第{file_id}号记录（服务器第{first + n}号）的"
                                 f"字段“{f.name}”迁入后与文件不同。")
        position += len(chunk)
    from models.server.county_spotcheck import township_rows_where  # (the county's checks)

    ours = township_rows_where(table, (first, first + len(file_ids) - 1))
    total = server_db.execute_sql(f'SELECT count(*) FROM "{table}" WHERE township_id = %s{ours}',
                                  (township_id,)).fetchone()[0]
    if total != len(file_ids) or position != len(file_ids):
        found.append(f"{table}：文件中有{position}条记录，服务器上有{total}条。")
    return found
