"""tongdang backup / restore / verify / user."""

import getpass
import sys
from pathlib import Path

from desktop.commands.common import (
    LOGIN_STATUS,
    PASSWORD_ENV,
    UserError,
    add_command,
    add_login_option,
    archive_path,
    log_in,
    open_archive,
)


def register(subparsers) -> None:
    p = add_command(subparsers, "backup", "备份档案库（加密，备份后自动校验）", run_backup)
    p.add_argument("--out", metavar="文件", help="备份文件路径（默认：档案库旁的“童档备份”文件夹）")
    p.add_argument("--folder", metavar="文件夹", help="备份到这个文件夹，文件名自动生成")

    p = add_command(subparsers, "restore", "从备份文件恢复档案库（原档案库先另存，不会被覆盖）",
                    run_restore)
    p.add_argument("file", metavar="备份文件", help="要恢复的备份文件")
    p.add_argument("--to", metavar="路径", help="恢复到的档案库位置（默认：当前档案库位置）")

    p = add_command(subparsers, "verify",
                    "检查档案库：数据库完整性、审计记录链、按审计记录逐条核对现有记录、附件校验值",
                    run_verify)
    p.add_argument("--anchor", action="append", default=[], metavar="备份文件或核对码",
                   help="与档案库之外保存的审计链核对码比对，查出此后被删除或改写的审计记录："
                        "可以是备份文件、抽查记录表上印的核对码（如 1523-9f3a-0b1c-77de-1042-aa90）、"
                        "抽查材料或上报材料中的文件；可多次使用")

    p = add_command(subparsers, "user", "管理用户（由管理员操作）：添加、列出、重设密码、解锁、更改角色、停用",
                    run_user)
    actions = p.add_subparsers(dest="user_action", title="操作", metavar="操作",
                               parser_class=type(p))
    q = actions.add_parser("add", help="添加用户（档案库还没有用户时，添加的是第一个管理员）")
    q.add_argument("username", metavar="用户名", help="要操作的用户（登录用 --user）")
    q.add_argument("--role", default="录入员", metavar="角色", help="管理员、录入员 或 查阅（默认：录入员）")
    q.add_argument("--name", default="", metavar="姓名", help="显示的姓名")
    _add_common_user_options(q, new_password=True)
    q = actions.add_parser("list", help="列出用户")
    _add_common_user_options(q)
    q = actions.add_parser("passwd", help="重设用户密码（由管理员操作）")
    q.add_argument("username", metavar="用户名", help="要操作的用户（登录用 --user）")
    _add_common_user_options(q, new_password=True)
    q = actions.add_parser("unlock", help="解除因密码错误造成的锁定（由管理员操作）")
    q.add_argument("username", metavar="用户名", help="要操作的用户（登录用 --user）")
    _add_common_user_options(q)
    q = actions.add_parser("role", help="更改用户的角色（由管理员操作；最后一个管理员不能降级）")
    q.add_argument("username", metavar="用户名", help="要操作的用户（登录用 --user）")
    q.add_argument("role", metavar="角色", help="管理员、录入员 或 查阅")
    _add_common_user_options(q)
    q = actions.add_parser("disable", help="停用用户（由管理员操作；最后一个管理员不能停用）")
    q.add_argument("username", metavar="用户名", help="要操作的用户（登录用 --user）")
    _add_common_user_options(q)
    q = actions.add_parser("enable", help="重新启用停用的用户（由管理员操作）")
    q.add_argument("username", metavar="用户名", help="要操作的用户（登录用 --user）")
    _add_common_user_options(q)


def _add_common_user_options(parser, new_password: bool = False) -> None:
    add_login_option(parser)
    add_login_option(parser, "--admin", hidden=True)  # the old spelling, before --user
    if new_password:
        parser.add_argument("--password-stdin", action="store_true",
                            help="从标准输入读取新用户的密码（供脚本使用）")


# --- backup / restore / verify -----------------------------------------------------------

def run_backup(args) -> int:
    from models.backup import BackupError
    from models.roles import BACKUP

    archive = open_archive(args, BACKUP)
    try:
        out = Path(args.out) if args.out else None
        folder = Path(args.folder) if args.folder else None
        made = archive.backups.make(folder=folder, out_path=out)
        head = archive.backups.head_of(made)
    except BackupError as exc:
        raise UserError(str(exc), status=1) from None
    finally:
        archive.close()
    print(f"已备份到：{made}")
    print("备份已校验（完整性检查通过，各表记录数与档案库一致）。备份用同一恢复码加密，请妥善保管恢复码。")
    if head is not None:
        print(f"备份中的{head.label}")
        print("这个备份本身就是审计记录的凭据：以后可用 tongdang verify --anchor 备份文件 核对"
              "此前的审计记录是否被删除或改写。")
    return 0


def run_restore(args) -> int:
    from models.backup import BackupError
    from models.keys import RECOVERY_ENV, KeyError_
    from models.opening import recovery_code_from_env, restore_backup
    from models.storage import ArchiveOpenError

    target = Path(args.to) if args.to else archive_path(args)
    code = recovery_code_from_env() or _ask("恢复码：", "需要恢复码才能打开备份文件。"
                                            f"请在终端运行，或设置环境变量 {RECOVERY_ENV}。")
    _check_may_restore(args, target, code)
    try:
        result = restore_backup(Path(args.file), code, target)
    except (BackupError, ArchiveOpenError, KeyError_) as exc:
        raise UserError(str(exc), status=1) from None
    print(f"已从备份恢复档案库：{result.target}")
    if result.aside:
        print(f"原档案库已另存为：{result.aside}（确认恢复无误后可自行删除）")
    return 0


def _check_may_restore(args, target: Path, code: str) -> None:
    """An archive with users is replaced only by a user whose role may restore (not 查阅).
    A target that does not exist or cannot be opened (damaged, another key) is the recovery
    case: the recovery code is enough, as in the GUI's 从备份恢复."""
    from models.archive import Archive, NeedRecoveryCode
    from models.roles import RESTORE

    if not target.exists():
        return
    try:
        try:
            archive, _ = Archive.open(target)
        except NeedRecoveryCode:
            archive, _ = Archive.open(target, recovery_code=code)
    except Exception:  # noqa: BLE001 - damaged or foreign: restoring is how to repair it
        return
    try:
        log_in(archive, args, RESTORE)
    finally:
        archive.close()


def run_verify(args) -> int:
    archive = open_archive(args)
    anchors = []
    try:
        problems = archive.backups.problems()
        entries = archive.audit.entry_count()
        damaged = any("已损坏" in p for p in problems)
        replay = None
        if not damaged:
            replay = archive.audit.replay()
            problems += replay.problems
            for record_id, head in archive.audit.spotcheck_heads():
                result = archive.audit.check_head(head, f"第{record_id}号抽查记录中的核对码")
                if not result.ok:
                    problems.append(result.message)
            for text in args.anchor:
                anchors += _anchor_results(text, archive)
        head = archive.audit.chain_head()
    finally:
        archive.close()
    print(f"档案库：{archive.path}")
    for result in anchors:
        print(("核对通过  " if result.ok else "发现问题  ") + result.message)
    anchors_ok = all(r.ok for r in anchors)
    if not problems and anchors_ok:
        checked = f"，{replay.rows_checked}条现有记录与审计记录逐条相符" if replay else ""
        print(f"检查通过：数据库完整，{entries}条审计记录前后衔接、未被改动{checked}，附件校验值一致。")
        if replay and replay.unchecked_bulk_rows:
            print(f"（其中{replay.unchecked_bulk_rows}条由旧版程序批量导入的记录只能整体核对。）")
    else:
        count = len(problems) + sum(1 for r in anchors if not r.ok)
        print(f"发现{count}个问题：")
        for problem in problems:
            print(f"  - {problem}")
        print("档案库可能在童档之外被改动或已损坏。请保留现状，联系管理员；必要时从备份恢复。")
    print(f"当前{head.label}")
    if not args.anchor:
        print("提示：本机检查不能发现“删除最后几条审计记录”或“改动后重新计算整条审计链”。"
              "请用 --anchor 与备份或抽查记录表上的核对码比对。")
    return 0 if not problems and anchors_ok else 1


def _anchor_results(text: str, archive) -> list:
    """One ``--anchor``: a backup file, a file that carries codes, or a code typed in."""
    from models.storage import ArchiveOpenError

    path = Path(text)
    if path.is_file():
        try:
            if archive.audit.is_archive_file(path):
                return [archive.backups.check_trail(path)]
            heads = archive.audit.heads_in_file(path)
        except ArchiveOpenError as exc:
            raise UserError(f"无法读取核对凭据“{path}”：{exc}", status=1) from None
        except OSError as exc:
            raise UserError(f"无法读取核对凭据“{path}”：{exc.strerror or exc}", status=1) from None
        if not heads:
            raise UserError(f"文件“{path}”中没有找到审计链核对码。", status=1)
        return [archive.audit.check_head(h, f"“{path.name}”中的核对码 {h.code}") for h in heads]
    head = archive.audit.parse_head_code(text)
    if head is None:
        raise UserError(f"“{text}”既不是文件，也不是审计链核对码（格式如 1523-9f3a-0b1c-77de-1042-aa90）。",
                        status=1)
    return [archive.audit.check_head(head, f"核对码 {head.code}")]


# --- users -----------------------------------------------------------------------------

def run_user(args) -> int:
    from models.roles import MANAGE_USERS, PermissionDenied, check_can
    from models.users import BadUserInput, LoginFailed

    if args.user_action is None:
        raise UserError("请指定操作：add、list、passwd、unlock、role、disable 或 enable。")
    # Without users the archive itself adds the first one (a 管理员); with users, only a
    # logged-in 管理员 manages them — unless none is left (see _user_add).
    archive = open_archive(args, writes=args.user_action != "list")  # logged in, if the archive has users
    try:
        if not (args.user_action == "add" and archive.users.has_users()
                and not archive.users.has_active_admin()):
            check_can(archive.role, MANAGE_USERS)
        return _USER_ACTIONS[args.user_action](archive, args)
    except (BadUserInput, LoginFailed) as exc:
        raise UserError(str(exc), status=1) from None
    except PermissionDenied as exc:
        raise UserError(str(exc), status=LOGIN_STATUS) from None
    finally:
        archive.close()


def _user_add(archive, args) -> int:
    from models.roles import ADMIN

    if archive.users.has_users() and not archive.users.has_active_admin():
        user = archive.users.add_missing_admin(args.username, new_password(args), args.name)
        print("档案库没有启用的管理员：新用户设为管理员。", file=sys.stderr)
        print(f"已添加用户：{user.username}（{user.display_name}，{user.role}）")
        return 0
    first = not archive.users.has_users()
    user = archive.users.create(args.username, new_password(args), args.role, args.name)
    if first and args.role != ADMIN:
        print("档案库还没有用户：第一个用户设为管理员（档案库至少要有一个管理员）。", file=sys.stderr)
    print(f"已添加用户：{user.username}（{user.display_name}，{user.role}）")
    if first:
        print("从现在起，打开这个档案库需要登录：命令行用 --user 用户名（脚本中密码放在环境变量 "
              f"{PASSWORD_ENV}）。")
    return 0


def _user_list(archive, args) -> int:
    rows = archive.users.all()
    if not rows:
        print("档案库还没有用户。用 tongdang user add 用户名 添加第一个管理员。")
    for user in rows:
        state = "已停用" if not user.active else ("已锁定" if user.locked_until else "正常")
        print(f"{user.username}\t{user.display_name}\t{user.role}\t{state}")
    return 0


def _user_passwd(archive, args) -> int:
    user = _existing(archive, args.username)
    archive.users.reset_password(user, new_password(args))
    print(f"已重设用户 {args.username} 的密码。")
    return 0


def _user_unlock(archive, args) -> int:
    archive.users.unlock(_existing(archive, args.username))
    print(f"已解除用户 {args.username} 的锁定。")
    return 0


def _user_role(archive, args) -> int:
    archive.users.set_role(_existing(archive, args.username), args.role)
    print(f"用户 {args.username} 的角色已改为{args.role}。")
    return 0


def _user_active(active: bool):
    def run(archive, args) -> int:
        archive.users.set_active(_existing(archive, args.username), active)
        print(f"已{'启用' if active else '停用'}用户 {args.username}。")
        return 0

    return run


_USER_ACTIONS = {"add": _user_add, "list": _user_list, "passwd": _user_passwd,
                 "unlock": _user_unlock, "role": _user_role, "disable": _user_active(False),
                 "enable": _user_active(True)}


def _existing(archive, username: str):
    user = archive.users.find(username)
    if user is None:
        raise UserError(f"没有用户“{username}”。", status=1)
    return user


def new_password(args) -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    first = _ask("新密码：", "请在终端输入新密码，或使用 --password-stdin。")
    if _ask("再次输入新密码：", "") != first:
        raise UserError("两次输入的密码不一致。", status=1)
    return first


def _ask(prompt: str, no_terminal_message: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(no_terminal_message)
    return getpass.getpass(prompt)
