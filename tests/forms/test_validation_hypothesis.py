"""Any value in any field of any form: validation never crashes, and every rejection is a
Chinese sentence that starts with the field's label."""

import re
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.registry import FORMS
from forms.spec import validate, validate_row

CJK = re.compile(r"[\u4e00-\u9fff]")
SPECS = list(FORMS.values())

odd_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
date_like = st.builds(lambda y, m, d, sep: f"{y}{sep[0]}{m}{sep[1]}{d}{sep[2]}",
                      st.integers(-99999, 99999), st.integers(-5, 99), st.integers(-5, 99),
                      st.sampled_from([("-", "-", ""), ("/", "/", ""), ("年", "月", "日"),
                                       (".", ".", ""), ("", "", "")]))
enormous = st.sampled_from(["字" * 100_000, "9" * 50_000, " " * 20_000, "、" * 30_000,
                            "2025-01-01" * 5_000])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 1)), st.just(""), odd_text, date_like, enormous,
    st.binary(max_size=20), st.decimals(allow_nan=True),
    st.sampled_from(["是", "否", "有", "无", "0", "1", "男", "女", "110101201501011234",
                     "11010120150101123X", "13812345678", "0871-12345678", "\u202e", "\x00",
                     "\U0001F600", "NaN", "-inf", "1e999", "\ufeff2025-01-01"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.sets(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), inner, max_size=3)), max_leaves=6)


@st.composite
def form_and_values(draw):
    spec = draw(st.sampled_from(SPECS))
    fields = list(spec.fields())
    chosen = draw(st.lists(st.sampled_from(fields), unique_by=lambda f: f.key,
                           max_size=len(fields))) if fields else []
    vals = {f.key: draw(values) for f in chosen}
    extra = draw(st.dictionaries(st.text(max_size=8), values, max_size=2))
    return spec, {**extra, **vals}


def assert_messages(errors, fields_by_key):
    assert isinstance(errors, dict)
    for key, message in errors.items():
        label = fields_by_key[key].label
        assert isinstance(message, str)
        assert message.startswith(f"{label}："), message
        assert CJK.search(message[len(label) + 1:]), message


@settings(max_examples=1000, deadline=None)
@given(form_and_values())
def test_form_validation_never_crashes(case):
    spec, vals = case
    errors = validate(spec, vals)
    assert_messages(errors, {f.key: f for f in spec.fields()})
    required = {f.key for f in spec.fields() if f.required}
    for key in required - set(vals):
        assert key in errors and "必填" in errors[key]


@st.composite
def table_row(draw):
    sections = [s for spec in SPECS for s in spec.table_sections()]
    section = draw(st.sampled_from(sections))
    chosen = draw(st.lists(st.sampled_from(section.columns), unique_by=lambda c: c.key,
                           max_size=len(section.columns)))
    return section, {c.key: draw(values) for c in chosen}


@settings(max_examples=1000, deadline=None)
@given(table_row())
def test_table_row_validation_never_crashes(case):
    section, row = case
    assert_messages(validate_row(section, row), {c.key: c for c in section.columns})


def test_every_form_is_covered():
    assert len(SPECS) == len(FORMS) >= 8
    assert all(any(True for _ in spec.fields()) or spec.table_sections() for spec in SPECS)


MULTICHOICE = [(spec, f) for spec in SPECS for f in spec.fields() if f.kind == "multichoice"]


@pytest.mark.parametrize("value", [True, 0, 1.5, date(2025, 1, 1)])
def test_multichoice_scalar_is_rejected(value):
    # Once a crash (a scalar was iterated as if it were a list of words).
    spec, f = MULTICHOICE[0]
    errors = validate(spec, {f.key: value})
    assert errors[f.key].startswith(f"{f.label}：") and CJK.search(errors[f.key])
