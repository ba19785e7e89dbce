"""tongdang server county-key / import-package: the county's side of the 上报包 (issue 17)."""

import sys
from pathlib import Path

from desktop.commands.common import UserError


def run_package_action(args, owner) -> int:
    from models.report_package import PackageRefused

    try:
        if args.server_action == "county-key":
            return _county_key(args, owner)
        return _import_package(args, owner)
    except PackageRefused as exc:
        raise UserError(str(exc), status=1) from None


def _county_key(args, owner) -> int:
    text = owner.county_key()
    if args.out:
        from exports.atomic import atomic_path

        with atomic_path(Path(args.out)) as temp:
            temp.write_text(text + "\n", encoding="utf-8")
        print(f"公钥已保存到：{args.out}")
    print("县级公钥（发给各乡镇，填在童档“设置 › 上报县级”中；公钥可以公开）：")
    print(text)
    print(f"公钥指纹：{owner.county_key_fingerprint()}（乡镇填好后会显示同样的指纹，可电话核对）")
    return 0


def _import_package(args, owner) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"找不到上报包文件：{path}")
    applied = owner.import_package(path.read_bytes())
    if not applied.changed:
        print(f"没有变化：这个上报包（{applied.township}，生成于 {applied.made_at}）以前已导入，这次没有写入任何内容。")
        return 0
    print(f"已导入“{applied.township}”的上报包（生成于 {applied.made_at}）：{applied.rows_text or '没有记录'}，"
          f"逐条核对一致；包中的审计记录（{applied.entries}条）原样保存。")
    if applied.first:
        print(f"这是“{applied.township}”的第一个上报包。签名指纹：{applied.signer_fingerprint}。"
              "请与乡镇电话核对这个指纹；以后的上报包必须用同一签名。", file=sys.stderr)
    return 0
