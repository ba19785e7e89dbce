"""The county's side of the 上报包 (issue 17, item 4): the county key kept where no login reads
it, and a package checked against the township it claims to be before anything is applied."""

from datetime import datetime

import psycopg
import pytest

from models.report_package import PackageRefused
from tests.conftest import RECOVERY

OTHER_RECOVERY = "ZYXW-VTSR-QPNM-KJHG-FEDC-BA98-7654-3210"


def _package(tmp_path, county_key, when, township="甲镇", county="某县", code=RECOVERY, name="a"):
    from models import demo
    from models.archive import Archive

    path = tmp_path / f"{name}.tongdang"
    if path.exists():
        archive, _ = Archive.open(path, recovery_code=code)
    else:
        archive, _ = Archive.create(path, township, county, "national", recovery_code=code)
        demo.generate(20, seed=5, writer=archive.writer())
    try:
        archive.reporting.set_county_key(county_key)
        return archive.reporting.make_package(now=when).data
    finally:
        archive.close()


@pytest.fixture
def owner(county):
    db = county.owner_db()
    yield db
    db.close()


def test_the_county_key_is_made_once_and_no_login_reads_it(county, owner):
    from models.server.packages import county_key

    first = county_key(owner)
    assert first.startswith("TONGDANG-COUNTY-KEY/1:") and county_key(owner) == first
    for login in ("county_admin", "clerk_a"):
        with county.plain_sql(login) as sql, pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql.execute("SELECT private_key FROM tongdang_county_key")


def test_first_then_same_then_newer_then_older(county, owner, tmp_path):
    from models.server.packages import check_package, county_key, record_applied

    key = county_key(owner)
    older = _package(tmp_path, key, datetime(2026, 6, 30, 17, 0))
    newer = _package(tmp_path, key, datetime(2026, 12, 31, 17, 0))

    checked = check_package(owner, newer)
    assert checked.first and not checked.already_applied
    assert checked.township_id == county.townships["甲镇"]
    record_applied(owner, checked)
    again = check_package(owner, newer)
    assert again.already_applied  # the same package twice: nothing to do
    with pytest.raises(PackageRefused, match="旧的上报包不会覆盖新的"):
        check_package(owner, older)


def test_a_package_signed_by_another_archive_is_foreign(county, owner, tmp_path):
    from models.server.packages import check_package, county_key, record_applied

    key = county_key(owner)
    record_applied(owner, check_package(owner, _package(tmp_path, key, datetime(2026, 6, 30))))
    impostor = _package(tmp_path, key, datetime(2026, 7, 1), code=OTHER_RECOVERY, name="b")
    with pytest.raises(PackageRefused, match=r"签名.*不同"):
        check_package(owner, impostor)


def test_unknown_township_or_county_is_refused(county, owner, tmp_path):
    from models.server.packages import check_package, county_key

    key = county_key(owner)
    with pytest.raises(PackageRefused, match="没有乡镇“丙镇”"):
        check_package(owner, _package(tmp_path, key, datetime(2026, 6, 30), township="丙镇", name="c"))
    with pytest.raises(PackageRefused, match="不符"):
        check_package(owner, _package(tmp_path, key, datetime(2026, 6, 30), county="别县", name="d"))


def test_no_county_key_yet(owner):
    from models.server.packages import check_package

    with pytest.raises(PackageRefused, match="server county-key"):
        check_package(owner, b"TONGDANG-REPORT/1\n")


# --- applied as the township's state ------------------------------------------------------------

ON = datetime(2026, 11, 25).date()


@pytest.fixture
def county_owner(county, monkeypatch, tmp_path):
    from models.server.owner import CountyOwner

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "county-pc"))
    owner = CountyOwner(county.owner_db())
    yield owner
    owner.close()


def _township_file(tmp_path, key, code=RECOVERY, name="甲镇file", children=30, seed=5):
    from models import demo, users
    from models.archive import Archive

    archive, _ = Archive.create(tmp_path / f"{name}.tongdang", "甲镇", "某县", "national",
                                recovery_code=code)
    demo.generate(children, seed=seed, today=ON, writer=archive.writer())
    users.create_first_admin(archive, "zhang", "admin-pass-1", "张主任")  # also in 乙镇's file
    archive.reporting.set_county_key(key)
    return archive


def _file_check(archive) -> str:
    from models.schema import database
    from pgserver.test_township_file import check_json

    database.initialize(archive.db)
    return check_json()


def _server_check(county) -> str:
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD
    from pgserver.test_township_file import check_json

    server, _ = ServerArchive.open(county.setting("clerk_a"), PASSWORD)
    try:
        server.login_as(county.logins["clerk_a"], server.login_role())
        return check_json()
    finally:
        server.close()


def _made(archive, when):
    from models.schema import database

    database.initialize(archive.db)
    return archive.reporting.make_package(now=when).data


def test_a_package_round_trip_checks_the_same_as_the_file(county, county_owner, tmp_path):
    from models import demo

    key = county_owner.county_key()
    archive = _township_file(tmp_path, key)
    first = _made(archive, datetime(2026, 6, 30, 17))
    on_file = _file_check(archive)

    applied = county_owner.import_package(first)
    assert applied.changed and applied.first and applied.township == "甲镇"
    assert _server_check(county) == on_file
    assert not county_owner.import_package(first).changed  # the same package again

    _file_check(archive)  # (the file's database again)
    demo.generate(5, seed=9, today=ON, writer=archive.writer())  # the township works on
    second = _made(archive, datetime(2026, 12, 31, 17))
    newer_on_file = _file_check(archive)
    archive.close()
    assert newer_on_file != on_file
    applied = county_owner.import_package(second)
    assert applied.changed and not applied.first
    assert _server_check(county) == newer_on_file
    assert not county_owner.import_package(first).changed  # applied before: not again
    assert _server_check(county) == newer_on_file


def test_an_older_package_never_applied_does_not_overwrite(county, county_owner, tmp_path):
    key = county_owner.county_key()
    archive = _township_file(tmp_path, key)
    older = _made(archive, datetime(2026, 6, 30))
    newer = _made(archive, datetime(2026, 7, 30))
    archive.close()
    county_owner.import_package(newer)
    before = _server_check(county)
    with pytest.raises(PackageRefused, match="旧的上报包不会覆盖新的"):
        county_owner.import_package(older)
    assert _server_check(county) == before


def test_the_server_verifies_after_packages(county, county_owner, tmp_path):
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    archive = _township_file(tmp_path, county_owner.county_key())
    county_owner.import_package(_made(archive, datetime(2026, 6, 30)))
    county_owner.import_package(_made(archive, datetime(2026, 7, 30)))
    archive.close()
    server, _ = ServerArchive.open(county.setting("clerk_a"), PASSWORD)
    try:
        server.login_as(county.logins["clerk_a"], server.login_role())
        assert server.backups.problems() == [] and server.audit.replay().problems == []
    finally:
        server.close()


def test_a_rewritten_history_with_the_same_key_is_refused(county, county_owner, tmp_path):
    key = county_owner.county_key()
    archive = _township_file(tmp_path, key)
    county_owner.import_package(_made(archive, datetime(2026, 6, 30)))
    before = _server_check(county)
    archive.close()
    # the same recovery code (so the same signature), but another archive: history replaced
    other = _township_file(tmp_path, key, name="重建", children=10, seed=11)
    with pytest.raises(PackageRefused, match="不衔接"):
        county_owner.import_package(_made(other, datetime(2026, 7, 30)))
    other.close()
    assert _server_check(county) == before  # nothing applied


def test_a_township_working_on_the_server_is_never_overwritten(county, county_owner, two_children,
                                                               tmp_path):
    from models.schema import database

    key = county_owner.county_key()
    archive = _township_file(tmp_path, key)
    data = _made(archive, datetime(2026, 6, 30))
    archive.close()
    database.initialize(county_owner.db)
    with pytest.raises(PackageRefused, match="不能用上报包覆盖"):
        county_owner.import_package(data)


# --- the commands -------------------------------------------------------------------------------

def test_the_county_commands(county, monkeypatch, tmp_path, capsys):
    from pgserver.test_township_import import run_cli

    monkeypatch.setenv("TONGDANG_PASSWORD", county.cluster.password)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "county-pc"))
    key_file = tmp_path / "县级公钥.txt"
    status, out, err = run_cli(["server", "--server", county.setting(), "county-key", "--out",
                                str(key_file)], capsys)
    assert status == 0, err
    key = key_file.read_text(encoding="utf-8").strip()
    assert key in out and "公钥指纹" in out

    archive = _township_file(tmp_path, key)
    package = tmp_path / "甲镇上报包.tdpkg"
    package.write_bytes(_made(archive, datetime(2026, 6, 30)))
    archive.close()
    argv = ["server", "--server", county.setting(), "import-package", str(package)]
    status, out, err = run_cli(argv, capsys)
    assert status == 0, err
    assert "已导入“甲镇”的上报包" in out and "签名指纹" in err
    status, out, err = run_cli(argv, capsys)
    assert status == 0 and "没有变化" in out

    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0xFF
    package.write_bytes(bytes(data))
    status, out, err = run_cli(argv, capsys)
    assert status == 1 and "签名不符" in err and "Traceback" not in err
    status, out, err = run_cli(["server", "--server", county.setting(), "import-package",
                                str(tmp_path / "没有.tdpkg")], capsys)
    assert status == 2 and "找不到上报包文件" in err


def test_a_v9_county_database_upgrades_to_the_county_key_column(county, monkeypatch, capsys):
    """v10 (the county key on the township row) is the first real step the server runs."""
    from desktop.cli import main

    with county.plain_owner() as conn:
        conn.execute("ALTER TABLE township DROP COLUMN county_public_key")
        conn.execute("ALTER TABLE spot_check DROP COLUMN county_draw")
        conn.execute("UPDATE tongdang_schema SET version = 9")
    monkeypatch.setenv("TONGDANG_PASSWORD", county.cluster.password)
    assert main(["server", "--server", county.setting(), "upgrade"]) == 0
    assert "从数据结构版本 9 升级到 11" in capsys.readouterr().out  # v11: spot_check.county_draw
    with county.plain_owner() as conn:
        assert conn.execute("SELECT version FROM tongdang_schema").fetchone()[0] == 11
        assert conn.execute("SELECT count(*) FROM township WHERE county_public_key = ''").fetchone()[0] == 2
