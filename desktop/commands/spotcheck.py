"""tongdang spotcheck: draw the county's sample, record the check, write the packet folder.

``tongdang --server … spotcheck county --share 10% | --count N [--township 名称 …] [--seed S]
--out 文件夹``: the county's check across townships (``models.server.county_spotcheck``), a
packet folder per township."""

import argparse
import sys
from datetime import date
from pathlib import Path

from desktop.commands.common import UserError, add_command, open_archive, text_width


def register(subparsers) -> None:
    p = add_command(subparsers, "spotcheck", "抽查档案：随机抽取一定比例的儿童档案，生成抽查材料",
                    run_spotcheck)
    p.add_argument("scope", nargs="?", choices=["county", "receive"], metavar="county|receive",
                   help="county：县级用户抽查各乡镇（每个乡镇按村分层抽取，记入各乡镇的抽查记录；"
                        "需 --server；用 --township 选择乡镇）；receive 文件：使用档案库文件的乡镇导入"
                        "县级抽查材料中的“县级抽查记录”文件，本档案库的抽查记录中就有这次县级抽查")
    p.add_argument("record", nargs="?", metavar="文件", help=argparse.SUPPRESS)
    p.add_argument("--sample", "--share", dest="sample", default=None, metavar="比例",
                   help="抽查比例，如 10%%（默认取“设置”中的本地做法，初始为 10%%；方案只要求每年至少抽查一次）")
    p.add_argument("--count", default=None, metavar="份数",
                   help="全县抽查：每个乡镇抽取的份数（按各村在档人数分配），与 --share 二选一")
    p.add_argument("--township", action="append", default=None, metavar="乡镇",
                   help="全县抽查：只抽查这个乡镇（可重复；不填则抽查全部乡镇）")
    p.add_argument("--per-village", action="store_true", help="按村（社区）分层，每个村按比例抽取")
    p.add_argument("--seed", default=None, metavar="种子",
                   help="随机种子（不填则随机生成并记录；相同种子可重新抽出同一批档案）")
    p.add_argument("--inspector", default="", metavar="姓名", help="抽查人")
    p.add_argument("--jobs", type=int, default=1, metavar="进程数",
                   help="同时生成档案的进程数（默认1；多核电脑上可设为处理器数以加快速度）")
    p.add_argument("--out", metavar="文件夹", help="抽查材料保存到的新文件夹")



def run_spotcheck(args) -> int:
    from exports.atomic import ExportCancelled, ExportError
    from exports.spotcheck import RECORD_NAME, write_packet
    from forms.spotcheck_share import SpotCheckError, parse_share

    if args.scope == "receive":
        return run_receive(args)
    if not args.out:
        raise UserError("请用 --out 指定抽查材料保存到的新文件夹。")
    if args.scope == "county":
        return run_county_spotcheck(args)
    if args.count is not None or args.township:
        raise UserError("--count 和 --township 只用于全县抽查（tongdang --server … spotcheck county …）。")
    try:
        share = parse_share(args.sample) if args.sample is not None else None
    except SpotCheckError as exc:
        raise UserError(str(exc)) from None
    out = _new_folder(args.out)
    jobs = _jobs(args.jobs)
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


def _new_folder(text: str) -> Path:
    out = Path(text).expanduser()
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise UserError(f"“{out}”已存在且不是空文件夹。请另选一个新文件夹名。")
    if not out.parent.is_dir():
        raise UserError(f"保存位置不存在：{out.parent}")
    return out


def _jobs(jobs: int) -> int:
    if jobs < 1 or jobs > 32:
        raise UserError("进程数应在 1 到 32 之间。")
    return jobs


def run_county_spotcheck(args) -> int:
    """The county's check across townships: recorded in each township, one packet folder
    per township under ``--out``."""
    from exports.atomic import ExportCancelled, ExportError
    from exports.spotcheck import RECORD_NAME, safe_name, write_packet
    from forms.spotcheck_share import SpotCheckError

    if not getattr(args, "server", None):
        raise UserError("全县抽查需要县级数据库：tongdang --server postgresql://县级用户@主机/库 "
                        "spotcheck county …")
    if args.per_village or args.inspector:
        raise UserError("全县抽查总是在每个乡镇内按村分层抽取，抽查人是登录的县级用户："
                        "不用 --per-village 和 --inspector。")
    out = _new_folder(args.out)
    jobs = _jobs(args.jobs)
    archive = open_archive(args, None, writes=True)
    try:
        county = getattr(archive, "county_spotchecks", None)
        if county is None or not archive.county_role:
            raise UserError("全县抽查需要县级用户（县级管理员）登录。")
        try:
            check = county.run(share=args.sample, count=args.count, townships=args.township,
                               seed=args.seed, on=date.today())
        except SpotCheckError as exc:
            raise UserError(str(exc)) from None
        draw = check.draw
        print(f"已记入 {len(check.checks)} 个乡镇的抽查记录（{draw.size_text}，按村分层，"
              f"全县随机种子 {draw.seed}），正在生成各乡镇的抽查材料……", file=sys.stderr)
        out.mkdir(exist_ok=True)

        def write(township, packet):
            progress = PacketProgress(len(packet.children))
            try:
                write_packet(packet, out / safe_name(township), progress=progress, workers=jobs)
            finally:
                progress.end()

        try:
            county.each_packet(check, write)
        except (ExportError, ExportCancelled) as exc:
            raise UserError(f"{exc}（抽查已记入各乡镇；用 --seed {draw.seed} 可重新抽出同一批档案"
                            "并生成材料）", status=3) from None
    finally:
        archive.close()
    print(f"全县抽查材料已保存：{out}")
    for township in check.checks:
        run = township.run
        print(f"  {township.township}：在档 {run.population} 名，抽查 {len(run.children)} 份，"
              f"存在问题 {run.with_problems} 份（乡镇种子 {run.seed}）")
    for name in check.skipped:
        print(f"  {name}：没有在档儿童，未抽查")
    print(f"  合计：抽查 {check.files} 份，存在问题 {check.with_problems} 份")
    print(f"  随机种子：{draw.seed}（复核时用 --seed {draw.seed} 可抽出同一批档案）")
    print(f"  每个乡镇一个文件夹，内有档案和{RECORD_NAME}（.pdf、.docx、.xlsx）")
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


def run_receive(args) -> int:
    """``spotcheck receive 文件``: the county's check of this township, from its packet."""
    from forms.spotcheck_share import SpotCheckError
    from models.roles import RUN_SPOTCHECK

    if not args.record:
        raise UserError("请写出县级抽查材料中的“县级抽查记录”文件，如："
                        "tongdang spotcheck receive 县级抽查记录（乡镇导入用）.json")
    archive = open_archive(args, RUN_SPOTCHECK, writes=True)
    try:
        check = archive.spotchecks.receive(Path(args.record))
    except SpotCheckError as exc:
        raise UserError(str(exc)) from None
    finally:
        archive.close()
    print(f"已导入县级抽查记录：{check.on:%Y-%m-%d}，抽查 {len(check.sample)} 份，"
          f"存在问题 {check.with_problems} 份（抽查人 {check.inspector or '未填'}）。")
    return 0
