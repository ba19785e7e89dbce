"""The child's file: a new child (ID checks), editing with the audit trail, closing, drafts."""

from datetime import date, timedelta

import pytest

from desktop import child_file as cf
from models import drafts as draft_store
from models.schema import Attachment, Child, Village
from tests.desktop.gui_helpers import id_number, make_window, type_chinese, wrong_check_digit

TODAY = date.today()


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """Modal questions would wait for a click forever: answer them, and keep what was said."""
    said = []
    monkeypatch.setattr(cf.ChildFile, "ask", staticmethod(lambda parent, what: "discard"))
    monkeypatch.setattr(cf.QMessageBox, "warning", lambda *args: said.append(args[2]))
    monkeypatch.setattr(cf.QMessageBox, "information", lambda *args: said.append(args[2]))
    return said


@pytest.fixture
def window(qtbot, new_archive, tmp_path):
    new_archive.writer().create(Village, name="东坡村")
    w = make_window(new_archive, tmp_path, on=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.show_page("children")
    return w


def new_child_file(qtbot, window, name="李小明"):
    page = window.page("children")
    window.new_child()  # Ctrl+N
    file = page.file
    assert file is not None and file.is_new
    type_chinese(file.basic.widgets["name"], name)
    type_chinese(file.basic.widgets["village"], "东坡村")
    return file


def test_wrong_check_digit_is_shown_at_once_and_nothing_is_saved(qtbot, window):
    file = new_child_file(qtbot, window)
    good = id_number(date(2014, 3, 5), 23, male=False)
    qtbot.keyClicks(file.basic.widgets["id_number"], wrong_check_digit(good))
    assert "校验" in file.basic.error_text("id_number")  # shown while typing, before saving
    assert not file.save()
    assert Child.select().count() == 0

    file.basic.widgets["id_number"].clear()
    qtbot.keyClicks(file.basic.widgets["id_number"], good)
    assert file.basic.error_text("id_number") == ""
    assert file.basic.raw_value("birth_date") == "2014-03-05"
    assert file.basic.raw_value("sex") == "女"
    assert file.save()
    child = Child.get()
    assert (child.name, child.id_number, child.birth_date, child.sex) == \
        ("李小明", good, date(2014, 3, 5), "女")
    assert child.village.name == "东坡村"
    assert not file.is_new and file.tabs.count() == len(cf.TAB_NAMES)
    assert "李小明" in file.header.title.text()


def test_an_id_already_in_the_archive_is_refused(qtbot, window):
    number = id_number(date(2013, 1, 9), 31)
    window.context.archive.writer().create(Child, name="王五", id_number=number,
                                           entered_on=TODAY, village=1)
    file = new_child_file(qtbot, window, "王五")
    qtbot.keyClicks(file.basic.widgets["id_number"], number)
    assert "已在档案库中：王五" in file.basic.error_text("id_number")
    assert not file.save()
    assert Child.select().count() == 1


def test_edit_shows_in_history(qtbot, window):
    archive = window.context.archive
    child = archive.writer().create(Child, name="周小红", id_number=id_number(date(2012, 7, 7), 41),
                                    entered_on=TODAY - timedelta(days=10), village=1)
    page = window.page("children")
    page.refresh()
    file = page.open_child(child.id)
    school = file.basic.widgets["school"]
    school.clear()
    type_chinese(school, "东坡中心小学")
    assert file.basic.dirty
    window.save()  # Ctrl+S
    assert Child.get_by_id(child.id).school == "东坡中心小学"
    file.show_tab("历史")
    lines = file.history.texts()
    assert any("修改" in line and "就读学校" in line and "东坡中心小学" in line for line in lines)
    assert any("新建" in line and "周小红" in line for line in lines)


def test_record_tabs_save_through_the_writer_and_update_the_header(qtbot, window):
    archive = window.context.archive
    child = archive.writer().create(Child, name="陈一", id_number=id_number(date(2012, 2, 2), 51),
                                    entered_on=TODAY - timedelta(days=400), village=1)
    file = window.page("children").open_child(child.id)
    assert "已逾期" in file.header.due.text()  # no contact recorded: due at once
    file.show_tab("走访记录")
    panel = file.panel("contact")
    panel.editor.set_value("kind", "入户走访")
    type_chinese(panel.editor.widgets["visitor"], "李主任")
    assert panel.save()
    assert panel.table.rowCount() == 1
    refreshed = Child.get_by_id(child.id)
    assert refreshed.next_home_visit_due > TODAY
    assert str(refreshed.next_home_visit_due) in file.header.due.text()


def test_leaving_with_unsaved_edits_asks(qtbot, window, monkeypatch):
    archive = window.context.archive
    child = archive.writer().create(Child, name="吴二", id_number=id_number(date(2011, 4, 4), 61),
                                    entered_on=TODAY, village=1)
    page = window.page("children")
    file = page.open_child(child.id)
    type_chinese(file.basic.widgets["illness"], "哮喘")
    answers = ["cancel"]
    monkeypatch.setattr(cf.ChildFile, "ask", staticmethod(lambda parent, what: answers.pop(0)))
    assert not window.show_page("quick_entry")  # 取消: stay in the file
    assert page.file is file
    answers.append("save")
    assert window.show_page("quick_entry")
    assert Child.get_by_id(child.id).illness == "哮喘"


def test_closing_asks_for_a_reason_and_deletes_nothing(qtbot, window):
    archive = window.context.archive
    child = archive.writer().create(Child, name="郑三", id_number=id_number(date(2010, 1, 1), 71),
                                    entered_on=TODAY, village=1)
    file = window.page("children").open_child(child.id)
    assert not file.close_child("  ")
    assert Child.get_by_id(child.id).closed_on is None
    assert file.close_child("年满16周岁")
    closed = Child.get_by_id(child.id)
    assert closed.closed_on == TODAY and closed.closed_reason == "年满16周岁"
    assert "已结案" in file.header.title.text()


def test_drafts_keep_unsaved_typing_inside_the_archive(qtbot, window):
    archive = window.context.archive
    child = archive.writer().create(Child, name="孙四", id_number=id_number(date(2012, 9, 9), 81),
                                    entered_on=TODAY, village=1)
    page = window.page("children")
    file = page.open_child(child.id)
    type_chinese(file.basic.widgets["notes"], "奶奶说下周去县医院复查")
    file.basic_keeper.flush()
    key = f"child:{child.id}:basic"
    assert draft_store.load(key)["notes"] == "奶奶说下周去县医院复查"
    # as after a crash: a new file for the same child offers the draft back
    again = cf.ChildFile(window.context, child.id)
    qtbot.addWidget(again)
    assert again.basic.raw_value("notes") == "奶奶说下周去县医院复查"
    assert again.basic.dirty and "草稿" in again.status.text()
    assert again.save_basic()
    assert draft_store.load(key) is None


def test_attachments_are_stored_with_their_hash(qtbot, window, tmp_path):
    import hashlib

    archive = window.context.archive
    child = archive.writer().create(Child, name="钱五", id_number=id_number(date(2012, 3, 3), 91),
                                    entered_on=TODAY, village=1)
    file = window.page("children").open_child(child.id)
    scan = tmp_path / "协议.png"
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 30, QImage.Format_RGB32)
    image.fill(QColor("white"))
    image.save(str(scan))
    file.show_tab("附件")
    assert file.attachments.add_files([str(scan)]) == 1
    stored = Attachment.get()
    assert stored.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
    assert bytes(stored.content) == scan.read_bytes()
    assert file.attachments.preview.pixmap() is not None and not file.attachments.preview.pixmap().isNull()
    from models.attachments import export_attachment

    out = export_attachment(stored, tmp_path / "out.png")
    assert out.read_bytes() == scan.read_bytes()


def test_dropping_a_scan_on_the_file_stores_it(qtbot, window, tmp_path):
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    archive = window.context.archive
    child = archive.writer().create(Child, name="冯六", id_number=id_number(date(2012, 6, 6), 93),
                                    entered_on=TODAY, village=1)
    file = window.page("children").open_child(child.id)
    scan = tmp_path / "委托照护协议书扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned agreement")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(file, enter)
    assert enter.isAccepted()  # the file shows it takes the drop
    drop = QDropEvent(QPointF(20, 20), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(file, drop)
    assert file.tabs.tabText(file.tabs.currentIndex()) == "附件"
    stored = Attachment.get(Attachment.child == child.id)
    assert stored.file_name == scan.name and stored.mime_type == "application/pdf"
    assert file.attachments.list.count() == 1
    # the same file twice is refused, not stored twice
    QApplication.sendEvent(file, QDropEvent(QPointF(20, 20), Qt.CopyAction, mime, Qt.LeftButton,
                                            Qt.NoModifier))
    assert Attachment.select().where(Attachment.child == child.id).count() == 1
