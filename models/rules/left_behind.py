"""农村留守儿童 (DOMAIN.md §2.1; 普宁 二(一), 香格里拉 一(三), 乐清 二(三)8)."""

from dataclasses import dataclass, field
from datetime import date

from forms import vocab
from models.facts import ChildFacts, FamilyMemberFacts
from models.profiles import Profile
from models.rules.dates import add_months, birthday, fmt_zh

LEFT_BEHIND_AGE = 16
AWAY_MONTHS = 3
_DISTANCE_RANK = {word: rank for rank, word in enumerate(vocab.DISTANCES)}


@dataclass(frozen=True)
class Finding:
    applies: bool
    reasons: list[str] = field(default_factory=list)


def left_behind_ends_on(child: ChildFacts) -> date:
    """The 16th birthday: from that day the child is no longer 未满十六周岁."""
    return birthday(child.birth_date, LEFT_BEHIND_AGE)


def _away_problem(parent: FamilyMemberFacts, on: date, profile: Profile) -> str | None:
    """Why this parent does not count as away for work, or None if they do."""
    who = parent.relation
    if parent.status != "外出务工":
        return f"{who}状况为{parent.status or '未填写'}，不是外出务工"
    if parent.distance not in _DISTANCE_RANK:
        return f"{who}外出范围未填写"
    if _DISTANCE_RANK[parent.distance] < _DISTANCE_RANK[profile.away_distance]:
        return f"{who}外出范围为{parent.distance}，未达到{profile.away_distance}"
    if parent.away_since is None:
        return f"{who}外出务工起始日期未填写"
    qualifies_on = add_months(parent.away_since, AWAY_MONTHS)
    if qualifies_on > on:
        return f"{who}外出务工不满{AWAY_MONTHS}个月（{fmt_zh(qualifies_on)}满{AWAY_MONTHS}个月）"
    return None


def _parents_reason(child: ChildFacts, on: date, profile: Profile) -> tuple[bool, str]:
    father, mother = child.parent("父亲"), child.parent("母亲")
    span = f"{profile.away_distance}外出务工满{AWAY_MONTHS}个月"
    if father is None or mother is None:
        missing = "、".join(r for r, p in (("父亲", father), ("母亲", mother)) if p is None)
        # A missing record is unknown, not away: the clerk has to fill it in.
        present = father or mother
        if present is None or _away_problem(present, on, profile) is not None:
            return False, f"缺少{missing}信息，无法认定"
        return False, f"{present.relation}{span}，但缺少{missing}信息，无法认定"
    problems = {p.relation: _away_problem(p, on, profile) for p in (father, mother)}
    away = [p for p in (father, mother) if problems[p.relation] is None]
    if len(away) == 2:
        return True, f"父母双方{span}"
    if len(away) == 1:
        other = mother if away[0] is father else father
        if other.status in vocab.NO_GUARDIANSHIP_CAPACITY:
            return True, f"{away[0].relation}{span}，{other.relation}无监护能力（{other.status}）"
        return False, f"{away[0].relation}{span}，但{problems[other.relation]}"
    return False, "；".join(problems.values())


def left_behind(child: ChildFacts, on: date, profile: Profile) -> Finding:
    reasons: list[str] = []
    applies = True
    if child.birth_date is None:
        return Finding(False, ["出生日期未填写，无法认定"])
    ends_on = left_behind_ends_on(child)
    if on >= ends_on:
        applies = False
        reasons.append(f"已满{LEFT_BEHIND_AGE}周岁（{fmt_zh(ends_on)}）")
    else:
        reasons.append(f"未满{LEFT_BEHIND_AGE}周岁")
    if child.registration == "农村":
        reasons.append("农村户籍")
    elif profile.urban_children_count:
        reasons.append(f"{child.registration or '户籍类型未填写'}（{profile.name}城镇儿童同样计入）")
    else:
        applies = False
        reasons.append(f"户籍类型为{child.registration or '未填写'}，不是农村户籍")
    ok, why = _parents_reason(child, on, profile)
    applies = applies and ok
    reasons.append(why)
    if child.core_urban_excluded and profile.code in CORE_URBAN_PROFILES:
        applies = False
        reasons.append("务工地和户籍地均在核心城区，不在统计范围（普宁方案二（一））")
    return Finding(applies, reasons)


# 普宁 二(一) states the core-urban exclusion; the national profile quotes 普宁's text.
CORE_URBAN_PROFILES = ("puning", "national")
