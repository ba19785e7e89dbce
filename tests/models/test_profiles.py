import os
import re
from pathlib import Path

import pytest

from models.profiles import PROFILES, Profile, UnknownProfileError, get_profile, profile_settings

# The policy texts sit beside the repository (../shared/policy), as they do for CI.
_CANDIDATES = [os.environ.get("TONGDANG_POLICY_DIR"),
               Path(__file__).resolve().parents[3] / "shared" / "policy", "/work/shared/policy"]
POLICY_DIR = next((Path(c) for c in _CANDIDATES if c and Path(c).is_dir()), Path("/missing"))


def _policy_text(name: str) -> str:
    return re.sub(r"\s+", "", (POLICY_DIR / name).read_text(encoding="utf-8"))


def test_one_profile_per_plan():
    assert set(PROFILES) == {"national", "changzhi", "yueqing", "puning", "shaoyang", "shangrila"}
    assert [PROFILES[c].name for c in ("changzhi", "yueqing", "puning", "shaoyang", "shangrila")] == [
        "长治市", "乐清市", "普宁市", "邵阳市", "香格里拉市",
    ]


@pytest.mark.parametrize(
    "code, distance, urban, trip, weekly, extra",
    [
        ("national", "跨县", False, False, False, ()),
        ("changzhi", "跨县", False, False, False, ()),
        ("yueqing", "跨县", True, False, True, ()),
        ("puning", "跨县", False, False, False, ()),
        ("shaoyang", "跨县", False, False, False, ()),
        ("shangrila", "跨市", True, True, False, ("重病", "家庭监护不到位")),
    ],
)
def test_profile_differences(code, distance, urban, trip, weekly, extra):
    p = get_profile(code)
    assert (p.away_distance, p.urban_children_count) == (distance, urban)
    assert (p.work_trip_registration_required, p.weekly_parent_contact_check) == (trip, weekly)
    assert p.hardship_extra_categories == extra
    assert p.hardship_age_range == (0, 18)
    assert dict(p.home_visit_months) == {"red": 1, "yellow": 1, "blue": 2, "green": 3}
    assert p.contact_months == 1
    assert p.assessment_scoring == "default"


def test_profile_is_frozen():
    with pytest.raises(AttributeError):
        get_profile("national").away_distance = "跨省"
    with pytest.raises(TypeError):
        get_profile("national").home_visit_months["green"] = 6


@pytest.mark.parametrize("code", ["", "beijing", None, "长治"])
def test_unknown_profile_has_chinese_message(code):
    with pytest.raises(UnknownProfileError) as caught:
        get_profile(code)
    assert "未知的地区配置" in str(caught.value)
    assert "changzhi（长治市）" in str(caught.value)


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_settings_rows_show_values_and_sources(code):
    # Changed on purpose (issue 11): more rows, and a row's basis may be local practice or
    # "not stated" instead of a clause; only 普宁 shows colour intervals.
    p = get_profile(code)
    rows = profile_settings(p)
    labels = [label for label, _v, _s in rows]
    assert len(labels) == len(set(labels)) >= 14
    values = {label: value for label, value, _s in rows}
    assert values["留守儿童：父母外出范围至少"] == p.away_distance
    if code == "puning":
        assert values["入户走访间隔"] == "红色即时介入（此后每1个月，本地做法）；黄色每1个月；蓝色每2个月；绿色每3个月"
    else:
        assert values["入户走访间隔"] == "每3个月"
    assert values["城镇户籍儿童计入留守儿童"] == ("是" if p.urban_children_count else "否")
    for _label, _value, source in rows:
        assert source.clause
        if source.file:
            assert source.file.endswith(".txt") and source.quote


@pytest.mark.skipif(not POLICY_DIR.is_dir(), reason="policy texts not on this machine")
@pytest.mark.parametrize("code", sorted(PROFILES))
def test_every_source_quote_is_in_its_policy_file(code):
    # Every clause a profile cites, not only the settings rows (issue 11).
    p = get_profile(code)
    cited = [(label, source) for label, _value, source in profile_settings(p)]
    cited += list(p.sources.items())
    for label, source in cited:
        if not source.file:  # local practice or the law: no plan text to check
            continue
        assert re.sub(r"\s+", "", source.quote) in _policy_text(source.file), (code, label)


@pytest.mark.parametrize("code", ["changzhi", "yueqing", "shaoyang", "shangrila"])
def test_other_plans_never_cite_puning(code):
    p = get_profile(code)
    assert all(s.file != "002_a63d9cbfd8eb9185.txt" for s in p.sources.values())
    assert all(s.file != "002_a63d9cbfd8eb9185.txt" for _l, _v, s in profile_settings(p))
    assert not p.colour_intervals


def test_local_settings_cite_the_local_plan():
    assert get_profile("shangrila").source("away_distance").file == "004_bb4c69735fcf8606.txt"
    assert "跨市域" in get_profile("shangrila").source("away_distance").quote
    assert "城镇和农村" in get_profile("yueqing").source("urban_children_count").quote
    assert "每周至少" in get_profile("yueqing").source("weekly_parent_contact_check").quote
    assert "外出务工备案" in get_profile("shangrila").source("work_trip_registration_required").quote
    assert isinstance(get_profile("puning"), Profile)
