"""Time ``tongdang check --json`` on a demo archive (default 20,000 children).

The demo archive is generated once (takes a few minutes) and kept in the temp folder for
later runs. Run:

    python bench/bench_check.py [children]
"""

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring
import keyring.backend

from desktop.cli import main as cli
from models import demo
from models.archive import Archive
from models.derived import refresh_all

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.store = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


def demo_archive(children: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"tongdang-bench-check-{children}.tongdang"
    if path.exists():
        return path
    t = time.perf_counter()
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=CODE,
                                is_demo=True)
    demo.generate(children, seed=7, writer=archive.writer())
    refresh_all()
    archive.close()
    print(f"demo archive generated in {time.perf_counter() - t:.0f} s (not counted)")
    return path


def main() -> None:
    children = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    keyring.set_keyring(MemoryKeyring())
    path = demo_archive(children)
    Archive.open(path, recovery_code=CODE)[0].close()  # the key is in the keyring from now on
    for _ in range(3):
        out = io.StringIO()
        t, cpu = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(out):
            status = cli(["--archive", str(path), "check", "--json"])
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"check --json on {children} children: {elapsed:.2f} s wall, {cpu:.2f} s CPU "
              f"(status {status}, {len(out.getvalue()) / 1e6:.1f} MB of JSON)")
    _phases(path)


def _phases(path: Path) -> None:
    """Where the time goes: loading the facts, the state rules, the completeness rules
    (worked out when the JSON asks for them) and the JSON text."""
    import json
    from datetime import date

    from models.bulk import collector_paused
    from models.profiles import get_profile
    from models.rules import DuplicateIndex, child_states
    from models.schema import Township
    from models.snapshot import load_facts

    archive, _ = Archive.open(path)
    with collector_paused():  # as `tongdang check` does (models/bulk.py)
        cpu = time.process_time()
        facts = load_facts(include_closed=False)
        loaded = time.process_time()
        profile = get_profile(Township.get().profile)
        states = child_states(facts, date.today(), profile, DuplicateIndex.build(facts))
        ruled = time.process_time()
        problems = sum(len(state.problems) for state in states)
        checked = time.process_time()
        json.dumps([s.to_json() for s in states], ensure_ascii=False)
        dumped = time.process_time()
    archive.close()
    print(f"  CPU by phase: load_facts {loaded - cpu:.2f} s, state rules {ruled - loaded:.2f} s, "
          f"completeness rules {checked - ruled:.2f} s ({problems} problems), "
          f"JSON {dumped - checked:.2f} s")


if __name__ == "__main__":
    main()
