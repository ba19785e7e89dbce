"""Schema v11: a v10 archive's spot-checks gain ``county_draw`` (empty: the township's own)."""

from datetime import date

from playhouse.migrate import SqliteMigrator, migrate

from forms.idnumber import make_id_number
from models import storage
from models.archive import Archive
from models.schema import SCHEMA_VERSION, Child, SpotCheck

CODE = "7K3M-9QXP-2B4N-HV8R-T6WC-YJ1D-5GZF-0SAE"


def test_a_v10_archive_keeps_its_spot_checks_as_its_own(tmp_path):
    path = tmp_path / "a.tongdang"
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=CODE)
    archive.login_as("张主任", "管理员")
    archive.writer().create(Child, id_number=make_id_number("140428", date(2016, 5, 17), 3, True),
                            name="张三", entered_on=date(2025, 3, 1))
    run = archive.spotchecks.run(share="100%", seed="8", on=date(2026, 11, 25))
    migrate(SqliteMigrator(archive.db).drop_column("spot_check", "county_draw"))
    storage.set_user_version(archive.db, 10)
    archive.close()

    archive, result = Archive.open(path)
    try:
        assert result.migrated_from == 10 and archive.schema_version() == SCHEMA_VERSION == 11
        [past] = archive.spotchecks.history()
        assert past.id == run.record.id and past.seed == "8" and not past.by_county
        assert SpotCheck.get().county_draw == ""
        assert archive.audit.replay().problems == []
    finally:
        archive.close()
