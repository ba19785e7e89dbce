"""A damaged, truncated or foreign file gives a clear Chinese error, never a crash."""

import os
import shutil

import pytest
from conftest import RECOVERY

from models import backup, storage
from models.archive import Archive

CHINESE = ("损坏", "恢复码不对")


@pytest.fixture
def closed_copy(demo_archive, tmp_path):
    demo_archive.close()
    original = demo_archive.path.read_bytes()

    def make(mutate, name="copy.tongdang"):
        path = tmp_path / name
        path.write_bytes(bytes(mutate(bytearray(original))))
        return path

    return make


def flip(offset_fraction):
    def mutate(data):
        data[int(len(data) * offset_fraction)] ^= 0xFF
        return data
    return mutate


@pytest.mark.parametrize("mutate, error", [
    (lambda b: b[: len(b) // 2], storage.DamagedArchive),
    (lambda b: b[:4096], storage.DamagedArchive),  # only the first page left
    (lambda b: b[:100], storage.WrongKey),  # not even one page: cannot tell from a wrong key
    (flip(0.00001), storage.WrongKey),  # the first page fails its HMAC like a wrong key does
    (lambda b: bytearray(os.urandom(len(b))), storage.WrongKey),
    (lambda b: bytearray(b"SQLite format 3\x00" + bytes(len(b) - 16)), storage.ArchiveOpenError),
])
def test_damaged_file_does_not_open(closed_copy, mutate, error):
    path = closed_copy(mutate)
    with pytest.raises(error) as info:
        archive, _ = Archive.open(path, recovery_code=RECOVERY)
        archive.close()
    assert any(word in str(info.value) for word in CHINESE), str(info.value)


def test_empty_file_is_reported_as_damaged(closed_copy):
    path = closed_copy(lambda b: b[:0])
    with pytest.raises(storage.DamagedArchive):
        archive, _ = Archive.open(path, recovery_code=RECOVERY)
        archive.close()


@pytest.mark.parametrize("where", [0.5, 0.9])
def test_damage_inside_the_file_is_found_by_verify(closed_copy, where):
    # Pages are checked only when read: opening succeeds, the full check finds the damage.
    path = closed_copy(flip(where))
    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    try:
        problems = backup.archive_problems(archive)
    finally:
        archive.close()
    assert problems and ("已损坏" in problems[0] or "完整性" in problems[0]), problems


@pytest.mark.parametrize("mutate", [flip(0.5), lambda b: b[: len(b) // 2], flip(0.0001)])
def test_damaged_backup_is_refused_before_anything_is_replaced(demo_archive, tmp_path, mutate):
    made = backup.make_backup(demo_archive, folder=tmp_path / "b")
    target = demo_archive.path
    demo_archive.close()
    before = target.read_bytes()
    made.write_bytes(bytes(mutate(bytearray(made.read_bytes()))))
    with pytest.raises(storage.ArchiveOpenError) as info:
        backup.restore_backup(made, RECOVERY, target)
    assert any(word in str(info.value) for word in CHINESE)
    assert target.read_bytes() == before
    # Nothing beside the archive but its journal and the lock file held while it is open
    # (models.filelock; it stays, empty, by design).
    from models.filelock import lock_path

    assert sorted(p.name for p in target.parent.iterdir() if p.is_file()) == \
        sorted(p.name for p in [target, lock_path(target), *target.parent.glob("a.tongdang-*")])


def test_foreign_file_as_backup(tmp_path):
    other = tmp_path / "notes.tongdang"
    shutil.copy(__file__, other)
    with pytest.raises(storage.WrongKey, match="不是童档档案库"):
        backup.check_backup(other, RECOVERY)


def test_a_foreign_database_is_not_taken_for_an_archive(tmp_path):
    # Encrypted with the right key but never an archive: no schema version.
    from models.keys import key_from_recovery_code

    path = tmp_path / "other.tongdang"
    db = storage.connect(path, key_from_recovery_code(RECOVERY))
    db.execute_sql("CREATE TABLE notes (text)")
    db.close()
    with pytest.raises(storage.DamagedArchive, match="不是童档档案库"):
        Archive.open(path, recovery_code=RECOVERY)
