"""Time the Excel ledger import: N children (default 10,000) with 5 visits each.

Builds the ledger from the template with openpyxl (not timed), then times reading and
checking alone, the first import into an empty archive, and a re-import of the same file
(which must change nothing). Run:

    python bench/bench_import.py [children] [visits_per_child]
"""

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring
import keyring.backend
from openpyxl import load_workbook

from exports.ledger_template import write_ledger_template
from forms.idnumber import make_id_number
from models.archive import Archive
from models.derived import attach
from models.ledger_import import import_ledger, validate_ledger
from models.schema import AuditEntry, Child, Contact

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "小明红华军兰雨梅强丽伟芳杰静磊敏"


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


def child_row(i: int) -> list:
    birth = date(2010 + i % 14, 1 + i % 12, 1 + i % 28)
    number = make_id_number("140428", birth, i, i % 2 == 0)
    name = SURNAMES[i % 20] + GIVEN[i % 16] + GIVEN[(i // 16) % 16]
    away = i % 5 != 0
    return [name, number, "汉族", "农村", f"{SURNAMES[i % 20]}家{i % 40}村", f"{i % 40}组{i}号",
            "中心小学", "三年级", "小学", "健康", None, None, "低保" if i % 9 == 0 else None,
            "是" if i % 13 == 0 else "否", "辍学" if i % 97 == 0 else None,
            SURNAMES[i % 20] + "建国", make_id_number("140428", date(1985, 3, 3), i, True),
            "外出务工" if away else "在家", "跨省" if away else None,
            date(2024, 1, 1) if away else None, "13800138000",
            "李秀英", None, "外出务工", "跨市", date(2024, 2, 1), "13900139000",
            "王桂兰", "祖母", None, "13700137000", f"主任{i % 40}", date(2025, 1, 1), None], number


def build_ledger(path: Path, children: int, visits: int) -> None:
    write_ledger_template(path)
    wb = load_workbook(path)
    ws, wv = wb["儿童"], wb["走访记录"]
    for i in range(children):
        row, number = child_row(i)
        ws.append(row)
        for k in range(visits):
            wv.append([number, date(2025, 2 + k % 10, 1 + i % 28), "入户走访" if k % 3 == 0 else "电话",
                       f"主任{i % 40}", "生活正常，照护人照料较好", None, None])
    wb.save(path)


def _time_refreshes(archive) -> list[float]:
    spent = [0.0]
    refresh = archive.on_children_changed

    def timed(ids):
        cpu = time.process_time()
        refresh(ids)
        spent[0] += time.process_time() - cpu

    archive.on_children_changed = timed
    return spent


def main() -> None:
    children = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    visits = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "台账.xlsx"
        t = time.perf_counter()
        build_ledger(ledger, children, visits)
        print(f"ledger built: {children} children, {children * visits} visits, "
              f"{ledger.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - t:.1f} s, not counted)")

        t, cpu = time.perf_counter(), time.process_time()
        check = validate_ledger(ledger)
        print(f"read + check only:   {time.perf_counter() - t:6.2f} s wall {time.process_time() - cpu:6.2f} s CPU"
              f"  ({len(check.issues)} issues)")

        archive, _ = Archive.create(Path(tmp) / "a.tongdang", "丹朱镇", "长子县", "changzhi",
                                    recovery_code=CODE)
        attach(archive)
        refresh_cpu = _time_refreshes(archive)
        t, cpu = time.perf_counter(), time.process_time()
        summary = import_ledger(ledger, archive.writer())
        first = time.perf_counter() - t
        print(f"first import:        {first:6.2f} s wall {time.process_time() - cpu:6.2f} s CPU"
              f"  ({summary.new_children} children, "
              f"{summary.visits_added} visits, {Child.select().count()} / {Contact.select().count()} in DB)")
        print(f"  of which refreshing the cached colour and due dates: {refresh_cpu[0]:.2f} s CPU")
        before = AuditEntry.select().count()
        t, cpu = time.perf_counter(), time.process_time()
        summary = import_ledger(ledger, archive.writer())
        print(f"re-import (no-op):   {time.perf_counter() - t:6.2f} s wall {time.process_time() - cpu:6.2f} s CPU"
              f"  "
              f"({summary.unchanged_children} unchanged, "
              f"{AuditEntry.select().count() - before} new audit entries)")
        archive.close()


if __name__ == "__main__":
    main()
