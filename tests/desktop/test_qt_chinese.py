"""Qt's own strings (buttons, right-click menus, file dialogs) are Chinese."""

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox

from desktop.app import install_qt_chinese, make_application


def test_standard_buttons_and_menus_are_chinese(qtbot):
    app = make_application()
    assert install_qt_chinese(app)
    box = QMessageBox(QMessageBox.Question, "结案", "确定结案吗？",
                      QMessageBox.Ok | QMessageBox.Cancel | QMessageBox.Yes | QMessageBox.No)
    qtbot.addWidget(box)
    texts = {b.text() for b in box.buttons()}
    assert {"确定", "取消"} <= texts
    assert any(t.startswith("是") for t in texts) and any(t.startswith("否") for t in texts)
    buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
    qtbot.addWidget(buttons)
    assert {b.text() for b in buttons.buttons()} == {"保存", "关闭"}

    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    labels = " ".join(a.text() for a in menu.actions())
    assert "复制" in labels and "粘贴" in labels and "全选" in labels
    assert "Copy" not in labels


def test_file_dialogs_are_qt_dialogs_in_chinese(qtbot):
    app = make_application()
    install_qt_chinese(app)
    if sys.platform.startswith("linux"):
        assert QApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    dialog = QFileDialog(None, "另存为PDF")
    qtbot.addWidget(dialog)
    dialog.setAcceptMode(QFileDialog.AcceptSave)
    assert dialog.labelText(QFileDialog.Accept).startswith("保存")
    assert dialog.labelText(QFileDialog.Reject) == "取消"
    assert "文件" in dialog.labelText(QFileDialog.FileName)
