"""Rule results cached on each child row (colour, categories, due dates, urgency).

Lists and filters over tens of thousands of children read these columns in SQL. They are
refreshed for the children a write touches, and for everyone when the day has changed.
"""

from collections.abc import Iterable
from datetime import date

from forms import vocab
from models.profiles import get_profile
from models.rules import child_state
from models.schema import Child, Township, database
from models.snapshot import load_facts

_BATCH = 2000


def refresh(child_ids: Iterable[int] | None, on: date | None = None) -> int:
    """Recompute and store the cached state; ``None`` means every child."""
    on = on or date.today()
    profile = get_profile(Township.get().profile)
    ids = None if child_ids is None else sorted(set(child_ids))
    facts = load_facts(ids)
    updates = []
    for child in facts:
        state = child_state(child, on, profile, None)
        updates.append((state.colour, vocab.join_multi(state.categories), state.next_contact_due,
                        state.next_home_visit_due, state.urgent, on, child.extra["child_id"]))
    with database.atomic():
        for start in range(0, len(updates), _BATCH):
            for row in updates[start:start + _BATCH]:
                (Child.update(colour=row[0], categories=row[1], next_contact_due=row[2],
                              next_home_visit_due=row[3], urgent=row[4], state_on=row[5])
                 .where(Child.id == row[6]).execute())
    return len(updates)


def refresh_all(on: date | None = None) -> int:
    return refresh(None, on)


def stale(on: date | None = None) -> bool:
    on = on or date.today()
    return Child.select().where(Child.state_on.is_null() | (Child.state_on != on)).exists()


def attach(archive) -> None:
    """Keep the cache current after every write through the archive's writer."""
    archive.on_children_changed = lambda ids: refresh(ids)
