"""Read produced PDFs back with poppler (pdftotext, pdfinfo, pdffonts) and the raw outline."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def text(path: Path, first: int | None = None, last: int | None = None,
         layout: bool = False, raw: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    if layout:
        args.append("-layout")
    return run(*args, str(path), "-")


def flat(path: Path, first: int | None = None, last: int | None = None) -> str:
    """Text in drawing order without whitespace: a cell's wrapped lines join up again."""
    return re.sub(r"\s+", "", text(path, first, last, raw=True))


def info(path: Path) -> dict[str, str]:
    out = {}
    for line in run("pdfinfo", str(path)).splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def pages(path: Path) -> int:
    return int(info(path)["Pages"])


def is_a4(path: Path) -> bool:
    size = info(path)["Page size"]
    return size.startswith(("595.276 x 841.89", "595.28 x 841.89"))


def fonts(path: Path) -> list[dict[str, str]]:
    lines = run("pdffonts", str(path)).splitlines()[2:]
    out = []
    for line in lines:
        parts = line.split()
        # name type(1-2 words) encoding emb sub uni object ID: read from the right
        out.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return out


def column_text(path: Path, page: int, x_mm: float, width_mm: float) -> list[str]:
    """Words in a vertical strip of one page (x from the left edge), top to bottom."""
    pt = 72 / 25.4
    out = run("pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page),
              "-x", str(int(x_mm * pt)), "-y", "0", "-W", str(int(width_mm * pt)), "-H", "842",
              str(path), "-")
    return out.split()


def _pdf_string(raw: bytes) -> str:
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x5C:
            nxt = raw[i + 1]
            if 0x30 <= nxt <= 0x37:
                j, digits = i + 1, b""
                while j < len(raw) and len(digits) < 3 and 0x30 <= raw[j] <= 0x37:
                    digits += bytes([raw[j]])
                    j += 1
                out.append(int(digits, 8))
                i = j
                continue
            out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9}.get(nxt, nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    data = bytes(out)
    return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")


def outline(path: Path) -> list[tuple[str, int]]:
    """(title, page number) of every outline entry, in file order (reportlab's plain objects)."""
    data = path.read_bytes()
    kids = re.search(rb"/Kids \[([^\]]*)\]\s*/Type /Pages", data) or \
        re.search(rb"/Type /Pages[^>]*?/Kids \[([^\]]*)\]", data)
    page_objects = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
    entries = []
    for chunk in data.split(b"endobj"):
        dest = re.search(rb"/Dest \[\s*(\d+) 0 R", chunk)
        title = re.search(rb"/Title \(((?:\\.|[^\\)])*)\)", chunk, re.DOTALL)
        if dest and title and b"/Parent" in chunk:
            entries.append((_pdf_string(title.group(1)), page_objects.index(int(dest.group(1))) + 1))
    return entries
