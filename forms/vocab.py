"""The words the archive stores, imports and prints (DOMAIN.md §14).

Every enumerated field in the archive holds one of these Chinese words; nothing else
translates them. Codes exist only where an interface asks for them (``check --json``).
"""

REGISTRATION_TYPES = ("农村", "城镇")

PERSON_STATUSES = (
    "在家", "外出务工", "重残", "重病", "失联", "服刑在押", "强制隔离戒毒",
    "被遣送出境", "其他限制人身自由", "死亡",
)
# A parent in one of these has no guardianship capacity (DOMAIN §2.1, §14).
NO_GUARDIANSHIP_CAPACITY = (
    "重残", "重病", "失联", "服刑在押", "强制隔离戒毒", "被遣送出境", "其他限制人身自由", "死亡",
)

# Ordered from narrowest to widest: each wider one includes the narrower ones.
DISTANCES = ("县内", "跨县", "跨市", "跨省")

SCHOOLING_STATUSES = ("未入园", "幼儿园", "小学", "初中", "高中", "中职", "辍学", "不在学")
HEALTH_STATUSES = ("健康", "残疾", "患病", "重病")
DISABILITY_CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")

HARDSHIP_CATEGORIES = (
    "孤儿", "艾滋病病毒感染", "事实无人抚养", "低保", "低保边缘", "支出型困难", "特困",
    "重残", "兜底监护", "重病", "其他",
)

RED_CRITERIA = ("遭受侵害", "脱离监护", "监护缺失", "自杀自残", "其他红色情形")
YELLOW_CRITERIA = (
    "监护严重不足", "父母均重残", "父母均服刑", "辍学", "严重心理疾病", "父母均有恶习", "其他黄色情形",
)
BLUE_CRITERIA = ("监护不足", "心理行为异常", "父母一方有恶习", "其他蓝色情形")
RISK_CRITERIA = RED_CRITERIA + YELLOW_CRITERIA + BLUE_CRITERIA

CONTACT_KINDS = ("入户走访", "电话", "视频", "当面", "其他")
HOME_VISIT = "入户走访"

COLOURS = ("red", "yellow", "blue", "green")
COLOUR_NAMES = {"red": "红色", "yellow": "黄色", "blue": "蓝色", "green": "绿色"}
COLOUR_LEVELS = {"red": "高风险", "yellow": "中高风险", "blue": "中低风险", "green": "低风险"}
COLOUR_BY_NAME = {name: code for code, name in COLOUR_NAMES.items()}

FAMILY_RELATIONS = ("父亲", "母亲", "祖父", "祖母", "外祖父", "外祖母", "其他监护人")
PARENT_RELATIONS = ("父亲", "母亲")

SEXES = ("男", "女")

ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
    "基诺族", "其他",
)

GUARDIANSHIP_TYPES = ("无人监护", "父或母无监护能力", "受委托监护人监护能力不足", "一般", "较好")
ASSISTANCE_KINDS = ("低保", "临时救助", "医疗救助", "住房救助", "其他")

AGREEMENT_STATUSES = ("草稿", "已签订", "已终止")
# Art. 22 of the Minors Protection Law: who may not be an entrusted carer (DOMAIN §5.1).
CARER_EXCLUSIONS = (
    "有性侵害、虐待、遗弃、拐卖、暴力伤害等违法犯罪行为",
    "有吸毒、酗酒、赌博等恶习",
    "曾拒不履行或者长期怠于履行监护、照护职责",
    "其他不适宜担任被委托人的情形",
)

ASSESSMENT_LEVELS = ("低风险", "中风险", "中高风险", "高风险")

REFERRAL_DEPARTMENTS = (
    "县级民政", "县级教育", "县级医保", "县级残联", "县级卫生健康", "县级公安", "县级检察",
    "县级法院", "个案会商", "其他",
)
REPORT_RECIPIENTS = ("公安", "民政", "教育", "教体", "卫生健康", "其他")

# What a visit that finds the carer not doing the job leads to (DOMAIN §5; 普宁 五(二)5 and
# the same clause in every plan; 香格里拉 二(一)2 adds the report to the village committee).
CARER_FOLLOW_UP_ACTIONS = ("重新选择被委托照护人", "帮助、督促被委托照护人履行照护职责")

# 家庭监护能力评估 results (DOMAIN §6, after DB42/T 1969—2023).
ASSESSMENT_RESULTS = ("监护缺失", "监护失当", "监护不足", "监护正常")
# Placement when temporary guardianship applies (every plan's 临时监护 clause).
PLACEMENTS = ("委托亲属抚养", "家庭寄养", "未成年人救助保护机构", "儿童福利机构")

CARE_KINDS = ("生活帮扶", "学业帮扶", "心理疏导", "医疗救助", "政策落实", "物资发放", "其他")

# Category codes used by `tongdang check --json`.
CATEGORY_CODES = {
    "留守": "left_behind",
    "孤儿": "orphan",
    "艾滋病病毒感染": "hiv",
    "事实无人抚养": "de_facto_unsupported",
    "低保": "dibao",
    "低保边缘": "dibao_edge",
    "支出型困难": "expenditure_hardship",
    "特困": "tekun",
    "重残": "severe_disability",
    "兜底监护": "state_guardianship",
    "重病": "serious_illness",
    "其他": "other",
}
LEFT_BEHIND = "留守"


def split_multi(text: str | None) -> list[str]:
    """Split a cell holding several words ("孤儿、低保" or "孤儿；低保")."""
    if not text:
        return []
    for sep in ("；", ";", "，", ",", "/", "\n"):
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def join_multi(words) -> str:
    return "、".join(words)
