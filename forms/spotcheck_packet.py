"""What the spot-check packet (抽查材料) holds: a plain snapshot that ``models.spotcheck``
builds from a drawn sample and ``exports.spotcheck`` writes into a folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from forms.dossier import Dossier


@dataclass
class PacketChild:
    id_number: str
    name: str
    village: str
    risk: str  # printed risk level, e.g. "蓝色 中低风险"
    findings: list[str]  # Chinese messages
    # The child's file, or a function that builds it (so 2,000 files need not sit in memory).
    dossier: Dossier | Callable[[], Dossier]

    def load_dossier(self) -> Dossier:
        return self.dossier() if callable(self.dossier) else self.dossier


@dataclass
class SpotCheckPacket:
    township: str
    county: str
    on: date
    seed: str
    share: float
    per_village: bool
    population: int
    children: list[PacketChild]
    summary: list[tuple[str, int]] = field(default_factory=list)  # (kind of finding, files)
    inspector: str = ""
    record_no: str = ""
    demo: bool = False
    chain_head: str = ""  # the archive's audit chain head when the check was recorded
    # How to draw it again, when not by this seed and share (the county's check by count).
    method_note: str = ""
    # The county's check as the file a township on its own archive receives (JSON; the
    # county's packets only, ``models.county_check_record``), and that file's name.
    county_record: str = ""
    county_record_name: str = ""
