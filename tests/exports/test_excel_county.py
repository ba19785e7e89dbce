"""The Excel renderer: files are read back with openpyxl (and, for formulas, as raw XML)."""

import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from exports.atomic import ExportCancelled
from exports.excel import render_xlsx, text_lines, write_text
from forms import county_tables as ct
from forms.spec import FilledForm
from models import reports
from tests.county_counts import (
    FORMULA_NAME,
    TODAY,
    in_scope_states,
    independent_annex1,
    parse_annex1_lines,
)

FORMULA_LIKE = ["=1+1", "+8613800138000", "-5", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"x\")"]
MASKED = re.compile(r"\d{6}\*{8}[\dX]{4}")


def annex2(rows, demo=False, filler=""):
    spec = ct.titled(ct.ANNEX2, "长子县农村留守儿童和困境儿童排查表")
    return FilledForm(spec, {"unit": "丹朱镇", "on": date(2026, 6, 30), "filler": filler},
                      {ct.ANNEX2_TABLE: rows}, demo=demo)


def child_row(no, name="张三", **extra):
    row = {"no": no, "village": "东坡村", "name": name, "sex": "男",
           "id_number": "140428201702220383", "last_contact": date(2026, 6, 1),
           "note": "低风险（绿色）", ct.ROW_COLOUR: "green"}
    row.update(extra)
    return row


def heading_row(ws, first_label: str) -> int:
    return next(r for r in range(1, 15) if ws.cell(r, 1).value == first_label)


def sheet_xml(path, index=1) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def test_text_that_looks_like_a_formula_comes_back_as_text(tmp_path):
    rows = [child_row(i + 1, name) for i, name in enumerate(FORMULA_LIKE)] + [child_row(99)]
    out = render_xlsx(annex2(rows, filler="=cmd|' /C calc'!A0"), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(out).active
    first = heading_row(ws, "序号") + 1
    names = [ws.cell(first + i, 3) for i in range(len(rows))]
    for cell, typed in zip(names, FORMULA_LIKE, strict=False):  # the last row is child 99
        assert cell.value == typed.strip()  # printed values are trimmed (forms.spec)
        assert cell.data_type == "s"
        assert cell.quotePrefix is (typed.strip()[0] in "=+-@")
    assert names[-1].value == "张三" and names[-1].quotePrefix is False
    xml = sheet_xml(out)
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the sheet
    header = " ".join(str(ws.cell(r, 1).value) for r in range(1, 5))
    assert "填报人：=cmd|' /C calc'!A0" in header


@pytest.mark.parametrize("text", ["\tx", "\r=1+1", "=1+1", "-", "@"])
def test_write_text_guards_every_formula_start(tmp_path, text):
    wb = openpyxl.Workbook()
    write_text(wb.active.cell(1, 1), text)
    wb.save(tmp_path / "w.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "w.xlsx").active.cell(1, 1)
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix is True


def test_numbers_are_numbers_dates_are_dates_ids_are_text(tmp_path):
    out = render_xlsx(annex2([child_row(1), child_row(2, no_text="x")]), tmp_path / "n.xlsx")
    ws = openpyxl.load_workbook(out).active
    first = heading_row(ws, "序号") + 1
    assert ws.cell(first, 1).value == 1 and ws.cell(first, 1).data_type == "n"
    assert isinstance(ws.cell(first + 1, 1).value, int)
    columns = [c.key for c in ct.ANNEX2.table_sections()[0].columns]
    id_cell = ws.cell(first, columns.index("id_number") + 1)
    assert id_cell.value == "140428201702220383" and id_cell.data_type == "s"
    contact = ws.cell(first, columns.index("last_contact") + 1)
    assert contact.is_date and contact.value == datetime(2026, 6, 1)


def test_sheet_layout_a4_landscape_frozen_bold_bordered(tmp_path):
    out = render_xlsx(annex2([child_row(1)]), tmp_path / "l.xlsx")
    ws = openpyxl.load_workbook(out).active
    heading = heading_row(ws, "序号")
    assert ws.cell(1, 1).value == "附件2"
    assert ws.cell(2, 1).value == "长子县农村留守儿童和困境儿童排查表"
    assert ws.cell(2, 1).font.b
    count = len(ct.ANNEX2.table_sections()[0].columns)
    labels = [ws.cell(heading, i).value for i in range(1, count + 1)]
    assert labels == [c.label for c in ct.ANNEX2.table_sections()[0].columns]
    assert all(ws.cell(heading, i).font.b for i in range(1, 14))
    data = ws.cell(heading + 1, 3)
    assert data.border.left.style == "thin" and data.border.bottom.style == "thin"
    assert ws.freeze_panes == f"A{heading + 1}"
    assert ws.print_title_rows == f"${heading}:${heading}"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    widths = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    assert widths["E"] > widths["D"] > 0  # 身份证号 wider than 性别


def test_demo_data_says_so_in_the_title(tmp_path):
    demo = openpyxl.load_workbook(render_xlsx(annex2([], demo=True), tmp_path / "d.xlsx")).active
    real = openpyxl.load_workbook(render_xlsx(annex2([]), tmp_path / "r.xlsx")).active
    assert demo.cell(2, 1).value == "长子县农村留守儿童和困境儿童排查表（演示数据）"
    assert "演示数据" not in real.cell(2, 1).value
    assert demo.cell(heading_row(demo, "序号") + 1, 1).value == "（无）"


def test_control_characters_are_dropped_not_fatal(tmp_path):
    out = render_xlsx(annex2([child_row(1, "王\x00小\x07明")]), tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(heading_row(ws, "序号") + 1, 3).value == "王小明"


def test_cancel_leaves_the_old_file_and_no_partial_file(tmp_path):
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    calls = []

    def cancel_second_time():
        calls.append(1)
        return len(calls) >= 2

    rows = [child_row(i) for i in range(1, 701)]
    with pytest.raises(ExportCancelled):
        render_xlsx(annex2(rows), target, is_cancelled=cancel_second_time)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
    with pytest.raises(ExportCancelled):
        render_xlsx(annex2(rows), tmp_path / "new.xlsx", is_cancelled=lambda: True)
    assert not (tmp_path / "new.xlsx").exists()


def test_progress_reaches_the_total(tmp_path):
    seen = []
    render_xlsx(annex2([child_row(i) for i in range(1, 600)]), tmp_path / "p.xlsx",
                progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)


# --- from a real archive ---------------------------------------------------------------------

@pytest.mark.both_backends
@pytest.mark.usefixtures("county_archive")
def test_annex1_xlsx_numbers_equal_independent_counts(tmp_path):
    expected = independent_annex1()
    out = render_xlsx(reports.annex1_form(TODAY), tmp_path / "a1.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws.page_setup.orientation == "portrait"
    first = heading_row(ws, "风险等级类型") + 1
    lines, counts = [], []
    for r in range(first, ws.max_row + 1):
        level, item, count = (ws.cell(r, c).value for c in (1, 2, 3))
        if item is None:
            continue
        lines.append((level, item, count))
        if count is not None:
            counts.append(ws.cell(r, 3))
    got = parse_annex1_lines(lines)
    assert len(got) == 5 + 6 + 7 + 4 + 4 + 1  # every criterion row, four subtotals, the total
    for key, value in got.items():
        assert value == expected[key], key
    assert got["total"] == len(in_scope_states()) > 0
    assert all(c.data_type == "n" and isinstance(c.value, int) for c in counts)
    merged = [str(m) for m in ws.merged_cells.ranges]
    assert any(m.startswith(f"A{first}:A") for m in merged)  # the red level cell spans its block


@pytest.mark.usefixtures("county_archive")
def test_annex2_and_lists_from_the_archive(tmp_path):
    on = TODAY
    a2 = openpyxl.load_workbook(render_xlsx(reports.annex2_form(on), tmp_path / "a2.xlsx")).active
    first = heading_row(a2, "序号") + 1
    names = [a2.cell(r, 3) for r in range(first, first + len(in_scope_states()))]
    formula = [c for c in names if c.value == FORMULA_NAME]
    assert len(formula) == 1 and formula[0].data_type == "s"
    assert "<f>" not in sheet_xml(tmp_path / "a2.xlsx")

    wb = openpyxl.load_workbook(render_xlsx(reports.risk_list_form(on, "团委"),
                                            tmp_path / "l.xlsx"))
    assert wb.sheetnames == ["高风险（红色）儿童", "中高风险（黄色）儿童", "中低风险（蓝色）儿童"]
    full_ids = {f.id_number for f, _s in in_scope_states()}
    red = wb["高风险（红色）儿童"]
    assert "报送单位：共青团长子县委员会" in red.cell(2, 1).value
    ids = []
    for ws in wb.worksheets:
        h = heading_row(ws, "序号")
        for r in range(h + 1, ws.max_row + 1):
            value = ws.cell(r, 5).value
            if value and ws.cell(r, 1).data_type == "n":
                ids.append(value)
        for row in ws.iter_rows(values_only=True):
            assert not {str(v) for v in row if v} & full_ids
    assert ids and all(MASKED.fullmatch(i) for i in ids)
    assert len(ids) == sum(1 for _f, s in in_scope_states() if s.colour != "green")


def test_row_heights_follow_wrapped_text(tmp_path):
    long_parents = "父亲：外出务工（跨省）\n母亲：外出务工（跨省）\n祖父：在家"
    rows = [child_row(1), child_row(2, parents=long_parents)]
    ws = openpyxl.load_workbook(render_xlsx(annex2(rows), tmp_path / "h.xlsx")).active
    first = heading_row(ws, "序号") + 1
    one, three = (ws.row_dimensions[first + i].height for i in (0, 1))
    assert three >= 3 * one - 10 and one >= 14
    assert text_lines("一二三四五", 20) == 1 and text_lines("一二三四五", 5) == 3
    assert text_lines("a\nb", 30) == 2
