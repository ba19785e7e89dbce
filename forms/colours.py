"""The risk colour in words: every way the program writes a colour, in one place.

The colours and their words are the vocabulary's (``forms.vocab.COLOURS``, ``COLOUR_NAMES``,
``COLOUR_LEVELS``); how they are put together for a reader is decided here:

| function                        | text             | where                                   |
|---------------------------------|------------------|-----------------------------------------|
| ``colour_name(c)``              | 红色             | lists, charts, messages of the rules    |
| ``colour_name(c, manual=True)`` | 红色（人工）     | the children list, ``check``'s table    |
| ``risk_level(c)``               | 红色 高风险      | the form's 风险等级 (its choices), the  |
|                                 |                  | dossier, spot-check lists and packet,   |
|                                 |                  | the filter box, the file's badge        |
| ``level_with_colour(c)``        | 高风险（红色）   | the county lists and their notes        |
| ``level_with_colour(c, "等级")``| 高风险等级（红色）| Annex 1 (the plans' 分级分色 headings) |
| ``colour_with_level(c)``        | 红色（高风险）   | ``check``'s summary line                |

A colour that is not one of the four (none yet, a damaged row) is written as "".
"""

from __future__ import annotations

from forms.vocab import COLOUR_LEVELS, COLOUR_NAMES


def colour_name(colour: str | None, manual: bool = False) -> str:
    """红色; 红色（人工） for a colour the township set by hand."""
    name = COLOUR_NAMES.get(colour or "", "")
    return f"{name}（人工）" if name and manual else name


def risk_level(colour: str | None, between: str = " ") -> str:
    """红色 高风险: the wording of the forms' 风险等级 (``between`` may be a line break)."""
    if colour not in COLOUR_NAMES:
        return ""
    return f"{COLOUR_NAMES[colour]}{between}{COLOUR_LEVELS[colour]}"


def level_with_colour(colour: str | None, level_suffix: str = "") -> str:
    """高风险（红色）, or 高风险等级（红色） with ``level_suffix="等级"``: the plans' wording."""
    if colour not in COLOUR_NAMES:
        return ""
    return f"{COLOUR_LEVELS[colour]}{level_suffix}（{COLOUR_NAMES[colour]}）"


def colour_with_level(colour: str | None) -> str:
    """红色（高风险）"""
    if colour not in COLOUR_NAMES:
        return ""
    return f"{COLOUR_NAMES[colour]}（{COLOUR_LEVELS[colour]}）"
