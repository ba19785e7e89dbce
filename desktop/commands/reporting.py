"""tongdang report-package: the township's 上报包 for the county (issue 17, item 4)."""

from pathlib import Path

from desktop.commands.common import UserError, add_command, open_archive


def register(subparsers) -> None:
    p = add_command(subparsers, "report-package",
                    "生成上报包：本乡镇档案库的加密副本，只有县民政局能打开，并带本乡镇的签名", run_report_package)
    p.add_argument("--out", metavar="文件", help="上报包保存到的文件（如 某某镇上报包.tdpkg）")
    p.add_argument("--county-key", metavar="公钥或文件",
                   help="县民政局给的公钥（以 TONGDANG-COUNTY-KEY/1: 开头的文字，或存有它的文件）；"
                        "填写一次后保存在档案库中，由管理员操作")
    p.add_argument("--fingerprint", action="store_true",
                   help="只显示本乡镇的签名指纹和已保存的县级公钥指纹（供与县里核对）")


def run_report_package(args) -> int:
    from exports.atomic import ExportError, atomic_path
    from models.reporting import PackageRefused
    from models.roles import CHANGE_TOWNSHIP, REPORT_TO_COUNTY, PermissionDenied, check_can

    if not (args.out or args.county_key or args.fingerprint):
        raise UserError("请用 --out 指定上报包文件，或用 --county-key 填写县级公钥，或用 --fingerprint 查看指纹。")
    archive = open_archive(args, REPORT_TO_COUNTY, writes=bool(args.county_key))
    try:
        reporting = archive.reporting
        if args.county_key:
            check_can(archive.role, CHANGE_TOWNSHIP)
            print(f"已保存县级公钥，指纹：{reporting.set_county_key(_key_text(args.county_key))}")
        if args.fingerprint:
            print(f"本乡镇签名指纹：{reporting.signer_fingerprint()}")
            print(f"县级公钥指纹：{reporting.county_key_fingerprint() or '（尚未填写）'}")
        if args.out:
            made = reporting.make_package()
            with atomic_path(Path(args.out)) as temp:
                temp.write_bytes(made.data)
            print(f"已生成上报包：{args.out}（{len(made.data) / 1e6:.1f} MB，在档儿童 {made.header.children} 名，"
                  f"生成于 {made.header.made_at}）")
            print(f"本乡镇签名指纹：{made.signer_fingerprint}。县里第一次导入时会显示这个指纹，请电话核对。")
    except (PackageRefused, PermissionDenied, ExportError) as exc:
        raise UserError(str(exc), status=1) from None
    finally:
        archive.close()
    return 0


def _key_text(value: str) -> str:
    """The key itself, or the text of the file that holds it."""
    if value.strip().startswith("TONGDANG-"):
        return value
    path = Path(value)
    if not path.is_file():
        raise UserError(f"找不到县级公钥文件：{value}。请填写公钥文字（以 TONGDANG-COUNTY-KEY/1: 开头）或存有它的文件。")
    return path.read_text(encoding="utf-8", errors="replace")
