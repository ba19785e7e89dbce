"""Bounds checked on an .xlsx file before any of it is read into memory.

A real ledger of a township (a few thousand children, even the 200,000 rows the importer
takes) never comes near these limits; a zip bomb or a hostile file passes them at once.
The check reads only the zip's directory and, for the parts that openpyxl parses whole
(styles, workbook, properties) and the shared strings, counts XML elements with expat as
the bytes stream by: nothing is kept. Worksheets are streamed later by the reader itself
(``models.ledger_reading``), which also bounds the cells of a row.
"""

from __future__ import annotations

import zipfile
from xml.parsers import expat

MB = 1 << 20
MAX_UNPACKED = 200 * MB  # all parts together, uncompressed
MAX_ENTRIES = 1_000  # parts in the zip; an Excel or WPS workbook has a few dozen
MAX_RATIO = 100  # uncompressed : compressed, for a part over RATIO_FROM (a ledger: about 14)
RATIO_FROM = 10 * MB
MAX_WHOLE_PART = 20 * MB  # a part that openpyxl parses whole (styles.xml, workbook.xml…)
MAX_WHOLE_ELEMENTS = 500_000  # XML elements in such a part
MAX_SHARED_STRINGS = 1_000_000
MAX_ROW_ELEMENTS = 100_000  # XML elements inside one row (Excel has at most 16,384 columns)

_STREAMED = ("xl/worksheets/", "xl/chartsheets/")  # read row by row later
_IGNORED_SUFFIXES = (".bin", ".png", ".jpeg", ".jpg", ".gif", ".emf", ".wmf", ".vml")
_CHUNK = 1 << 16


class TooLarge(Exception):
    """The file passes a bound; ``str()`` is a Chinese sentence for the clerk."""


def _advice(name: str) -> str:
    return (f"“{name}”不像是填写好的台账，程序没有读取它。请确认选对了文件；如确是台账，请在 Excel 或 WPS 中"
            "把“儿童”和“走访记录”两张表复制到台账模板中另存后再导入，行数很多时请分成几个台账。")


def check_package(handle, name: str) -> None:
    """Raise ``TooLarge`` when the open .xlsx ``handle`` passes a bound. A zip that cannot
    be read at all is left to the reader (it reports a damaged file). Seeks back to 0."""
    try:
        with zipfile.ZipFile(handle) as archive:
            _check(archive, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError):
        pass  # damaged, encrypted or odd: openpyxl's own error names it
    finally:
        handle.seek(0)


def _check(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise TooLarge(f"文件中有 {len(infos)} 个组成部分，远多于任何 Excel 工作簿（上限 {MAX_ENTRIES} 个）。"
                       + _advice(name))
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED:
        raise TooLarge(f"文件解压后有 {total // MB} MB，超过台账的上限 {MAX_UNPACKED // MB} MB。"
                       + _advice(name))
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise TooLarge(f"文件中的“{info.filename}”压缩比异常（{info.file_size // MB} MB 压缩成 "
                           f"{max(1, info.compress_size // 1024)} KB），可能是恶意构造的“压缩炸弹”。"
                           + _advice(name))
    for info in infos:
        part = info.filename
        lower = part.lower()
        if info.is_dir() or lower.startswith(_STREAMED) or lower.endswith(_IGNORED_SUFFIXES):
            continue
        if lower.endswith("sharedstrings.xml"):
            count = _count_elements(archive, info, "si", MAX_SHARED_STRINGS)
            if count > MAX_SHARED_STRINGS:
                raise TooLarge(f"文件中的不同文字超过 {MAX_SHARED_STRINGS:,} 条，远多于任何台账。"
                               + _advice(name))
        elif lower.endswith(".xml"):
            if info.file_size > MAX_WHOLE_PART:
                raise TooLarge(f"文件中的“{part}”有 {info.file_size // MB} MB，"
                               f"超过上限 {MAX_WHOLE_PART // MB} MB。" + _advice(name))
            if _count_elements(archive, info, None, MAX_WHOLE_ELEMENTS) > MAX_WHOLE_ELEMENTS:
                raise TooLarge(f"文件中的“{part}”含有过多内容（超过 {MAX_WHOLE_ELEMENTS:,} 项）。"
                               + _advice(name))


class _Enough(Exception):
    pass


def _count_elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo, local: str | None,
                    limit: int) -> int:
    """Elements in the part (only those named ``local`` when given), stopping past ``limit``.

    Malformed XML stops the count where it breaks: the reader reports it later.
    """
    count = 0

    def start(tag, _attrs):
        nonlocal count
        if local is None or tag == local or tag.endswith(":" + local) or tag.endswith(" " + local):
            count += 1
            if count > limit:
                raise _Enough

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        with archive.open(info) as source:
            while chunk := source.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Enough:
        pass
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        pass
    return count
