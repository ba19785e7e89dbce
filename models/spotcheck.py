"""The county's spot-check (抽查, DOMAIN §7): a reproducible sample of files and what each lacks.

The sample is drawn from the children in the archive (closed files are not sampled) with a
seed; the same seed, share and archive give the same sample again. Each sampled child's
completeness findings come from ``child_state`` with a ``DuplicateIndex`` over the whole
archive. The check itself is recorded (``SpotCheck``) through the writer, so it is audited.
"""

from __future__ import annotations

import json
import math
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from peewee import JOIN

from forms.colours import risk_level
from forms.spotcheck_packet import PacketChild, SpotCheckPacket
from forms.spotcheck_share import SpotCheckError, parse_share
from models.rules import Problem
from models.schema import Child, SpotCheck, Township, Village
from models.state import sampled_pairs

DEFAULT_SHARE = 0.10  # local practice (本地做法): the plans ask for a yearly check, not a share


def default_share() -> float:
    """The county's share from 设置 (local practice ``spotcheck_share``), as a fraction."""
    from models.local_practice import archive_profile

    return (archive_profile().local_value("spotcheck_share") or 10) / 100

# What the record's summary counts: files with at least one finding of each kind.
FINDING_KINDS = (
    (("missing_",), "儿童基本信息不完整"),
    (("invalid_id_number",), "身份证号有误"),
    (("missing_guardian",), "未登记监护人或实际照护人"),
    (("guardianship_absent", "child_left_alone"), "（疑似）监护缺失或无人监护，须核实并报县级民政"),
    (("red_urgent",), "红色高风险儿童未强制报告或对口转介"),
    (("agreement_", "carer_excluded", "carer_not_adult", "carer_declaration_missing"),
     "委托照护协议缺失或无效"),
    (("entrustment_notice_missing",), "未书面告知学校和村（居）委会委托照护情况"),
    (("carer_follow_up_open",), "受委托照护人未履行职责的跟进未办结"),
    (("parents_",), "父母每周联系情况未落实或未核查"),
    (("work_trip_",), "外出务工备案缺失或不完整"),
    (("assessment_missing",), "未按方案开展家庭监护能力评估"),
    (("contact_overdue",), "联系逾期"),
    (("home_visit_overdue",), "入户走访逾期"),
    (("manual_colour_",), "人工确认的风险等级待重新确认"),
    (("assessment_outdated",), "【本地做法】家庭监护能力评估超过复评周期"),
    (("months_without_contact",), "【本地做法】部分自然月无联系记录"),
    (("problem_unsolved",), "【本地做法】发现的问题超过提醒期限未记录解决方案"),
    (("referral_no_outcome",), "【本地做法】转介超过提醒期限未记录办理结果"),
    (("possible_duplicate",), "【数据核对】可能重复登记"),
)
OTHER_KIND = "其他问题"



@dataclass
class SampledChild:
    id_number: str
    name: str
    village: str
    colour: str  # red/yellow/blue/green
    categories: list[str]
    problems: list[Problem] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        """Each finding with what it rests on: the plan's clause or the law, or 【本地做法】
        (a county setting) — a local-practice finding is never presented as policy."""
        return [finding_text(p) for p in self.problems]


def finding_text(p: Problem) -> str:
    if p.local:
        return f"【本地做法】{p.message}"
    return f"{p.message}（依据：{p.basis_text}）"


@dataclass
class SpotCheckRun:
    record: SpotCheck
    on: date
    seed: str
    share: float
    per_village: bool
    population: int  # children the sample was drawn from
    children: list[SampledChild]

    @property
    def sample(self) -> list[str]:
        return [c.id_number for c in self.children]

    @property
    def with_problems(self) -> int:
        return sum(1 for c in self.children if c.problems)


def new_seed() -> str:
    return str(secrets.randbelow(10**8))


def sample_size(count: int, share: float) -> int:
    """Share of ``count``, rounded up; at least one file when there is any."""
    if count <= 0:
        return 0
    return min(count, max(1, math.ceil(count * share - 1e-9)))


def draw_sample(population: list[tuple[str, str]], share: float, seed: str,
                per_village: bool = False, count: int | None = None) -> list[str]:
    """ID numbers drawn from ``(id_number, village)`` pairs, sorted by village and ID number:
    ``share`` of each stratum, or ``count`` files in all (shared out among the villages in
    proportion to their children, ``split_count``).

    Depends only on the set of pairs, the share or count and the seed, never on the input order.
    """
    rng = random.Random(f"tongdang-spotcheck:{seed}")
    if per_village:
        groups: dict[str, list[str]] = defaultdict(list)
        for number, village in population:
            groups[village].append(number)
        strata = [sorted(groups[v]) for v in sorted(groups)]
    else:
        strata = [sorted(number for number, _ in population)]
    if count is None:
        sizes = [sample_size(len(stratum), share) for stratum in strata]
    else:
        sizes = split_count(count, [len(stratum) for stratum in strata])
    village_of = dict(population)
    drawn = [n for stratum, size in zip(strata, sizes, strict=True)
             for n in rng.sample(stratum, size)]
    return sorted(drawn, key=lambda n: (village_of[n], n))


def split_count(count: int, sizes: list[int]) -> list[int]:
    """``count`` files shared out among strata of ``sizes`` in proportion to their size
    (largest remainder; a tie goes to the earlier stratum), never more than a stratum holds."""
    total = sum(sizes)
    count = max(0, min(count, total))
    if not total:
        return [0 for _ in sizes]
    shares = [count * size / total for size in sizes]
    taken = [math.floor(s) for s in shares]
    order = sorted(range(len(sizes)), key=lambda i: (-(shares[i] - taken[i]), i))
    for i in order[:count - sum(taken)]:
        taken[i] += 1
    return taken


def _population() -> list[tuple[str, str]]:
    query = (Child.select(Child.id_number, Village.name)
             .join(Village, on=(Child.village == Village.id), join_type=JOIN.LEFT_OUTER)
             .where(Child.closed_on.is_null()))
    return [(number, village or "") for number, village in query.tuples()]


def findings_for(id_numbers: list[str], on: date) -> list[SampledChild]:
    """Each child's state on ``on``, duplicates looked up across the whole archive."""
    return [SampledChild(facts.id_number, facts.name, facts.village, state.colour,
                         list(state.categories), list(state.problems))
            for facts, state in sampled_pairs(id_numbers, on)]


def run_spotcheck(writer, share: float | str = DEFAULT_SHARE, per_village: bool = False,
                  seed: str | int | None = None, on: date | None = None, inspector: str = "",
                  notes: str = "", count: int | None = None,
                  county_draw: str = "") -> SpotCheckRun:
    """Draw the sample, compute its findings and record the check through ``writer``.

    ``count``: that many files instead of a share (the record keeps the share it came to).
    ``county_draw``: the county draw this check is part of (``models.server.county_spotcheck``).
    """
    share = parse_share(share)
    on = on or date.today()
    seed = str(seed).strip() if seed is not None and str(seed).strip() else new_seed()
    population = _population()
    if not population:
        raise SpotCheckError("档案库中没有在档儿童，无法抽查。")
    sample = draw_sample(population, share, seed, per_village, count)
    if count is not None:
        share = len(sample) / len(population)
    children = findings_for(sample, on)
    findings = {c.id_number: [p.to_json() for p in c.problems] for c in children}
    from models.audit import chain_head

    # The audit chain head goes on the printed record: kept on paper, it later shows whether
    # the trail up to this check was removed or rewritten (``tongdang verify --anchor``).
    record = writer.create(
        SpotCheck, on=on, inspector=inspector.strip(), share=share, per_village=per_village,
        seed=seed, sample=json.dumps(sample, ensure_ascii=False),
        findings=json.dumps(findings, ensure_ascii=False), notes=notes,
        chain_head=chain_head().code, county_draw=county_draw,
    )
    return SpotCheckRun(record, on, seed, share, per_village, len(population), children)


def finding_kind(code: str) -> str:
    """The summary label of a finding code; exact codes win over prefixes ("missing_")."""
    for prefixes, label in FINDING_KINDS:
        if code in prefixes:
            return label
    for prefixes, label in FINDING_KINDS:
        if any(p.endswith("_") and code.startswith(p) for p in prefixes):
            return label
    return OTHER_KIND


def summary(children: list[SampledChild]) -> list[tuple[str, int]]:
    """(kind of finding, number of sampled files with it), in a fixed order, zeros left out."""
    counts: dict[str, int] = defaultdict(int)
    for child in children:
        for kind in {finding_kind(p.code) for p in child.problems}:
            counts[kind] += 1
    order = [label for _, label in FINDING_KINDS] + [OTHER_KIND]
    return [(label, counts[label]) for label in order if counts[label]]



# --- the packet (抽查材料) -----------------------------------------------------------------

def build_packet(run: SpotCheckRun, compiler: str = "") -> SpotCheckPacket:
    """The packet of a drawn sample; each child's file is built only when it is written."""
    from models.dossier import build_dossier

    township = Township.get()

    def loader(number):
        return lambda: build_dossier(number, on=run.on, compiler=compiler)

    children = [PacketChild(c.id_number, c.name, c.village, risk_level(c.colour), c.messages,
                            loader(c.id_number)) for c in run.children]
    return SpotCheckPacket(
        township=township.name, county=township.county, on=run.on, seed=run.seed,
        share=run.share, per_village=run.per_village, population=run.population,
        children=children, summary=summary(run.children), inspector=run.record.inspector,
        record_no=f"抽查-{run.on:%Y%m%d}-{run.record.id:03d}", demo=bool(township.is_demo),
        chain_head=getattr(run.record, "chain_head", "") or "",
    )


# --- the archive API ---------------------------------------------------------------------

@dataclass(frozen=True)
class PastCheck:
    """One recorded spot-check, as its history lists it."""

    id: int
    on: date
    inspector: str
    share: float
    per_village: bool
    seed: str
    sample: list[str]  # ID numbers, in the drawn order
    findings: dict[str, list[dict]]  # ID number → its findings (JSON of ``Problem``)
    notes: str
    county_draw: str = ""  # JSON of the county draw it was part of; "" = the township's own

    @property
    def with_problems(self) -> int:
        return sum(1 for number in self.sample if self.findings.get(number))

    @property
    def by_county(self) -> bool:
        return bool(self.county_draw)


def _json(text: str, default):
    try:
        return json.loads(text or "")
    except ValueError:
        return default


def _past(record: SpotCheck) -> PastCheck:
    return PastCheck(record.id, record.on, record.inspector, record.share, record.per_village,
                     record.seed, _json(record.sample, []), _json(record.findings, {}),
                     record.notes, record.county_draw)


class SpotChecks:
    """``archive.spotchecks``: draw and record a check, its packet, and the past checks."""

    def __init__(self, archive):
        self.archive = archive

    def population(self) -> list[tuple[str, str]]:
        """(ID number, village name) of every open child: what a sample is drawn from."""
        return _population()

    def default_share(self) -> float:
        return default_share()

    def new_seed(self) -> str:
        return new_seed()

    def sample_size(self, count: int, share: float) -> int:
        return sample_size(count, share)

    def summary(self, children: list[SampledChild]) -> list[tuple[str, int]]:
        return summary(children)

    def run(self, share: float | str = DEFAULT_SHARE, per_village: bool = False,
            seed: str | int | None = None, on: date | None = None, inspector: str = "",
            notes: str = "") -> SpotCheckRun:
        """Draw the sample and record the check as the archive's logged-in user."""
        return run_spotcheck(self.archive.writer(), share, per_village, seed, on, inspector, notes)

    def packet(self, run: SpotCheckRun, compiler: str = "") -> SpotCheckPacket:
        return build_packet(run, compiler)

    def history(self) -> list[PastCheck]:
        """Every recorded check, the newest first."""
        query = SpotCheck.select().order_by(SpotCheck.on.desc(), SpotCheck.id.desc())
        return [_past(record) for record in query]

    def get(self, check_id: int) -> PastCheck | None:
        record = SpotCheck.get_or_none(SpotCheck.id == check_id)
        return _past(record) if record is not None else None

    def receive(self, path) -> PastCheck:
        """Record the county's check of this township from its file in the county's packet
        (``models.county_check_record``); ``SpotCheckError`` (Chinese) when refused."""
        from pathlib import Path

        from models.county_check_record import receive

        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SpotCheckError(f"无法读取县级抽查记录文件：{path}（{exc.__class__.__name__}）") from None
        return _past(receive(self.archive.writer(), text))
