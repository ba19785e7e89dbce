"""The county database: the archive's tables once for every township, the township boundary
enforced by PostgreSQL itself.

- Every table has ``township_id`` (filled by the database from who is logged in).
- Every app user is a PostgreSQL login role, recorded in ``tongdang_login`` with its township or
  its county role (县级管理员 / 县级查阅). Group roles give the table privileges.
- Row-level-security policies on every table let a login see and write only its township's
  rows; the county roles see every township (a county login that chose a township with
  ``tongdang.township`` sees only that one, so the one-township app works unchanged for it).
- Every row carries ``row_version`` and who changed it last (``models.server.conflicts``).
- Foreign keys also carry the township (``(township_id, child_id)`` → ``child (township_id,
  id)``), so a record cannot point at another township's child, and unique values (ID numbers,
  village names) are unique within a township.

``create_county`` is run once by the database owner (the county's IT office). The owner keeps
the tables and bypasses the policies; nobody works as the owner day to day.
"""

import peewee as pw

from models.schema import ALL_MODELS, SCHEMA_VERSION, AuditEntry, Township, User
from models.server import conflicts, trail
from models.server.roles import COUNTY_ADMIN, COUNTY_READER, GROUPS, group_for

# Unique values that stay unique across the county (a username is a database login).
COUNTY_UNIQUE = {(User._meta.table_name, ("username",))}

FUNCTIONS = """
CREATE TABLE tongdang_schema (version integer NOT NULL);
CREATE TABLE tongdang_login (
    role_name text PRIMARY KEY,
    township_id integer REFERENCES township (id),
    county_role text NOT NULL DEFAULT '',
    CHECK ((county_role = '') <> (township_id IS NULL))
);
REVOKE ALL ON tongdang_login FROM PUBLIC;

-- Which township the session works in: a township login's own; for a county login (and the
-- owner, who has no login row and no privileges through the groups) the one it chose with
-- set_config('tongdang.township', …), else none (NULL).  session_user, not current_user:
-- these functions run as their owner. PL/pgSQL keeps their plans for the session, and every
-- name is qualified instead of a SET search_path clause: the policies call them for every
-- statement, and both made each call several times slower (a temporary table named like ours
-- cannot stand in for it: names are qualified, and pg_temp is never searched for functions
-- or operators).
CREATE FUNCTION tongdang_township() RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
    login record;
BEGIN
    SELECT l.township_id, l.county_role INTO login
    FROM public.tongdang_login l WHERE l.role_name OPERATOR(pg_catalog.=) session_user;
    IF FOUND AND login.county_role OPERATOR(pg_catalog.=) '' THEN
        RETURN login.township_id;
    END IF;
    RETURN NULLIF(pg_catalog.current_setting('tongdang.township', true), '')::integer;
END $$;

CREATE FUNCTION tongdang_county_role() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
    found_role text;
BEGIN
    SELECT l.county_role INTO found_role
    FROM public.tongdang_login l WHERE l.role_name OPERATOR(pg_catalog.=) session_user;
    RETURN COALESCE(found_role, '');
END $$;

-- SQLite's instr(), used by the children list's pinyin search (models/child_query.py).
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT strpos(haystack, needle) $$;
-- Nobody but the owner creates objects (PostgreSQL 15 and newer: already so).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Who am I: (township id or NULL, county role or '').
CREATE FUNCTION tongdang_whoami(OUT township_id integer, OUT county_role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT l.township_id, l.county_role FROM tongdang_login l WHERE l.role_name = session_user
$$;
"""


def create_county(db: pw.PostgresqlDatabase) -> None:
    """Create the county's tables, functions, group roles and policies (owner, once)."""
    with db.atomic():
        db.create_tables(ALL_MODELS)
        db.execute_sql(FUNCTIONS)
        db.execute_sql(conflicts.TRIGGER_FUNCTION)
        for model in ALL_MODELS:
            conflicts.add_version_columns(db, _table(model))
        db.execute_sql("INSERT INTO tongdang_schema (version) VALUES (%s)", (SCHEMA_VERSION,))
        for model in ALL_MODELS:
            if model is not Township:
                _add_township_column(db, model)
        for model in ALL_MODELS:
            if model is not Township:
                _township_foreign_keys(db, model)
                _township_unique(db, model)
        trail.add_from_pc(db)
        _create_groups(db)
        for model in ALL_MODELS:
            _grant(db, model)
            _policy(db, model)


def add_tables(db, models) -> None:
    """Tables a schema upgrade created (``models.server.schema_version``) get what
    ``create_county`` gives every table: version columns, the township and its policy."""
    for model in models:
        conflicts.add_version_columns(db, _table(model))
    for model in models:
        _add_township_column(db, model)
    for model in models:
        _township_foreign_keys(db, model)
        _township_unique(db, model)
    for group in (group_for("录入员"), group_for(COUNTY_ADMIN)):
        db.execute_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {group}")
    for model in models:
        _grant(db, model)
        _policy(db, model)


def schema_version(db) -> int:
    return db.execute_sql("SELECT version FROM tongdang_schema").fetchone()[0]


def _table(model) -> str:
    return model._meta.table_name


def _add_township_column(db, model) -> None:
    t = _table(model)
    db.execute_sql(
        f'ALTER TABLE "{t}" ADD COLUMN township_id integer NOT NULL '
        f'DEFAULT tongdang_township() REFERENCES township (id)')
    # Also the index by which each township's rows are found.
    db.execute_sql(f'ALTER TABLE "{t}" ADD CONSTRAINT "{t}_township_row" UNIQUE (township_id, id)')


def _township_foreign_keys(db, model) -> None:
    """Each reference also names the township: no record points into another township."""
    t = _table(model)
    for field in model._meta.sorted_fields:
        if not isinstance(field, pw.ForeignKeyField):
            continue
        column, parent = field.column_name, _table(field.rel_model)
        on_delete = {"CASCADE": "CASCADE", "SET NULL": f'SET NULL ("{column}")'}.get(
            (field.on_delete or "").upper(), "NO ACTION")
        db.execute_sql(
            f'ALTER TABLE "{t}" ADD CONSTRAINT "{t}_{column}_same_township" '
            f'FOREIGN KEY (township_id, "{column}") REFERENCES "{parent}" (township_id, id) '
            f'ON DELETE {on_delete}')


def _township_unique(db, model) -> None:
    """Unique values are unique within a township (ID numbers, village names, settings)."""
    t = _table(model)
    groups = [(f.column_name,) for f in model._meta.sorted_fields if f.unique and not f.primary_key]
    groups += [tuple(model._meta.fields[name].column_name for name in fields)
               for fields, unique in model._meta.indexes if unique]
    for columns in groups:
        if (t, columns) in COUNTY_UNIQUE:
            continue
        for (name,) in db.execute_sql(
                "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "JOIN pg_class r ON r.oid = x.indrelid WHERE r.relname = %s AND x.indisunique "
                "AND NOT x.indisprimary AND x.indnatts = %s AND ("
                "SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(x.indkey) "
                "WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = r.oid "
                "AND a.attnum = k.attnum) = %s::text[]",
                (t, len(columns), list(columns))).fetchall():
            db.execute_sql(f'DROP INDEX "{name}"')
        cols = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE UNIQUE INDEX "{t}_{"_".join(columns)}_per_township" '
                       f'ON "{t}" (township_id, {cols})')


def _create_groups(db) -> None:
    for group in GROUPS:
        db.execute_sql(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%s') THEN "
            "CREATE ROLE %s NOLOGIN; END IF; END $$" % (group, group))
    for group in GROUPS:
        db.execute_sql(f"GRANT USAGE ON SCHEMA public TO {group}")
        db.execute_sql(f"GRANT EXECUTE ON FUNCTION tongdang_whoami() TO {group}")
        db.execute_sql(f"GRANT SELECT ON tongdang_schema TO {group}")
    for group in (group_for("录入员"), group_for(COUNTY_ADMIN)):
        db.execute_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {group}")


def _grant(db, model) -> None:
    t = _table(model)
    writer, reader = group_for("录入员"), group_for("查阅")
    for group in (reader, group_for(COUNTY_READER)):
        db.execute_sql(f'GRANT SELECT ON "{t}" TO {group}')
    db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{t}" TO {group_for(COUNTY_ADMIN)}')
    if model is Township:
        db.execute_sql(f'GRANT SELECT, UPDATE ON "{t}" TO {writer}')
    elif model is AuditEntry:  # the trail only grows (models.server.trail)
        db.execute_sql(f'REVOKE UPDATE, DELETE ON "{t}" FROM {group_for(COUNTY_ADMIN)}')
        db.execute_sql(f'GRANT SELECT, INSERT ON "{t}" TO {writer}')
    else:
        db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{t}" TO {writer}')


def _policy(db, model) -> None:
    """Rows of the session's township only; the county roles see every township."""
    t = _table(model)
    column = "id" if model is Township else "township_id"
    db.execute_sql(f'ALTER TABLE "{t}" ENABLE ROW LEVEL SECURITY')
    if model is Township:
        # Townships are added by the county administrator (it names no township then).
        check = (f"(SELECT tongdang_county_role()) = '{COUNTY_ADMIN}' "
                 f"OR id = (SELECT tongdang_township())")
    else:
        check = "township_id = (SELECT tongdang_township())"
    # The functions are wrapped in sub-selects so that they run once per query, not per row.
    sees = (f"{column} = (SELECT tongdang_township()) OR ((SELECT tongdang_township()) IS NULL "
            "AND (SELECT tongdang_county_role()) <> '')")
    db.execute_sql(f'CREATE POLICY "{t}_township" ON "{t}" USING ({sees}) WITH CHECK ({check})')
