"""Ids for a bulk insert on the server: a run of consecutive ids taken from the table's sequence.

A bulk creation is one audit entry naming ``record_id..last_record_id``, so its ids must be
consecutive. On SQLite the writer holds the only write lock; on the server other clerks insert
at the same time, so the ids are drawn from the sequence (the database's own counter) and used
only when they came out consecutive — nearly always; otherwise they are left as a gap and drawn
again, and after a few tries the table is locked for the rest of the transaction.
"""

TRIES = 5


def reserve_ids(model, count: int) -> int:
    """The first of ``count`` consecutive new ids of ``model``'s table."""
    db = model._meta.database
    table = model._meta.table_name
    draw = ("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)")
    for attempt in range(TRIES + 1):
        if attempt == TRIES:
            db.execute_sql(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
        ids = sorted(i for (i,) in db.execute_sql(draw, (table, count)).fetchall())
        if ids == list(range(ids[0], ids[0] + count)):
            return ids[0]
    raise RuntimeError("no consecutive ids although the table is locked")  # cannot happen

