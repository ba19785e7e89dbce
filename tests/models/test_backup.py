import hashlib
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from conftest import RECOVERY, MemoryKeyring

from forms.idnumber import make_id_number
from models import backup, storage
from models.archive import Archive
from models.schema import Attachment, Child, Contact

OTHER_CODE = "ZZZZ-YYYY-XXXX-WWWW-VVVV-TTTT-SSSS-RRRR"


def add_attachments(archive, count=3):
    writer = archive.writer()
    children = list(Child.select().order_by(Child.id).limit(count))
    for n, child in enumerate(children):
        content = os.urandom(1000 + 517 * n) + "扫描件".encode()
        writer.create(Attachment, child=child, file_name=f"协议书扫描{n}.jpg", mime_type="image/jpeg",
                      sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                      content=content, added_on=date(2025, 5, 1))


def all_rows(db) -> dict[str, list[tuple]]:
    tables = [r[0] for r in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {t: db.execute_sql(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}


def test_backup_restored_on_fresh_profile_equals_original(demo_archive, tmp_path):
    add_attachments(demo_archive)
    made = backup.make_backup(demo_archive, folder=tmp_path / "usb")
    assert made.parent == tmp_path / "usb"
    assert backup.backup_time(made) is not None and made.name.startswith("童档备份-丹朱镇-")
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]  # no temp, no -wal
    original = all_rows(demo_archive.db)
    original_attachments = {a.id: (bytes(a.content), a.sha256) for a in Attachment.select()}
    demo_archive.close()

    # A new machine: empty credential store, a new folder, only the backup and the code.
    keyring.set_keyring(MemoryKeyring())
    target = tmp_path / "new-profile" / "archive.tongdang"
    restored = backup.restore_backup(made, RECOVERY, target)
    assert restored == target
    archive, result = Archive.open(target)  # the key was stored for the restored file
    try:
        assert result.key_source == "keyring"
        copy = all_rows(archive.db)
        assert copy.keys() == original.keys()
        for table, rows in original.items():
            assert copy[table] == rows, table
        assert len(copy["child"]) == 50 and len(copy["attachment"]) == 3
        for att in Attachment.select():
            content, sha = original_attachments[att.id]
            assert bytes(att.content) == content and att.sha256 == sha
            assert hashlib.sha256(bytes(att.content)).hexdigest() == sha
        assert backup.archive_problems(archive) == []
    finally:
        archive.close()


def test_backup_needs_the_right_code(new_archive, tmp_path):
    made = backup.make_backup(new_archive, out_path=tmp_path / "b.tongdang")
    assert made == tmp_path / "b.tongdang"
    with pytest.raises(storage.WrongKey, match="恢复码不对"):
        backup.check_backup(made, OTHER_CODE)
    with pytest.raises(storage.WrongKey):
        backup.restore_backup(made, OTHER_CODE, tmp_path / "x.tongdang")
    assert not (tmp_path / "x.tongdang").exists()
    counts = backup.check_backup(made, RECOVERY)
    assert counts["township"] == 1 and counts["audit_entry"] >= 1


def test_failed_verification_leaves_nothing(new_archive, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "_check_copy", lambda *a: ["表 child 的记录数不一致"])
    with pytest.raises(backup.BackupError, match=r"校验未通过.*child"):
        backup.make_backup(new_archive, folder=tmp_path / "f")
    assert list((tmp_path / "f").iterdir()) == []


def test_backup_of_a_changing_archive_is_verified_by_counts(demo_archive, tmp_path):
    first = backup.make_backup(demo_archive, folder=tmp_path, now=datetime(2026, 1, 1, 8))
    Contact.create(child=Child.get_by_id(1), on=date(2026, 1, 2), kind="电话")
    second = backup.make_backup(demo_archive, folder=tmp_path, now=datetime(2026, 1, 1, 9))
    assert backup.check_backup(second, RECOVERY)["contact"] == \
        backup.check_backup(first, RECOVERY)["contact"] + 1


def test_auto_backup_once_a_day_and_rotation(new_archive, tmp_path):
    folder = tmp_path / "auto"
    start = datetime(2026, 3, 1, 9, 0, 0)
    assert backup.auto_backup(new_archive, folder, keep=3, now=start) is not None
    assert backup.auto_backup(new_archive, folder, keep=3, now=start + timedelta(hours=2)) is None
    forced = backup.auto_backup(new_archive, folder, keep=3, force=True,
                                now=start + timedelta(hours=3))
    assert forced is not None
    for day in range(1, 5):
        backup.auto_backup(new_archive, folder, keep=3, now=start + timedelta(days=day))
    kept = backup.list_backups(folder)
    assert [backup.backup_time(p) for p in kept] == [start + timedelta(days=d) for d in (4, 3, 2)]
    assert sorted(folder.iterdir()) == sorted(kept)


def test_auto_backup_sweeps_interrupted_temp_files(new_archive, tmp_path):
    leftover = tmp_path / ".童档备份-丹朱镇-20260101-080000.tongdang.part"
    leftover.write_bytes(b"half")
    backup.auto_backup(new_archive, tmp_path)
    assert not leftover.exists()


def test_restore_moves_the_existing_archive_aside(new_archive, tmp_path):
    made = backup.make_backup(new_archive, folder=tmp_path / "b")
    new_archive.writer().create(Child, id_number=make_id_number("140428", date(2015, 5, 1), 1, True),
                                name="王小明",
                                entered_on=date(2025, 1, 1))
    path = new_archive.path
    with pytest.raises(backup.BackupError, match="正在打开"):
        backup.restore_backup(made, RECOVERY, path)
    new_archive.close()
    result = backup.restore_backup_detailed(made, RECOVERY, path,
                                            now=datetime(2026, 4, 1, 10, 0, 0))
    assert result.aside == path.with_name("a.恢复前-20260401-100000.tongdang")
    for archive_path, children in ((path, 0), (result.aside, 1)):
        archive, _ = Archive.open(archive_path, recovery_code=RECOVERY)
        try:
            assert Child.select().count() == children
        finally:
            archive.close()


def test_not_an_archive(tmp_path):
    fake = tmp_path / "fake.tongdang"
    fake.write_bytes(os.urandom(8192))
    with pytest.raises(storage.WrongKey):
        backup.check_backup(fake, RECOVERY)
    with pytest.raises(backup.BackupError, match="找不到备份文件"):
        backup.check_backup(tmp_path / "missing.tongdang", RECOVERY)


def test_tampered_attachment_is_reported(demo_archive):
    add_attachments(demo_archive, 1)
    demo_archive.db.execute_sql("UPDATE attachment SET content = ? WHERE id = 1", (b"other",))
    problems = backup.archive_problems(demo_archive)
    assert problems == ["附件“协议书扫描0.jpg”（第1号）的内容与登记的校验值不符。"]


def test_backup_name_is_a_plain_file_name():
    name = backup.backup_name("../丹朱/镇", datetime(2026, 1, 2, 3, 4, 5))
    assert name == "童档备份-___丹朱_镇-20260102-030405.tongdang"
    assert Path(name).name == name
