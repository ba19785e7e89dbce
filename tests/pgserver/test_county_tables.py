"""The county's Annex 1 with a column per township (issue 17, item 2): each column is what the
township's own archive computes, the 合计 their sum; exported like every county table."""

from datetime import date, datetime

import pytest

from tests.conftest import RECOVERY

ON = date(2026, 11, 25)


def _own_annex1(path) -> list[int]:
    from models.archive import Archive
    from models.reports import annex1_rows
    from models.state import entered_pairs
    from models.statistics import annex1

    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    try:
        return [row["count"] for row in annex1_rows(annex1(entered_pairs(ON)))]
    finally:
        archive.close()


@pytest.fixture
def two_reported(county, monkeypatch, tmp_path):
    """甲镇 and 乙镇 each on its own file, reported to the county by 上报包."""
    from models import demo
    from models.archive import Archive
    from models.schema import database
    from models.server.owner import CountyOwner

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "county-pc"))
    owner = CountyOwner(county.owner_db())
    key = owner.county_key()
    files = {}
    for seed, township in enumerate(("甲镇", "乙镇"), start=3):
        path = tmp_path / f"{township}.tongdang"
        archive, _ = Archive.create(path, township, "某县", "national", recovery_code=RECOVERY)
        demo.generate(40, seed=seed, today=ON, writer=archive.writer())
        archive.reporting.set_county_key(key)
        data = archive.reporting.make_package(now=datetime(2026, 11, 25, 17)).data
        archive.close()
        database.initialize(owner.db)
        owner.import_package(data)
        files[township] = path
    owner.close()
    return files


def test_each_column_is_the_townships_own_annex1_and_the_total_their_sum(county, two_reported):
    from forms import county_tables as ct
    from models.reports import ReportRequest
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    own = {township: _own_annex1(path) for township, path in two_reported.items()}
    assert own["甲镇"] != own["乙镇"] and own["甲镇"][-1] > 0
    server, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD)
    try:
        filled = server.reports.by_township(ReportRequest("stats", ON))
    finally:
        server.close()
    names = [f.label for f in filled.spec.sections[1].columns]
    assert names[2:] == ["甲镇", "乙镇", "合计"]
    rows = filled.rows[ct.ANNEX1_TABLE]
    assert [r[ct.township_column(0)] for r in rows] == own["甲镇"]
    assert [r[ct.township_column(1)] for r in rows] == own["乙镇"]
    assert [r[ct.TOTAL_COLUMN] for r in rows] == [a + b for a, b in zip(own["甲镇"], own["乙镇"], strict=True)]
    assert filled.errors() == {}


def test_the_command_writes_it_and_a_township_login_is_told_why_not(county, two_reported, tmp_path,
                                                                     capsys, monkeypatch):
    import openpyxl

    from pgserver.test_township_import import as_login

    out = tmp_path / "全县附件1.xlsx"
    status, _stdout, err = as_login(county, "county_reader", ["export", "stats", "--by-township",
                                                              "--on", "2026-11-25", "--out", str(out)],
                                    capsys, monkeypatch)
    assert status == 0, err
    sheet = openpyxl.load_workbook(out).active
    cells = {c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"甲镇", "乙镇", "合计"} <= cells
    status, _out, err = as_login(county, "clerk_a", ["export", "stats", "--by-township", "--out",
                                                     str(tmp_path / "x.xlsx")], capsys, monkeypatch)
    assert status == 2 and "县级用户" in err
    pdf = tmp_path / "全县附件1.pdf"
    status, _out, err = as_login(county, "county_reader", ["export", "stats", "--by-township", "--on",
                                                           "2026-11-25", "--out", str(pdf)], capsys,
                                 monkeypatch)
    assert status == 0, err
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "甲镇" in text and "乙镇" in text and "合计" in text
    lists = tmp_path / "全县名单.pdf"
    status, _out, err = as_login(county, "county_reader", ["export", "lists", "--to", "团委",
                                                           "--by-township", "--on", "2026-11-25",
                                                           "--out", str(lists)], capsys, monkeypatch)
    assert status == 0, err
    text = subprocess.run(["pdftotext", "-layout", str(lists), "-"], capture_output=True, text=True).stdout
    assert "乡镇（街道）" in text and ("甲镇" in text or "乙镇" in text)


def _own_rows(path, kind):
    from models.archive import Archive
    from models.reports import annex2_rows, risk_list_rows
    from models.state import entered_pairs

    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    try:
        pairs = entered_pairs(ON)
        return annex2_rows(pairs, ON, mask_ids=True) if kind == "screening" else risk_list_rows(pairs, ON)
    finally:
        archive.close()


def _comparable(rows):
    return [{k: v for k, v in row.items() if k not in ("no", "village")} for row in rows]


def test_annex2_and_the_lists_list_every_township_in_turn(county, two_reported):
    from forms import county_tables as ct
    from models.reports import ReportRequest
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    server, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD)
    try:
        annex2 = server.reports.by_township(ReportRequest("screening", ON, mask_ids=True))
        lists = server.reports.by_township(ReportRequest("lists", ON, recipient="妇联"))
    finally:
        server.close()
    own = {t: _own_rows(p, "screening") for t, p in two_reported.items()}
    rows = annex2.rows[ct.ANNEX2_TABLE]
    assert _comparable(rows) == _comparable(own["甲镇"]) + _comparable(own["乙镇"])
    assert [r["no"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["village"] == "甲镇" + own["甲镇"][0]["village"]
    assert rows[-1]["village"] == "乙镇" + own["乙镇"][-1]["village"]
    assert all("*" in r["id_number"] for r in rows)
    labels = {f.label for s in annex2.spec.sections for f in s.columns}
    assert "乡镇（街道）、村（社区）" in labels
    own_lists = {t: _own_rows(p, "lists") for t, p in two_reported.items()}
    for colour in ct.LIST_COLOURS:
        assert _comparable(lists.rows[colour]) == (_comparable(own_lists["甲镇"][colour])
                                                   + _comparable(own_lists["乙镇"][colour]))
    assert sum(len(lists.rows[c]) for c in ct.LIST_COLOURS) > 0
    assert lists.values["recipient"] and lists.errors() == {}
