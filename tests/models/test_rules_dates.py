"""Age in 周岁: the birthday counts; born on 29 February, the birthday of a common year is 28 February."""

from datetime import date

import pytest

from models.rules.dates import age_on, birthday


@pytest.mark.parametrize("on, age", [
    (date(2026, 2, 27), 13),
    (date(2026, 2, 28), 14),  # 民法典 第二百零二条: no 29 February in 2026, the month's last day
    (date(2026, 3, 1), 14),
    (date(2028, 2, 28), 15),
    (date(2028, 2, 29), 16),  # a leap year has the day itself
])
def test_born_on_29_february(on, age):
    assert age_on(date(2012, 2, 29), on) == age


def test_the_birthday_itself_counts():
    assert age_on(date(2010, 6, 15), date(2026, 6, 14)) == 15
    assert age_on(date(2010, 6, 15), date(2026, 6, 15)) == 16
    assert birthday(date(2012, 2, 29), 14) == date(2026, 2, 28)
    assert birthday(date(2012, 2, 29), 16) == date(2028, 2, 29)
