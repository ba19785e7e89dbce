"""A township's 上报包 applied to the county database as that township's state (issue 17,
item 4; ``tongdang server import-package 文件``, run by the database owner).

The package was checked first (``models.server.packages.check_package``: signature, county,
township, signer, not older than the last one). Its archive copy is then checked as
``tongdang verify`` checks a file, and applied in one transaction:

- A township that reports by package is a mirror of its own file: the rows the last package
  put there are removed and the new copy is moved in as a township file is
  (``models.server.township_import``: new ids, record-by-record comparison, the file's trail
  kept verbatim with the id map and sealed in the township's server chain). Its users get no
  county logins: they work on their own file.
- The new package's trail must continue the last one's: the entry where the last package's
  trail ended must be in the new one unchanged. A township whose history was rewritten or
  replaced by another archive's is refused, and nothing is applied.
- A township that holds rows not put there by a package (moved in, or working on the server)
  is never overwritten by one.
- The county's spot-checks of the township (``SpotCheck`` rows with a ``county_draw``,
  ``models.server.county_spotcheck``) are the county's, not the mirror's: a new package keeps
  them, so the township's checks survive every report.
"""

from dataclasses import dataclass

from models.audit import GENESIS, ChainHead
from models.report_package import PackageRefused
from models.schema import AuditEntry, User
from models.server import imported_trail, packages
from models.server.import_rows import COPIED

# What a package brings and replaces: every copied table but the users, who are the
# township PC's own; the township's county logins (if any) stay as they are.
MIRRORED = tuple(m for m in COPIED if m is not User)


@dataclass(frozen=True)
class Applied:
    township: str
    township_id: int
    changed: bool
    first: bool
    signer_fingerprint: str
    made_at: str
    rows_text: str = ""
    entries: int = 0


def apply_package(db, checked: packages.Checked, file_db, by: str) -> Applied:
    """Apply the checked package whose archive copy is open as ``file_db`` (checked by the
    caller as ``tongdang verify`` checks a file). ``PackageRefused``: nothing applied."""
    from models.server.township_import import ImportRefused, import_township

    header = checked.opened.header
    if checked.already_applied:
        return Applied(header.township, checked.township_id, False, False,
                       checked.signer_fingerprint, header.made_at)
    township_id = checked.township_id
    from models.server.logins import working_in

    with working_in(db, township_id):
        _check_continues(db, township_id, checked, file_db)
        _remove_mirror(db, township_id, by)
        try:
            result = import_township(db, file_db, header.township,
                                     f"上报包（生成于 {header.made_at}）", by, with_logins=False)
        except ImportRefused as exc:
            raise PackageRefused(f"上报包未导入：{exc}") from None
        _one_row_per_county_check(db, township_id, by)
        packages.record_applied(db, checked)
    return Applied(header.township, township_id, True, checked.first, checked.signer_fingerprint,
                   header.made_at, result.rows_text(), result.head.count)


def _one_row_per_county_check(db, township_id: int, by: str) -> None:
    """A township that received the county's check of it (``models.county_check_record``)
    reports it back in its package, a copy of the row the county keeps: the county's own row
    goes, with a chained entry, and the township's copy (now in the mirror) stands for it."""
    from models.audit import last_hash, new_entry_row

    runs = imported_trail.read_map(db, township_id)
    first, file_ids = runs.get("spot_check", (0, []))
    if not file_ids:
        return
    last = first + len(file_ids) - 1
    doubled = db.execute_sql(
        "SELECT id FROM spot_check WHERE township_id = %s AND county_draw <> '' "
        "AND id NOT BETWEEN %s AND %s AND county_draw IN (SELECT county_draw FROM spot_check "
        "WHERE township_id = %s AND id BETWEEN %s AND %s) ORDER BY id",
        (township_id, first, last, township_id, first, last)).fetchall()
    for (row_id,) in doubled:
        db.execute_sql("DELETE FROM spot_check WHERE township_id = %s AND id = %s",
                       (township_id, row_id))
        entry = new_entry_row(last_hash(), by, "spot_check", row_id, "delete",
                              {"ids": [row_id, row_id], "count": 1,
                               "reason": [None, "乡镇已导入这次县级抽查的记录，由上报包带回"]})
        entry["last_record_id"] = row_id
        AuditEntry.insert(entry).execute()


def _check_continues(db, township_id: int, checked: packages.Checked, file_db) -> None:
    name = checked.opened.header.township
    reported = db.execute_sql("SELECT EXISTS (SELECT 1 FROM tongdang_report_package "
                              "WHERE township_id = %s)", (township_id,)).fetchone()[0]
    previous = imported_trail.previous_import(db, township_id)
    if not reported:
        if previous is not None or _holds_rows(db, township_id):
            raise PackageRefused(
                f"乡镇“{name}”在县级数据库中已有档案（已迁入或直接在县级数据库中录入），"
                "不能用上报包覆盖，未导入任何内容。上报包只用于单独使用档案库文件的乡镇。")
        return
    if previous is None:
        return
    _, head, when = previous
    if not _trail_holds(file_db, head):
        raise PackageRefused(
            f"上报包中的审计记录与 {when} 导入的上一个上报包不衔接（上次到第{head.count}条，"
            f"末端哈希 {head.hash[:16]}…，这次的包中不同或没有）：乡镇档案库的历史记录可能被改写，"
            "或换成了另一个档案库。未导入任何内容，请与乡镇核实。")


def _trail_holds(file_db, head: ChainHead) -> bool:
    if head.count == 0:
        return head.hash == GENESIS
    row = file_db.execute_sql('SELECT "hash" FROM audit_entry WHERE "id" = ?', (head.count,)).fetchone()
    return row is not None and row[0] == head.hash


def _holds_rows(db, township_id: int, tables=None) -> list[str]:
    """The tables in which the township has rows of its own (the county's checks left out)."""
    from models.server.county_spotcheck import township_rows_where

    tables = tables or [m._meta.table_name for m in MIRRORED]
    return [t for t in tables if db.execute_sql(
        f'SELECT EXISTS (SELECT 1 FROM "{t}" WHERE township_id = %s{township_rows_where(t)})',
        (township_id,)).fetchone()[0]]


def _remove_mirror(db, township_id: int, by: str) -> None:
    """What the last package put in: its rows, each table's run of ids deleted with one chained
    entry (the township's server chain keeps the creations and says where they went), and
    its imported trail and map (the new package's trail continues it and replaces it)."""
    from models.audit import last_hash, new_entry_row

    runs = imported_trail.read_map(db, township_id) if imported_trail.tables_exist(db) else {}
    tables = {m._meta.table_name for m in MIRRORED}
    for model in reversed(MIRRORED):
        table = model._meta.table_name
        if table not in runs or not runs[table][1]:
            continue
        first, file_ids = runs[table]
        last = first + len(file_ids) - 1
        db.execute_sql(f'DELETE FROM "{table}" WHERE township_id = %s AND "id" BETWEEN %s AND %s',
                       (township_id, first, last))
        entry = new_entry_row(last_hash(), by, table, first, "delete",
                              {"ids": [first, last], "count": len(file_ids),
                               "reason": [None, "由新的上报包替换"]})
        entry["last_record_id"] = last
        AuditEntry.insert(entry).execute()
    left = _holds_rows(db, township_id, sorted(tables))
    if left:
        raise PackageRefused(f"乡镇在县级数据库中还有不是上报包带来的记录（{'、'.join(sorted(left))}），"
                             "不能用上报包替换，未导入任何内容。")
    for table in imported_trail.TABLE_NAMES if runs else ():
        db.execute_sql(f"DELETE FROM {table} WHERE township_id = %s", (township_id,))

def import_package(db, data: bytes, by: str) -> Applied:
    """Check ``data``, open its archive copy in a private folder, check it as ``tongdang
    verify`` checks a file, and apply it; the copy is removed afterwards."""
    from models.archive import Archive, private_dir, remove_archive_files
    from models.schema import database
    from models.storage import ArchiveOpenError

    checked = packages.check_package(db, data)
    if checked.already_applied:
        return apply_package(db, checked, None, by)
    folder = _work_folder()
    private_dir(folder)
    copy = folder / f"{checked.opened.sha256[:16]}.tongdang"
    remove_archive_files(copy)
    copy.write_bytes(checked.opened.payload)
    archive = None
    try:
        try:
            archive = Archive.open_copy(copy, checked.opened.archive_key)
        except ArchiveOpenError as exc:
            raise PackageRefused(f"上报包中的档案库打不开，未导入任何内容：{exc}") from None
        _refuse_problems(archive)
        database.initialize(db)  # the county database again, for the rows written below
        return apply_package(db, checked, archive.db, by)
    finally:
        if archive is not None:
            archive.close()
        database.initialize(db)
        remove_archive_files(copy)


def _work_folder():
    from models.archive import data_dir

    return data_dir() / "上报包导入"


def _refuse_problems(archive) -> None:
    problems = archive.backups.problems() or archive.audit.replay().problems
    if problems:
        shown = "；".join(problems[:5])
        raise PackageRefused(f"上报包中的档案库核对未通过（共{len(problems)}个问题：{shown}），未导入任何内容。"
                             "请乡镇先运行“校验档案库”，必要时从备份恢复后重新生成上报包。")
