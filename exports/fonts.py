"""The Chinese TrueType fonts for PDF (reportlab) and the font names for Word.

Official paper (GB/T 9704): text in 宋体 (the wording of a document in 仿宋), titles in
黑体/小标宋. ``FONT_SCHEME`` is the one setting that chooses the faces:

- ``"song"`` (default): 宋体 for form text, 仿宋 for a document's wording, 黑体 for titles.
  The system's own fonts are used where present (Windows: SimSun, FangSong, SimHei;
  统信UOS/麒麟: the CESI fonts); otherwise the shipped AR PL UMing (a Ming/宋体 face, Arphic
  Public License) for text and the shipped WenQuanYi Micro Hei (a 黑体-style face) for titles.
- ``"sans"``: everything in the shipped WenQuanYi Micro Hei (the old look).

The environment variable ``TONGDANG_FONTS`` overrides the setting (``song`` or ``sans``).
Registered once per process; reportlab embeds the fonts as subsets. ``describe()`` is what
``tongdang info`` prints.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_SCHEME = "song"
SCHEMES = ("song", "sans")

BODY, PROSE, TITLE = "TongdangBody", "TongdangProse", "TongdangTitle"

WORD_LATIN_FONT = "Times New Roman"
# Word documents name the fonts; Word (or LibreOffice) substitutes where they are missing.
_WORD_NAMES = {
    "song": {"body": "宋体", "prose": "仿宋", "title": "黑体"},
    "sans": {"body": "黑体", "prose": "黑体", "title": "黑体"},
}

_FONTS_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
SHIPPED_SONG = "uming.ttc"  # AR PL UMing (Arphic Public License), TrueType outlines
SHIPPED_SANS = "wqy-microhei.ttc"  # WenQuanYi Micro Hei (Apache-2.0 / GPL-3 with exception)

# System fonts by role, first found wins: Windows names, then 统信UOS/麒麟 (CESI) and others.
_SYSTEM_CANDIDATES = {
    "body": ("simsun.ttc", "SimSun.ttc", "CESI_SS_GB18030.TTF", "CESI_SS_GB2312.TTF",
             "uming.ttc"),
    "prose": ("simfang.ttf", "SimFang.ttf", "CESI_FS_GB18030.TTF", "CESI_FS_GB2312.TTF"),
    "title": ("simhei.ttf", "SimHei.ttf", "CESI_HT_GB18030.TTF", "CESI_HT_GB2312.TTF"),
}
_LINUX_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")


def scheme() -> str:
    chosen = os.environ.get("TONGDANG_FONTS", "").strip().lower() or FONT_SCHEME
    return chosen if chosen in SCHEMES else FONT_SCHEME


def word_font(role: str) -> str:
    """The East Asian font name Word documents give a role ("body", "prose", "title")."""
    return _WORD_NAMES[scheme()][role]


# Kept for callers that import the names (resolved when this module is first imported).
WORD_BODY_FONT = word_font("body")
WORD_PROSE_FONT = word_font("prose")
WORD_TITLE_FONT = word_font("title")


@dataclass(frozen=True)
class PdfFonts:
    body: str
    title: str
    body_file: Path
    title_file: Path
    # True when the title face has no bold weight of its own: draw it with a stroke.
    synthetic_bold: bool
    prose: str = BODY
    prose_file: Path | None = None
    scheme: str = FONT_SCHEME


_lock = threading.Lock()
_registered: PdfFonts | None = None


def shipped_font(name: str = SHIPPED_SANS) -> Path:
    try:
        from importlib.resources import files

        path = Path(str(files("resources") / "fonts" / name))
        if path.exists():
            return path
    except (ImportError, ModuleNotFoundError, TypeError):
        pass
    return _FONTS_DIR / name


def windows_fonts_dir() -> Path | None:
    # Windows spells it SystemRoot (its environment ignores case; tests on Linux do not)
    root = os.environ.get("WINDIR") or os.environ.get("SystemRoot")  # noqa: SIM112
    if not root:
        return None
    folder = Path(root) / "Fonts"
    return folder if folder.is_dir() else None


def _first(folder: Path | None, names: tuple[str, ...]) -> Path | None:
    if folder is None:
        return None
    for name in names:
        path = folder / name
        if path.exists():
            return path
    return None


def _system_font(role: str) -> Path | None:
    """A system font for the role: the Windows folder, then the usual Linux folders."""
    names = _SYSTEM_CANDIDATES[role]
    found = _first(windows_fonts_dir(), names)
    if found is not None:
        return found
    if os.name == "nt":
        return None
    wanted = {n.lower() for n in names if n != "uming.ttc"}
    for root in _LINUX_FONT_DIRS:
        if not os.path.isdir(root):
            continue
        for folder, _dirs, files in os.walk(root):
            for name in files:
                if name.lower() in wanted:
                    return Path(folder) / name
    return None


def _load(name: str, path: Path) -> None:
    if path.suffix.lower() == ".ttc":
        font = TTFont(name, str(path), subfontIndex=0)
    else:
        font = TTFont(name, str(path))
    _read_glyphs_in_place(font)
    pdfmetrics.registerFont(font)


class _TableSlices:
    """A font table that hands out slices of the font file without copying the table."""

    def __init__(self, data: bytes, pos: int, length: int):
        self._view = memoryview(data)[pos:pos + length]

    def __len__(self) -> int:
        return len(self._view)

    def __getitem__(self, index):
        part = self._view[index]
        return part.tobytes() if isinstance(part, memoryview) else part

    def __bytes__(self) -> bytes:
        return self._view.tobytes()


def _read_glyphs_in_place(font: TTFont) -> None:
    """reportlab copies a font's whole glyph table to embed each subset of 256 glyphs (a
    16 MB copy for AR PL UMing, three or four times per dossier) only to slice the glyphs
    out of it: give it the glyphs straight from the font file it already holds."""
    face = font.face
    if not (hasattr(face, "_ttf_data") and hasattr(face, "get_table_pos")):
        return  # another reportlab: leave it as it is
    copy_table = face.get_table

    def get_table(tag: str):
        if tag == "glyf":
            pos, length = face.get_table_pos(tag)
            return _TableSlices(face._ttf_data, pos, length)
        return copy_table(tag)

    face.get_table = get_table


def _try_load(name: str, path: Path | None, fallback: Path | None) -> Path | None:
    """Register ``path`` as ``name``, else ``fallback``; the file registered (None when
    ``path`` was unreadable and there is no fallback)."""
    if path is not None:
        try:
            _load(name, path)
            return path
        except (TTFError, OSError, ValueError):  # an unreadable or CFF system font
            pass
    if fallback is None:
        return None
    _load(name, fallback)
    return fallback


def font_files() -> dict[str, Path | None]:
    """The files the current scheme would use per role (system fonts first)."""
    if scheme() == "sans":
        sans = shipped_font(SHIPPED_SANS)
        return {"body": sans, "prose": sans, "title": sans}
    return {role: _system_font(role) for role in ("body", "prose", "title")}


def register_fonts() -> PdfFonts:
    """Register the body, prose and title fonts with reportlab (idempotent, thread-safe)."""
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        chosen = scheme()
        files = font_files()
        song, sans = shipped_font(SHIPPED_SONG), shipped_font(SHIPPED_SANS)
        if chosen == "sans" or not song.exists():
            song = sans
        if not sans.exists():
            raise FileNotFoundError(f"找不到中文字体文件：{sans}")
        body = _try_load(BODY, files["body"], song)
        # Without a 仿宋 of its own the wording is in the body face: one font, not a second
        # copy of it (20 MB in memory, and every glyph embedded twice in a dossier).
        prose = _try_load(PROSE, files["prose"], None) if files["prose"] not in (None, body) \
            else None
        prose_name = BODY if prose is None else PROSE
        prose = prose or body
        title = _try_load(TITLE, files["title"], sans)
        # SimHei and the CESI 黑体 are heavy already; WenQuanYi Micro Hei gets a light stroke.
        synthetic = title.name.lower() in (SHIPPED_SANS, SHIPPED_SONG, "uming.ttc")
        pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=TITLE, italic=BODY, boldItalic=TITLE)
        _registered = PdfFonts(BODY, TITLE, body, title, synthetic, prose_name, prose, chosen)
        return _registered


def describe() -> list[str]:
    """Lines for ``tongdang info``: the scheme and the files of each role."""
    fonts = register_fonts()
    label = {"song": "宋体/仿宋正文、黑体标题", "sans": "黑体（文泉驿微米黑）"}[fonts.scheme]
    return [
        f"打印字体方案：{fonts.scheme}（{label}）",
        f"  正文（表格）：{fonts.body_file}",
        f"  正文（文书）：{fonts.prose_file}",
        f"  标题：{fonts.title_file}",
        f"  Word 字体名：{word_font('body')}、{word_font('prose')}、{word_font('title')}",
    ]
