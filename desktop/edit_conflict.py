"""Two people saved the same record (the county database): the second save is refused and
this dialog says who changed what (``EditConflict``'s message), with 重新载入 to show the
record as it is now. 继续编辑 keeps what the person typed, to copy it before reloading."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

TITLE = "这条记录已被其他用户修改"
RELOAD = "重新载入"
KEEP = "继续编辑"
ADVICE = (f"点“{RELOAD}”显示对方保存后的内容，核对后再修改（您这次的输入不再保留）；"
          f"点“{KEEP}”保留您的输入，可以先抄下来再重新载入。")


def ask_reload(parent, conflict: Exception) -> bool:
    """True when the person chose 重新载入 (tests replace the dialog: ``RecordsPanel``'s
    and ``ChildFile``'s ``ask_reload``)."""
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, str(conflict), parent=parent)
    box.setInformativeText(ADVICE)
    reload = box.addButton(RELOAD, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(KEEP, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload)
    box.exec()
    return box.clickedButton() is reload
