"""Moving in: ``tongdang server import 文件 --township 名称`` (issue 16, item 4)."""

from datetime import date

import pytest

ON = "2026-11-25"
USERS = (("wang_gl", "管理员"), ("li_lr", "录入员"), ("zhao_cy", "查阅"))


def make_file(path, seed=5, children=40, users=USERS):
    """A township file as a township would bring it: demo children, users (one disabled), edits
    after the bulk creation, a deleted record (a gap in the ids), an attachment and a spot
    check that printed the chain's code."""
    from models.opening import create_demo_archive, fill_demo_archive
    from models.schema import Child, Contact
    from models.spotcheck import run_spotcheck
    from pgserver.pgcluster import PASSWORD

    archive = create_demo_archive(path)
    fill_demo_archive(archive, children, seed=seed)
    for username, role in users:
        archive.users.create(username, PASSWORD, role)
    archive.users.set_active(archive.users.find(users[-1][0]), False)
    writer = archive.writer()
    child = Child.select().order_by(Child.id).first()
    writer.update(child, address="迁入前改过的地址")
    writer.delete(Contact.select().order_by(Contact.id).first(), "录错了")
    scan = path.parent / "协议.txt"
    scan.write_bytes("委托照护协议扫描件".encode() * 50)
    archive.attachments.add(child.id, scan, "协议")
    spot = run_spotcheck(writer, 0.1, seed="s1", on=date(2026, 11, 20))
    archive.close()
    return spot.record.chain_head


def run_cli(argv, capsys):
    from desktop.cli import main

    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


IMPORTED_LOGINS = ("wang_gl", "li_lr", "zhao_cy", "new_one")


@pytest.fixture
def owner_env(county, monkeypatch):
    """The county database as its owner runs the commands; the logins that imports made are
    removed afterwards (login roles belong to the cluster, not to one county database)."""
    monkeypatch.setenv("TONGDANG_PASSWORD", county.cluster.password)
    monkeypatch.setenv("TONGDANG_NEW_PASSWORD", "Imported-Pass-2026")
    yield county
    with county.plain_owner() as conn:
        for login in IMPORTED_LOGINS:
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def import_file(county, path, township, capsys):
    return run_cli(["server", "--server", county.setting(), "import", str(path),
                    "--township", township], capsys)


def as_login(county, login, argv, capsys, monkeypatch, password=None, town=None):
    from pgserver.pgcluster import PASSWORD

    monkeypatch.setenv("TONGDANG_PASSWORD", password or PASSWORD)
    setting = county.cluster.url(county.name, login)
    town_args = ["--town", town] if town else []
    try:
        return run_cli(["--server", setting, *town_args, *argv], capsys)
    finally:
        monkeypatch.setenv("TONGDANG_PASSWORD", county.cluster.password)


def table_counts(county) -> dict:
    with county.plain_owner() as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in ("child", "contact", "user", "attachment", "audit_entry", "township")}


def test_import_checks_the_same_verifies_and_a_second_run_changes_nothing(
        owner_env, tmp_path, capsys, monkeypatch):
    county = owner_env
    path = tmp_path / "丙镇.tongdang"
    make_file(path)
    from pgserver.pgcluster import PASSWORD

    monkeypatch.setenv("TONGDANG_PASSWORD", PASSWORD)
    status, file_check, err = run_cli(["--archive", str(path), "--user", "wang_gl", "check",
                                       "--json", "--on", ON], capsys)
    assert status in (0, 1), err
    monkeypatch.setenv("TONGDANG_PASSWORD", county.cluster.password)

    status, out, err = import_file(county, path, "丙镇", capsys)
    assert status == 0, err
    assert "逐条核对与文件一致" in out and "儿童 40 条" in out
    assert "wang_gl、li_lr" in out and "zhao_cy" not in out  # the disabled one gets no password
    assert "server --server" in out and "password 用户名" in out

    _, server_check, err = as_login(county, "county_admin", ["check", "--json", "--on", ON],
                                    capsys, monkeypatch, town="丙镇")
    assert server_check == file_check  # byte for byte

    status, out, err = as_login(county, "county_admin", ["verify"], capsys, monkeypatch,
                                town="丙镇")
    assert status == 0, out + err
    assert "检查通过" in out

    before = table_counts(county)
    status, out, _ = import_file(county, path, "丙镇", capsys)
    assert status == 0
    assert out.startswith("没有变化")
    assert table_counts(county) == before


def test_the_imported_trail_and_map_are_sealed(owner_env, tmp_path, capsys, monkeypatch):
    county = owner_env
    path = tmp_path / "丙镇.tongdang"
    make_file(path)
    status, _, err = import_file(county, path, "丙镇", capsys)
    assert status == 0, err
    with county.plain_owner() as conn:
        entries, head = conn.execute("SELECT entries, head_hash FROM tongdang_import").fetchone()
        seal = conn.execute("SELECT changes FROM audit_entry WHERE action = 'import'").fetchone()[0]
        assert head in seal and f"{entries}条审计记录" in seal
        assert conn.execute("SELECT count(*) FROM tongdang_imported_trail").fetchone()[0] == entries
        # the owner (who bypasses every policy) rewrites one imported entry and the map
        conn.execute("UPDATE tongdang_imported_trail SET changes = changes || ' ' WHERE id = 3")
        conn.execute("UPDATE tongdang_import_map SET first_server_id = first_server_id + 1 "
                     "WHERE table_name = 'village'")
    status, out, _ = as_login(county, "county_admin", ["verify"], capsys, monkeypatch, town="丙镇")
    assert status == 1
    assert "迁入前的审计记录第3条的内容被改动过" in out
    assert "编号对照表" in out


def test_a_township_clerk_reads_but_cannot_change_the_imported_trail(
        owner_env, tmp_path, capsys, monkeypatch):
    import psycopg

    county = owner_env
    path = tmp_path / "甲镇.tongdang"
    make_file(path)
    assert import_file(county, path, "丙镇", capsys)[0] == 0
    with county.plain_sql("clerk_a") as conn:  # a clerk of 甲镇
        assert conn.execute("SELECT count(*) FROM tongdang_imported_trail").fetchone()[0] == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM tongdang_imported_trail")


def test_imported_users_log_in_once_the_county_sets_a_password(
        owner_env, tmp_path, capsys, monkeypatch):
    from models.server.archive import ServerArchive
    from models.server.connection import ServerLoginFailed

    county = owner_env
    path = tmp_path / "丙镇.tongdang"
    make_file(path)
    assert import_file(county, path, "丙镇", capsys)[0] == 0
    setting = county.cluster.url(county.name, "li_lr")
    with pytest.raises(ServerLoginFailed):
        ServerArchive.open(setting, "Imported-Pass-2026")
    status, out, err = run_cli(["server", "--server", county.setting(), "password", "li_lr"],
                               capsys)
    assert status == 0, err
    assert "已设置登录用户“li_lr”的密码" in out
    archive, _ = ServerArchive.open(setting, "Imported-Pass-2026")
    assert archive.township.name == "丙镇"
    assert archive.login_role() == "录入员"
    assert archive.counts()["儿童（在档）"] == 40
    archive.close()
    status, out, err = as_login(county, "li_lr", ["verify"], capsys, monkeypatch,
                                password="Imported-Pass-2026")
    assert status == 0 and "检查通过" in out, out + err  # the township's own login
    # the user disabled in the file stays unable to log in, password or not
    assert run_cli(["server", "--server", county.setting(), "password", "zhao_cy"], capsys)[0] == 0
    with pytest.raises(ServerLoginFailed):
        ServerArchive.open(county.cluster.url(county.name, "zhao_cy"), "Imported-Pass-2026")


def test_a_spot_check_code_from_before_the_move_still_verifies(
        owner_env, tmp_path, capsys, monkeypatch):
    county = owner_env
    path = tmp_path / "丙镇.tongdang"
    code = make_file(path)
    assert import_file(county, path, "丙镇", capsys)[0] == 0
    status, out, err = as_login(county, "county_admin", ["verify", "--anchor", code], capsys,
                                monkeypatch, town="丙镇")
    assert status == 0, out + err
    assert "迁入县级数据库以前" in out


def test_a_township_holding_data_is_refused_and_nothing_is_written(
        owner_env, two_children, tmp_path, capsys):
    county = owner_env
    path = tmp_path / "甲镇.tongdang"
    make_file(path)
    before = table_counts(county)
    status, _, err = import_file(county, path, "甲镇", capsys)
    assert status != 0
    assert "已有数据" in err and "儿童" in err
    assert table_counts(county) == before


def test_a_township_made_before_with_another_profile_is_refused(owner_env, tmp_path, capsys):
    county = owner_env
    path = tmp_path / "丁镇.tongdang"
    make_file(path)
    assert run_cli(["server", "--server", county.setting(), "township", "丁镇", "--county",
                    "示范县", "--profile", "changzhi"], capsys)[0] == 0
    status, _, err = import_file(county, path, "丁镇", capsys)
    assert status != 0 and "地区方案" in err


def test_an_empty_township_made_before_takes_the_file(owner_env, tmp_path, capsys, monkeypatch):
    county = owner_env
    path = tmp_path / "丁镇.tongdang"
    make_file(path)
    assert run_cli(["server", "--server", county.setting(), "township", "丁镇", "--county",
                    "示范县", "--profile", "national"], capsys)[0] == 0
    status, out, err = import_file(county, path, "丁镇", capsys)
    assert status == 0, err
    status, out, err = as_login(county, "county_admin", ["verify"], capsys, monkeypatch,
                                town="丁镇")
    assert status == 0, out + err


def test_user_names_taken_in_the_county_are_refused(owner_env, tmp_path, capsys):
    county = owner_env
    make_file(tmp_path / "丙镇.tongdang")
    assert import_file(county, tmp_path / "丙镇.tongdang", "丙镇", capsys)[0] == 0
    other = tmp_path / "other"
    other.mkdir()
    make_file(other / "丁镇.tongdang", seed=9, users=(("wang_gl", "管理员"), ("clerk_a", "录入员"),
                                                      ("new_one", "查阅")))
    before = table_counts(county)
    status, _, err = import_file(county, other / "丁镇.tongdang", "丁镇", capsys)
    assert status != 0
    assert "clerk_a、wang_gl" in err and "全县唯一" in err
    assert table_counts(county) == before


def test_a_file_changed_after_the_move_is_refused(owner_env, tmp_path, capsys):
    from models.archive import Archive
    from models.schema import Child

    county = owner_env
    path = tmp_path / "丙镇.tongdang"
    make_file(path)
    assert import_file(county, path, "丙镇", capsys)[0] == 0
    archive, _ = Archive.open(path)
    archive.writer().update(Child.get_by_id(2), address="迁入后在文件中改的")
    archive.close()
    status, _, err = import_file(county, path, "丙镇", capsys)
    assert status != 0
    assert "已于" in err and "不能再次迁入" in err


def test_a_file_that_does_not_verify_is_not_moved_in(owner_env, tmp_path, capsys):
    from models.archive import Archive

    county = owner_env
    path = tmp_path / "丙镇.tongdang"
    make_file(path)
    archive, _ = Archive.open(path)
    archive.db.execute_sql("UPDATE child SET name = '外改' WHERE id = 3")  # outside the app
    archive.close()
    status, _, err = import_file(county, path, "丙镇", capsys)
    assert status != 0
    assert "核对未通过" in err and "name" in err
    with county.plain_owner() as conn:
        assert conn.execute("SELECT count(*) FROM township WHERE name = '丙镇'").fetchone()[0] == 0


def test_the_comparison_names_a_row_that_differs(owner_env, tmp_path):
    """The record-by-record check itself: a row changed on the server after the copy."""
    from models.archive import Archive
    from models.schema import database
    from models.server import import_rows
    from models.server.archive import open_as_owner
    from models.server.connection import ServerSetting

    county = owner_env
    path = tmp_path / "丙镇.tongdang"
    make_file(path)
    archive, _ = Archive.open(path)
    db = open_as_owner(ServerSetting.parse(county.setting()), county.cluster.password)
    from models.server.logins import add_township

    township = add_township(db, "戊镇", "示范县", "national")
    with db.atomic() as transaction:
        db.execute_sql("SELECT set_config('tongdang.township', %s, true)", (str(township),))
        id_map = import_rows.IdMap(1, township)
        import_rows.copy_all(archive.db, id_map, "postgres")
        assert import_rows.mismatches(archive.db, db, id_map, township) == []
        first = id_map.runs["child"][0]
        db.execute_sql("UPDATE child SET school = '别的学校' WHERE id = %s", (first + 4,))
        found = import_rows.mismatches(archive.db, db, id_map, township)
        transaction.rollback()
    assert len(found) == 1 and "school" in found[0] and f"服务器第{first + 4}号" in found[0]
    db.close()
    database.initialize(None)
    archive.close()
