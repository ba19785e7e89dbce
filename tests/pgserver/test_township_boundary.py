"""Row-level security: a township clerk with the database password and plain SQL (psql) cannot
read, change or insert another township's rows; the county roles see every township."""

import psycopg
import pytest
from psycopg import errors


def rows(conn, query, *params):
    return conn.execute(query, params).fetchall()


def test_a_clerk_reads_only_their_township(county, two_children):
    clerk = county.plain_sql("clerk_a")
    assert rows(clerk, "SELECT id, name FROM child") == [(two_children["甲镇"], "张小明")]
    assert rows(clerk, "SELECT name FROM child WHERE id = %s", two_children["乙镇"]) == []
    assert rows(clerk, "SELECT name FROM township") == [("甲镇",)]
    # The audit trail too: 乙镇's creation entries are not there.
    tables = {t for (t,) in rows(clerk, 'SELECT DISTINCT "table" FROM audit_entry')}
    assert tables == {"township", "user", "child"}
    assert rows(clerk, "SELECT count(*) FROM audit_entry WHERE township_id <> %s",
                county.townships["甲镇"]) == [(0,)]


def test_choosing_another_township_does_not_help_a_clerk(county, two_children):
    clerk = county.plain_sql("clerk_a")
    clerk.execute("SELECT set_config('tongdang.township', %s, false)",
                  (str(county.townships["乙镇"]),))
    assert rows(clerk, "SELECT name FROM child") == [("张小明",)]


def test_a_clerk_cannot_change_or_delete_another_townships_child(county, two_children):
    clerk = county.plain_sql("clerk_a")
    changed = clerk.execute("UPDATE child SET name = '改掉' WHERE id = %s", (two_children["乙镇"],))
    assert changed.rowcount == 0
    deleted = clerk.execute("DELETE FROM child WHERE id = %s", (two_children["乙镇"],))
    assert deleted.rowcount == 0
    owner = county.plain_owner()
    assert rows(owner, "SELECT name FROM child WHERE id = %s", two_children["乙镇"]) == [("李小红",)]


def test_a_clerk_cannot_move_a_child_into_another_township(county, two_children):
    clerk = county.plain_sql("clerk_a")
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        clerk.execute("UPDATE child SET township_id = %s WHERE id = %s",
                      (county.townships["乙镇"], two_children["甲镇"]))


def test_a_clerk_cannot_insert_into_another_township(county, two_children):
    clerk = county.plain_sql("clerk_a")
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        clerk.execute("INSERT INTO village (name, kind, township_id) VALUES ('外村', '村', %s)",
                      (county.townships["乙镇"],))
    columns = [c for (c,) in rows(clerk, "SELECT column_name::text FROM information_schema.columns "
                                         "WHERE table_name = 'child' AND column_name NOT IN "
                                         "('id', 'township_id', 'id_number')")]
    names = ", ".join(f'"{c}"' for c in columns)
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        clerk.execute(f"INSERT INTO child (id_number, township_id, {names}) "
                      f"SELECT '130102201503040999', %s, {names} FROM child",
                      (county.townships["乙镇"],))
    # Left to the database, a new row is the clerk's own township's.
    clerk.execute("INSERT INTO village (name, kind) VALUES ('本村', '村')")
    assert rows(clerk, "SELECT township_id FROM village WHERE name = '本村'") == [
        (county.townships["甲镇"],)]


def test_a_record_cannot_point_at_another_townships_child(county, two_children):
    clerk = county.plain_sql("clerk_a")
    with pytest.raises(errors.ForeignKeyViolation):
        clerk.execute("INSERT INTO work_log_entry (child_id, \"on\", author, content) "
                      "VALUES (%s, '2026-12-01', '我', '窥探')", (two_children["乙镇"],))


def test_a_clerk_cannot_see_the_logins_or_lift_the_policies(county, two_children):
    clerk = county.plain_sql("clerk_a")
    with pytest.raises(errors.InsufficientPrivilege):
        clerk.execute("SELECT * FROM tongdang_login")
    clerk = county.plain_sql("clerk_a")
    with pytest.raises(errors.InsufficientPrivilege):
        clerk.execute("ALTER TABLE child DISABLE ROW LEVEL SECURITY")
    clerk = county.plain_sql("clerk_a")
    with pytest.raises(errors.InsufficientPrivilege):
        clerk.execute("INSERT INTO township (name, county, profile, created_on) "
                      "VALUES ('假镇', '某县', 'national', '2026-12-01')")


def test_a_township_reader_cannot_write(county, two_children):
    reader = county.plain_sql("reader_a")
    assert rows(reader, "SELECT name FROM child") == [("张小明",)]
    with pytest.raises(errors.InsufficientPrivilege):
        reader.execute("UPDATE child SET name = '改掉'")


def test_county_roles_see_every_township(county, two_children):
    for login in ("county_reader", "county_admin"):
        conn = county.plain_sql(login)
        assert sorted(rows(conn, "SELECT name FROM child")) == [("张小明",), ("李小红",)]
        assert len(rows(conn, "SELECT id FROM township")) == 2
    reader = county.plain_sql("county_reader")
    with pytest.raises(errors.InsufficientPrivilege):
        reader.execute("UPDATE child SET name = '改掉'")


def test_a_county_admin_works_inside_the_township_it_chose(county, two_children):
    admin = county.plain_sql("county_admin")
    with pytest.raises(errors.InsufficientPrivilege):  # which township? none chosen: refused
        admin.execute("INSERT INTO village (name, kind) VALUES ('新村', '村')")
    admin.execute("SELECT set_config('tongdang.township', %s, false)", (str(county.townships["乙镇"]),))
    assert rows(admin, "SELECT name FROM child") == [("李小红",)]
    admin.execute("INSERT INTO village (name, kind) VALUES ('新村', '村')")
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        admin.execute("INSERT INTO village (name, kind, township_id) VALUES ('别村', '村', %s)",
                      (county.townships["甲镇"],))


def test_the_same_id_number_in_another_township_does_not_reveal_it(county, two_children):
    """Unique within a township: a clerk learns nothing about other townships' children."""
    clerk = county.plain_sql("clerk_a")
    owner = county.plain_owner()
    (other_id_number,) = owner.execute("SELECT id_number FROM child WHERE id = %s",
                                       (two_children["乙镇"],)).fetchone()
    clerk.execute("UPDATE child SET id_number = %s WHERE id = %s",
                  (other_id_number, two_children["甲镇"]))
    with pytest.raises(errors.UniqueViolation):
        clerk.execute("INSERT INTO village (name, kind) VALUES ('本村', '村'), ('本村', '村')")


def test_wrong_password_is_refused(county):
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(host="127.0.0.1", port=county.cluster.port, dbname=county.name,
                        user=county.logins["clerk_a"], password="wrong")


def test_a_temporary_table_cannot_stand_in_for_the_logins(county, two_children):
    clerk = county.plain_sql("clerk_a")
    clerk.execute("CREATE TEMPORARY TABLE tongdang_login (role_name text, township_id integer, "
                  "county_role text)")
    clerk.execute("INSERT INTO pg_temp.tongdang_login VALUES (session_user, NULL, '县级管理员')")
    clerk.execute("SET search_path = pg_temp, public")
    assert rows(clerk, "SELECT name FROM child") == [("张小明",)]
