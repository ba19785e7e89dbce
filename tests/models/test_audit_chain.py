"""Tampering outside the app is found: by verify_chain() and by ``tongdang verify``."""

import json
from datetime import date

import pytest

from desktop.cli import main
from models.audit import history, verify_chain
from models.backup import archive_problems
from models.schema import AuditEntry, Child


@pytest.fixture
def archive_env(demo_archive, monkeypatch):
    monkeypatch.setenv("TONGDANG_ARCHIVE", str(demo_archive.path))
    monkeypatch.delenv("TONGDANG_RECOVERY_CODE", raising=False)
    return demo_archive


def run_verify(capsys):
    status = main(["verify"])
    return status, capsys.readouterr().out


def test_clean_archive_verifies(archive_env, capsys):
    assert verify_chain() == []
    archive_env.close()
    status, out = run_verify(capsys)
    assert status == 0
    assert "检查通过" in out and "审计记录前后衔接" in out


def test_edited_audit_row_is_found(archive_env, capsys):
    entry = AuditEntry.select().where(AuditEntry.table == "child").order_by(AuditEntry.id).first()
    changes = json.loads(entry.changes)
    changes["name"] = [None, "张冒名"]
    archive_env.db.execute_sql("UPDATE audit_entry SET changes = ? WHERE id = ?",
                               (json.dumps(changes, ensure_ascii=False), entry.id))
    problems = verify_chain()
    assert [p.entry_id for p in problems] == [entry.id]
    assert problems[0].message == f"审计记录第{entry.id}条的内容被改动过。"
    archive_env.close()
    status, out = run_verify(capsys)
    assert status == 1
    assert f"审计记录第{entry.id}条的内容被改动过。" in out and "发现1个问题" in out


def test_deleted_audit_row_is_found(archive_env, capsys):
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first().id
    victim = last // 2
    archive_env.db.execute_sql("DELETE FROM audit_entry WHERE id = ?", (victim,))
    messages = [p.message for p in verify_chain()]
    assert f"审计记录第{victim}至{victim}条被删除。" in messages
    assert f"审计记录第{victim + 1}条与上一条不衔接（前一条被改动或删除）。" in messages
    archive_env.close()
    status, out = run_verify(capsys)
    assert status == 1 and f"审计记录第{victim}至{victim}条被删除。" in out


def test_rewritten_hash_is_found_at_the_next_entry(archive_env):
    # Someone edits an entry and recomputes its hash: the following entry no longer links.
    from models.audit import entry_hash

    entry = AuditEntry.select().order_by(AuditEntry.id).offset(10).first()
    changes = entry.changes[:-1] + ', "notes": [null, "补记"]}'
    at = entry.at.isoformat(sep=" ")
    new_hash = entry_hash(entry.prev_hash, at, entry.username, entry.table, entry.record_id,
                          entry.action, changes)
    archive_env.db.execute_sql("UPDATE audit_entry SET changes = ?, hash = ? WHERE id = ?",
                               (changes, new_hash, entry.id))
    problems = verify_chain()
    assert [p.entry_id for p in problems] == [entry.id + 1]


@pytest.mark.both_backends
def test_writes_through_the_writer_keep_the_chain(demo_archive):
    writer = demo_archive.writer()
    child = Child.get_by_id(3)
    writer.update(child, notes="第一次修改")
    writer.close_child(child, date(2026, 1, 1), "年满18周岁")
    writer.reopen_child(child, "误结案")
    assert verify_chain() == [] and archive_problems(demo_archive) == []
    assert [e.action for e in history("child", 3)] == ["create", "update", "close", "reopen"]


def test_damaged_page_is_reported_by_verify(archive_env, capsys):
    archive_env.close()
    path = archive_env.path
    data = bytearray(path.read_bytes())
    data[4096 * 3 + 100] ^= 0xFF  # one byte inside a page in the middle of the file
    path.write_bytes(bytes(data))
    status, out = run_verify(capsys)
    err = capsys.readouterr().err
    assert status in (1, 2)  # 1: found by the checks; 2: the archive does not open at all
    assert "档案库文件已损坏" in out + err
