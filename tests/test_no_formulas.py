"""No spreadsheet we write holds a formula, whatever text goes into it.

Runs every .xlsx writer of the project with hostile text (OWASP's formula starts) and
reads each file back with openpyxl and as raw XML. A new writer must be added here:
``test_every_xlsx_writer_is_covered`` finds them in the source.
"""

import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from forms import county_tables as ct
from forms.activity_list import ACTIVITY_LIST
from forms.registry import FORMS, OTHER_FORMS
from forms.spec import FilledForm
from forms.spreadsheet import FORMULA_STARTS, put_text, put_value

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ['=HYPERLINK("http://example.com/x","点击")', "=1+1", "+8613800138000", "-5",
           "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "＝1+1", "'=1"]
# The modules that build a workbook; each one is run below.
WRITERS = {"exports/excel.py", "exports/ledger_template.py", "exports/ledger_report.py"}


def test_every_xlsx_writer_is_covered():
    found = set()
    for package in ("forms", "models", "exports", "desktop"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"\bWorkbook\(", text) or "xlsxwriter" in text:
                found.add(path.relative_to(ROOT).as_posix())
    assert found == WRITERS


def assert_no_formula(path: Path) -> int:
    """Every cell of every sheet: never a formula; hostile text kept as text. Returns how
    many cells held formula-like text (to show the test saw some)."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
    wb = openpyxl.load_workbook(path)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    seen += 1
    return seen


def hostile_rows(columns):
    return [{c.key: HOSTILE[(i + k) % len(HOSTILE)] for k, c in enumerate(columns)}
            for i in range(len(HOSTILE))]


TABLE_SPECS = [s for s in (*FORMS.values(), *OTHER_FORMS.values(), ct.ANNEX1, ct.ANNEX2,
                           ct.RISK_LIST, ACTIVITY_LIST) if s.table_sections()]


@pytest.mark.parametrize("spec", TABLE_SPECS, ids=lambda s: s.key)
def test_table_exports(tmp_path, spec):
    from exports.excel import render_xlsx

    values = {f.key: HOSTILE[i % len(HOSTILE)] for i, f in enumerate(spec.fields())}
    rows = {s.row_key: hostile_rows(s.columns) for s in spec.table_sections()}
    out = render_xlsx(FilledForm(spec, values, rows), tmp_path / "t.xlsx")
    assert assert_no_formula(out) >= len(HOSTILE) - 2


def test_ledger_template_with_hostile_villages_and_directors(tmp_path):
    from exports.ledger_template import write_ledger_template

    out = write_ledger_template(tmp_path / "模板.xlsx", villages=HOSTILE, directors=HOSTILE, rows=20)
    assert assert_no_formula(out) >= 2 * (len(HOSTILE) - 2)
    choices = openpyxl.load_workbook(out)["选项"]
    values = {c.value for col in choices.iter_cols() for c in col}
    assert set(HOSTILE) - {"\t=1+1", "\r=1+1"} <= values  # shown as typed


def test_issue_report_with_hostile_text(tmp_path):
    from exports.ledger_report import write_issue_report
    from models.ledger_import import ImportIssue

    issues = [ImportIssue(text, 2, text, text) for text in HOSTILE]
    out = write_issue_report(issues, tmp_path / "报告.xlsx", source=tmp_path / "=1+1.xlsx")
    assert assert_no_formula(out) >= 3 * (len(HOSTILE) - 2)
    ws = openpyxl.load_workbook(out).active
    assert [ws.cell(r, 4).value for r in range(5, 5 + len(HOSTILE))] == HOSTILE
    assert ws.cell(5, 4).quotePrefix is True


def test_import_report_and_template_from_archive_through_the_cli(new_archive, tmp_path, capsys):
    """The two cases found by hand: a ledger header ``=HYPERLINK(…)`` in the import's error
    report, and village / 儿童主任 names starting with "=" in ``template --from-archive``."""
    from desktop.cli import main
    from models.schema import ChildDirector, Village

    writer = new_archive.writer()
    for text in HOSTILE[:4]:
        writer.create(Village, name=text, kind="村")
        writer.create(ChildDirector, name=text)
    path = new_archive.path
    new_archive.close()

    template = tmp_path / "模板.xlsx"
    assert main(["--archive", str(path), "template", "--from-archive", str(template)]) == 0
    assert assert_no_formula(template) >= 8

    ledger = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "儿童"
    wb.active.append(['=HYPERLINK("http://example.com/x","点击")', "姓名", "身份证号", "村(社区)"])
    wb.active.append(["=1+1", "@x", "-1", "+1"])
    wb.save(ledger)
    report = tmp_path / "报告.xlsx"
    assert main(["--archive", str(path), "import", str(ledger), "--report", str(report)]) == 1
    capsys.readouterr()
    assert assert_no_formula(report) >= 1  # the header, quoted as the column
    texts = [c.value for row in openpyxl.load_workbook(report).active.iter_rows() for c in row]
    assert '=HYPERLINK("http://example.com/x","点击")' in texts


@pytest.mark.parametrize("text", HOSTILE + ["", "王明", "1-2", "a=b"])
def test_the_guard_itself(tmp_path, text):
    wb = openpyxl.Workbook()
    ws = wb.active
    put_text(ws.cell(1, 1), text)
    put_value(ws.cell(2, 1), text)
    for value, row in ((5, 3), (2.5, 4), (date(2026, 1, 1), 5), (True, 6), (None, 7)):
        put_value(ws.cell(row, 1), value)
    wb.save(tmp_path / "g.xlsx")
    back = openpyxl.load_workbook(tmp_path / "g.xlsx").active
    for row in (1, 2):
        cell = back.cell(row, 1)
        assert cell.value == (text or None)
        assert cell.data_type != "f"
        assert cell.quotePrefix is bool(text and text.startswith(FORMULA_STARTS))
    assert back.cell(3, 1).value == 5 and back.cell(3, 1).data_type == "n"
    assert back.cell(5, 1).value.date() == date(2026, 1, 1)
    assert back.cell(6, 1).value is True and back.cell(7, 1).value is None
