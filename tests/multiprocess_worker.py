"""Programs that share one archive, for tests/models/test_two_programs.py.

``python tests/multiprocess_worker.py MODE ARCHIVE ...`` (recovery code from the environment):

* ``hold ARCHIVE READY GO``: like a long import: announce it, take the write lock, write
  one child, create READY, wait until GO exists, then commit.
* ``saves ARCHIVE N TAG``: like the window: N saves, each a contact and an update, as a
  clerk; prints ``saved K`` after each commit and ``refused MESSAGE`` when one is refused.
* ``session ARCHIVE``: the window kept open: reads ``save TAG`` lines on stdin and answers
  ``saved TAG`` or ``refused MESSAGE`` (one line each); ``quit`` closes the archive.
"""

import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.worker import user_message
from forms.idnumber import make_id_number
from models import storage
from models.archive import Archive
from models.roles import CLERK
from models.schema import Child, Contact


def _open(path):
    archive, _ = Archive.open(Path(path))
    archive.login_as("clerk", CLERK)
    return archive


def _save(writer, tag: str) -> None:
    writer.create(Contact, child=1, on=date(2026, 1, 2), kind="电话", problems=tag)
    writer.update(Child.get_by_id(1), notes=tag)


def hold(path, ready, go) -> int:
    archive = _open(path)
    with storage.announce(archive.path, "导入台账"), archive.db.atomic():
        number = make_id_number("140428", date(2015, 6, 1), 901, True)
        archive.writer().create(Child, id_number=number, name="长导入", entered_on=date(2026, 1, 1))
        Path(ready).write_text("ready")
        while not Path(go).exists():
            time.sleep(0.02)
    archive.close()
    return 0


def saves(path, n, tag) -> int:
    archive = _open(path)
    writer = archive.writer()
    for k in range(int(n)):
        try:
            _save(writer, f"{tag}-{k}")
        except Exception as exc:  # noqa: BLE001 - what the window would show
            print(f"refused {user_message(exc)}", flush=True)
            continue
        print(f"saved {k}", flush=True)
    archive.close()
    return 0


def session(path) -> int:
    archive = _open(path)
    writer = archive.writer()
    print("open", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        try:
            _save(writer, parts[1])
        except Exception as exc:  # noqa: BLE001 - what the window would show
            print(f"refused {user_message(exc)}", flush=True)
            continue
        print(f"saved {parts[1]}", flush=True)
    archive.close()
    print("closed", flush=True)
    return 0


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    sys.exit({"hold": hold, "saves": saves, "session": session}[mode](*rest))
