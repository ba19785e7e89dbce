"""Font choice: system 宋体/仿宋/黑体 when present, else the shipped UMing and WenQuanYi."""

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


def test_song_fallback_is_shipped_with_its_licence():
    path = fonts.shipped_font(fonts.SHIPPED_SONG)
    assert path.name == "uming.ttc" and path.stat().st_size > 10_000_000
    licence = path.parent / "uming-ARPHICPL.TXT"
    assert "ARPHIC PUBLIC LICENSE" in licence.read_text(encoding="utf-8")


def test_song_scheme_uses_a_ming_face_for_text_and_a_hei_face_for_titles(tmp_path):
    import subprocess

    from exports.pdf_form import render_form_pdf
    from forms.registry import FORMS
    from forms.spec import FilledForm

    registered = fonts.register_fonts()
    assert registered.scheme == "song"
    if fonts.windows_fonts_dir() is None and fonts._system_font("body") is None:
        assert registered.body_file.name == "uming.ttc"
        assert registered.title_file.name == "wqy-microhei.ttc"
    path = render_form_pdf(FilledForm.blank(FORMS["委托照护协议书"]), tmp_path / "a.pdf")
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout
    if registered.body_file.name == "uming.ttc":
        assert "UMing" in listing
    assert "WenQuanYi" in listing or registered.title_file.name != "wqy-microhei.ttc"
    assert "Helvetica" not in listing
    for line in listing.splitlines()[2:]:
        assert " yes yes " in line, line  # embedded as subsets


def test_word_names_follow_the_scheme(monkeypatch):
    assert (fonts.word_font("body"), fonts.word_font("prose"), fonts.word_font("title")) == \
        ("宋体", "仿宋", "黑体")
    monkeypatch.setenv("TONGDANG_FONTS", "sans")
    assert fonts.scheme() == "sans" and fonts.word_font("body") == "黑体"
    assert fonts.font_files()["body"].name == "wqy-microhei.ttc"


def test_info_lines_name_the_scheme():
    lines = fonts.describe()
    assert lines[0].startswith("打印字体方案：song")


def test_without_a_fangsong_of_its_own_the_wording_uses_the_body_font_once():
    registered = fonts.register_fonts()
    if registered.prose_file == registered.body_file:  # no 仿宋 on this machine
        assert registered.prose == registered.body  # one font object, glyphs embedded once
    else:
        assert registered.prose == fonts.PROSE
