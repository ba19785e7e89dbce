"""Schema versions. The archive's version lives in ``PRAGMA user_version``.

A new archive is created at ``SCHEMA_VERSION``. An older one is first copied aside
(``models.archive``) and then migrated forward here, one step at a time, in one transaction.
Add a step by appending a function and raising ``SCHEMA_VERSION`` in ``models.schema``.

The county database (``models.server.schema_version``, ``tongdang server upgrade``) runs the
same steps. It was first made at v9, so the steps up to v9 are SQLite's alone; every later
step runs on both backends: build it from ``migrator_for(db)`` (peewee's schema migrator for
the database at hand) and write SQL with ``db.param`` placeholders. A step that adds a table
adds its model to ``models.schema.ALL_MODELS``; the server gives a new table the township
column, policies and privileges by itself.
"""

from playhouse.migrate import SchemaMigrator, SqliteMigrator, migrate

from models.pinyin import name_pinyin
from models.schema import SCHEMA_VERSION, Child, Township
from models.storage import DamagedArchive, get_user_version, set_user_version


def _v1_to_v2(db) -> None:
    """v2 adds pinyin search keys (indexed, as the fields say) to children and fills them in."""
    migrator = SqliteMigrator(db)
    migrate(
        migrator.add_column("child", "pinyin", Child.pinyin),
        migrator.add_column("child", "pinyin_initials", Child.pinyin_initials),
    )
    for child_id, name in db.execute_sql("SELECT id, name FROM child").fetchall():
        full, initials = name_pinyin(name)
        db.execute_sql("UPDATE child SET pinyin = ?, pinyin_initials = ? WHERE id = ?",
                       (full, initials, child_id))


def _v2_to_v3(db) -> None:
    """v3 keeps editors' drafts inside the archive and audits bulk creations as one entry."""
    from models.schema import AuditEntry, Draft

    db.create_tables([Draft])
    migrate(SqliteMigrator(db).add_column("audit_entry", "last_record_id",
                                          AuditEntry.last_record_id))


def _v3_to_v4(db) -> None:
    """v4 reads contacts from one covering index instead of an index plus the rows."""
    from models.schema import Contact

    Contact._schema.create_indexes(safe=True)
    db.execute_sql('DROP INDEX IF EXISTS "contact_child_id_on"')


def _v5_to_v6(db) -> None:
    """v6 stores the follow-up measures of a psychological assessment (心理测评 后续措施)."""
    from models.schema import PsychAssessment

    columns = {c.name for c in db.get_columns("psych_assessment")}
    if "follow_up" not in columns:
        migrate(SqliteMigrator(db).add_column("psych_assessment", "follow_up",
                                              PsychAssessment.follow_up))


def _v6_to_v7(db) -> None:
    """v7 keeps the audit chain head with each spot check (printed on its record)."""
    from models.schema import SpotCheck

    columns = {c.name for c in db.get_columns("spot_check")}
    if "chain_head" not in columns:
        migrate(SqliteMigrator(db).add_column("spot_check", "chain_head", SpotCheck.chain_head))


def _to_v8(db) -> None:
    """v8 finds names by every reading: 曾杰 by zengjie, cengjie and zj (surname table).

    Adds ``child.pinyin_keys`` when missing and re-indexes every child's three search keys.
    """
    from models.pinyin import name_keys

    columns = {c.name for c in db.get_columns("child")}
    if "pinyin_keys" not in columns:
        migrate(SqliteMigrator(db).add_column("child", "pinyin_keys", Child.pinyin_keys))
    rows = db.execute_sql("SELECT id, name FROM child").fetchall()
    updates = []
    for child_id, name in rows:
        keys = name_keys(name or "")
        updates.append((keys["pinyin"], keys["pinyin_initials"], keys["pinyin_keys"], child_id))
    db.cursor().executemany(
        "UPDATE child SET pinyin = ?, pinyin_initials = ?, pinyin_keys = ? WHERE id = ?", updates)
    # "Is the cached state current?" at every start: from an index, not 20,000 rows.
    db.execute_sql('CREATE INDEX IF NOT EXISTS "child_state_on" ON "child" ("state_on")')


def _to_v9(db) -> None:
    """v9 (issue 19) keeps on each child what the rules need from its contacts
    (``models.contact_summary``) and fills it in from the contacts."""
    from models import summaries

    columns = _columns(db, "child")
    operations = [SqliteMigrator(db).add_column("child", name, getattr(Child, name))
                  for name in ("contact_days", "visit_days") if name not in columns]
    if operations:
        migrate(*operations)
    summaries.rebuild()


def _to_v10(db) -> None:
    """v10 (issue 17) keeps the county's public key for the township's 上报包."""
    if "county_public_key" not in _columns(db, "township"):
        migrate(migrator_for(db).add_column("township", "county_public_key",
                                            Township.county_public_key))


def _to_v11(db) -> None:
    """v11 (issue 17) marks the spot-checks the county made of a township (``county_draw``)."""
    from models.schema import SpotCheck

    if "county_draw" not in _columns(db, "spot_check"):
        migrate(migrator_for(db).add_column("spot_check", "county_draw", SpotCheck.county_draw))


def _columns(db, table: str) -> set[str]:
    return {c.name for c in db.get_columns(table)}


def _v4_to_v5(db) -> None:
    """v5 (issue 11): who set a manual colour and whether it needs confirming; the carer finding,
    referrals and reviewer of a visit; Art. 23 notices; assessment result and placement; the
    core-urban exclusion; carer follow-ups; local-practice settings. Additive and idempotent.
    Manual colours carried over without a reason are kept and marked for confirmation."""
    from models.schema import (
        CarerFollowUp,
        Contact,
        EntrustmentAgreement,
        GuardianshipAssessment,
        LocalSetting,
        WorkTripRegistration,
    )

    migrator = SqliteMigrator(db)
    wanted = {
        "child": (("manual_colour_by", Child.manual_colour_by),
                  ("manual_colour_confirmed", Child.manual_colour_confirmed),
                  ("core_urban_excluded", Child.core_urban_excluded),
                  ("household", Child.household)),
        "contact": (("carer_fulfils", Contact.carer_fulfils),
                    ("referral_departments", Contact.referral_departments),
                    ("reviewer", Contact.reviewer)),
        "entrustment_agreement": (("school_told_on", EntrustmentAgreement.school_told_on),
                                  ("village_told_on", EntrustmentAgreement.village_told_on)),
        "guardianship_assessment": (("result", GuardianshipAssessment.result),
                                    ("placement", GuardianshipAssessment.placement)),
        "work_trip_registration": (("parent", WorkTripRegistration.parent),),
    }
    operations = []
    for table, fields in wanted.items():
        have = _columns(db, table)
        operations += [migrator.add_column(table, name, field) for name, field in fields if name not in have]
    if operations:
        migrate(*operations)
    db.create_tables([CarerFollowUp, LocalSetting], safe=True)
    db.execute_sql('CREATE INDEX IF NOT EXISTS "contact_carer_fulfils" ON "contact" ("carer_fulfils")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "child_household" ON "child" ("household")')
    db.execute_sql(
        "UPDATE child SET manual_colour_confirmed = 0 WHERE manual_colour IS NOT NULL "
        "AND manual_colour != '' AND (manual_colour_reason IS NULL OR TRIM(manual_colour_reason) = '')")


STEPS = {2: _v1_to_v2, 3: _v2_to_v3, 4: _v3_to_v4, 5: _v4_to_v5, 6: _v5_to_v6,
         7: _v6_to_v7,
         8: _to_v8, 9: _to_v9, 10: _to_v10, 11: _to_v11}  # target version -> step


FIRST_SERVER_VERSION = 9  # the county database's first schema (the steps above are SQLite's)


def migrator_for(db) -> SchemaMigrator:
    """peewee's schema migrator for ``db``: SQLite for a file, PostgreSQL for the server."""
    return SchemaMigrator.from_database(db)


def steps_after(version: int) -> list[int]:
    """The steps that bring a database at ``version`` to this program's ``SCHEMA_VERSION``."""
    return list(range(version + 1, SCHEMA_VERSION + 1))


def run_steps(db, steps: list[int], record) -> None:
    """Run ``steps`` in order; ``record(db, version)`` writes each version reached. The caller
    holds the transaction."""
    for target in steps:
        STEPS[target](db)
        record(db, target)


class NewerSchema(Exception):
    pass


def pending(db) -> list[int]:
    version = get_user_version(db)
    if version == 0:
        raise DamagedArchive("这个文件不是童档档案库（没有数据结构版本），或者已经损坏。请从备份恢复。")
    if version > SCHEMA_VERSION:
        raise NewerSchema(
            f"这个档案库由更新版本的童档创建（数据结构版本 {version}，本程序支持到 {SCHEMA_VERSION}）。"
            "请先升级童档再打开，档案库未作任何改动。"
        )
    return steps_after(version)


def migrate_forward(db) -> list[int]:
    steps = pending(db)
    with db.atomic():
        run_steps(db, steps, set_user_version)
    return steps
