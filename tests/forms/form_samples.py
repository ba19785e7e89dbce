"""Filled forms and a whole dossier of fictional data, for tests and the dossier benchmark.

Every name, number and place here is invented; ID numbers are check-digit valid fakes.
"""

from __future__ import annotations

from datetime import date, timedelta

from forms.assessment import ASSESSMENT, DEFAULT_TABLE, score_assessment
from forms.basic_info import BASIC_INFO
from forms.dossier import Dossier, DossierPart
from forms.entrustment import ENTRUSTMENT
from forms.idnumber import make_id_number
from forms.running_lists import (
    CARE_RECORDS,
    PROBLEMS,
    PSYCH_ASSESSMENTS,
    REPORTS_REFERRALS,
    WORK_LOG,
)
from forms.spec import FilledForm
from forms.visit_record import VISIT_RECORD
from forms.work_trip import WORK_TRIP

AREA = "530922"
CHILD_NAME = "和小禾"
CHILD_BIRTH = date(2014, 5, 17)
CHILD_ID = make_id_number(AREA, CHILD_BIRTH, 21, male=False)
FATHER_ID = make_id_number(AREA, date(1986, 2, 3), 33, male=True)
MOTHER_ID = make_id_number(AREA, date(1988, 9, 12), 44, male=False)
CARER_ID = make_id_number(AREA, date(1958, 11, 30), 52, male=False)
VILLAGE = "青松村"
TOWNSHIP = "云岭镇"
DIRECTOR = "李春兰"
START = date(2024, 1, 8)


def basic_info(demo: bool = True) -> FilledForm:
    return FilledForm(BASIC_INFO, {
        "name": CHILD_NAME, "sex": "女", "ethnicity": "纳西族", "birth_date": CHILD_BIRTH,
        "id_number": CHILD_ID, "registered": True, "registration_type": "农村",
        "township": TOWNSHIP, "village": VILLAGE,
        "registered_address": f"云南省某县{TOWNSHIP}{VILLAGE}三组12号",
        "current_address": f"云南省某县{TOWNSHIP}{VILLAGE}三组12号",
        "health": "健康", "schooling": "小学", "school": "云岭镇中心小学四年级", "boarding": False,
        "categories": ["留守"], "single_parent": False, "risk_level": "绿色 低风险",
        "grandmother_name": "和玉珍", "grandmother_birth_date": date(1958, 11, 30),
        "father_name": "和建国", "father_birth_date": date(1986, 2, 3), "father_id_number": FATHER_ID,
        "father_status": "外出务工", "father_workplace": "广东省东莞市", "father_phone": "13812345678",
        "mother_name": "杨丽", "mother_birth_date": date(1988, 9, 12), "mother_id_number": MOTHER_ID,
        "mother_status": "外出务工", "mother_workplace": "广东省东莞市", "mother_phone": "13987654321",
        "both_parents_away": True, "one_away_other_incapable": False,
        "carer_name": "和玉珍", "carer_relation": "祖母", "carer_id_number": CARER_ID,
        "carer_phone": "0887-8221234", "carer_address": f"{VILLAGE}三组12号",
        "guardianship_type": "一般", "income_sources": "父母外出务工收入，家中种植少量玉米。",
        "assistance": ["临时救助"], "filler": DIRECTOR, "filled_on": START,
    }, demo=demo)


def agreement(demo: bool = True) -> FilledForm:
    return FilledForm(ENTRUSTMENT, {
        "entrustor_name": "和建国", "entrustor_relation": "父亲", "entrustor_id_number": FATHER_ID,
        "entrustor_phone": "13812345678", "entrustor_address": f"云南省某县{TOWNSHIP}{VILLAGE}三组12号",
        "entrustor_workplace": "广东省东莞市", "entrustor_left_on": date(2024, 2, 20),
        "carer_name": "和玉珍", "carer_relation": "祖母", "carer_age": 65, "carer_id_number": CARER_ID,
        "carer_health": "良好", "carer_address": f"{VILLAGE}三组12号", "carer_phone": "0887-8221234",
        "child_name": CHILD_NAME, "child_sex": "女", "child_birth_date": CHILD_BIRTH,
        "child_id_number": CHILD_ID, "child_school": "云岭镇中心小学四年级",
        "starts_on": date(2024, 2, 20), "ends_on": date(2025, 2, 19),
        "other_terms": "甲方每月5日前将生活费汇给乙方。",
        "village_opinion": "情况属实，同意备案。",
    }, demo=demo)


def assessment(demo: bool = True) -> FilledForm:
    answers = {i.key: i.choices[0 if n % 3 else 1] for n, i in enumerate(DEFAULT_TABLE.indicators)}
    score, level = score_assessment(answers, DEFAULT_TABLE)
    return FilledForm(ASSESSMENT, {
        "child_name": CHILD_NAME, "child_id_number": CHILD_ID, "village": VILLAGE,
        "assessed_on": date(2024, 3, 15), "guardian_name": "和玉珍", "guardian_relation": "祖母",
        "assessment_kind": "首次评估", **answers, "score": score, "level": level,
        "measures": "每三个月入户走访一次，督促父母每周联系孩子。", "assessor": DIRECTOR,
        "reviewer": "赵明",
    }, demo=demo)


def work_trip(demo: bool = True) -> FilledForm:
    return FilledForm(WORK_TRIP, {
        "worker_name": "和建国", "worker_relation": "父亲", "worker_id_number": FATHER_ID,
        "worker_phone": "13812345678", "workplace": "广东省东莞市长安镇", "employer": "某电子厂",
        "left_on": date(2024, 2, 20), "distance": "跨省", "other_parent": "杨丽，同在东莞务工",
        "child_name": CHILD_NAME, "child_sex": "女", "child_id_number": CHILD_ID,
        "carer_name": "和玉珍", "carer_relation": "祖母", "carer_phone": "0887-8221234",
        "agreement_signed": True, "told_village": True, "told_village_on": date(2024, 2, 18),
        "told_school": True, "told_school_on": date(2024, 2, 19),
    }, demo=demo)


def visit(n: int, on: date, demo: bool = True) -> FilledForm:
    return FilledForm(VISIT_RECORD, {
        "child_name": CHILD_NAME, "village": VILLAGE, "visited_on": on,
        "kind": "入户走访" if n % 3 == 0 else "电话", "visitor": DIRECTOR, "met": "祖母和玉珍",
        "parents_contacted_past_week": n % 5 != 4,
        "living": "饮食起居正常，衣物整洁。", "safety": "已提醒暑期防溺水，家中用电安全。",
        "schooling": "按时上学，成绩中等。", "health": "身体健康。",
        "psychology": "想念父母，情绪总体稳定。" if n % 4 else "近期较沉默，已与班主任沟通。",
        "guardianship": "祖母照料尽心，年事渐高，体力一般。", "carer_fulfils": True,
        "problems": "" if n % 6 else "冬季取暖用电线路老化。",
        "actions": "" if n % 6 else "联系村委会协调电工检修。",
    }, demo=demo)


def running_list(spec, rows: list[dict], demo: bool = True) -> FilledForm:
    return FilledForm(spec, {"child_name": CHILD_NAME, "village": VILLAGE,
                             "child_director": DIRECTOR}, {"rows": rows}, demo=demo)


def dossier(visits: int = 24, demo: bool = True) -> Dossier:
    """A child with two years of records."""
    visit_dates = [START + timedelta(days=30 * i + 3) for i in range(visits)]
    care = [{"on": START + timedelta(days=90 * i + 10), "kind": kind, "content": content,
             "helper": helper, "effect": "已落实"}
            for i, (kind, content, helper) in enumerate([
                ("学业帮扶", "发放学习用品一套，联系志愿者每周辅导数学。", "镇社工站"),
                ("物资发放", "发放冬衣、棉被。", "县妇联"),
                ("心理疏导", "社工开展两次个别心理辅导。", "镇社工站"),
                ("政策落实", "协助申请临时救助1500元。", "镇民政办"),
                ("生活帮扶", "检修家中电线，更换插座。", "村委会"),
            ])]
    problems = [{"found_on": visit_dates[i], "problem": p, "solution": s, "responsible": DIRECTOR,
                 "solved_on": visit_dates[i] + timedelta(days=12)}
                for i, (p, s) in enumerate([
                    ("冬季取暖用电线路老化。", "联系村委会协调电工检修。"),
                    ("父母近一周未与儿童联系。", "电话提醒父母每周至少联系一次。"),
                    ("儿童情绪低落，不愿与人交流。", "转介镇社工站开展心理辅导。"),
                ], start=0)]
    log = [{"on": d, "content": f"对{CHILD_NAME}开展走访/联系，了解生活学习情况。",
            "people": DIRECTOR, "note": ""} for d in visit_dates]
    psych = [{"on": date(2024, 9, 20), "tool": "镇社工站（儿童心理健康筛查量表）",
              "result": "轻度焦虑倾向，建议持续关注。", "follow_up": "每月一次心理陪伴。"}]
    referrals = [{"on": visit_dates[8], "kind": "转介", "reporter": DIRECTOR,
                  "recipient": "镇社工站", "matter": "情绪低落", "outcome": "已开展心理辅导"}]
    span = f"{visit_dates[0]:%Y%m%d}—{visit_dates[-1]:%Y%m%d}"
    parts = [
        DossierPart("委托照护协议", "和建国、和玉珍", "", date(2024, 2, 20), [agreement(demo)]),
        DossierPart("儿童基本信息", TOWNSHIP + "民政办", "", START, [basic_info(demo)]),
        DossierPart("走访记录", DIRECTOR, "", span,
                    [visit(n, d, demo) for n, d in enumerate(visit_dates)]),
        DossierPart("工作日志", DIRECTOR, "", span, [running_list(WORK_LOG, log, demo)]),
        DossierPart("关爱帮扶记录", DIRECTOR, "", span, [running_list(CARE_RECORDS, care, demo)]),
        DossierPart("发现问题和解决方案", DIRECTOR, "", span,
                    [running_list(PROBLEMS, problems, demo)]),
        DossierPart("家庭监护能力评估", DIRECTOR, "", date(2024, 3, 15), [assessment(demo)]),
        DossierPart("外出务工备案", VILLAGE + "村民委员会", "", date(2024, 2, 18), [work_trip(demo)]),
        DossierPart("心理测评", "镇社工站", "", date(2024, 9, 20),
                    [running_list(PSYCH_ASSESSMENTS, psych, demo)]),
        DossierPart("强制报告与转介", DIRECTOR, "", visit_dates[8],
                    [running_list(REPORTS_REFERRALS, referrals, demo)]),
    ]
    return Dossier(
        archive_no="530922-2024-Y-0012", name=CHILD_NAME, village=VILLAGE, township=TOWNSHIP,
        created_on=START, keeper=f"{TOWNSHIP}人民政府民政办", retention="永久", parts=parts,
        notes="", compiler="王芳", checker="赵明", compiled_on=date(2025, 12, 31), demo=demo,
    )


# --- long real values: every field filled as long as real data gets ----------------------

_LONG_TEXT = "云南省迪庆藏族自治州香格里拉市建塘镇尼史村民委员会第三村民小组（老街）"
_LONG_NOTE = ("儿童随祖母生活，祖母年老体弱，患高血压多年；父亲在浙江省宁波市务工，每周视频联系一次，"
              "母亲改嫁后失去联系。儿童性格内向，学习成绩中等，偶有迟到。已协调学校老师每周谈心一次。")


def long_value(f, n: int = 0):
    """A long but realistic value for one field (ID numbers check-digit valid)."""
    if f.kind == "id_number":
        return make_id_number("533401", date(1967, 1, 12), 114 + n, male=True)
    if f.kind == "phone":
        return "13887654321"
    if f.kind == "date":
        return date(2026, 12, 28)
    if f.kind == "choice":
        return max(f.choices, key=len)
    if f.kind == "multichoice":
        return list(f.choices[:4])
    if f.kind == "bool":
        return True
    if f.kind == "number":
        return 66
    if f.kind == "multiline":
        return _LONG_NOTE
    label = f.label
    if "姓名" in label or label.endswith(("人", "人员", "（签名）", "签名）", "（盖章）")) \
            or "签名" in label:
        return "欧阳晓春"
    if "关系" in label:
        return "外祖母"
    if "学校" in label:
        return "香格里拉市建塘镇尼史村完全小学四年级"
    return _LONG_TEXT[: 6 * f.span + 4]


def long_form(spec, rows: int = 3, demo: bool = True) -> FilledForm:
    values = {f.key: long_value(f, n) for n, f in enumerate(spec.fields())}
    table_rows = {s.row_key: [{c.key: long_value(c, i) for c in s.columns} for i in range(rows)]
                  for s in spec.table_sections()}
    return FilledForm(spec, values, table_rows, demo=demo)
