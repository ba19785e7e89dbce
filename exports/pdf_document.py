"""A PDF document: the canvas that numbers pages and fills deferred numbers, the footer
"第 x 页 共 y 页" and the demo mark on every page (``PageDecor``), and ``build_pdf``, which
lays out any story on these pages, atomically, with progress and cancellation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from exports.atomic import IsCancelled, atomic_path, check_cancelled
from exports.pdf_layout import (
    DEMO_MARK,
    FOOTER_SIZE,
    STANDARD_PAGE,
    TEXT_WIDTH,
    PdfPage,
    pdf_styles,
)

# --- the canvas: footer, demo header, deferred numbers ------------------------------------

class PagedCanvas(Canvas):
    """Canvas that knows anchors' pages and fills deferred numbers (forms) when saved."""

    TOTAL = "__total__"
    PAGE = "__page__"

    def __init__(self, *args, file_range: tuple[str, str] | None = None, **kwargs):
        # The default initial font (Helvetica) would be listed, unembedded, on every page.
        if not kwargs.get("initialFontName"):
            kwargs["initialFontName"] = pdf_styles().font
        super().__init__(*args, **kwargs)
        # (anchor of the first file page, anchor of the first page after the files): pages
        # are then numbered from the first file, and the pages outside carry no number
        # (a volume's cover, 卷内目录 and 备考表, GB/T 9705).
        self.file_range = file_range
        self.anchors: dict[str, int] = {}
        self._forms: dict[str, tuple[str, float, str, str]] = {}
        self._pages = 0
        self.setTitle("")

    def deferred_form(self, key: str, size: float, prefix: str = "", suffix: str = "",
                      align: str = "centre") -> str:
        """Name of a form printing ``prefix + number + suffix`` centred on (or from) the origin."""
        spec = (key, size, prefix, suffix, align)
        for existing, known in self._forms.items():
            if known == spec:
                return existing
        name = f"deferred{len(self._forms)}"
        self._forms[name] = spec
        return name

    def showPage(self):
        self._pages += 1
        super().showPage()

    def file_pages(self) -> tuple[int, int] | None:
        """(first, last) canvas page of the files when numbering is limited to them."""
        if self.file_range is None:
            return None
        start, end = (self.anchors.get(k) for k in self.file_range)
        if start is None:
            return None
        return start, (end - 1 if end is not None else self._pages)

    def page_label(self, key: str):
        """What a deferred number prints: the total, an anchor's page, a page's footer."""
        files = self.file_pages()
        if key == self.TOTAL:
            return self._pages if files is None else files[1] - files[0] + 1
        if key.startswith(self.PAGE):
            page = int(key[len(self.PAGE):])
            if files is None:
                return page
            return page - files[0] + 1 if files[0] <= page <= files[1] else None
        page = self.anchors.get(key)
        if page is None:
            return ""
        return page if files is None else page - files[0] + 1

    def save(self):
        if len(self._code):
            self.showPage()
        font = pdf_styles().font
        for name, (key, size, prefix, suffix, align) in self._forms.items():
            if key.startswith(self.PAGE):  # a footer: "第 x 页 共 y 页", or nothing
                number = self.page_label(key)
                text = "" if number is None else (
                    f"第 {number} 页 共 {self.page_label(self.TOTAL)} 页")
            else:
                text = f"{prefix}{self.page_label(key)}{suffix}"
            self.beginForm(name, lowerx=-TEXT_WIDTH, lowery=-size, upperx=TEXT_WIDTH,
                           uppery=2 * size)
            self.setFont(font, size)
            if align == "centre":
                self.drawCentredString(0, 0, text)
            else:
                self.drawString(0, 0, text)
            self.endForm()
        super().save()


@dataclass
class PageDecor:
    """What ``build_pdf`` draws on every page: the footer and, for demo data, the mark."""

    demo: bool = False
    footer_from: int = 1  # first page that shows "第 x 页 共 y 页" (the cover shows none)
    is_cancelled: IsCancelled | None = None
    page: PdfPage = STANDARD_PAGE

    def __call__(self, canv: Canvas, doc) -> None:
        check_cancelled(self.is_cancelled)
        styles = pdf_styles()
        width, height = self.page.size
        canv.saveState()
        page = canv.getPageNumber()
        if page >= self.footer_from:
            _draw_footer(canv, page, styles.font, self.page)
        if self.demo:
            canv.setFont(styles.font, 10.5)
            canv.setFillColor(colors.Color(0.75, 0.1, 0.1))
            canv.drawCentredString(width / 2, height - self.page.mark_below_top, DEMO_MARK)
        canv.restoreState()


def _draw_footer(canv: Canvas, page: int, font: str, geometry: PdfPage) -> None:
    centre, y = geometry.size[0] / 2, geometry.footer_y
    if isinstance(canv, PagedCanvas) and canv.file_range is not None:
        # numbered among the files only: the whole footer is known when the volume is done
        name = canv.deferred_form(f"{PagedCanvas.PAGE}{page}", FOOTER_SIZE)
        canv.saveState()
        canv.translate(centre, y)
        canv.doForm(name)
        canv.restoreState()
        return
    # "第 x 页 " is drawn here; " 共 y 页" is a form filled in when the page count is known.
    left = f"第 {page} 页 "
    right_estimate = stringWidth("共 99 页", font, FOOTER_SIZE)
    width = stringWidth(left, font, FOOTER_SIZE) + right_estimate
    x = centre - width / 2
    canv.setFont(font, FOOTER_SIZE)
    canv.drawString(x, y, left)
    if isinstance(canv, PagedCanvas):
        name = canv.deferred_form(PagedCanvas.TOTAL, FOOTER_SIZE, "共 ", " 页")
        canv.saveState()
        canv.translate(x + stringWidth(left, font, FOOTER_SIZE) + right_estimate / 2, y)
        canv.doForm(name)
        canv.restoreState()


# --- documents ---------------------------------------------------------------------------

def build_pdf(path, story: list[Flowable], *, title: str = "", demo: bool = False,
              footer_from: int = 1, is_cancelled: IsCancelled | None = None,
              file_range: tuple[str, str] | None = None, page: PdfPage = STANDARD_PAGE) -> Path:
    """Lay out ``story`` on the standard pages (or ``page``) and write it atomically to ``path``.

    ``file_range`` (two anchor keys) numbers pages from the first anchor's page and leaves
    the pages outside the range unnumbered; totals count the range only."""
    target = Path(path)
    decor = PageDecor(demo=demo, footer_from=footer_from, is_cancelled=is_cancelled, page=page)
    with atomic_path(target) as tmp:
        doc = SimpleDocTemplate(
            str(tmp), pagesize=page.size, leftMargin=page.left, rightMargin=page.right,
            topMargin=page.top, bottomMargin=page.bottom, title=title,
            author="童档", creator="童档", subject=title,
        )
        maker = PagedCanvas if file_range is None else (
            lambda *a, **k: PagedCanvas(*a, file_range=file_range, **k))
        doc.build(story, onFirstPage=decor, onLaterPages=decor, canvasmaker=maker)
    return target
