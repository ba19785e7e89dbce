"""tongdang summaries: rebuild each child's contact summary from the contacts (issue 19).

The writer keeps the summaries in the same transaction as every contact written; this command
is for when that is ever in doubt (e.g. rows changed outside the program, found by ``verify``).
"""

from desktop.commands.common import add_command, open_archive


def register(subparsers) -> None:
    p = add_command(subparsers, "summaries",
                    "重新计算每名儿童的联系摘要（检查、工作台和报表据此计算，由走访记录生成）",
                    run_summaries)
    p.add_argument("--check", action="store_true",
                   help="只检查摘要是否与走访记录一致，不写入（不一致时返回 1）")


def run_summaries(args) -> int:
    from models.roles import EDIT_CHILDREN, READ_CHILDREN

    archive = open_archive(args, READ_CHILDREN if args.check else EDIT_CHILDREN,
                           writes=not args.check)
    try:
        if args.check:
            stale = archive.states.stale_summaries()
            if stale:
                print(f"有 {len(stale)} 名儿童的联系摘要与走访记录不一致，"
                      "请运行 tongdang summaries 重新计算。")
                return 1
            print("全部儿童的联系摘要与走访记录一致。")
            return 0
        count = archive.states.rebuild_summaries()
    finally:
        archive.close()
    print(f"已重新计算 {count} 名儿童的联系摘要。")
    return 0
