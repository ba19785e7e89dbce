"""Checks shared by every way data comes in (the editors, the Excel ledger): one rule each.

- phone numbers: one rule, "+86" and spaces accepted, stored normalised;
- dates: not before 1900, not after today where the paper records something that happened;
- a date that ends something is not before the date that started it.

Plain Python; the messages are Chinese, without the field's label (the caller adds it).
"""

from __future__ import annotations

import re
from datetime import date

EARLIEST_YEAR = 1900
WORKS_AWAY = ("外出务工",)  # the parent status that has a workplace, distance and date away

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?[1-9]\d{6,7}(-\d{1,6})?$")
_LOCAL = re.compile(r"^[2-9]\d{6,7}(-\d{1,6})?$")
_SEPARATORS = re.compile(r"[、，,;；/]+")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－（）　", "0123456789+-() ")
PHONE_RULE = "应为11位手机号或固定电话（如 0355-1234567），可带 +86，多个号码用“、”分开"


def _one_phone(text: str) -> str:
    """One number without spaces, country code or brackets (the form it is stored in)."""
    text = text.translate(_FULL_WIDTH)
    text = re.sub(r"[\s\u00a0]", "", text)
    text = text.replace("转", "-")
    text = re.sub(r"^\((0\d{2,3})\)", r"\1-", text)
    for prefix in ("+86", "0086", "(+86)", "(86)"):
        if text.startswith(prefix):
            text = text[len(prefix):].lstrip("-")
            if text and text[0] != "1" and text[0] != "0":
                text = "0" + text  # a landline's area code without its leading 0
            break
    else:
        if text.startswith("86") and _MOBILE.match(text[2:]):
            text = text[2:]
    if re.fullmatch(r"1[3-9]\d-?\d{4}-?\d{4}", text):
        text = text.replace("-", "")
    return text


def normalise_phone(value) -> str:
    """The stored form of one or more phone numbers: "+86 138 1234 5678" → "13812345678".

    Several numbers are joined with "、". Text that is not a phone number comes back as
    typed (``phone_problem`` says why).
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return ""
    parts = [p for p in _SEPARATORS.split(text.translate(_FULL_WIDTH)) if p.strip()]
    numbers = [_one_phone(p) for p in parts]
    if all(_is_phone(n) for n in numbers):
        return "、".join(numbers)
    return text


def _is_phone(number: str) -> bool:
    return bool(_MOBILE.match(number) or _LANDLINE.match(number) or _LOCAL.match(number))


def phone_problem(value) -> str | None:
    """None when ``value`` is one or more phone numbers, else the Chinese rule."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return PHONE_RULE
    if isinstance(value, float) and not value.is_integer():
        return PHONE_RULE
    text = str(int(value) if isinstance(value, float) else value).strip()
    parts = [p for p in _SEPARATORS.split(text.translate(_FULL_WIDTH)) if p.strip()]
    if not parts or not all(_is_phone(_one_phone(p)) for p in parts):
        return PHONE_RULE
    return None


def future_problem(day: date, today: date | None = None) -> str | None:
    today = today or date.today()
    if day > today:
        return f"不能晚于今天（{day.isoformat()} 还没到）"
    return None


def too_early_problem(day: date) -> str | None:
    if day.year < EARLIEST_YEAR:
        return f"{day.isoformat()}早于{EARLIEST_YEAR}年，请核对"
    return None


def order_problem(day: date, earlier: date, earlier_label: str) -> str | None:
    """``day`` ends what ``earlier`` started: it may not come first."""
    if day < earlier:
        return f"不能早于{earlier_label}（{earlier.isoformat()}）"
    return None


def only_when_problem(filled: bool, needed: bool, other_label: str, other_value: str,
                      allowed: tuple[str, ...], required: bool) -> str | None:
    """A field that belongs only to some values of another field (务工地点 only when 外出务工)."""
    words = "或".join(f"“{a}”" for a in allowed)
    if filled and not needed:
        shown = f"“{other_value}”" if other_value else "未填写"
        return f"{other_label}为{shown}时不填写；只有{other_label}为{words}时才填写"
    if not filled and needed and required:
        return f"{other_label}为{words}时必须填写"
    return None
