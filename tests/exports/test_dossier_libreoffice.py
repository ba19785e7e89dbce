"""The Word dossier keeps its shape: converted by LibreOffice, its page count stays within
10 % of the PDF's, with a serif (宋体-style) and with a sans (黑体-style) font.

Slow: ``./run tests`` installs ``libreoffice-writer-nogui`` for them; skipped when ``soffice``
is not installed. Each font is offered to LibreOffice through a private
fontconfig file, so the result does not depend on the machine's fonts.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import form_samples
import pdf_reading as pdf

from exports import fonts
from exports.dossier_pdf import render_dossier_pdf
from exports.dossier_word import render_dossier_docx

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
    print(f"{kind}: PDF {ours} pages, LibreOffice {theirs} pages")
    assert abs(theirs - ours) <= 0.1 * ours
    # no page holds only a signature line: every page has a title or a table row
    for page in range(1, theirs + 1):
        text = pdf.flat(converted, page, page)
        assert len(text) > 60, (page, text)
