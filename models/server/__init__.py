"""The county database on PostgreSQL (issue 16): every township in one server, each login
kept inside its township by the database's row-level security. See docs/architecture.md."""


def is_server(db) -> bool:
    """Is ``db`` (or the database a proxy points at) the county database?"""
    import peewee as pw

    return isinstance(getattr(db, "obj", db), pw.PostgresqlDatabase)
