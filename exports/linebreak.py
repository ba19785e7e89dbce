"""Chinese line breaking for the PDF renderer (GB/T 15834 punctuation, 避头尾).

Text is cut into unbreakable units first, then packed greedily into lines:

- an ID number, a phone number, any run of Latin letters or digits (with the ``-./:@+_``
  that join them), a date in either form (2017年4月9日, 2026-09-10, 2024年3月), a number with
  its unit (66分, 12岁, 3.5万元, 80%), and a short bracketed word such as （签名） stay whole;
- closing punctuation and 、。，；：？！ never start a line: they travel with the unit before;
- opening brackets and quotes never end a line: they travel with the unit after;
- otherwise any two Chinese characters may be separated.

A unit wider than a whole line (a very long number in a narrow column) is cut by characters
as a last resort, so nothing is ever drawn past the line's width.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Closing punctuation and marks that may not start a line (GB/T 15834 行首禁则).
NO_LINE_START = frozenset("，。、；：？！）》」』”’〉】〕〗．…～%％·,.;:?!)]}>")
# Opening brackets and quotes that may not end a line (行尾禁则).
NO_LINE_END = frozenset("（《「『“‘〈【〔〖([{<□☐")  # a tick box stays with its word

NBSP = "\u00a0"
_UNITS = ("周岁|岁|个月|月|年|天|日|周|小时|分钟|分|元|万元|万|千米|公里|米|厘米|千克|公斤|斤|"
          "人次|人|户|次|件|页|项|份|名|个|间|所|%|％|℃|kg|km|cm|mm")
_BRACKET_WORD = r"[（(][^（）()\s]{1,5}[）)]"
_UNIT_RE = re.compile(
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"  # 2017年4月9日, 2024年3月
    r"|\d{1,2}月\d{1,2}日"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # 2026-09-10
    r"|\d+(?:\.\d+)?(?:" + _UNITS + r")"  # 66分, 12岁, 3.5万元
    r"|[A-Za-z0-9][A-Za-z0-9_@+]*(?:[-./:][A-Za-z0-9_@+]+)*"  # IDs, phones, codes, words
    r"|_+"  # blanks to write on
    r"|" + _BRACKET_WORD
    + r"|[ \t\r\f\v\u3000]+"
    r"|."
    , re.S)


def units(text: str) -> list[str]:
    """The unbreakable units of ``text``, with punctuation glued by the 避头尾 rules."""
    out: list[str] = []
    pending_open = ""
    glue_next = False
    for m in _UNIT_RE.finditer(text):
        unit = m.group()
        if unit == NBSP:  # a no-break space joins what is on both sides
            if out:
                out[-1] += unit
            else:
                out.append(unit)
            glue_next = True
            continue
        if glue_next and out and not pending_open:
            out[-1] += unit
            glue_next = unit == NBSP
            continue
        glue_next = False
        if unit in NO_LINE_END:
            pending_open += unit
            continue
        if pending_open:
            unit, pending_open = pending_open + unit, ""
        elif out and (unit[0] in NO_LINE_START) and not out[-1].isspace():
            out[-1] += unit
            continue
        out.append(unit)
    if pending_open:
        if out:
            out[-1] += pending_open
        else:
            out.append(pending_open)
    return out


def atoms(unit: str) -> list[str]:
    """A unit cut into characters, closing punctuation glued to the one before and opening
    brackets to the one after (the last resort for a unit wider than a line)."""
    out: list[str] = []
    pending = ""
    for ch in unit:
        if ch in NO_LINE_END:
            pending += ch
        elif pending:
            out.append(pending + ch)
            pending = ""
        elif out and ch in NO_LINE_START:
            out[-1] += ch
        else:
            out.append(ch)
    if pending:
        out.append(pending)
    return out


def split_lines(text: str, width_of: Callable[[str], float], width: float,
                first_width: float | None = None) -> list[str]:
    """Lines of at most ``width`` (the first at most ``first_width``); hard breaks at "\\n".

    Spaces at the end of a line are dropped; a line never starts with a space it wrapped on.
    """
    lines: list[str] = []
    first = width if first_width is None else first_width
    for raw in text.split("\n"):
        room = first if not lines else width
        current: list[str] = []
        used = 0.0
        for unit in units(raw):
            w = width_of(unit)
            if current and used + w > room:
                if unit.isspace():  # a break at a space swallows it
                    lines.append("".join(current).rstrip(" "))
                    current, used, room = [], 0.0, width
                    continue
                lines.append("".join(current).rstrip(" "))
                current, used, room = [], 0.0, width
            if w > room:  # longer than a whole line: the last resorts
                core = unit.rstrip("".join(NO_LINE_START)).lstrip("".join(NO_LINE_END))
                if (core and core != unit and core[0].isascii() and core[0].isalnum()
                        and width_of(core) <= width):
                    # keep the number whole; its punctuation has to go to the next line
                    start = unit.index(core)
                    pieces = [p for p in (unit[:start], core, unit[start + len(core):]) if p]
                else:  # cut by characters, punctuation kept on its side
                    pieces = atoms(unit)
                for piece in pieces:
                    pw = width_of(piece)
                    if current and used + pw > room:
                        lines.append("".join(current))
                        current, used, room = [], 0.0, width
                    current.append(piece)
                    used += pw
                continue
            current.append(unit)
            used += w
        lines.append("".join(current))
    return lines
