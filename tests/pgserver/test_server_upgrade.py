"""Schema versions on the server: ``tongdang server upgrade`` runs the file's migration steps.

A fake next version (a column on ``child`` and a new table) stands for a future release:
the county database refuses the newer program until its owner upgrades it, the upgrade keeps
every row, gives the new table the township boundary, and the same step migrates a file.
"""

import peewee as pw
import pytest
from playhouse.migrate import migrate

from models import migrations, schema
from models.server.archive import ServerArchive
from models.server.schema_version import NewerServer, ServerNeedsUpgrade
from pgserver.pgcluster import PASSWORD

NEXT = schema.SCHEMA_VERSION + 1


class FakeNote(schema.BaseModel):
    """The fake next version's new table: a note on a child."""

    child = pw.ForeignKeyField(schema.Child, on_delete="CASCADE")
    text = pw.CharField()

    class Meta:
        table_name = "fake_note"


def fake_step(db) -> None:
    """The next version's step, written once for both backends (``migrator_for``)."""
    migrate(migrations.migrator_for(db).add_column("child", "fake_code",
                                                   pw.CharField(default="")))
    db.create_tables([FakeNote])
    db.execute_sql(f"UPDATE child SET fake_code = {db.param} WHERE school = {db.param}",
                   ("一小", "城关一小"))


@pytest.fixture
def next_version(monkeypatch):
    """This program as its next release: one more migration step and table."""
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", NEXT)
    monkeypatch.setitem(migrations.STEPS, NEXT, fake_step)
    monkeypatch.setattr(schema, "ALL_MODELS", (*schema.ALL_MODELS, FakeNote))


def server_version(county) -> int:
    with county.plain_owner() as conn:
        return conn.execute("SELECT version FROM tongdang_schema").fetchone()[0]


def test_an_older_server_is_refused_with_what_to_do(county, two_children, next_version):
    with pytest.raises(ServerNeedsUpgrade) as caught:
        ServerArchive.open(county.setting("clerk_a"), PASSWORD)
    message = str(caught.value)
    assert f"数据结构版本是 {NEXT - 1}，本程序需要 {NEXT}" in message
    assert "pg_dump" in message and "server --server postgresql://所有者@127.0.0.1:" in message
    assert "upgrade" in message and "数据库未作任何改动" in message
    assert server_version(county) == NEXT - 1


def test_a_newer_server_asks_for_a_newer_program(county):
    with county.plain_owner() as conn:
        conn.execute("UPDATE tongdang_schema SET version = %s", (NEXT,))
    with pytest.raises(NewerServer, match="请先把这台电脑上的童档升级到新版本"):
        ServerArchive.open(county.setting("clerk_a"), PASSWORD)


def test_the_owner_upgrades_and_every_row_stays(county, two_children, next_version,
                                                monkeypatch, capsys):
    from desktop.cli import main
    from models.schema import Child, database

    with county.plain_owner() as conn:
        conn.execute("UPDATE child SET school = '城关一小' WHERE id = %s", (two_children["甲镇"],))
        chain_before = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
    monkeypatch.setenv("TONGDANG_PASSWORD", county.cluster.password)
    assert main(["server", "--server", county.setting(), "upgrade"]) == 0
    assert f"从数据结构版本 {NEXT - 1} 升级到 {NEXT}" in capsys.readouterr().out
    assert server_version(county) == NEXT
    assert main(["server", "--server", county.setting(), "upgrade"]) == 0
    assert "无需升级" in capsys.readouterr().out

    archive, _ = ServerArchive.open(county.setting("clerk_a"), PASSWORD)
    archive.login_as("clerk_a", archive.login_role())
    assert archive.schema_version() == NEXT
    assert [c.name for c in Child.select()] == ["张小明"]
    assert archive.db.execute_sql("SELECT fake_code FROM child").fetchall() == [("一小",)]
    note = archive.writer().create(FakeNote, child=two_children["甲镇"], text="新表可写")
    archive.close()
    with county.plain_owner() as conn:
        assert conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0] == chain_before + 1
        township, version = conn.execute("SELECT township_id, row_version FROM fake_note "
                                         "WHERE id = %s", (note.id,)).fetchone()
    assert (township, version) == (county.townships["甲镇"], 1)
    # The new table has the township boundary: another township's clerk sees nothing of it
    # and cannot attach a note to a child of 甲镇.
    other = county.plain_sql("clerk_b")
    assert other.execute("SELECT count(*) FROM fake_note").fetchone()[0] == 0
    with pytest.raises(Exception, match=r"violates|policy|foreign key"):
        other.execute("INSERT INTO fake_note (child_id, text) VALUES (%s, 'x')",
                      (two_children["甲镇"],))
    other.close()
    database.initialize(None)


def test_a_county_admin_login_cannot_upgrade(county, next_version, monkeypatch, capsys):
    from desktop.cli import main

    monkeypatch.setenv("TONGDANG_PASSWORD", PASSWORD)
    assert main(["server", "--server", county.setting("county_admin"), "upgrade"]) != 0
    assert "只有县级数据库的所有者" in capsys.readouterr().err
    assert server_version(county) == NEXT - 1


def test_the_owner_cannot_add_a_township_before_upgrading(county, next_version, monkeypatch,
                                                          capsys):
    from desktop.cli import main

    monkeypatch.setenv("TONGDANG_PASSWORD", county.cluster.password)
    assert main(["server", "--server", county.setting(), "township", "丙镇", "--county", "某县",
                 "--profile", "national"]) != 0
    assert "upgrade" in capsys.readouterr().err


def test_the_same_step_migrates_a_township_file(tmp_path, monkeypatch):
    from models.archive import Archive
    from models.schema import database

    path = tmp_path / "甲镇.tongdang"
    archive, code = Archive.create(path, "甲镇", "某县", "national")
    archive.close()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", NEXT)
    monkeypatch.setitem(migrations.STEPS, NEXT, fake_step)
    archive, result = Archive.open(path, recovery_code=code)
    assert result.migrated_from == NEXT - 1
    assert archive.schema_version() == NEXT
    assert "fake_note" in archive.db.get_tables()
    assert "fake_code" in {c.name for c in archive.db.get_columns("child")}
    archive.close()
    database.initialize(None)
