"""tongdang spotcheck: draw the county's sample, record the check, write the packet folder."""

import sys
from datetime import date
from pathlib import Path

from desktop.commands.common import UserError, add_command, open_archive, text_width


def register(subparsers) -> None:
    p = add_command(subparsers, "spotcheck", "抽查档案：随机抽取一定比例的儿童档案，生成抽查材料",
                    run_spotcheck)
    p.add_argument("--sample", default=None, metavar="比例",
                   help="抽查比例，如 10%%（默认取“设置”中的本地做法，初始为 10%%；方案只要求每年至少抽查一次）")
    p.add_argument("--per-village", action="store_true", help="按村（社区）分层，每个村按比例抽取")
    p.add_argument("--seed", default=None, metavar="种子",
                   help="随机种子（不填则随机生成并记录；相同种子可重新抽出同一批档案）")
    p.add_argument("--inspector", default="", metavar="姓名", help="抽查人")
    p.add_argument("--jobs", type=int, default=1, metavar="进程数",
                   help="同时生成档案的进程数（默认1；多核电脑上可设为处理器数以加快速度）")
    p.add_argument("--out", required=True, metavar="文件夹", help="抽查材料保存到的新文件夹")


def run_spotcheck(args) -> int:
    from exports.atomic import ExportCancelled, ExportError
    from exports.spotcheck import RECORD_NAME, write_packet
    from forms.spotcheck_share import SpotCheckError, parse_share

    try:
        share = parse_share(args.sample) if args.sample is not None else None
    except SpotCheckError as exc:
        raise UserError(str(exc)) from None
    out = Path(args.out).expanduser()
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise UserError(f"“{out}”已存在且不是空文件夹。请另选一个新文件夹名。")
    if not out.parent.is_dir():
        raise UserError(f"保存位置不存在：{out.parent}")
    jobs = args.jobs
    if jobs < 1 or jobs > 32:
        raise UserError("进程数应在 1 到 32 之间。")
    from models.roles import RUN_SPOTCHECK

    archive = open_archive(args, RUN_SPOTCHECK, writes=True)
    try:
        spotchecks = archive.spotchecks
        if share is None:
            share = spotchecks.default_share()
        try:
            run = spotchecks.run(share, per_village=args.per_village, seed=args.seed,
                                 on=date.today(), inspector=args.inspector)
        except SpotCheckError as exc:
            raise UserError(str(exc)) from None
        packet = spotchecks.packet(run)
        print(f"已抽取 {len(run.children)} 份档案（在档 {run.population} 名儿童，比例 "
              f"{share * 100:.0f}%，随机种子 {run.seed}），正在生成抽查材料……", file=sys.stderr)
        progress = PacketProgress(len(run.children))
        try:
            write_packet(packet, out, progress=progress, workers=jobs)
        except (ExportError, ExportCancelled) as exc:
            progress.end()
            raise UserError(str(exc), status=3) from None
    finally:
        archive.close()
    progress.end()
    demo = "（演示数据）" if packet.demo else ""
    print(f"抽查材料已保存{demo}：{out}")
    print(f"  抽查份数：{len(run.children)}，存在问题：{run.with_problems} 份")
    print(f"  随机种子：{run.seed}（复核时用 --seed {run.seed} 可抽出同一批档案）")
    print(f"  抽查记录表：{out / RECORD_NAME}（.pdf、.docx、.xlsx）")
    return 0


class PacketProgress:
    """Progress of the packet on standard error, in the words of the sample: the drawn
    children's files (1…n of n), then the 抽查记录表. ``write_packet`` counts the record as one
    more step (n + 1), which is not a file drawn. Only a terminal gets the rewritten
    ``\\r`` line; a log or a pipe gets nothing until the summary."""

    def __init__(self, files: int, stream=None):
        self.files = files
        self.stream = stream if stream is not None else sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = False
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.live:
            return
        if done < total or total <= self.files:
            text = f"已生成档案 {min(done, self.files)}/{self.files} 份"
            if done >= self.files and total > self.files:
                text += "，正在生成抽查记录表……"
        else:
            text = f"已生成档案 {self.files}/{self.files} 份和抽查记录表"
        pad = " " * max(0, self.width - text_width(text))  # clear a longer previous line
        print(f"\r{text}{pad}", end="", file=self.stream, flush=True)
        self.width = text_width(text)
        self.shown = True

    def end(self) -> None:
        if self.shown:
            print(file=self.stream, flush=True)
            self.shown = False
