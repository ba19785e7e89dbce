"""Importing the Excel ledger: all rows checked first, all or nothing, idempotent re-import."""

import json
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from exports.ledger_report import write_issue_report
from exports.ledger_template import write_ledger_template
from forms import ledger
from forms.idnumber import make_id_number
from models.derived import attach
from models.ledger_import import (
    ImportCancelled,
    LedgerInvalid,
    import_ledger,
    validate_ledger,
)
from models.schema import (
    AuditEntry,
    Carer,
    Child,
    ChildDirector,
    Contact,
    FamilyMember,
    RiskFinding,
    Village,
)

TODAY = date.today()


def child_id(i: int) -> str:
    return make_id_number("140428", date(2012 + i % 8, 1 + i % 12, 1 + i % 28), i, i % 2 == 0)


def child_row(i: int, **over) -> dict:
    row = {
        "姓名": f"王{'明红刚丽'[i % 4]}{i}", "身份证号": child_id(i), "民族": "汉族", "户籍类型": "农村",
        "村(社区)": f"{'东坡西岭南山'[i % 3 * 2:i % 3 * 2 + 2]}村", "家庭住址": f"{i}号",
        "就读学校": "中心小学", "年级": "三年级", "就学状况": "小学", "健康状况": "健康",
        "困境类别": "低保、重残" if i % 10 == 0 else None, "单亲家庭": "是" if i % 7 == 0 else "否",
        "风险情形": "辍学" if i % 100 == 0 else None,
        "父亲姓名": "王大", "父亲身份证号": make_id_number("140428", date(1985, 3, 3), i, True),
        "父亲状况": "外出务工", "父亲外出范围": "跨省", "父亲外出起始日期": date(2024, 1, 1),
        "父亲联系电话": "13800138000",
        "母亲姓名": "李二", "母亲状况": "外出务工", "母亲外出范围": "跨市", "母亲外出起始日期": "2024-02-01",
        "母亲联系电话": "13900139000",
        "照护人姓名": "王奶奶", "照护人与儿童关系": "祖母", "照护人联系电话": "13700137000",
        "儿童主任": "张主任" if i % 2 else "赵主任", "登记日期": date(2025, 1, 1), "备注": None,
    }
    row.update(over)
    return row


def visit_row(i: int, k: int, **over) -> dict:
    row = {"身份证号": child_id(i), "日期": date(2025, 2 + k, 3), "方式": "入户走访" if k % 3 == 0 else "电话",
           "走访人": "张主任", "情况记录": f"第{k}次，生活正常", "发现问题": None, "处理措施": None}
    row.update(over)
    return row


def make_ledger(path, children=(), visits=(), children_headers=None):
    """A ledger made from the template, filled the way a clerk fills it."""
    write_ledger_template(path)
    wb = load_workbook(path)
    ws = wb[ledger.CHILDREN.name]
    headers = children_headers or ledger.CHILDREN.headers
    if children_headers:
        for index, header in enumerate(headers, start=1):
            ws.cell(1, index, header)
    for row in children:
        ws.append([row.get(h) for h in headers])
    wv = wb[ledger.VISITS.name]
    for row in visits:
        wv.append([row.get(h) for h in ledger.VISITS.headers])
    wb.save(path)
    return path


@pytest.fixture
def archive(new_archive):
    attach(new_archive)  # keep the cached colour/due dates current, as the app does
    return new_archive


def audit_count():
    return AuditEntry.select().count()


def test_import_of_2000_children_with_visits(archive, tmp_path):
    rows = [child_row(i) for i in range(2000)]
    visits = [visit_row(i, k) for i in range(0, 2000, 4) for k in range(5)]
    path = make_ledger(tmp_path / "台账.xlsx", rows, visits)
    seen = []
    summary = import_ledger(path, archive.writer(), progress=lambda d, t: seen.append((d, t)))

    assert summary.new_children == 2000 and summary.updated_children == 0
    assert summary.unchanged_children == 0
    assert summary.new_villages == 3 and summary.new_directors == 2
    assert summary.visits_added == 2500 and summary.risk_findings_added == 20
    assert Child.select().count() == 2000
    assert Contact.select().count() == 2500
    assert sorted(v.name for v in Village.select()) == ["东坡村", "南山村", "西岭村"]
    assert seen and seen[-1][0] == seen[-1][1]

    c = Child.get(Child.id_number == child_id(10))
    assert c.name == "王刚10" and c.registration == "农村" and c.schooling == "小学"
    assert c.village.name == "西岭村" and c.director.name == "赵主任"
    assert c.hardship_categories == "低保、重残" and c.single_parent is False
    assert c.entered_on == date(2025, 1, 1)
    assert c.birth_date == date(2014, 11, 11)  # derived from the ID number
    assert Child.get(Child.id_number == child_id(7)).single_parent is True
    father = FamilyMember.get(FamilyMember.child == c, FamilyMember.relation == "父亲")
    mother = FamilyMember.get(FamilyMember.child == c, FamilyMember.relation == "母亲")
    assert (father.name, father.status, father.distance, father.away_since) == \
        ("王大", "外出务工", "跨省", date(2024, 1, 1))
    assert (mother.distance, mother.away_since, mother.phone) == ("跨市", date(2024, 2, 1), "13900139000")
    carer = Carer.get(Carer.child == c)
    assert (carer.name, carer.relation, carer.phone, carer.current) == ("王奶奶", "祖母", "13700137000", True)
    first = Child.get(Child.id_number == child_id(0))
    visits = list(Contact.select().where(Contact.child == first).order_by(Contact.on))
    assert [(v.on, v.kind) for v in visits] == [
        (date(2025, 2, 3), "入户走访"), (date(2025, 3, 3), "电话"), (date(2025, 4, 3), "电话"),
        (date(2025, 5, 3), "入户走访"), (date(2025, 6, 3), "电话")]
    assert visits[0].living == "第0次，生活正常" and visits[0].visitor == "张主任"
    finding = RiskFinding.get(RiskFinding.child == first)
    assert (finding.criterion, finding.found_on) == ("辍学", date(2025, 1, 1))
    # the cached rule state was refreshed: 辍学 is a yellow criterion, both parents away
    assert first.colour == "yellow" and "留守" in first.categories
    assert Child.get(Child.id_number == child_id(1)).state_on == date.today()


@pytest.mark.both_backends
def test_reimport_changes_nothing(archive, tmp_path):
    rows = [child_row(i) for i in range(30)]
    path = make_ledger(tmp_path / "台账.xlsx", rows, [visit_row(i, k) for i in range(30) for k in range(3)])
    import_ledger(path, archive.writer())
    before = audit_count()
    counts = (Child.select().count(), FamilyMember.select().count(), Carer.select().count(),
              Contact.select().count(), RiskFinding.select().count())

    summary = import_ledger(path, archive.writer())

    assert audit_count() == before
    assert summary.new_children == 0 and summary.updated_children == 0
    assert summary.unchanged_children == 30
    assert summary.visits_added == 0 and summary.visits_already_present == 90
    assert summary.new_villages == 0 and summary.risk_findings_added == 0
    assert counts == (Child.select().count(), FamilyMember.select().count(), Carer.select().count(),
                      Contact.select().count(), RiskFinding.select().count())


@pytest.mark.both_backends
def test_changed_cells_update_the_child_and_show_in_the_audit_trail(archive, tmp_path):
    rows = [child_row(i) for i in range(5)]
    import_ledger(make_ledger(tmp_path / "a.xlsx", rows), archive.writer())
    before = audit_count()
    rows[2] = child_row(2, 就学状况="初中", 父亲状况="在家", 父亲外出范围=None, 父亲外出起始日期=None,
                        照护人联系电话="13600136000", 困境类别="低保")
    summary = import_ledger(make_ledger(tmp_path / "b.xlsx", rows), archive.writer())

    assert summary.updated_children == 1 and summary.unchanged_children == 4
    c = Child.get(Child.id_number == child_id(2))
    assert c.schooling == "初中" and c.hardship_categories == "低保"
    assert FamilyMember.get(FamilyMember.child == c, FamilyMember.relation == "父亲").status == "在家"
    assert Carer.get(Carer.child == c).phone == "13600136000"
    entries = list(AuditEntry.select().where(AuditEntry.id > before).order_by(AuditEntry.id))
    changes = {(e.table, e.action): json.loads(e.changes) for e in entries}
    assert changes[("child", "update")]["schooling"] == ["小学", "初中"]
    assert changes[("family_member", "update")]["status"] == ["外出务工", "在家"]
    assert changes[("carer", "update")]["phone"] == ["13700137000", "13600136000"]
    assert {e.record_id for e in entries if e.table == "child"} == {c.id}
    # back home: 外出范围 and 外出起始日期 no longer apply
    father = FamilyMember.get(FamilyMember.child == c, FamilyMember.relation == "父亲")
    assert (father.distance, father.away_since) == (None, None)
    assert changes[("family_member", "update")]["distance"] == ["跨省", None]
    # a blank cell keeps what the archive has: 母亲 was not in the changed row's cells
    rows[3] = child_row(3, 母亲姓名=None, 母亲联系电话=None)
    import_ledger(make_ledger(tmp_path / "c.xlsx", rows), archive.writer())
    mother = FamilyMember.get(FamilyMember.child == Child.get(Child.id_number == child_id(3)),
                              FamilyMember.relation == "母亲")
    assert (mother.name, mother.phone) == ("李二", "13900139000")


def test_a_reader_may_not_import(archive, tmp_path):
    from models.roles import READER, PermissionDenied

    path = make_ledger(tmp_path / "a.xlsx", [child_row(0)])
    archive.login_as("查阅员", READER)
    with pytest.raises(PermissionDenied, match="查阅"):
        import_ledger(path, archive.writer())
    assert Child.select().count() == 0


def test_hardship_categories_in_another_order_are_no_change(archive, tmp_path):
    import_ledger(make_ledger(tmp_path / "a.xlsx", [child_row(0)]), archive.writer())
    before = audit_count()
    summary = import_ledger(make_ledger(tmp_path / "b.xlsx", [child_row(0, 困境类别="重残；低保")]),
                            archive.writer())
    assert summary.unchanged_children == 1 and audit_count() == before


@pytest.mark.both_backends
def test_a_new_carer_replaces_the_current_one(archive, tmp_path):
    import_ledger(make_ledger(tmp_path / "a.xlsx", [child_row(0)]), archive.writer())
    import_ledger(make_ledger(tmp_path / "b.xlsx", [child_row(0, 照护人姓名="王爷爷", 照护人与儿童关系="祖父")]),
                  archive.writer())
    carers = {c.name: c.current for c in Carer.select()}
    assert carers == {"王奶奶": False, "王爷爷": True}


@pytest.mark.both_backends
def test_visits_for_children_already_in_the_archive(archive, tmp_path):
    import_ledger(make_ledger(tmp_path / "a.xlsx", [child_row(0)]), archive.writer())
    path = make_ledger(tmp_path / "b.xlsx", [], [visit_row(0, 0), visit_row(0, 0), visit_row(0, 1)])
    summary = import_ledger(path, archive.writer())
    assert summary.visits_added == 2 and summary.visits_already_present == 1
    assert Contact.select().count() == 2


def mistakes():
    """Twenty cells, each wrong in its own way: (row index, header, bad value, words in message)."""
    return [
        (0, "身份证号", "14042820120101001", "18位"),
        (1, "身份证号", "140428201201010010", "校验位"),
        (2, "民族", "火星族", "只能填"),
        (3, "户籍类型", "农业", "农村、城镇"),
        (4, "就学状况", "初一", "不在可选范围"),
        (5, "健康状况", "良好", "健康"),
        (6, "残疾类别", "腿", "肢体"),
        (7, "残疾等级", "5级", "一级"),
        (8, "困境类别", "低保、贫困", "贫困"),
        (9, "单亲家庭", "有", "是"),
        (10, "风险情形", "打架", "不在可选范围"),
        (11, "父亲状况", "打工", "外出务工"),
        (12, "母亲外出范围", "外省", "跨省"),
        (13, "父亲外出起始日期", "去年春天", "不是日期"),
        (14, "登记日期", TODAY + timedelta(days=3), "晚于今天"),
        (15, "母亲外出起始日期", "1899-12-31", "早于1900年"),
        (16, "父亲联系电话", "打不通", "电话"),
        (17, "备注", "=A1+1", "不能包含公式"),
        (18, "家庭住址", "长" * 2500, "内容过长"),
        (19, "姓名", None, "必填"),
    ]


@pytest.mark.both_backends
def test_twenty_mistakes_are_all_reported_and_nothing_is_imported(archive, tmp_path):
    rows = [child_row(i) for i in range(40)]
    for index, header, value, _ in mistakes():
        rows[index][header] = value
    path = make_ledger(tmp_path / "台账.xlsx", rows)
    before = audit_count()

    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(path, archive.writer(), write_report=write_issue_report)

    issues = caught.value.issues
    assert len(issues) == 20
    found = {(i.row, i.column): i.message for i in issues}
    for index, header, _, words in mistakes():
        message = found[(index + 2, header)]
        assert words in message and f"“{header}”" in message, message
    assert Child.select().count() == 0 and audit_count() == before
    assert Village.select().count() == 0 and ChildDirector.select().count() == 0
    report = caught.value.report_path
    assert report == tmp_path / "台账-错误报告.xlsx"
    ws = load_workbook(report).active
    listed = [r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(listed) == 20
    assert {(r[2], r[3]) for r in listed} == {(i + 2, h) for i, h, _, _ in mistakes()}
    assert all(r[1] == "儿童" for r in listed)


def test_report_goes_to_the_given_path(archive, tmp_path):
    path = make_ledger(tmp_path / "a.xlsx", [child_row(0, 户籍类型="农业")])
    target = tmp_path / "报告" / "错误.xlsx"
    target.parent.mkdir()
    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(path, archive.writer(), report_path=target,
                      write_report=write_issue_report)
    assert caught.value.report_path == target and target.exists()
    assert not (tmp_path / "a-错误报告.xlsx").exists()


def test_unknown_and_missing_columns_are_reported(archive, tmp_path):
    headers = [h for h in ledger.CHILDREN.headers if h != "身份证号"] + ["爱好"]
    path = make_ledger(tmp_path / "a.xlsx", [child_row(0, 爱好="画画")], children_headers=headers)
    issues = validate_ledger(path).issues
    messages = {(i.row, i.column): i.message for i in issues}
    assert "不是台账中的列" in messages[(1, "爱好")]
    assert "缺少必填列" in messages[(1, "身份证号")]
    with pytest.raises(LedgerInvalid):
        import_ledger(path, archive.writer())
    assert Child.select().count() == 0


def test_headers_with_full_width_brackets_are_accepted(tmp_path):
    def wide(h):
        return h.replace("(", "（").replace(")", "）")

    row = {wide(h): v for h, v in child_row(0).items()}
    headers = [wide(h) for h in ledger.CHILDREN.headers]
    path = make_ledger(tmp_path / "a.xlsx", [row], children_headers=headers)
    check = validate_ledger(path)
    assert check.ok and check.children[0].values["village"] == "东坡村"


def test_cross_row_checks(tmp_path):
    rows = [child_row(0), child_row(0), child_row(1, 父亲状况="在家"),
            child_row(2, 父亲身份证号=make_id_number("140428", date(1985, 3, 3), 2, False)),
            child_row(3, 照护人姓名=None), child_row(4, 登记日期=date(2000, 1, 1))]
    visits = [visit_row(0, 0), visit_row(99, 0), visit_row(0, 0, 日期=date(2001, 1, 1))]
    issues = validate_ledger(make_ledger(tmp_path / "a.xlsx", rows, visits)).issues
    found = {(i.sheet, i.row, i.column): i.message for i in issues}
    assert "与第2行重复" in found[("儿童", 3, "身份证号")]
    assert "不应填写" in found[("儿童", 4, "父亲外出范围")]
    assert "不应填写" in found[("儿童", 4, "父亲外出起始日期")]
    assert "不是男性" in found[("儿童", 5, "父亲身份证号")]
    assert "照护人姓名" in found[("儿童", 6, "照护人姓名")]
    assert "早于儿童的出生日期" in found[("儿童", 7, "登记日期")]
    assert "早于儿童的出生日期" in found[("走访记录", 4, "日期")]
    assert len(issues) == 7  # without an archive, unknown visit IDs are not checked


def test_visit_for_an_unknown_child_is_reported_against_the_archive(archive, tmp_path):
    path = make_ledger(tmp_path / "a.xlsx", [child_row(0)], [visit_row(99, 0)])
    issues = validate_ledger(path, archive).issues
    assert [(i.sheet, i.row, i.column) for i in issues] == [("走访记录", 2, "身份证号")]
    assert "既不在“儿童”表中，也不在档案库中" in issues[0].message


@pytest.mark.parametrize("content, words", [
    (b"name,id\n\xe7\x8e\x8b,1\n", "不是 Excel 工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel（.xls）"),
    (b"PK\x03\x04broken zip", "已损坏"),
    (b"", "不是 Excel 工作簿"),
])
def test_files_that_are_not_a_ledger_give_a_chinese_message(archive, tmp_path, content, words):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(path, archive.writer(), write_report=write_issue_report)
    assert len(caught.value.issues) == 1
    assert words in caught.value.issues[0].message
    assert caught.value.report_path.exists()


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "你好")
    issues = validate_ledger(path).issues
    assert len(issues) == 1 and "无法" in issues[0].message


def test_missing_file(tmp_path):
    issues = validate_ledger(tmp_path / "none.xlsx").issues
    assert "找不到文件" in issues[0].message


def test_workbook_without_the_children_sheet_or_with_an_empty_one(tmp_path):
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "a.xlsx")
    assert "没有“儿童”表" in validate_ledger(tmp_path / "a.xlsx").issues[0].message
    wb.active.title = "儿童"
    wb.save(tmp_path / "b.xlsx")
    assert "“儿童”表是空的" in validate_ledger(tmp_path / "b.xlsx").issues[0].message


def test_wrong_cell_types(tmp_path):
    rows = [child_row(0, 身份证号=140428201201010010, 单亲家庭=1, 登记日期=45000),
            child_row(1, 年级=3, 父亲联系电话=13800138000)]
    check = validate_ledger(make_ledger(tmp_path / "a.xlsx", rows))
    found = {(i.row, i.column): i.message for i in check.issues}
    assert "被存成了数字" in found[(2, "身份证号")]
    assert "只能填“是”或“否”" in found[(2, "单亲家庭")]
    assert "应填写日期" in found[(2, "登记日期")]
    assert len(check.issues) == 3
    assert check.children[1].values["grade"] == "3"
    assert check.children[1].values["father_phone"] == "13800138000"


def test_formula_cell_written_by_a_program_is_reported(tmp_path):
    path = make_ledger(tmp_path / "a.xlsx", [child_row(0)])
    wb = load_workbook(path)
    wb["儿童"]["F2"] = "=CONCATENATE(\"东坡\",\"村\")"
    wb.save(path)
    issues = validate_ledger(path).issues
    assert [(i.row, i.column) for i in issues] == [(2, "家庭住址")]
    assert "不能包含公式" in issues[0].message


def test_cells_without_a_header_are_reported(tmp_path):
    path = make_ledger(tmp_path / "a.xlsx", [child_row(0)])
    wb = load_workbook(path)
    wb["儿童"].cell(2, 40, "多余")
    wb.save(path)
    issues = validate_ledger(path).issues
    assert len(issues) == 1 and "第AN列有内容但没有列名" in issues[0].message


def test_blank_rows_and_blank_optional_cells_are_fine(tmp_path):
    minimal = {"姓名": "李小花", "身份证号": child_id(3), "村(社区)": "上塘社区"}
    path = make_ledger(tmp_path / "a.xlsx", [minimal, {}, {"备注": "   "}, child_row(4)])
    check = validate_ledger(path)
    assert check.ok and [r.row for r in check.children] == [2, 5]
    assert check.children[0].values == {"name": "李小花", "id_number": child_id(3), "village": "上塘社区"}


@pytest.mark.both_backends
def test_minimal_row_gets_defaults_and_a_community(archive, tmp_path):
    minimal = {"姓名": "李小花", "身份证号": child_id(3), "村(社区)": "上塘社区"}
    import_ledger(make_ledger(tmp_path / "a.xlsx", [minimal]), archive.writer(), today=date(2026, 3, 1))
    c = Child.get()
    assert (c.registration, c.entered_on, c.village.kind) == ("农村", date(2026, 3, 1), "社区")
    assert FamilyMember.select().count() == 0 and Carer.select().count() == 0


@pytest.mark.both_backends
@pytest.mark.parametrize("stop_after", [1000, 2450])  # while reading; after children were written
def test_cancel_leaves_nothing(archive, tmp_path, stop_after):
    rows = [child_row(i) for i in range(1200)]
    path = make_ledger(tmp_path / "a.xlsx", rows, [visit_row(i, 0) for i in range(1200)])
    before = audit_count()
    state = {"stop": False, "written": 0}

    def progress(done, total):
        if (total == 0 and stop_after < 2000 and done >= stop_after) or (total and done >= stop_after):
            state["stop"] = True
            state["written"] = Child.select().count()

    with pytest.raises(ImportCancelled):
        import_ledger(path, archive.writer(), progress=progress, is_cancelled=lambda: state["stop"])
    assert state["written"] == (0 if stop_after < 2000 else 1200)  # the children were in, then rolled back
    assert Child.select().count() == 0 and Village.select().count() == 0
    assert FamilyMember.select().count() == 0 and audit_count() == before


def test_write_issue_report_lists_every_issue(tmp_path):
    from models.ledger_import import ImportIssue

    issues = [ImportIssue("儿童", 3, "民族", "“民族”填写的“火星族”不在可选范围内"),
              ImportIssue("", None, "", "文件已损坏")]
    path = write_issue_report(issues, tmp_path / "r.xlsx")
    rows = [r for r in load_workbook(path).active.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert rows == [(1, "儿童", 3, "民族", "“民族”填写的“火星族”不在可选范围内"),
                    (2, "（整个文件）", None, None, "文件已损坏")]
