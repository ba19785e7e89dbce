"""The county's spot-check across townships (抽查, issue 17 item 3; DOMAIN §7).

One draw covers every township of the county database, or the ones chosen:

- **Size.** A share of each township's open files, or a count per township; inside a township
  the sample is always stratified by village (``models.spotcheck.draw_sample``: a share of
  each village, or the count shared out in proportion to the villages' children).
- **Seeds.** The draw has one county seed ``S``; township ``T``'s sample is drawn with the seed
  ``S/T`` (the seed, a slash, the township's name). Drawing again with ``S`` gives every
  township the same sample; and a township's own draw with the seed ``S/T``, by village and
  with the same share, gives it too (``tongdang spotcheck --seed S/T --per-village``).
- **Recorded** in each checked township as its own ``SpotCheck`` row, written by the county
  login through the writer while working in that township: the township's audit chain holds
  it, its inspector is the county login, and the township's own 抽查 page lists it.
  ``SpotCheck.county_draw`` (schema v11) holds the draw as JSON (seed, share or count,
  townships, day, who): the same text in every row of one draw, which ties them together; the
  county's history groups the rows by it. Every township's row is written in one
  transaction: all of the draw is recorded, or none.
- **Who.** Only a 县级管理员 records a county check; a 县级查阅 has no write grants and is refused
  (in Chinese) before anything is drawn. A township with no open files is left out and named.
- A township reporting by 上报包 keeps the checks: ``models.server.package_import`` replaces its
  mirror but not the rows with a ``county_draw``.

The dossiers and the 抽查记录表 are written per township (``each_packet``) while the county
login works in that township, so every packet is that township's own.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from forms.spotcheck_packet import SpotCheckPacket
from forms.spotcheck_share import SpotCheckError, parse_share
from models import county_check_record
from models.server import logins
from models.server.roles import COUNTY_ADMIN
from models.spotcheck import SpotCheckRun, build_packet, new_seed, run_spotcheck

# Rows in a township that are the county's, not the township's own (SQL condition per table):
# a 上报包 replaces a township's mirror but keeps them (``models.server.package_import``).
COUNTY_ROWS = {"spot_check": "county_draw <> ''"}


def township_rows_where(table: str, ids: tuple[int, int] | None = None) -> str:
    """The SQL condition (after ``township_id = %s``) for a township's own rows of ``table``;
    with ``ids`` (first, last), the rows an import just wrote count as its own, whatever they
    are (a township file written by ``server backup`` holds the county's checks of it)."""
    condition = COUNTY_ROWS.get(table)
    if not condition:
        return ""
    if ids is not None:
        return f' AND (NOT ({condition}) OR "id" BETWEEN {int(ids[0])} AND {int(ids[1])})'
    return f" AND NOT ({condition})"


@dataclass(frozen=True)
class CountyDraw:
    """What a county draw was: enough to draw it again."""

    seed: str
    on: date
    by: str
    townships: tuple[str, ...]
    share: float | None = None  # a share of each township's files …
    count: int | None = None  # … or this many files of each township
    id: str = ""  # tells two draws apart that are alike in all else (a redraw the same day)

    def township_seed(self, township: str) -> str:
        return township_seed(self.seed, township)

    def text(self) -> str:
        """The JSON kept in ``SpotCheck.county_draw`` (keys sorted: one draw, one text)."""
        return json.dumps({"seed": self.seed, "on": self.on.isoformat(), "by": self.by,
                           "townships": list(self.townships), "share": self.share,
                           "count": self.count, "id": self.id}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_text(cls, text: str) -> CountyDraw | None:
        try:
            d = json.loads(text)
            return cls(str(d["seed"]), date.fromisoformat(d["on"]), d.get("by", ""),
                       tuple(d.get("townships", ())), d.get("share"), d.get("count"),
                       d.get("id", ""))
        except (ValueError, KeyError, TypeError):
            return None

    @property
    def size_text(self) -> str:
        if self.count is not None:
            return f"每个乡镇{self.count}份"
        return f"每个乡镇{(self.share or 0) * 100:.0f}%"


def township_seed(seed: str, township: str) -> str:
    """The seed of township ``township``'s sample in the county draw with ``seed``."""
    return f"{seed}/{township}"


@dataclass
class TownshipCheck:
    township: str
    township_id: int
    run: SpotCheckRun


@dataclass
class CountyCheck:
    draw: CountyDraw
    checks: list[TownshipCheck]
    skipped: list[str] = field(default_factory=list)  # townships without open files

    @property
    def files(self) -> int:
        return sum(len(c.run.children) for c in self.checks)

    @property
    def with_problems(self) -> int:
        return sum(c.run.with_problems for c in self.checks)


@dataclass(frozen=True)
class PastCountyCheck:
    """One county draw as its rows in the townships show it."""

    draw: CountyDraw
    rows: tuple[tuple[str, int, int, int], ...]  # (township, check id, files, with problems)

    @property
    def files(self) -> int:
        return sum(r[2] for r in self.rows)

    @property
    def with_problems(self) -> int:
        return sum(r[3] for r in self.rows)


def parse_count(text) -> int:
    """``--count N``: a whole number of files per township (Chinese message otherwise)."""
    try:
        value = int(str(text).strip().removesuffix("份"))
    except ValueError:
        raise SpotCheckError(f"抽查份数“{text}”应为整数，如“5”。") from None
    if value < 1:
        raise SpotCheckError("每个乡镇至少抽查1份档案。")
    return value


class CountySpotChecks:
    """``archive.county_spotchecks`` of a county login on the server (with a township chosen
    or none): draw and record a county check, its packets per township, the past draws."""

    def __init__(self, archive):
        self.archive = archive

    @property
    def db(self):
        return self.archive.db

    def may_record(self) -> bool:
        return getattr(self.archive, "county_role", "") == COUNTY_ADMIN

    def townships(self) -> list[tuple[int, str]]:
        """Every township of the county, in the order they were added."""
        with self._township_choice():
            return self._townships()

    def open_files(self) -> dict[str, int]:
        """Open files per township (what the samples are drawn from)."""
        with self._township_choice():
            return self._open_files()

    def _townships(self) -> list[tuple[int, str]]:
        return [(i, n) for i, n in self.db.execute_sql(
            "SELECT id, name FROM township ORDER BY id").fetchall()]

    def _open_files(self) -> dict[str, int]:
        rows = self.db.execute_sql(
            "SELECT t.name, count(c.id) FROM township t LEFT JOIN child c "
            "ON c.township_id = t.id AND c.closed_on IS NULL GROUP BY t.id, t.name ORDER BY t.id")
        return dict(rows.fetchall())

    def new_seed(self) -> str:
        return new_seed()

    def run(self, share: float | str | None = None, count: int | None = None,
            townships: list[str] | None = None, seed: str | int | None = None,
            on: date | None = None) -> CountyCheck:
        """Draw every chosen township's sample and record it there, in one transaction.
        ``SpotCheckError`` (Chinese) when the login, the size or a township name is wrong."""
        self._check_may_record()
        if (share is None) == (count is None):
            raise SpotCheckError("请指定抽查比例（如 10%）或每个乡镇的抽查份数，二者选一。")
        share = parse_share(share) if share is not None else None
        count = parse_count(count) if count is not None else None
        seed = str(seed).strip() if seed is not None and str(seed).strip() else new_seed()
        if "/" in seed:
            raise SpotCheckError("全县抽查的随机种子不能含“/”（各乡镇的种子是“种子/乡镇名”）。")
        checks, skipped = [], []
        with self.db.atomic(), self._township_choice() as choose:
            chosen = self._chosen(townships)
            draw = CountyDraw(seed, on or date.today(), self.archive.username,
                              tuple(name for _, name in chosen), share, count, secrets.token_hex(6))
            files = self._open_files()
            for township_id, name in chosen:
                if not files.get(name):
                    skipped.append(name)
                    continue
                choose(township_id)
                run = run_spotcheck(self.archive.writer(), share or 1.0, per_village=True,
                                    seed=draw.township_seed(name), on=draw.on,
                                    inspector=draw.by,
                                    notes=f"县级抽查（全县种子 {seed}，{draw.size_text}）",
                                    count=count, county_draw=draw.text())
                checks.append(TownshipCheck(name, township_id, run))
        if not checks:
            raise SpotCheckError("所选乡镇都没有在档儿童，无法抽查，未作任何记录。")
        return CountyCheck(draw, checks, skipped)

    def each_packet(self, check: CountyCheck, write, compiler: str = "") -> None:
        """``write(township, packet)`` for every township of ``check``, called while the
        login works in that township (the packet's dossiers are built as they are written)."""
        with self._township_choice() as choose:
            for township in check.checks:
                choose(township.township_id)
                write(township.township, self.packet(township.run, compiler))

    def packet(self, run: SpotCheckRun, compiler: str = "") -> SpotCheckPacket:
        """The township's packet; its record says how the county draw is drawn again."""
        packet = build_packet(run, compiler)
        draw = CountyDraw.from_text(run.record.county_draw)
        if draw is not None:
            packet.method_note = (
                f"县级抽查，全县随机种子 {draw.seed}、{draw.size_text}（各乡镇按村分层，本乡镇种子为"
                f"“{run.seed}”）：用相同的全县随机种子和{'份数' if draw.count else '比例'}，"
                "可对同一档案库重新抽出同一批档案。")
            packet.county_record = county_check_record.record_text(
                run.record, packet.township, packet.county)
            packet.county_record_name = county_check_record.FILE_NAME
        return packet

    def history(self) -> list[PastCountyCheck]:
        """Every county draw recorded in the townships, the newest first."""
        with self._township_choice():
            return self._history()

    def _history(self) -> list[PastCountyCheck]:
        rows = self.db.execute_sql(
            "SELECT s.county_draw, t.name, s.id, s.sample, s.findings FROM spot_check s "
            "JOIN township t ON t.id = s.township_id WHERE s.county_draw <> '' "
            "ORDER BY t.id, s.id").fetchall()
        grouped: dict[str, list] = defaultdict(list)
        for text, name, check_id, sample, findings in rows:
            numbers, found = _json(sample, []), _json(findings, {})
            grouped[text].append((name, check_id, len(numbers),
                                  sum(1 for n in numbers if found.get(n))))
        past = [PastCountyCheck(draw, tuple(rows)) for text, rows in grouped.items()
                if (draw := CountyDraw.from_text(text)) is not None]
        return sorted(past, key=lambda p: (p.draw.on, min(r[1] for r in p.rows)), reverse=True)

    # -- helpers -------------------------------------------------------------------------
    def _check_may_record(self) -> None:
        role = getattr(self.archive, "county_role", "")
        if not role:
            raise SpotCheckError("全县抽查需要县级用户（县级管理员）登录县级数据库。")
        if role != COUNTY_ADMIN:
            raise SpotCheckError(f"“{role}”用户只能查看抽查记录，不能记录全县抽查"
                                 "（抽查结果要记入各乡镇的档案库，需要县级管理员）。")

    def _chosen(self, names: list[str] | None) -> list[tuple[int, str]]:
        every = self._townships()
        if not every:
            raise SpotCheckError("县级数据库中还没有乡镇。")
        if not names:
            return every
        by_name = {n: i for i, n in every}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise SpotCheckError(f"县级数据库中没有乡镇“{'、'.join(unknown)}”"
                                 f"（现有：{'、'.join(n for _, n in every)}）。")
        wanted = set(names)
        return [(i, n) for i, n in every if n in wanted]

    def _township_choice(self):
        """The whole county (every township visible), then one township after another with
        the function it yields; the login's own choice (the window's township, or none)
        comes back afterwards."""
        from contextlib import contextmanager

        @contextmanager
        def choice():
            before = getattr(getattr(self.db, "obj", self.db), "township_choice", "") or None
            logins.choose_township(self.db, None)
            try:
                yield lambda township_id: logins.choose_township(self.db, township_id)
            finally:
                logins.choose_township(self.db, int(before) if before else None)

        return choice()


def _json(text: str, default):
    try:
        return json.loads(text or "")
    except ValueError:
        return default
