"""Children picked from a demo archive to show a full file: for the screenshots of the
documentation and the screen-fit check (desktop.screenshots, desktop.fitcheck)."""

from __future__ import annotations

from dataclasses import dataclass

from models.schema import Child, Contact


@dataclass(frozen=True)
class ShownChild:
    id: int
    pinyin: str  # what to type in 走访录入 to find the child


def _shown(child: Child | None) -> ShownChild | None:
    return ShownChild(child.id, child.pinyin) if child is not None else None


def _contacts(child_id: int) -> int:
    return Contact.select().where(Contact.child == child_id).count()


def child_with_contacts(at_least: int) -> ShownChild | None:
    """The first open child with ``at_least`` contacts (else the first child): tabs with rows."""
    child = next((c for c in Child.select().where(Child.closed_on.is_null())
                  if _contacts(c.id) >= at_least), Child.select().first())
    return _shown(child)


def interesting_child() -> ShownChild | None:
    """A child with categories, completeness problems and a few records: a full header."""
    query = (Child.select().where(Child.closed_on.is_null() & (Child.colour == "yellow")
                                  & (Child.categories.contains("留守")))
             .order_by(Child.id))
    for child in query:
        if _contacts(child.id) >= 4:
            return _shown(child)
    return _shown(Child.select().where(Child.closed_on.is_null()).first())


class Showcase:
    """``archive.showcase``: children to show a full file (screenshots, screen-fit check)."""

    def __init__(self, archive):
        self.archive = archive

    def child_with_contacts(self, at_least: int) -> ShownChild | None:
        return child_with_contacts(at_least)

    def interesting_child(self) -> ShownChild | None:
        return interesting_child()
