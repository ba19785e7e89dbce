"""tongdang server init / township / login: setting up the county database (the county's IT
office, connected as the database's owner with ``--server postgresql://所有者@主机/数据库``)."""

import os
import sys
from pathlib import Path

from desktop.commands.common import PASSWORD_ENV, UserError, login_password
from desktop.commands.server_login import add_server_options

NEW_PASSWORD_ENV = "TONGDANG_NEW_PASSWORD"  # the new login's password, for scripts


def register(subparsers) -> None:
    p = subparsers.add_parser("server", help="县级数据库（PostgreSQL）：建库、添加乡镇、添加登录用户",
                              description="县级数据库（PostgreSQL）的设置，由数据库所有者（县民政局信息管理员）操作")
    add_server_options(p)
    actions = p.add_subparsers(dest="server_action", title="操作", metavar="操作",
                               parser_class=type(p))
    actions.required = True
    actions.add_parser("init", help="在空数据库中建立童档的数据表、角色和行级安全策略")
    actions.add_parser("upgrade", help="把县级数据库升级到本程序的数据结构版本（先用 pg_dump 备份）")
    t = actions.add_parser("township", help="添加一个乡镇")
    t.add_argument("name", metavar="名称")
    t.add_argument("--county", required=True, metavar="县名")
    t.add_argument("--profile", required=True, metavar="地区方案")
    t.add_argument("--area-code", default="", metavar="区划代码")
    u = actions.add_parser("login", help="添加登录用户（数据库登录角色；密码从终端输入或 "
                                         f"{NEW_PASSWORD_ENV}）")
    u.add_argument("username", metavar="用户名")
    u.add_argument("--role", required=True, metavar="角色",
                   help="县级管理员、县级查阅，或乡镇的 管理员、录入员、查阅")
    u.add_argument("--township", metavar="乡镇", help="乡镇角色所属的乡镇")
    m = actions.add_parser("import", help="把一个乡镇的档案库文件迁入县级数据库（逐条核对；重复运行不会重复迁入）")
    m.add_argument("file", metavar="档案库文件")
    m.add_argument("--township", required=True, metavar="名称",
                   help="迁入后的乡镇名称（还没有的乡镇按文件中的县和地区方案新建）")
    w = actions.add_parser("password", help="设置登录用户的密码（迁入的用户登录前须先设置；"
                                            f"密码从终端输入或 {NEW_PASSWORD_ENV}）")
    w.add_argument("username", metavar="用户名")
    k = actions.add_parser("county-key", help="县级密钥：第一次运行时生成；显示（并可保存）发给各乡镇的公钥")
    k.add_argument("--out", metavar="文件", help="把公钥另存到这个文本文件（发给各乡镇）")
    g = actions.add_parser("import-package", help="导入乡镇的上报包：核对签名和完整性后，作为该乡镇的现状整体导入")
    g.add_argument("file", metavar="上报包", help="乡镇交来的上报包文件（.tdpkg）")
    b = actions.add_parser("backup", help="把一个乡镇的档案写成加密的档案库文件（可离线打开；打印恢复码）")
    b.add_argument("--out", required=True, metavar="文件", help="新的档案库文件")
    p.set_defaults(handler=run_server)


def run_server(args) -> int:
    from models.opening import open_county_as_owner, stored_server_password
    from models.server.connection import ServerSetting
    from models.storage import ArchiveOpenError

    if not getattr(args, "server", None):
        raise UserError("请用 --server postgresql://所有者@主机/数据库 指定县级数据库。")
    if args.server_action == "backup":
        return run_township_file(args)
    township_file = _open_township_file(Path(args.file)) if args.server_action == "import" else None
    try:
        setting = ServerSetting.parse(args.server)
        password = stored_server_password(setting) or login_password(setting.user or "所有者")
        owner = open_county_as_owner(setting, password)
    except ArchiveOpenError as exc:
        if township_file:
            township_file.close()
        raise UserError(str(exc)) from None
    try:
        if args.server_action == "init":
            owner.create_county()
            print(f"已在 {setting.text()} 建立童档县级数据库（数据结构版本 {owner.schema_version()}）。")
        elif args.server_action == "upgrade":
            print(_upgraded(owner.upgrade(), owner.schema_version()))
        else:
            owner.check_current(setting.text())  # tables of another version: upgrade first
            if args.server_action in ("county-key", "import-package"):
                from desktop.commands.server_packages import run_package_action

                return run_package_action(args, owner)
            if args.server_action == "import":
                _print_import(owner.import_township(township_file, args.township), args, setting)
            elif args.server_action == "password":
                owner.set_password(args.username, _new_password(args.username))
                print(f"已设置登录用户“{args.username}”的密码。请当面或电话告知本人。")
            else:
                _add(owner, args)
    except (ValueError, ArchiveOpenError) as exc:
        raise UserError(str(exc)) from None
    finally:
        owner.close()
        if township_file:
            township_file.close()
    return 0


def _open_township_file(path: Path):
    """The file to move in, opened with its key (keyring, else the recovery code) and checked
    as ``tongdang verify`` checks it: a file that does not add up is not moved in."""
    from models.archive import Archive, NeedRecoveryCode
    from models.keys import KeyError_
    from models.storage import ArchiveOpenError

    try:
        try:
            archive, _ = Archive.open(path)
        except NeedRecoveryCode as exc:
            if not sys.stdin or not sys.stdin.isatty():
                raise UserError(f"{exc}（脚本中可设置环境变量 TONGDANG_RECOVERY_CODE）") from None
            print(str(exc), file=sys.stderr)
            import getpass

            archive, _ = Archive.open(path, recovery_code=getpass.getpass("恢复码："))
    except (ArchiveOpenError, KeyError_) as exc:
        raise UserError(str(exc)) from None
    try:
        problems = archive.backups.problems()
        if not problems:
            problems = archive.audit.replay().problems
    except BaseException:
        archive.close()
        raise
    if problems:
        archive.close()
        shown = "\n".join(f"  - {p}" for p in problems[:10])
        raise UserError(f"档案库文件“{path}”核对未通过，不能迁入（共{len(problems)}个问题）：\n{shown}\n"
                        f"请先用 tongdang --archive {path} verify 查看，必要时从备份恢复后再迁入。")
    return archive


def _print_import(result, args, setting) -> None:
    head = f"文件链末端哈希 {result.head.hash}，共{result.head.count}条审计记录"
    if not result.changed:
        print(f"没有变化：档案库文件“{Path(args.file).name}”已于 {result.imported_at} 迁入乡镇"
              f"“{result.township}”（{head}），这次没有写入任何内容。")
        return
    print(f"已把档案库文件“{args.file}”迁入县级数据库的乡镇“{result.township}”"
          f"（编号 {result.township_id}）：{result.rows_text() or '没有记录'}，逐条核对与文件一致。")
    print(f"迁入前的审计记录原样保存（{head}），乡镇的审计记录中已加一条迁入记录。")
    if result.users:
        print(f"迁入的用户 {'、'.join(result.users)} 还没有县级数据库的密码，暂时不能登录："
              f"请县级管理员为每人设置密码（tongdang server --server {setting.text()} password 用户名），"
              "再当面或电话告知本人。")


def _add(owner, args) -> None:
    """``server township`` / ``server login``."""
    if args.server_action == "township":
        new_id = owner.add_township(args.name, args.county, args.profile, args.area_code)
        print(f"已添加乡镇“{args.name}”（编号 {new_id}）。")
    else:
        township = owner.township_id(args.township) if args.township else None
        owner.add_login(args.username, _new_password(args.username), args.role, township)
        print(f"已添加登录用户“{args.username}”（{args.role}）。")


def _upgraded(steps: list[int], version: int) -> str:
    if not steps:
        return f"县级数据库已是数据结构版本 {version}，无需升级。"
    return f"已把县级数据库从数据结构版本 {steps[0] - 1} 升级到 {version}。"


def _new_password(username: str) -> str:
    import getpass

    password = os.environ.get(NEW_PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(f"需要新用户“{username}”的密码：请在终端运行，或设置环境变量 {NEW_PASSWORD_ENV}。")
    first = getpass.getpass(f"{username} 的新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise UserError("两次输入的密码不一致。")
    return first



def run_township_file(args) -> int:
    """``server backup``: as a township login (or a county login with --town)."""
    from desktop.commands.server_login import open_server_archive
    from models.storage import ArchiveOpenError

    archive = open_server_archive(args, "backup")
    try:
        name = archive.township.name
        code = archive.write_township_file(Path(args.out))
    except ArchiveOpenError as exc:
        raise UserError(str(exc)) from None
    finally:
        archive.close()
    print(f"已把“{name}”的档案写入：{args.out}")
    print(f"这个文件的恢复码（请打印并妥善保管，打开文件时需要）：{code}")
    return 0


__all__ = ["PASSWORD_ENV", "register"]
