"""What every subcommand shares: Chinese argparse, opening the archive, clear errors."""

import argparse
import calendar
import contextlib
import getpass
import re
import sys
import unicodedata
from datetime import date
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


# -- help text: full-width colons, Chinese characters two columns wide ------------------------

def text_width(text: str) -> int:
    """Terminal columns: Chinese characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKENS = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)  # ASCII words, spaces, single characters
_NO_LINE_START = set("，。、；：？！）》”’」』】,.;:?!)")


def wrap_columns(text: str, width: int) -> list[str]:
    """Wrap mixed Chinese/ASCII text to ``width`` columns; ASCII words are not split and
    closing punctuation never starts a line."""
    text = " ".join(text.split())
    lines, line = [], ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            if line:
                line += " "
            continue
        if line and text_width(line.rstrip() + token) > width and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help laid out for Chinese: headings end in a full-width colon, the list of
    subcommands is shown once (not under a second 子命令 line), columns line up although
    Chinese characters are two columns wide."""

    class _Section(argparse.HelpFormatter._Section):
        def format_help(self):
            if self.parent is not None:
                self.formatter._indent()
            item_help = self.formatter._join_parts([func(*args) for func, args in self.items])
            if self.parent is not None:
                self.formatter._dedent()
            if not item_help:
                return ""
            heading = ""
            if self.heading is not argparse.SUPPRESS and self.heading is not None:
                heading = " " * self.formatter._current_indent + f"{self.heading}：\n"
            return self.formatter._join_parts(["\n", heading, item_help, "\n"])

    def _rows(self, action):
        if isinstance(action, argparse._SubParsersAction):
            return list(action._get_subactions())
        return [action]

    def add_argument(self, action):
        if action.help is argparse.SUPPRESS:
            return
        for row in self._rows(action):
            length = text_width(self._format_action_invocation(row)) + self._current_indent
            self._action_max_length = max(self._action_max_length, length)
        self._add_item(self._format_action, [action])

    def _format_action(self, action):
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(row) for row in self._rows(action))
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 20)
        header = " " * self._current_indent + self._format_action_invocation(action)
        help_text = self._expand_help(action) if action.help and action.help.strip() else ""
        if not help_text:
            return header + "\n"
        lines = wrap_columns(help_text, help_width)
        gap = help_position - text_width(header)
        if gap >= 2:
            out = [header + " " * gap + lines[0]]
        else:
            out = [header, " " * help_position + lines[0]]
        out += [" " * help_position + line for line in lines[1:]]
        return "\n".join(out) + "\n"

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap_columns(text, width))


# -- dates on the command line -----------------------------------------------------------------

_DAY_SPELLINGS = (re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"),
                  re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日"))


def parse_cli_date(text: str, option: str = "--on") -> date:
    """A YYYY-MM-DD (or 2026/3/1, 2026年3月1日) date from the command line, or a ``UserError`` that says what is wrong:
    a date that does not exist (2026-02-30) is not called a format error."""
    value = (text or "").strip()
    m = next((m for m in (p.fullmatch(value) for p in _DAY_SPELLINGS) if m), None)
    if not m:
        raise UserError(f"{option} 日期“{text}”的格式不对，请按 YYYY-MM-DD 填写，例如 2026-03-01。")
    year, _sep, month, day = m.groups()
    year, month, day = int(year), int(month), int(day)
    if not 1 <= month <= 12:
        raise UserError(f"{option} 日期“{text}”不存在：月份应在 1 到 12 之间。")
    if year < 1:
        raise UserError(f"{option} 日期“{text}”不存在：年份不对。")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise UserError(f"{option} 日期“{text}”不存在：{year}年{month}月只有{last}天。")
    return date(year, month, day)


class ChineseParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="显示本帮助并退出")

    def _check_value(self, action, value):
        """A word that is not one of the choices: named in quotes, the choices listed plainly."""
        if action.choices is not None and value not in action.choices:
            choices = "、".join(map(str, action.choices))
            raise argparse.ArgumentError(action, f"“{value}”不在可选范围内。可选：{choices}")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


PASSWORD_ENV = "TONGDANG_PASSWORD"  # the --user's password, for scripts
LOGIN_STATUS = 4  # exit status when the login or the role refuses


class UserError(Exception):
    """A problem the user can fix; printed as 错误：… with exit status ``status``."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def use_utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8")


def add_archive_option(parser) -> None:
    parser.add_argument("--archive", metavar="路径", default=argparse.SUPPRESS,
                        help="档案库文件位置（默认：用户数据文件夹中的 archive.tongdang，"
                             "也可用环境变量 TONGDANG_ARCHIVE 指定）")
    add_login_option(parser)
    from desktop.commands.server_login import add_server_options  # the county database

    add_server_options(parser)


def add_login_option(parser, *names: str, hidden: bool = False) -> None:
    """``--user``: who works (needed once the archive has users); given before or after the
    subcommand. ``names`` replaces the spelling (``user … --admin``, the old one)."""
    parser.add_argument(*(names or ("--user",)), dest="user", metavar="用户名",
                        default=argparse.SUPPRESS,
                        help=argparse.SUPPRESS if hidden else
                        f"登录的用户名（档案库设置了用户时必须填写；密码在终端输入，"
                        f"脚本中可用环境变量 {PASSWORD_ENV}）")


def add_command(subparsers, name: str, help_text: str, handler):
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    add_archive_option(parser)
    parser.set_defaults(handler=handler)
    return parser


def archive_path(args) -> Path:
    from models.archive import default_path

    return Path(getattr(args, "archive", None) or default_path())


READ_CHILDREN = "read_children"  # models.roles.READ_CHILDREN, not imported: --help stays light


def open_archive(args, action: str | None = READ_CHILDREN, login: bool = True,
                 writes: bool = False):
    """Open the archive for a batch command; ask for the recovery code on a terminal.

    When the archive has users, log in (``log_in``) and check that the role may do ``action``
    (a ``models.roles`` action; ``None``: no login needed, e.g. ``info``). ``login=False``
    leaves the login to the caller (who must call ``log_in`` before reading child data).
    A command that will write (``writes``) first reads every page once: a damaged archive is
    answered with the damaged-archive message and nothing is written into it."""
    from models.archive import Archive, NeedRecoveryCode
    from models.keys import KeyError_
    from models.storage import ArchiveOpenError

    if getattr(args, "server", None):  # the county database (desktop/commands/server_login.py)
        from desktop.commands.server_login import open_server_archive

        return open_server_archive(args, action)
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
    except (ArchiveOpenError, KeyError_) as exc:
        raise UserError(str(exc)) from None
    except Exception as exc:  # e.g. a newer schema
        from models.migrations import NewerSchema

        if isinstance(exc, NewerSchema):
            raise UserError(str(exc)) from None
        raise
    archive.states.keep_current()
    if not login:
        return archive
    try:
        log_in(archive, args, action)
    except BaseException:
        archive.close()
        raise
    return archive


def user_facing_database_error(exc: BaseException) -> str | None:
    """The Chinese message for a database error met after opening (a damaged page read by a
    command, another program holding the write lock), or None for anything else."""
    from models.opening import database_error_message

    return database_error_message(exc)


# --- the login step --------------------------------------------------------------------------

def log_in(archive, args, action: str | None) -> None:
    """The command line's login, as in the GUI: user name (``--user``) and password (terminal or
    ``TONGDANG_PASSWORD``), the same lock-out, then the role must allow ``action``. Without
    users the archive works as before (written as 系统). Afterwards ``archive.writer()`` writes,
    and the audit trail records, as this user."""
    from models.roles import PermissionDenied, check_can
    from models.users import LoginFailed

    username = getattr(args, "user", None)
    if not archive.users.has_users():
        if username:
            raise UserError("这个档案库还没有设置用户，不需要也不能用 --user 登录。请去掉 --user；"
                            "添加第一个用户（管理员）：tongdang user add 用户名。")
        return
    if not username:
        if action is None:
            return
        raise UserError("这个档案库已设置用户，请用 --user 用户名 登录"
                        f"（密码在终端输入；脚本中可设置环境变量 {PASSWORD_ENV}）。")
    password = login_password(username)
    try:
        archive.users.login(username, password)
        if action is not None:
            check_can(archive.role, action)
    except (LoginFailed, PermissionDenied) as exc:
        raise UserError(str(exc), status=LOGIN_STATUS) from None


def login_password(username: str) -> str:
    import os

    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(f"需要用户“{username}”的密码：请在终端运行，"
                        f"或在脚本中设置环境变量 {PASSWORD_ENV}。")
    return getpass.getpass(f"{username} 的密码：")
