"""tongdang --server … county reminders|sent|log|settings: the county's own duties (issue 17,
item 5) — what is due, the log of lists sent and to whom, and the county-wide settings.

Only county logins (县级管理员 / 县级查阅) on the county database; settings are changed by a
县级管理员 only (``models.server.county_settings``).
"""

import sys
from datetime import date

from desktop.commands.common import UserError, add_archive_option, open_archive, parse_cli_date


def register(subparsers) -> None:
    p = subparsers.add_parser("county", help="县级：到期提醒、名单报送记录、县级设置（县级用户登录县级数据库）",
                              description="县级民政部门的定期工作：风险等级名单每半年通报团委、妇联、残联，"
                                          "每年抽查各乡镇档案，寒暑假开学前向教育部门报送名单，附件1、附件2"
                                          "的报送日期。方案未规定的日期为本地做法，可在县级设置中修改。")
    actions = p.add_subparsers(dest="county_action", title="操作", metavar="操作", required=True)
    r = actions.add_parser("reminders", help="列出到期和即将到期的工作（注明依据；本地做法单独标明）")
    add_archive_option(r)
    r.add_argument("--on", metavar="日期", default=None, help="按这一天计算（默认今天）")
    r.set_defaults(handler=run_reminders)
    s = actions.add_parser("sent", help="记录一份名单已报送（名单导出时已自动记录的不必重复）")
    add_archive_option(s)
    s.add_argument("kind", choices=("lists", "school", "stats", "screening"), metavar="名单",
                   help="lists 风险等级名单、school 教育部门名单、stats 附件1、screening 附件2")
    s.add_argument("--to", required=True, metavar="单位",
                   help="报送单位：团委、妇联、残联（lists），教育局（school），上级民政部门（附件）")
    s.add_argument("--on", metavar="日期", default=None, help="报送日期（默认今天）")
    s.add_argument("--term", default="", metavar="学期", help="教育部门名单的学期，如 2027春")
    s.add_argument("--townships", default="全县", metavar="乡镇", help="名单包括的乡镇（默认全县）")
    s.add_argument("--note", default="", metavar="说明", help="备注，如 经办人、报送方式")
    s.set_defaults(handler=run_sent)
    g = actions.add_parser("log", help="列出名单报送记录（最近的在前）")
    add_archive_option(g)
    g.add_argument("--kind", choices=("lists", "school", "stats", "screening"), default=None,
                   metavar="名单", help="只列出这一种名单")
    g.set_defaults(handler=run_log)
    t = actions.add_parser("settings", help="显示县级设置及其依据；县级管理员可用 --set 修改")
    add_archive_option(t)
    t.add_argument("--set", action="append", default=[], metavar="名称=值",
                   help="修改一项设置，如 --set spring_list_by=02-20（可重复）")
    t.set_defaults(handler=run_settings)


def _county(args):
    archive = open_archive(args)
    if not getattr(archive, "county_role", ""):
        archive.close()
        raise UserError("县级提醒、报送记录和县级设置只有县级用户（县级管理员、县级查阅）"
                        "登录县级数据库（--server）时可以使用。")
    return archive


def _settings_call(args, work) -> int:
    from models.server.county_settings import SettingsError

    archive = _county(args)
    try:
        return work(archive.county_settings)
    except SettingsError as exc:
        raise UserError(str(exc)) from None
    finally:
        archive.close()


def run_reminders(args) -> int:
    on = parse_cli_date(args.on, "--on") if args.on else date.today()

    def work(settings) -> int:
        found = settings.reminders(on)
        print(f"{on.year}年{on.month}月{on.day}日的县级提醒（{len(found)} 项）：")
        for r in found:
            print(f"- [{r.status}] {r.due:%Y-%m-%d} {r.what}；{r.last}")
            print(f"    依据：{r.basis}")
        return 0

    return _settings_call(args, work)


def run_sent(args) -> int:
    on = parse_cli_date(args.on, "--on") if args.on else date.today()

    def work(settings) -> int:
        settings.record_sent(args.kind, args.to.strip(), on, args.townships.strip() or "全县",
                             note=args.note, term=args.term)
        print(f"已记录：{on:%Y-%m-%d} 向{args.to.strip()}报送"
              f"{'（' + args.term.strip() + '）' if args.term.strip() else ''}。")
        return 0

    return _settings_call(args, work)


def run_log(args) -> int:
    def work(settings) -> int:
        entries = settings.sent(args.kind)
        if not entries:
            print("还没有报送记录。")
        for e in entries:
            extra = "，".join(x for x in (
                e.term and f"学期 {e.term}", e.children is not None and f"{e.children} 人",
                e.file_name and f"文件 {e.file_name}", e.note) if x)
            print(f"{e.sent_on:%Y-%m-%d} 向{e.recipient}报送{e.what}（{e.townships}）"
                  f"{'：' + extra if extra else ''} — {e.how}，{e.recorded_by} "
                  f"{e.recorded_at:%Y-%m-%d %H:%M}")
        return 0

    return _settings_call(args, work)


def run_settings(args) -> int:
    from models.server.county_settings import BY_KEY, SETTINGS

    def work(settings) -> int:
        for item in args.set:
            key, sep, value = item.partition("=")
            if not sep:
                raise UserError(f"--set 应写作“名称=值”，如 spring_list_by=02-20，而不是“{item}”")
            settings.set(key.strip(), value)
            print(f"已修改：{BY_KEY[key.strip()].label} = {value.strip()}", file=sys.stderr)
        values, profile = settings.values(), settings.profile()
        for s in SETTINGS:
            mark = "【本地做法，可修改】" if s.local(profile) else "【方案规定】"
            print(f"{s.key} = {s.show(values[s.key])}　{s.label}　{mark}{s.source(profile)}")
        return 0

    return _settings_call(args, work)
