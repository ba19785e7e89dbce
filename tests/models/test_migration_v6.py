"""Schema v6: a v4 archive gains the follow-up measures of psychological assessments."""

from datetime import date

from playhouse.migrate import SqliteMigrator, migrate

from forms.idnumber import make_id_number
from models import storage
from models.archive import Archive
from models.schema import SCHEMA_VERSION, Child, PsychAssessment

CODE = "7K3M-9QXP-2B4N-HV8R-T6WC-YJ1D-5GZF-0SAE"


def test_v4_archive_gains_psych_follow_up(tmp_path):
    path = tmp_path / "a.tongdang"
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=CODE)
    child = archive.writer().create(
        Child, id_number=make_id_number("140428", date(2016, 5, 17), 3, True), name="张三",
        entered_on=date(2025, 3, 1))
    archive.db.execute_sql(
        "INSERT INTO psych_assessment (child_id, \"on\", instrument, result, assessor, follow_up)"
        " VALUES (?, '2025-04-01', '量表', '正常', '老师', '')", (child.id,))
    migrate(SqliteMigrator(archive.db).drop_column("psych_assessment", "follow_up"))
    storage.set_user_version(archive.db, 4)
    archive.close()

    archive, result = Archive.open(path)
    assert result.migrated_from == 4 and archive.schema_version() == SCHEMA_VERSION >= 6
    row = PsychAssessment.get()
    assert row.result == "正常" and row.follow_up == ""
    archive.writer().update(row, follow_up="每周谈心")
    archive.close()
    archive, _ = Archive.open(path)
    assert PsychAssessment.get().follow_up == "每周谈心"
    archive.close()
