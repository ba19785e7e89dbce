"""Drafts of unsaved edits on the server: each clerk of a township keeps their own."""

from datetime import date

from models.schema import database


def open_as(county, login):
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    archive, _ = ServerArchive.open(county.setting(login), PASSWORD)
    return archive


def test_two_clerks_of_a_township_keep_their_own_drafts(county):
    first = open_as(county, "clerk_a")
    first.drafts.keep("new_child", {"name": "张小明", "entered_on": date(2026, 3, 1)})
    second = open_as(county, "admin_a")
    assert second.drafts.load("new_child") is None and second.drafts.pending() == []
    second.drafts.keep("new_child", {"name": "王小芳"})
    second.drafts.discard("new_child")
    database.initialize(first.db)
    assert first.drafts.pending() == ["new_child"]
    assert first.drafts.load("new_child") == {"name": "张小明", "entered_on": date(2026, 3, 1)}
    first.close()
    second.close()
