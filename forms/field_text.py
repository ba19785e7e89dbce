"""A field's value as text and back: how a stored value shows in an editor or the history,
and what typed text is stored as (by the field's kind)."""

from __future__ import annotations

from datetime import date

from forms import vocab
from forms.checks import normalise_phone
from forms.idnumber import normalise_id_number
from forms.spec import NO, YES, Field, as_bool, as_words, is_empty, parse_date


def display_text(f: Field, value) -> str:
    """How a stored value shows in its widget."""
    if is_empty(value):
        return ""
    if f.kind == "date":
        try:
            return parse_date(value).isoformat()
        except ValueError:
            return str(value)
    if f.kind == "bool":
        try:
            flag = as_bool(value)
        except ValueError:
            return str(value)
        return "" if flag is None else (YES if flag else NO)
    if f.kind == "multichoice":
        return vocab.join_multi(as_words(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_python(f: Field, value):
    if is_empty(value):
        return None if f.kind in ("date", "bool", "number") else ""
    if f.kind == "date":
        return parse_date(value) if not isinstance(value, date) else value
    if f.kind == "bool":
        return as_bool(value)
    if f.kind == "number":
        number = float(str(value).strip())
        return int(number) if number.is_integer() else number
    if f.kind == "multichoice":
        return vocab.join_multi(as_words(value))
    if f.kind == "id_number":
        return normalise_id_number(str(value))
    if f.kind == "phone":
        return normalise_phone(value)
    return str(value).strip() if f.kind != "multiline" else str(value).rstrip()
