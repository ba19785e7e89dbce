"""The Chinese TrueType fonts for PDF (reportlab) and the font names for Word.

Windows' 仿宋/宋体/黑体 are used when present (they match the paper conventions); otherwise the
shipped WenQuanYi Micro Hei. Registered once per process; reportlab embeds them as subsets.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

BODY, TITLE = "TongdangBody", "TongdangTitle"

# Word documents name the fonts; Word substitutes where they are missing.
WORD_BODY_FONT = "仿宋"
WORD_TITLE_FONT = "宋体"
WORD_LATIN_FONT = "Times New Roman"

_SHIPPED = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "wqy-microhei.ttc"


@dataclass(frozen=True)
class PdfFonts:
    body: str
    title: str
    body_file: Path
    title_file: Path
    # True when the title face has no bold weight of its own: draw it with a stroke.
    synthetic_bold: bool


_lock = threading.Lock()
_registered: PdfFonts | None = None


def shipped_font() -> Path:
    try:
        from importlib.resources import files

        path = Path(str(files("resources") / "fonts" / "wqy-microhei.ttc"))
        if path.exists():
            return path
    except (ImportError, ModuleNotFoundError, TypeError):
        pass
    return _SHIPPED


def windows_fonts_dir() -> Path | None:
    root = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
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


def _load(name: str, path: Path) -> None:
    if path.suffix.lower() == ".ttc":
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    else:
        pdfmetrics.registerFont(TTFont(name, str(path)))


def register_fonts() -> PdfFonts:
    """Register the body and title fonts with reportlab (idempotent, thread-safe)."""
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        folder = windows_fonts_dir()
        body = _first(folder, ("simfang.ttf", "simsun.ttc")) or shipped_font()
        title = _first(folder, ("simhei.ttf",))
        synthetic = title is None
        title = title or body
        if not body.exists():
            raise FileNotFoundError(f"找不到中文字体文件：{body}")
        _load(BODY, body)
        if title == body:
            _load(TITLE, body)
        else:
            try:
                _load(TITLE, title)
            except (TTFError, OSError):  # an unreadable system font: fall back to the body face
                _load(TITLE, body)
                title, synthetic = body, True
        pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=TITLE, italic=BODY, boldItalic=TITLE)
        _registered = PdfFonts(BODY, TITLE, body, title, synthetic)
        return _registered
