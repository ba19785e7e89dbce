"""设置 › 上报县级: the 管理员 pastes the county's key once; 生成上报包 writes a package the
county can open; a bad key is refused in Chinese and nothing is saved."""

from functools import partial

import pytest

from desktop.context import AppContext
from desktop.pages import settings as page_module
from desktop.settings import Settings
from desktop.worker import run_in_background
from models import report_package as rp


@pytest.fixture
def page(qtbot, demo_archive, tmp_path):
    context = AppContext(archive=demo_archive, settings=Settings(tmp_path / "s.ini"))
    context.run_in_background = partial(run_in_background, show_dialog=False)
    widget = page_module.Page(context)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def test_key_then_package(page, qtbot, tmp_path, demo_archive):
    box = page.report_box
    private, public = rp.new_county_key()
    assert "尚未填写" in box.fingerprints.text()
    box.key.setPlainText(public[:30] + "\n" + public[30:])  # as pasted from a message
    box.save_key()
    assert demo_archive.reporting.county_key() == public
    assert rp.county_key_fingerprint(public) in box.fingerprints.text()
    assert demo_archive.reporting.signer_fingerprint() in box.fingerprints.text()

    target = tmp_path / "丹朱镇上报包.tdpkg"
    task = box.make_package(str(target))
    qtbot.waitUntil(lambda: task.done, timeout=60000)
    assert task.error is None, task.error_text
    opened = rp.open_package(target.read_bytes(), private)
    assert opened.header.township == "丹朱镇"
    assert "已生成上报包" in box.status.text() and str(target) in box.status.text()


def test_a_bad_key_is_refused_in_chinese(page, monkeypatch, demo_archive):
    shown = []
    monkeypatch.setattr(page_module.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    monkeypatch.setattr("desktop.report_to_county.QMessageBox.warning", lambda *a: shown.append(a[2]))
    page.report_box.key.setPlainText("这不是公钥")
    page.report_box.save_key()
    assert shown and "县级公钥格式不对" in shown[-1]
    assert demo_archive.reporting.county_key() == ""


def test_no_package_before_a_key(page, monkeypatch):
    shown = []
    monkeypatch.setattr("desktop.report_to_county.QMessageBox.warning", lambda *a: shown.append(a[2]))
    assert page.report_box.make_package("/nonexistent/x.tdpkg") is None
    assert "还没有填写县级公钥" in shown[-1]


def test_a_reader_sees_the_fingerprints_but_cannot_change_the_key(qtbot, demo_archive, tmp_path):
    from models.roles import READER

    demo_archive.role = READER
    context = AppContext(archive=demo_archive, settings=Settings(tmp_path / "s.ini"))
    widget = page_module.Page(context)
    qtbot.addWidget(widget)
    widget.refresh()
    box = widget.report_box
    assert box.key.isReadOnly()
    from PySide6.QtWidgets import QPushButton

    assert box.findChild(QPushButton, "save_county_key").isHidden()
    assert box.findChild(QPushButton, "make_report_package").isHidden()
