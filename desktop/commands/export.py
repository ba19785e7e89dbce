"""tongdang export dossier|form (and, when present, the county tables: stats|screening|lists)."""

from pathlib import Path

from desktop.commands.common import READ_CHILDREN, UserError, add_archive_option, open_archive
from exports.renderers import renderer

FORMATS = ("pdf", "docx")


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="导出儿童档案、表格和报送县级的统计表",
                                   description="导出一名儿童的完整档案、单张表格，或报送县级的统计表和名单。")
    add_archive_option(parser)
    parser.set_defaults(handler=lambda args: _missing_subcommand(parser))
    export_subparsers = parser.add_subparsers(dest="export_command", title="导出内容",
                                              metavar="内容", parser_class=type(parser))

    p = export_subparsers.add_parser("dossier", help="导出一名儿童的完整档案（一人一档）",
                                     description="导出一名儿童的完整档案：封面、卷内目录、各部分材料、卷内备考表。")
    add_archive_option(p)
    _child_option(p, required=True)
    _format_and_out(p)
    p.set_defaults(handler=run_dossier)

    from forms.registry import FORMS

    p = export_subparsers.add_parser("form", help="导出一名儿童的一张表格，或空白表",
                                     description="导出一张表格。可用的表格：" + "、".join(FORMS))
    add_archive_option(p)
    p.add_argument("form", metavar="表名", help="表格名称，如：委托照护协议书、入户走访记录表")
    _child_option(p, required=False)
    p.add_argument("--blank", action="store_true", help="导出空白表（供手工填写）")
    _format_and_out(p)
    p.set_defaults(handler=run_form)

    try:
        from desktop.commands.export_tables import register_table_exports
    except ImportError as exc:
        if exc.name != "desktop.commands.export_tables":
            raise
        return
    register_table_exports(export_subparsers)


def _missing_subcommand(parser) -> int:
    parser.print_help()
    raise UserError("请指定导出内容，如 dossier（完整档案）或 form（单张表格），见上方列表。")


def _child_option(p, required: bool) -> None:
    p.add_argument("--child", required=required, metavar="身份证号", help="儿童的身份证号")


def _format_and_out(p) -> None:
    p.add_argument("--format", choices=FORMATS, default="pdf", metavar="格式",
                   help="文件格式：pdf 或 docx（默认 pdf）")
    p.add_argument("--out", required=True, metavar="路径", help="保存到的文件")


def output_path(args) -> Path:
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹，请给出文件名，如 {out / ('档案.' + args.format)}。")
    if not out.parent.is_dir():
        raise UserError(f"保存位置不存在：{out.parent}")
    if out.suffix.lower() != f".{args.format}":
        out = out.with_name(out.name + f".{args.format}")
    return out


def _export_error(exc: Exception) -> UserError:
    return UserError(str(exc), status=3)


def run_dossier(args) -> int:
    from exports.atomic import ExportError
    from models.child_records import ChildNotFound

    render = renderer("dossier", args.format)
    out = output_path(args)
    archive = open_archive(args)
    try:
        try:
            dossier = archive.reports.child_dossier(args.child, compiler=archive.username
                                                    if archive.username != "系统" else "")
        except ChildNotFound as exc:
            raise UserError(str(exc)) from None
        try:
            render(dossier, out)
        except ExportError as exc:
            raise _export_error(exc) from None
    finally:
        archive.close()
    demo = "（演示数据）" if dossier.demo else ""
    print(f"已导出{dossier.name}的档案{demo}：{out}")
    return 0


def run_form(args) -> int:
    from exports.atomic import ExportError
    from forms.registry import form_by_name
    from models.child_records import ChildNotFound

    try:
        spec = form_by_name(args.form)
    except KeyError as exc:  # its Chinese message (models.fill.UnknownForm says the same)
        raise UserError(exc.args[0]) from None
    if not args.blank and not args.child:
        raise UserError("请用 --child 指定儿童的身份证号；导出空白表请加 --blank。")
    render = renderer("form", args.format)
    out = output_path(args)
    archive = open_archive(args, action=None if args.blank else READ_CHILDREN)  # blank: no child
    try:
        try:
            filled = archive.reports.child_form(args.child, spec, blank=args.blank)
        except ChildNotFound as exc:
            raise UserError(str(exc)) from None
        try:
            render(filled, out)
        except ExportError as exc:
            raise _export_error(exc) from None
    finally:
        archive.close()
    what = "空白" if args.blank else ""
    demo = "（演示数据）" if filled.demo else ""
    print(f"已导出{what}《{spec.title}》{demo}：{out}")
    return 0
