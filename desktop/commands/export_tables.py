"""tongdang export stats|screening|lists: the county's tables (DOMAIN.md §3, §10).

- stats: 附件1 摸排情况数据表
- screening: 附件2 排查表
- lists: 红色、黄色、蓝色风险等级儿童名单 for 团委/妇联/残联 (ID numbers masked)
- school: 适龄孤儿、事实无人抚养儿童名单 for 教育 before each term (长治 二(三)12)
- activity: 活动名单 for a care activity — no category, colour or ID number (DOMAIN.md §12)

A county login on the county database makes each of stats, screening, lists and school for the
whole county: ``--by-township`` (Annex 1 a column per township; the others every township's
children in turn) or ``--township-sheets`` (a sheet per township and a 汇总 sheet; in Word and
PDF a part per township).

``desktop/commands/export.py`` calls ``register_table_exports`` with its subparsers.
"""

import sys
from datetime import date
from pathlib import Path

from desktop.commands.common import UserError, add_archive_option, open_archive, parse_cli_date

FORMATS = ("xlsx", "docx", "pdf")
RECIPIENTS = ("团委", "妇联", "残联")


def register_table_exports(export_subparsers) -> None:
    p = _add(export_subparsers, "stats", "导出摸排情况数据表（附件1）",
             "按风险等级和情形统计人数及其中已干预人数（人数小计、人数合计），数据截至 --on 指定的日期。",
             run_stats)
    _add_by_township(p, "全县一张表、每个乡镇一列")
    p = _add(export_subparsers, "screening", "导出排查表（附件2，每名儿童一行，备注栏为风险等级）",
             "在档的留守、困境和单亲家庭儿童每人一行，备注栏写明风险等级。", run_screening)
    p.add_argument("--mask-id", action="store_true",
                   help="身份证号只显示前6位和后4位（报送民政部门以外的单位时使用）")
    _add_by_township(p, "全县各乡镇的儿童依次列出，村（社区）前写明乡镇")
    p = _add(export_subparsers, "lists", "导出红色、黄色、蓝色风险等级儿童名单（报送团委、妇联、残联）",
             "按风险等级分表列出红色、黄色、蓝色儿童，身份证号隐去中间位。", run_lists)
    p.add_argument("--to", required=True, choices=RECIPIENTS, metavar="报送单位",
                   help="报送单位：团委、妇联 或 残联")
    _add_by_township(p, "全县各乡镇的儿童依次列出，村（社区）前写明乡镇")
    _add_no_record(p)
    _register_school(export_subparsers)
    _register_activity(export_subparsers)


def _add_by_township(parser, what: str) -> None:
    layout = parser.add_mutually_exclusive_group()
    layout.add_argument("--by-township", action="store_true",
                        help=f"{what}；每个乡镇按它自己的规则计算（县级用户登录县级数据库时，不用 --town）")
    layout.add_argument("--township-sheets", action="store_true",
                        help="每个乡镇一张工作表，另加一张汇总表（Word、PDF 为每个乡镇一节）；"
                             "县级用户登录县级数据库时使用，不用 --town")


def _register_school(export_subparsers) -> None:
    p = _add(export_subparsers, "school", "导出适龄孤儿、事实无人抚养儿童名单（寒、暑假开学前报送教育部门）",
             "长治市实施方案二(三)12：县级民政部门分别在寒、暑假开学前向教育部门提供适龄孤儿、"
             "事实无人抚养儿童名单。列出统计日期时为孤儿或事实无人抚养儿童、开学当日年满3周岁"
             "未满18周岁（本地做法）的在档儿童；身份证号完整列出，供教育部门核查比对。",
             run_school, on_help="名单截至的日期（儿童类别按这一天认定），如 2027-02-10（默认今天）")
    p.add_argument("--term", default="", metavar="学期",
                   help="名单所用的学期，如 2027春 或 2026秋（默认为统计日期之后最先开学的学期）")
    p.add_argument("--mask-id", action="store_true", help="身份证号只显示前6位和后4位")
    _add_by_township(p, "全县各乡镇的儿童依次列出，村（社区）前写明乡镇")
    _add_no_record(p)


def _add_no_record(parser) -> None:
    parser.add_argument("--no-record", action="store_true",
                        help="不记入县级报送记录（县级用户导出全县名单时默认记为今天报送）")


def _register_activity(export_subparsers) -> None:
    p = _add(export_subparsers, "activity", "导出活动名单（不含类别标签，交学校、志愿者或团委组织活动用）",
             "列出活动日期在档的儿童：姓名、性别、年龄、村（社区）、就读学校、年级、照护人及联系电话；"
             "不印儿童类别、风险等级和身份证号。可按村（社区）和年龄筛选。", run_activity,
             on_help="活动日期，如 2026-07-15（可以是以后的日期，默认今天）")
    p.add_argument("--name", default="", metavar="活动名称", help="活动名称，如 暑期阅读班")
    p.add_argument("--village", default="", metavar="村", help="只列出这个村（社区）的儿童")
    p.add_argument("--min-age", type=_age, default=None, metavar="N", help="只列出年满 N 周岁的儿童")
    p.add_argument("--max-age", type=_age, default=None, metavar="N",
                   help="只列出不超过 N 周岁的儿童")


def _age(text: str) -> int:
    import argparse

    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年龄应为整数（周岁），而不是“{text}”") from None


def _add(subparsers, name: str, help_text: str, description: str, handler,
         on_help: str = "统计截至的日期，如 2026-06-30（默认今天）"):
    p = subparsers.add_parser(name, help=help_text, description=description)
    add_archive_option(p)
    p.add_argument("--on", metavar="日期", default=None, help=on_help)
    p.add_argument("--format", choices=FORMATS, default=None, metavar="格式",
                   help="文件格式：xlsx、docx 或 pdf（默认按 --out 的扩展名，否则 xlsx）")
    p.add_argument("--out", required=True, metavar="路径", help="保存到的文件")
    p.add_argument("--unit", default="", metavar="名称", help="填报单位（活动名单为组织单位；默认乡镇名称）")
    p.add_argument("--filler", default="", metavar="姓名", help="填报人（活动名单为联系人）")
    p.add_argument("--phone", default="", metavar="电话", help="联系电话")
    p.set_defaults(handler=handler)
    return p


# --- arguments -----------------------------------------------------------------------------

def report_date(args, future: bool = False) -> date:
    """The --on date; only an activity (``future``) may be planned after today."""
    if not args.on:
        return date.today()
    day = parse_cli_date(args.on, "--on")
    if day > date.today() and not future:
        raise UserError(f"--on 日期 {day:%Y-%m-%d} 晚于今天，统计只能截至今天或以前。")
    return day


def table_format(args) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "xlsx"


def table_path(args, fmt: str) -> Path:
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹，请给出文件名，如 {out / ('表格.' + fmt)}。")
    if not out.parent.is_dir():
        raise UserError(f"保存位置不存在：{out.parent}")
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    return out


def request(args, kind: str, on: date, **choices):
    """What ``archive.reports.form`` fills: the table ``kind`` on ``on`` with the header."""
    from models.reports import ReportRequest

    return ReportRequest(kind, on, unit=args.unit, filler=args.filler, phone=args.phone,
                         **choices)


# --- handlers ------------------------------------------------------------------------------

def _export(args, build, on: date | None = None, when: str = "截至", sent=None) -> int:
    """Open the archive, fill the table with ``build(archive, on)``, write it; print where.
    ``sent``: (kind, recipient, term) of a list for another department, noted in the county's
    log when a county login exports it for the whole county (``--no-record``: not)."""
    from exports.atomic import ExportCancelled, ExportError
    from exports.tables import render_table

    on = report_date(args) if on is None else on
    fmt = table_format(args)
    out = table_path(args, fmt)
    archive = open_archive(args)
    try:
        filled, count = build(archive, on)
        errors = filled.errors()
        if errors:
            raise UserError("；".join(errors.values()))
        try:
            render_table(filled, out, fmt, progress=_print_progress)
        except (ExportError, ExportCancelled) as exc:
            raise UserError(str(exc), status=3) from None
        print(file=sys.stderr)
        if sent is not None:
            _record_sent(archive, args, sent, out, filled)
    finally:
        archive.close()
    demo = "（演示数据）" if filled.demo else ""
    print(f"已导出《{filled.title}》{demo}，{when}{on.year}年{on.month}月{on.day}日，"
          f"{count}：{out}")
    return 0


def _county_wide(args) -> bool:
    return bool(getattr(args, "by_township", False) or getattr(args, "township_sheets", False))


def _record_sent(archive, args, sent, out: Path, filled) -> None:
    """Note the exported list in the county's log of lists sent (a warning if it cannot be)."""
    from models.server.county_settings import SettingsError

    if getattr(args, "no_record", False) or not _county_wide(args):
        return
    kind, recipient, term = sent
    term = term.get("term", "") if isinstance(term, dict) else term
    keys = ("red", "yellow", "blue") if kind == "lists" else ("children",)
    children = sum(len(_rows(filled, key)) for key in keys)
    try:
        archive.county_settings.record_sent(kind, recipient, date.today(), children=children,
                                            file_name=out.name, how="导出时记录", term=term)
    except SettingsError as exc:
        print(f"注意：名单已导出，但未记入报送记录：{exc}", file=sys.stderr)
        return
    print(f"已记入报送记录：{date.today():%Y-%m-%d} 向{recipient}报送（不是报送用的导出请加 --no-record）。",
          file=sys.stderr)


def _print_progress(done: int, total: int) -> None:
    print(f"\r正在导出 {done}/{total}", end="", file=sys.stderr, flush=True)


def run_stats(args) -> int:
    from forms.county_tables import ANNEX1_TABLE

    def build(archive, on):
        filled = _filled(archive, args, request(args, "stats", on))
        table = filled.summary if hasattr(filled, "summary") else filled
        total = table.rows[ANNEX1_TABLE][-1]["count"]
        return filled, f"人数合计 {total} 人"

    return _export(args, build)


def run_screening(args) -> int:
    from forms.county_tables import ANNEX2_TABLE

    def build(archive, on):
        filled = _filled(archive, args, request(args, "screening", on, mask_ids=args.mask_id))
        return filled, f"共 {len(_rows(filled, ANNEX2_TABLE))} 名儿童"

    return _export(args, build)


def _rows(filled, key: str) -> list[dict]:
    """The rows of table ``key``: of every township in a book (``--township-sheets``)."""
    if hasattr(filled, "rows_of_key"):
        return filled.rows_of_key(key)
    return filled.rows[key]


def run_lists(args) -> int:
    from forms import vocab

    def build(archive, on):
        filled = _filled(archive, args, request(args, "lists", on, recipient=args.to))
        counts = "、".join(f"{vocab.COLOUR_NAMES[c]} {len(_rows(filled, c))} 人"
                          for c in ("red", "yellow", "blue"))
        return filled, counts

    return _export(args, build, sent=("lists", args.to, ""))


def _filled(archive, args, wanted):
    """The table ``wanted`` for this archive, or township by township (``--by-township``,
    ``--township-sheets``: a ``forms.spec.TableBook``)."""
    try:
        if getattr(args, "township_sheets", False):
            return archive.reports.township_sheets(wanted)
        if getattr(args, "by_township", False):
            return archive.reports.by_township(wanted)
        return archive.reports.form(wanted)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def run_school(args) -> int:
    from forms.school_list import TABLE_KEY

    chosen = {}  # the term as the archive reads it (a county: its own first days of term)

    def build(archive, on):
        wanted = archive.reports.with_county_terms(
            request(args, "school", on, mask_ids=args.mask_id, term=args.term.strip()))
        try:
            term = wanted.school_term()
        except ValueError as exc:
            raise UserError(str(exc)) from None
        chosen["term"] = term.code
        filled = _filled(archive, args, wanted)
        return filled, f"{term.label}，共 {len(_rows(filled, TABLE_KEY))} 名儿童"

    return _export(args, build, sent=("school", "教育局", chosen))


def run_activity(args) -> int:
    from forms.activity_list import TABLE_KEY
    from models.reports import ActivityFilter

    chosen = ActivityFilter(args.village.strip(), args.min_age, args.max_age)
    try:
        chosen.check()
    except ValueError as exc:
        raise UserError(str(exc)) from None

    def build(archive, on):
        try:
            filled = archive.reports.form(request(
                args, "activity", on, activity=args.name, village=chosen.village,
                min_age=chosen.min_age, max_age=chosen.max_age))
        except ValueError as exc:
            raise UserError(str(exc)) from None
        return filled, f"共 {len(filled.rows[TABLE_KEY])} 名儿童"

    return _export(args, build, report_date(args, future=True), when="活动日期")
