"""What every subcommand shares: Chinese argparse, opening the archive, clear errors."""

import argparse
import getpass
import sys
from pathlib import Path

ZH = {
    "usage: ": "用法：",
    "show this help message and exit": "显示本帮助并退出",
    "positional arguments": "参数",
    "options": "选项",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
}


def translate_argparse() -> None:
    """argparse takes its messages from gettext; give it ours."""
    argparse._ = lambda text: ZH.get(text, text)
    argparse.ngettext = lambda single, plural, n: ZH.get(single if n == 1 else plural,
                                                         single if n == 1 else plural)


class ChineseParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="显示本帮助并退出")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


class UserError(Exception):
    """A problem the user can fix; printed as 错误：… with exit status ``status``."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def use_utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass


def add_archive_option(parser) -> None:
    parser.add_argument("--archive", metavar="路径", default=argparse.SUPPRESS,
                        help="档案库文件位置（默认：用户数据文件夹中的 archive.tongdang，"
                             "也可用环境变量 TONGDANG_ARCHIVE 指定）")


def add_command(subparsers, name: str, help_text: str, handler):
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    add_archive_option(parser)
    parser.set_defaults(handler=handler)
    return parser


def archive_path(args) -> Path:
    from models.archive import default_path

    return Path(getattr(args, "archive", None) or default_path())


def open_archive(args, writes: bool = False):
    """Open the archive for a batch command; ask for the recovery code on a terminal.

    A command that will write (``writes``) first reads every page once: a damaged archive is
    answered with the damaged-archive message and nothing is written into it.
    """
    from models import keys
    from models.archive import Archive, NeedRecoveryCode
    from models.derived import attach
    from models.storage import ArchiveOpenError

    path = archive_path(args)
    try:
        try:
            archive, result = Archive.open(path)
        except NeedRecoveryCode as exc:
            if not sys.stdin or not sys.stdin.isatty():
                raise UserError(str(exc)) from None
            print(str(exc), file=sys.stderr)
            code = getpass.getpass("恢复码：")
            archive, result = Archive.open(path, recovery_code=code)
        if result.warning:
            print(f"注意：{result.warning}", file=sys.stderr)
        if writes:
            try:
                archive.check_sound()
            except ArchiveOpenError:
                archive.close()
                raise
    except (ArchiveOpenError, keys.KeyError_) as exc:
        raise UserError(str(exc)) from None
    except Exception as exc:  # e.g. a newer schema
        from models.migrations import NewerSchema

        if isinstance(exc, NewerSchema):
            raise UserError(str(exc)) from None
        raise
    attach(archive)
    return archive


def user_facing_database_error(exc: BaseException) -> str | None:
    """The Chinese message for a database error met after opening (a damaged page read by a
    command, another program holding the write lock), or None for anything else."""
    from models import storage

    if isinstance(exc, storage.ArchiveOpenError):
        return str(exc)
    if "Error" not in type(exc).__name__:
        return None
    if storage.is_damage_error(exc):
        return storage.DAMAGED_MESSAGE.format(detail=exc)
    if storage.is_busy_error(exc):
        return storage.BUSY_MESSAGE.format(what="写入档案库")
    return None
