"""County tables township by township as a book (issue 17, item 2): a sheet per township and a
汇总 (Word and PDF: a part per township), and the school-term list for 教育 for the county.
Each township's part equals the table its own file makes; the 汇总 adds them up."""

import subprocess

import openpyxl
import pytest

from pgserver.test_county_tables import ON, two_reported  # noqa: F401 - the fixture

RECOVERY_TOWNSHIPS = ("甲镇", "乙镇")


def _own_form(path, kind, **choices):
    from models.archive import Archive
    from models.reports import ReportRequest, archive_pairs, county_form
    from tests.conftest import RECOVERY

    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    try:
        return county_form(ReportRequest(kind, ON, **choices), archive_pairs(ON))
    finally:
        archive.close()


def _book(county, kind, **choices):
    from models.reports import ReportRequest
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    server, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD)
    try:
        return server.reports.township_sheets(ReportRequest(kind, ON, **choices))
    finally:
        server.close()


def _same(rows):
    return [{k: v for k, v in r.items() if k != "no"} for r in rows]


def test_annex1_book_is_each_townships_own_and_the_county_sum(county, two_reported):  # noqa: F811
    from forms import county_tables as ct

    book = _book(county, "stats")
    assert [name for name, _f in book.parts] == list(RECOVERY_TOWNSHIPS)
    own = {t: _own_form(p, "stats").rows[ct.ANNEX1_TABLE] for t, p in two_reported.items()}
    for name, part in book.parts:
        assert [r["count"] for r in part.rows[ct.ANNEX1_TABLE]] == [r["count"] for r in own[name]]
        assert name in part.title and part.values["unit"] == name
    summed = [a["count"] + b["count"] for a, b in zip(own["甲镇"], own["乙镇"], strict=True)]
    assert [r["count"] for r in book.summary.rows[ct.ANNEX1_TABLE]] == summed
    assert book.summary.values["unit"] == "某县民政局" and book.errors() == {}


@pytest.mark.parametrize(("kind", "choices", "key"), [
    ("screening", {"mask_ids": True}, "annex2"), ("lists", {"recipient": "残联"}, "red"),
    ("school", {"term": "2027春"}, "children")])
def test_row_tables_book_has_each_townships_rows_and_counts(county, two_reported, kind, choices,  # noqa: F811
                                                             key):
    from forms import county_tables as ct

    book = _book(county, kind, **choices)
    total = 0
    for (name, part), row in zip(book.parts, book.summary.rows[ct.SUMMARY_TABLE], strict=False):
        own = _own_form(two_reported[name], kind, **choices)
        assert _same(part.rows[key]) == _same(own.rows[key])
        assert row[ct.SUMMARY_TOWNSHIP] == name
        if kind == "lists":
            assert row[ct.TOTAL_COLUMN] == sum(len(own.rows[c]) for c in ct.LIST_COLOURS)
        else:
            assert row[ct.TOTAL_COLUMN] == len(own.rows[key])
        total += row[ct.TOTAL_COLUMN]
    last = book.summary.rows[ct.SUMMARY_TABLE][-1]
    assert last[ct.SUMMARY_TOWNSHIP] == "合计" and last[ct.TOTAL_COLUMN] == total > 0


def test_the_command_writes_a_sheet_per_township_and_parts_in_pdf_and_word(county, two_reported,  # noqa: F811
                                                                         tmp_path, capsys,
                                                                         monkeypatch):
    from docx import Document

    from pgserver.test_township_import import as_login

    out = tmp_path / "全县附件2.xlsx"
    status, stdout, err = as_login(county, "county_reader", [
        "export", "screening", "--township-sheets", "--on", "2026-11-25", "--out", str(out)],
        capsys, monkeypatch)
    assert status == 0, err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "甲镇", "乙镇"]
    own = _own_form(two_reported["乙镇"], "screening")
    names = {c.value for row in book["乙镇"].iter_rows() for c in row}
    assert {r["name"] for r in own.rows["annex2"]} <= names
    assert "各乡镇人数汇总" in book["汇总"]["A2"].value or any(
        "汇总" in str(c.value) for row in book["汇总"].iter_rows() for c in row)
    pdf = tmp_path / "全县附件1.pdf"
    status, _o, err = as_login(county, "county_reader", [
        "export", "stats", "--township-sheets", "--on", "2026-11-25", "--out", str(pdf)],
        capsys, monkeypatch)
    assert status == 0, err
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    starts = [i for i, page in enumerate(pages) if "附件1" in page]
    assert len(starts) == 3  # 汇总, 甲镇, 乙镇: each from a page of its own
    assert "甲镇" in pages[starts[1]] and "乙镇" in pages[starts[2]]
    word = tmp_path / "教育名单.docx"
    status, stdout, err = as_login(county, "county_reader", [
        "export", "school", "--township-sheets", "--term", "2027春", "--on", "2026-11-25",
        "--out", str(word)], capsys, monkeypatch)
    assert status == 0, err
    assert "2027年春季学期" in stdout
    text = "\n".join(p.text for p in Document(word).paragraphs)
    assert "甲镇" in text and "乙镇" in text and "各乡镇人数汇总" in text
    with pytest.raises(SystemExit):  # one layout or the other
        as_login(county, "county_reader", ["export", "school", "--township-sheets",
                                           "--by-township", "--out", str(word)],
                 capsys, monkeypatch)
    assert "不能与" in capsys.readouterr().err
    status, _o, err = as_login(county, "clerk_a", [
        "export", "lists", "--to", "妇联", "--township-sheets", "--out", str(word)],
        capsys, monkeypatch)
    assert status == 2 and "县级用户" in err


def test_a_township_sheet_holds_its_three_colour_lists_one_below_the_other(county, two_reported,  # noqa: F811
                                                                          tmp_path, capsys,
                                                                          monkeypatch):
    from forms import county_tables as ct
    from pgserver.test_township_import import as_login

    out = tmp_path / "全县名单.xlsx"
    status, _out, err = as_login(county, "county_reader", [
        "export", "lists", "--to", "妇联", "--township-sheets", "--on", "2026-11-25",
        "--no-record", "--out", str(out)], capsys, monkeypatch)
    assert status == 0, err
    book = openpyxl.load_workbook(out)
    for township in RECOVERY_TOWNSHIPS:
        own = _own_form(two_reported[township], "lists", recipient="妇联")
        column = [row[0] for row in book[township].iter_rows(values_only=True)]
        names = {c for row in book[township].iter_rows(values_only=True) for c in row}
        titles = [s.title for s in own.spec.sections[1:]]
        assert [t for t in column if t in titles] == titles  # in order, one below the other
        for colour in ct.LIST_COLOURS:
            assert {r["name"] for r in own.rows[colour]} <= names
            assert all("*" in r["id_number"] for r in own.rows[colour])
        assert not book[township].freeze_panes  # several tables: no frozen heading
    assert book["汇总"].freeze_panes  # one table: its heading frozen
    assert "记入报送记录" not in err
