"""Two clerks saving the same record: the second is told, in Chinese, who changed what."""

from datetime import date

import pytest

from models.schema import Child, database
from models.server.conflicts import EditConflict


def open_as(county, login):
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    archive, _ = ServerArchive.open(county.setting(login), PASSWORD)
    archive.login_as(county.logins[login], archive.login_role())
    return archive


def test_the_second_save_is_told_who_changed_what(county, two_children):
    child_id = two_children["甲镇"]
    first = open_as(county, "clerk_a")
    loaded_by_first = Child.get_by_id(child_id)  # the first clerk's editor is open
    second = open_as(county, "admin_a")
    second.writer().update(Child.get_by_id(child_id), school="城关一小")
    database.initialize(first.db)  # back to the first clerk, who saves later
    with pytest.raises(EditConflict) as caught:
        first.writer().update(loaded_by_first, school="中心小学", grade="三年级")
    message = str(caught.value)
    assert county.logins["admin_a"] in message
    assert "“（空）”改为“城关一小”" in message
    assert "您的修改没有保存" in message and "重新载入" in message
    assert caught.value.current["school"] == "城关一小"
    # Nothing of the first clerk's save was written; after reloading it saves.
    reloaded = Child.get_by_id(child_id)
    assert (reloaded.school, reloaded.grade) == ("城关一小", "")
    first.writer().update(reloaded, grade="三年级")
    assert Child.get_by_id(child_id).grade == "三年级"
    first.close()
    second.close()


def test_a_save_after_another_clerks_visit_is_no_conflict(county, two_children):
    """Cached results change when anyone records a visit; they are not the clerk's data."""
    from models.schema import Contact

    child_id = two_children["甲镇"]
    first = open_as(county, "clerk_a")
    loaded = Child.get_by_id(child_id)
    second = open_as(county, "admin_a")
    second.writer().create(Contact, child=child_id, on=date(2026, 11, 20), kind="入户走访")
    Child.update(colour="yellow", state_on=date(2026, 11, 25)).where(Child.id == child_id).execute()
    database.initialize(first.db)
    first.writer().update(loaded, school="中心小学")
    assert Child.get_by_id(child_id).school == "中心小学"
    first.close()
    second.close()


def test_the_database_counts_versions_and_names_who_changed_a_row(county, two_children):
    clerk = county.plain_sql("clerk_a")
    clerk.execute("UPDATE child SET school = '一小' WHERE id = %s", (two_children["甲镇"],))
    clerk.execute("UPDATE child SET school = '二小' WHERE id = %s", (two_children["甲镇"],))
    version, by = clerk.execute("SELECT row_version, changed_by FROM child WHERE id = %s",
                                (two_children["甲镇"],)).fetchone()
    assert (version, by) == (3, county.logins["clerk_a"])
