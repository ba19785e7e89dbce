"""What the window computes in the background (``desktop/worker.py``: the dashboard of another
day, the annexes, exports) runs in another thread, which reads the archive through its own
connection: on SQLite and on PostgreSQL."""

import threading
from dataclasses import asdict
from datetime import date, timedelta

import pytest

from models import dashboard, reports

pytestmark = pytest.mark.both_backends

ON = date.today() - timedelta(days=20)


def in_another_thread(fn):
    found = {}

    def work():
        try:
            found["value"] = fn()
        except Exception as exc:  # noqa: BLE001 - the test shows what went wrong
            found["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert "error" not in found, found.get("error")
    return found["value"]


def board_of(on):
    board = dashboard.load(on)
    board.from_cache = None
    return asdict(board)


def test_the_dashboard_and_annexes_of_another_day_in_a_background_thread(demo_archive):
    assert in_another_thread(lambda: board_of(ON)) == board_of(ON)
    rows = reports.annex1_form(ON).rows
    assert rows and in_another_thread(lambda: reports.annex1_form(ON).rows) == rows


def test_a_background_write_is_seen_by_the_window(demo_archive):
    from models.schema import Village

    in_another_thread(lambda: demo_archive.writer().create(Village, name="后台村").id)
    assert Village.get(Village.name == "后台村").id
