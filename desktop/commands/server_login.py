"""``tongdang --server postgresql://用户名@主机/数据库 子命令 …``: the subcommand works on the
county database instead of a file. The password comes from the OS keyring, else
``TONGDANG_PASSWORD``, else the terminal; a county login chooses a township with
``--town 名称`` (without it, it reads the whole county)."""

import sys


def add_server_options(parser) -> None:
    import argparse

    parser.add_argument("--server", metavar="地址", default=argparse.SUPPRESS,
                        help="使用县级数据库（PostgreSQL）而不是档案库文件，如 "
                             "postgresql://用户名@主机/数据库?sslmode=verify-full；"
                             "地址中不写密码")
    parser.add_argument("--town", dest="server_township", metavar="乡镇",
                        default=argparse.SUPPRESS,
                        help="县级用户打开哪个乡镇的档案（不填：全县）")


def open_server_archive(args, action: str | None):
    """The server archive, logged in as the setting's user with the role the database gives."""
    from desktop.commands.common import LOGIN_STATUS, UserError, login_password
    from models.opening import open_server, stored_server_password
    from models.roles import PermissionDenied, check_can
    from models.server.connection import ServerLoginFailed, ServerSetting
    from models.storage import ArchiveOpenError

    try:
        setting = ServerSetting.parse(args.server)
        password = stored_server_password(setting) if setting.user else None
        if password is None and setting.user:
            password = login_password(setting.user)
        archive, _ = open_server(setting, password,
                                 township=getattr(args, "server_township", None))
    except ArchiveOpenError as exc:
        raise UserError(str(exc), status=LOGIN_STATUS if isinstance(
            exc, ServerLoginFailed) else 2) from None
    archive.states.keep_current()
    archive.login_as(setting.user, archive.login_role())
    if action is not None:
        try:
            check_can(archive.role, action)
        except PermissionDenied as exc:
            archive.close()
            raise UserError(str(exc), status=LOGIN_STATUS) from None
    print(f"已连接县级数据库：{setting.text()}", file=sys.stderr)
    return archive

