"""Work the PDF renderer does once instead of for every table or font subset, with the
same result: a table style's effect per table shape, the font's glyph table."""

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Table

from exports import fonts
from exports.pdf_layout import styled_table, table_style


def test_styled_tables_of_one_shape_share_what_set_style_gives():
    style = table_style([("GRID", (0, 0), (-1, -1), 0.6, colors.grey),
                         ("COLBACKGROUNDS", (0, 0), (-1, -1), [colors.whitesmoke, None]),
                         ("ALIGN", (0, 0), (0, 0), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    reference = Table([["姓名", "和小禾", "性别", "女"]], colWidths=[30] * 4)
    reference.setStyle(style)
    first = styled_table([["姓名", "和小禾", "性别", "女"]], style, colWidths=[30] * 4)
    second = styled_table([["住址", "青松村", "电话", "138"]], style, colWidths=[40] * 4)
    for table in (first, second):
        assert [vars(c) for c in table._cellStyles[0]] == \
            [vars(c) for c in reference._cellStyles[0]]
        assert table._linecmds == reference._linecmds
        assert table._bkgrndcmds == reference._bkgrndcmds
    assert second._cellStyles is first._cellStyles
    assert second._linecmds is not first._linecmds
    assert second._cellvalues[0][1] == "青松村" and second._colWidths == [40] * 4


def test_glyph_table_is_read_in_place_and_gives_the_same_bytes():
    face = pdfmetrics.getFont(fonts.register_fonts().body).face
    pos, length = face.get_table_pos("glyf")
    whole = face._ttf_data[pos:pos + length]
    table = face.get_table("glyf")
    assert not isinstance(table, bytes)  # no copy of the whole table
    assert len(table) == len(whole)
    for start, end in ((0, 40), (length // 2, length // 2 + 333), (length - 7, length)):
        assert table[start:end] == whole[start:end]
        assert isinstance(table[start:end], bytes)
    assert table[5] == whole[5]
    assert face.get_table("head") == face._ttf_data[slice(*_span(face, "head"))]


def _span(face, tag):
    pos, length = face.get_table_pos(tag)
    return pos, pos + length
