"""Each child's contact summary (``models.contact_summary``) kept on the child's row.

``models.writer`` calls ``refresh`` inside the transaction of every write of a contact (one
record, a deleted one, a ledger import, demo data); migration v9 and ``tongdang summaries``
call ``rebuild``. The whole-archive views read the summaries (``models.snapshot``), never the
contacts; ``load_facts(history=True)`` reads the contacts, for one child's file and the tests
that prove both give the same answers.
"""

from collections.abc import Iterable
from datetime import date
from itertools import groupby
from operator import itemgetter

from models.contact_summary import EMPTY, ContactSummary
from models.schema import Child, Contact, database
from models.snapshot import among

_CHUNK = 900  # stay under SQLite's bound-parameter limit
_BATCH = 2000
_FIRST = itemgetter(0)


def _day(value):
    return value if isinstance(value, date) else date.fromisoformat(value[:10])


def _contact_rows(chunk: list[int] | None):
    """(child id, day, kind, answer) in child, date and entry order (the covering index)."""
    fields = (Contact.child, Contact.on, Contact.kind, Contact.parents_contacted_past_week)
    query = Contact.select(*fields).order_by(Contact.child, Contact.on, Contact.id)
    if chunk is not None:
        query = query.where(among(Contact.child, chunk))
    for child_id, on, kind, answer in database.execute(query):
        yield child_id, _day(on), kind, None if answer is None else bool(answer)


def summaries(child_ids: list[int] | None) -> dict[int, ContactSummary]:
    """child id -> summary from the contacts (children without contacts are left out)."""
    chunks = [None] if child_ids is None else [
        child_ids[i:i + _CHUNK] for i in range(0, len(child_ids), _CHUNK)]
    out = {}
    for chunk in chunks:
        for child_id, rows in groupby(_contact_rows(chunk), key=_FIRST):
            out[child_id] = ContactSummary.of(row[1:] for row in rows)
    return out


def refresh(child_ids: Iterable[int]) -> int:
    """Recompute and store the summaries of these children (call inside the write's transaction)."""
    ids = sorted({i for i in child_ids if i is not None})
    if not ids:
        return 0
    found = summaries(ids)
    _store([(*found[i].stored(), i) if i in found else (EMPTY, EMPTY, i) for i in ids])
    return len(ids)


def rebuild() -> int:
    """Every child's summary from the contacts, in one transaction (``tongdang summaries``)."""
    with database.atomic():
        found = summaries(None)
        ids = [i for (i,) in database.execute(Child.select(Child.id).order_by(Child.id))]
        _store([(*found[i].stored(), i) if i in found else (EMPTY, EMPTY, i) for i in ids])
    return len(ids)


def stale_children() -> list[int]:
    """Children whose stored summary differs from their contacts (should be none)."""
    found = summaries(None)
    query = Child.select(Child.id, Child.contact_days, Child.visit_days).order_by(Child.id)
    return [i for i, days, visits in database.execute(query)
            if ContactSummary.from_stored(days, visits) != found.get(i, ContactSummary.of(()))]


def _store(rows: list[tuple]) -> None:
    db = Child._meta.database
    p = db.param
    sql = f'UPDATE "child" SET "contact_days" = {p}, "visit_days" = {p} WHERE "id" = {p}'
    with database.atomic():
        for start in range(0, len(rows), _BATCH):
            db.cursor().executemany(sql, rows[start:start + _BATCH])
