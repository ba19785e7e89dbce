"""The county database on PostgreSQL (issue 16): every township in one server, each login
kept inside its township by the database's row-level security. See docs/architecture.md."""
