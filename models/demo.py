"""Realistic fictional data for a demo archive (``tongdang demo``).

Common Chinese names, check-digit-valid ID numbers with the county's area code, parents away
for work, carers, agreements, assessments, and two years of contacts and visits following the
policy rhythm with realistic gaps, so that some children are overdue. Nothing here is real.
"""

import json
import random
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from forms import vocab
from forms.idnumber import make_id_number
from models.schema import (
    Carer,
    CareRecord,
    Child,
    ChildDirector,
    Contact,
    DirectorVillage,
    EntrustmentAgreement,
    FamilyMember,
    GuardianshipAssessment,
    GuidanceSession,
    MandatoryReport,
    Problem,
    PsychAssessment,
    Referral,
    RiskFinding,
    ScreeningRound,
    Township,
    Training,
    Village,
    WorkLogEntry,
    WorkTripRegistration,
    database,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_BOY = "浩宇轩子俊杰涛明磊鹏博文强伟辉豪天佳一晨睿泽铭航阳凯嘉瑞"
GIVEN_GIRL = "欣怡梓涵雨萱思琪佳悦诗婷雅静晓彤可馨紫玉婉清梦洁若兰慧敏"
GIVEN_ADULT_M = "建国志强国平伟明永红建华海军文斌德明春生卫东"
GIVEN_ADULT_F = "秀英桂兰玉梅丽华春燕海燕秀珍凤英小红美玲"
VILLAGE_STEMS = ["东坡", "西岭", "南山", "北河", "石桥", "柳树", "桃园", "杨家", "李庄", "上塘", "下湾", "龙泉", "青山", "白沙", "新华", "红星", "长乐", "马坊", "枣林", "梨花", "竹园", "松林", "高岗", "双河", "三合", "五里", "凤凰", "金鸡", "黄土", "槐树"]
PROVINCES = ["广东省深圳市", "广东省东莞市", "浙江省杭州市", "浙江省宁波市", "江苏省苏州市",
             "上海市", "北京市", "福建省厦门市", "山西省太原市", "湖南省长沙市", "云南省昆明市"]
SCHOOL_SUFFIX = {"小学": "中心小学", "初中": "初级中学", "高中": "高级中学", "幼儿园": "中心幼儿园",
                 "中职": "职业中学"}
# A county area code per profile, so ID numbers look like the township's own.
AREA_CODES = {"national": "110229", "changzhi": "140428", "yueqing": "330382",
              "puning": "445281", "shaoyang": "430523", "shangrila": "533401"}

VISIT_NOTES = ["生活正常，照护人照料较好", "学习成绩中等，按时到校", "身体健康，饮食起居规律",
               "情绪稳定，与同学相处融洽", "家中卫生较差，已提醒照护人", "近期感冒已好转",
               "照护人年纪较大，照护能力一般", "父母每周视频通话"]
PROBLEMS = [("学习成绩下滑，作业常不完成", "联系班主任加强辅导，安排志愿者课业辅导"),
            ("照护人患病，照护能力下降", "联系父母协商更换照护人，村委会协助照看"),
            ("家中房屋漏雨存在安全隐患", "协调住房救助，村委会组织修缮"),
            ("儿童情绪低落、不愿说话", "转介学校心理老师进行心理疏导"),
            ("未参加城乡居民医疗保险", "协助办理参保手续"),
            ("冬季取暖用电存在隐患", "入户排查线路并进行用电安全教育")]
CARE = [("物资发放", "发放学习用品和冬衣"), ("学业帮扶", "志愿者每周课业辅导"),
        ("心理疏导", "社工开展心理疏导一次"), ("政策落实", "协助申请临时救助"),
        ("生活帮扶", "走访时送去生活用品")]


# A few children of every colour, whatever the random draw gives: (seq % 100) -> colour. They
# get their colour from ordinary recorded facts (a risk finding, a report), never from a manual
# colour, so the rules place them. "red" children have no intervention recorded yet, so they
# are on the 工作台 under 红色高风险待介入; "red_acted" ones were reported and referred.
SHOWCASE = {11: "red", 83: "red", 47: "red_acted",
            5: "yellow", 38: "yellow", 71: "yellow", 17: "blue", 62: "blue", 94: "blue"}
SHOWCASE_FINDINGS = {"red": vocab.RED_CRITERIA[:3], "red_acted": vocab.RED_CRITERIA[:1],
                     "yellow": ("监护严重不足", "严重心理疾病"), "blue": ("监护不足", "心理行为异常")}


def generate(children: int, seed: int | None = None, today: date | None = None,
             writer=None, progress: Callable[[int, int], None] | None = None) -> int:
    """Add ``children`` fictional children (with two years of records) to the open archive."""
    rng = random.Random(seed)
    today = today or date.today()
    township = Township.get()
    area = township.area_code or AREA_CODES.get(township.profile, "110229")
    used_ids = {number for (number,) in Child.select(Child.id_number).tuples()}
    with database.atomic():
        villages = _villages(writer, rng, max(3, children // 60))
        directors = _directors(writer, rng, villages, today)
        _township_activities(writer, rng, directors, today)
        done = 0
        batch = 500
        for start in range(0, children, batch):
            count = min(batch, children - start)
            _children_batch(writer, rng, area, villages, directors, today, start, count, used_ids)
            done += count
            if progress:
                progress(done, children)
    return children


def fill_archive(archive, children: int, seed: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """``generate`` into a demo archive in one transaction: a killed run leaves none of it."""
    with archive.db.atomic():
        return generate(children, seed=seed, writer=archive.writer(), progress=progress)


def _villages(writer, rng, count):
    existing = list(Village.select())
    names = {v.name for v in existing}
    rows = []
    i = 0
    while len(existing) + len(rows) < count:
        stem = VILLAGE_STEMS[i % len(VILLAGE_STEMS)]
        name = stem + ("村" if i < len(VILLAGE_STEMS) else f"{i // len(VILLAGE_STEMS) + 1}组村")
        if name not in names:
            names.add(name)
            rows.append({"name": name, "kind": "村"})
        i += 1
    if rows:
        writer.create_many(Village, rows)
    return list(Village.select().order_by(Village.id))


def _adult_name(rng, male):
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN_ADULT_M if male else GIVEN_ADULT_F, 2))


def _phone(rng):
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def _directors(writer, rng, villages, today):
    if ChildDirector.select().exists():
        return {dv.village_id: dv.director_id for dv in DirectorVillage.select()}
    rows = [{"name": _adult_name(rng, rng.random() < 0.4), "phone": _phone(rng),
             "started_on": today - timedelta(days=rng.randint(400, 2000))} for _ in villages]
    ids = writer.create_many(ChildDirector, rows)
    writer.create_many(DirectorVillage, [{"director": d, "village": v.id}
                                         for d, v in zip(ids, villages, strict=True)])
    trainings = [{"director": d, "on": today - timedelta(days=rng.randint(10, 300)),
                  "topic": rng.choice(["儿童主任业务培训", "未成年人保护法解读", "心理健康辅导技能"]),
                  "hours": rng.choice([4, 8, 16])} for d in ids if rng.random() < 0.8]
    writer.create_many(Training, trainings)
    return {v.id: d for d, v in zip(ids, villages, strict=True)}


def _township_activities(writer, rng, directors, today):
    if ScreeningRound.select().exists():
        return
    writer.create_many(ScreeningRound, [
        {"started_on": date(today.year, 3, 1), "finished_on": date(today.year, 3, 31),
         "children_screened": 0, "notes": "春季全面摸底排查"},
    ])
    writer.create_many(GuidanceSession, [
        {"on": date(today.year, 5, 15), "topic": "家庭教育指导讲座", "audience": "父母、监护人、受委托照护人",
         "attendees": rng.randint(30, 80)}])


def _children_batch(writer, rng, area, villages, directors, today, start, count, used_ids):
    child_rows, plans = [], []
    for n in range(count):
        plan = _plan_child(rng, area, villages, directors, today, start + n, used_ids)
        plan["seq"] = start + n
        child_rows.append(plan.pop("child"))
        plans.append(plan)
    child_ids = writer.create_many(Child, child_rows)
    tables: dict = {}
    for child_id, plan in zip(child_ids, plans, strict=True):
        _records_for(rng, child_id, plan, today, tables)
    # Parents and carers first: agreements point at them.
    member_ids = writer.create_many(FamilyMember, [r for r, _ in tables.pop("family", [])])
    carer_ids = writer.create_many(Carer, tables.pop("carer", []))
    carer_by_child = {c.child_id: c.id for c in
                      Carer.select(Carer.id, Carer.child).where(Carer.id.in_(carer_ids))}
    principal_by_child = {}
    for member in (FamilyMember.select(FamilyMember.id, FamilyMember.child, FamilyMember.relation)
                   .where(FamilyMember.id.in_(member_ids) & (FamilyMember.relation == "父亲"))):
        principal_by_child[member.child_id] = member.id
    for row in tables.get(EntrustmentAgreement, []):
        row["carer"] = carer_by_child.get(row["child"])
        row["principal"] = principal_by_child.get(row["child"])
    for model, rows in tables.items():
        if rows:
            writer.create_many(model, rows)


def _unique_id_number(area, birth, male, rng, used_ids):
    while True:
        number = make_id_number(area, birth, rng.randint(0, 999), male)
        if number not in used_ids:
            used_ids.add(number)
            return number


def _plan_child(rng, area, villages, directors, today, seq, used_ids):
    male = rng.random() < 0.52
    age_days = rng.randint(365 * 1, 365 * 16 - 30)
    birth = today - timedelta(days=age_days)
    surname = rng.choice(SURNAMES)
    name = surname + "".join(rng.sample(GIVEN_BOY if male else GIVEN_GIRL, rng.choice([1, 2])))
    village = rng.choice(villages)
    age = age_days // 365
    schooling = ("未入园" if age < 3 else "幼儿园" if age < 6 else "小学" if age < 12 else
                 "初中" if age < 15 else "高中")
    if age >= 12 and rng.random() < 0.02:
        schooling = "辍学"
    kind = rng.random()
    hardship = []
    health, disability_category, disability_grade = "健康", "", ""
    if kind > 0.80:
        hardship = rng.choice([["低保"], ["低保边缘"], ["孤儿"], ["事实无人抚养"], ["特困"],
                               ["支出型困难"], ["低保", "重病"]])
    if rng.random() < 0.05:
        health, disability_category = "残疾", rng.choice(vocab.DISABILITY_CATEGORIES)
        disability_grade = rng.choice(vocab.DISABILITY_GRADES)
    entered = max(birth, today - timedelta(days=rng.randint(400, 1100)))
    child = {
        "id_number": _unique_id_number(area, birth, male, rng, used_ids),
        "name": name, "ethnicity": "汉族" if rng.random() < 0.9 else rng.choice(vocab.ETHNICITIES[1:10]),
        "registration": "农村" if kind <= 0.85 or rng.random() < 0.7 else "城镇",
        "village": village.id, "address": f"{village.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
        "registered_address": f"{village.name}{rng.randint(1, 12)}组",
        "school": (village.name[:2] + SCHOOL_SUFFIX[schooling]) if schooling in SCHOOL_SUFFIX else "",
        "grade": _grade(schooling, age), "schooling": schooling, "health": health,
        "disability_category": disability_category, "disability_grade": disability_grade,
        "single_parent": rng.random() < 0.08, "hardship_categories": vocab.join_multi(hardship),
        "guardianship_type": rng.choice(["一般", "较好", "一般", "受委托监护人监护能力不足"]),
        "director": directors.get(village.id), "entered_on": entered,
    }
    return {"child": child, "birth": birth, "entered": entered, "surname": surname, "area": area,
            "orphan": "孤儿" in hardship, "left_behind": kind <= 0.85 and "孤儿" not in hardship}


def _grade(schooling, age):
    if schooling == "小学":
        return f"{min(6, max(1, age - 5))}年级"
    if schooling == "初中":
        return f"初{min(3, max(1, age - 11))}"
    if schooling == "高中":
        return "高一"
    return ""


def _records_for(rng, child_id, plan, today, tables):
    def add(model, row):
        tables.setdefault(model, []).append(row)

    entered = plan["entered"]
    father, mother = _adult_name(rng, True), _adult_name(rng, False)
    father = plan["surname"] + father[1:]
    if plan["orphan"]:
        statuses = ("死亡", "死亡")
    elif plan["left_behind"]:
        statuses = rng.choice([("外出务工", "外出务工")] * 6 + [("外出务工", "重病"), ("外出务工", "失联"),
                                                             ("外出务工", "服刑在押")])
    else:
        statuses = rng.choice([("在家", "在家"), ("外出务工", "在家"), ("重残", "在家")])
    workplace = rng.choice(PROVINCES)
    for relation, person, status in (("父亲", father, statuses[0]), ("母亲", mother, statuses[1])):
        away = status == "外出务工"
        born = plan["birth"] - timedelta(days=rng.randint(8000, 12000))
        tables.setdefault("family", []).append(({
            "child": child_id, "relation": relation, "name": person, "status": status,
            "workplace": workplace if away else "",
            "distance": rng.choice(["跨省", "跨省", "跨市", "跨县"]) if away else None,
            "away_since": entered - timedelta(days=rng.randint(100, 900)) if away else None,
            "phone": _phone(rng), "birth_date": born,
            "id_number": make_id_number(plan["area"], born, rng.randint(0, 999), relation == "父亲"),
        }, None))
    grandma = plan["surname"] + _adult_name(rng, False)[1:]
    if plan["left_behind"] or plan["orphan"]:
        born = plan["birth"] - timedelta(days=rng.randint(18000, 24000))
        tables.setdefault("carer", []).append({
            "child": child_id, "name": grandma, "relation": "祖母", "phone": _phone(rng),
            "birth_date": born, "health": "健康", "address": "同儿童住址",
            "id_number": make_id_number(plan["area"], born, rng.randint(0, 999), False)})
    if plan["left_behind"]:
        signed = entered + timedelta(days=rng.randint(0, 40))
        unsigned = rng.random() < 0.06
        while True:
            ends = signed + relativedelta(years=rng.choice([1, 2, 3]))
            add(EntrustmentAgreement, {
                "child": child_id, "starts_on": signed, "ends_on": ends,
                "signed_on": None if unsigned else signed, "status": "草稿" if unsigned else "已签订",
                "carer_declared": not unsigned, "witness": "村民委员会",
                # Art. 23 written notice to the school and the village (schema v5)
                "school_told_on": None if unsigned else signed,
                "village_told_on": None if unsigned else signed})
            # Most families renew on time; a few let it lapse (the dashboard shows them).
            if unsigned or ends >= today or rng.random() < 0.1:
                break
            signed = ends - timedelta(days=rng.randint(0, 10))
    _contacts(rng, child_id, entered, today, add)
    if rng.random() < 0.35:
        on = today - timedelta(days=rng.randint(20, 500))
        seed = rng.randint(55, 95)
        answers, score, level = _demo_answers(seed, rng.choice(["低风险", "低风险", "中风险", "中高风险"]))
        add(GuardianshipAssessment, {
            "child": child_id, "on": on, "answers": json.dumps(answers), "score": score,
            "level": level, "assessor": "儿童主任",
            "reviewer": "儿童督导员", "guardian_acknowledged": True})
    if rng.random() < 0.06:
        criterion = rng.choice(vocab.YELLOW_CRITERIA[:1] + vocab.BLUE_CRITERIA[:2])
        add(RiskFinding, {"child": child_id, "criterion": criterion,
                          "found_on": today - timedelta(days=rng.randint(30, 400))})
    if rng.random() < 0.004:
        found = today - timedelta(days=rng.randint(1, 60))
        add(RiskFinding, {"child": child_id, "criterion": rng.choice(vocab.RED_CRITERIA[:3]), "found_on": found})
        if rng.random() < 0.5:
            add(MandatoryReport, {"child": child_id, "on": found, "reporter": "儿童主任",
                                  "reported_to": "公安", "content": "发现疑似侵害情形，立即报告"})
            add(Referral, {"child": child_id, "on": found + timedelta(days=1), "department": "县级公安",
                           "reason": "疑似遭受侵害，依法强制报告并转介", "outcome": ""})
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        found = today - timedelta(days=rng.randint(5, 600))
        text, solution = rng.choice(PROBLEMS)
        solved = rng.random() < 0.8
        add(Problem, {"child": child_id, "found_on": found, "description": text,
                      "solution": solution if solved else "",
                      "solved_on": found + timedelta(days=rng.randint(3, 40)) if solved else None,
                      "responsible": "儿童主任"})
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        kind, content = rng.choice(CARE)
        add(CareRecord, {"child": child_id, "on": today - timedelta(days=rng.randint(5, 700)),
                         "kind": kind, "content": content, "provider": "乡镇民政办"})
    add(WorkLogEntry, {"child": child_id, "on": entered, "author": "乡镇民政办",
                       "content": "完成建档，录入儿童基本信息"})
    if rng.random() < 0.03:
        add(PsychAssessment, {"child": child_id, "on": today - timedelta(days=rng.randint(10, 300)),
                              "instrument": "儿童心理健康筛查量表", "result": "总体正常，建议持续关注",
                              "assessor": "学校心理老师",
                              "follow_up": "班主任每周关注情绪变化，下学期复测"})
    if plan["left_behind"] and rng.random() < 0.5:
        add(WorkTripRegistration, {"child": child_id, "registered_on": entered,
                                   "workplace": rng.choice(PROVINCES), "carer_name": grandma,
                                   "village_notified": True, "school_notified": rng.random() < 0.8})
    _showcase(child_id, plan, today, tables)


def _showcase(child_id, plan, today, tables):
    """The recorded facts that give a showcase child its colour (see ``SHOWCASE``)."""
    seq = plan.get("seq", -1)
    colour = SHOWCASE.get(seq % 100)
    if colour is None:
        return
    words = SHOWCASE_FINDINGS[colour]
    criterion = words[(seq // 100) % len(words)]
    found = today - timedelta(days=1 + seq % 5 if colour == "red" else 20 + seq % 90)
    note = {"遭受侵害": "村民反映儿童身上多处伤痕，疑似遭受家暴",
            "脱离监护": "照护人外出多日，儿童独自在家",
            "监护缺失": "照护人病故，父母联系不上"}.get(criterion, "走访中发现")
    tables.setdefault(RiskFinding, []).append(
        {"child": child_id, "criterion": criterion, "found_on": found, "notes": note})
    if colour == "red":
        # Not acted on yet: nothing recorded since it was found (the dashboard lists the child).
        for model in (CareRecord, Referral, MandatoryReport):
            rows = tables.get(model, [])
            tables[model] = [r for r in rows if r["child"] != child_id or r["on"] < found]
    elif colour == "red_acted":
        tables.setdefault(MandatoryReport, []).append(
            {"child": child_id, "on": found, "reporter": "儿童主任", "reported_to": "公安",
             "content": "发现疑似侵害情形，立即报告"})
        tables.setdefault(Referral, []).append(
            {"child": child_id, "on": found + timedelta(days=1), "department": "县级公安",
             "reason": "疑似遭受侵害，依法强制报告并转介", "outcome": "已立案调查，儿童由祖母照护"})


def _demo_answers(seed: int, level: str) -> tuple[dict, int, str]:
    """Indicator answers whose points add up to ``level`` under the default scoring table
    (from their own random stream, so the rest of the demo data stays the same)."""
    from forms.assessment import DEFAULT_TABLE

    local = random.Random(seed * 31 + len(level))
    weights = {"低风险": (8, 2, 0), "中风险": (4, 4, 1), "中高风险": (2, 4, 3)}.get(level, (1, 3, 5))
    for _ in range(200):
        answers = {i.key: local.choices(range(len(i.options)), weights)[0]
                   for i in DEFAULT_TABLE.indicators}
        score = sum(i.options[answers[i.key]][1] for i in DEFAULT_TABLE.indicators)
        if DEFAULT_TABLE.level_for(score) == level:
            return answers, score, level
    return answers, score, DEFAULT_TABLE.level_for(score)


def _contacts(rng, child_id, entered, today, add):
    """Monthly contacts and a home visit about every quarter, with gaps for some children."""
    careless = rng.random() < 0.15
    day = entered + timedelta(days=rng.randint(0, 20))
    month = 0
    while day <= today:
        if careless and rng.random() < 0.35:
            day += timedelta(days=rng.randint(30, 70))
            continue
        home = month % 3 == 0
        add(Contact, {
            "child": child_id, "on": day, "kind": "入户走访" if home else rng.choice(["电话", "电话", "视频", "当面"]),
            "visitor": "儿童主任", "met": "儿童及照护人" if home else "",
            "parents_contacted_past_week": (rng.random() > 0.05) if home else None,
            "living": rng.choice(VISIT_NOTES) if home else "", "safety": "无安全隐患" if home else "",
            "schooling": "正常上学" if home else "", "health": "健康" if home else "",
            "problems": "", "actions": "", "follow_up": "",
        })
        month += 1
        day += timedelta(days=rng.randint(24, 34))


