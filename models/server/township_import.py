"""Moving in: a township's encrypted archive file copied into the county database (issue 16,
item 4; ``tongdang server import 文件 --township 名称``, run by the database owner).

What is copied: every child and every record, attachments (their content), villages,
directors, settings, spot checks, and the users; the audit trail is kept verbatim as the
township's imported trail (``models.server.imported_trail``). Drafts stay on the PC.

How, in one transaction (nothing is left half done):

1. The file is checked first by its caller (``tongdang verify``'s checks): a file whose trail
   or rows do not add up is not moved in.
2. The township: made from the file's row (county, 地区方案 …) under the given name, or one
   made before with ``server township`` that holds nothing yet and has the same county and
   地区方案. A township that holds any other row is refused.
3. The rows get new server ids, per table one run in the file's order (``import_rows``); the
   township's server chain records them as bulk creations.
4. Every row is read back from the server and compared with the file's, field by field.
5. The file's trail and the id map are stored, and the server chain gets the 迁入 entry that
   seals them (the file's entry count and last hash, a digest of the map).
6. The file's users become login roles of the township (``models.server.logins``), without a
   password: the server cannot know theirs. They cannot log in until the county sets one
   (``tongdang server password 用户名``) and tells them.

Run again with the same file, nothing is written: the township's import names the file's
chain head, and the same head means the same file. A file that changed since (more entries)
is refused: once moved in, the township works on the server.
"""

from dataclasses import dataclass, field

from models.audit import GENESIS, ChainHead, last_hash, new_entry_row
from models.roles import SYSTEM
from models.schema import AuditEntry, Township, User
from models.server import imported_trail, logins
from models.server.import_rows import COPIED, IdMap, copy_all, mismatches
from models.writer import Writer

# Township fields that must agree when the township was made before the import.
MUST_AGREE = {"county": "县（市、区）", "profile": "地区方案"}
TAKEN_FROM_FILE = ("area_code", "is_demo", "created_on")


class ImportRefused(ValueError):
    """The file is not moved in (Chinese message); nothing was written."""


@dataclass
class ImportResult:
    township: str
    township_id: int
    changed: bool
    head: ChainHead  # the file's audit trail when it was moved in
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    users: list[str] = field(default_factory=list)  # logins that still need a password
    imported_at: str = ""  # when (a repeated import: the first)

    def rows_text(self) -> str:
        """E.g. 儿童 300 条、走访记录 7146 条 (the tables that had rows)."""
        from models.integrity import TABLE_NAMES

        return "、".join(f"{TABLE_NAMES.get(t, t)} {n} 条" for t, n in self.rows.items() if n)


def import_township(db, file_db, name: str, file_name: str, by: str,
                    with_logins: bool = True) -> ImportResult:
    """Copy the open township file (``file_db``, checked by the caller) into the county
    database as township ``name``; ``by`` is the owner login that the server chain names.
    ``with_logins=False``: the file's users are left out (a township reporting by 上报包 works
    on its own file, ``models.server.package_import``; its user names need not be unique in
    the county)."""
    head = _file_head(file_db)
    township_row = _file_township(file_db)
    imported_trail.ensure_tables(db)
    with db.atomic():
        township = Township.get_or_none(Township.name == name)
        if township is not None:
            repeated = _repeated(db, township, head, file_name)
            if repeated is not None:
                return repeated
            _check_empty(db, township, township_row, _copied(with_logins))
        users = _file_users(file_db) if with_logins else []
        _check_logins_free(db, users)
        township_id = township.id if township else logins.add_township(
            db, name, township_row["county"], township_row["profile"], township_row["area_code"])
        with logins.working_in(db, township_id):
            _take_township_fields(by, township_id, township_row)
            id_map = IdMap(township_row["id"], township_id)
            models = _copied(with_logins)
            counts = copy_all(file_db, id_map, by, models)
            problems = mismatches(file_db, db, id_map, township_id, models)
            if problems:
                raise ImportRefused("迁入后逐条核对发现不一致，已全部撤销：\n" + "\n".join(problems))
            for username, role, active in users:
                logins.add_imported_login(db, username, role, township_id, active)
            _keep_trail(db, file_db, township_id, head, file_name, id_map, by)
    return ImportResult(name, township_id, True, head, counts,
                        [u for u, _, active in users if active])


def _file_head(file_db) -> ChainHead:
    count, last = file_db.execute_sql(
        'SELECT count(*), (SELECT "hash" FROM audit_entry ORDER BY "id" DESC LIMIT 1) '
        "FROM audit_entry").fetchone()
    return ChainHead(count, last or GENESIS)


def _file_township(file_db) -> dict:
    columns = ["id", "name", "county", "profile", "area_code", "is_demo", "created_on"]
    rows = file_db.execute_sql(f"SELECT {', '.join(columns)} FROM township").fetchall()
    if len(rows) != 1:
        raise ImportRefused(f"档案库文件中应有一个乡镇，实有{len(rows)}个，不能迁入。")
    values = dict(zip(columns, rows[0], strict=True))
    return {name: (Township._meta.fields[name].python_value(v) if name != "id" else v)
            for name, v in values.items()}


def _repeated(db, township, head: ChainHead, file_name: str) -> ImportResult | None:
    """The same file moved in before: nothing to do. Another file, or this one changed
    since: refused."""
    before = imported_trail.previous_import(db, township.id)
    if before is None:
        return None
    old_name, old_head, when = before
    if old_head == head:
        return ImportResult(township.name, township.id, False, head, imported_at=when)
    raise ImportRefused(
        f"乡镇“{township.name}”已于 {when} 从档案库文件“{old_name}”迁入（当时{old_head.count}条"
        f"审计记录），“{file_name}”与那时的文件不同（现有{head.count}条审计记录）。迁入以后，"
        "这个乡镇的档案在县级数据库中录入；文件中此后的改动不能再次迁入。")


def _copied(with_logins: bool) -> tuple:
    return COPIED if with_logins else tuple(m for m in COPIED if m is not User)


def _check_empty(db, township, township_row: dict, models=COPIED) -> None:
    """A township made before the import may hold only its own row (nothing to lose)."""
    from models.server.county_spotcheck import township_rows_where  # (the county's checks)

    holding = [model._meta.table_name for model in models
               if db.execute_sql(f'SELECT EXISTS (SELECT 1 FROM "{model._meta.table_name}" '
                                 f"WHERE township_id = %s{township_rows_where(model._meta.table_name)})",
                                 (township.id,)).fetchone()[0]]
    if holding:
        from models.integrity import TABLE_NAMES

        what = "、".join(TABLE_NAMES.get(t, t) for t in holding)
        raise ImportRefused(
            f"乡镇“{township.name}”在县级数据库中已有数据（{what}），不能再从档案库文件迁入，"
            "以免两份档案混在一起。迁入只能用于还没有任何数据的乡镇（先迁入，再添加登录用户）；"
            "如需迁入，请换一个乡镇名称。")
    for key, label in MUST_AGREE.items():
        if getattr(township, key) != township_row[key]:
            raise ImportRefused(
                f"乡镇“{township.name}”在县级数据库中的{label}是“{getattr(township, key)}”，"
                f"档案库文件中是“{township_row[key]}”，不能迁入。请核对是否选错了乡镇或文件。")


def _file_users(file_db) -> list[tuple[str, str, bool]]:
    rows = file_db.execute_sql('SELECT username, role, active FROM "user" ORDER BY id').fetchall()
    return [(username, role, bool(active)) for username, role, active in rows]


def _check_logins_free(db, users) -> None:
    """User names are database logins: unique in the whole county."""
    names = [u for u, _, _ in users]
    if not names:
        return
    taken = sorted({n for (n,) in db.execute_sql(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (names,)).fetchall()}
        | {u.username for u in User.select(User.username).where(User.username.in_(names))})
    if taken:
        raise ImportRefused(
            f"档案库文件中的用户名 {'、'.join(taken)} 在县级数据库中已被使用（登录名全县唯一），"
            "不能迁入。请先在这个档案库中停用这些用户并添加改名后的用户，或请县级管理员更改"
            "县级数据库中的同名用户。")


def _take_township_fields(by: str, township_id: int, township_row: dict) -> None:
    township = Township.get_by_id(township_id)
    changes = {k: township_row[k] for k in TAKEN_FROM_FILE if getattr(township, k) != township_row[k]}
    if changes:
        Writer(by, SYSTEM).update(township, **changes)


def _keep_trail(db, file_db, township_id: int, head: ChainHead, file_name: str,
                id_map: IdMap, by: str) -> None:
    columns = ", ".join(imported_trail.TRAIL_COLUMNS)
    entries = [(id_, str(at), *rest) for id_, at, *rest in file_db.execute_sql(
        f"SELECT {columns} FROM audit_entry ORDER BY id").fetchall()]
    problems = imported_trail.chain_problems(entries)
    if problems:
        raise ImportRefused("档案库文件的审计记录不完整或被改动，不能迁入：" + problems[0])
    imported_trail.store_trail(db, township_id, entries)
    imported_trail.store_map(db, township_id, id_map.runs)
    seal = new_entry_row(last_hash(), by, Township._meta.table_name, township_id,
                         imported_trail.IMPORT_ACTION,
                         imported_trail.seal_changes(file_name, head, id_map.runs))
    seal_id = AuditEntry.insert(seal).execute()
    imported_trail.store_import(db, township_id, file_name, head, seal_id)

