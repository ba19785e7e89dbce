"""Hostile and broken .xlsx files for the ledger reader (tests and bench/fuzz_ledgers.py).

Each maker writes one file to ``path``. The zip bombs are written by streaming highly
repetitive XML into a deflated member, so building them costs seconds, not memory.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from datetime import date
from pathlib import Path

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets>'
    '<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')

HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'


def _package(path: Path, sheet_name: str = "儿童", sheet=None, strings=None, extra=()) -> None:
    """A minimal workbook; ``sheet``/``strings`` are iterables of XML text chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK.replace("{name}", sheet_name))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        _stream(zf, "xl/worksheets/sheet1.xml", sheet or (
            f'<worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}</sheetData></worksheet>',))
        _stream(zf, "xl/sharedStrings.xml", strings or (f'<sst xmlns="{NS}"></sst>',))
        for name, chunks in extra:
            _stream(zf, name, chunks)


def _stream(zf: zipfile.ZipFile, name: str, chunks) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 9
    with zf.open(info, "w", force_zip64=True) as out:
        if isinstance(chunks, _Repeated):
            out.write(chunks.head.encode())
            flushed = out._compressor.flush(zlib.Z_FULL_FLUSH)
            out._fileobj.write(flushed)
            out._compress_size += len(flushed)
            compressor, out._compressor = out._compressor, _SameBlock(chunks.block.encode())
            for _ in range(chunks.count):
                out.write(chunks.block.encode())
            out._compressor = compressor
            out.write(chunks.tail.encode())
            return
        for chunk in chunks:
            out.write(chunk.encode() if isinstance(chunk, str) else chunk)


class _Repeated:
    """``head``, then ``block`` ``count`` times, then ``tail``: written in seconds whatever
    the count, since the compressed form of each block is worked out once."""

    def __init__(self, head: str, block: str, count: int, tail: str):
        self.head, self.block, self.count, self.tail = head, block, count, tail


class _SameBlock:
    """A compressor for the same block again and again: each is deflated on its own
    (a full flush resets the window), so its compressed bytes are the same every time."""

    def __init__(self, block: bytes):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.bytes = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)

    def compress(self, _data: bytes) -> bytes:
        return self.bytes

    def flush(self, *_mode) -> bytes:
        return b""


def _repeat(head: str, piece: str, total_bytes: int, tail: str, block: int = 1 << 20):
    data = piece * max(1, block // len(piece))
    return _Repeated(head, data, max(1, total_bytes // len(data)), tail)


def shared_strings_bomb(path: Path, megabytes: int = 3500) -> None:
    """A shared-strings part of ``megabytes`` MB of one repeated long string (the kind of
    file that took 3.28 GB: a few MB on disk)."""
    long_text = "<si><t>" + "A" * 5000 + "</t></si>"
    _package(path, strings=_repeat(f'<sst xmlns="{NS}">', long_text, megabytes << 20, "</sst>"))


def sheet_bomb(path: Path, megabytes: int = 2000) -> None:
    """One worksheet of ``megabytes`` MB of repeated cells in one row."""
    cell = '<c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c>'
    _package(path, sheet=_repeat(f'<worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}<row r="2">',
                                 cell, megabytes << 20, "</row></sheetData></worksheet>"))


def blank_rows_bomb(path: Path, rows: int = 5_000_000) -> None:
    """Millions of empty rows (small when compressed, each an XML element)."""
    def chunks():
        yield f'<worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}'
        block = []
        for r in range(2, rows + 2):
            block.append(f'<row r="{r}"/>')
            if len(block) == 50_000:
                yield "".join(block)
                block = []
        yield "".join(block) + "</sheetData></worksheet>"
    _package(path, sheet=chunks())


def many_strings(path: Path, count: int = 2_000_000) -> None:
    """Two million tiny shared strings: small on disk and under 200 MB unpacked."""
    def chunks():
        yield f'<sst xmlns="{NS}" count="{count}" uniqueCount="{count}">'
        for start in range(0, count, 50_000):
            yield "".join(f"<si><t>{i}</t></si>" for i in range(start, min(count, start + 50_000)))
        yield "</sst>"
    _package(path, strings=chunks())


def many_styles(path: Path, count: int = 600_000) -> None:
    """A styles part of many different elements: small, not very compressible."""
    _package(path, extra=[("xl/styles.xml", (
        f'<styleSheet xmlns="{NS}"><cellXfs>',
        *("".join(f'<xf numFmtId="{i}"/>' for i in range(s, min(count, s + 50_000)))
          for s in range(0, count, 50_000)),
        "</cellXfs></styleSheet>"))])


def many_entries(path: Path, count: int = 20_000) -> None:
    _package(path, extra=[(f"xl/media/x{i}.xml", ("<a/>",)) for i in range(count)])


def styles_bomb(path: Path, megabytes: int = 500) -> None:
    """A styles part of repeated empty elements (parsed whole by openpyxl)."""
    _package(path, extra=[("xl/styles.xml", _repeat(f'<styleSheet xmlns="{NS}"><cellXfs>',
                                                    "<xf/>", megabytes << 20,
                                                    "</cellXfs></styleSheet>"))])


def billion_laughs(path: Path) -> None:
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                     for i in range(1, 10))
           + f']><sst xmlns="{NS}"><si><t>&lol9;</t></si></sst>')
    _package(path, strings=(lol,))


def formulas(path: Path) -> None:
    """A ledger whose headers and cells are formulas (their text must never come back as a
    formula in the error report)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "儿童"
    ws.append(['=HYPERLINK("http://example.com/x","点击")', "身份证号", "村(社区)", "@SUM(1)"])
    ws.append(["=1+1", "+110101", "-2", "=cmd|' /C calc'!A0"])
    ws.append(["\t=1", "\r=2", "@x", "=HYPERLINK(\"http://e.com\")"])
    wb.save(path)


def wrong_sheet(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["姓名", "身份证号"])
    wb.save(path)


def huge_coordinates(path: Path) -> None:
    _package(path, sheet=(f'<worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}'
                          '<row r="1e400"><c r="XFE1" t="inlineStr"><is><t>x</t></is></c></row>'
                          '<row r="3"><c r="ZZZZZZZZ3" t="n"><v>1</v></c></row>'
                          '<row r="99999999999"><c r="A99999999999" t="s"><v>99999</v></c></row>'
                          "</sheetData></worksheet>",))


def bad_shared_index(path: Path) -> None:
    _package(path, sheet=(f'<worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}'
                          '<row r="2"><c r="A2" t="s"><v>12345</v></c><c r="B2" t="s"><v>-1</v></c>'
                          '<c r="C2" t="s"><v>abc</v></c></row></sheetData></worksheet>',))


def not_xml(path: Path) -> None:
    _package(path, sheet=("this is not xml <<<",))


def random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(50_000))


def zip_of_random(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", os.urandom(1000))


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


def old_excel(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)


def pdf_bytes(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 1000)


def truncated(path: Path) -> None:
    from exports.ledger_template import write_ledger_template

    write_ledger_template(path, rows=50)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def lying_sizes(path: Path) -> None:
    """A member whose central directory claims a small size for a big content."""
    shared_strings_bomb(path, megabytes=50)
    data = bytearray(path.read_bytes())
    # Patch every stored uncompressed size of sharedStrings.xml to 1000 bytes: Python's
    # zipfile stops at the stated size and the CRC check fails.
    name = b"xl/sharedStrings.xml"
    at = 0
    while (at := data.find(name, at + 1)) != -1:
        if data[at - 46:at - 42] == b"PK\x01\x02":
            data[at - 46 + 24:at - 46 + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def wrong_types(path: Path) -> None:
    """A real ledger with every kind of cell in odd places."""
    from openpyxl import Workbook

    from forms import ledger

    wb = Workbook()
    ws = wb.active
    ws.title = "儿童"
    ws.append(list(ledger.CHILDREN.headers))
    ws.append([date(2020, 1, 1), 12345678901234567, True, 1.5e300, None, "\u202e东坡村", "x" * 40000])
    wb.save(path)


def measure(path: Path) -> dict:
    """Check ``path`` as the import does (and write its error report); peak memory of this
    process, time, the problems found, and the traceback if any."""
    import resource
    import time
    import traceback

    from exports.ledger_report import write_issue_report
    from models.ledger_import import validate_ledger

    start = time.perf_counter()
    result = {"file": path.name}
    try:
        check = validate_ledger(path, today=date(2026, 1, 1))
        result["issues"] = len(check.issues)
        result["first"] = check.issues[0].message if check.issues else ""
        if check.issues:
            write_issue_report(check.issues, path.with_name(path.stem + "-报告.xlsx"), source=path)
    except Exception:  # noqa: BLE001 -- counted: the test wants none
        result["traceback"] = traceback.format_exc()
    result["seconds"] = round(time.perf_counter() - start, 2)
    result["peak_mb"] = _peak_mb(resource)
    return result


def _peak_mb(resource) -> int:
    """This process's own peak. Linux carries ``ru_maxrss`` over from the parent through
    fork and exec (a big pytest parent would show as this child's peak); the high-water
    mark of the process's own memory map (VmHWM) is not carried over."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


if __name__ == "__main__":  # python tests/hostile_xlsx.py FILE: one measurement, as JSON
    import json
    import sys

    print(json.dumps(measure(Path(sys.argv[1])), ensure_ascii=False))


SMALL = {
    "formulas": formulas, "wrong_sheet": wrong_sheet, "huge_coordinates": huge_coordinates,
    "bad_shared_index": bad_shared_index, "not_xml": not_xml, "random_bytes": random_bytes,
    "zip_of_random": zip_of_random, "empty_file": empty_file, "old_excel": old_excel,
    "pdf_bytes": pdf_bytes, "truncated": truncated, "billion_laughs": billion_laughs,
    "wrong_types": wrong_types,
}
# Big unpacked, small packed; the numbers are sizes in MB (or counts) for the full run.
BOMBS = {
    "shared_strings_bomb": shared_strings_bomb, "sheet_bomb": sheet_bomb,
    "blank_rows_bomb": blank_rows_bomb, "many_strings": many_strings,
    "many_entries": many_entries, "styles_bomb": styles_bomb, "lying_sizes": lying_sizes,
    "many_styles": many_styles,
}
