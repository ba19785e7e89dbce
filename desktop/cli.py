"""The ``tongdang`` command: no subcommand opens the window, a subcommand does batch work.

Each command group lives in ``desktop/commands/<group>.py`` with ``register(subparsers)``;
a command's handler takes the parsed arguments and returns the exit status. Module-level
imports stay light so that ``tongdang --help`` and batch commands start fast (no Qt).
"""

import argparse
import sys

from desktop.commands import common
from desktop.version import VERSION

COMMAND_MODULES = ("archive", "check", "ledger", "export", "spotcheck", "safety", "summaries",
                   "reporting", "server", "county")


def command_module(name: str):
    """The module of command group ``name`` (one of ``COMMAND_MODULES``)."""
    if name == "archive":
        from desktop.commands import archive as module
    elif name == "check":
        from desktop.commands import check as module
    elif name == "ledger":
        from desktop.commands import ledger as module
    elif name == "export":
        from desktop.commands import export as module
    elif name == "spotcheck":
        from desktop.commands import spotcheck as module
    elif name == "safety":
        from desktop.commands import safety as module
    elif name == "summaries":
        from desktop.commands import summaries as module
    elif name == "reporting":
        from desktop.commands import reporting as module
    elif name == "server":
        from desktop.commands import server as module
    elif name == "county":
        from desktop.commands import county as module
    else:
        raise ValueError(f"no command group {name}")
    return module


def build_parser() -> argparse.ArgumentParser:
    common.translate_argparse()
    parser = common.ChineseParser(
        prog="tongdang",
        description="童档：乡镇农村留守儿童和困境儿童“一人一档”档案管理。不带子命令时打开图形界面。",
    )
    common.add_archive_option(parser)
    parser.add_argument("--demo", action="store_true",
                        help="使用演示档案库（不存在时自动创建，内含300名虚构儿童）；"
                             "可与任何子命令同用，如 tongdang --demo info")
    parser.add_argument("--version", action="version", version=f"童档 tongdang {VERSION}",
                        help="显示版本号并退出")
    subparsers = parser.add_subparsers(dest="command", title="子命令", metavar="子命令",
                                       parser_class=common.ChineseParser)
    for name in COMMAND_MODULES:
        try:
            module = command_module(name)
        except ImportError as exc:  # a group missing from the installation
            if exc.name not in (f"desktop.commands.{name}", "desktop.commands"):
                raise
            continue
        module.register(subparsers)
    return parser


def use_demo_archive(args) -> None:
    """``tongdang --demo 子命令``: the subcommand works on the demo archive (made if missing)."""
    from models.archive import demo_path

    if args.command == "init":
        raise common.UserError("演示档案库不需要新建：直接使用 tongdang --demo 子命令 即可。")
    if getattr(args, "archive", None):
        raise common.UserError("--demo 不能与 --archive 同时使用。")
    if not demo_path().exists():
        from models.opening import open_demo

        print("正在创建演示档案库（虚构儿童）……", file=sys.stderr)
        open_demo().close()
    args.archive = str(demo_path())  # opened with its public code (models.archive)


def main(argv: list[str] | None = None) -> int:
    common.use_utf8_output()
    try:
        return _main(argv)
    except BrokenPipeError:
        # `tongdang info | head -1`: the reader left; nothing more to say, and no traceback.
        _silence_stdout()
        return 141


def _main(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop.app import run_gui

        return run_gui(args)
    try:
        if args.demo:
            use_demo_archive(args)
        status = args.handler(args) or 0
        sys.stdout.flush()  # a closed pipe shows here, inside the BrokenPipeError handler
        return status
    except common.UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("已中止。", file=sys.stderr)
        return 130
    except Exception as exc:
        # A damaged page met while reading, or another program holding the archive, or a
        # county login's whole-county view whose townships follow different rules: a Chinese
        # sentence and what to do, never a traceback.
        from models.local_practice import TownshipsDiffer

        message = str(exc) if isinstance(exc, TownshipsDiffer) else \
            common.user_facing_database_error(exc)
        if message is None:
            raise
        print(f"错误：{message}", file=sys.stderr)
        return 2


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's exit flush does not fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
