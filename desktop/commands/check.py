"""tongdang check: the state of every open child on one day (categories, colour, due dates)."""

import json
import sys
from datetime import date

from desktop.commands.common import add_command, open_archive, parse_cli_date

_OVERDUE_NAMES = {"contact": "联系", "home_visit": "入户走访"}


def register(subparsers) -> None:
    p = add_command(subparsers, "check", "检查全部在档儿童：类别、风险等级、下次联系和走访日期、待办问题",
                    run_check)
    p.add_argument("--on", metavar="YYYY-MM-DD", default=None, help="按哪一天检查（默认：今天）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（供脚本使用）")


def parse_day(text: str | None) -> date:
    if text is None:
        return date.today()
    return parse_cli_date(text, "--on")


def run_check(args) -> int:
    from models.roles import may_see_full_id

    on = parse_day(args.on)
    archive = open_archive(args)
    # A list: full ID numbers only for a role that may see them (as in the GUI's lists).
    shown_id = _full_id if may_see_full_id(archive.role) else _masked_id
    with archive.states.collector_paused():  # tens of thousands of states and their JSON (models/bulk.py)
        try:
            # (profile code, [(ChildFacts, ChildState)]) for every open child, in id order,
            profile, states = archive.states.open_children_on(on)  # worked out as they are written: keep it open
            _write(args, on, profile, states, shown_id)
        finally:
            archive.close()
    return 0


def _full_id(number: str) -> str:
    return number


def _masked_id(number: str) -> str:
    from forms.idnumber import mask_id_number

    return mask_id_number(number)


def _write(args, on: date, profile: str, states, shown_id=_full_id) -> None:
    try:
        if args.json:
            children = [state.to_json() for _, state in states]
            if shown_id is not _full_id:
                for child in children:
                    child["id_number"] = shown_id(child["id_number"])
            data = {"on": on.isoformat(), "profile": profile, "children": children}
            sys.stdout.write(json.dumps(data, ensure_ascii=False))
            sys.stdout.write("\n")
        else:
            _print_table(on, states, shown_id)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `tongdang check | head`: the reader has seen enough
        _silence_stdout()


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _print_table(on: date, states, shown_id=_full_id) -> None:
    from forms.colours import colour_name

    states = list(states)  # models.state.OpenChildren: worked out once, read several times

    print(f"检查日期：{on.isoformat()}　在档儿童：{len(states)} 名（需立即处置、风险等级高的排在前面）")
    if not states:
        return
    rows = [("姓名", "身份证号", "村(社区)", "类别", "风险等级", "下次联系", "下次入户走访", "逾期", "待办")]
    for child, state in sorted(states, key=_attention_first):
        categories = list(state.categories) + (["单亲"] if state.single_parent else [])
        colour = colour_name(state.colour, manual=state.colour_manual)
        if not state.in_colour_lists:
            colour = "—"
        overdue = "、".join(_OVERDUE_NAMES.get(k, k) for k in state.overdue)
        if state.urgent:
            overdue = "需立即处置" + ("、" + overdue if overdue else "")
        number = shown_id(state.id_number)
        rows.append((state.name, number, child.village, "、".join(categories) or "—", colour,
                     state.next_contact_due.isoformat(), state.next_home_visit_due.isoformat(),
                     overdue or "—", str(len(state.problems))))
    widths = [max(_width(r[k]) for r in rows) for k in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join([_pad(row[k], w) for k, w in enumerate(widths)] + [row[-1]]))
    print()
    for line in _summary(states):
        print(line)


def _attention_first(pair) -> tuple:
    """Who needs action first: urgent, then by colour (red first), overdue, village."""
    from forms import vocab

    child, state = pair
    return (not state.urgent, vocab.COLOURS.index(state.colour), not state.overdue,
            child.village, state.name)


def _summary(states) -> list[str]:
    from forms import vocab
    from forms.colours import colour_with_level

    colours = dict.fromkeys(vocab.COLOURS, 0)
    for _, s in states:
        if s.in_colour_lists:  # single-parent-only children are in their own ledger
            colours[s.colour] += 1
    contact = sum(1 for _, s in states if "contact" in s.overdue)
    visit = sum(1 for _, s in states if "home_visit" in s.overdue)
    urgent = sum(1 for _, s in states if s.urgent)
    colour_text = "，".join(f"{colour_with_level(c)}{n} 名"
                           for c, n in colours.items())
    local = sum(1 for _, s in states for p in s.problems if p.local)
    policy = sum(1 for _, s in states for p in s.problems if not p.local)
    single = sum(1 for _, s in states if s.single_parent_only)
    return [f"风险等级：{colour_text}" + (f"；单亲家庭儿童台账：{single} 名" if single else ""),
            f"待办问题：依据方案或法律 {policy} 项；本地做法 {local} 项（可在“设置”中修改）",
            f"逾期未联系：{contact} 名；逾期未入户走访：{visit} 名；需立即处置：{urgent} 名"]


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
