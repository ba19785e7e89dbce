"""A county login reading every township at once: a household key is one township's, and the
whole-county views refuse to apply one township's rules to another's children."""

from datetime import date

import pytest

from pgserver.conftest import add_child
from pgserver.pgcluster import PASSWORD


def _households_and_agreement(county):
    """Child 张小明 of 甲镇 and 李小红 of 乙镇, both in household "1"; only 甲镇's has an agreement,
    and a sibling in 甲镇 shares it."""
    from models.roles import SYSTEM
    from models.schema import Child, EntrustmentAgreement, database
    from models.server.logins import working_in
    from models.writer import Writer

    db = county.owner_db()
    database.initialize(db)
    ids = {"甲镇": add_child(db, county.townships["甲镇"], "张小明", 11),
           "甲镇2": add_child(db, county.townships["甲镇"], "张小华", 13),
           "乙镇": add_child(db, county.townships["乙镇"], "李小红", 12)}
    for key, township in (("甲镇", "甲镇"), ("甲镇2", "甲镇"), ("乙镇", "乙镇")):
        with working_in(db, county.townships[township]):
            Writer(SYSTEM, SYSTEM).update(Child.get_by_id(ids[key]), household="1")
    with working_in(db, county.townships["甲镇"]):
        Writer(SYSTEM, SYSTEM).create(EntrustmentAgreement, child=ids["甲镇"], status="已签订",
                                      signed_on=date(2026, 1, 6), starts_on=date(2026, 1, 6))
    db.close()
    return ids


def _agreements(county, login, town=None):
    from models.server.archive import ServerArchive
    from models.snapshot import load_facts

    archive, _ = ServerArchive.open(county.setting(login), PASSWORD, township=town) if town else \
        ServerArchive.open(county.setting(login), PASSWORD)
    try:
        return {f.name: len(f.agreements) for f in load_facts()}
    finally:
        archive.close()


def test_a_household_key_is_one_townships(county):
    _households_and_agreement(county)
    everyone = _agreements(county, "county_reader")
    assert everyone == {"张小明": 1, "张小华": 1, "李小红": 0}  # 乙镇's "1" is another household
    assert _agreements(county, "clerk_b") == {"李小红": 0}
    assert _agreements(county, "clerk_a") == {"张小明": 1, "张小华": 1}


def test_whole_county_views_refuse_differing_local_practice(county, tmp_path, capsys, monkeypatch):
    from models.local_practice import TownshipsDiffer, archive_profile, set_local_setting
    from models.roles import SYSTEM
    from models.schema import database
    from models.server.archive import ServerArchive
    from models.server.logins import working_in
    from models.writer import Writer
    from pgserver.test_township_import import as_login

    _households_and_agreement(county)
    server, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD)
    archive_profile()  # the same rules everywhere: fine
    server.close()
    db = county.owner_db()
    database.initialize(db)
    with working_in(db, county.townships["甲镇"]):
        set_local_setting(Writer(SYSTEM, SYSTEM), "assessment_months", 6)
    db.close()
    server, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD)
    with pytest.raises(TownshipsDiffer, match="本地做法"):
        archive_profile()
    server.close()
    status, _out, err = as_login(county, "county_reader", ["check", "--on", "2026-11-25"], capsys,
                                 monkeypatch)
    assert status != 0 and "--town" in err and "Traceback" not in err
    status, _out, err = as_login(county, "county_reader", ["check", "--on", "2026-11-25"], capsys,
                                 monkeypatch, town="甲镇")
    assert status == 0, err
    status, _out, err = as_login(county, "county_reader", ["export", "stats", "--by-township",
                                                           "--out", str(tmp_path / "a.xlsx")],
                                 capsys, monkeypatch)
    assert status == 0, err
