"""Risk colour (分级分色, DOMAIN.md §3 and §6; 普宁 三).

The highest colour any criterion reaches wins. A manual colour (普宁 三4: "情形复杂难判断的，由
乡镇政府……评估确认") is set by a 管理员 with a reason. It can raise the colour at any time. It
can lower it below the criteria only for a while (local practice ``manual_lowering_months``),
and never below a criterion found after it was set or below any red criterion.
"""

from dataclasses import dataclass, field
from datetime import date

from forms import vocab
from models.facts import ChildFacts
from models.profiles import Profile
from models.rules.dates import add_months, age_on, fmt
from models.rules.hardship import hardship_categories

RANK = {"green": 0, "blue": 1, "yellow": 2, "red": 3}
_CRITERION_COLOUR = {
    **dict.fromkeys(vocab.RED_CRITERIA, "red"),
    **dict.fromkeys(vocab.YELLOW_CRITERIA, "yellow"),
    **dict.fromkeys(vocab.BLUE_CRITERIA, "blue"),
}
# 困境 categories that are blue criteria; HIV-infected children count with 孤儿 (普宁 二(二)1).
BLUE_CATEGORIES = {"孤儿": "孤儿", "艾滋病病毒感染": "孤儿", "事实无人抚养": "事实无人抚养", "重残": "重残"}
ASSESSMENT_COLOURS = {"中高风险": "yellow", "高风险": "red"}
ASSESSMENT_CRITERION = "家庭监护能力评估"
# Assessment results that are themselves colour criteria (普宁 三1–3).
ASSESSMENT_RESULT_CRITERIA = {"监护缺失": "监护缺失", "监护不足": "监护不足"}
ABSENT = "监护缺失"
ABSENT_ACTION = "核实并报县级民政"
LEFT_ALONE_AGE = 16  # 未成年人保护法 第二十一条


@dataclass(frozen=True)
class Criterion:
    """One reason for a colour: a vocabulary criterion (recorded or derived)."""
    colour: str
    word: str  # a vocab risk criterion, a 困境 word (孤儿, 事实无人抚养, 重残) or ASSESSMENT_CRITERION
    since: date  # when it was found (derived ones: the day the child entered the archive)
    reason: str
    derived: str = ""  # "absent" / "alone" for the guardianship flags


@dataclass(frozen=True)
class ColourResult:
    colour: str
    manual: bool
    reasons: list[str]
    red_since: date | None
    criteria: tuple[Criterion, ...] = field(default=())
    # What became of a manual colour: "" (none), "applied", "overridden", "expired".
    manual_state: str = ""
    manual_expires_on: date | None = None


def criterion_colour(word: str) -> str | None:
    return _CRITERION_COLOUR.get(word)


def _recorded(child: ChildFacts, on: date) -> list[Criterion]:
    out = []
    for f in child.risk_findings:
        colour = _CRITERION_COLOUR.get(f.criterion)
        if colour and f.found_on <= on and (f.resolved_on is None or f.resolved_on > on):
            out.append(Criterion(colour, f.criterion, f.found_on, f"{f.criterion}（{fmt(f.found_on)}发现）"))
    return out


def adult_present(child: ChildFacts) -> bool:
    """A current carer, a signed agreement with a carer, or another family member at home."""
    if child.carers or any(a.status == "已签订" and a.carer for a in child.agreements):
        return True
    return any(m.relation not in vocab.PARENT_RELATIONS and m.status == "在家" for m in child.family)


def guardianship_flag(child: ChildFacts, on: date, categories) -> tuple[str, str] | None:
    """("absent" | "alone", reason) when no adult is known to look after the child.

    "absent": no parent has guardianship capacity (DOMAIN §2.1) and no carer is recorded
    (普宁 三1 "（疑似）监护完全缺失"). "alone": under 16, no parent at home and no carer
    (未成年人保护法 第二十一条). A missing parent record is unknown, not absent.
    """
    father, mother = child.parent("父亲"), child.parent("母亲")
    if father is None or mother is None or father.status == "在家" or mother.status == "在家":
        return None  # unknown, or a parent at home (the common case: decided cheaply)
    if any(word == "兜底监护" for word, _r in categories) or adult_present(child):
        return None  # civil affairs is the guardian, or an adult is known to look after the child
    incapable = [p for p in (father, mother) if p.status in vocab.NO_GUARDIANSHIP_CAPACITY]
    if len(incapable) == 2:
        why = "、".join(f"{p.relation}{p.status}" for p in incapable)
        return "absent", f"（疑似）监护完全缺失：{why}，未登记照护人"
    if child.birth_date is not None and age_on(child.birth_date, on) < LEFT_ALONE_AGE:
        why = "、".join(f"{p.relation}{p.status}" for p in (father, mother))
        return "alone", f"（疑似）未满十六周岁无人监护：{why}，未登记照护人"
    return None


def _derived(child: ChildFacts, on: date, categories) -> list[Criterion]:
    since = min(child.entered_on, on)
    father, mother = child.parent("父亲"), child.parent("母亲")
    statuses = (father.status if father else None, mother.status if mother else None)
    out = []
    flag = guardianship_flag(child, on, categories)
    if flag:
        out.append(Criterion("red", ABSENT, since, flag[1], derived=flag[0]))
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
    out = []
    colour = ASSESSMENT_COLOURS.get(latest.level)
    if colour is not None:
        out.append(Criterion(colour, ASSESSMENT_CRITERION, latest.on,
                             f"家庭监护能力评估为{latest.level}（{fmt(latest.on)}）"))
    word = ASSESSMENT_RESULT_CRITERIA.get(latest.result)
    if word:
        label = "（疑似）监护完全缺失" if word == ABSENT else "（疑似）监护存在不足"
        out.append(Criterion(_CRITERION_COLOUR[word], word, latest.on,
                             f"{label}：家庭监护能力评估结果为{latest.result}（{fmt(latest.on)}）"))
    return out


def _line(c: Criterion) -> str:
    return f"{vocab.COLOUR_NAMES[c.colour]}：{c.reason}"


def colour(child: ChildFacts, on: date, profile: Profile, categories=None) -> ColourResult:
    """``categories``: the child's hardship_categories on ``on`` if already computed."""
    if categories is None:
        categories = hardship_categories(child, on, profile)
    criteria = tuple(_recorded(child, on) + _derived(child, on, categories) + _assessment(child, on))
    if not criteria and child.manual_colour is None:  # most children: nothing to weigh
        return ColourResult("green", False, ["无红、黄、蓝色情形"], None, criteria)
    ordered = sorted(criteria, key=lambda c: -RANK[c.colour])
    top = ordered[0].colour if ordered else "green"
    red_since = min((c.since for c in criteria if c.colour == "red"), default=None)
    lines = [_line(c) for c in ordered] or ["无红、黄、蓝色情形"]
    if child.manual_colour not in RANK:
        return ColourResult(top, False, lines, red_since, criteria)

    manual = child.manual_colour
    set_on = child.manual_colour_on or child.entered_on
    who = f"，{child.manual_colour_by}" if child.manual_colour_by else ""
    head = (f"乡镇确认为{vocab.COLOUR_NAMES[manual]}（{fmt(set_on)}{who}）："
            f"{child.manual_colour_reason or '未填写理由，待重新确认'}")
    if RANK[manual] >= RANK[top]:  # confirming or raising: the manual colour holds
        since = set_on if manual == "red" else None
        if manual == "red" and red_since is not None:
            since = min(since, red_since)
        return ColourResult(manual, True, [head] + lines, since, criteria, "applied")
    # Lowering below the criteria.
    later = [c for c in criteria if RANK[c.colour] > RANK[manual] and (c.since > set_on or c.colour == "red")]
    if later:
        note = f"人工确认的{vocab.COLOUR_NAMES[manual]}已被其后发现的更高情形取代"
        return ColourResult(top, False, [note, head] + lines, red_since, criteria, "overridden")
    months = profile.local_value("manual_lowering_months")
    expires = add_months(set_on, months) if months else None
    if expires is not None and on >= expires:
        note = f"人工确认的{vocab.COLOUR_NAMES[manual]}已于{fmt(expires)}到期，按情形恢复，须重新确认"
        return ColourResult(top, False, [note, head] + lines, red_since, criteria, "expired", expires)
    return ColourResult(manual, True, [head] + lines, None, criteria, "applied", expires)
