"""Regional profiles: the settings in which the local plans differ (DOMAIN.md §11).

One archive works under one profile. Every setting names the policy clause it comes from
(``Source``), so the clerk can see on screen why the archive counts the way it does. ``quote``
is text copied from the policy file (line breaks and spaces of the extraction removed); a test
checks that each quote really is in its file.
"""

from dataclasses import dataclass, field
from types import MappingProxyType

from forms import vocab
from forms.assessment import SCORING_TABLES

POLICY_FILES = {
    "changzhi": "000_9b0adbf7c28a03a4.txt",
    "yueqing": "001_17e09915e7aebe27.txt",
    "puning": "002_a63d9cbfd8eb9185.txt",
    "shaoyang": "003_deee22815d2f2aa2.txt",
    "shangrila": "004_bb4c69735fcf8606.txt",
}
# The national baseline is cited from 普宁, whose plan spells out the common national
# definitions and colour rules word for word.
BASELINE_FILE = POLICY_FILES["puning"]


@dataclass(frozen=True)
class Source:
    file: str  # file name in the policy folder
    clause: str  # clause number and title as printed in the plan
    quote: str = ""  # the words of the clause the setting rests on


@dataclass(frozen=True, eq=False)
class Profile:
    code: str
    name: str
    away_distance: str  # narrowest 外出范围 that counts: 跨县 or 跨市
    urban_children_count: bool
    hardship_age_range: tuple[int, int]  # [from, to) in whole years
    home_visit_months: MappingProxyType  # colour -> months between home visits
    contact_months: int
    work_trip_registration_required: bool
    weekly_parent_contact_check: bool
    assessment_scoring: str  # key of forms.assessment.SCORING_TABLES
    hardship_extra_categories: tuple[str, ...]
    information_system: str
    sources: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def source(self, setting: str) -> Source:
        return self.sources[setting]


# --- clauses -------------------------------------------------------------------------------

_PN_LEFT_BEHIND = Source(
    BASELINE_FILE, "二、精准识别服务对象 (一) 农村留守儿童",
    "务工地点按照跨县域把握",
)
_PN_RURAL = Source(
    BASELINE_FILE, "二、精准识别服务对象 (一) 农村留守儿童",
    "无法与父母正常共同生活的未满十六周岁农村户籍未成年人",
)
_PN_HARDSHIP = Source(BASELINE_FILE, "二、精准识别服务对象 (二) 困境儿童", "困境儿童。包括如下六类")
_PN_COLOURS = Source(
    BASELINE_FILE, "三、分级分色跟踪服务 2.—4.",
    "至少每月入户走访一次",
)
_PN_CONTACT = Source(
    BASELINE_FILE, "三、分级分色跟踪服务 4. 低风险等级（绿色）",
    "至少每个月联系一次，每三个月入户走访一次",
)
_PN_ENTRUST = Source(
    BASELINE_FILE, "五、（二）5. 完善委托照护制度",
    "村（居）民委员会协助监督农村留守儿童委托照护情况",
)
_PN_ASSESS = Source(
    BASELINE_FILE, "三、分级分色跟踪服务 4.",
    "对于情形复杂难判断的，由乡镇政府（街道办事处）组织专门力量评估确认",
)
_PN_SYSTEM = Source(BASELINE_FILE, "三、分级分色跟踪服务 4.", "录入儿童福利信息系统")
_PN_PLATFORM = Source(
    BASELINE_FILE, "五、（五）18. 加强数字化建设", "运行并完善民政综合信息服务平台",
)

_CZ = POLICY_FILES["changzhi"]
_CZ_DEFINITION = Source(
    _CZ, "二、（三）9. 定期进行摸排走访",
    "严格按照国务院、省政府关于加强农村留守儿童关爱保护和困境儿童保障工作的文件规定",
)
_CZ_VISITS = Source(
    _CZ, "二、（三）9. 定期进行摸排走访",
    "儿童主任对辖区农村留守儿童和困境儿童至少每个月联系一次，每三个月入户走访一次",
)
_CZ_ENTRUST = Source(_CZ, "二、（二）5. 完善委托照护制度", "并签订书面委托照护协议")
_CZ_SYSTEM = Source(_CZ, "二、（三）9. 定期进行摸排走访", "及时录入和更新全国儿童福利信息系统")

_YQ = POLICY_FILES["yueqing"]
_YQ_SCOPE = Source(
    _YQ, "二、（三）8. 开展摸底走访建档",
    "留守儿童摸排范围应覆盖城镇和农村，父母外出务工时间一般要连续3个月以上，外出地点一般要跨县域",
)
_YQ_VISITS = Source(
    _YQ, "二、（三）8. 开展摸底走访建档",
    "儿童主任至少每个月联系一次，每三个月入户走访一次",
)
_YQ_WEEKLY = Source(
    _YQ, "二、（二）5. 完善委托照护制度",
    "外出务工的父母或其他监护人每周至少与留守子女联系一次",
)
_YQ_ASSESS = Source(
    _YQ, "二、（三）8. 开展摸底走访建档", "经家庭监护能力评估为中高风险的，儿童主任要加大走访频次",
)
_YQ_ENTRUST = Source(_YQ, "二、（二）5. 完善委托照护制度", "签订委托照护协议书")
_YQ_SYSTEM = Source(_YQ, "二、（三）8. 开展摸底走访建档", "及时录入和更新“浙里护苗”系统数据")

_SY = POLICY_FILES["shaoyang"]
_SY_DEFINITION = Source(
    _SY, "二、（三）8. 健全完善档案资料",
    "严格按照国家相关文件中关于农村留守儿童和困境儿童的定义",
)
_SY_VISITS = Source(
    _SY, "二、（三）9. 定期进行入户走访",
    "至少每个月联系一次，每三个月入户走访一次",
)
_SY_ASSESS = Source(
    _SY, "二、（二）7. 加强监护干预工作",
    "民政部门要开展农村留守儿童和困境儿童家庭监护能力评估，分级分类精准实施关爱保护措施",
)
_SY_ENTRUST = Source(
    _SY, "二、（二）6. 完善委托照护制度", "村（居）民委员会要协助监督农村留守儿童委托照护情况",
)
_SY_SYSTEM = Source(
    _SY, "二、（五）19. 加强信息化建设", "各地民政部门要依托湖南省儿童福利信息系统",
)

_XG = POLICY_FILES["shangrila"]
_XG_SCOPE = Source(
    _XG, "一、（三）服务对象",
    "留守儿童为父母双方均跨市域外出务工持续3个月以上，或一方跨市域外出务工3个月以上"
    "另一方无监护能力的不满16周岁的未成年人",
)
_XG_URBAN = Source(_XG, "一、（三）服务对象", "全市范围内的留守儿童和困境儿童")
_XG_HARDSHIP = Source(
    _XG, "一、（三）服务对象",
    "困境儿童为0—18周岁的孤儿、事实无人抚养儿童、艾滋病病毒感染儿童、重残儿童、重病儿童"
    "及家庭经济困难和家庭监护不到位的儿童",
)
_XG_VISITS = Source(
    _XG, "二、（二）5. 开展摸底走访建档", "儿童主任至少每个月联系一次、每三个月入户走访一次",
)
_XG_TRIP = Source(
    _XG, "二、（一）2. 完善委托照护制度",
    "建立农村劳动力外出务工备案制度，父母双方外出务工前应将务工地点、联系方式和委托监护等"
    "基本信息主动告知村（居）民委员会和未成年子女就读学校",
)
_XG_SYSTEM = Source(_XG, "二、（二）5. 开展摸底走访建档", "及时录入和更新全国儿童福利信息系统")

_VISITS_BY_COLOUR = MappingProxyType({"red": 1, "yellow": 1, "blue": 2, "green": 3})

# Settings no local plan changes: cite the baseline.
_BASE_SOURCES = {
    "away_distance": _PN_LEFT_BEHIND,
    "urban_children_count": _PN_RURAL,
    "hardship_age_range": _PN_HARDSHIP,
    "home_visit_months": _PN_COLOURS,
    "contact_months": _PN_CONTACT,
    "work_trip_registration_required": _PN_ENTRUST,
    "weekly_parent_contact_check": _PN_ENTRUST,
    "assessment_scoring": _PN_ASSESS,
    "hardship_extra_categories": _PN_HARDSHIP,
    "information_system": _PN_SYSTEM,
}


def _profile(code, name, *, sources, **settings) -> Profile:
    values = {
        "away_distance": "跨县", "urban_children_count": False, "hardship_age_range": (0, 18),
        "home_visit_months": _VISITS_BY_COLOUR, "contact_months": 1,
        "work_trip_registration_required": False, "weekly_parent_contact_check": False,
        "assessment_scoring": "default", "hardship_extra_categories": (),
        "information_system": "全国儿童福利信息系统",
    }
    values.update(settings)
    return Profile(code=code, name=name, sources=MappingProxyType({**_BASE_SOURCES, **sources}),
                   **values)


PROFILES: dict[str, Profile] = {
    p.code: p
    for p in (
        _profile("national", "全国通用", sources={}),
        _profile("changzhi", "长治市", sources={
            "away_distance": _CZ_DEFINITION, "urban_children_count": _CZ_DEFINITION,
            "hardship_age_range": _CZ_DEFINITION, "contact_months": _CZ_VISITS,
            "work_trip_registration_required": _CZ_ENTRUST,
            "weekly_parent_contact_check": _CZ_ENTRUST, "information_system": _CZ_SYSTEM,
        }),
        _profile("yueqing", "乐清市", urban_children_count=True, weekly_parent_contact_check=True,
                 information_system="浙里护苗", sources={
                     "away_distance": _YQ_SCOPE, "urban_children_count": _YQ_SCOPE,
                     "contact_months": _YQ_VISITS, "weekly_parent_contact_check": _YQ_WEEKLY,
                     "work_trip_registration_required": _YQ_ENTRUST,
                     "assessment_scoring": _YQ_ASSESS, "information_system": _YQ_SYSTEM,
                 }),
        _profile("puning", "普宁市", information_system="民政综合信息服务平台", sources={
            "information_system": _PN_PLATFORM,
        }),
        _profile("shaoyang", "邵阳市", information_system="湖南省儿童福利信息系统", sources={
            "away_distance": _SY_DEFINITION, "urban_children_count": _SY_DEFINITION,
            "hardship_age_range": _SY_DEFINITION, "contact_months": _SY_VISITS,
            "assessment_scoring": _SY_ASSESS, "work_trip_registration_required": _SY_ENTRUST,
            "weekly_parent_contact_check": _SY_ENTRUST, "information_system": _SY_SYSTEM,
        }),
        _profile("shangrila", "香格里拉市", away_distance="跨市", urban_children_count=True,
                 work_trip_registration_required=True,
                 hardship_extra_categories=("重病", "家庭监护不到位"), sources={
                     "away_distance": _XG_SCOPE, "urban_children_count": _XG_URBAN,
                     "hardship_age_range": _XG_HARDSHIP, "contact_months": _XG_VISITS,
                     "work_trip_registration_required": _XG_TRIP,
                     "weekly_parent_contact_check": _XG_TRIP,
                     "hardship_extra_categories": _XG_HARDSHIP, "information_system": _XG_SYSTEM,
                 }),
    )
}


class UnknownProfileError(KeyError, ValueError):
    """Unknown profile code; ``str(error)`` is a Chinese message listing the known ones."""

    def __str__(self) -> str:
        return self.args[0]


def get_profile(code: str) -> Profile:
    try:
        return PROFILES[code]
    except (KeyError, TypeError):
        known = "、".join(f"{p.code}（{p.name}）" for p in PROFILES.values())
        raise UnknownProfileError(f"未知的地区配置“{code}”，可选：{known}。") from None


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def profile_settings(profile: Profile) -> list[tuple[str, str, Source]]:
    """(label, value, source) rows for showing the profile read-only."""
    src = profile.sources
    visits = "；".join(
        f"{vocab.COLOUR_NAMES[c]}每{profile.home_visit_months[c]}个月"
        for c in vocab.COLOURS
    )
    low, high = profile.hardship_age_range
    extra = "、".join(profile.hardship_extra_categories) or "无"
    return [
        ("留守儿童：父母外出范围至少", profile.away_distance, src["away_distance"]),
        ("城镇户籍儿童计入留守儿童", _yes_no(profile.urban_children_count),
         src["urban_children_count"]),
        ("困境儿童年龄范围", f"{low}周岁至未满{high}周岁", src["hardship_age_range"]),
        ("入户走访间隔", visits, src["home_visit_months"]),
        ("联系间隔", f"每{profile.contact_months}个月至少联系一次", src["contact_months"]),
        ("须有外出务工备案", _yes_no(profile.work_trip_registration_required),
         src["work_trip_registration_required"]),
        ("走访时核查父母每周联系", _yes_no(profile.weekly_parent_contact_check),
         src["weekly_parent_contact_check"]),
        ("家庭监护能力评估评分表", SCORING_TABLES[profile.assessment_scoring].name,
         src["assessment_scoring"]),
        ("本地增加的困境儿童类别", extra, src["hardship_extra_categories"]),
        ("信息系统", profile.information_system, src["information_system"]),
    ]
