"""File names from archive data (attachment names, child names) that cannot escape a folder.

An attachment's stored name came from someone's computer, a scanner or an imported ledger:
it may hold ``../``, drive letters, Windows-reserved names (CON, NUL…), control or invisible
direction characters that disguise an extension, or be too long for the file system.
``safe_file_name`` turns any such text into one plain file name valid on Windows and Linux.
"""

import os
import re
import unicodedata
from pathlib import Path

MAX_NAME_BYTES = 200  # well below the 255-byte limit of common file systems, in UTF-8
FALLBACK = "未命名"
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{dev}{i}" for dev in ("COM", "LPT") for i in "0123456789¹²³")}


class UnsafeName(ValueError):
    """A path that would leave its folder; ``str()`` is a Chinese message."""


def safe_file_name(name) -> str:
    """One file name (no folders) that is safe to create inside any folder."""
    text = unicodedata.normalize("NFC", "" if name is None else str(name))
    text = re.sub(r"[\t\n\r\v\f]", " ", text)
    # Invisible format characters (e.g. right-to-left override) can make "exe.pdf" look like
    # a PDF; other control and unassigned characters have no place in a name either.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Cs", "Co", "Cn"))
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())  # tabs, odd spaces, runs of spaces
    text = text.strip(" .")  # Windows drops trailing dots/spaces; leading dots hide files
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if stem.split(".")[0].upper() in _RESERVED or (not stem and ext.upper() in _RESERVED):
        text = "_" + text
    text = _shorten(text)
    return text or FALLBACK


def _shorten(text: str) -> str:
    if len(text.encode("utf-8")) <= MAX_NAME_BYTES:
        return text
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext.encode("utf-8")) > 16:
        stem, dot, ext = text, "", ""
    budget = MAX_NAME_BYTES - len((dot + ext).encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    return cut + dot + ext


def safe_path(folder, name) -> Path:
    """``folder / safe_file_name(name)``, checked to be directly inside ``folder``."""
    folder = Path(folder)
    path = folder / safe_file_name(name)
    if Path(os.path.abspath(path)).parent != Path(os.path.abspath(folder)):
        raise UnsafeName(f"文件名“{name}”不安全，已拒绝导出。")
    return path
