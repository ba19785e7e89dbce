"""A township's archive from the county database as an encrypted file that opens offline
(issue 16, item 6): the township's copy to take along, or to keep as its own backup.

Records keep their ids (the server's ids are unique in the county, so the audit trail's record
ids stay right); the audit entries are numbered 1, 2, 3 … again, as a file's trail must be —
the entry number is not part of an entry's hash, so the chain verifies unchanged.
"""

from pathlib import Path

from models import keys, storage
from models.archive import ArchiveExists, private_dir, remove_archive_files
from models.schema import ALL_MODELS, SCHEMA_VERSION, AuditEntry, Draft, database

BATCH_VARIABLES = 900  # stay under SQLite's bound-parameter limit
LEFT_OUT = (Draft,)  # unsaved edits belong to the PC they were typed on


class WholeCounty(storage.ArchiveOpenError):
    pass


def write_township_file(archive, path: Path, recovery_code: str | None = None) -> str:
    """Write the open server archive's township to a new encrypted file at ``path``; returns
    the file's recovery code (to print and keep, as for a new archive)."""
    path = Path(path)
    if archive.township_id is None:
        raise WholeCounty("县级用户请先用 --town 选择一个乡镇，每个乡镇写成一个档案库文件。")
    if path.exists():
        raise ArchiveExists(f"文件已存在：{path}。请换一个文件名。")
    rows = {model: _rows(model) for model in ALL_MODELS if model not in LEFT_OUT}
    code = recovery_code or keys.new_recovery_code()
    private_dir(path.parent)
    server_db = database.obj
    file_db = storage.connect(path, keys.key_from_recovery_code(code))
    try:
        database.initialize(file_db)
        with file_db.atomic():
            file_db.create_tables(ALL_MODELS)
            storage.set_user_version(file_db, SCHEMA_VERSION)
            for model, data in rows.items():
                if model is AuditEntry:
                    data = [(number, *row[1:]) for number, row in enumerate(data, 1)]
                _insert(model, data)
        storage.checkpoint(file_db)
    except BaseException:
        file_db.close()
        database.initialize(server_db)
        remove_archive_files(path)
        raise
    file_db.close()
    database.initialize(server_db)
    return keys.format_recovery_code(keys.normalise_recovery_code(code))


def _rows(model) -> list[tuple]:
    fields = model._meta.sorted_fields
    return list(model.select(*fields).order_by(model.id).tuples())


def _insert(model, data: list[tuple]) -> None:
    fields = model._meta.sorted_fields
    step = max(1, BATCH_VARIABLES // len(fields))
    for start in range(0, len(data), step):
        model.insert_many(data[start:start + step], fields=fields).execute()

