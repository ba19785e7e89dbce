"""A township's archive from the server as an encrypted file that opens offline."""

import json
from datetime import date

import pytest

ON = date(2026, 11, 25)


def check_json() -> str:
    from models.state import open_children_on

    profile, states = open_children_on(ON)
    return json.dumps({"profile": profile, "children": [s.to_json() for _, s in states]},
                      ensure_ascii=False)


def test_the_file_opens_offline_checks_the_same_and_verifies(county, two_children, tmp_path):
    from models import demo, integrity
    from models.archive import Archive
    from models.backup import archive_problems
    from models.derived import refresh_all
    from models.server.archive import ServerArchive
    from models.server.township_file import write_township_file
    from pgserver.pgcluster import PASSWORD

    server, _ = ServerArchive.open(county.setting("clerk_a"), PASSWORD)
    server.login_as(county.logins["clerk_a"], server.login_role())
    demo.generate(30, seed=3, today=ON, writer=server.writer())
    refresh_all()
    on_server = check_json()
    code = write_township_file(server, tmp_path / "甲镇.tongdang")
    server.close()

    local, _ = Archive.open(tmp_path / "甲镇.tongdang", recovery_code=code)
    assert local.township.name == "甲镇"
    assert check_json() == on_server
    assert "李小红" not in on_server  # 乙镇's child stays on the server
    assert archive_problems(local) == []
    assert integrity.replay().problems == []
    local.close()


def test_a_county_login_names_the_township(county, tmp_path):
    from models.server.archive import ServerArchive
    from models.server.township_file import WholeCounty, write_township_file
    from pgserver.pgcluster import PASSWORD

    server, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD)
    with pytest.raises(WholeCounty, match="--town"):
        write_township_file(server, tmp_path / "全县.tongdang")
    server.close()


def test_server_backup_on_the_command_line(county, two_children, tmp_path, monkeypatch, capsys):
    from desktop.cli import main
    from models.archive import Archive
    from pgserver.pgcluster import PASSWORD

    monkeypatch.setenv("TONGDANG_PASSWORD", PASSWORD)
    out = tmp_path / "乙镇.tongdang"
    assert main(["server", "--server", county.setting("county_admin"), "--town", "乙镇",
                 "backup", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    code = printed.split("：")[-1].strip()
    archive, _ = Archive.open(out, recovery_code=code)
    assert archive.counts()["儿童（在档）"] == 1
    archive.close()


def test_the_file_backup_command_points_to_the_server_backup(county, monkeypatch, capsys):
    from desktop.cli import main
    from pgserver.pgcluster import PASSWORD

    monkeypatch.setenv("TONGDANG_PASSWORD", PASSWORD)
    assert main(["--server", county.setting("admin_a"), "backup"]) != 0
    assert "tongdang server --server 地址 backup" in capsys.readouterr().err
