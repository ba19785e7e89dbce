"""Facts → state for a date, in one place: load the children's facts, apply the archive's
profile and local practice, and run the rules (``models.rules.child_state``).

Every view goes through here: the child's file and the filled forms (``state_of``),
``tongdang check`` (``OpenChildren``), the dashboard for another day and the cached columns
(``pairs``), the county tables (``entered_pairs``) and a spot-check's findings
(``sampled_pairs``).
The facts carry each child's contact summary (``models.summaries``) rather than every contact;
``history=True`` reads every contact instead, with the same results (tests/models/test_summaries.py).
Reached as ``archive.states`` (``States``) or through the module functions.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from models.facts import ChildFacts
from models.rules import DuplicateIndex, child_state, child_states
from models.rules.state import ChildState

Pair = tuple[ChildFacts, ChildState]


def _profile(profile=None):
    if profile is not None:
        return profile
    from models.local_practice import archive_profile

    return archive_profile()


def pairs(on: date, child_ids: Iterable[int] | None = None, *, include_closed: bool = True,
          duplicates: bool = False, profile=None, history: bool = False) -> list[Pair]:
    """(facts, state) on ``on`` for the given children (every child when None), in id order.
    ``duplicates``: look up possible duplicates among the children loaded (spot-check findings)."""
    from models.snapshot import load_facts

    facts = load_facts(child_ids, include_closed=include_closed, history=history)
    index = DuplicateIndex.build(facts) if duplicates else None
    return list(zip(facts, child_states(facts, on, _profile(profile), index), strict=True))


def state_of(child_id: int, on: date, profile=None) -> ChildState | None:
    """One child's state on ``on`` (None: no such child)."""
    from models.snapshot import load_facts

    facts = load_facts([child_id])
    return child_state(facts[0], on, _profile(profile), None) if facts else None


def entered_pairs(on: date, facts: list[ChildFacts] | None = None, profile=None) -> list[Pair]:
    """(facts, state) on ``on`` of every child already in the archive that day (what the
    county tables count); ``facts``: those already loaded (every child's by default)."""
    from models.snapshot import load_facts

    facts = load_facts() if facts is None else facts
    entered = [child for child in facts if child.entered_on is None or child.entered_on <= on]
    return list(zip(entered, child_states(entered, on, _profile(profile)), strict=True))


def sampled_pairs(id_numbers: list[str], on: date, profile=None) -> list[Pair]:
    """(facts, state) on ``on`` of the children with these ID numbers, in that order, possible
    duplicates looked up among every child of the archive (a spot-check's findings)."""
    from models.snapshot import load_facts, load_identities

    ids, identities = load_identities(include_closed=True)
    index = DuplicateIndex.build(identities)
    id_of = {who.id_number: child_id for child_id, who in zip(ids, identities, strict=True)}
    facts = {f.id_number: f for f in load_facts([id_of[n] for n in id_numbers])}
    profile = _profile(profile)
    return [(facts[n], child_state(facts[n], on, profile, index)) for n in id_numbers]


CHUNK = 1000  # children whose facts are in memory at once while iterating OpenChildren


class OpenChildren:
    """(facts, state) of every open child on a day, in id order, worked out a chunk of
    children at a time as it is iterated: a whole archive's facts are never all in memory
    (``tongdang check`` on 50,000 children). Possible duplicates are looked up among every
    open child (their identities are read first). Iterate it once, or make a list of it."""

    def __init__(self, on: date, history: bool = False, profile=None):
        from models.snapshot import load_identities

        self.on, self.history, self.profile = on, history, _profile(profile)
        self.ids, identities = load_identities(include_closed=False)
        self.duplicates = DuplicateIndex.build(identities)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        from models.snapshot import load_facts

        for start in range(0, len(self.ids), CHUNK):
            facts = load_facts(self.ids[start:start + CHUNK], include_closed=False,
                               history=self.history)
            yield from zip(facts, child_states(facts, self.on, self.profile, self.duplicates),
                           strict=True)


def open_children_on(on: date, history: bool = False) -> tuple[str, OpenChildren]:
    """(profile code, pairs) for every open child, duplicates looked up among them
    (what ``tongdang check`` prints; the pairs are worked out as they are iterated)."""
    from models.schema import Township

    code = Township.get().profile
    return code, OpenChildren(on, history)


@dataclass
class States:
    """``archive.states``: the facet of the archive API for children's states."""

    archive: object

    def of_child(self, child_id: int, on: date) -> ChildState | None:
        return state_of(child_id, on)

    def open_children_on(self, on: date) -> tuple[str, list[Pair]]:
        return open_children_on(on)

    def pairs(self, on: date, child_ids: Iterable[int] | None = None, **options) -> list[Pair]:
        return pairs(on, child_ids, **options)

    def rebuild_summaries(self) -> int:
        """Every child's contact summary again from the contacts (``tongdang summaries``)."""
        from models import summaries

        return summaries.rebuild()

    def stale_summaries(self) -> list[int]:
        from models import summaries

        return summaries.stale_children()

    # -- the cached state columns on each child (models/derived.py) ---------------------
    def keep_current(self) -> None:
        """After every write through the archive's writer, the children's cached states."""
        from models.derived import attach

        attach(self.archive)

    def refresh_all(self, on: date | None = None) -> int:
        """Every child's cached state again (after a change of plan or local practice)."""
        from models.derived import refresh_all

        return refresh_all(on)

    def stale(self, on: date | None = None) -> bool:
        """Whether some child's cached state is not of ``on`` (today by default)."""
        from models.derived import stale

        return stale(on)

    def collector_paused(self):
        """``with``: no garbage collection while tens of thousands of states are built."""
        from models.bulk import collector_paused

        return collector_paused()
