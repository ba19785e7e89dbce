"""The one guard every spreadsheet writer of ours puts each cell value through.

No cell we write is ever a formula. Text that a spreadsheet could take for the start of a
formula (= + - @, a tab or a carriage return; OWASP's CSV-injection list) is stored as a
string cell with Excel's ``quotePrefix`` flag, the flag Excel itself sets when a user types
a leading apostrophe: the text shows unchanged (no apostrophe in the cell, in Excel and
WPS alike), is never calculated, and stays text when the cell is edited. Nothing is
changed or added to the text itself, so what the clerk wrote reads back as written.

Plain Python: works on any object with openpyxl's cell attributes (``value``,
``data_type``, ``quotePrefix``), so ``models`` and ``exports`` share it without either
importing the other. Numbers, dates and booleans are stored as they are.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
# Characters an .xlsx cannot hold (openpyxl refuses them): control characters but tab and
# line breaks.
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def safe_text(text: object) -> str:
    """Text a spreadsheet can store: control characters removed, cut to Excel's limit."""
    return ILLEGAL_CHARACTERS.sub("", str(text))[:MAX_CELL_TEXT]


def could_be_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def put_text(cell, text: object) -> None:
    """Store ``text`` in ``cell`` as text that can never become a formula."""
    value = safe_text(text) if text is not None else ""
    cell.value = value or None
    if value and could_be_formula(value):
        cell.data_type = "s"  # openpyxl marks text starting with "=" as a formula
        cell.quotePrefix = True


def put_value(cell, value: object) -> None:
    """Store any value: numbers, dates and booleans as such, everything else as safe text."""
    if value is None or isinstance(value, (bool, int, float, Decimal, date, datetime, time)):
        cell.value = value
    else:
        put_text(cell, value)
