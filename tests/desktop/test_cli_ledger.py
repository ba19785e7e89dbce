"""tongdang template / import."""

from datetime import date

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from forms.idnumber import make_id_number
from models.archive import Archive
from models.schema import Child, Contact

IDS = [make_id_number("140428", date(2016, 3, 1 + i), i, i % 2 == 0) for i in range(3)]


@pytest.fixture
def archive_path(new_archive):
    path = new_archive.path
    new_archive.close()
    return path


def fill(path, rows, visits=()):
    wb = load_workbook(path)
    headers = [c.value for c in wb["儿童"][1]]
    for row in rows:
        wb["儿童"].append([row.get(h) for h in headers])
    for visit in visits:
        wb["走访记录"].append(list(visit))
    wb.save(path)


def rows(**over):
    result = []
    for i, number in enumerate(IDS):
        row = {"姓名": f"孙小{i}", "身份证号": number, "村(社区)": "石桥村", "就学状况": "小学",
               "父亲状况": "外出务工", "父亲外出范围": "跨省", "登记日期": "2026-01-05"}
        row.update(over)
        result.append(row)
    return result


def counts(path):
    archive, _ = Archive.open(path)
    try:
        return Child.select().count(), Contact.select().count()
    finally:
        archive.close()


def test_template_then_import_then_reimport(archive_path, tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    assert main(["template", str(ledger)]) == 0
    assert "已生成台账模板" in capsys.readouterr().out
    assert load_workbook(ledger).sheetnames[:3] == ["填写说明", "儿童", "走访记录"]
    fill(ledger, rows(), [(IDS[0], "2026-02-01", "入户走访", "张三", "正常", None, None)])

    assert main(["--archive", str(archive_path), "import", str(ledger)]) == 0
    out = capsys.readouterr().out
    assert "新建儿童档案：3 名" in out and "新建村（社区）：1 个" in out and "新增走访记录：1 条" in out
    assert counts(archive_path) == (3, 1)

    assert main(["--archive", str(archive_path), "import", str(ledger)]) == 0
    out = capsys.readouterr().out
    assert "内容无变化：3 名" in out and "新建儿童档案：0 名" in out and "新增走访记录：0 条" in out
    assert counts(archive_path) == (3, 1)


def test_invalid_ledger_prints_the_issues_and_exits_1(archive_path, tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    main(["template", str(ledger)])
    fill(ledger, rows(就学状况="初一"))
    report = tmp_path / "报告.xlsx"
    status = main(["--archive", str(archive_path), "import", str(ledger), "--report", str(report)])
    out = capsys.readouterr().out
    assert status == 1
    assert "台账中有 3 处问题，未导入任何数据" in out
    assert out.count("“就学状况”填写的“初一”不在可选范围内") == 3
    assert "错误报告已保存" in out and report.exists()
    assert counts(archive_path) == (0, 0)


def test_not_an_excel_file(archive_path, tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    ledger.write_text("姓名,身份证号\n", encoding="utf-8")
    assert main(["--archive", str(archive_path), "import", str(ledger)]) == 1
    assert "不是 Excel 工作簿" in capsys.readouterr().out


def test_missing_file_and_bad_template_name(archive_path, tmp_path, capsys):
    assert main(["--archive", str(archive_path), "import", str(tmp_path / "无.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["template", str(tmp_path / "模板.xls")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_template_with_the_archive_villages(archive_path, tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    main(["template", str(ledger)])
    fill(ledger, rows(儿童主任="周主任"))
    assert main(["--archive", str(archive_path), "import", str(ledger)]) == 0
    template = tmp_path / "模板.xlsx"
    assert main(["--archive", str(archive_path), "template", str(template), "--from-archive"]) == 0
    options = load_workbook(template)["选项"]
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in options.iter_cols()}
    assert columns["村(社区)"] == ["石桥村"] and columns["儿童主任"] == ["周主任"]
