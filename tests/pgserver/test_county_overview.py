"""The county 工作台's township table (issue 17, item 1): each township's numbers are its own
工作台's for the day, the children behind each number are the township's own lists, the 合计
is their sum, and a line whose colours were not computed for the day says so."""

from datetime import date, timedelta

import pytest

TODAY = date.today()


def _open(county, login):
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    archive, _ = ServerArchive.open(county.setting(login), PASSWORD)
    archive.login_as(county.logins[login], archive.login_role())
    return archive


@pytest.fixture
def filled(county):
    """甲镇 and 乙镇 with demo children (their colours computed for today), a spot-check of 甲镇,
    and the county's own tables as ``server init`` makes them (its reminders)."""
    from models import demo
    from models.schema import SpotCheck, database
    from models.server import county_settings

    db = county.owner_db()
    county_settings.create_tables(db)
    db.close()
    database.initialize(None)

    for login, seed in (("clerk_a", 5), ("clerk_b", 6)):
        archive = _open(county, login)
        try:
            demo.generate(80, seed=seed, today=TODAY, writer=archive.writer())
            archive.states.refresh_all(TODAY)
            if login == "clerk_a":
                for days in (400, 20):
                    archive.writer().create(SpotCheck, on=TODAY - timedelta(days=days),
                                            inspector="县民政局", share=0.1, seed="s", sample="[]")
        finally:
            archive.close()
    return county


def _own_board(county, login):
    """What the township's own 工作台 shows today, as sets of child ids."""
    archive = _open(county, login)
    try:
        board = archive.dashboard.load(TODAY)
        assert board.from_cache
        return {
            "children": board.open_children,
            "red": set(board.colour_ids["red"]),
            "overdue_contact": {i.child_id for i in board.overdue_contact},
            "overdue_visit": {i.child_id for i in board.overdue_home_visit},
            "agreement_missing": {i.child_id for i in board.agreements_missing},
        }
    finally:
        archive.close()


def test_each_line_is_the_townships_own_dashboard_and_the_total_their_sum(filled):
    from models.server import county_overview as co

    own = {"甲镇": _own_board(filled, "clerk_a"), "乙镇": _own_board(filled, "clerk_b")}
    archive = _open(filled, "county_reader")
    try:
        overview = archive.county.overview(TODAY)
        lines = {t.name: t for t in overview.townships}
        assert list(lines) == ["甲镇", "乙镇"]
        for name, board in own.items():
            line = lines[name]
            assert line.count(co.CHILDREN) == board["children"]
            for condition in (co.RED, co.OVERDUE_CONTACT, co.OVERDUE_VISIT, co.AGREEMENT_MISSING):
                assert line.count(condition) == len(board[condition]), (name, condition)
                ids = archive.county.child_ids(line.township_id, condition, TODAY)
                assert set(ids) == board[condition], (name, condition)
            assert line.current and line.state_on == TODAY
        for condition in co.CONDITIONS:
            assert overview.total.count(condition) == sum(t.count(condition) for t in lines.values())
            assert len(archive.county.child_ids(None, condition, TODAY)) == overview.total.count(condition)
        # The demo gives every kind of number somewhere, so the comparison above means something.
        assert all(overview.total.count(c) > 0 for c in co.CONDITIONS), overview.total
        assert lines["甲镇"].last_spot_check == TODAY - timedelta(days=20)
        assert lines["乙镇"].last_spot_check is None
        assert overview.total.last_spot_check == TODAY - timedelta(days=20)
        assert overview.stale == []
    finally:
        archive.close()


def test_the_table_reads_the_whole_county_while_the_window_works_in_one_township(filled):
    from models.schema import Child

    archive = _open(filled, "county_admin")
    try:
        archive.county.choose("乙镇")
        assert archive.role == "管理员" and archive.county.township_name() == "乙镇"
        own = Child.select().count()
        overview = archive.county.overview(TODAY)
        assert [t.name for t in overview.townships] == ["甲镇", "乙镇"]
        assert Child.select().count() == own  # still working in 乙镇 afterwards
        archive.county.choose("全县")
        assert archive.township_id is None and archive.role == "查阅"  # nothing written county-wide
        assert Child.select().count() == overview.total.count("children")
        assert archive.county.township_name() == "全县"
    finally:
        archive.close()


def test_a_line_not_computed_for_the_day_says_so_and_only_the_county_admin_refreshes_it(filled):
    from models.roles import PermissionDenied
    from models.server import county_overview as co

    with filled.plain_owner() as conn:
        conn.execute("UPDATE child SET state_on = %s WHERE township_id = %s",
                     (TODAY - timedelta(days=3), filled.townships["乙镇"]))
    reader = _open(filled, "county_reader")
    try:
        overview = reader.county.overview(TODAY)
        assert [t.name for t in overview.stale] == ["乙镇"]
        line = overview.townships[1]
        assert not line.current and line.state_on == TODAY - timedelta(days=3)
        assert not overview.total.current
        assert not reader.county.may_refresh()
        with pytest.raises(PermissionDenied, match="县级查阅不能写入"):
            reader.county.refresh_stale(TODAY)
    finally:
        reader.close()
    admin = _open(filled, "county_admin")
    try:
        assert admin.county.may_refresh()
        assert admin.county.refresh_stale(TODAY) == 80
        overview = admin.county.overview(TODAY)
        assert overview.stale == [] and overview.total.current
        assert admin.township_id is None
    finally:
        admin.close()
    assert co.TOTAL == "合计"


def test_a_township_login_has_no_county_table(filled):
    from models.server.county_overview import NotACountyLogin

    archive = _open(filled, "clerk_a")
    try:
        with pytest.raises(NotACountyLogin, match="县级管理员和县级查阅"):
            archive.county.overview(TODAY)
    finally:
        archive.close()
