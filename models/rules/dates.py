"""Calendar arithmetic shared by the rules.

Month steps clamp to the month's end (2026-01-31 + 1 month = 2026-02-28), as
``dateutil.relativedelta`` does; birthdays on 29 February fall on 28 February in other years.
"""

from calendar import isleap
from datetime import date
from functools import lru_cache

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_days(year: int, month: int) -> int:
    return 29 if month == 2 and isleap(year) else _MONTH_DAYS[month - 1]


@lru_cache(maxsize=65536)
def add_months(day: date, months: int) -> date:
    # Same result as ``day + relativedelta(months=months)``, without its per-call cost; cached
    # because the rules ask about the same few thousand days for every child of an archive.
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if day.day <= 28:
        return date(year, month, day.day)
    return date(year, month, min(day.day, month_days(year, month)))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def birthday(birth: date, age: int) -> date:
    """The day the child turns ``age``.

    A child born on 29 February turns ``age`` on 28 February of a common year. Age in
    周岁 is a period counted in years from the birth (公历的年、月、日), and 《中华人民共和国
    民法典》第二百零二条 says: "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有
    对应日的，月末日为期间的最后一日" — February 2026 has no 29th, so its last day, the 28th,
    is the day the years are complete. The birthday itself counts, as the rules have always
    counted it (``add_months`` clamps like ``relativedelta``), so the state, the deadlines and
    every age shown agree: born 2012-02-29 is 14 on 2026-02-28. (For criminal responsibility,
    法释〔2006〕1号 第二条 counts 周岁 from the day after the birthday; the plans set no such
    rule, so the program keeps the civil-law count.)
    """
    return add_years(birth, age)


def age_on(birth: date, on: date) -> int:
    """Whole years (周岁) completed on ``on``, the birthday itself counting (see
    ``birthday``); the one age of the program: the rules, the lists, the file header, the
    printed forms and the county tables all call this."""
    years = on.year - birth.year
    return years if on >= birthday(birth, years) else years - 1


def fmt(day: date | None) -> str:
    return day.isoformat() if day else ""


def fmt_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
