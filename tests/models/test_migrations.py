"""Older archives are copied aside then migrated; newer ones are refused untouched."""

from datetime import date

import pytest
from playhouse.migrate import SqliteMigrator, migrate

from forms.idnumber import make_id_number
from models import storage
from models.archive import Archive
from models.keys import key_from_recovery_code
from models.migrations import NewerSchema
from models.schema import SCHEMA_VERSION, Child

CODE = "7K3M-9QXP-2B4N-HV8R-T6WC-YJ1D-5GZF-0SAE"
COVERING = "contact_child_id_on_id_kind_parents_contacted_past_week"


def make_version_1_archive(path):
    """A real v1 archive: today's tables without what v2, v3 and v4 added."""
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=CODE)
    archive.writer().create(Child, id_number=make_id_number("140428", date(2016, 5, 17), 3, True),
                            name="张三", entered_on=date(2025, 3, 1))
    db = archive.db
    db.execute_sql("DROP TABLE draft")
    db.execute_sql(f'DROP INDEX "{COVERING}"')
    db.execute_sql('CREATE INDEX "contact_child_id_on" ON "contact" ("child_id", "on")')
    db.execute_sql("DROP INDEX IF EXISTS child_pinyin")
    db.execute_sql("DROP INDEX IF EXISTS child_pinyin_initials")
    migrator = SqliteMigrator(db)
    migrate(migrator.drop_column("child", "pinyin"),
            migrator.drop_column("child", "pinyin_initials"),
            migrator.drop_column("child", "pinyin_keys"),
            migrator.drop_column("audit_entry", "last_record_id"))
    storage.set_user_version(db, 1)
    archive.close()


def test_older_archive_is_copied_aside_then_migrated(tmp_path):
    path = tmp_path / "a.tongdang"
    make_version_1_archive(path)
    archive, result = Archive.open(path)
    assert result.migrated_from == 1
    assert archive.schema_version() == SCHEMA_VERSION
    assert Child.get().pinyin_initials == "zs"
    contact_indexes = {i.name: i.columns for i in archive.db.get_indexes("contact")}
    assert contact_indexes[COVERING] == ["child_id", "on", "id", "kind", "parents_contacted_past_week"]
    assert "contact_child_id_on" not in contact_indexes
    archive.close()
    copy = storage.connect(result.copy_aside, key_from_recovery_code(CODE))
    assert storage.get_user_version(copy) == 1
    assert copy.execute_sql("SELECT name FROM child").fetchall() == [("张三",)]
    copy.close()


def test_newer_archive_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "a.tongdang"
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=CODE)
    storage.set_user_version(archive.db, SCHEMA_VERSION + 1)
    archive.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchema, match="升级童档"):
        Archive.open(path)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.bak*")) == []


def test_version_4_archive_is_reindexed_by_every_reading(tmp_path):
    """Step 8: names indexed by the most common reading only (曾 ceng) are found by zeng too."""
    from models.child_query import ChildQuery

    path = tmp_path / "a.tongdang"
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=CODE)
    writer = archive.writer()
    for i, name in enumerate(("曾杰", "单丽", "张三")):
        writer.create(Child, id_number=make_id_number("140428", date(2016, 5, 17), 11 + 2 * i, True),
                      name=name, entered_on=date(2025, 3, 1))
    db = archive.db
    db.execute_sql("UPDATE child SET pinyin = 'cengjie', pinyin_initials = 'cj' WHERE name = '曾杰'")
    db.execute_sql("UPDATE child SET pinyin = 'danli', pinyin_initials = 'dl' WHERE name = '单丽'")
    migrate(SqliteMigrator(db).drop_column("child", "pinyin_keys"))
    storage.set_user_version(db, 4)
    archive.close()

    archive, result = Archive.open(path)
    assert result.migrated_from == 4
    assert archive.schema_version() == SCHEMA_VERSION
    zeng = Child.get(Child.name == "曾杰")
    assert (zeng.pinyin, zeng.pinyin_initials) == ("zengjie", "zj")

    def found(text):
        return {Child.get_by_id(i).name for i in ChildQuery(text=text).ids()}

    assert found("zengjie") == {"曾杰"}
    assert found("zj") == {"曾杰"}
    assert found("cengjie") == {"曾杰"}
    assert found("shanli") == {"单丽"}
    assert found("zs") == {"张三"}
    archive.close()
