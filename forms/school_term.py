"""School terms for the list to 教育 (长治 二(三)12: "分别在寒、暑假开学前").

The plan names the two moments (before the spring term, after the winter holiday; before the
autumn term, after the summer holiday) but no dates. The first days used here are local
practice (本地做法) that a county can change in its settings (``models.server.county_settings``):
``SPRING_STARTS`` 3月1日 and ``AUTUMN_STARTS`` 9月1日 by default.

A term is written ``2027春`` or ``2026秋`` on the command line and ``2027年春季学期`` on paper.
"""

import re
from dataclasses import dataclass
from datetime import date

SPRING, AUTUMN = "春", "秋"
SPRING_STARTS = (3, 1)  # 本地做法 (month, day)
AUTUMN_STARTS = (9, 1)  # 本地做法
_TERM = re.compile(r"^\s*(\d{4})\s*年?\s*(春|秋)\s*(季)?\s*(学期)?\s*$")


@dataclass(frozen=True)
class SchoolTerm:
    year: int
    season: str  # 春 / 秋
    starts_on: date

    @property
    def label(self) -> str:
        return f"{self.year}年{self.season}季学期"

    @property
    def code(self) -> str:
        return f"{self.year}{self.season}"


def term(year: int, season: str, spring: tuple[int, int] = SPRING_STARTS,
         autumn: tuple[int, int] = AUTUMN_STARTS) -> SchoolTerm:
    month, day = spring if season == SPRING else autumn
    return SchoolTerm(year, season, date(year, month, day))


def next_term(on: date, spring: tuple[int, int] = SPRING_STARTS,
              autumn: tuple[int, int] = AUTUMN_STARTS) -> SchoolTerm:
    """The first term that starts after ``on`` (on its first day, that term's list is late:
    the next one is meant)."""
    for candidate in (term(on.year, SPRING, spring, autumn), term(on.year, AUTUMN, spring, autumn)):
        if candidate.starts_on > on:
            return candidate
    return term(on.year + 1, SPRING, spring, autumn)


def parse_term(text: str, spring: tuple[int, int] = SPRING_STARTS,
               autumn: tuple[int, int] = AUTUMN_STARTS) -> SchoolTerm:
    """``2027春`` / ``2026年秋季学期`` → the term; ValueError in Chinese otherwise."""
    found = _TERM.match(text or "")
    if not found or not 2000 <= int(found.group(1)) <= 2100:
        raise ValueError(f"学期应写作“2027春”或“2026秋”，而不是“{text}”")
    return term(int(found.group(1)), found.group(2), spring, autumn)
