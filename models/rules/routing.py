"""Which department a finding goes to (普宁 四(二); every plan's 强制报告 clause, DOMAIN §8).

A red child is acted on when a 强制报告 is recorded, or a referral to a department that fits
the red finding (``fitting``). A care record alone does not act on a red finding.
"""

from forms import vocab

# Department keywords as they appear in referral records ("县级公安", "市公安局", "教体局" ...).
_ALIASES = {
    "公安": ("公安", "派出所"),
    "检察": ("检察",),
    "法院": ("法院",),
    "民政": ("民政",),
    "教育": ("教育", "教体"),
    "卫生健康": ("卫生健康", "卫健", "卫生"),
    "残联": ("残联",),
    "医保": ("医保",),
    "个案会商": ("个案会商",),
}

# finding -> departments (the first is the one the file suggests first).
ROUTES = {
    "遭受侵害": ("公安", "检察", "法院"),  # 普宁 四(二)
    "脱离监护": ("公安", "民政"),
    "监护缺失": ("民政",),  # 普宁 四(二): report suspected cases to 县级民政
    "自杀自残": ("卫生健康", "教育", "公安"),
    "其他红色情形": (),  # any referral or report
    "辍学": ("教育",),  # 普宁 四(二)
    "严重心理疾病": ("卫生健康", "教育"),  # 普宁 四(二)
    "重残": ("残联",),  # disability without certificate / rehabilitation aid: 普宁 四(二)
    "家庭监护能力评估": ("民政",),
}
ROUTE_NOTE = {
    "遭受侵害": "遭受或疑似遭受侵害：报县级公安、检察、法院等",
    "监护缺失": "（疑似）监护完全缺失：核实并报县级民政",
    "辍学": "疑似辍学：报县级教育部门",
    "严重心理疾病": "疑似严重心理疾病需诊疗：报县级卫生健康部门；在校心理障碍：报县级教育部门",
    "重残": "疑似残疾未办证或未接受康复救助：报县级残联",
    "脱离监护": "脱离监护单独居住、流浪或失踪：报公安，并报民政",
    "自杀自残": "（疑似）自杀自残：立即报告，联系卫生健康部门诊疗",
}


def departments_of(text: str) -> set[str]:
    """The departments a free-text referral destination names."""
    text = text or ""
    return {dept for dept, words in _ALIASES.items() if any(w in text for w in words)}


def fits(criterion_word: str, department_text: str) -> bool:
    wanted = ROUTES.get(criterion_word, ())
    if not wanted:
        return bool((department_text or "").strip())
    return bool(departments_of(department_text) & set(wanted))


def suggestions(words) -> list[tuple[str, tuple[str, ...], str]]:
    """(finding, departments, note) for each finding word that has a route."""
    return [(word, ROUTES[word], ROUTE_NOTE.get(word, "、".join(ROUTES[word])))
            for word in words if ROUTES.get(word)]


__all__ = ["ROUTES", "departments_of", "fits", "suggestions", "vocab"]
