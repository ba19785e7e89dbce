"""困境儿童 categories (DOMAIN.md §2.2; 普宁 二(二); 香格里拉 一(三))."""

from datetime import date, timedelta

from forms import vocab
from models.facts import ChildFacts
from models.profiles import Profile
from models.rules.dates import add_months, birthday, fmt_zh

SEVERE_GRADES = ("一级", "二级")
MENTAL_GRADES = ("三级", "四级")
MENTAL_CATEGORIES = ("智力", "精神")
TRANSITION_MONTHS = 6
SUPPORTED_CATEGORIES = ("孤儿", "事实无人抚养")
# Categories only a profile that lists them counts (香格里拉: 重病).
LOCAL_ONLY = ("重病",)
INADEQUATE_GUARDIANSHIP = "家庭监护不到位"
_INADEQUATE_CRITERIA = ("监护缺失", "监护严重不足", "监护不足")


def hardship_ends_on(child: ChildFacts, profile: Profile) -> date:
    return birthday(child.birth_date, profile.hardship_age_range[1])


def transition_ends_on(child: ChildFacts) -> date | None:
    """End of the 6-month 过渡期 after basic living support ended (普宁 五(三)9)."""
    if child.support_ended_on is None:
        return None
    return add_months(child.support_ended_on, TRANSITION_MONTHS)


def severe_disability_reason(child: ChildFacts) -> str | None:
    grade, kind = child.disability_grade, child.disability_category
    if grade in SEVERE_GRADES:
        return f"残疾等级{grade}（{kind or '类别未填写'}）"
    if grade in MENTAL_GRADES and kind in MENTAL_CATEGORIES:
        return f"{kind}残疾{grade}"
    return None


def _active_finding(child: ChildFacts, on: date, criteria) -> str | None:
    for f in child.risk_findings:
        if f.criterion in criteria and f.found_on <= on and (f.resolved_on is None or f.resolved_on > on):
            return f.criterion
    return None


def _derived(child: ChildFacts, on: date, profile: Profile) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    reason = severe_disability_reason(child)
    if reason:
        found.setdefault("重残", []).append(reason)
    if "重病" in profile.hardship_extra_categories and child.health == "重病":
        found.setdefault("重病", []).append("健康状况为重病")
    if INADEQUATE_GUARDIANSHIP in profile.hardship_extra_categories:
        criterion = _active_finding(child, on, _INADEQUATE_CRITERIA)
        if criterion:
            found.setdefault("其他", []).append(f"{INADEQUATE_GUARDIANSHIP}（{criterion}）")
    return found


def hardship_categories(child: ChildFacts, on: date, profile: Profile) -> list[tuple[str, list[str]]]:
    """The 困境 categories that apply on ``on``, each with its reasons, in vocabulary order."""
    low, _high = profile.hardship_age_range
    if child.birth_date is None:
        return []
    if on < birthday(child.birth_date, low) or on >= hardship_ends_on(child, profile):
        return []
    found: dict[str, list[str]] = {}
    for word in child.hardship_categories:
        if word not in vocab.HARDSHIP_CATEGORIES:
            continue
        if word in LOCAL_ONLY and word not in profile.hardship_extra_categories:
            continue
        found.setdefault(word, []).append(f"登记为{word}")
    for word, reasons in _derived(child, on, profile).items():
        found.setdefault(word, []).extend(reasons)
    transition = transition_ends_on(child)
    if transition is not None:
        for word in SUPPORTED_CATEGORIES:
            if word not in found:
                continue
            if on >= transition:
                del found[word]
            else:
                last_day = transition - timedelta(days=1)
                found[word].append(f"已退出基本生活保障，{TRANSITION_MONTHS}个月过渡期至{fmt_zh(last_day)}")
    return [(word, found[word]) for word in vocab.HARDSHIP_CATEGORIES if word in found]
