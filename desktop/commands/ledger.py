"""tongdang template / import: the Excel ledger (台账)."""

import sys
from pathlib import Path

from desktop.commands.common import UserError, add_command, open_archive

SHOWN_ISSUES = 200  # the report file has them all


def register(subparsers) -> None:
    p = add_command(subparsers, "template", "生成空白的 Excel 台账模板", run_template)
    p.add_argument("path", metavar="文件.xlsx", help="模板保存位置")
    p.add_argument("--from-archive", action="store_true",
                   help="把档案库中已有的村（社区）和儿童主任作为下拉选项（仍可填写新的）")

    p = add_command(subparsers, "import", "从 Excel 台账导入儿童信息和走访记录", run_import)
    p.add_argument("path", metavar="文件.xlsx", help="填好的台账")
    p.add_argument("--report", metavar="报告.xlsx", default=None,
                   help="有错误时错误报告的保存位置（默认：台账旁边的“…-错误报告.xlsx”）")


def run_template(args) -> int:
    from exports.ledger_template import TemplateError, write_ledger_template

    path = Path(args.path)
    if path.suffix.lower() != ".xlsx":
        raise UserError("模板文件名应以 .xlsx 结尾，例如：台账模板.xlsx")
    villages, directors = _known_names(args) if args.from_archive else ((), ())
    try:
        write_ledger_template(path, villages=villages, directors=directors)
    except (TemplateError, OSError) as exc:
        raise UserError(str(exc) if isinstance(exc, TemplateError)
                        else f"无法保存模板：{exc.strerror or exc}") from None
    print(f"已生成台账模板：{path}")
    print("请按“填写说明”表的要求填写“儿童”和“走访记录”两张表，然后用 tongdang import 导入。")
    return 0


def _known_names(args) -> tuple[list[str], list[str]]:
    archive = open_archive(args)
    try:
        villages = archive.ledger.village_names(by_name=False)
        directors = sorted(set(archive.ledger.active_director_names()))
    finally:
        archive.close()
    return villages, directors


def run_import(args) -> int:
    from exports.ledger_report import write_issue_report
    from models.ledger_import import ImportCancelled, LedgerEmpty, LedgerInvalid
    from models.roles import IMPORT_LEDGER

    path = Path(args.path)
    if not path.is_file():
        raise UserError(f"找不到文件：{path}")
    archive = open_archive(args, IMPORT_LEDGER, writes=True)
    try:
        with archive.announce("导入台账"):  # other programs that wait say why
            summary = archive.ledger.import_file(path, progress=_progress, report_path=args.report,
                                                 write_report=write_issue_report)
    except LedgerInvalid as exc:
        _clear_progress()
        _print_issues(exc)
        return 1
    except LedgerEmpty as exc:
        _clear_progress()
        raise UserError(str(exc), status=1) from None
    except ImportCancelled as exc:
        raise UserError(str(exc), status=130) from None
    finally:
        archive.close()
    _clear_progress()
    print(f"已导入台账：{path.name}")
    for line in summary.lines():
        print(f"  {line}")
    return 0


def _print_issues(exc) -> None:
    issues = exc.issues
    print(f"台账中有 {len(issues)} 处问题，未导入任何数据。请改正后重新导入。")
    print()
    rows = [("工作表", "行", "列", "问题")]
    rows += [(i.sheet or "（文件）", str(i.row or ""), i.column, i.message)
             for i in issues[:SHOWN_ISSUES]]
    widths = [max(_width(r[k]) for r in rows) for k in range(3)]
    for row in rows:
        cells = [_pad(row[k], widths[k]) for k in range(3)]
        print("  ".join(cells + [row[3]]))
    if len(issues) > SHOWN_ISSUES:
        print(f"……另有 {len(issues) - SHOWN_ISSUES} 处问题，见错误报告。")
    if exc.report_path:
        print()
        print(f"错误报告已保存：{exc.report_path}")


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        text = f"正在读取台账：已读 {done} 行" if total == 0 else f"正在导入 {done}/{total}"
        print(f"\r{text}      ", end="", file=sys.stderr, flush=True)


def _clear_progress() -> None:
    if sys.stderr.isatty():
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr, flush=True)
