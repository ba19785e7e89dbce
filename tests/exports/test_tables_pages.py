"""The county tables are drawn on the pages of exports/pdf_layout.py and
exports/word_document.py: Annex 1 on the forms' own page (GB/T 9704), the wide tables on
landscape A4, one decoration for all."""

from exports import pdf_layout, tables, word_document
from exports.table_layout import layout_of
from forms import county_tables as ct


def test_annex1_uses_the_forms_page_and_wide_tables_landscape():
    portrait, wide = layout_of(ct.ANNEX1), layout_of(ct.ANNEX2)
    assert tables.pdf_page(portrait) is pdf_layout.STANDARD_PAGE
    assert tables.word_page(portrait) is word_document.STANDARD_PAGE
    landscape = tables.pdf_page(wide)
    assert landscape.size[0] > landscape.size[1] and tables.word_page(wide).width == 297
    assert 0 < landscape.footer_y < landscape.bottom  # below the text block, on the paper

