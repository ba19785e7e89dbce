"""One child's file (一人一档) as a PDF: cover, 卷内目录, the parts in order, 卷内备考表.

The 页号 of the 卷内目录 are the real pages where the parts start: the numbers are PDF form
XObjects filled in when the layout is finished (``exports.pdf_flowables.DeferredNumber``), so the
document is laid out once. Every part gets an outline bookmark. ID numbers print in full:
this is the child's own file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer, Table

from exports.atomic import IsCancelled, Progress, check_cancelled, report
from exports.pdf_document import PagedCanvas, PageDecor, build_pdf
from exports.pdf_flowables import Anchor, BoldTitle, DeferredNumber, fit, para
from exports.pdf_form import form_story
from exports.pdf_layout import (
    BOTTOM_MARGIN,
    CELL_PAD,
    CELL_SIZE,
    GRID,
    LABEL_BG,
    LEFT_MARGIN,
    RIGHT_MARGIN,
    TEXT_WIDTH,
    TOP_MARGIN,
    PdfStyles,
    pdf_styles,
    table_style,
)
from forms.dossier import Dossier, DossierPart
from forms.spec import format_date

CATALOGUE_COLUMNS = ("顺序号", "文号", "责任者", "题名", "日期", "页号", "备注")
CATALOGUE_WIDTHS_MM = (14, 20, 26, 44, 26, 14, 12)  # 156 mm
COVER_HEADING = "儿 童 档 案"
CONFIDENTIAL = "本档案含未成年人个人信息，仅限工作需要查阅，严禁外传。"


def part_key(index: int) -> str:
    return f"part{index}"


FILES_START, FILES_END = "files", "remarks"


def item_numbers(parts: list[DossierPart]) -> dict[int, int]:
    """顺序号 by part index (1-based): only parts with documents are items of the volume."""
    numbers, n = {}, 0
    for index, part in enumerate(parts, 1):
        if part.forms:
            n += 1
            numbers[index] = n
    return numbers


def item_count(parts: list[DossierPart]) -> int:
    """件数: the documents in the volume (a "no material" placeholder is not a 件)."""
    return sum(len(p.forms) for p in parts)


def archive_date(value) -> str:
    """Dates in the 卷内目录 as eight digits (20250301); spans and text kept as given."""
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value or "")


def part_dates(part: DossierPart) -> list[date]:
    """The dates of a part: its date, or the eight-digit dates of a span such as
    "20240111—20251201"."""
    if isinstance(part.date, date):
        return [part.date]
    found = []
    for digits in re.findall(r"(?<!\d)(\d{8})(?!\d)", str(part.date or "")):
        try:
            found.append(datetime.strptime(digits, "%Y%m%d").date())
        except ValueError:
            continue
    return found


def date_span(dossier: Dossier) -> str:
    dates = [d for p in dossier.parts for d in part_dates(p)]
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    return format_date(first) if first == last else f"{format_date(first)}至{format_date(last)}"


def _two_column_table(rows: list[tuple[str, object]], st: PdfStyles, label_mm: float,
                      heights: list[float] | None = None) -> Table:
    label_w, value_w = label_mm * mm, TEXT_WIDTH - label_mm * mm
    data = [[fit(label, st.label, label_w),
             value if isinstance(value, Flowable) else fit(str(value), st.cell, value_w)]
            for label, value in rows]
    table = Table(data, colWidths=[label_w, value_w], rowHeights=heights)
    table.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD + 2),
    ]))
    return table


def cover_story(dossier: Dossier, st: PdfStyles) -> list[Flowable]:
    created = format_date(dossier.created_on) if dossier.created_on else ""
    rows = [
        ("档号", dossier.archive_no),
        ("案卷题名", dossier.title),
        ("姓名", dossier.name),
        ("村（社区）", dossier.village),
        ("乡镇（街道）", dossier.township),
        ("建档日期", created),
        ("起止日期", date_span(dossier)),
        ("本卷页数", DeferredNumber(PagedCanvas.TOTAL, CELL_SIZE, "共 ", " 页", align="left")),
        ("保管单位", dossier.keeper),
        ("保管期限", dossier.retention),
    ]
    return [
        Anchor("cover", "封面"),
        Spacer(1, 20 * mm),
        BoldTitle(COVER_HEADING, st.title, st.synthetic_bold),
        Spacer(1, 18 * mm),
        _two_column_table(rows, st, 40, [13 * mm] * len(rows)),
        Spacer(1, 20 * mm),
        para(CONFIDENTIAL, st.subtitle),
    ]


def catalogue_story(dossier: Dossier, parts: list[DossierPart], st: PdfStyles) -> list[Flowable]:
    widths = [w * mm for w in CATALOGUE_WIDTHS_MM]
    rows = [[fit(c, st.header_cell, w) for c, w in zip(CATALOGUE_COLUMNS, widths, strict=True)]]
    for index, part in enumerate(parts, 1):
        number = item_numbers(parts).get(index, "—")
        texts = (str(number), part.doc_no, part.responsible, part.title, archive_date(part.date))
        page = DeferredNumber(part_key(index)) if part.forms else "—"
        # the five texts take the first five widths; 页号 and 备注 follow
        rows.append([fit(t, st.cell, w) for t, w in zip(texts, widths, strict=False)]
                    + [page, fit(part.note or ("" if part.forms else "无材料"), st.cell,
                                 widths[-1])])
    table = Table(rows, colWidths=widths, repeatRows=1,
                  rowHeights=[10 * mm] + [None] * (len(rows) - 1))
    table.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_BG),
        ("FONTNAME", (0, 0), (-1, 0), st.title_font),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (4, 1), (4, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
    ]))
    return [
        PageBreak(),
        Anchor("catalogue", "卷内目录"),
        BoldTitle("卷内目录", st.title, st.synthetic_bold),
        para(f"档号：{dossier.archive_no}", st.note),
        Spacer(1, 2 * mm),
        table,
    ]


def remarks_story(dossier: Dossier, parts: list[DossierPart], st: PdfStyles) -> list[Flowable]:
    count = item_count(parts)
    notes = dossier.notes.strip() or "无。"
    compiled = format_date(dossier.compiled_on) if dossier.compiled_on else ""
    rows = [
        ("本卷情况说明", para(f"{notes}\n\n本卷共有文件材料 {count} 件。", st.cell)),
        ("本卷页数", DeferredNumber(PagedCanvas.TOTAL, CELL_SIZE, "共 ", " 页", align="left")),
        ("立卷人", dossier.compiler),
        ("检查人", dossier.checker),
        ("立卷时间", compiled),
    ]
    return [
        PageBreak(),
        Anchor("remarks", "卷内备考表"),
        BoldTitle("卷内备考表", st.title, st.synthetic_bold),
        para(f"档号：{dossier.archive_no}", st.note),
        Spacer(1, 2 * mm),
        _two_column_table(rows, st, 34, [110 * mm] + [12 * mm] * 4),
    ]


def dossier_story(dossier: Dossier, styles: PdfStyles | None = None,
                  progress: Progress | None = None,
                  is_cancelled: IsCancelled | None = None) -> list[Flowable]:
    """The whole file as flowables; ``progress`` is called as each document is laid out."""
    st = styles or pdf_styles()
    parts = dossier.ordered_parts()
    total = sum(max(1, len(p.forms)) for p in parts) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        report(progress, done, total)

    story = cover_story(dossier, st) + catalogue_story(dossier, parts, st)
    for index, part in enumerate(parts, 1):
        check_cancelled(is_cancelled)
        story.append(PageBreak())
        if index == 1:
            story.append(Anchor(FILES_START))
        story.append(Anchor(part_key(index), f"{index}　{part.title}", on_draw=step))
        if not part.forms:
            story += [para(part.title, st.heading), para("本部分暂无材料。", st.body)]
            continue
        for number, filled in enumerate(part.forms):
            if number:
                story += [PageBreak(), Anchor(f"{part_key(index)}.{number}", on_draw=step)]
            story += form_story(filled, st)
    story += remarks_story(dossier, parts, st)
    return story


@dataclass(frozen=True)
class Pagination:
    """Where the PDF's layout put things: 页号 of each part (counted among the files) and
    the number of file pages (本卷页数)."""

    part_pages: dict[int, int]
    file_pages: int
    pdf_pages: int


def paginate(dossier: Dossier) -> Pagination:
    """Lay the dossier out as the PDF would (in memory) and read its page numbers."""
    canvases: list[PagedCanvas] = []

    def maker(*args, **kwargs):
        canv = PagedCanvas(*args, file_range=(FILES_START, FILES_END), **kwargs)
        canvases.append(canv)
        return canv

    story = dossier_story(dossier)
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4, leftMargin=LEFT_MARGIN,
                            rightMargin=RIGHT_MARGIN, topMargin=TOP_MARGIN,
                            bottomMargin=BOTTOM_MARGIN)
    decor = PageDecor(demo=dossier.demo, footer_from=2)
    doc.build(story, onFirstPage=decor, onLaterPages=decor, canvasmaker=maker)
    canv = canvases[-1]
    parts = dossier.ordered_parts()
    pages = {index: canv.page_label(part_key(index)) for index, part in enumerate(parts, 1)
             if part.forms}
    return Pagination(pages, canv.page_label(PagedCanvas.TOTAL), canv._pages)


def render_dossier_pdf(dossier: Dossier, path, progress: Progress | None = None,
                       is_cancelled: IsCancelled | None = None) -> Path:
    check_cancelled(is_cancelled)
    story = dossier_story(dossier, progress=progress, is_cancelled=is_cancelled)
    result = build_pdf(path, story, title=f"{dossier.title}（{dossier.archive_no}）",
                       demo=dossier.demo, footer_from=2, is_cancelled=is_cancelled,
                       file_range=(FILES_START, FILES_END))
    total = sum(max(1, len(p.forms)) for p in dossier.parts) + 1
    report(progress, total, total)
    return result
