"""Risk colour (分级分色, DOMAIN.md §3 and §6; 普宁 三)."""

from dataclasses import dataclass, field
from datetime import date

from forms import vocab
from models.facts import ChildFacts
from models.profiles import Profile
from models.rules.dates import fmt
from models.rules.hardship import hardship_categories

RANK = {"green": 0, "blue": 1, "yellow": 2, "red": 3}
_CRITERION_COLOUR = {
    **{c: "red" for c in vocab.RED_CRITERIA},
    **{c: "yellow" for c in vocab.YELLOW_CRITERIA},
    **{c: "blue" for c in vocab.BLUE_CRITERIA},
}
# 困境 categories that are blue criteria; HIV-infected children count with 孤儿 (普宁 二(二)1).
BLUE_CATEGORIES = {"孤儿": "孤儿", "艾滋病病毒感染": "孤儿", "事实无人抚养": "事实无人抚养", "重残": "重残"}
ASSESSMENT_COLOURS = {"中高风险": "yellow", "高风险": "red"}
ASSESSMENT_CRITERION = "家庭监护能力评估"


@dataclass(frozen=True)
class Criterion:
    """One reason for a colour: a vocabulary criterion (recorded or derived)."""
    colour: str
    word: str  # a vocab risk criterion, a 困境 word (孤儿, 事实无人抚养, 重残) or ASSESSMENT_CRITERION
    since: date  # when it was found (derived ones: the day the child entered the archive)
    reason: str


@dataclass(frozen=True)
class ColourResult:
    colour: str
    manual: bool
    reasons: list[str]
    red_since: date | None
    criteria: tuple[Criterion, ...] = field(default=())


def criterion_colour(word: str) -> str | None:
    return _CRITERION_COLOUR.get(word)


def _recorded(child: ChildFacts, on: date) -> list[Criterion]:
    out = []
    for f in child.risk_findings:
        colour = _CRITERION_COLOUR.get(f.criterion)
        if colour and f.found_on <= on and (f.resolved_on is None or f.resolved_on > on):
            out.append(Criterion(colour, f.criterion, f.found_on, f"{f.criterion}（{fmt(f.found_on)}发现）"))
    return out


def _derived(child: ChildFacts, on: date, categories) -> list[Criterion]:
    since = min(child.entered_on, on)
    father, mother = child.parent("父亲"), child.parent("母亲")
    statuses = (father.status if father else None, mother.status if mother else None)
    out = []
    if statuses == ("重残", "重残"):
        out.append(Criterion("yellow", "父母均重残", since, "父母双方均重残"))
    if statuses == ("服刑在押", "服刑在押"):
        out.append(Criterion("yellow", "父母均服刑", since, "父母双方均服刑在押"))
    if child.schooling == "辍学":
        out.append(Criterion("yellow", "辍学", since, "就学状况为辍学"))
    for word, _reasons in categories:
        if word in BLUE_CATEGORIES:
            out.append(Criterion("blue", BLUE_CATEGORIES[word], since, f"困境类别：{word}"))
    return out


def _assessment(child: ChildFacts, on: date) -> list[Criterion]:
    done = [a for a in child.assessments if a.on <= on]
    if not done:
        return []
    latest = max(done, key=lambda a: a.on)
    colour = ASSESSMENT_COLOURS.get(latest.level)
    if colour is None:
        return []
    return [Criterion(colour, ASSESSMENT_CRITERION, latest.on,
                      f"家庭监护能力评估为{latest.level}（{fmt(latest.on)}）")]


def _line(c: Criterion) -> str:
    return f"{vocab.COLOUR_NAMES[c.colour]}：{c.reason}"


def colour(child: ChildFacts, on: date, profile: Profile, categories=None) -> ColourResult:
    """``categories``: the child's hardship_categories on ``on`` if already computed."""
    if categories is None:
        categories = hardship_categories(child, on, profile)
    criteria = tuple(_recorded(child, on) + _derived(child, on, categories) + _assessment(child, on))
    if child.manual_colour in RANK:
        manual = child.manual_colour
        set_on = child.manual_colour_on or child.entered_on
        reasons = [f"乡镇确认为{vocab.COLOUR_NAMES[manual]}：{child.manual_colour_reason or '未填写理由'}"]
        reasons += [_line(c) for c in criteria]
        return ColourResult(manual, True, reasons, set_on if manual == "red" else None, criteria)
    if not criteria:
        return ColourResult("green", False, ["无红、黄、蓝色情形"], None, criteria)
    top = max(criteria, key=lambda c: RANK[c.colour]).colour
    reasons = [_line(c) for c in sorted(criteria, key=lambda c: -RANK[c.colour])]
    red_since = min((c.since for c in criteria if c.colour == "red"), default=None)
    return ColourResult(top, False, reasons, red_since, criteria)
