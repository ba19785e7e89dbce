"""Crash safety: a worker writing to the archive is SIGKILLed at random moments (≥ 200 times).

After every kill the archive must pass integrity_check, hold every change the worker's journal
says was committed, hold no half bulk import, no row without its audit entry (or the reverse),
keep a verifying audit chain, and the export folder must hold no partial file under a real name.
The long run (1,000+ kills) is ``bench/crash_long.py``.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import crash_worker

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses fork and SIGKILL")

CAMPAIGNS, KILLS = 4, 55


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(CAMPAIGNS))
def test_random_kills_leave_a_sound_archive(tmp_path, seed):
    stats = crash_worker.campaign(tmp_path, KILLS, seed=seed, max_delay=0.08, chain_every=5)
    assert stats["problems"] == []
    assert stats["kills"] + stats["finished_before_kill"] == KILLS and stats["kills"] >= KILLS - 2
    # The worker really wrote between kills (the campaign is not killing idle processes).
    assert stats["journal_records"] >= KILLS
    assert stats["audit_entries"] >= stats["journal_records"] - stats["exports"]


# --- the checks themselves find damage (so the campaign above can fail) ------------------

def _check(workdir: Path, key_hex: str) -> list[str]:
    return crash_worker.check(workdir / "crash.tongdang", key_hex, workdir / "journal.jsonl",
                              workdir / "exports")


def test_check_finds_half_applied_and_missing_changes(tmp_path):
    from models import keys, storage

    code = keys.new_recovery_code()
    stats = crash_worker.campaign(tmp_path, 8, seed=99, max_delay=0.1, recovery_code=code)
    key_hex = keys.key_from_recovery_code(code)
    assert stats["problems"] == [] and _check(tmp_path, key_hex) == []
    records = crash_worker.read_journal(tmp_path / "journal.jsonl")
    bulk = next(r for r in records if r["op"] == "bulk_contacts")
    child = next(r for r in records if r["op"] == "child")

    db = storage.connect(tmp_path / "crash.tongdang", key_hex)
    db.execute_sql("DELETE FROM contact WHERE id = ?", (bulk["last"],))
    db.execute_sql("UPDATE child SET name = '改名' WHERE id = ?", (child["id"],))
    db.close()
    problems = _check(tmp_path, key_hex)
    assert f"half-applied bulk import {bulk['marker']}: {bulk['n'] - 1} rows" in problems
    assert f"committed bulk import {bulk['marker']} incomplete" in problems
    assert f"committed child {child['id']} missing" in problems
    assert "1 contact audit entries without their row" in problems  # the bulk entry's range


def test_check_finds_partial_exports_and_lost_audit_entries(tmp_path):
    from models import keys, storage

    code = keys.new_recovery_code()
    crash_worker.campaign(tmp_path, 8, seed=7, max_delay=0.1, recovery_code=code)
    key_hex = keys.key_from_recovery_code(code)
    exports = tmp_path / "exports"
    (exports / "导出9.txt").write_text("0" * 64 + " 100\nshort", encoding="ascii")
    (exports / ".导出9.abc123.part").write_text("half", encoding="ascii")
    db = storage.connect(tmp_path / "crash.tongdang", key_hex)
    db.execute_sql("DELETE FROM audit_entry WHERE id = (SELECT min(id) FROM audit_entry "
                   "WHERE \"table\" = 'child' AND action = 'create')")
    db.close()
    problems = _check(tmp_path, key_hex)
    assert "partial export file 导出9.txt" in problems
    assert "1 child rows without their audit entry" in problems
    assert any(p.startswith("chain: ") for p in problems)
    assert crash_worker.sweep_temps(exports) == 1
