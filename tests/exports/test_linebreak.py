"""Chinese line breaking: numbers, dates and Latin runs stay whole; 避头尾; nothing overflows."""

import itertools
import re
import subprocess

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Table

from exports import linebreak
from exports.pdf_document import build_pdf
from exports.pdf_flowables import PlainText, split_lines
from exports.pdf_layout import CELL_SIZE, pdf_styles, table_style

IDS = ("445281196701121140", "14042820150314004X")
DATES = ("2017年4月9日", "2026-09-10", "2024年12月31日")
TEXT = ("受委托照护人（签名）身份证号445281196701121140，出生于2017年4月9日，复评日期"
        "2026-09-10，联系电话13812345678，得分66分，风险等级：中低风险。“父母已签字”"
        "（见附件）WeChat号abc_123，截至2024年12月31日身份证号14042820150314004X。")
WHOLE = IDS + DATES + ("13812345678", "66分", "abc_123", "WeChat")


def width_of(text):
    return len(text) * 10.0  # every character 10 wide: easy to reason about


def test_units_keep_numbers_dates_and_words_whole():
    units = linebreak.units(TEXT)
    joined = "".join(units)
    assert joined == TEXT
    for whole in WHOLE:
        assert any(whole in unit for unit in units), whole


@pytest.mark.parametrize("width", [60, 90, 120, 150, 190, 250])
def test_lines_follow_the_rules(width):
    lines = split_lines(TEXT, pdf_styles().font, CELL_SIZE, width)
    assert "".join(lines) == TEXT
    font = pdf_styles().font
    from reportlab.pdfbase.pdfmetrics import stringWidth
    for line in lines:
        assert stringWidth(line, font, CELL_SIZE) <= width + 0.01, line
    for before, after in itertools.pairwise(lines):
        if width < 90 and before in WHOLE:
            continue  # a number as wide as the line keeps whole; its comma must move on
        assert after[0] not in "，。、；：？！）》”’", (before, after)
        assert before[-1] not in "（《“‘", (before, after)
    if width >= 120:  # wide enough for each: never split
        for whole in WHOLE:
            assert any(whole in line for line in lines), (whole, lines)


def test_bracketed_word_and_unit_too_wide_are_cut_without_breaking_rules():
    lines = linebreak.split_lines("村（社区）", width_of, 25)
    assert "".join(lines) == "村（社区）"
    assert all(not line.startswith("）") and not line.endswith("（") for line in lines)
    assert all(width_of(line) <= 25 for line in lines)


def read_raw(path):
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_narrow_cells_print_every_id_and_date_whole(tmp_path):
    st = pdf_styles()
    widths = [40 * mm, 41 * mm, 75 * mm]  # the narrowest holds one ID number
    rows = [[PlainText(TEXT, st.cell) for _ in widths] for _ in range(2)]
    table = Table(rows, colWidths=widths)
    table.setStyle(table_style([("GRID", (0, 0), (-1, -1), 0.6, (0, 0, 0))]))
    path = build_pdf(tmp_path / "narrow.pdf", [table, PlainText(TEXT * 2, st.body)])
    lines = read_raw(path).splitlines()
    for whole in IDS + DATES:
        # each occurrence sits on one line: count whole ones against the expected number
        found = sum(line.count(whole) for line in lines)
        assert found == 6 * TEXT.count(whole) + 2 * TEXT.count(whole), whole
    for before, line in itertools.pairwise(lines):
        if before not in WHOLE:  # (a number filling its line lets its comma move on)
            assert not re.match(r"^[，。、；：？！）》”]", line), line


def _samples():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))
    import form_samples

    from forms.registry import FORMS

    return form_samples, FORMS


@pytest.mark.parametrize("name", list(_samples()[1]))
def test_filled_forms_never_split_an_id_number_or_date(tmp_path, name):
    form_samples, forms = _samples()

    from exports.pdf_form import render_form_pdf

    for filled in (form_samples.long_form(forms[name]),
                   *([form_samples.basic_info()] if name == "儿童基本信息表" else [])):
        path = render_form_pdf(filled, tmp_path / "b.pdf")
        lines = read_raw(path).splitlines()
        for key in filled.values:
            f = filled.spec.field(key)
            if f.kind in ("id_number", "phone", "date"):
                printed = filled.text_of(f)
                assert any(printed in line for line in lines), (name, f.label, printed)
        for section in filled.spec.table_sections():
            for row in filled.rows_of(section):
                for c in section.columns:
                    if c.kind in ("id_number", "phone", "date") and row.get(c.key):
                        from forms.spec import format_value

                        printed = format_value(c, row[c.key])
                        compact = f"{row[c.key]:%Y-%m-%d}" if c.kind == "date" else printed
                        # a narrow date column prints the compact form, whole either way
                        assert any(printed in line or compact in line for line in lines), (
                            name, c.label)
