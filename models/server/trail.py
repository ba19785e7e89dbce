"""The audit trail on the server: one hash chain per township (issue 16, item 5).

Each township's entries form their own chain, since a login sees only its township's entries
(row-level security). The database adds what a file cannot: township logins may only add
entries (no UPDATE or DELETE on ``audit_entry``), and every entry records from which PC it came
(``from_pc``: the client's address and the program's name with the PC's name), outside the hash.
"""

CHAIN_LOCK = 7413  # the first key of the advisory lock; the second is the township


def last_hash(db) -> str | None:
    """The hash of the township's last entry (None: no entry yet). Clerks of one township
    write at once: the head is read under a lock held until the transaction ends, so that two
    entries never follow the same one. The township is named, not left to the policies: the
    owner, setting up a township, is not subject to them."""
    db.execute_sql("SELECT pg_advisory_xact_lock(%s, coalesce(tongdang_township(), 0))",
                   (CHAIN_LOCK,))
    row = db.execute_sql("SELECT hash FROM audit_entry WHERE township_id = tongdang_township() "
                         "ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def add_from_pc(db) -> None:
    db.execute_sql(
        "ALTER TABLE audit_entry ADD COLUMN from_pc text NOT NULL DEFAULT "
        "coalesce(host(inet_client_addr()), '本机') || ' ' || current_setting('application_name')")
