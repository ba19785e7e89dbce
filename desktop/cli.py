"""The ``tongdang`` command: no subcommand opens the window, a subcommand does batch work.

Each command group lives in ``desktop/commands/<group>.py`` with ``register(subparsers)``;
a command's handler takes the parsed arguments and returns the exit status. Module-level
imports stay light so that ``tongdang --help`` and batch commands start fast (no Qt).
"""

import argparse
import importlib
import sys

from desktop.commands import common

COMMAND_MODULES = ("archive", "check", "ledger", "export", "spotcheck", "safety")


def build_parser() -> argparse.ArgumentParser:
    common.translate_argparse()
    parser = common.ChineseParser(
        prog="tongdang",
        description="童档：乡镇农村留守儿童和困境儿童“一人一档”档案管理。不带子命令时打开图形界面。",
    )
    common.add_archive_option(parser)
    parser.add_argument("--demo", action="store_true",
                        help="打开演示档案库（不存在时自动创建，内含300名虚构儿童）")
    subparsers = parser.add_subparsers(dest="command", title="子命令", metavar="子命令",
                                       parser_class=common.ChineseParser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"desktop.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"desktop.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    common.use_utf8_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop.app import run_gui

        return run_gui(args)
    try:
        return args.handler(args) or 0
    except common.UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("已中止。", file=sys.stderr)
        return 130
    except Exception as exc:
        # A damaged page met while reading, or another program holding the archive: a
        # Chinese sentence and what to do, never a traceback.
        message = common.user_facing_database_error(exc)
        if message is None:
            raise
        print(f"错误：{message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
