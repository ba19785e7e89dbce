"""County tables as PDF (read back with pdftotext/pdfinfo/pdffonts) and Word (python-docx),
and the ``tongdang export stats|screening|lists`` commands."""

import re
import subprocess
from datetime import date

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from desktop.commands.common import ChineseParser, UserError
from desktop.commands.export_tables import register_table_exports
from exports.atomic import ExportCancelled
from exports.tables import render_table, render_table_docx, render_table_pdf
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

MASKED = re.compile(r"\d{6}\*{8}[\dX]{4}")
A4_PORTRAIT, A4_LANDSCAPE = "595.276 x 841.89 pts (A4)", "841.89 x 595.276 pts (A4)"


def pdftext(path, layout=False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def flat(path) -> str:
    return re.sub(r"\s+", "", pdftext(path))


def pdfinfo(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def data_tables(document):
    """The Word tables after the header (填报单位… is laid out in a borderless table)."""
    header = " ".join(c.text for r in document.tables[0].rows for c in r.cells)
    assert "填报单位：" in header and "联系电话：" in header
    return document.tables[1:]


def docx_lines(document):
    """(level, item, count) of an Annex 1 Word table; merged level cells repeat their text."""
    rows = data_tables(document)[0].rows
    return [(r.cells[0].text, r.cells[1].text, int(r.cells[2].text)) for r in rows[1:]]


# --- PDF -------------------------------------------------------------------------------------

@pytest.mark.usefixtures("county_archive")
def test_annex1_pdf_portrait_a4_with_labels_and_total(tmp_path):
    out = render_table_pdf(reports.annex1_form(TODAY), tmp_path / "a1.pdf")
    info = pdfinfo(out)
    assert info["Page size"] == A4_PORTRAIT
    assert "摸排情况数据表" in info["Title"]
    text = flat(out)
    for label in ("附件1", f"{TODAY.year}年长子县农村留守儿童和困境儿童摸排情况数据表", "填报单位：丹朱镇",
                  "风险等级类型", "服务对象类型", "人数小计", "人数合计", "高风险等级（红色）",
                  "低风险等级（绿色）", "（疑似）有自杀或自残行为的儿童数", "其中已干预的儿童数",
                  "最低生活保障家庭中的儿童数", "第1页共2页"):
        assert label in text, label
    total = independent_annex1()["total"]
    total_line = next(li for li in pdftext(out, layout=True).splitlines() if "人数合计" in li)
    assert re.search(rf"人数合计\s+{total}\b", total_line)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded


@pytest.mark.both_backends
@pytest.mark.usefixtures("county_archive")
def test_annex2_pdf_landscape_one_line_per_child(tmp_path):
    out = render_table_pdf(reports.annex2_form(TODAY), tmp_path / "a2.pdf")
    assert pdfinfo(out)["Page size"] == A4_LANDSCAPE
    text = flat(out)
    assert "排查表" in text and "附件2" in text and "备注" in text
    pairs = in_scope_states()
    for facts, _state in pairs[:10]:
        assert facts.id_number in text
    assert FORMULA_NAME in text
    assert text.count("高风险（红色）") >= 3  # the note above the table + the red children
    assert "2.备注栏中" in text


@pytest.mark.usefixtures("county_archive")
def test_annex2_pdf_keeps_numbers_and_dates_whole(tmp_path):
    """Every ID number, phone number and date prints on one line: the columns are wide
    enough for them (the guardian's phone and 已签订（至2028-01-02） once broke)."""
    out = render_table_pdf(reports.annex2_form(TODAY), tmp_path / "a2.pdf")
    lines = [re.sub(r"\s+", "", line) for line in pdftext(out, layout=True).splitlines()]
    whole = re.compile(r"\d{4}-\d{2}-\d{2}|\d{17}[\dX]|1\d{10}")
    values = {m.group() for line in lines for m in whole.finditer(line)}
    assert len(values) > 50
    for facts, _state in in_scope_states()[:20]:
        assert facts.id_number in values
    # no line holds a piece of a phone number or of a date
    text = "\n".join(lines)
    assert not re.search(r"(?<!\d)1\d{5,9}(?!\d)", text)
    assert not re.search(r"\d{4}-\d?(?!\d)", text)


@pytest.mark.usefixtures("county_archive")
def test_lists_pdf_masks_every_id_number(tmp_path):
    out = render_table_pdf(reports.risk_list_form(TODAY, "妇联"), tmp_path / "l.pdf")
    assert pdfinfo(out)["Page size"] == A4_LANDSCAPE
    text = flat(out)
    assert "报送单位：长子县妇女联合会" in text
    assert "高风险（红色）儿童" in text and "中低风险（蓝色）儿童" in text
    assert not any(f.id_number in text for f, _s in in_scope_states())
    masked = MASKED.findall(text)
    assert len(masked) == sum(1 for _f, s in in_scope_states() if s.colour != "green")


def test_demo_pdf_and_docx_say_so(tmp_path):
    spec = ct.titled(ct.ANNEX2, "长子县农村留守儿童和困境儿童排查表")
    filled = FilledForm(spec, {"unit": "丹朱镇", "on": date(2026, 6, 30)}, {}, demo=True)
    text = flat(render_table_pdf(filled, tmp_path / "d.pdf"))
    assert "排查表（演示数据）" in text and "演示数据（虚构信息，不得作为正式档案）" in text
    assert "（无）" in text
    document = docx.Document(render_table_docx(filled, tmp_path / "d.docx"))
    assert any("（演示数据）" in p.text for p in document.paragraphs)
    assert "演示数据" in document.sections[0].header.paragraphs[0].text


# --- Word ------------------------------------------------------------------------------------

@pytest.mark.both_backends
@pytest.mark.usefixtures("county_archive")
def test_annex1_docx_numbers_equal_independent_counts(tmp_path):
    expected = independent_annex1()
    document = docx.Document(render_table_docx(reports.annex1_form(TODAY), tmp_path / "a1.docx"))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    got = parse_annex1_lines(docx_lines(document))
    assert len(got) == 27
    for key, value in got.items():
        assert value == expected[key], key
    heading = data_tables(document)[0].rows[0]
    assert heading._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert [c.text for c in heading.cells] == ["风险等级类型", "服务对象类型", "人数", "备注"]
    level = data_tables(document)[0].cell(1, 0)._tc
    assert level.tcPr.find(qn("w:vMerge")) is not None  # the red level cell spans its block


@pytest.mark.usefixtures("county_archive")
def test_annex2_and_lists_docx_landscape(tmp_path):
    document = docx.Document(render_table_docx(reports.annex2_form(TODAY), tmp_path / "a2.docx"))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and round(section.page_width.mm) == 297
    rows = data_tables(document)[0].rows
    assert len(rows) == 1 + len(in_scope_states())
    names = [r.cells[2].text for r in rows[1:]]
    assert FORMULA_NAME in names

    lists = docx.Document(render_table_docx(reports.risk_list_form(TODAY, "残联"),
                                            tmp_path / "l.docx"))
    tables = data_tables(lists)
    assert len(tables) == 3
    ids = [r.cells[4].text for t in tables for r in t.rows[1:] if r.cells[0].text != "（无）"]
    assert ids and all(MASKED.fullmatch(i) for i in ids)
    assert lists.tables[0].rows[0].cells[0].text == "报送单位：长子县残疾人联合会"


def test_cancelled_pdf_and_docx_leave_nothing(tmp_path):
    spec = ct.titled(ct.ANNEX2, "排查表")
    rows = [{"no": i, "name": f"儿童{i}"} for i in range(1, 500)]
    filled = FilledForm(spec, {}, {ct.ANNEX2_TABLE: rows})
    calls = []

    def cancel_later():
        calls.append(1)
        return len(calls) > 1

    for render, name in ((render_table_pdf, "c.pdf"), (render_table_docx, "c.docx")):
        calls.clear()
        with pytest.raises(ExportCancelled):
            render(filled, tmp_path / name, is_cancelled=cancel_later)
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_refused_in_chinese(tmp_path):
    filled = FilledForm(ct.ANNEX1, {}, {})
    with pytest.raises(ValueError, match="不支持的格式"):
        render_table(filled, tmp_path / "x.csv", "csv")


# --- the command line --------------------------------------------------------------------------

def run_cli(*argv):
    parser = ChineseParser(prog="tongdang export")
    register_table_exports(parser.add_subparsers(dest="what", parser_class=ChineseParser))
    args = parser.parse_args(list(argv))
    return args.handler(args)


def test_cli_exports_the_three_tables(county_archive, tmp_path, capsys):
    archive = str(county_archive.path)
    expected = independent_annex1()["total"]
    assert run_cli("stats", "--archive", archive, "--out", str(tmp_path / "s.xlsx"),
                   "--filler", "李四", "--phone", "13800138000") == 0
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    values = [ws.cell(r, 3).value for r in range(1, ws.max_row + 1)]
    items = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    assert values[items.index("人数合计")] == expected
    assert "填报人：李四" in ws.cell(3, 1).value
    assert f"人数合计 {expected} 人" in capsys.readouterr().out

    assert run_cli("screening", "--archive", archive, "--out", str(tmp_path / "s2"),
                   "--format", "pdf", "--mask-id", "--on", TODAY.isoformat()) == 0
    text = flat(tmp_path / "s2.pdf")
    assert MASKED.search(text) and not any(f.id_number in text for f, _s in in_scope_states())

    assert run_cli("lists", "--archive", archive, "--to", "团委",
                   "--out", str(tmp_path / "l.docx")) == 0
    header = docx.Document(tmp_path / "l.docx").tables[0]
    assert header.rows[0].cells[0].text == "报送单位：共青团长子县委员会"


def test_cli_refuses_bad_dates_and_header_values(county_archive, tmp_path):
    archive = str(county_archive.path)
    with pytest.raises(UserError, match=r"2026-02-30.*不存在：2026年2月只有28天"):
        run_cli("stats", "--archive", archive, "--out", str(tmp_path / "x.xlsx"), "--on", "2026-02-30")
    with pytest.raises(UserError, match="格式不对"):
        run_cli("stats", "--archive", archive, "--out", str(tmp_path / "x.xlsx"), "--on", "六月底")
    with pytest.raises(UserError, match="晚于今天"):
        run_cli("stats", "--archive", archive, "--out", str(tmp_path / "x.xlsx"), "--on", "2999-01-01")
    with pytest.raises(UserError, match="联系电话"):
        run_cli("stats", "--archive", archive, "--out", str(tmp_path / "x.xlsx"), "--phone", "12")
    with pytest.raises(UserError, match="保存位置不存在"):
        run_cli("stats", "--archive", archive, "--out", str(tmp_path / "no" / "x.xlsx"))
    assert not list(tmp_path.glob("x*"))


def page_texts(path) -> list[str]:
    return [re.sub(r"\s+", "", p) for p in pdftext(path).split("\f") if p.strip()]


def test_long_tables_are_cut_into_pages_with_every_row_once(tmp_path):
    spec = ct.titled(ct.ANNEX2, "排查表")
    rows = [{"no": i, "name": f"儿童{i:04d}", "id_number": "140428201702220383",
             "parents": "父亲：外出务工（跨省）\n母亲：在家"} for i in range(1, 401)]
    out = render_table_pdf(FilledForm(spec, {}, {ct.ANNEX2_TABLE: rows}), tmp_path / "long.pdf")
    pages = page_texts(out)
    assert len(pages) > 10
    assert all("身份证号" in p and "备注" in p for p in pages)  # heading on every page
    text = "".join(pages)
    assert all(text.count(f"儿童{i:04d}") == 1 for i in range(1, 401))


def test_a_long_list_after_a_short_one_starts_a_new_page(tmp_path):
    spec = ct.titled(ct.RISK_LIST, "名单")
    red = [{"no": i, "name": f"红{i:03d}"} for i in range(1, 4)]
    yellow = [{"no": i, "name": f"黄{i:03d}"} for i in range(1, 301)]
    filled = FilledForm(spec, {"recipient": "共青团长子县委员会"},
                        {"red": red, "yellow": yellow, "blue": []})
    pages = page_texts(render_table_pdf(filled, tmp_path / "l.pdf"))
    assert "红003" in pages[0] and "黄001" not in pages[0]
    assert pages[1].startswith("中高风险（黄色）儿童") or "中高风险（黄色）儿童序号" in pages[1]
    text = "".join(pages)
    assert all(text.count(f"黄{i:03d}") == 1 for i in range(1, 301))
    assert "中低风险（蓝色）儿童" in pages[-1] and "（无）" in pages[-1]


def test_merge_runs_join_equal_neighbours_only():
    from exports.table_layout import merge_runs

    rows = [{"k": "红"}, {"k": "红"}, {"k": "黄"}, {"k": ""}, {"k": ""}, {"k": "蓝"}, {"k": "蓝"}]
    assert merge_runs(rows, "k") == [(0, 1), (5, 6)]
    assert merge_runs([], "k") == [] and merge_runs([{"k": "红"}], "k") == []
