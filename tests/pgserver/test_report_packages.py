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
