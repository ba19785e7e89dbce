"""The county's settings, its log of lists sent and its reminders (issue 17, item 5), on the
real PostgreSQL: who may read and write the server-only tables, the reminders computed from
the log and the townships' spot-checks, and the commands."""

from datetime import date, timedelta

import psycopg
import pytest

ON = date(2026, 11, 25)


@pytest.fixture
def county_tables(county):
    """The county database with its own tables, as ``server init|upgrade`` makes them (twice:
    making them again changes nothing)."""
    from models.schema import database
    from models.server import county_settings

    db = county.owner_db()
    county_settings.create_tables(db)
    county_settings.create_tables(db)
    db.close()
    database.initialize(None)
    return county


def _open(county, login):
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    server, _ = ServerArchive.open(county.setting(login), PASSWORD)
    return server


def test_only_county_logins_read_and_only_the_administrator_changes_settings(county_tables):
    from models.server.county_settings import SettingsError

    admin = _open(county_tables, "county_admin")
    try:
        admin.county_settings.set("spring_list_by", "2月20日")
        admin.county_settings.record_sent("lists", "妇联", ON - timedelta(days=10), note="邮寄")
        assert admin.county_settings.value("spring_list_by") == (2, 20)
        with pytest.raises(SettingsError, match="应写作“月-日”"):
            admin.county_settings.set("spring_list_by", "2月30日")
        with pytest.raises(SettingsError, match="报送单位应为"):
            admin.county_settings.record_sent("lists", "教育局", ON)
    finally:
        admin.close()
    reader = _open(county_tables, "county_reader")
    try:
        assert reader.county_settings.value("spring_list_by") == (2, 20)
        with pytest.raises(SettingsError, match="县级管理员"):
            reader.county_settings.set("warn_days", "10")
        reader.county_settings.record_sent("school", "教育局", ON, term="2027春")  # a reader may log
        entries = reader.county_settings.sent()
        assert [(e.kind, e.recipient, e.recorded_by) for e in entries] == [
            ("school", "教育局", "county_reader"), ("lists", "妇联", "county_admin")]
        assert entries[0].term == "2027春" and entries[1].note == "邮寄"
    finally:
        reader.close()
    for login in ("clerk_a", "admin_a"):  # township logins: neither read nor write
        with county_tables.plain_sql(login) as conn, pytest.raises(
                psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM tongdang_sent_list")
    with county_tables.plain_sql("county_reader") as conn:  # the log is append-only, its author fixed
        for sql in ("DELETE FROM tongdang_sent_list", "UPDATE tongdang_sent_list SET note = ''",
                    "INSERT INTO tongdang_sent_list (kind, recipient, sent_on, recorded_by) "
                    "VALUES ('lists', '团委', now(), 'someone_else')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
            conn.rollback()


def _by(found, kind, township=""):
    return [r for r in found if r.kind == kind and r.township == township]


def _plan(county, profile):
    """Every township of ``county`` works under plan ``profile`` (as its owner sets it)."""
    from models.schema import database

    db = county.owner_db()
    db.execute_sql("UPDATE township SET profile = %s", (profile,))
    db.close()
    database.initialize(None)


def test_reminders_follow_the_log_and_the_spot_checks(county_tables):
    from models.schema import SpotCheck
    from models.server import logins

    _plan(county_tables, "puning")  # the plan that gives the half-yearly lists and annex dates
    admin = _open(county_tables, "county_admin")
    try:
        settings = admin.county_settings
        found = settings.reminders(ON)
        lists = _by(found, "lists")
        assert [r.status for r in lists] == ["应即办理"] * 3  # never sent: due at once
        assert {r.what for r in lists} == {f"向{x}通报红色、黄色、蓝色风险等级儿童名单"
                                          for x in ("团委", "妇联", "残联")}
        assert all(r.due == ON and r.last == "没有报送记录" and not r.local for r in lists)
        assert "普宁市实施方案四(三)" in lists[0].basis
        settings.record_sent("lists", "妇联", ON - timedelta(days=150))
        women = next(r for r in settings.reminders(ON) if "妇联" in r.what)
        assert women.due == date(2027, 1, 1) - timedelta(days=4) and women.status == "未到期"
        assert [r.status for r in settings.reminders(ON + timedelta(days=20))
                if "妇联" in r.what] == ["即将到期"]
        # spot-checks: 甲镇 checked 13 months ago, 乙镇 never
        with logins.working_in(admin.db, county_tables.townships["甲镇"]):
            SpotCheck.create(on=ON - timedelta(days=400), inspector="county_admin", share=0.1,
                             seed="s", sample="[]")
        checks = {r.township: r for r in settings.reminders(ON) if r.kind == "spotcheck"}
        assert checks["甲镇"].status == "已逾期" and checks["甲镇"].last == "上次抽查：2025-10-21"
        assert checks["乙镇"].last == "从未抽查" and checks["乙镇"].due == ON
        assert checks["乙镇"].status == "应即办理"
        admin.choose_township("乙镇")  # the reminders stay county-wide
        assert {r.township for r in settings.reminders(ON) if r.kind == "spotcheck"} == {"甲镇", "乙镇"}
        admin.choose_township(None)
        # the school list: the next term's list, due on the county's date, marked local practice
        school = _by(settings.reminders(ON), "school")
        assert len(school) == 1 and school[0].due == date(2027, 2, 15) and school[0].local
        assert "2027年春季学期" in school[0].what and "参照长治市实施方案二(三)12" in school[0].basis
        settings.record_sent("school", "教育局", ON, term="2027春")
        assert not _by(settings.reminders(ON), "school")
        # annexes: the plan's own date, and the county's yearly date as local practice
        annex = _by(settings.reminders(ON), "annex")
        assert [(r.due, r.local) for r in annex] == [(date(2026, 7, 22), True),
                                                     (date(2026, 10, 16), False),
                                                     (date(2027, 7, 22), True)]
        settings.record_sent("stats", "上级民政部门", date(2026, 10, 10))
        assert [r.due for r in _by(settings.reminders(ON), "annex")] == [date(2027, 7, 22)]
    finally:
        admin.close()


@pytest.mark.parametrize("profile", ["changzhi", "national"])
def test_another_citys_clause_is_never_this_countys_policy(county_tables, profile):
    """Under 长治's plan (or the national one) the half-yearly lists and 普宁's annex dates are
    local practice at most; the spot-check cites the county's own plan, and the school list is
    policy only in 长治."""
    _plan(county_tables, profile)
    reader = _open(county_tables, "county_reader")
    try:
        settings = reader.county_settings
        assert settings.profile() == profile
        found = settings.reminders(ON)
        lists = _by(found, "lists")
        assert lists and all(r.local and "参照普宁市实施方案四(三)" in r.basis for r in lists)
        annex = _by(found, "annex")
        assert annex and all(r.local and date(2026, 10, 16) != r.due for r in annex)
        assert not any("普宁" in r.basis and not r.local for r in found)
        spot = next(r for r in found if r.kind == "spotcheck")
        school = _by(found, "school")[0]
        if profile == "changzhi":
            assert spot.basis.startswith("长治市实施方案二(三)10") and not spot.local
            assert school.basis.endswith("名单本身：长治市实施方案二(三)12：县级民政部门分别在寒、暑假"
                                         "开学前向教育部门提供适龄孤儿、事实无人抚养儿童名单，教育部门"
                                         "做好信息核查比对工作，并与民政部门共享相关信息")
        else:
            assert spot.local and "长治" not in spot.basis
            assert "名单本身：本地做法" in school.basis
    finally:
        reader.close()


def test_the_commands(county_tables, capsys, monkeypatch, tmp_path):
    from pgserver.test_township_import import as_login

    status, out, err = as_login(county_tables, "county_reader", ["county", "reminders", "--on",
                                                                 "2026-11-25"], capsys, monkeypatch)
    assert status == 0, err
    assert out.startswith("2026年11月25日的县级提醒") and "[应即办理]" in out
    assert "向团委通报" in out and "依据：本地做法" in out and "抽查甲镇" in out
    status, out, err = as_login(county_tables, "county_admin", [
        "county", "settings", "--set", "warn_days=10", "--set", "autumn_list_by=08-20"],
        capsys, monkeypatch)
    assert status == 0, err
    assert "warn_days = 10天" in out and "autumn_list_by = 8月20日" in out
    status, out, err = as_login(county_tables, "county_reader", [
        "county", "settings", "--set", "warn_days=5"], capsys, monkeypatch)
    assert status == 2 and "县级管理员" in err
    status, out, err = as_login(county_tables, "county_reader", [
        "county", "sent", "lists", "--to", "残联", "--on", "2026-11-20", "--note", "当面交"],
        capsys, monkeypatch)
    assert status == 0, err
    status, out, err = as_login(county_tables, "county_reader", [
        "county", "sent", "school", "--to", "教育局"], capsys, monkeypatch)
    assert status == 2 and "学期" in err
    status, out, err = as_login(county_tables, "clerk_a", ["county", "reminders"], capsys,
                                monkeypatch)
    assert status == 2 and "县级用户" in err
    # exporting the county's list for 团委 notes it in the log; --no-record does not
    for extra in ([], ["--no-record"]):
        status, out, err = as_login(county_tables, "county_reader", [
            "export", "lists", "--to", "团委", "--by-township", "--out",
            str(tmp_path / f"团委{len(extra)}.xlsx"), *extra], capsys, monkeypatch)
        assert status == 0, err
    status, out, err = as_login(county_tables, "county_admin", ["county", "log"], capsys,
                                monkeypatch)
    assert status == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert "向团委报送红色、黄色、蓝色风险等级儿童名单（全县）" in lines[0] and "导出时记录" in lines[0]
    assert "团委0.xlsx" in lines[0] and "county_reader" in lines[0]
    assert lines[1].startswith("2026-11-20 向残联") and "当面交" in lines[1]


def test_a_server_without_the_county_tables_says_what_to_run(county):
    from models.server.county_settings import NoCountyTables

    reader = _open(county, "county_reader")
    try:
        with pytest.raises(NoCountyTables, match="upgrade"):
            reader.county_settings.reminders(ON)
    finally:
        reader.close()


def test_server_upgrade_makes_the_county_tables_of_an_existing_county(county):
    from models.schema import database
    from models.server.owner import CountyOwner

    owner = CountyOwner(county.owner_db())
    try:
        assert owner.upgrade() == []  # the archive's schema is current: no version step
        assert owner.upgrade() == []  # and again: nothing made twice
    finally:
        owner.close()
        database.initialize(None)
    reader = _open(county, "county_reader")
    try:
        assert reader.county_settings.sent() == []
        assert reader.county_settings.reminders(ON)
    finally:
        reader.close()


def test_the_school_list_counts_with_the_countys_first_day_of_term(county_tables):
    from models.reports import ReportRequest

    admin = _open(county_tables, "county_admin")
    try:
        wanted = ReportRequest("school", ON, term="2027春")
        assert admin.reports.with_county_terms(wanted).school_term().starts_on == date(2027, 3, 1)
        admin.county_settings.set("spring_term_starts", "02-17")
        term = admin.reports.with_county_terms(wanted).school_term()
        assert term.starts_on == date(2027, 2, 17)
        school = next(r for r in admin.county_settings.reminders(ON) if r.kind == "school")
        assert school.due == date(2027, 2, 15)
        admin.county_settings.set("spring_list_by", "02-20")  # after the term starts: the day before
        school = next(r for r in admin.county_settings.reminders(ON) if r.kind == "school")
        assert school.due == date(2027, 2, 16)
    finally:
        admin.close()
