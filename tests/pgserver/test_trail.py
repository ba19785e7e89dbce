"""The audit trail on the server: one hash chain per township, only ever added to, verified."""

import threading
from datetime import date

import pytest
from psycopg import errors

from models.audit import verify_chain
from models.schema import AuditEntry, WorkLogEntry


def open_as(county, login):
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    archive, _ = ServerArchive.open(county.setting(login), PASSWORD)
    archive.login_as(county.logins[login], archive.login_role())
    return archive


def test_each_township_has_its_own_unbroken_chain(county, two_children):
    for login in ("clerk_a", "clerk_b"):
        archive = open_as(county, login)
        assert AuditEntry.select().count() >= 3  # township, its users, its child
        assert verify_chain() == []
        archive.close()


def test_a_clerk_can_only_add_to_the_trail(county, two_children):
    clerk = county.plain_sql("clerk_a")
    with pytest.raises(errors.InsufficientPrivilege):
        clerk.execute("UPDATE audit_entry SET changes = '{}'")
    clerk = county.plain_sql("clerk_a")
    with pytest.raises(errors.InsufficientPrivilege):
        clerk.execute("DELETE FROM audit_entry")


def test_a_changed_entry_is_found_in_its_township_only(county, two_children):
    owner = county.plain_owner()
    owner.execute("UPDATE audit_entry SET changes = '{}' WHERE \"table\" = 'child' "
                  "AND township_id = %s", (county.townships["乙镇"],))
    archive = open_as(county, "clerk_b")
    assert any("被改动过" in p.message for p in verify_chain())
    archive.close()
    archive = open_as(county, "clerk_a")
    assert verify_chain() == []
    archive.close()


def test_each_entry_says_from_which_pc(county, two_children):
    import socket

    rows = county.plain_owner().execute(
        "SELECT DISTINCT from_pc FROM audit_entry WHERE \"table\" = 'child'").fetchall()
    assert rows == [(f"127.0.0.1 tongdang@{socket.gethostname()}",)]


def test_two_clerks_writing_at_once_keep_one_chain(county, two_children):
    archive = open_as(county, "clerk_a")
    db = archive.db
    errors_seen = []

    def clerk(n):
        try:
            db.connect(reuse_if_open=True)  # each thread has its own connection (a session)
            writer = archive.writer()
            for i in range(15):
                writer.create(WorkLogEntry, child=two_children["甲镇"], on=date(2026, 12, 1),
                              author=f"录入员{n}", content=f"第{i}条")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors_seen.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors_seen == []
    assert WorkLogEntry.select().count() == 30
    assert verify_chain() == []
    archive.close()


def test_verify_on_the_server(county, two_children, monkeypatch, capsys):
    from desktop.cli import main
    from pgserver.pgcluster import PASSWORD

    monkeypatch.setenv("TONGDANG_PASSWORD", PASSWORD)
    assert main(["--server", county.setting("clerk_a"), "verify"]) == 0
    assert "检查通过" in capsys.readouterr().out
