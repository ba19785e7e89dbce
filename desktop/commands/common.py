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
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass


def add_archive_option(parser) -> None:
    parser.add_argument("--archive", metavar="路径", default=argparse.SUPPRESS,
                        help="档案库文件位置（默认：用户数据文件夹中的 archive.tongdang，"
                             "也可用环境变量 TONGDANG_ARCHIVE 指定）")
    add_login_option(parser)


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


def open_archive(args, action: str | None = READ_CHILDREN, login: bool = True):
    """Open the archive for a batch command; ask for the recovery code on a terminal.

    When the archive has users, log in (``log_in``) and check that the role may do ``action``
    (a ``models.roles`` action; ``None``: no login needed, e.g. ``info``). ``login=False``
    leaves the login to the caller (who must call ``log_in`` before reading child data)."""
    from models import keys
    from models.archive import Archive, NeedRecoveryCode
    from models.derived import attach
    from models.storage import ArchiveOpenError

    path = archive_path(args)
    try:
        try:
            archive, _ = Archive.open(path)
        except NeedRecoveryCode as exc:
            if not sys.stdin or not sys.stdin.isatty():
                raise UserError(str(exc)) from None
            print(str(exc), file=sys.stderr)
            code = getpass.getpass("恢复码：")
            archive, _ = Archive.open(path, recovery_code=code)
    except (ArchiveOpenError, keys.KeyError_) as exc:
        raise UserError(str(exc)) from None
    except Exception as exc:  # e.g. a newer schema
        from models.migrations import NewerSchema

        if isinstance(exc, NewerSchema):
            raise UserError(str(exc)) from None
        raise
    attach(archive)
    if not login:
        return archive
    try:
        log_in(archive, args, action)
    except BaseException:
        archive.close()
        raise
    return archive


# --- the login step --------------------------------------------------------------------------

def log_in(archive, args, action: str | None) -> None:
    """The command line's login, as in the GUI: user name (``--user``) and password (terminal or
    ``TONGDANG_PASSWORD``), the same lock-out, then the role must allow ``action``. Without
    users the archive works as before (written as 系统). Afterwards ``archive.writer()`` writes,
    and the audit trail records, as this user."""
    from models import users
    from models.roles import PermissionDenied, check_can

    username = getattr(args, "user", None)
    if not users.has_users():
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
        users.login(archive, username, password)
        if action is not None:
            check_can(archive.role, action)
    except (users.LoginFailed, PermissionDenied) as exc:
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
