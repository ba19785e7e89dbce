"""Regional profiles: the settings in which the local plans differ (DOMAIN.md §11).

One archive works under one profile. Every setting names the policy clause it comes from
(``Source``), so the clerk can see on screen why the archive counts the way it does. ``quote``
is text copied from the policy file (line breaks and spaces of the extraction removed); a test
checks that each quote really is in its file.

Why one module past 500 lines: it is declarations — the policy clauses quoted from the five
plans and the table of profiles built from them (about 300 of its lines). A clause is read next
to the profile that cites it; splitting the table from its clauses would only add imports.
The few functions at the end word a profile's settings for the screen.
"""

from dataclasses import dataclass, field, replace
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
    file: str  # file name in the policy folder; "" for local practice (本地做法)
    clause: str  # clause number and title as printed in the plan
    quote: str = ""  # the words of the clause the setting rests on

    @property
    def local(self) -> bool:
        return not self.file

    @property
    def text(self) -> str:
        """How the basis is shown (``basis_text``)."""
        return basis_text(self)


# --- local practice (本地做法) ------------------------------------------------------------
# What no plan states but the archive needs a number for. Each has a default the county can
# change in 设置 (models.local_practice); the screens mark them "本地做法", never "政策".


@dataclass(frozen=True)
class LocalSetting:
    key: str
    label: str
    unit: str
    default: int  # 0 turns the check off
    note: str


LOCAL_SETTINGS: tuple[LocalSetting, ...] = (
    LocalSetting("follow_up_days", "发现问题、转介未记录结果的提醒期限", "天", 30,
                 "各方案均未规定办结期限；为 0 时不提醒。"),
    LocalSetting("assessment_months", "家庭监护能力评估复评周期", "个月", 12,
                 "方案未规定复评周期；为 0 时不检查复评。"),
    LocalSetting("screenings_per_year", "每年全面摸底排查次数", "次", 0,
                 "仅长治方案规定每年不少于两次；其他方案未规定次数，默认不检查。"),
    LocalSetting("guidance_per_year", "每年家庭教育指导次数", "次", 0,
                 "仅长治、普宁方案规定每年不少于一次；其他方案未规定次数，默认不检查。"),
    LocalSetting("agreement_term_months", "未写明到期日的委托照护协议有效期", "个月", 0,
                 "方案未规定协议期限；为 0 时以协议自身写明的期限为准。"),
    LocalSetting("spotcheck_share", "抽查比例", "%", 10, "方案只要求每年至少抽查一次，未规定比例。"),
    LocalSetting("red_visit_months", "红色儿童处置后的定期入户走访间隔", "个月", 1,
                 "普宁方案对红色只要求即时介入，未规定此后的走访间隔。"),
    LocalSetting("frequent_visit_months", "“加大走访频次”对象的入户走访间隔", "个月", 2,
                 "方案要求加大走访频次，未给出间隔。"),
    LocalSetting("manual_lowering_months", "人工确认低于情形颜色的有效期", "个月", 3,
                 "到期后须由管理员重新确认；为 0 时不设期限。"),
    LocalSetting("coverage_check", "按自然月核查每月均有联系（1 开 / 0 关）", "", 1,
                 "“每个月联系一次”按自然月逐月核查，是检查人员的一种读法，不是方案原文。"),
)
LOCAL = {s.key: s for s in LOCAL_SETTINGS}
LOCAL_SOURCE = Source("", "本地做法（县级可在“设置”中修改）")


def local_source(key: str) -> Source:
    return Source("", f"本地做法：{LOCAL[key].label}")


@dataclass(frozen=True, eq=False)
class Profile:
    code: str
    name: str
    away_distance: str  # narrowest 外出范围 that counts: 跨县 or 跨市
    urban_children_count: bool
    hardship_age_range: tuple[int, int]  # [from, to) in whole years
    home_visit_months: MappingProxyType  # colour -> months between home visits (普宁 only)
    contact_months: int
    work_trip_registration_required: bool
    weekly_parent_contact_check: bool
    assessment_scoring: str  # key of forms.assessment.SCORING_TABLES
    hardship_extra_categories: tuple[str, ...]
    information_system: str
    sources: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # The plan grades colours with visit intervals (普宁 三). Elsewhere the colour is only a
    # local reading of risk (本地做法) and visits follow the plan's own rhythm.
    colour_intervals: bool = False
    home_visit_base_months: int = 3
    # Groups the plan names for "加大走访频次" (see FREQUENT_GROUPS).
    frequent_visit_groups: tuple[str, ...] = ()
    # Who needs a 家庭监护能力评估: "留守" and/or "困境".
    assessment_required_for: tuple[str, ...] = ()
    # Plan-stated yearly counts (None: the plan says nothing; local practice applies).
    screenings_per_year: int | None = None
    guidance_per_year: int | None = None
    single_parent_ledger: bool = False
    # Where mandatory reports go (the plan's own words).
    report_recipients: tuple[str, ...] = ("公安", "民政", "教育")
    # 香格里拉: a carer who fails is also reported to the village committee.
    carer_failure_village_report: bool = False
    basis_note: str = ""
    local: MappingProxyType = field(default_factory=lambda: MappingProxyType(
        {s.key: s.default for s in LOCAL_SETTINGS}))

    def source(self, setting: str) -> Source:
        return self.sources[setting]

    def local_value(self, key: str) -> int:
        return self.local.get(key, LOCAL[key].default)

    def with_local(self, values: dict) -> "Profile":
        """The same plan with the county's local-practice values (unknown keys ignored)."""
        merged = dict(self.local)
        merged.update({k: int(v) for k, v in values.items() if k in LOCAL})
        return replace(self, local=MappingProxyType(merged))

    def screenings_required(self) -> tuple[int, Source]:
        if self.screenings_per_year is not None:
            return self.screenings_per_year, self.sources["screenings_per_year"]
        return self.local_value("screenings_per_year"), local_source("screenings_per_year")

    def guidance_required(self) -> tuple[int, Source]:
        if self.guidance_per_year is not None:
            return self.guidance_per_year, self.sources["guidance_per_year"]
        return self.local_value("guidance_per_year"), local_source("guidance_per_year")


# Groups a plan can name for more frequent visits (加大走访频次).
FREQUENT_GROUPS = {
    "parent_disabled": "父母双方或一方存在严重身体或智力（精神）残疾",
    "child_disabled": "儿童自身存在身体或智力（精神）残疾",
    "behaviour": "儿童有心理或行为异常",
    "single_parent": "单亲家庭儿童",
    "assessed_high": "经家庭监护能力评估为中高风险",
}


# --- clauses -------------------------------------------------------------------------------

_PN_LEFT_BEHIND = Source(
    BASELINE_FILE, "二、精准识别服务对象 (一) 农村留守儿童",
    "务工地点按照跨县域把握",
)
_PN_CORE_URBAN = Source(
    BASELINE_FILE, "二、精准识别服务对象 (一) 农村留守儿童",
    "对于设区的市，务工地和户籍地均在核心城区的，则不在统计范围",
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
_PN_RED = Source(BASELINE_FILE, "三、分级分色跟踪服务 1. 高风险等级（红色）",
                 "应在发现或接报个案情况后即时介入处置")
_PN_YELLOW = Source(BASELINE_FILE, "三、分级分色跟踪服务 2. 中高风险等级（黄色）", "至少每月入户走访一次")
_PN_BLUE = Source(BASELINE_FILE, "三、分级分色跟踪服务 3. 中低风险等级（蓝色）", "至少每两个月入户走访一次")
_PN_GRADES = Source(BASELINE_FILE, "三、分级分色跟踪服务",
                    "高风险（红色）、中高风险（黄色）、中低风险（蓝色）、低风险（绿色）")
_PN_ABSENT = Source(BASELINE_FILE, "三、分级分色跟踪服务 1. 高风险等级（红色）", "(疑似)监护完全缺失的儿童")
_PN_NOT_ENOUGH = Source(BASELINE_FILE, "三、分级分色跟踪服务 3. 中低风险等级（蓝色）", "（疑似）监护存在不足的儿童")
_PN_CONTACT = Source(
    BASELINE_FILE, "三、分级分色跟踪服务 4. 低风险等级（绿色）",
    "至少每个月联系一次，每三个月入户走访一次",
)
_PN_ENTRUST = Source(
    BASELINE_FILE, "五、（二）5. 完善委托照护制度",
    "村（居）民委员会协助监督农村留守儿童委托照护情况",
)
_PN_CARER = Source(
    BASELINE_FILE, "五、（二）5. 完善委托照护制度",
    "儿童主任入户走访发现被委托照护人缺乏照护能力或怠于履行照护职责的，应当告知儿童父母或其他监护人",
)
_PN_ASSESS = Source(
    BASELINE_FILE, "三、分级分色跟踪服务 4.",
    "对于情形复杂难判断的，由乡镇政府（街道办事处）组织专门力量评估确认",
)
_PN_ROUTING = Source(
    BASELINE_FILE, "四、（二）强化排查监测",
    "将遭受或疑似遭受性侵害、虐待、拐卖、暴力伤害、遗弃等不法侵害的困境儿童及时报送县级公安、检察、法院等相关部门",
)
_PN_TO_CIVIL = Source(BASELINE_FILE, "四、（二）强化排查监测",
                      "将疑似农村留守儿童和困境儿童信息报送县级民政部门")
_PN_REPORT = Source(BASELINE_FILE, "五、（二）6. 加强监护干预工作", "应当立即向公安、民政、教育等有关部门报告")
_PN_GUIDANCE = Source(BASELINE_FILE, "五、（二）4. 强化监护职责落实",
                      "每年提供不少于一次公益性家庭教育服务指导")
_PN_SINGLE = Source(BASELINE_FILE, "五、（五）18. 加强数字化建设（末段）",
                    "各地要将农村单亲家庭儿童纳入儿童主任日常工作职责，同步开展走访摸排；建立工作台账")
_PN_ARCHIVE = Source(BASELINE_FILE, "五、（三）8. 开展摸底走访建档", "做到一人一档")
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
_CZ_FREQUENT = Source(
    _CZ, "二、（三）9. 定期进行摸排走访",
    "对父母双方或一方存在严重身体或智力残疾、儿童自身存在身体或智力残疾、有心理或行为异常的以及单亲家庭儿童，儿童主任要加大走访频次",
)
_CZ_SCREEN = Source(_CZ, "二、（三）9. 定期进行摸排走访", "每年开展不少于两次的全面摸底排查")
_CZ_GUIDANCE = Source(_CZ, "二、（二）8. 加强家庭教育指导",
                      "每年提供不少于一次公益性家庭教育指导服务")
_CZ_ENTRUST = Source(_CZ, "二、（二）5. 完善委托照护制度", "并签订书面委托照护协议")
_CZ_BEFORE = Source(_CZ, "二、（二）5. 完善委托照护制度",
                    "外出务工前，委托符合条件的亲属或其他成年人代为照护并签订书面委托照护协议")
_CZ_CARER = Source(_CZ, "二、（二）5. 完善委托照护制度",
                   "儿童主任入户走访发现被委托照护人缺乏照护能力或怠于履行照护职责的，要告知儿童父母或其他监护人")
_CZ_REPORT = Source(_CZ, "二、（二）6. 加强监护干预工作", "应当立即向公安、民政、教育等有关部门报告")
_CZ_ABSENT = Source(_CZ, "二、（二）6. 加强监护干预工作", "对于符合临时监护条件的农村留守儿童和困境儿童")
_CZ_ARCHIVE = Source(_CZ, "二、（三）10. 健全完善档案资料", "按照“一人一档”的要求建立个人档案")
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
_YQ_FREQUENT = Source(
    _YQ, "二、（三）8. 开展摸底走访建档",
    "以及儿童自身存在身体或精神智力残疾、有心理或行为异常的、经家庭监护能力评估为中高风险的，儿童主任要加大走访频次",
)
_YQ_ASSESS_WHO = Source(_YQ, "二、（二）6. 加强监护干预工作", "民政部门要开展困境儿童家庭监护能力评估")
_YQ_ABSENT = Source(_YQ, "二、（二）6. 加强监护干预工作", "会同相关部门对监护缺失、监护不当等情形做好干预")
_YQ_REPORT = Source(_YQ, "二、（二）6. 加强监护干预工作", "加强强制报告制度落实")
_YQ_COLOURS = Source(_YQ, "四、（一）高度重视", "建立指标化管理、赋色管理和部门协作等机制")
_YQ_SINGLE = Source(_YQ, "二、（三）8. 开展摸底走访建档",
                    "重点关注留守儿童和困境儿童中的单亲家庭儿童，儿童主任要将单亲家庭儿童关爱保护纳入工作职责")
_YQ_CARER = Source(_YQ, "二、（二）5. 完善委托照护制度",
                   "儿童主任入户走访发现被委托照护人缺乏照护能力或怠于履行照护职责的，要告知儿童父母或其他监护人")
_YQ_ENTRUST = Source(_YQ, "二、（二）5. 完善委托照护制度", "签订委托照护协议书")
_YQ_ARCHIVE = Source(_YQ, "二、（三）8. 开展摸底走访建档", "做到一人一档")
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
_SY_CARER = Source(_SY, "二、（二）6. 完善委托照护制度",
                   "儿童主任入户走访发现被委托照护人缺乏照护能力或怠于履行照护职责的，要告知儿童父母或其他监护人")
_SY_REPORT = Source(_SY, "二、（二）7. 加强监护干预工作", "应当立即向公安、民政、教育等有关部门报告")
_SY_ABSENT = Source(_SY, "二、（二）7. 加强监护干预工作", "对于符合临时监护条件的可以采取委托亲属抚养、家庭寄养等方式进行安置")
_SY_ARCHIVE = Source(_SY, "二、（三）8. 健全完善档案资料", "按照“一人一档”的要求建立个人档案")
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
_XG_FREQUENT = Source(
    _XG, "二、（二）5. 开展摸底走访建档",
    "对父母双方或一方存在严重身体或智力残疾、儿童自身存在身体或智力残疾、有心理或行为异常的，儿童主任要加大走访频次",
)
_XG_TRIP = Source(
    _XG, "二、（一）2. 完善委托照护制度",
    "建立农村劳动力外出务工备案制度，父母双方外出务工前应将务工地点、联系方式和委托监护等"
    "基本信息主动告知村（居）民委员会和未成年子女就读学校",
)
_XG_CARER = Source(_XG, "二、（一）2. 完善委托照护制度",
                   "要告知儿童父母或其他监护人，及时向村（居）民委员会报告")
_XG_ENTRUST = Source(_XG, "二、（一）2. 完善委托照护制度", "落实签订委托照护协议书")
_XG_REPORT = Source(_XG, "二、（一）3. 加强监护干预工作", "应当立即向公安、民政、教体、卫生健康等有关部门报告")
_XG_ABSENT = Source(_XG, "二、（一）4. 强化政府兜底监护", "对于符合临时监护条件的留守儿童和困境儿童")
_XG_ARCHIVE = Source(_XG, "二、（二）5. 开展摸底走访建档", "做到一人一档")
_XG_SYSTEM = Source(_XG, "二、（二）5. 开展摸底走访建档", "及时录入和更新全国儿童福利信息系统")

# The law, cited where the plans repeat it or say nothing (DOMAIN §5.1).
LAW_ART21 = Source("", "《未成年人保护法》第二十一条")
LAW_ART22 = Source("", "《未成年人保护法》第二十二条")
LAW_ART23 = Source("", "《未成年人保护法》第二十三条")

_VISITS_BY_COLOUR = MappingProxyType({"red": 1, "yellow": 1, "blue": 2, "green": 3})

# The national profile: the common ground of the five plans, in 普宁's wording.
_NATIONAL_NOTE = ("全国通用配置：以国家关于农村留守儿童和困境儿童的文件定义为准，条文引用普宁方案中的原文表述；"
                  "走访频次取五地方案的共同要求（每月联系、每三个月入户走访）；不使用普宁的分色走访间隔。")
_NATIONAL_VISITS = Source(
    BASELINE_FILE, "三、分级分色跟踪服务 4.（五地方案共同要求：长治二（三）9、乐清二（三）8、邵阳二（二）9、香格里拉二（二）5）",
    "至少每个月联系一次，每三个月入户走访一次",
)


def _local_grades(note: str) -> Source:
    return Source("", f"本地做法：风险分色（{note}）")


# Settings no local plan changes: cite the baseline.
_BASE_SOURCES = {
    "away_distance": _PN_LEFT_BEHIND,
    "urban_children_count": _PN_RURAL,
    "hardship_age_range": _PN_HARDSHIP,
    "home_visit_months": _PN_COLOURS,
    "contact_months": _PN_CONTACT,
    "work_trip_registration_required": _PN_ENTRUST,
    "weekly_parent_contact_check": _PN_ENTRUST,
    "assessment_scoring": Source("", "本地做法：评分表和分级阈值（方案只要求开展评估，未规定评分）"),
    "hardship_extra_categories": _PN_HARDSHIP,
    "information_system": _PN_SYSTEM,
    "core_urban": _PN_CORE_URBAN,
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
    merged = {**_BASE_SOURCES, **sources}
    if code not in ("puning", "national"):
        # Another city's plan is never cited for this one: what it does not state is the
        # national definition or local practice, and says so.
        for key, source in list(merged.items()):
            if source.file == BASELINE_FILE:
                merged[key] = _NOT_STATED.get(key, Source("", "本方案未作规定（按国家文件）"))
    return Profile(code=code, name=name, sources=MappingProxyType(merged), **values)


_NOT_STATED = {
    "hardship_extra_categories": Source("", "本方案未增加困境儿童类别"),
    "hardship_age_range": Source("", "本方案未另行规定（按国家文件定义）"),
}


PROFILES: dict[str, Profile] = {
    p.code: p
    for p in (
        _profile("national", "全国通用", basis_note=_NATIONAL_NOTE, sources={
            "contact_months": _NATIONAL_VISITS, "home_visit_months": _NATIONAL_VISITS,
            "colours": _local_grades("全国文件未规定分色，沿用普宁方案的分色情形作风险提示"),
            "report": _PN_REPORT, "absent": _PN_ABSENT, "routing": _PN_ROUTING,
            "carer": _PN_CARER, "archive": _PN_ARCHIVE, "entrust": _PN_ENTRUST,
        }),
        _profile("changzhi", "长治市", frequent_visit_groups=(
                     "parent_disabled", "child_disabled", "behaviour", "single_parent"),
                 screenings_per_year=2, guidance_per_year=1, single_parent_ledger=True,
                 sources={
            "away_distance": _CZ_DEFINITION, "urban_children_count": _CZ_DEFINITION,
            "hardship_age_range": _CZ_DEFINITION, "contact_months": _CZ_VISITS,
            "home_visit_months": _CZ_VISITS, "frequent_visits": _CZ_FREQUENT,
            "work_trip_registration_required": _CZ_ENTRUST,
            "weekly_parent_contact_check": _CZ_ENTRUST, "information_system": _CZ_SYSTEM,
            "screenings_per_year": _CZ_SCREEN, "guidance_per_year": _CZ_GUIDANCE,
            "colours": _local_grades("长治方案无分色"), "report": _CZ_REPORT,
            "absent": _CZ_ABSENT, "carer": _CZ_CARER, "archive": _CZ_ARCHIVE,
            "entrust": _CZ_ENTRUST, "entrust_before": _CZ_BEFORE, "single_parent": _CZ_FREQUENT,
            "core_urban": _CZ_DEFINITION,
        }),
        _profile("yueqing", "乐清市", urban_children_count=True, weekly_parent_contact_check=True,
                 information_system="浙里护苗", frequent_visit_groups=(
                     "parent_disabled", "child_disabled", "behaviour", "assessed_high"),
                 assessment_required_for=("困境",), single_parent_ledger=True, sources={
                     "away_distance": _YQ_SCOPE, "urban_children_count": _YQ_SCOPE,
                     "contact_months": _YQ_VISITS, "home_visit_months": _YQ_VISITS,
                     "frequent_visits": _YQ_FREQUENT, "weekly_parent_contact_check": _YQ_WEEKLY,
                     "work_trip_registration_required": _YQ_ENTRUST,
                     "assessment_required": _YQ_ASSESS_WHO,
                     "information_system": _YQ_SYSTEM,
                     "colours": Source("", "本地做法：风险分色（乐清方案" + _YQ_COLOURS.clause
                                       + "提出“赋色管理”但未规定分色情形，沿用普宁方案的情形）"),
                     "report": _YQ_REPORT, "absent": _YQ_ABSENT, "carer": _YQ_CARER,
                     "archive": _YQ_ARCHIVE, "entrust": _YQ_ENTRUST, "single_parent": _YQ_SINGLE,
                     "core_urban": _YQ_SCOPE,
                 }),
        _profile("puning", "普宁市", information_system="民政综合信息服务平台",
                 colour_intervals=True, guidance_per_year=1, single_parent_ledger=True, sources={
            "information_system": _PN_PLATFORM, "colours": _PN_GRADES, "red": _PN_RED,
            "yellow": _PN_YELLOW, "blue": _PN_BLUE, "green": _PN_CONTACT,
            "report": _PN_REPORT, "routing": _PN_ROUTING, "absent": _PN_ABSENT,
            "to_civil": _PN_TO_CIVIL, "not_enough": _PN_NOT_ENOUGH, "manual": _PN_ASSESS,
            "guidance_per_year": _PN_GUIDANCE, "single_parent": _PN_SINGLE,
            "carer": _PN_CARER, "archive": _PN_ARCHIVE, "entrust": _PN_ENTRUST,
        }),
        _profile("shaoyang", "邵阳市", information_system="湖南省儿童福利信息系统",
                 assessment_required_for=("留守", "困境"), sources={
            "away_distance": _SY_DEFINITION, "urban_children_count": _SY_DEFINITION,
            "hardship_age_range": _SY_DEFINITION, "contact_months": _SY_VISITS,
            "home_visit_months": _SY_VISITS,
            "assessment_required": _SY_ASSESS,
            "work_trip_registration_required": _SY_ENTRUST,
            "weekly_parent_contact_check": _SY_ENTRUST, "information_system": _SY_SYSTEM,
            "colours": _local_grades("邵阳方案无分色"), "report": _SY_REPORT,
            "absent": _SY_ABSENT, "carer": _SY_CARER, "archive": _SY_ARCHIVE,
            "entrust": _SY_ENTRUST, "core_urban": _SY_DEFINITION,
        }),
        _profile("shangrila", "香格里拉市", away_distance="跨市", urban_children_count=True,
                 work_trip_registration_required=True,
                 hardship_extra_categories=("重病", "家庭监护不到位"),
                 frequent_visit_groups=("parent_disabled", "child_disabled", "behaviour"),
                 report_recipients=("公安", "民政", "教体", "卫生健康"),
                 carer_failure_village_report=True, sources={
                     "away_distance": _XG_SCOPE, "urban_children_count": _XG_URBAN,
                     "hardship_age_range": _XG_HARDSHIP, "contact_months": _XG_VISITS,
                     "home_visit_months": _XG_VISITS, "frequent_visits": _XG_FREQUENT,
                     "work_trip_registration_required": _XG_TRIP,
                     "weekly_parent_contact_check": _XG_TRIP,
                     "hardship_extra_categories": _XG_HARDSHIP, "information_system": _XG_SYSTEM,
                     "colours": _local_grades("香格里拉方案无分色"), "report": _XG_REPORT,
                     "absent": _XG_ABSENT, "carer": _XG_CARER, "archive": _XG_ARCHIVE,
                     "entrust": _XG_ENTRUST, "core_urban": _XG_SCOPE,
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


def basis_text(source: Source) -> str:
    """How a basis is shown: the plan and clause, or 本地做法 / the law."""
    if source.file:
        from_plan = PLAN_NAMES.get(source.file, source.file)
        return f"{from_plan} {source.clause}"
    return source.clause


PLAN_NAMES = {
    POLICY_FILES["changzhi"]: "长治市方案（000）",
    POLICY_FILES["yueqing"]: "乐清市方案（001）",
    POLICY_FILES["puning"]: "普宁市方案（002）",
    POLICY_FILES["shaoyang"]: "邵阳市方案（003）",
    POLICY_FILES["shangrila"]: "香格里拉市方案（004）",
}


def basis_code(source: Source) -> str:
    """``check --json``'s ``basis``: "local", "law:<clause>" or "<file>#<clause>"."""
    if source.file:
        return f"{source.file}#{source.clause}"
    if source.clause.startswith("《"):
        return f"law:{source.clause}"
    return "local"


def visit_interval_text(profile: Profile) -> tuple[str, Source]:
    if profile.colour_intervals:
        red = profile.local_value("red_visit_months")
        visits = "；".join(
            f"{vocab.COLOUR_NAMES[c]}每{profile.home_visit_months[c]}个月"
            for c in vocab.COLOURS if c != "red"
        )
        return f"红色即时介入（此后每{red}个月，本地做法）；{visits}", profile.sources["home_visit_months"]
    return f"每{profile.home_visit_base_months}个月", profile.sources["home_visit_months"]


def profile_settings(profile: Profile) -> list[tuple[str, str, Source]]:
    """(label, value, source) rows for showing the profile read-only. A source without a file
    is local practice (本地做法) or the law, never presented as the plan."""
    src = profile.sources
    low, high = profile.hardship_age_range
    extra = "、".join(profile.hardship_extra_categories) or "无"
    visits, visits_source = visit_interval_text(profile)
    rows = [
        ("留守儿童：父母外出范围至少", profile.away_distance, src["away_distance"]),
        ("城镇户籍儿童计入留守儿童", _yes_no(profile.urban_children_count),
         src["urban_children_count"]),
        ("困境儿童年龄范围", f"{low}周岁至未满{high}周岁", src["hardship_age_range"]),
        ("入户走访间隔", visits, visits_source),
        ("联系间隔", f"每{profile.contact_months}个月至少联系一次", src["contact_months"]),
        ("风险分色", "四色，含走访间隔" if profile.colour_intervals else "仅作风险提示，不改变走访间隔",
         src["colours"]),
    ]
    if profile.frequent_visit_groups:
        groups = "、".join(FREQUENT_GROUPS[g] for g in profile.frequent_visit_groups)
        months = profile.local_value("frequent_visit_months")
        rows.append(("加大走访频次的对象", groups, src["frequent_visits"]))
        rows.append(("上述对象的入户走访间隔", f"每{months}个月", local_source("frequent_visit_months")))
    rows += [
        ("须有外出务工备案", _yes_no(profile.work_trip_registration_required),
         src["work_trip_registration_required"]),
        ("走访时核查父母每周联系", _yes_no(profile.weekly_parent_contact_check),
         src["weekly_parent_contact_check"]),
        ("家庭监护能力评估评分表", SCORING_TABLES[profile.assessment_scoring].name,
         src["assessment_scoring"]),
        ("须做家庭监护能力评估的儿童",
         "、".join(f"{w}儿童" for w in profile.assessment_required_for) or "方案未要求",
         src.get("assessment_required", LOCAL_SOURCE) if profile.assessment_required_for
         else Source("", "方案未规定")),
        ("本地增加的困境儿童类别", extra, src["hardship_extra_categories"]),
        ("强制报告对象", "、".join(profile.report_recipients), src["report"]),
        ("单亲家庭儿童台账", "单独建账" if profile.single_parent_ledger else "方案未要求",
         src["single_parent"] if profile.single_parent_ledger else Source("", "方案未规定")),
        ("信息系统", profile.information_system, src["information_system"]),
    ]
    for label, (count, source) in (("每年全面摸底排查", profile.screenings_required()),
                                   ("每年家庭教育指导", profile.guidance_required())):
        rows.append((label, f"不少于{count}次" if count else "不检查", source))
    return rows


def local_practice_rows(profile: Profile) -> list[tuple[str, str, str, int, str]]:
    """(key, label, unit, value, note) of every local-practice setting, for 设置."""
    return [(s.key, s.label, s.unit, profile.local_value(s.key), s.note) for s in LOCAL_SETTINGS]
