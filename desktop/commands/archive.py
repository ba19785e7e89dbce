"""tongdang init / demo / info."""

import json
import sys

from desktop.commands.common import UserError, add_command, archive_path, log_in, open_archive

PROFILE_CHOICES = ("national", "changzhi", "yueqing", "puning", "shaoyang", "shangrila")


def register(subparsers) -> None:
    p = add_command(subparsers, "init", "新建档案库并打印恢复码", run_init)
    p.add_argument("--township", required=True, metavar="名称", help="乡镇（街道）名称")
    p.add_argument("--county", required=True, metavar="名称", help="县（市、区）名称")
    p.add_argument("--profile", required=True, choices=PROFILE_CHOICES, metavar="地区方案",
                   help="地区方案：national（全国通用）、changzhi（长治）、yueqing（乐清）、"
                        "puning（普宁）、shaoyang（邵阳）、shangrila（香格里拉）")
    p.add_argument("--area-code", default="", metavar="区划代码", help="县级行政区划代码（6位，可不填）")
    p.add_argument("--admin", metavar="用户名",
                   help="同时创建第一个管理员（密码从终端输入，或用 --password-stdin）")
    p.add_argument("--password-stdin", action="store_true",
                   help="从标准输入读取管理员密码（供脚本使用）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出档案库路径和恢复码（供脚本使用）")

    p = add_command(subparsers, "demo", "向演示档案库填入虚构的演示数据（--archive 指向不存在的文件时新建演示档案库）",
                    run_demo)
    p.add_argument("--children", type=int, required=True, metavar="人数", help="生成的儿童人数")
    p.add_argument("--seed", type=int, default=None, metavar="种子", help="随机种子（相同种子生成相同数据）")

    add_command(subparsers, "info", "显示档案库位置、乡镇、地区方案、数据结构版本和数量", run_info)


def run_init(args) -> int:
    from desktop.commands.safety import new_password
    from models.archive import Archive
    from models.opening import check_password, check_username, keyring_available
    from models.storage import ArchiveOpenError
    from models.users import BadUserInput

    path = archive_path(args)
    admin = password = None
    if args.admin:
        try:
            admin = check_username(args.admin)
            password = new_password(args)
            check_password(password)
        except BadUserInput as exc:
            raise UserError(f"管理员：{exc}") from None
    try:
        archive, code = Archive.create(path, args.township, args.county, args.profile,
                                       area_code=args.area_code)
    except (ArchiveOpenError, ValueError) as exc:
        raise UserError(str(exc)) from None
    try:
        if admin:
            archive.users.create_first_admin(admin, password)
    finally:
        archive.close()
    if args.json:
        print(json.dumps({"archive": str(path), "recovery_code": code}, ensure_ascii=False))
        return 0
    print(f"已新建档案库：{path}")
    print(f"乡镇：{args.township}（{args.county}）")
    print()
    print(f"恢复码：{code}")
    print()
    print("请立即打印或抄写恢复码，与纸质档案分开妥善保管。系统重装、换电脑或密钥丢失时，")
    print("只有恢复码能打开这个档案库；恢复码丢失后任何人都无法找回数据。")
    if admin:
        print(f"管理员：{admin}（登录时使用）")
    else:
        print("尚未设置用户：在添加第一个管理员（tongdang user add 用户名 --role 管理员）之前，"
              "能打开本机档案库的人都拥有全部权限。")
    if not keyring_available():
        print("注意：本机没有系统凭据存储，每次打开档案库都需要输入恢复码"
              "（或设置环境变量 TONGDANG_RECOVERY_CODE）。", file=sys.stderr)
    return 0


def run_demo(args) -> int:
    from models.opening import fill_demo_archive

    if args.children < 1 or args.children > 200000:
        raise UserError("人数应在 1 到 200000 之间。")
    archive = _demo_archive(args)
    try:
        archive.check_sound()  # nothing is written into a damaged archive
    except BaseException:
        archive.close()
        raise
    try:
        archive.on_children_changed = None  # refreshed once at the end, not per batch
        # All the data in one transaction: a killed run leaves none of it (the archive is a
        # demo archive from its creation, see _demo_archive).
        with archive.announce("生成演示数据"):
            fill_demo_archive(archive, args.children, seed=args.seed, progress=_print_progress)
        print("\n正在计算风险等级和走访日期……", file=sys.stderr)
        archive.states.refresh_all()
        counts = archive.counts()
    finally:
        archive.close()
    print(f"已生成 {args.children} 名虚构儿童的演示数据（档案库已标记为“演示数据”）。")
    for label, value in counts.items():
        print(f"  {label}：{value}")
    return 0


def _demo_archive(args):
    """Fictional children go only into a demo archive: a new one when ``--archive`` (or
    TONGDANG_ARCHIVE) names a file that does not exist yet, else an existing demo archive."""
    import os

    from models.archive import ARCHIVE_ENV, DEMO_RECOVERY_CODE
    from models.roles import ADD_DEMO_DATA

    path = archive_path(args)
    how = ("要试用演示数据，请新建一个演示档案库，例如：tongdang --archive 演示.tongdang demo "
           "--children 300（文件不存在时自动新建，全部为虚构数据）；或运行 tongdang --demo "
           "打开图形界面的演示档案库。")
    if not path.exists():
        if not (getattr(args, "archive", None) or os.environ.get(ARCHIVE_ENV)):
            raise UserError(f"默认位置还没有档案库：{path}。演示数据不能放进默认档案库。" + how)
        from models.archive import ArchiveExists
        from models.opening import create_demo_archive
        from models.storage import ArchiveOpenError

        try:
            archive = create_demo_archive(path)
        except (ArchiveExists, ArchiveOpenError, OSError) as exc:
            raise UserError(str(exc)) from None
        archive.states.keep_current()
        print(f"已新建演示档案库：{path}（恢复码公开：{DEMO_RECOVERY_CODE}）", file=sys.stderr)
        return archive
    archive = open_archive(args, login=False)  # first say if it is no demo archive at all
    try:
        if not archive.township.is_demo:
            raise UserError(f"“{path}”不是演示档案库，不能填入虚构儿童：虚构的档案只能结案、不能删除，"
                            "而且这个档案库导出的每一页都会带上“演示数据”。" + how)
        log_in(archive, args, ADD_DEMO_DATA)
    except BaseException:
        archive.close()
        raise
    return archive


def _print_progress(done: int, total: int) -> None:
    print(f"\r已生成 {done}/{total}", end="", file=sys.stderr, flush=True)


def run_info(args) -> int:
    archive = open_archive(args, action=None)  # no child data: works without a login
    try:
        t = archive.township
        print(f"档案库：{archive.path}")
        print(f"乡镇：{t.name}")
        print(f"县（市、区）：{t.county}")
        print(f"地区方案：{t.profile}（{archive.settings.profile_named(t.profile).name}）")
        print(f"数据结构版本：{archive.schema_version()}")
        if t.is_demo:
            print("演示数据：是（全部为虚构数据）")
        for label, value in archive.counts().items():
            print(f"{label}：{value}")
        from exports.fonts import describe

        for line in describe():
            print(line)
    finally:
        archive.close()
    return 0
