"""Pinyin search keys for names (zs → 张三, zhangsan → 张三, zengjie and zj → 曾杰).

A name is found by every reading of its characters: pypinyin's ``heteronym=True`` gives 曾 both
ceng and zeng. pypinyin has no surname mode, so a small table gives the reading a character
takes as a surname (曾 zeng, 单 shan …); that reading is the one the list sorts by.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

# Characters whose reading as a surname differs from their most common reading.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "翟": "zhai",
    "区": "ou", "朴": "piao", "盖": "ge", "覃": "qin", "缪": "miao", "尉": "yu",
    "乐": "yue", "任": "ren", "种": "chong", "秘": "bi", "隗": "wei", "繁": "po",
    "折": "she", "召": "shao", "宓": "mi", "柏": "bai", "长": "chang", "都": "du",
    "员": "yun", "过": "guo", "句": "gou", "教": "jiao", "澹": "tan", "沈": "shen",
    "薄": "bo", "祭": "zhai", "相": "xiang", "重": "chong", "车": "che", "曲": "qu",
    "朝": "chao", "黑": "he", "纪": "ji", "恽": "yun", "华": "hua", "冼": "xian",
    "蕃": "pi", "藏": "zang", "那": "na", "能": "nai", "阚": "kan", "应": "ying",
}
# Two-character surnames read as a whole.
COMPOUND_SURNAMES = {
    "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"), "澹台": ("tan", "tai"),
}
MAX_VARIANTS = 24  # a name of many many-reading characters keeps its likeliest readings


@lru_cache(maxsize=16384)
def _char_readings(char: str) -> tuple[str, ...]:
    """Every reading of one character, its most common one first (cached: names share
    characters, and a ledger of 10,000 children should not ask pypinyin 30,000 times)."""
    from pypinyin import Style, pinyin  # 0.3 s to import: only when a name is written

    common = pinyin(char, style=Style.NORMAL, errors="default")[0][0].lower()
    found = pinyin(char, heteronym=True, style=Style.NORMAL, errors="default")[0]
    return (common, *(r.lower() for r in found if r.lower() != common))


def _readings(name: str) -> tuple[list[str], list[list[str]]]:
    """(the reading to sort by, every reading) per character; other characters are dropped."""
    text = "".join(c for c in name if "\u3400" <= c <= "\u9fff" or c.isalnum())
    if not text:
        return [], []
    every = [list(_char_readings(c)) if "\u3400" <= c <= "\u9fff" else [c.lower()]
             for c in text]
    surname = COMPOUND_SURNAMES.get(text[:2])
    if surname and len(text) > 2:
        for i, reading in enumerate(surname):
            every[i] = [reading] + [r for r in every[i] if r != reading]
    elif text[0] in SURNAME_READINGS:
        reading = SURNAME_READINGS[text[0]]
        every[0] = [reading] + [r for r in every[0] if r != reading]
    return [r[0] for r in every], every


def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of the reading the list sorts by, lower case without spaces."""
    primary, _ = _readings(name or "")
    return "".join(primary), "".join(s[0] for s in primary if s)


def name_search_keys(name: str) -> str:
    """Every full reading and every initials string, space-separated with a space at each end.

    The search box matches `` text`` inside it, so any reading's prefix finds the name.
    """
    primary, every = _readings(name or "")
    if not primary:
        return ""
    keys: list[str] = []
    for combo in product(*every):
        for key in ("".join(combo), "".join(s[0] for s in combo if s)):
            if key not in keys:
                keys.append(key)
        if len(keys) >= 2 * MAX_VARIANTS:
            break
    return " " + " ".join(keys) + " "


def name_keys(name: str) -> dict:
    """The three search columns of a child, as the writer and the migration store them."""
    full, initials = name_pinyin(name)
    return {"pinyin": full, "pinyin_initials": initials, "pinyin_keys": name_search_keys(name)}
