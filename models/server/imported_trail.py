"""A township's trail from before it moved into the county database (issue 16, item 4).

A township file's audit hashes include the file's record ids, and the server gives imported
rows new ids (they are unique in the county). So the file's chain is kept verbatim, entry by
entry with its own hashes, as the township's *imported trail*, together with the id map (per
table: the file's ids in order and the first server id; server ids follow one by one). The
township's server chain gets one entry, action ``import`` (迁入), naming the file's entry count,
its last hash and a digest of the id map: that entry seals both, since it is itself chained.

``tongdang --server … verify`` checks the imported trail by its own hashes, its head and the
map against the sealing entry (``problems``), besides the server chain and the replay of the
rows (``models.integrity``). Township logins may only read these tables; only the database
owner writes them, at import.
"""

import hashlib
import json

from models.audit import GENESIS, ChainHead, entry_hash

IMPORT_ACTION = "import"

TABLES = """
CREATE TABLE tongdang_import (
    township_id integer PRIMARY KEY REFERENCES township (id),
    file_name text NOT NULL,
    entries integer NOT NULL,
    head_hash text NOT NULL,
    seal_entry integer NOT NULL,
    imported_by text NOT NULL DEFAULT session_user,
    imported_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE tongdang_import_map (
    township_id integer NOT NULL REFERENCES township (id),
    table_name text NOT NULL,
    first_server_id integer NOT NULL,
    file_ids integer[] NOT NULL,
    PRIMARY KEY (township_id, table_name)
);
CREATE TABLE tongdang_imported_trail (
    township_id integer NOT NULL REFERENCES township (id),
    id integer NOT NULL,
    at text NOT NULL,
    username text NOT NULL,
    "table" text NOT NULL,
    record_id integer NOT NULL,
    last_record_id integer,
    action text NOT NULL,
    changes text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (township_id, id)
);
"""
TABLE_NAMES = ("tongdang_import", "tongdang_import_map", "tongdang_imported_trail")
GROUPS_READING = ("tongdang_township_writer", "tongdang_township_reader",
                  "tongdang_county_reader", "tongdang_county_admin")
TRAIL_COLUMNS = ('id', 'at', 'username', '"table"', 'record_id', 'last_record_id', 'action',
                 'changes', 'prev_hash', 'hash')


def tables_exist(db) -> bool:
    return db.execute_sql("SELECT to_regclass('tongdang_import') IS NOT NULL").fetchone()[0]


def ensure_tables(db) -> None:
    """The import tables, made at the first import (county databases made before this have
    none; every group may read them, row-level security keeps each township to its own)."""
    if tables_exist(db):
        return
    db.execute_sql(TABLES)
    sees = ("township_id = (SELECT tongdang_township()) OR ((SELECT tongdang_township()) IS NULL "
            "AND (SELECT tongdang_county_role()) <> '')")
    for table in TABLE_NAMES:
        db.execute_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        db.execute_sql(f"CREATE POLICY {table}_township ON {table} FOR SELECT USING ({sees})")
        for group in GROUPS_READING:
            db.execute_sql(f"GRANT SELECT ON {table} TO {group}")


# --- writing (the owner, at import) -----------------------------------------------------------

def store_trail(db, township_id: int, entries: list[tuple]) -> None:
    """The file's audit entries as read (``TRAIL_COLUMNS``), unchanged."""
    columns = ", ".join(TRAIL_COLUMNS)
    db.cursor().executemany(
        f"INSERT INTO tongdang_imported_trail (township_id, {columns}) "
        f"VALUES (%s, {', '.join(['%s'] * len(TRAIL_COLUMNS))})",
        [(township_id, *entry) for entry in entries])


def store_map(db, township_id: int, id_map: dict[str, tuple[int, list[int]]]) -> None:
    db.cursor().executemany(
        "INSERT INTO tongdang_import_map (township_id, table_name, first_server_id, file_ids) "
        "VALUES (%s, %s, %s, %s)",
        [(township_id, table, first, file_ids) for table, (first, file_ids) in id_map.items()])


def store_import(db, township_id: int, file_name: str, head: ChainHead, seal_entry: int) -> None:
    db.execute_sql("INSERT INTO tongdang_import (township_id, file_name, entries, head_hash, "
                   "seal_entry) VALUES (%s, %s, %s, %s, %s)",
                   (township_id, file_name, head.count, head.hash, seal_entry))


def seal_changes(file_name: str, head: ChainHead, id_map: dict) -> dict:
    """What the server chain's 迁入 entry records (as [before, after], like every entry)."""
    return {
        "note": [None, f"迁入档案库文件“{file_name}”：{head.count}条审计记录"
                       f"（文件链末端哈希 {head.hash}）"],
        "file_name": [None, file_name],
        "file_entries": [None, head.count],
        "file_head": [None, head.hash],
        "id_map": [None, map_digest(id_map)],
    }


def map_digest(id_map: dict[str, tuple[int, list[int]]]) -> str:
    canonical = json.dumps(sorted([table, first, list(ids)] for table, (first, ids)
                                  in id_map.items()), separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- reading ----------------------------------------------------------------------------------

def previous_import(db, township_id: int) -> tuple[str, ChainHead, str] | None:
    """(file name, the file's chain head, when) of the township's import, if there was one."""
    if not tables_exist(db):
        return None
    row = db.execute_sql("SELECT file_name, entries, head_hash, imported_at FROM tongdang_import "
                         "WHERE township_id = %s", (township_id,)).fetchone()
    if row is None:
        return None
    return row[0], ChainHead(row[1], row[2]), row[3].strftime("%Y-%m-%d %H:%M")


def chain_problems(entries) -> list[str]:
    """The imported trail checked by its own hashes, as ``models.audit.verify_chain`` checks
    a file's (entries numbered 1, 2, 3 …; each chained to the one before)."""
    problems = []
    expected_prev = GENESIS
    for number, (id_, at, username, table, record_id, _last, action, changes, prev_hash,
                 hash_) in enumerate(entries, 1):
        if id_ != number:
            problems.append(f"迁入前的审计记录第{number}条起缺失或被删除（现为第{id_}条）。")
            return problems
        if prev_hash != expected_prev:
            problems.append(f"迁入前的审计记录第{id_}条与上一条不衔接（前一条被改动或删除）。")
        if entry_hash(prev_hash, at, username, table, record_id, action, changes) != hash_:
            problems.append(f"迁入前的审计记录第{id_}条的内容被改动过。")
        expected_prev = hash_
    return problems


def problems(db) -> list[str]:
    """Every township's imported trail (those the login may see) against its own hashes, its
    recorded head, the id map and the sealing entry in the township's server chain."""
    if not tables_exist(db):
        return []
    found = []
    imports = db.execute_sql("SELECT i.township_id, t.name, i.entries, i.head_hash, i.seal_entry "
                             "FROM tongdang_import i JOIN township t ON t.id = i.township_id "
                             "ORDER BY i.township_id").fetchall()
    for township_id, name, entries, head_hash, seal_entry in imports:
        found += [f"{name}：{p}" for p in _township_problems(db, township_id, entries, head_hash,
                                                            seal_entry)]
    return found


def _township_problems(db, township_id, entries, head_hash, seal_entry) -> list[str]:
    trail = db.execute_sql(f"SELECT {', '.join(TRAIL_COLUMNS)} FROM tongdang_imported_trail "
                           "WHERE township_id = %s ORDER BY id", (township_id,)).fetchall()
    found = chain_problems(trail)
    last = trail[-1][-1] if trail else GENESIS
    if len(trail) != entries or last != head_hash:
        found.append(f"迁入前的审计记录现有{len(trail)}条，迁入时是{entries}条"
                     "（末尾被删除或改动过）。")
    seal = db.execute_sql("SELECT changes FROM audit_entry WHERE id = %s AND township_id = %s "
                          "AND action = %s", (seal_entry, township_id, IMPORT_ACTION)).fetchone()
    if seal is None:
        return found + [f"审计记录中没有迁入记录（第{seal_entry}条），迁入前的审计记录无从核对。"]
    sealed = json.loads(seal[0])
    if sealed.get("file_entries", [None, None])[1] != entries or \
            sealed.get("file_head", [None, None])[1] != head_hash:
        found.append("迁入登记与审计记录中的迁入记录不符（文件链末端哈希或条数被改动）。")
    if sealed.get("id_map", [None, None])[1] != map_digest(read_map(db, township_id)):
        found.append("迁入时的编号对照表（文件编号→服务器编号）与迁入记录中的校验值不符，被改动过。")
    return found


def read_map(db, township_id: int) -> dict[str, tuple[int, list[int]]]:
    rows = db.execute_sql("SELECT table_name, first_server_id, file_ids FROM tongdang_import_map "
                          "WHERE township_id = %s", (township_id,)).fetchall()
    return {table: (first, list(ids)) for table, first, ids in rows}


def head_before_import(db, head: ChainHead) -> int | None:
    """The township whose imported trail held ``head`` at its ``count`` (a code printed
    before the township moved in, e.g. on a 抽查记录表), else None."""
    if not tables_exist(db) or head.count < 1:
        return None
    row = db.execute_sql("SELECT township_id, hash FROM tongdang_imported_trail WHERE id = %s "
                         "AND township_id = (SELECT tongdang_township())",
                         (head.count,)).fetchone()
    if row and row[1].lower().startswith(head.hash.lower()):
        return row[0]
    return None
