"""Names (of children, parents, carers, villages, 儿童主任…): characters that have no place
in them.

Invisible characters (zero-width space, joiners, the byte-order mark…) and direction
controls (right-to-left overrides and isolates) come in when a name is copied from a web
page, a chat program or another document. They make two equal-looking names different
(a duplicate child, a second village of the same name) and can make a printed name read
in another order. Refused in one place: the form validation (``forms.spec``), the ledger
import (``forms.ledger``) and the 儿童主任 records all ask ``name_problem``.
"""

from __future__ import annotations

import unicodedata

INVISIBLE = {
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\u200d": "零宽连接符",
    "\u2060": "零宽不换行符",
    "\ufeff": "字节顺序标记（零宽不换行空格）",
    "\u00ad": "软连字符",
    "\u180e": "蒙古文元音分隔符",
    "\u2061": "不可见函数符", "\u2062": "不可见乘号", "\u2063": "不可见分隔符", "\u2064": "不可见加号",
    "\u034f": "组合字形连接符",
    "\u115f": "谚文初声填充符", "\u1160": "谚文中声填充符", "\u3164": "谚文填充符",
    "\uffa0": "半角谚文填充符",
}
DIRECTION = {
    "\u200e": "从左至右标记（LRM）",
    "\u200f": "从右至左标记（RLM）",
    "\u061c": "阿拉伯字母标记（ALM）",
    "\u202a": "从左至右嵌入（LRE）",
    "\u202b": "从右至左嵌入（RLE）",
    "\u202c": "方向格式结束（PDF）",
    "\u202d": "从左至右强制（LRO）",
    "\u202e": "从右至左强制（RLO）",
    "\u2066": "从左至右隔离（LRI）",
    "\u2067": "从右至左隔离（RLI）",
    "\u2068": "首字方向隔离（FSI）",
    "\u2069": "方向隔离结束（PDI）",
}

_NAME_KEYS = frozenset({"name", "village", "township", "director", "visitor"})


def is_name_key(key: str) -> bool:
    """Whether a field or ledger column with this key holds a name."""
    return key in _NAME_KEYS or key.endswith("_name")


def _describe(ch: str) -> str | None:
    if ch in DIRECTION:
        return f"文字方向控制符“{DIRECTION[ch]}”"
    if ch in INVISIBLE:
        return f"看不见的字符“{INVISIBLE[ch]}”"
    # Any other format control (tags, interlinear marks…). Private-use characters stay
    # allowed: some registration systems keep rare characters of names there.
    if unicodedata.category(ch) == "Cf":
        return "看不见的格式控制字符"
    return None


def name_problem(text: object) -> str | None:
    """The Chinese message (without the field's label) when ``text`` holds a character
    that does not belong in a name, naming the first such character and how to fix it."""
    if not isinstance(text, str):
        return None
    for position, ch in enumerate(text, start=1):
        what = _describe(ch)
        if what is not None:
            return (f"第{position}个字符是{what}（U+{ord(ch):04X}），通常是从网页、微信或其他文档复制时"
                    "带进来的。请删除该字符：清空这一项后用键盘重新输入，不要粘贴。")
    return None
