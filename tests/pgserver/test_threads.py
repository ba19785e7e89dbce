"""A county login that opened one township: the background tasks' threads work in that
township too (each thread has its own connection to the server)."""

import threading
import time

from models.schema import Child


def count_in_another_thread() -> int:
    found = {}
    thread = threading.Thread(target=lambda: found.update(names=[
        c.name for c in Child.select().order_by(Child.id)]))
    thread.start()
    thread.join(30)
    return found.get("names")


def test_a_county_login_stays_in_its_chosen_township_in_every_thread(county, two_children):
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    archive, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD, township="乙镇")
    assert [c.name for c in Child.select()] == ["李小红"]
    assert count_in_another_thread() == ["李小红"]
    archive.close()
    whole, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD)
    assert count_in_another_thread() == ["张小明", "李小红"]
    whole.close()


def test_closing_the_archive_closes_the_threads_connections(county, two_children):
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    archive, _ = ServerArchive.open(county.setting("clerk_a"), PASSWORD)
    assert count_in_another_thread() == ["张小明"]
    owner = county.plain_owner()
    sessions = "SELECT count(*) FROM pg_stat_activity WHERE usename = %s"
    assert owner.execute(sessions, (county.logins["clerk_a"],)).fetchone()[0] == 2
    archive.close()
    for _ in range(100):  # a server process ends a moment after its client has gone
        if owner.execute(sessions, (county.logins["clerk_a"],)).fetchone()[0] == 0:
            break
        time.sleep(0.1)
    assert owner.execute(sessions, (county.logins["clerk_a"],)).fetchone()[0] == 0
    owner.close()
