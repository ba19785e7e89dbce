"""tongdang report-package: the 管理员 saves the county key once, a 录入员 makes packages, a
查阅 may not; bad keys and missing keys are Chinese messages, never tracebacks."""

import pytest

from models import report_package as rp
from tests.desktop.test_cli_logins import archive_path, no_traceback, opened, run  # noqa: F401


@pytest.fixture
def county():
    return rp.new_county_key()


def test_admin_saves_the_key_clerk_makes_the_package(archive_path, county, tmp_path):  # noqa: F811
    private, public = county
    key_file = tmp_path / "县级公钥.txt"
    key_file.write_text(public + "\n", encoding="utf-8")
    saved = no_traceback(run(archive_path, ["report-package", "--county-key", str(key_file)], user="zhang"))
    assert saved.returncode == 0, saved.stderr
    assert rp.county_key_fingerprint(public) in saved.stdout

    out = tmp_path / "丹朱镇上报包.tdpkg"
    made = no_traceback(run(archive_path, ["report-package", "--out", str(out)], user="li"))
    assert made.returncode == 0, made.stderr
    assert "已生成上报包" in made.stdout and "在档儿童" in made.stdout
    opened_package = rp.open_package(out.read_bytes(), private)
    assert opened_package.header.township == "丹朱镇"
    assert rp.fingerprint(opened_package.header.signer) in made.stdout


def test_clerk_may_not_change_the_key_and_reader_may_not_package(archive_path, county, tmp_path):  # noqa: F811
    clerk = no_traceback(run(archive_path, ["report-package", "--county-key", county[1]], user="li"))
    assert clerk.returncode != 0 and "只有管理员" in clerk.stderr
    archive = opened(archive_path)
    try:
        assert archive.reporting.county_key() == ""
    finally:
        archive.close()
    reader = no_traceback(run(archive_path, ["report-package", "--out", str(tmp_path / "x.tdpkg")],
                              user="cha"))
    assert reader.returncode != 0 and "生成上报包" in reader.stderr
    assert not (tmp_path / "x.tdpkg").exists()


def test_no_key_yet_and_a_bad_key(archive_path, tmp_path):  # noqa: F811
    none = no_traceback(run(archive_path, ["report-package", "--out", str(tmp_path / "x.tdpkg")], user="zhang"))
    assert none.returncode == 1 and "还没有填写县级公钥" in none.stderr
    assert not (tmp_path / "x.tdpkg").exists() and list(tmp_path.glob(".x*")) == []
    bad = no_traceback(run(archive_path, ["report-package", "--county-key", "TONGDANG-COUNTY-KEY/1:xyz"],
                           user="zhang"))
    assert bad.returncode == 1 and "县级公钥" in bad.stderr
    missing = no_traceback(run(archive_path, ["report-package", "--county-key", "没有这个文件.txt"], user="zhang"))
    assert missing.returncode == 2 and "找不到县级公钥文件" in missing.stderr
