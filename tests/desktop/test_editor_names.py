"""The form editor shows the name check of ``forms.names`` at the field."""

import pytest

from desktop.form_editor import FormEditor
from forms.basic_info import BASIC_INFO

pytestmark = pytest.mark.gui


def test_the_editor_refuses_an_invisible_character_in_a_name(qtbot):
    editor = FormEditor(BASIC_INFO, {"name": "王\u200b明", "village": "东坡村"})
    qtbot.addWidget(editor)
    errors = editor.validate()
    assert errors["name"].startswith("姓名：第2个字符是看不见的字符“零宽空格”（U+200B）")
    assert "village" not in errors
    assert "U+200B" in editor.errors["name"].text()
    editor.set_values({"name": "王明", "village": "东坡村"})
    assert "name" not in editor.validate()
