"""The archive on the server: open, create records, save, check — as on a township's file."""

import json
from datetime import date

import pytest

from models.server.archive import NoTownship, ServerArchive
from models.server.connection import BadServerSetting, ServerLoginFailed, ServerSetting

ON = date(2026, 11, 25)


def check_json(on=ON) -> str:
    """What ``tongdang check --json`` prints for the open archive."""
    from models.state import open_children_on

    profile, states = open_children_on(on)
    return json.dumps({"on": on.isoformat(), "profile": profile,
                       "children": [state.to_json() for _, state in states]}, ensure_ascii=False)


def test_a_setting_is_stored_without_a_password():
    setting = ServerSetting.parse("postgresql://wang@db.example.cn/县民政局")
    assert setting.options["sslmode"] == "prefer"
    assert setting.text() == ("postgresql://wang@db.example.cn:5432/%E5%8E%BF%E6%B0%91%E6%94%BF%E5%B1%80"
                              "?sslmode=prefer")
    with pytest.raises(BadServerSetting, match="不能写密码"):
        ServerSetting.parse("postgresql://wang:secret@db.example.cn/county")
    with pytest.raises(BadServerSetting, match="sslmode"):
        ServerSetting.parse("postgresql://wang@db.example.cn/county?sslmode=maybe")


def test_a_wrong_password_is_told_in_chinese(county):
    with pytest.raises(ServerLoginFailed, match="用户名或密码不对"):
        ServerArchive.open(county.setting("clerk_a"), "wrong")


def test_the_password_can_come_from_the_keyring(county):
    from models.server.connection import store_password
    from pgserver.pgcluster import PASSWORD

    setting = ServerSetting.parse(county.setting("clerk_a"))
    assert store_password(setting, PASSWORD)
    archive, _ = ServerArchive.open(setting)
    assert archive.township.name == "甲镇"
    archive.close()


def open_as(county, login, township=None):
    from pgserver.pgcluster import PASSWORD

    archive, _ = ServerArchive.open(county.setting(login), PASSWORD, township=township)
    return archive


def test_a_clerk_creates_saves_and_checks_children_of_their_township(county, two_children):
    from forms.idnumber import make_id_number
    from models.schema import Child, Contact

    archive = open_as(county, "clerk_a")
    archive.login_as(county.logins["clerk_a"], "录入员")
    assert archive.township.name == "甲镇"
    assert archive.counts()["儿童（在档）"] == 1
    writer = archive.writer()
    child = writer.create(Child, id_number=make_id_number("130102", date(2016, 5, 6), 21, False),
                          name="王小芳", entered_on=date(2026, 2, 1))
    changes = writer.update(Child.get_by_id(child.id), school="中心小学")
    assert changes == {"school": ["", "中心小学"]}
    writer.create(Contact, child=child.id, on=date(2026, 11, 20), kind="入户走访", visitor="王")
    assert archive.counts()["儿童（在档）"] == 2
    assert archive.counts()["走访记录"] == 1
    names = {c["name"] for c in json.loads(check_json())["children"]}
    assert names == {"张小明", "王小芳"}
    archive.close()
    # 乙镇's clerk sees none of it.
    other = open_as(county, "clerk_b")
    assert {c["name"] for c in json.loads(check_json())["children"]} == {"李小红"}
    other.close()


FILTERS = [dict(), dict(text="zh"), dict(text="z"), dict(text="张"), dict(text="1102"),
           dict(colour="red"), dict(category="留守"), dict(overdue_only=True),
           dict(include_closed=True, sort="name"), dict(sort="village", descending=True),
           dict(sort="age"), dict(sort="status"), dict(sort="next_contact_due")]


def children_lists() -> list:
    """The children list (what the window shows) for a set of filters and sorts."""
    from models.child_query import ChildQuery, rows

    lists = []
    for options in FILTERS:
        found = rows(ChildQuery(on=ON, **options).ids())
        lists.append([(r.id_number, r.name, r.village, r.colour, r.status(ON)) for r in found])
    return lists


def test_the_demo_data_checks_and_lists_the_same_on_both_backends(county, tmp_path):
    """The same fictional township in a file and on the server: the same check, byte for byte,
    and the same children lists."""
    from models import demo
    from models.archive import Archive
    from models.derived import refresh_all

    local, _ = Archive.create(tmp_path / "甲镇.tongdang", "甲镇", "某县", "national")
    demo.generate(40, seed=7, today=ON, writer=local.writer())
    refresh_all()
    expected, expected_lists = check_json(), children_lists()
    local.close()

    server = open_as(county, "clerk_a")
    demo.generate(40, seed=7, today=ON, writer=server.writer())
    refresh_all()
    assert check_json() == expected
    lists = children_lists()
    assert lists == expected_lists
    assert all(lists[:8]), "every filter finds someone"
    server.close()


def test_a_county_login_opens_one_township_or_the_whole_county(county, two_children):
    archive = open_as(county, "county_reader", township="乙镇")
    assert archive.township.name == "乙镇"
    assert {c["name"] for c in json.loads(check_json())["children"]} == {"李小红"}
    archive.close()
    archive = open_as(county, "county_reader")
    assert archive.counts()["儿童（在档）"] == 2
    archive.close()


def test_a_clerk_cannot_open_another_township(county):
    with pytest.raises(NoTownship, match="另一个乡镇"):
        open_as(county, "clerk_a", township="乙镇")


def test_schema_version_is_kept_on_the_server(county):
    from models.schema import SCHEMA_VERSION

    archive = open_as(county, "clerk_a")
    assert archive.schema_version() == SCHEMA_VERSION
    archive.check_sound()
    archive.close()


def test_the_command_line_checks_a_township_on_the_server(county, two_children, monkeypatch,
                                                          capsys):
    from desktop.cli import main
    from pgserver.pgcluster import PASSWORD

    monkeypatch.setenv("TONGDANG_PASSWORD", PASSWORD)
    assert main(["--server", county.setting("clerk_b"), "check", "--json",
                 "--on", ON.isoformat()]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in out["children"]] == ["李小红"]
    assert main(["--server", county.setting("county_reader"), "--town", "甲镇",
                 "check", "--json", "--on", ON.isoformat()]) == 0
    assert [c["name"] for c in json.loads(capsys.readouterr().out)["children"]] == ["张小明"]
    monkeypatch.setenv("TONGDANG_PASSWORD", "wrong")
    assert main(["--server", county.setting("clerk_b"), "check"]) == 4
    assert "用户名或密码不对" in capsys.readouterr().err


def test_a_county_sets_up_its_database_from_the_command_line(pg_cluster, monkeypatch, capsys):
    from desktop.cli import main
    from models.schema import database

    pg_cluster.create_database("cli_county")
    owner = pg_cluster.url("cli_county")
    monkeypatch.setenv("TONGDANG_PASSWORD", pg_cluster.password)
    monkeypatch.setenv("TONGDANG_NEW_PASSWORD", "Clerk-Pass-2026")
    assert main(["server", "--server", owner, "init"]) == 0
    assert main(["server", "--server", owner, "township", "丙镇", "--county", "某县",
                 "--profile", "national"]) == 0
    assert main(["server", "--server", owner, "login", "cli_clerk", "--role", "录入员",
                 "--township", "丙镇"]) == 0
    assert "已添加登录用户“cli_clerk”" in capsys.readouterr().out
    monkeypatch.setenv("TONGDANG_PASSWORD", "Clerk-Pass-2026")
    assert main(["--server", pg_cluster.url("cli_county", "cli_clerk"), "info"]) == 0
    assert "丙镇" in capsys.readouterr().out
    database.initialize(None)


def test_deleting_a_mistyped_visit_keeps_its_follow_up(county, two_children):
    """A reference that names the township too still lets go of a deleted record (SET NULL)."""
    from models.schema import CarerFollowUp, Contact

    archive = open_as(county, "admin_a")
    archive.login_as(county.logins["admin_a"], archive.login_role())
    writer = archive.writer()
    child = two_children["甲镇"]
    visit = writer.create(Contact, child=child, on=date(2026, 11, 20), kind="入户走访")
    follow_up = writer.create(CarerFollowUp, child=child, contact=visit.id,
                              found_on=date(2026, 11, 20))
    writer.delete(Contact.get_by_id(visit.id), "录错了")
    assert CarerFollowUp.get_by_id(follow_up.id).contact_id is None
    archive.close()
