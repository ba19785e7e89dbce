"""A county table as a book (``forms.county_tables.TableBook``): Excel a sheet per part, Word
and PDF a part per page run; every part's rows read back. Made here from a demo archive's own
tables under two township names (the server builds real ones: tests/pgserver/test_county_sheets)."""

import subprocess
from dataclasses import replace

import openpyxl
import pytest
from docx import Document

from exports.tables import render_table
from forms import county_tables as ct
from forms.spec import FilledForm
from models import reports


@pytest.fixture
def book(county_archive):
    from tests.county_counts import TODAY

    pairs = reports.archive_pairs(TODAY)
    lists = reports.county_form(reports.ReportRequest("lists", TODAY, recipient="团委"), pairs)
    parts = tuple((name, replace(lists, spec=ct.titled(lists.spec, f"{name}{lists.title}")))
                  for name in ("甲镇", "乙镇"))
    counts = (("red", "红色"), ("yellow", "黄色"), ("blue", "蓝色"))
    rows = [{"township": n, **{c: len(p.rows[c]) for c, _l in counts},
             "count": sum(len(p.rows[c]) for c, _l in counts)} for n, p in parts]
    summary = FilledForm(ct.titled(ct.township_summary(counts), "汇总表"),
                                 {"unit": "某县民政局", "on": TODAY}, {ct.SUMMARY_TABLE: rows})
    return ct.TableBook("名单（各乡镇分表）", summary, parts)


def test_excel_has_a_sheet_per_part(book, tmp_path):
    path = render_table(book, tmp_path / "book.xlsx", "xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["汇总", "甲镇", "乙镇"]
    for name, part in book.parts:
        cells = {c for row in workbook[name].iter_rows(values_only=True) for c in row}
        assert part.title in cells
        for colour in ct.LIST_COLOURS:
            assert {r["name"] for r in part.rows[colour]} <= cells


def test_pdf_and_word_start_each_part_on_a_new_page(book, tmp_path):
    pdf = render_table(book, tmp_path / "book.pdf", "pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    starts = [i for i, page in enumerate(pages) if "填报单位" in page]
    assert len(starts) == 3 and starts[0] == 0
    assert "甲镇" in pages[starts[1]] and "乙镇" in pages[starts[2]]
    docx = render_table(book, tmp_path / "book.docx", "docx")
    document = Document(docx)
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.index("汇总表") < text.index("甲镇") < text.index("乙镇")
    breaks = document.element.body.xpath('.//w:br[@w:type="page"]')
    assert len(breaks) == 2
