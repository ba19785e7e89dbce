"""Shared by the county-table export tests: a scratch archive with known children, and
Annex 1 counts made independently (a plain loop over ``child_state``; never ``annex1``)."""

from collections import Counter
from datetime import date

from models.profiles import get_profile
from models.rules import child_state
from models.snapshot import load_facts

TODAY = date.today()
FORMULA_NAME = "=1+1"
COLOUR_WORDS = {"red": "红色", "yellow": "黄色", "blue": "蓝色", "green": "绿色"}

ROW_OF = {
    ("red", "遭受侵害"): 1, ("red", "脱离监护"): 2, ("red", "监护缺失"): 3, ("red", "自杀自残"): 4,
    ("yellow", "监护严重不足"): 1, ("yellow", "父母均重残"): 2, ("yellow", "父母均服刑"): 3,
    ("yellow", "辍学"): 4, ("yellow", "父母均有恶习"): 5,
    ("blue", "孤儿"): 1, ("blue", "事实无人抚养"): 2, ("blue", "监护不足"): 3, ("blue", "重残"): 4,
    ("blue", "心理行为异常"): 5, ("blue", "父母一方有恶习"): 6,
}
OTHER_ROW = {"red": 5, "yellow": 6, "blue": 7, "green": 4}
GREEN_ROWS = ((1, {"低保"}), (2, {"低保边缘", "支出型困难"}), (3, {"特困"}))


def in_scope_states(on=TODAY):
    profile = get_profile("changzhi")
    out = []
    for facts in load_facts():
        state = child_state(facts, on, profile)
        if facts.entered_on <= on and not state.closed and (state.categories or state.single_parent):
            out.append((facts, state))
    return out


def _rows_of_child(state) -> set[int]:
    if state.colour == "green":
        return {n for n, words in GREEN_ROWS if words & set(state.categories)} or {4}
    words = {c.word for c in state.colour_criteria if c.colour == state.colour}
    return {ROW_OF.get((state.colour, w), OTHER_ROW[state.colour]) for w in words} or \
        {OTHER_ROW[state.colour]}


def independent_annex1(on=TODAY) -> Counter:
    """(colour, n) / (colour, "subtotal") / "total" -> number of children."""
    counts = Counter()
    for _facts, state in in_scope_states(on):
        counts["total"] += 1
        counts[(state.colour, "subtotal")] += 1
        for n in _rows_of_child(state):
            counts[(state.colour, n)] += 1
    return counts


def parse_annex1_lines(lines) -> dict:
    """Printed Annex 1 lines (level, item, count) -> the same keys as ``independent_annex1``.

    ``level`` may be empty where a merged cell continues; the of-whom lines are skipped.
    """
    out, colour = {}, None
    for level, item, count in lines:
        level, item = (level or "").replace("\n", ""), (item or "").replace("\n", "")
        for code, word in COLOUR_WORDS.items():
            if word in level:
                colour = code
        if item == "人数合计":
            out["total"] = count
        elif item == "人数小计":
            out[(colour, "subtotal")] = count
        elif item[:1].isdigit():
            out[(colour, int(item.split(".")[0]))] = count
    return out
