"""The dossier PDF: cover, 卷内目录 whose 页号 are the real start pages, parts, 备考表.

GB/T 9705: the 页号 count the files only (cover, 卷内目录 and 备考表 carry no number and
are not counted in 本卷页数), the 备考表 is not an item, a placeholder page is not a 件.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import form_samples
import pdf_reading as pdf

from exports.atomic import ExportCancelled
from exports.dossier_pdf import CATALOGUE_WIDTHS_MM, render_dossier_pdf
from forms.dossier import PART_ORDER, Dossier, DossierPart

PAGE_COLUMN_X = 28 + sum(CATALOGUE_WIDTHS_MM[:5])  # mm from the left edge
PAGE_COLUMN_W = CATALOGUE_WIDTHS_MM[5]


@pytest.fixture(scope="module")
def dossier():
    return form_samples.dossier(visits=24)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, dossier):
    return render_dossier_pdf(dossier, tmp_path_factory.mktemp("d") / "dossier.pdf")


def catalogue_pages(path: Path) -> list[int]:
    words = pdf.column_text(path, 2, PAGE_COLUMN_X, PAGE_COLUMN_W)
    assert words[0] == "页号"
    return [None if w == "—" else int(w) for w in words[1:]]


def before_files(path: Path) -> int:
    """Pages before the first file (cover and 卷内目录): the outline's first part page - 1."""
    return pdf.outline(path)[2][1] - 1


def file_pages(path: Path) -> int:
    return pdf.pages(path) - before_files(path) - 1  # the 备考表 is the last page


def test_catalogue_page_numbers_are_real(rendered, dossier):
    parts = dossier.ordered_parts()
    starts = catalogue_pages(rendered)
    assert len(starts) == len(parts)  # the parts only: the 备考表 is not an item
    assert starts == sorted(set(starts)) and starts[0] == 1
    offset = before_files(rendered)
    assert offset == 2
    for part, start in zip(parts, starts, strict=True):
        first_title = part.forms[0].spec.title
        assert first_title in pdf.flat(rendered, start + offset, start + offset), part.title
        assert f"第{start}页共{file_pages(rendered)}页" in pdf.flat(rendered, start + offset,
                                                                  start + offset)
        if part.title == "走访记录":
            assert "2024年1月11日" in pdf.flat(rendered, start + offset, start + offset)
    last = pdf.pages(rendered)
    assert "卷内备考表" in pdf.flat(rendered, last, last)
    assert "卷内备考表" not in pdf.flat(rendered, 2, 2)


def test_visit_records_fill_the_pages_up_to_the_next_part(rendered, dossier):
    starts = [s + before_files(rendered) for s in catalogue_pages(rendered)]
    visits = starts[1], starts[2]  # 走访记录 starts at [1], 工作日志 at [2]
    text = pdf.flat(rendered, visits[0], visits[1] - 1)
    assert text.count("入户走访记录表") == 24
    assert "入户走访记录表" not in pdf.flat(rendered, visits[1], visits[1])


def test_outline_has_every_part_on_its_page(rendered, dossier):
    entries = pdf.outline(rendered)
    titles = [title for title, _ in entries]
    assert titles[:2] == ["封面", "卷内目录"] and titles[-1] == "卷内备考表"
    starts = [s + before_files(rendered) for s in catalogue_pages(rendered)]
    parts = dossier.ordered_parts()
    for (title, page), part, start in zip(entries[2:-1], parts, starts, strict=True):
        assert title.endswith(part.title) and page == start


def test_cover_and_remarks(rendered, dossier):
    count = pdf.pages(rendered)
    files = file_pages(rendered)
    assert files == count - 3
    cover = pdf.flat(rendered, 1, 1)
    assert "儿童档案" in cover
    for text in (dossier.archive_no, "和小禾一人一档", "青松村", "云岭镇", "永久",
                 "2024年1月8日至2025年12月1日", f"共{files}页"):
        assert text in cover, text
    remarks = pdf.flat(rendered, count, count)
    items = sum(len(p.forms) for p in dossier.parts)
    for text in ("本卷情况说明", "无。", "立卷人王芳", "检查人赵明", "立卷时间2025年12月31日",
                 f"共{files}页", f"本卷共有文件材料{items}件"):
        assert text in remarks, text
    assert "第" not in remarks.split("立卷时间")[1]  # the 备考表 carries no page number


def test_catalogue_columns_and_rows(rendered, dossier):
    text = pdf.flat(rendered, 2, 2)
    assert "卷内目录" in text
    for column in ("顺序号", "文号", "责任者", "题名", "日期", "页号", "备注"):
        assert column in text
    for name in PART_ORDER:
        assert name in text
    assert "20240108" in text  # archive dates as eight digits


def test_whole_file_read_back(rendered, dossier):
    text = pdf.flat(rendered)
    assert text.count(form_samples.CHILD_ID) == 4  # in full: the child's own file
    assert pdf.is_a4(rendered)
    fonts = pdf.fonts(rendered)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    count = pdf.pages(rendered)
    for page in (1, count // 2, count):
        assert "演示数据" in pdf.text(rendered, page, page)
    files = file_pages(rendered)
    assert f"第{files}页共{files}页" in pdf.flat(rendered, count - 1, count - 1)
    assert "第1页" not in pdf.flat(rendered, 1, 1)  # no number on the cover
    assert "第1页" not in pdf.flat(rendered, 2, 2)  # nor on the 卷内目录
    assert "第1页" in pdf.flat(rendered, 3, 3)  # the first file is page 1


def test_part_without_documents(tmp_path):
    dossier = Dossier("D-2", "甲", parts=[DossierPart("儿童基本信息", forms=[]),
                                         DossierPart("走访记录", forms=[form_samples.visit(0,
                                                     form_samples.START, demo=False)])])
    path = render_dossier_pdf(dossier, tmp_path / "d.pdf")
    starts = catalogue_pages(path)
    assert starts == [None, 2]  # the placeholder is no item: no 页号
    catalogue = pdf.flat(path, 2, 2)
    assert "—" in catalogue and "无材料" in catalogue
    assert "本部分暂无材料" in pdf.flat(path, 3, 3)
    assert "本卷共有文件材料1件" in pdf.flat(path, 5, 5)  # the placeholder is not a 件
    assert "演示数据" not in pdf.flat(path)


def test_progress_and_cancel(tmp_path, dossier):
    calls = []
    render_dossier_pdf(dossier, tmp_path / "ok.pdf", progress=lambda d, t: calls.append((d, t)))
    total = calls[-1][1]
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    seen = []

    def cancel_after_ten_pages():
        seen.append(1)
        return len(seen) > 10

    with pytest.raises(ExportCancelled):
        render_dossier_pdf(dossier, tmp_path / "no.pdf", is_cancelled=cancel_after_ten_pages)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.pdf"]
