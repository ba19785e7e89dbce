"""Annex 1 of the 普宁 plan: 摸排情况数据表 (DOMAIN.md §10).

Counting rules (the annex gives only the row labels):

* Only children in the archive scope on the day (留守, 困境 or single-parent; closed files
  left out) are counted. Each child is counted in the block of **its own colour** only, so the
  blocks are disjoint and the 人数合计 is the sum of the 人数小计.
* Inside its block a child is counted in every row whose criterion applies to it (recorded
  and still active, or derived: 辍学, 父母均重残, 父母均服刑, 孤儿, 事实无人抚养, 重残). Criteria
  the annex has no row for (黄色 严重心理疾病, a 中高风险/高风险 family guardianship assessment)
  and manually confirmed colours without a criterion of that colour go to the block's
  "其他情况" row. 人数小计 counts children, not rows.
* The annex's fourth block (its heading is lost in the published text) lists 困难家庭 types
  with "已落实保障和已定期介入跟踪", the wording of 低风险（绿色）常态化关爱服务: it is read here
  as the green block, by family type: 低保, 低保边缘 and 支出型困难, 特困, and 其他 for every
  other green child.
* **其中已干预** for a row: since the criterion was found (derived criteria and the green
  block: since the child entered the archive; a manual colour: since it was set) and up to the
  day, an intervention is recorded (a referral, a mandatory report or a care record). Outside
  the red block, regular follow-up also counts: the child was contacted in that time and is
  not overdue for contact or home visit. Red children need emergency intervention, so a
  contact alone does not count there. In the 人数小计 a child counts as intervened when it is
  so in all its rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from forms.colours import level_with_colour
from models.facts import ChildFacts
from models.rules.colour import Criterion
from models.rules.schedule import contacted_between, interventions
from models.rules.state import ChildState

OTHER = "其他情况的儿童数"

# (criterion words counted in the row, row label, "of whom" label), in print order.
_RED_ROWS = (
    (("遭受侵害",), "（疑似）遭受性侵害、虐待、拐卖、暴力伤害、遗弃等不法侵害的儿童数", "其中已干预的儿童数"),
    (("脱离监护",), "脱离监护单独居住生活、流浪或失踪的儿童数", "其中已干预的儿童数"),
    (("监护缺失",), "（疑似）监护完全缺失的儿童数", "其中已干预的儿童数"),
    (("自杀自残",), "（疑似）有自杀或自残行为的儿童数", "其中已干预的儿童数"),
    (("其他红色情形",), OTHER, "其中已干预的儿童数"),
)
_YELLOW_ROWS = (
    (("监护严重不足",),
     "（疑似）监护严重不足（抚养人为失能半失能老人、无行为能力人、限制民事行为能力人）的儿童数",
     "其中已干预或已定期介入跟踪的儿童数"),
    (("父母均重残",), "父母双方均重残或精神、智力残疾家庭的儿童数", "其中已干预或已落实保障的儿童数"),
    (("父母均服刑",), "父母双方均服刑在押的儿童数", "其中已干预或已落实保障的儿童数"),
    (("辍学",), "（疑似）辍学的儿童数", "其中已干预或已复学复读的儿童数"),
    (("父母均有恶习",), "父母双方均长期吸毒、酗酒、赌博等的儿童数", "其中已干预或已定期介入跟踪的儿童数"),
    (("其他黄色情形", "严重心理疾病"), OTHER, "其中已干预或已定期介入跟踪的儿童数"),
)
_BLUE_ROWS = (
    (("孤儿",), "孤儿数（含艾滋病病毒感染儿童）", "其中已落实保障和已定期介入跟踪的儿童数"),
    (("事实无人抚养",), "事实无人抚养儿童数", "其中已落实保障和已定期介入跟踪的儿童数"),
    (("监护不足",), "（疑似）监护存在不足的儿童数", "其中已干预或已落实保障和已定期介入跟踪的儿童数"),
    (("重残",), "一级、二级残疾和三级、四级精神、智力残疾的儿童数", "其中已干预和已落实保障、定期介入跟踪的儿童数"),
    (("心理行为异常",), "（疑似）有心理或行为异常的儿童数", "其中已干预和已定期介入跟踪的儿童数"),
    (("父母一方有恶习",), "父母一方长期吸毒、酗酒、赌博等的儿童数", "其中已干预和已定期介入跟踪的儿童数"),
    (("其他蓝色情形",), OTHER, "其中已干预和已定期介入跟踪的儿童数"),
)
_GREEN_ROWS = (
    (("低保",), "最低生活保障家庭中的儿童数", "其中已落实保障和已定期介入跟踪的儿童数"),
    (("低保边缘", "支出型困难"), "最低生活保障边缘家庭和支出型困难家庭中的儿童数",
     "其中已落实保障和已定期介入跟踪的儿童数"),
    (("特困",), "特困人员中的儿童数", "其中已落实保障和已定期介入跟踪的儿童数"),
    ((), OTHER, "其中已落实保障和已定期介入跟踪的儿童数"),
)
BLOCKS = (("red", _RED_ROWS), ("yellow", _YELLOW_ROWS), ("blue", _BLUE_ROWS), ("green", _GREEN_ROWS))


@dataclass
class Annex1Row:
    colour: str
    number: int  # 1., 2., ... as printed
    label: str
    intervened_label: str
    count: int = 0
    intervened: int = 0


@dataclass
class Annex1Block:
    colour: str
    title: str  # 高风险等级（红色）
    rows: list[Annex1Row]
    count: int = 0  # 人数小计
    intervened: int = 0


@dataclass(frozen=True)
class Annex1Line:
    """One printed line: kind is "row", "subtotal" (人数小计) or "total" (人数合计)."""
    kind: str
    colour: str | None
    label: str
    count: int
    intervened: int | None
    intervened_label: str = ""


@dataclass
class Annex1:
    blocks: list[Annex1Block] = field(default_factory=list)
    count: int = 0  # 人数合计
    intervened: int = 0

    def block(self, colour: str) -> Annex1Block:
        return next(b for b in self.blocks if b.colour == colour)

    def lines(self) -> list[Annex1Line]:
        out = []
        for b in self.blocks:
            out.extend(Annex1Line("row", b.colour, f"{r.number}. {r.label}", r.count,
                                  r.intervened, r.intervened_label) for r in b.rows)
            out.append(Annex1Line("subtotal", b.colour, "人数小计", b.count, b.intervened))
        out.append(Annex1Line("total", None, "人数合计", self.count, self.intervened))
        return out


def _title(colour: str) -> str:
    return level_with_colour(colour, "等级")


_BACK_AT_SCHOOL = ("幼儿园", "小学", "初中", "高中", "中职")


def intervened_since(child: ChildFacts, state: ChildState, since: date, row_words=()) -> bool:
    on = state.on
    if state.colour == "red":
        # A red child is 已干预 once reported or fittingly referred (not by a care record).
        return not state.urgent
    if "辍学" in row_words and child.schooling in _BACK_AT_SCHOOL:
        return True  # 其中已复学复读: back at school while the dropout finding is still open
    if any(since <= d <= on for d in interventions(child)):
        return True
    return contacted_between(child, since, on) and not state.overdue


def _row_hits(child: ChildFacts, state: ChildState, rows) -> dict[int, date]:
    """Row index -> since when the row applies to the child (within the child's block)."""
    if state.colour == "green":
        words = set(state.categories)
        hits = {i: child.entered_on for i, (crit, _l, _il) in enumerate(rows[:-1]) if words & set(crit)}
        return hits or {len(rows) - 1: child.entered_on}
    mine: list[Criterion] = [c for c in state.colour_criteria if c.colour == state.colour]
    hits: dict[int, date] = {}
    for c in mine:
        index = next((i for i, (crit, _l, _il) in enumerate(rows) if c.word in crit), len(rows) - 1)
        hits[index] = min(hits.get(index, c.since), c.since)
    if not hits:  # a manual colour with no criterion of that colour
        since = child.manual_colour_on or child.entered_on
        hits[len(rows) - 1] = since
    return hits


def annex1(pairs: Iterable[tuple[ChildFacts, ChildState]]) -> Annex1:
    table = Annex1(blocks=[
        Annex1Block(colour, _title(colour), [
            Annex1Row(colour, n, label, il) for n, (_c, label, il) in enumerate(rows, start=1)
        ])
        for colour, rows in BLOCKS
    ])
    spec = dict(BLOCKS)
    for child, state in pairs:
        if not state.in_colour_lists:  # single-parent only: 单亲家庭儿童台账, not Annex 1
            continue
        block = table.block(state.colour)
        all_done = True
        for index, since in _row_hits(child, state, spec[state.colour]).items():
            row = block.rows[index]
            row.count += 1
            done = intervened_since(child, state, since, spec[state.colour][index][0])
            row.intervened += done
            all_done = all_done and done
        block.count += 1
        block.intervened += all_done
    table.count = sum(b.count for b in table.blocks)
    table.intervened = sum(b.intervened for b in table.blocks)
    return table
