"""A child's 历史 tab shows every change: single writes, records made by a ledger import (one
audit entry for a whole batch), attachments, and records deleted as wrongly entered — with the
app user's name and the record in words."""

from datetime import date, timedelta

import pytest

from desktop import child_file as cf
from models.attachments import add_attachment
from models.history import history_entries, history_lines
from models.ledger_import import import_ledger
from models.schema import Attachment, Child, Contact, RiskFinding
from models.users import create_first_admin
from tests.desktop.gui_helpers import make_window
from tests.models.test_ledger_import import child_id, child_row, make_ledger, visit_row

TODAY = date.today()


@pytest.fixture
def archive(new_archive):
    user = create_first_admin(new_archive, "zhangsan", "Mima-2026-ok", display_name="张三")
    new_archive.login_as(user.username, user.role)
    return new_archive


@pytest.fixture
def imported(archive, tmp_path):
    """Three children and their visits from one ledger: every row is in a bulk batch, and the
    middle child's records sit inside batches that begin with another child's."""
    ledger = make_ledger(tmp_path / "台账.xlsx",
                         children=[child_row(i) for i in (1, 2, 3)],
                         visits=[visit_row(i, k) for i in (1, 2, 3) for k in (0, 1)])
    import_ledger(ledger, archive.writer())
    middle = Child.get(Child.id_number == child_id(2))
    return archive, middle


def test_records_from_a_ledger_import_are_in_the_history(imported):
    _archive, child = imported
    lines = history_lines(child.id)
    texts = [" | ".join(line.cells()) for line in lines]
    visits = [t for t in texts if "走访记录" in t]
    assert len(visits) == 2, texts  # both of this child's visits, not the other children's
    assert all("批量新建" in t and "张三（zhangsan）" in t for t in visits)
    assert any("2025-02-03" in t for t in visits) and any("2025-03-03" in t for t in visits)
    assert any("儿童基本信息" in t and child.name in t for t in texts)
    assert any("家庭成员" in t and "父亲" in t for t in texts)
    assert all("同批新建" in t for t in texts if "批量新建" in t)
    assert not any('"ids"' in t or "sha256" in t for t in texts)  # the digest is not shown raw
    # every batch that holds one of the child's visits is among the child's entries
    ids = {e.id for e in history_entries(child.id)}
    for visit in Contact.select().where(Contact.child == child):
        assert any(e.id in ids for e in history_entries(child.id)
                   if e.table == "contact" and e.record_id <= visit.id <= (e.last_record_id or e.record_id))


def test_attachments_and_deleted_records_are_in_the_history(imported, tmp_path):
    archive, child = imported
    scan = tmp_path / "协议扫描件.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    add_attachment(archive, child.id, scan, "委托照护协议书扫描件")
    writer = archive.writer()
    finding = writer.create(RiskFinding, child=child, criterion="监护不足",
                            found_on=TODAY - timedelta(days=3), notes="录错了儿童")
    writer.delete(finding, "录到了别的儿童名下")
    visit = Contact.select().where(Contact.child == child).order_by(Contact.id).first()
    writer.delete(visit, "重复录入")
    assert Attachment.select().count() == 1 and not RiskFinding.select().exists()

    texts = [" | ".join(line.cells()) for line in history_lines(child.id)]
    attachment = [t for t in texts if t.split(" | ")[3].startswith("附件")]
    assert len(attachment) == 1 and "新建" in attachment[0]
    assert "协议扫描件.png" in attachment[0] and "委托照护协议书扫描件" in attachment[0]
    deleted_finding = [t for t in texts if "风险情形" in t and "删除" in t.split(" | ")[2]]
    assert len(deleted_finding) == 1
    assert "删除原因：录到了别的儿童名下" in deleted_finding[0] and "监护不足" in deleted_finding[0]
    assert "（已删除）" in deleted_finding[0]
    # its creation is still shown, with what was entered
    assert any("风险情形" in t and " | 新建 | " in t and "录错了儿童" in t for t in texts)
    deleted_visit = [t for t in texts if "走访记录" in t and " | 删除 | " in t]
    assert len(deleted_visit) == 1 and "重复录入" in deleted_visit[0]
    # the batch that created the deleted visit still shows, marked as deleted
    assert any("走访记录" in t and "批量新建" in t and "（已删除）" in t for t in texts)
    # another child's deleted record is not in this child's history
    other = Child.get(Child.id_number == child_id(1))
    other_visit = Contact.select().where(Contact.child == other).first()
    writer.delete(other_visit, "另一名儿童的")
    assert not any("另一名儿童的" in " | ".join(line.cells()) for line in history_lines(child.id))
    assert any("另一名儿童的" in " | ".join(line.cells()) for line in history_lines(other.id))


def test_the_history_tab_shows_them_newest_first(qtbot, imported, tmp_path, monkeypatch):
    archive, child = imported
    monkeypatch.setattr(cf.QMessageBox, "warning", lambda *args: None)
    writer = archive.writer()
    writer.update(Child.get_by_id(child.id), school="东坡中心小学")
    window = make_window(archive, tmp_path, on=TODAY)
    qtbot.addWidget(window)
    window.show()
    window.show_page("children")
    file = window.page("children").open_child(child.id)
    file.show_tab("历史")
    lines = file.history.texts()
    assert "修改" in lines[0] and "就读学校" in lines[0] and "东坡中心小学" in lines[0]
    assert "张三（zhangsan）" in lines[0]
    assert sum("走访记录" in line for line in lines) == 2
    assert any("批量新建" in line for line in lines)

