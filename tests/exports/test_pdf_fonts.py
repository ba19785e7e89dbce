"""Font choice: Windows 仿宋/黑体 when present, else the shipped WenQuanYi Micro Hei."""

from exports import fonts


def test_shipped_font_is_found():
    path = fonts.shipped_font()
    assert path.name == "wqy-microhei.ttc" and path.stat().st_size > 1_000_000


def test_windows_fonts_preferred(tmp_path, monkeypatch):
    folder = tmp_path / "Fonts"
    folder.mkdir()
    (folder / "simsun.ttc").write_bytes(b"x")
    (folder / "simfang.ttf").write_bytes(b"x")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    assert fonts.windows_fonts_dir() == folder
    assert fonts._first(fonts.windows_fonts_dir(), ("simfang.ttf", "simsun.ttc")) == \
        folder / "simfang.ttf"
    assert fonts._first(folder, ("simhei.ttf",)) is None


def test_no_windows_folder(monkeypatch):
    monkeypatch.delenv("WINDIR", raising=False)
    monkeypatch.delenv("SystemRoot", raising=False)
    assert fonts.windows_fonts_dir() is None


def test_registered_once():
    first = fonts.register_fonts()
    assert fonts.register_fonts() is first
    assert first.body_file.exists()
