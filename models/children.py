"""``archive.children``: finding children and villages, for lists and for other facets.

The lists' filtering and sorting are ``models.child_query`` (SQL with bound parameters); this
facet is what desktop/ and the command line call, and it hands back plain values.
"""

from __future__ import annotations

from models import child_query
from models.child_query import ChildQuery, ChildRow
from models.schema import Child, Village


class Children:
    def __init__(self, archive):
        self.archive = archive

    # -- lists -------------------------------------------------------------------------
    def ids(self, query: ChildQuery) -> list[int]:
        """The ids ``query`` finds, in its order."""
        return query.ids()

    def rows(self, ids: list[int]) -> list[ChildRow]:
        """The list lines for ``ids``, in the same order (missing ids are left out)."""
        return child_query.rows(ids)

    def of_director(self, director_id: int) -> tuple[int, ...]:
        """The ids of the children a 儿童主任 is responsible for (open or closed)."""
        query = Child.select(Child.id).where(Child.director == director_id)
        return tuple(i for (i,) in query.tuples())

    # -- one child ---------------------------------------------------------------------
    def id_of(self, id_number: str) -> int | None:
        """The child with this ID number as stored, or None."""
        child = Child.get_or_none(Child.id_number == id_number)
        return child.id if child is not None else None

    def names_and_villages(self, id_numbers: list[str]) -> dict[str, tuple[str, str]]:
        """ID number → (name, village name) of the children still in the archive."""
        villages = self.village_ids()
        query = (Child.select(Child.id_number, Child.name, Child.village)
                 .where(Child.id_number.in_(list(id_numbers))))
        return {number: (name, villages.get(village, "")) for number, name, village in
                query.tuples()}

    # -- villages ----------------------------------------------------------------------
    def village_names(self) -> list[str]:
        return child_query.village_names()

    def villages(self) -> list[tuple[int, str]]:
        """(id, name) of every village (社区), by name."""
        return list(Village.select(Village.id, Village.name).order_by(Village.name).tuples())

    def village_ids(self) -> dict[int, str]:
        return dict(Village.select(Village.id, Village.name).tuples())
