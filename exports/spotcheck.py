"""The spot-check packet (抽查材料): one folder with each sampled child's file as a PDF and the
抽查记录表 (PDF, Word and Excel) listing every file's findings and a summary.

Takes a plain snapshot (``SpotCheckPacket``); never touches the archive. The folder appears
complete or not at all: everything is written into a hidden temporary folder next to the
target and renamed at the end; a failure or a cancellation removes it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from exports.atomic import (
    ExportError,
    IsCancelled,
    Progress,
    atomic_folder,
    check_cancelled,
    report,
)
from forms.dossier import Dossier
from forms.spec import FilledForm
from forms.spotcheck_packet import PacketChild, SpotCheckPacket
from forms.spotcheck_record import SPOTCHECK_RECORD

RECORD_NAME = "抽查记录表"
DOSSIER_FOLDER = "儿童档案"
PASSED, TO_FIX = "合格", "需整改"
MAX_NAME_CHARS = 60
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}

# --- file names --------------------------------------------------------------------------

def safe_name(text: str, fallback: str = "未命名") -> str:
    """A file-name part that stays inside its folder on Windows and Linux."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = _UNSAFE.sub("_", text).strip().strip(".").strip()
    text = text[:MAX_NAME_CHARS].rstrip(". ")
    if not text or text in (".", "..") or text.split(".")[0].upper() in _WINDOWS_RESERVED:
        return fallback
    return text


def dossier_file_name(index: int, child: PacketChild) -> str:
    return f"{index:03d}-{safe_name(child.village, '未填村')}-{safe_name(child.name)}.pdf"


# --- the record --------------------------------------------------------------------------

def share_text(share: float) -> str:
    percent = share * 100
    return f"{percent:.0f}%" if abs(percent - round(percent)) < 1e-9 else f"{percent:.1f}%"


def record_form(packet: SpotCheckPacket) -> FilledForm:
    sampled = len(packet.children)
    with_problems = sum(1 for c in packet.children if c.findings)
    values = {
        "unit": packet.township, "county": packet.county, "checked_on": packet.on,
        "inspector": packet.inspector,
        "method": "按村（社区）分层随机抽取" if packet.per_village else "全乡镇随机抽取",
        "share": share_text(packet.share), "seed": packet.seed, "record_no": packet.record_no,
        "method_note": packet.method_note or "用相同的随机种子和抽查比例，可对同一档案库重新抽出同一批档案。",
        "population": packet.population, "sampled": sampled, "with_problems": with_problems,
        "chain_head": packet.chain_head,
    }
    rows = [{
        "no": i, "name": c.name, "id_number": c.id_number, "village": c.village, "risk": c.risk,
        "findings": "\n".join(f"{n}. {m}" for n, m in enumerate(c.findings, 1)) or "未发现问题",
        "result": TO_FIX if c.findings else PASSED,
    } for i, c in enumerate(packet.children, 1)]
    summary = [{"kind": kind, "count": count,
                "percent": f"{count * 100 / sampled:.0f}%" if sampled else ""}
               for kind, count in packet.summary]
    summary.append({"kind": f"合计：存在问题的档案（共抽查{sampled}份）", "count": with_problems,
                    "percent": f"{with_problems * 100 / sampled:.0f}%" if sampled else ""})
    return FilledForm(SPOTCHECK_RECORD, values, {"rows": rows, "summary": summary},
                      demo=packet.demo)


def _write_record(packet: SpotCheckPacket, folder: Path, is_cancelled: IsCancelled | None) -> None:
    from exports.excel import render_xlsx
    from exports.pdf_form import render_form_pdf
    from exports.word_form import render_form_docx

    filled = record_form(packet)
    for suffix, render in ((".pdf", render_form_pdf), (".docx", render_form_docx),
                           (".xlsx", render_xlsx)):
        check_cancelled(is_cancelled)
        render(filled, folder / f"{RECORD_NAME}{suffix}", is_cancelled=is_cancelled)


# --- the folder --------------------------------------------------------------------------

def _check_target(target: Path) -> None:
    if not target.parent.is_dir():
        raise ExportError(f"保存位置不存在：{target.parent}")
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise ExportError(f"“{target}”已存在且不是空文件夹。请另选一个新文件夹名。")


def _render_dossier(dossier: Dossier, path: str) -> None:
    from exports.dossier_pdf import render_dossier_pdf

    render_dossier_pdf(dossier, path)


def _dossiers_serial(packet, folder, progress, is_cancelled, total) -> None:
    from exports.dossier_pdf import render_dossier_pdf

    for index, child in enumerate(packet.children, 1):
        check_cancelled(is_cancelled)
        render_dossier_pdf(child.load_dossier(), folder / dossier_file_name(index, child),
                           is_cancelled=is_cancelled)
        report(progress, index, total)


def _dossiers_parallel(packet, folder, progress, is_cancelled, total, workers: int) -> None:
    """Render in worker processes; dossiers are built here (they come from the archive)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    done = 0
    pending: set = set()
    jobs = iter(enumerate(packet.children, 1))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        try:
            while True:
                while len(pending) < 2 * workers:
                    nxt = next(jobs, None)
                    if nxt is None:
                        break
                    check_cancelled(is_cancelled)
                    index, child = nxt
                    pending.add(pool.submit(_render_dossier, child.load_dossier(),
                                            str(folder / dossier_file_name(index, child))))
                if not pending:
                    return
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()
                    done += 1
                    report(progress, done, total)
                check_cancelled(is_cancelled)
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def write_packet(packet: SpotCheckPacket, target, progress: Progress | None = None,
                 is_cancelled: IsCancelled | None = None, workers: int = 1) -> Path:
    """Write the packet folder ``target`` (must not exist, or be empty); returns its path.

    ``workers`` > 1 renders the children's files in that many processes.
    """
    target = Path(target)
    _check_target(target)
    check_cancelled(is_cancelled)
    total = len(packet.children) + 1
    report(progress, 0, total)
    with atomic_folder(target, safe_name(target.name, "packet")) as tmp:
        dossiers = tmp / DOSSIER_FOLDER
        dossiers.mkdir()
        if workers > 1 and len(packet.children) > 1:
            _dossiers_parallel(packet, dossiers, progress, is_cancelled, total, workers)
        else:
            _dossiers_serial(packet, dossiers, progress, is_cancelled, total)
        check_cancelled(is_cancelled)
        _write_record(packet, tmp, is_cancelled)
        if packet.county_record:
            (tmp / packet.county_record_name).write_text(packet.county_record, encoding="utf-8")
        check_cancelled(is_cancelled)
    report(progress, total, total)
    return target
