"""Possible duplicate children: same name or same pinyin, same birth date and village."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from models.facts import ChildFacts
from models.pinyin import name_pinyin


def child_pinyin(child: ChildFacts) -> str:
    if child.pinyin:
        return child.pinyin.lower().replace(" ", "")
    return name_pinyin(child.name.strip())[0]  # only when the snapshot did not carry it


@dataclass(frozen=True)
class Match:
    id_number: str
    name: str
    same: str  # "同名" or "同音"


@dataclass
class DuplicateIndex:
    _by_key: dict = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, children: Iterable[ChildFacts]) -> "DuplicateIndex":
        index = cls()
        for child in children:
            index.add(child)
        return index

    @staticmethod
    def _keys(child: ChildFacts):
        name = child.name.strip()
        base = (child.birth_date, child.village.strip())
        keys = [("name", name, *base)] if name else []
        spelled = child_pinyin(child) if name else ""
        if spelled:
            keys.append(("pinyin", spelled, *base))
        return keys

    def add(self, child: ChildFacts) -> None:
        """``child``: its facts, or anything with their id_number, name, birth_date, village
        and pinyin (``models.snapshot.load_identities``)."""
        for key in self._keys(child):
            self._by_key[key].append(child)

    def matches(self, child: ChildFacts) -> list[Match]:
        """Other children that may be the same child (the child itself is left out once,
        found by its ID number: the index may hold only the children's identities)."""
        found: dict[int, Match] = {}
        for key in self._keys(child):
            others = list(self._by_key.get(key, ()))
            for i, other in enumerate(others):
                if other is child or other.id_number == child.id_number:
                    del others[i]
                    break
            for other in others:
                if id(other) not in found:
                    same = "同名" if key[0] == "name" else "同音"
                    found[id(other)] = Match(other.id_number, other.name, same)
        return list(found.values())
