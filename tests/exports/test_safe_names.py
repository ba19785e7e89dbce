import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exports.safe_names import FALLBACK, MAX_NAME_BYTES, UnsafeName, safe_file_name, safe_path


@pytest.mark.parametrize("name, expected", [
    ("协议书扫描.jpg", "协议书扫描.jpg"),
    ("../../etc/passwd", "_.._etc_passwd"),
    ("..\\..\\Windows\\win.ini", "_.._Windows_win.ini"),
    ("C:\\Users\\张三\\照片.png", "C__Users_张三_照片.png"),
    ("/abs/path.pdf", "_abs_path.pdf"),
    ("..", FALLBACK),
    (".", FALLBACK),
    ("", FALLBACK),
    (None, FALLBACK),
    ("   ", FALLBACK),
    (".hidden", "hidden"),
    ("name. . .", "name"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("LPT1.tar.gz", "_LPT1.tar.gz"),
    ("COM¹", "_COM¹"),
    ("console.txt", "console.txt"),
    ("报告\u202egpj.exe", "报告gpj.exe"),  # a right-to-left override disguising the extension
    ("零\u200b宽", "零宽"),
    ("a\tb\nc", "a b c"),
    ('问"号?*<>|', "问_号_____"),
    ("e\u0301", "\u00e9"),  # NFC
])
def test_examples(name, expected):
    assert safe_file_name(name) == expected


def test_long_names_keep_their_extension():
    name = "张" * 300 + ".docx"
    safe = safe_file_name(name)
    assert safe.endswith(".docx") and len(safe.encode()) <= MAX_NAME_BYTES
    assert safe.startswith("张" * 60)


def test_safe_path_stays_in_folder(tmp_path):
    assert safe_path(tmp_path, "../x.txt") == tmp_path / "_x.txt"


def test_unsafe_name_error_is_chinese():
    assert "不安全" in str(UnsafeName("文件名“..”不安全，已拒绝导出。"))


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=400) | st.text(alphabet="./\\:. \x00con", max_size=30))
def test_any_text_gives_one_creatable_name_inside_the_folder(tmp_path_factory, text):
    folder = tmp_path_factory.getbasetemp() / "safe"
    folder.mkdir(exist_ok=True)
    name = safe_file_name(text)
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name == name.strip(" .") and name == safe_file_name(name)
    path = safe_path(folder, text)
    assert path.parent == folder
    path.write_bytes(b"x")  # the file system accepts it, in this folder
    assert Path(os.path.realpath(path)).parent == Path(os.path.realpath(folder))
    path.unlink()
