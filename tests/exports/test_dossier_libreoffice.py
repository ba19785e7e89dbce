"""The Word dossier keeps its shape: converted by LibreOffice, its page count stays within
10 % of the PDF's, with a serif (宋体-style) and with a sans (黑体-style) font, and every date
and ID number prints whole on one line, without invisible characters in the text (a list's
date that would not fit its column is printed 2024-01-18, as in the PDF).

Slow: ``./run tests`` installs ``libreoffice-writer-nogui`` for them; skipped when ``soffice``
is not installed. Each font is offered to LibreOffice through a private
fontconfig file, so the result does not depend on the machine's fonts.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import form_samples
import pdf_reading as pdf
from docx import Document

from exports import fonts
from exports.dossier_pdf import render_dossier_pdf
from exports.dossier_word import render_dossier_docx
from exports.word_form import render_form_docx
from forms.spec import Field, FilledForm, FormSpec, Section

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]

FONT_FILES = {"serif": fonts.SHIPPED_SONG, "sans": fonts.SHIPPED_SANS}
FAMILY = {"serif": "AR PL UMing CN", "sans": "WenQuanYi Micro Hei"}
POSTSCRIPT = {"serif": "UMingCN", "sans": "WenQuanYiMicroHei"}


def fontconfig(tmp: Path, kind: str) -> dict:
    """Environment for soffice: the system's fontconfig rules, with every Chinese face
    rejected but the one under test, to which the names the document uses are mapped."""
    folder = tmp / "fonts"
    folder.mkdir()
    shutil.copyfile(fonts.shipped_font(FONT_FILES[kind]), folder / FONT_FILES[kind])
    aliases = "".join(
        f"<alias binding=\"same\"><family>{name}</family><prefer><family>{FAMILY[kind]}</family>"
        "</prefer></alias>"
        for name in ("宋体", "仿宋", "黑体", "SimSun", "SimHei", "FangSong"))
    reject = "".join(f"<glob>{g}</glob>" for g in (
        "/usr/share/fonts/truetype/arphic/*", "/usr/share/fonts/truetype/droid/*",
        "/usr/share/fonts/opentype/*", "/usr/share/fonts/truetype/wqy/*",
        "/usr/share/fonts/truetype/noto/*CJK*"))
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{folder}</dir><cachedir>{tmp / 'cache'}</cachedir>"
        f"<selectfont><rejectfont>{reject}</rejectfont></selectfont>{aliases}</fontconfig>",
        encoding="utf-8")
    return dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(tmp))


# what must never be split: dates in either form, ID numbers, phone numbers
WHOLE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|\d{17}[\dX]|1\d{10}")
HIDDEN = re.compile("[\u200b-\u200d\u2060\ufeff]")


def word_texts(docx: Path) -> list[str]:
    """The text of every paragraph of the document, table cells included."""
    document = Document(str(docx))
    return ["".join(t.text or "" for t in p.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
        for p in document.element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]


def printed_lines(path: Path) -> list[str]:
    """Each printed line of the PDF, spaces removed (columns of a table row are joined, a
    wrapped value's second line is a line of its own)."""
    return [re.sub(r"\s+", "", line) for line in pdf.text(path, layout=True).splitlines()]


def assert_kept_whole(docx: Path, converted: Path) -> int:
    texts = word_texts(docx)
    assert not any(HIDDEN.search(t) for t in texts)
    lines = printed_lines(converted)
    wanted = {m.group() for t in texts for m in WHOLE.finditer(t)}
    split = sorted(w for w in wanted if not any(w in line for line in lines))
    assert not split, split
    return len(wanted)


def convert(docx: Path, tmp: Path, kind: str) -> Path:
    out = tmp / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   env=fontconfig(tmp, kind), capture_output=True, check=True, timeout=300)
    return out / (docx.stem + ".pdf")


@pytest.mark.parametrize("kind", ["serif", "sans"])
def test_word_dossier_paginates_like_the_pdf(tmp_path, kind):
    dossier = form_samples.dossier(visits=24)
    reference = render_dossier_pdf(dossier, tmp_path / "d.pdf")
    docx = render_dossier_docx(dossier, tmp_path / "d.docx")
    converted = convert(docx, tmp_path, kind)
    used = " ".join(f["name"] for f in pdf.fonts(converted))
    assert POSTSCRIPT[kind] in used
    ours, theirs = pdf.pages(reference), pdf.pages(converted)
    whole = assert_kept_whole(docx, converted)
    print(f"{kind}: PDF {ours} pages, LibreOffice {theirs} pages; {whole} dates and numbers "
          "each whole on a line")
    assert abs(theirs - ours) <= 0.1 * ours
    # no page holds only a signature line: every page has a title or a table row
    for page in range(1, theirs + 1):
        text = pdf.flat(converted, page, page)
        assert len(text) > 60, (page, text)


def narrow_lists(widths_mm: list[int], values: list[str]) -> FilledForm:
    """One list per width: a date column that many millimetres wide beside a text column."""
    sections = tuple(
        Section(title=f"{width} mm", kind="table", columns=(
            Field("on", "日期", "date", width=width),
            Field("note", "情况", "multiline", width=156 - width)), key=f"w{width}")
        for width in widths_mm)
    rows = [{"on": value, "note": "了解学习生活情况"} for value in values]
    return FilledForm(FormSpec("narrow", "窄列日期", sections),
                      rows={f"w{width}": rows for width in widths_mm})


@pytest.mark.parametrize("kind", ["serif", "sans"])
def test_list_dates_stay_whole_in_narrow_columns(tmp_path, kind):
    # from the narrowest column that holds 2024-12-31 on one line to one that holds 2024年12月31日
    widths = [21, 22, 23, 25, 27, 29, 31, 34, 38]
    values = ["2017-04-09", "2024-12-31", "2026-09-10", "2025-11-01"]
    docx = render_form_docx(narrow_lists(widths, values), tmp_path / "narrow.docx")
    converted = convert(docx, tmp_path, kind)
    texts = word_texts(docx)
    assert "2017年4月9日" in texts and "2024-12-31" in texts  # both forms were printed
    assert assert_kept_whole(docx, converted) == 2 * len(values)


@pytest.mark.usefixtures("county_archive")
def test_annex2_word_keeps_id_numbers_and_dates_whole(tmp_path):
    from exports.tables import render_table_docx
    from models import reports
    from tests.county_counts import TODAY

    docx = render_table_docx(reports.annex2_form(TODAY), tmp_path / "a2.docx")
    converted = convert(docx, tmp_path, "serif")
    assert assert_kept_whole(docx, converted) > 10
