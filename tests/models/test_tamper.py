"""Tampering by someone who has the recovery code: which kinds ``tongdang verify`` finds,
without and with an anchor kept outside the archive (a backup; the code printed on paper).

Every case starts from the same archive (demo data, users, a spot check, an attachment, then a
backup and its printed code as anchors, then more ordinary work), changes a copy directly in
the database as an insider could, and runs ``tongdang verify`` three times. The expected
outcome of each case is stated; the figures are printed (``pytest -s``) for the report.
"""

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from desktop.cli import main
from forms.idnumber import make_id_number
from models import audit
from models.schema import Child
from tests.conftest import RECOVERY

PASSWORD = "correct-horse-9"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    import keyring

    from models import demo, users
    from models.archive import Archive
    from models.backup import make_backup
    from models.derived import refresh_all
    from models.roles import CLERK
    from models.schema import Attachment
    from models.spotcheck import run_spotcheck
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    folder = tmp_path_factory.mktemp("tamper")
    archive, _ = Archive.create(folder / "base.tongdang", "丹朱镇", "长子县", "changzhi",
                                recovery_code=RECOVERY)
    demo.generate(30, seed=7, writer=archive.writer())
    refresh_all()
    users.create_first_admin(archive, "admin", PASSWORD)
    users.login(archive, "admin", PASSWORD)
    writer = archive.writer()
    users.create_user(writer, "clerk", PASSWORD, CLERK)
    single = writer.create(Child, id_number=make_id_number("140428", date(2010, 1, 1), 123, True), name="单独新建",
                           entered_on=date(2025, 3, 1), school="丹朱镇中心小学")
    writer.update(Child.get_by_id(2), notes="经办人修改")
    writer.create(Attachment, child=single.id, file_name="户口本.png", sha256=hashlib.sha256(b"x").hexdigest(),
                  size=1, content=b"x", added_on=date(2025, 3, 2))
    run_spotcheck(writer, "10%", seed="s1", inspector="县民政局")
    users.authenticate("clerk", PASSWORD)
    users.authenticate("clerk", PASSWORD)
    backup = make_backup(archive, folder=folder / "备份")
    head = audit.chain_head()
    # Ordinary work after the anchors were taken.
    writer.update(Child.get_by_id(5), notes="锚点之后的修改")
    users.authenticate("clerk", PASSWORD)
    users.authenticate("clerk", PASSWORD)
    archive.close()
    keyring.set_keyring(previous)
    yield {"path": folder / "base.tongdang", "backup": backup, "code": head.code,
           "anchor_count": head.count, "single": single.id, "folder": folder}


def _connect(path: Path):
    from sqlcipher3 import dbapi2 as sqlcipher

    from models import keys

    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{keys.key_from_recovery_code(RECOVERY)}'\"")
    return conn


def _entries(conn):
    return conn.execute('SELECT id, at, username, "table", record_id, action, changes '
                        "FROM audit_entry ORDER BY id").fetchall()


def _recompute(conn, fix_spotchecks=True):
    """What an insider with plain SHA-256 does after editing the trail: every hash again (and,
    when careful, the chain heads kept with the spot checks)."""
    prev, count = audit.GENESIS, 0
    for entry_id, at, username, table, record_id, action, changes in _entries(conn):
        if fix_spotchecks and table == "spot_check" and action == "create":
            code = audit.ChainHead(count, prev).code
            data = json.loads(changes)
            data["chain_head"] = [None, code]
            changes = json.dumps(data, ensure_ascii=False, sort_keys=True)
            conn.execute("UPDATE spot_check SET chain_head = ? WHERE id = ?", (code, record_id))
        new = audit.entry_hash(prev, at, username, table, record_id, action, changes)
        conn.execute("UPDATE audit_entry SET changes = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (changes, prev, new, entry_id))
        prev, count = new, count + 1


def _last_ids(conn, n):
    return [r[0] for r in conn.execute("SELECT id FROM audit_entry ORDER BY id DESC LIMIT ?", (n,))]


def _append_entry(conn, username, table, record_id, action, changes):
    last = conn.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()[0]
    row = audit.new_entry_row(last, username, table, record_id, action, changes)
    conn.execute('INSERT INTO audit_entry (at, username, "table", record_id, action, changes, '
                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (row["at"], username, table, record_id, action, row["changes"],
                  row["prev_hash"], row["hash"]))


# --- the cases: name -> (what the insider does, found without anchor, found with anchor) -----

def child_bulk_name(conn, s):
    conn.execute("UPDATE child SET name = '冒名顶替' WHERE id = 3")


def child_single_field(conn, s):
    conn.execute("UPDATE child SET school = '别的学校' WHERE id = ?", (s["single"],))


def child_field_after_app_edit(conn, s):
    conn.execute("UPDATE child SET notes = '偷偷改掉' WHERE id = 5")


def role_raised(conn, s):
    conn.execute("UPDATE user SET role = '管理员' WHERE username = 'clerk'")


def row_inserted(conn, s):
    conn.execute("INSERT INTO contact (child_id, \"on\", kind, visitor, met, living, guardianship,"
                 " safety, schooling, health, psychology, problems, actions, follow_up,"
                 " referral_departments, reviewer) "
                 "VALUES (4, '2025-05-01', '入户走访', '补录', '', '', '', '', '', '', '', '', '', '',"
                 " '', '')")


def row_deleted(conn, s):
    conn.execute("DELETE FROM contact WHERE id = (SELECT min(id) FROM contact)")


def attachment_replaced(conn, s):
    conn.execute("UPDATE attachment SET content = ? WHERE child_id = ?", (b"y", s["single"]))


def tail_deleted_after_anchor(conn, s):
    for entry_id in _last_ids(conn, 3):
        conn.execute("DELETE FROM audit_entry WHERE id = ?", (entry_id,))


def tail_deleted_after_anchor_data_reverted(conn, s):
    tail_deleted_after_anchor(conn, s)
    conn.execute("UPDATE child SET notes = '' WHERE id = 5")


def tail_deleted_past_anchor(conn, s):
    total = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
    for entry_id in _last_ids(conn, total - s["anchor_count"] + 2):
        conn.execute("DELETE FROM audit_entry WHERE id = ?", (entry_id,))


def tail_deleted_past_anchor_data_reverted(conn, s):
    # The last two entries before the anchor are logins: nothing in the rows shows them.
    tail_deleted_past_anchor(conn, s)
    conn.execute("UPDATE child SET notes = '' WHERE id = 5")


def all_deleted(conn, s):
    conn.execute("DELETE FROM audit_entry")


def all_rebuilt(conn, s):
    """Every entry removed and a new consistent trail written: one 'create' per current row."""
    from models.integrity import _audited_models, _fields

    conn.execute("DELETE FROM audit_entry")
    # The head kept with the spot check would give the rewrite away: the careful insider blanks it.
    conn.execute("UPDATE spot_check SET chain_head = ''")
    prev = audit.GENESIS
    for model in _audited_models():
        fields = _fields(model)
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        for row in conn.execute(f'SELECT id, {columns} FROM "{model._meta.table_name}"').fetchall():
            changes = {f.name: [None, v] for f, v in zip(fields, row[1:], strict=True)
                       if v not in (None, "", 0) and not isinstance(v, bytes)}
            entry = audit.new_entry_row(prev, "admin", model._meta.table_name, row[0], "create",
                                        changes)
            conn.execute('INSERT INTO audit_entry (at, username, "table", record_id, action, '
                         "changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (entry["at"], "admin", entry["table"], row[0], "create",
                          entry["changes"], prev, entry["hash"]))
            prev = entry["hash"]


def entry_edited(conn, s):
    entry_id = conn.execute("SELECT id FROM audit_entry WHERE action = 'update' "
                            "ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE audit_entry SET username = '别人' WHERE id = ?", (entry_id,))


def middle_entry_deleted(conn, s):
    conn.execute("DELETE FROM audit_entry WHERE id = 5")


def _raise_clerk_in_trail(conn):
    conn.execute("UPDATE user SET role = '管理员' WHERE username = 'clerk'")
    entry_id, changes = conn.execute(
        "SELECT id, changes FROM audit_entry WHERE \"table\" = 'user' AND action = 'create' "
        "AND changes LIKE '%clerk%'").fetchone()
    data = json.loads(changes)
    data["role"] = [None, "管理员"]
    conn.execute("UPDATE audit_entry SET changes = ? WHERE id = ?",
                 (json.dumps(data, ensure_ascii=False, sort_keys=True), entry_id))


def role_raised_chain_recomputed(conn, s):
    _raise_clerk_in_trail(conn)
    _recompute(conn, fix_spotchecks=True)


def role_raised_chain_recomputed_spotcheck_forgotten(conn, s):
    _raise_clerk_in_trail(conn)
    _recompute(conn, fix_spotchecks=False)


def bulk_row_changed_digest_forged(conn, s):
    """Change a bulk-made child and forge the row and column digests of its bulk entry."""
    from models.integrity import _audited_models  # noqa: F401 - the insider reads our code

    conn.execute("UPDATE child SET name = '冒名顶替' WHERE id = 3")
    entry_id, record_id, changes = conn.execute(
        "SELECT id, record_id, changes FROM audit_entry WHERE \"table\" = 'child' "
        "AND last_record_id IS NOT NULL AND record_id <= 3 AND last_record_id >= 3").fetchone()
    data = json.loads(changes)
    fields = [Child._meta.fields[n] for n in data["fields"]]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    last = record_id + data["count"] - 1
    rows = conn.execute(f"SELECT {columns} FROM child WHERE id BETWEEN ? AND ? ORDER BY id",
                        (record_id, last)).fetchall()
    table = [[audit.canon(f, v) for f, v in zip(fields, row, strict=True)] for row in rows]
    data["rows"] = [audit.short_digest(v) for v in table]
    data["columns"] = {n: audit.short_digest([v[i] for v in table])
                       for i, n in enumerate(data["fields"])}
    conn.execute("UPDATE audit_entry SET changes = ? WHERE id = ?",
                 (json.dumps(data, ensure_ascii=False, sort_keys=True), entry_id))
    _recompute(conn, fix_spotchecks=True)


def forged_edit_appended(conn, s):
    """A change written into the trail as an ordinary edit after the anchor: it looks like one."""
    before = conn.execute("SELECT name FROM child WHERE id = 3").fetchone()[0]
    conn.execute("UPDATE child SET name = '冒名顶替' WHERE id = 3")
    _append_entry(conn, "admin", "child", 3, "update", {"name": [before, "冒名顶替"]})


def login_entries_removed_after_anchor(conn, s):
    for entry_id in _last_ids(conn, 2):  # the two logins after the anchor
        conn.execute("DELETE FROM audit_entry WHERE id = ?", (entry_id,))
    _recompute(conn, fix_spotchecks=True)


CASES = {
    # name: (tamper, found without anchor, found with anchor)
    "child_bulk_name": (child_bulk_name, True, True),
    "child_single_field": (child_single_field, True, True),
    "child_field_after_app_edit": (child_field_after_app_edit, True, True),
    "role_raised": (role_raised, True, True),
    "row_inserted": (row_inserted, True, True),
    "row_deleted": (row_deleted, True, True),
    "attachment_replaced": (attachment_replaced, True, True),
    "tail_deleted_after_anchor": (tail_deleted_after_anchor, True, True),
    "tail_deleted_past_anchor": (tail_deleted_past_anchor, True, True),
    "tail_deleted_past_anchor_data_reverted": (tail_deleted_past_anchor_data_reverted, False, True),
    "all_deleted": (all_deleted, True, True),
    "all_rebuilt": (all_rebuilt, False, True),
    "entry_edited": (entry_edited, True, True),
    "middle_entry_deleted": (middle_entry_deleted, True, True),
    "role_raised_chain_recomputed": (role_raised_chain_recomputed, False, True),
    "role_raised_chain_recomputed_spotcheck_forgotten":
        (role_raised_chain_recomputed_spotcheck_forgotten, True, True),
    "bulk_row_changed_digest_forged": (bulk_row_changed_digest_forged, False, True),
    # After the newest anchor nothing outside the PC vouches for the trail: not detectable.
    "tail_deleted_after_anchor_data_reverted":
        (tail_deleted_after_anchor_data_reverted, False, False),
    "login_entries_removed_after_anchor": (login_entries_removed_after_anchor, False, False),
    "forged_edit_appended": (forged_edit_appended, False, False),
}
BEYOND_ANCHOR = {n for n, (_, _, anchored) in CASES.items() if not anchored}
RESULTS: dict[str, tuple[bool, bool, bool]] = {}


def _verify(path: Path, *anchor) -> tuple[int, str]:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    args = ["verify", "--archive", str(path), "--user", "admin"]
    for a in anchor:
        args += ["--anchor", str(a)]
    with redirect_stdout(out), redirect_stderr(err):
        status = main(args)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return status, out.getvalue()


@pytest.fixture
def copy_of(scenario, tmp_path, monkeypatch):
    monkeypatch.setenv("TONGDANG_RECOVERY_CODE", RECOVERY)
    monkeypatch.setenv("TONGDANG_PASSWORD", PASSWORD)  # verify logs in (and the login is audited)

    def make():
        target = tmp_path / "case.tongdang"
        shutil.copyfile(scenario["path"], target)
        return target

    return make


def test_untouched_archive_passes_with_and_without_anchors(scenario, copy_of):
    path = copy_of()
    status, out = _verify(path)
    assert status == 0, out
    assert "检查通过" in out and "逐条相符" in out
    status, out = _verify(path, scenario["backup"], scenario["code"])
    assert status == 0, out
    # 3 entries after the anchors, and each verify's own login since.
    assert out.count("核对通过") == 2 and "原样保存（此后新增5条）" in out


@pytest.mark.parametrize("name", list(CASES))
def test_tamper_case(name, scenario, copy_of):
    tamper, expect_plain, expect_anchored = CASES[name]
    path = copy_of()
    conn = _connect(path)
    try:
        tamper(conn, scenario)
    finally:
        conn.close()
    plain, out_plain = _verify(path)
    by_backup, out_backup = _verify(path, scenario["backup"])
    by_code, out_code = _verify(path, scenario["code"])
    RESULTS[name] = (plain == 1, by_backup == 1, by_code == 1)
    assert plain in (0, 1) and by_backup in (0, 1) and by_code in (0, 1)
    assert (plain == 1) is expect_plain, out_plain
    assert (by_backup == 1) is expect_anchored, out_backup
    assert (by_code == 1) is expect_anchored, out_code


def test_findings_name_table_row_and_field(scenario, copy_of):
    path = copy_of()
    conn = _connect(path)
    role_raised(conn, scenario)
    child_bulk_name(conn, scenario)
    child_single_field(conn, scenario)
    conn.close()
    status, out = _verify(path)
    assert status == 1
    clerk = 2  # admin is user 1
    assert f"用户（user）第{clerk}号记录的字段“role”与审计记录不符：按审计记录应为“录入员”，现在是“管理员”" in out
    assert "儿童（child）第3号记录与批量新建时的校验值不符（被改动的字段：name）" in out
    assert (f"儿童（child）第{scenario['single']}号记录的字段“school”与审计记录不符："
            "按审计记录应为“丹朱镇中心小学”，现在是“别的学校”") in out


def test_all_deleted_is_not_reported_as_passing(scenario, copy_of):
    path = copy_of()
    conn = _connect(path)
    all_deleted(conn, scenario)
    conn.close()
    status, out = _verify(path)
    assert status == 1 and "检查通过" not in out
    assert "没有新建的审计记录" in out
    status, out = _verify(path, scenario["code"])
    # Only the logins of the two verify runs are there since.
    assert f"当时有{scenario['anchor_count']}条审计记录，现在只有2条" in out, out


def test_summary_every_anchor_detectable_case_is_detected(scenario):
    """Runs after the cases (file order); prints the figures for the report."""
    if len(RESULTS) != len(CASES):
        pytest.skip("run together with test_tamper_case")
    plain = sum(r[0] for r in RESULTS.values())
    backup = sum(r[1] for r in RESULTS.values())
    code = sum(r[2] for r in RESULTS.values())
    detectable = len(CASES) - len(BEYOND_ANCHOR)
    print(f"\ntamper cases: {len(CASES)}; found without anchor {plain}/{len(CASES)}, "
          f"with backup anchor {backup}/{len(CASES)}, with typed code {code}/{len(CASES)}; "
          f"anchor-detectable {detectable}: found {sum(r[1] for n, r in RESULTS.items() if n not in BEYOND_ANCHOR)}/{detectable}")
    for name, r in RESULTS.items():
        print(f"  {name}: without {'Y' if r[0] else '-'}  backup {'Y' if r[1] else '-'}  "
              f"code {'Y' if r[2] else '-'}")
    assert all(RESULTS[n][1] and RESULTS[n][2] for n in CASES if n not in BEYOND_ANCHOR)


def test_head_code_round_trip():
    head = audit.ChainHead(1523, "9f3a0b1c77de1042aa90" + "0" * 44)
    assert head.code == "1523-9f3a-0b1c-77de-1042-aa90"
    assert audit.parse_head_code(" 1523－9F3A 0B1C-77DE-1042-AA90 ") == audit.ChainHead(
        1523, "9f3a0b1c77de1042aa90")
    assert audit.parse_head_code("1523-9f3a") is None
    assert audit.parse_head_code("不是核对码") is None



def test_the_printed_spotcheck_record_is_an_anchor(scenario, copy_of, tmp_path):
    """The 抽查记录表 written with the packet carries the head; given back as a file (or typed
    in), it shows entries removed since."""
    from openpyxl import load_workbook

    path = copy_of()
    out = tmp_path / "抽查材料"
    assert main(["--archive", str(path), "spotcheck", "--sample", "10%", "--seed", "s2",
                 "--user", "admin", "--out", str(out)]) == 0
    sheet = next(out.glob("*.xlsx"))
    cells = [str(c) for row in load_workbook(sheet).active.iter_rows(values_only=True)
             for c in row if c]
    line = next(c for c in cells if "审计链核对码：" in c)
    printed = line.split("审计链核对码：")[1].split()[0]
    assert audit.parse_head_code(printed) is not None
    record = next(out.glob("*.docx"))
    status, out_text = _verify(path, record, sheet)
    assert status == 0 and out_text.count("核对通过") == 2, out_text
    conn = _connect(path)
    all_rebuilt(conn, scenario)  # the careful insider: a whole new consistent trail
    conn.close()
    status, out_text = _verify(path)
    assert status == 0  # nothing inside the PC can tell
    status, out_text = _verify(path, record)
    assert status == 1 and "被删除、改写或重新计算过" in out_text
    typed = " " + printed.upper().replace("-", " － ") + " "  # as typed from paper
    status, out_text = _verify(path, typed)
    assert status == 1 and "被删除、改写或重新计算过" in out_text
