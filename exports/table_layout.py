"""What the Excel, Word and PDF renderers of county tables share: titles, header line, merges.

Plain functions over ``forms.spec`` objects; no rendering library here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from forms.county_tables import ROW_COLOUR, ROW_STYLE, TableLayout, layout_of
from forms.spec import ROW_UNITS, Field, FilledForm, Section, format_value, parse_date

DEMO_SUFFIX = "（演示数据）"
FULL_SPACE = "\u3000"

# Light tints of the four risk colours, as RGB hex (cells of the colour column).
TINTS = {"red": "F8C8C8", "yellow": "FFF0B3", "blue": "CCE0F5", "green": "D5EFD5"}

__all__ = ["DEMO_SUFFIX", "ROW_COLOUR", "ROW_STYLE", "TINTS", "TableLayout", "cell_text",
           "display_title", "fitting_cell_text", "header_grid", "header_line", "header_pairs",
           "layout_of", "merge_runs", "sections_to_print", "weights"]


def display_title(filled: FilledForm) -> str:
    """The title as printed; demo data says so in the title itself."""
    return filled.spec.title + (DEMO_SUFFIX if filled.demo else "")


def header_pairs(filled: FilledForm) -> list[tuple[str, str]]:
    """(label, printed value) of every field of the form's "fields" sections."""
    return [(f.label, filled.text_of(f))
            for s in filled.spec.sections if s.kind == "fields" for f in s.fields]


def header_line(filled: FilledForm, gap: int = 4) -> str:
    """填报单位：丹朱镇　　　　填报人：……, a blank run where a value is missing."""
    parts = [f"{label}：{value or FULL_SPACE * 6}" for label, value in header_pairs(filled)]
    return (FULL_SPACE * gap).join(parts)


def header_grid(filled: FilledForm, landscape: bool) -> list[list[str]]:
    """The header as rows of "label：value" cells: a full-width field (报送单位) alone on a
    row, the others four to a row on landscape pages and two on portrait ones."""
    fields = [f for s in filled.spec.sections if s.kind == "fields" for f in s.fields]
    cells = [(f"{f.label}：{filled.text_of(f)}", f.span >= ROW_UNITS) for f in fields]
    rows = [[text] for text, wide in cells if wide]
    short = [text for text, wide in cells if not wide]
    per_row = max(1, min(4 if landscape else 2, len(short)))
    for start in range(0, len(short), per_row):
        chunk = short[start:start + per_row]
        rows.append(chunk + [""] * (per_row - len(chunk)))
    return rows


def sections_to_print(filled: FilledForm) -> list[Section]:
    return filled.spec.table_sections()


def cell_text(column: Field, row: dict) -> str:
    """A cell as printed; dates in the compact 2026-11-01 form that fits a narrow column."""
    value = row.get(column.key)
    if column.kind == "date" and isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return format_value(column, value)


def fitting_cell_text(column: Field, row: dict, fits: Callable[[str], bool]) -> str:
    """A list cell as printed: a date in the compact 2024-01-18 when 2024年1月18日 does not
    fit its column on one line (``fits``), so that no line break falls inside it."""
    text = format_value(column, row.get(column.key))
    if column.kind != "date" or not text or fits(text):
        return text
    try:
        return f"{parse_date(row.get(column.key)):%Y-%m-%d}"
    except ValueError:
        return text


def weights(columns: tuple[Field, ...]) -> list[float]:
    return [float(c.width or 1) for c in columns]


def merge_runs(rows: list[dict], key: str) -> list[tuple[int, int]]:
    """(first, last) row indexes of runs of two or more equal, non-empty values of ``key``."""
    runs, start = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].get(key) != rows[start].get(key):
            if i - start > 1 and rows[start].get(key) not in (None, ""):
                runs.append((start, i - 1))
            start = i
    return runs
