"""The county's spot-check across townships (issue 17, item 3): reproducible from its seed,
stratified by village in each township, recorded as a SpotCheck row in each township (its
own 抽查 page and audit chain show it), kept when a 上报包 replaces the township's mirror."""

import json
from datetime import date, datetime

import pytest

from pgserver.pgcluster import PASSWORD
from pgserver.test_township_import import as_login
from tests.conftest import RECOVERY

ON = date(2026, 11, 25)


@pytest.fixture
def two_townships(county, monkeypatch, tmp_path):
    """甲镇 works on the server (its clerk entered 30 children); 乙镇 keeps its own file and
    reports by 上报包 (40 children). Returns 乙镇's open file archive (closed afterwards)."""
    from models import demo
    from models.archive import Archive
    from models.schema import database
    from models.server.archive import ServerArchive
    from models.server.owner import CountyOwner

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "county-pc"))
    clerk, _ = ServerArchive.open(county.setting("clerk_a"), PASSWORD)
    clerk.login_as("clerk_a", clerk.login_role())
    demo.generate(30, seed=3, today=ON, writer=clerk.writer())
    clerk.close()
    owner = CountyOwner(county.owner_db())
    key = owner.county_key()
    archive, _ = Archive.create(tmp_path / "乙镇.tongdang", "乙镇", "某县", "national",
                                recovery_code=RECOVERY)
    demo.generate(40, seed=4, today=ON, writer=archive.writer())
    archive.reporting.set_county_key(key)
    data = archive.reporting.make_package(now=datetime(2026, 11, 25, 17)).data
    database.initialize(owner.db)
    owner.import_package(data)
    owner.close()
    yield archive
    archive.close()


def _server(county, login):
    from models.server.archive import ServerArchive

    archive, _ = ServerArchive.open(county.setting(login), PASSWORD)
    archive.login_as(login, archive.login_role())
    return archive


def _samples(check) -> dict[str, list[str]]:
    return {c.township: c.run.sample for c in check.checks}


def _spot_checks(county) -> list[tuple]:
    with county.plain_owner() as conn:
        return conn.execute(
            "SELECT t.name, s.id, s.seed, s.sample, s.inspector, s.county_draw FROM spot_check s "
            "JOIN township t ON t.id = s.township_id ORDER BY s.id").fetchall()


def test_a_county_spotcheck_is_reproducible_from_its_seed(county, two_townships):
    from models.server.county_spotcheck import CountyDraw
    from models.spotcheck import draw_sample

    admin = _server(county, "county_admin")
    try:
        first = admin.county_spotchecks.run(share="20%", seed="4711", on=ON)
        again = admin.county_spotchecks.run(share="20%", seed="4711", on=date(2026, 12, 1))
        other = admin.county_spotchecks.run(share="20%", seed="4712", on=ON)
        populations = {}
        for township in ("甲镇", "乙镇"):
            admin.choose_township(township)
            populations[township] = admin.spotchecks.population()
        admin.choose_township(None)
        assert admin.township_id is None and len(admin.township_names()) == 2  # 全县 again
    finally:
        admin.close()

    assert _samples(first) == _samples(again) != _samples(other)
    assert set(_samples(first)) == {"甲镇", "乙镇"}
    for township, sample in _samples(first).items():
        population = populations[township]
        # the township's draw is its own one-township draw with the seed "4711/乡镇"
        assert sample == draw_sample(population, 0.2, f"4711/{township}", per_village=True)
        # stratified by village: every village gives its share (rounded up)
        village_of = dict(population)
        for village in {v for _, v in population}:
            size = sum(1 for _, v in population if v == village)
            drawn = sum(1 for n in sample if village_of[n] == village)
            assert drawn == -(-size // 5)
    rows = _spot_checks(county)
    assert [(r[0], r[2], r[4]) for r in rows[:2]] == [("甲镇", "4711/甲镇", "county_admin"),
                                                     ("乙镇", "4711/乙镇", "county_admin")]
    draw = CountyDraw.from_text(rows[0][5])
    assert rows[0][5] == rows[1][5] and draw.seed == "4711" and draw.share == 0.2
    assert draw.townships == ("甲镇", "乙镇") and draw.by == "county_admin"


def test_a_count_per_township_shared_out_among_villages(county, two_townships):
    admin = _server(county, "county_admin")
    try:
        check = admin.county_spotchecks.run(count=7, townships=["乙镇"], seed="9", on=ON)
        admin.choose_township("甲镇")  # the window works in one township: the draw still
        again = admin.county_spotchecks.run(count="7份", townships=["乙镇"], seed="9", on=ON)
        history = admin.county_spotchecks.history()  # sees the county, then gives it back
        packets = []
        admin.county_spotchecks.each_packet(check, lambda t, p: packets.append((t, p)))
        from models.schema import Township

        assert [t.name for t in Township.select()] == ["甲镇"] and admin.spotchecks.history() == []
    finally:
        admin.close()
    assert [c.township for c in check.checks] == ["乙镇"]
    run = check.checks[0].run
    assert len(run.sample) == 7 and run.per_village and run.share == pytest.approx(7 / 40)
    assert _samples(check) == _samples(again)
    assert [p.files for p in history] == [7, 7] and history[0].draw.count == 7
    assert [r[0] for r in history[0].rows] == ["乙镇"]
    [(township, packet)] = packets
    assert township == packet.township == "乙镇" and len(packet.children) == 7
    assert "全县随机种子 9、每个乡镇7份" in packet.method_note and "份数" in packet.method_note


def test_the_township_sees_the_checks_made_of_it_in_its_own_archive(county, two_townships):
    admin = _server(county, "county_admin")
    try:
        check = admin.county_spotchecks.run(share=0.1, seed="77", on=ON)
    finally:
        admin.close()
    clerk = _server(county, "clerk_a")  # 甲镇's own login
    try:
        [past] = clerk.spotchecks.history()
        assert past.by_county and past.inspector == "county_admin" and past.seed == "77/甲镇"
        assert past.sample == _samples(check)["甲镇"]
        assert clerk.audit.replay().problems == []
        from models.schema import AuditEntry

        [entry] = AuditEntry.select().where(AuditEntry.table == "spot_check")
        assert entry.username == "county_admin" and entry.action == "create"
    finally:
        clerk.close()


def test_a_county_reader_and_a_township_login_cannot_record(county, two_townships):
    from forms.spotcheck_share import SpotCheckError

    for login, message in (("county_reader", "县级查阅"), ("clerk_a", "县级用户")):
        archive = _server(county, login)
        try:
            with pytest.raises(SpotCheckError, match=message):
                archive.county_spotchecks.run(share="10%", seed="1", on=ON)
        finally:
            archive.close()
    admin = _server(county, "county_admin")
    try:
        with pytest.raises(SpotCheckError, match="没有乡镇“丙镇”"):
            admin.county_spotchecks.run(share="10%", townships=["丙镇"], on=ON)
        with pytest.raises(SpotCheckError, match="二者选一"):
            admin.county_spotchecks.run(share="10%", count=3, on=ON)
    finally:
        admin.close()
    assert _spot_checks(county) == []


def test_a_new_package_keeps_the_countys_checks_of_the_township(county, two_townships):
    from models import demo
    from models.schema import database
    from models.server.owner import CountyOwner

    admin = _server(county, "county_admin")
    try:
        admin.county_spotchecks.run(share="20%", seed="55", townships=["乙镇"], on=ON)
    finally:
        admin.close()
    before = _spot_checks(county)
    assert [r[0] for r in before] == ["乙镇"]

    archive = two_townships  # 乙镇 works on in its own file and reports again
    database.initialize(archive.db)
    demo.generate(5, seed=8, today=ON, writer=archive.writer())
    data = archive.reporting.make_package(now=datetime(2026, 12, 31, 17)).data
    owner = CountyOwner(county.owner_db())
    try:
        applied = owner.import_package(data)
    finally:
        owner.close()
    assert applied.changed and not applied.first
    assert _spot_checks(county) == before  # the same row, the same id
    with county.plain_owner() as conn:
        assert conn.execute("SELECT count(*) FROM child WHERE township_id = %s",
                            (county.townships["乙镇"],)).fetchone()[0] == 45
    admin = _server(county, "county_admin")
    try:
        admin.choose_township("乙镇")
        assert [p.seed for p in admin.spotchecks.history()] == ["55/乙镇"]
        assert admin.audit.replay().problems == []
    finally:
        admin.close()


def test_the_command_writes_a_folder_per_township_and_redraws_the_same(
        county, two_townships, tmp_path, capsys, monkeypatch):
    argv = ["spotcheck", "county", "--share", "10%", "--seed", "2026", "--out"]
    status, out, err = as_login(county, "county_admin", [*argv, str(tmp_path / "第一次")], capsys,
                                monkeypatch)
    assert status == 0, err
    assert "随机种子：2026" in out and "甲镇：在档 30 名" in out and "乙镇：在档 40 名" in out
    first = {t: sorted(p.name for p in (tmp_path / "第一次" / t / "儿童档案").iterdir())
             for t in ("甲镇", "乙镇")}
    for township in ("甲镇", "乙镇"):
        assert (tmp_path / "第一次" / township / "抽查记录表.pdf").is_file()
        assert first[township]
    status, out, err = as_login(county, "county_admin",
                                [*argv, str(tmp_path / "复核"), "--township", "乙镇"], capsys,
                                monkeypatch)
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "复核" / "乙镇" / "儿童档案").iterdir()) == first["乙镇"]
    assert not (tmp_path / "复核" / "甲镇").exists()

    status, out, err = as_login(county, "county_reader", [*argv, str(tmp_path / "查阅")], capsys,
                                monkeypatch)
    assert status != 0 and "不能记录全县抽查" in err and "Traceback" not in err
    status, out, err = as_login(county, "county_admin",
                                ["spotcheck", "county", "--seed", "1", "--out", str(tmp_path / "x")],
                                capsys, monkeypatch)
    assert status != 0 and "二者选一" in err
    from pgserver.test_township_import import run_cli

    status, out, err = run_cli(["spotcheck", "county", "--share", "10%", "--out",
                                str(tmp_path / "y")], capsys)  # a township's own file
    assert status != 0 and "全县抽查需要县级数据库" in err
    status, out, err = run_cli(["spotcheck", "--count", "3", "--out", str(tmp_path / "z")], capsys)
    assert status != 0 and "只用于全县抽查" in err


def test_a_v10_county_database_upgrades_to_the_county_draw_column(county, two_children,
                                                                    monkeypatch, capsys):
    from desktop.cli import main

    with county.plain_owner() as conn:
        conn.execute("ALTER TABLE spot_check DROP COLUMN county_draw")
        conn.execute("UPDATE tongdang_schema SET version = 10")
    monkeypatch.setenv("TONGDANG_PASSWORD", county.cluster.password)
    assert main(["server", "--server", county.setting(), "upgrade"]) == 0
    assert "从数据结构版本 10 升级到 11" in capsys.readouterr().out
    with county.plain_owner() as conn:
        assert conn.execute("SELECT version FROM tongdang_schema").fetchone()[0] == 11
    admin = _server(county, "county_admin")
    try:
        check = admin.county_spotchecks.run(count=1, seed="3", on=ON)
        assert [c.township for c in check.checks] == ["甲镇", "乙镇"]
    finally:
        admin.close()


def test_a_backup_with_the_countys_checks_moves_in_as_a_new_township(county, two_townships,
                                                                     tmp_path):
    """甲镇's server backup holds the county's check of it; the file moves in (as a package's
    copy does: without its users, whose names are taken) as another township with that check,
    compared row by row like every other row."""
    from models.archive import Archive
    from models.schema import SpotCheck, database
    from models.server.township_import import import_township

    admin = _server(county, "county_admin")
    try:
        check = admin.county_spotchecks.run(count=4, townships=["甲镇"], seed="31", on=ON)
        admin.choose_township("甲镇")
        code = admin.write_township_file(tmp_path / "甲镇备份.tongdang")
    finally:
        admin.close()
    backup, _ = Archive.open(tmp_path / "甲镇备份.tongdang", recovery_code=code)
    try:
        assert [r.county_draw != "" for r in SpotCheck.select()] == [True]
        owner = county.owner_db()
        try:
            database.initialize(owner)
            result = import_township(owner, backup.db, "丙镇", "甲镇备份.tongdang", "postgres",
                                     with_logins=False)
        finally:
            owner.close()
    finally:
        backup.close()
    assert result.changed
    rows = _spot_checks(county)
    assert [(r[0], r[2]) for r in rows] == [("甲镇", "31/甲镇"), ("丙镇", "31/甲镇")]
    assert rows[1][3] == rows[0][3] and rows[1][5] == rows[0][5] == check.checks[0].run.record.county_draw


def test_a_township_on_its_own_file_receives_the_countys_check_and_reports_it_back(
        county, two_townships, tmp_path, capsys, monkeypatch):
    """The county's packet for 乙镇 (on its own file) holds the check as a file; 乙镇 receives
    it (its own 抽查 history and audit trail show it; a second time, another township's file
    or a wrong file are refused in Chinese); its next 上报包 brings it back and the county
    database keeps one row of the check, with the county's history and the replay intact."""
    from models import county_check_record
    from models.schema import database
    from models.server.owner import CountyOwner

    status, out, err = as_login(county, "county_admin",
                                ["spotcheck", "county", "--share", "20%", "--seed", "77", "--out",
                                 str(tmp_path / "全县")], capsys, monkeypatch)
    assert status == 0, err
    record_file = tmp_path / "全县" / "乙镇" / county_check_record.FILE_NAME
    assert record_file.is_file() and (tmp_path / "全县" / "甲镇" / county_check_record.FILE_NAME).is_file()
    county_row = [r for r in _spot_checks(county) if r[0] == "乙镇"]
    assert len(county_row) == 1

    archive = two_townships
    from pgserver.test_township_import import run_cli

    status, out, err = run_cli(["--archive", str(archive.path), "spotcheck", "receive",
                                str(record_file)], capsys)  # the township's clerk, by command
    assert status == 0, err
    assert "已导入县级抽查记录" in out and "抽查 10 份" in out
    status, out, err = run_cli(["--archive", str(archive.path), "spotcheck", "receive"], capsys)
    assert status != 0 and "县级抽查记录" in err and "Traceback" not in err
    database.initialize(archive.db)
    received = archive.spotchecks.history()[0]
    assert received.by_county and received.seed == "77/乙镇"
    assert received.sample == json.loads(county_row[0][3]) and received.county_draw == county_row[0][5]
    history = archive.spotchecks.history()
    assert [(p.seed, p.by_county) for p in history] == [("77/乙镇", True)]
    from forms.spotcheck_share import SpotCheckError

    archive.login_as("乙镇文书", "管理员")
    with pytest.raises(SpotCheckError, match="已经导入过"):
        archive.spotchecks.receive(record_file)
    with pytest.raises(SpotCheckError, match="不是本档案库"):
        archive.spotchecks.receive(tmp_path / "全县" / "甲镇" / county_check_record.FILE_NAME)
    (tmp_path / "坏.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SpotCheckError, match="不是童档导出的县级抽查记录文件"):
        archive.spotchecks.receive(tmp_path / "坏.json")
    assert len(archive.spotchecks.history()) == 1
    assert archive.audit.replay().problems == []
    assert archive.backups.problems() == []
    assert all(archive.audit.check_head(head, "").ok  # no county chain head in this file
               for _id, head in archive.audit.spotcheck_heads())

    data = archive.reporting.make_package(now=datetime(2026, 12, 31, 17)).data
    owner = CountyOwner(county.owner_db())
    try:
        owner.import_package(data)
        again = owner.import_package(data)  # the same package twice changes nothing
    finally:
        owner.close()
    assert not again.changed
    rows = [r for r in _spot_checks(county) if r[0] == "乙镇"]
    assert len(rows) == 1 and rows[0][1] != county_row[0][1]  # the township's copy stands
    assert rows[0][2:] == county_row[0][2:]
    admin = _server(county, "county_admin")
    try:
        past = admin.county_spotchecks.history()
        assert [sorted(r[0] for r in p.rows) for p in past] == [["乙镇", "甲镇"]]
        admin.choose_township("乙镇")
        assert [p.seed for p in admin.spotchecks.history()] == ["77/乙镇"]
        assert admin.audit.replay().problems == []
    finally:
        admin.close()
