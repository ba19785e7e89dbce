"""Names with invisible or direction-control characters: refused by the ledger import
(nothing imported, the error report names the row and the character) and by 儿童主任."""

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from exports.ledger_report import write_issue_report
from forms import ledger
from forms.idnumber import make_id_number
from models.directors import add_director, update_director
from models.ledger_import import LedgerInvalid, import_ledger
from models.schema import Child, ChildDirector, Village

ID = make_id_number("140428", date(2016, 3, 1), 1, True)


def write_ledger(path, name, village="东坡村"):
    wb = Workbook()
    ws = wb.active
    ws.title = ledger.CHILDREN.name
    headers = list(ledger.CHILDREN.headers)
    ws.append(headers)
    row = [None] * len(headers)
    row[headers.index("姓名")] = name
    row[headers.index("身份证号")] = ID
    row[headers.index("村(社区)")] = village
    ws.append(row)
    wb.save(path)


@pytest.mark.both_backends
def test_the_import_refuses_and_reports_the_character(new_archive, tmp_path):
    path = tmp_path / "台账.xlsx"
    write_ledger(path, "王\u200b明", village="东坡\u202e村")
    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(path, new_archive.writer(), today=date(2026, 1, 1),
                      report_path=tmp_path / "报告.xlsx", write_report=write_issue_report)
    by_column = {i.column: i for i in caught.value.issues}
    assert by_column["姓名"].row == 2 and "U+200B" in by_column["姓名"].message
    assert "U+202E" in by_column["村(社区)"].message
    assert Child.select().count() == 0 and Village.select().count() == 0
    report = load_workbook(caught.value.report_path).active
    texts = " ".join(str(c.value) for row in report.iter_rows() for c in row)
    assert "零宽空格" in texts and "从右至左强制" in texts

    write_ledger(path, "王明")
    import_ledger(path, new_archive.writer(), today=date(2026, 1, 1))
    assert Child.get().name == "王明"


@pytest.mark.both_backends
def test_director_names(new_archive):
    writer = new_archive.writer()
    with pytest.raises(ValueError, match="U\\+2066"):
        add_director(writer, "张\u2066三")
    director = add_director(writer, "张三")
    with pytest.raises(ValueError, match="零宽连接符"):
        update_director(writer, director, name="张\u200d三")
    assert ChildDirector.get_by_id(director.id).name == "张三"
