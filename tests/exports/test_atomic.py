"""Exports are written whole or not at all; leftovers of a killed export are swept."""

import os
import time

import pytest

from exports.atomic import ExportCancelled, atomic_path, sweep_leftovers


def test_success_moves_the_file_into_place(tmp_path):
    target = tmp_path / "档案.pdf"
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"%PDF whole")
    assert target.read_bytes() == b"%PDF whole"
    assert [p.name for p in tmp_path.iterdir()] == ["档案.pdf"]


def test_cancel_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "档案.pdf"
    target.write_bytes(b"old")
    with pytest.raises(ExportCancelled), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise ExportCancelled()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["档案.pdf"]


def test_leftovers_of_a_killed_export_are_swept_on_the_next_export(tmp_path):
    target = tmp_path / "档案.pdf"
    stale = tmp_path / ".档案.k3j2.part"
    fresh = tmp_path / ".档案.x9z1.part"  # maybe an export still running in another window
    other = tmp_path / ".其他.a1b2.part"
    for path in (stale, fresh, other):
        path.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    os.utime(other, (an_hour_ago, an_hour_ago))
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"whole")
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # only old leftovers of this target
    assert sweep_leftovers(tmp_path / "其他.pdf") == [other]


def test_a_folder_appears_whole_or_not_at_all(tmp_path):
    from exports.atomic import atomic_folder

    target = tmp_path / "抽查材料"
    with pytest.raises(ExportCancelled), atomic_folder(target, "抽查材料") as tmp:
        (tmp / "a.pdf").write_bytes(b"half")
        raise ExportCancelled()
    assert list(tmp_path.iterdir()) == []
    target.mkdir()  # an empty folder chosen in a dialog is used
    with atomic_folder(target, "抽查材料") as tmp:
        (tmp / "a.pdf").write_bytes(b"whole")
    assert [p.name for p in tmp_path.iterdir()] == ["抽查材料"]
    assert (target / "a.pdf").read_bytes() == b"whole"
