"""All-or-nothing around the archive file: a restore never leaves the path empty and says so
when it was interrupted, leftovers of killed backups are swept at the next opening (only when
no other program has the archive open), ``demo`` commits its flag with its data, and files are
created readable by their owner only."""

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from desktop.cli import main
from forms.idnumber import make_id_number
from models import backup
from models.archive import Archive, restore_marker_path
from models.filelock import ArchiveLock, in_use_elsewhere, lock_path
from models.schema import Child, Township
from tests.conftest import RECOVERY


def _add_child(archive, n=1, name="王小明"):
    return archive.writer().create(
        Child, id_number=make_id_number("140428", date(2015, 5, 1), n, True), name=name,
        entered_on=date(2025, 1, 1))


def _children(path):
    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    try:
        return [c.name for c in Child.select().order_by(Child.id)]
    finally:
        archive.close()


@pytest.fixture
def archive_and_backup(new_archive, tmp_path):
    made = backup.make_backup(new_archive, folder=tmp_path / "备份")
    _add_child(new_archive)
    path = new_archive.path
    new_archive.close()
    return path, made


def test_a_failed_final_rename_keeps_the_old_archive_in_place(archive_and_backup, monkeypatch):
    path, made = archive_and_backup
    real_replace = os.replace

    def failing(src, dst):
        if str(src).endswith(".restore.part"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(backup.os, "replace", failing)
    with pytest.raises(backup.BackupError, match="原档案库未改动"):
        backup.restore_backup_detailed(made, RECOVERY, path)
    monkeypatch.undo()
    assert _children(path) == ["王小明"]
    assert sorted(p.name for p in path.parent.iterdir() if p.name.endswith(".tongdang")) == \
        ["a.tongdang"]
    assert not restore_marker_path(path).exists()


def test_an_interrupted_restore_leaves_an_archive_and_says_so(archive_and_backup, monkeypatch,
                                                              capsys):
    path, made = archive_and_backup
    real_replace = os.replace

    def killed(src, dst):  # the power goes between keeping the old file and the new one
        if str(src).endswith(".restore.part"):
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(backup.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        backup.restore_backup_detailed(made, RECOVERY, path)
    monkeypatch.undo()
    assert path.exists()  # never an empty path
    marker = json.loads(restore_marker_path(path).read_text(encoding="utf-8"))
    aside = marker["aside"]
    assert _children(aside) == ["王小明"]
    # The next opening reports it once, naming where the old archive is.
    monkeypatch.setenv("TONGDANG_RECOVERY_CODE", RECOVERY)
    assert main(["--archive", str(path), "info"]) == 0
    err = capsys.readouterr().err
    assert "恢复档案库时被中断" in err and aside in err
    assert not restore_marker_path(path).exists()
    assert not path.with_name(f".{path.name}.restore.part").exists()  # swept at opening


def test_restore_keeps_the_old_archive_with_its_wal(new_archive, tmp_path):
    made = backup.make_backup(new_archive, folder=tmp_path / "备份")
    path = new_archive.path
    # A session that ended without a checkpoint: the newest writes are only in the -wal.
    conn_path = str(path)
    _add_child(new_archive, 2, "只在日志中")
    from models import storage

    wal_copy = (path.read_bytes(), Path(conn_path + "-wal").read_bytes())
    new_archive.db.close()
    new_archive.lock.release()
    path.write_bytes(wal_copy[0])
    with open(conn_path + "-wal", "wb") as f:
        f.write(wal_copy[1])
    assert storage  # the archive file and its journal as a killed program leaves them
    result = backup.restore_backup_detailed(made, RECOVERY, path)
    assert not os.path.exists(conn_path + "-wal") or _children(path) == []
    assert _children(path) == []
    assert _children(result.aside) == ["只在日志中"]


def test_leftovers_are_swept_only_when_no_other_program_has_the_archive(new_archive, tmp_path):
    path = new_archive.path
    new_archive.close()
    leftovers = [path.with_name(f".{path.name}.restore.part"),
                 path.parent / "童档备份" / ".童档备份-丹朱镇-20260101-080000.tongdang.part",
                 path.with_name(f".{path.name}.busy.4242")]  # an announcer killed mid-write
    leftovers[1].parent.mkdir()
    for p in leftovers:
        p.write_bytes(b"half")
    other = ArchiveLock(path)  # another program has it open
    assert other.try_shared()
    archive, result = Archive.open(path, recovery_code=RECOVERY)
    archive.close()
    assert all(p.exists() for p in leftovers) and not result.swept
    other.release()
    archive, result = Archive.open(path, recovery_code=RECOVERY)
    assert sorted(result.swept) == sorted(leftovers)
    assert not any(p.exists() for p in leftovers)
    assert in_use_elsewhere(path)  # while open, a restore would be refused
    archive.close()
    assert not in_use_elsewhere(path)


def test_restore_refused_while_open_in_another_program(archive_and_backup):
    path, made = archive_and_backup
    other = ArchiveLock(path)
    assert other.try_shared()
    try:
        with pytest.raises(backup.BackupError, match="正在被其他程序使用"):
            backup.restore_backup_detailed(made, RECOVERY, path)
    finally:
        other.release()
    assert _children(path) == ["王小明"]


def test_killed_demo_leaves_no_data(tmp_path, monkeypatch, capsys):
    from models import demo

    archive, _ = Archive.create(tmp_path / "演示.tongdang", "示范镇", "示范县", "national",
                                recovery_code=RECOVERY, is_demo=True)
    path = archive.path
    archive.close()
    real = demo._children_batch
    calls = []

    def dies(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed in the middle
        return real(*args, **kwargs)

    monkeypatch.setattr(demo, "_children_batch", dies)
    monkeypatch.setenv("TONGDANG_RECOVERY_CODE", RECOVERY)
    assert main(["--archive", str(path), "demo", "--children", "700"]) == 130
    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    try:
        assert Township.get().is_demo is True
        assert Child.select().count() == 0  # the first 500 were rolled back with the rest
    finally:
        archive.close()


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_archive_backup_and_export_files_are_private(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TONGDANG_RECOVERY_CODE", RECOVERY)
    old = os.umask(0o022)
    try:
        folder = tmp_path / "新文件夹"
        archive, _ = Archive.create(folder / "a.tongdang", "丹朱镇", "长子县", "changzhi",
                                    recovery_code=RECOVERY)
        _add_child(archive)
        assert _mode(folder) == 0o700
        assert _mode(archive.path) == 0o600
        assert _mode(str(archive.path) + "-wal") == 0o600
        assert _mode(lock_path(archive.path)) == 0o600
        made = backup.make_backup(archive)
        assert _mode(made) == 0o600 and _mode(made.parent) == 0o700
        archive.close()
        out = tmp_path / "附件1.xlsx"
        assert main(["--archive", str(folder / "a.tongdang"), "export", "stats",
                     "--out", str(out)]) == 0
        assert _mode(out) == 0o600
        result = backup.restore_backup_detailed(made, RECOVERY, folder / "a.tongdang")
        assert _mode(result.target) == 0o600 and _mode(result.aside) == 0o600
    finally:
        os.umask(old)


def test_an_announcer_leaves_cleanly_whatever_another_program_wrote_meanwhile(tmp_path):
    # Two imports announce at once; the second one's note may be what the first finds when it
    # ends, or (before notes were renamed into place) half of one: never a traceback.
    from models.storage import announce, busy_note_path, current_activity

    path = tmp_path / "a.tongdang"
    note = busy_note_path(path)
    with announce(path, "导入台账"):
        assert json.loads(note.read_text(encoding="utf-8"))["pid"] == os.getpid()
        note.write_text('{"what": "导入台账", "pid": 1}{"what": "导', encoding="utf-8")
        assert current_activity(path) == "写入档案库"
    assert note.exists()  # not ours to remove
    with announce(path, "导入台账"):
        pass
    assert not note.exists()
    assert not list(tmp_path.glob(".*.busy.*"))  # no drafts left beside the archive


def test_opening_waits_while_another_program_is_opening(new_archive):
    # An opening program holds the lock alone for a moment; a second one opening just then
    # used to be told that a restore was replacing the archive.
    import threading

    path = new_archive.path
    new_archive.close()
    opener = ArchiveLock(path)
    assert opener.try_exclusive()
    threading.Timer(0.3, opener.try_shared).start()  # the first program goes on to share it
    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    archive.close()
    opener.release()
