"""School terms for the list to 教育: which term is next, and how a term is written."""

from datetime import date

import pytest

from forms.school_term import next_term, parse_term


@pytest.mark.parametrize(("on", "code", "starts"), [
    (date(2026, 12, 7), "2027春", date(2027, 3, 1)),
    (date(2027, 2, 28), "2027春", date(2027, 3, 1)),
    (date(2027, 3, 1), "2027秋", date(2027, 9, 1)),  # on the first day that term's list is late
    (date(2027, 8, 31), "2027秋", date(2027, 9, 1)),
    (date(2027, 9, 1), "2028春", date(2028, 3, 1)),
])
def test_the_next_term_is_the_first_to_start_after_the_day(on, code, starts):
    term = next_term(on)
    assert (term.code, term.starts_on) == (code, starts)


def test_a_county_can_set_its_own_first_days():
    term = next_term(date(2027, 2, 20), spring=(2, 17), autumn=(8, 28))
    assert (term.code, term.starts_on) == ("2027秋", date(2027, 8, 28))


@pytest.mark.parametrize("text", ["2027春", " 2027年春季学期 ", "2027春季", "2027年春"])
def test_a_term_is_read_in_the_ways_people_write_it(text):
    term = parse_term(text)
    assert term.label == "2027年春季学期" and term.starts_on == date(2027, 3, 1)


@pytest.mark.parametrize("text", ["", "2027", "2027夏", "春2027", "1999秋", "２０２７春x"])
def test_anything_else_is_refused_in_chinese(text):
    with pytest.raises(ValueError, match="学期应写作"):
        parse_term(text)
