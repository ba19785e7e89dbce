"""The long fuzz run of issue 18: 10,000 generated ledgers checked and imported, counting
tracebacks, time and peak memory. Outside the default run (the default run has the 1,000
examples of ``test_bad_input_ledger``); run it with

    TONGDANG_FUZZ_LEDGERS=10000 pytest tests/models/test_fuzz_ledgers.py -s

It prints: examples, accepted, refused, tracebacks, seconds, the process peak and the
largest rise of that peak caused by one ledger (asserted under 500 MB).
"""

import os
import resource
import time
import traceback
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from exports.ledger_report import write_issue_report
from models.ledger_import import LedgerInvalid, import_ledger, validate_ledger
from tests.models.test_bad_input_ledger import ledgers, write

EXAMPLES = int(os.environ.get("TONGDANG_FUZZ_LEDGERS", "0") or 0)
STATS = {"examples": 0, "accepted": 0, "refused": 0, "tracebacks": [], "growth_mb": 0}


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


@pytest.mark.slow
@pytest.mark.skipif(not EXAMPLES, reason="set TONGDANG_FUZZ_LEDGERS=10000 to run")
def test_many_generated_ledgers(new_archive, tmp_path):
    started = time.perf_counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(sheets=ledgers())
    def one(sheets):
        STATS["examples"] += 1
        path = tmp_path / "台账.xlsx"
        write(path, sheets)
        before = peak_mb()
        try:
            validate_ledger(path, new_archive, today=date(2026, 1, 1))
            import_ledger(path, new_archive.writer(), today=date(2026, 1, 1),
                          report_path=tmp_path / "报告.xlsx", write_report=write_issue_report)
        except LedgerInvalid:
            STATS["refused"] += 1
        except Exception:  # noqa: BLE001 -- counted, then the test fails
            STATS["tracebacks"].append(traceback.format_exc())
        else:
            STATS["accepted"] += 1
        # How far this one ledger pushed the process's peak (the process itself grows
        # over thousands of examples: hypothesis's records and one archive for them all).
        STATS["growth_mb"] = max(STATS["growth_mb"], peak_mb() - before)
        if STATS["examples"] % 250 == 0:
            print(f"fuzz: {STATS['examples']} done, {len(STATS['tracebacks'])} tracebacks, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)

    one()
    print(f"\nfuzz: {STATS['examples']} ledgers, {STATS['accepted']} imported, "
          f"{STATS['refused']} refused, {len(STATS['tracebacks'])} tracebacks, "
          f"{time.perf_counter() - started:.0f} s, process peak {peak_mb()} MB, "
          f"largest rise of the peak by one ledger {STATS['growth_mb']} MB")
    assert STATS["tracebacks"] == [], STATS["tracebacks"][:3]
    assert STATS["growth_mb"] < 500
