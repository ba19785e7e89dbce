"""Crash-safety harness: a worker that writes until it is killed, and the checks afterwards.

``python tests/crash_worker.py ARCHIVE KEY_HEX JOURNAL EXPORT_DIR`` starts a small server
with everything imported. Each line ``run SEED`` on stdin forks a child that opens the
archive and writes (children, contacts, updates, bulk imports, exports) until it is killed;
the server prints ``pid N`` when the child starts and ``exit STATUS`` when it is gone.
Forking keeps a kill cycle at a few milliseconds instead of a Python start-up.

A change is written to the journal (one fsynced line, append-only) only AFTER its commit
returned, so after any kill everything in the journal must be in the archive.
``check(...)`` lists what is wrong after a kill (empty when the archive is sound).
"""

import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peewee import fn

from exports.atomic import atomic_path
from forms.idnumber import make_id_number
from models import keys, storage
from models.archive import Archive
from models.audit import verify_chain
from models.roles import CLERK
from models.schema import AuditEntry, Child, Contact, database

AREA = "140428"
EXPORT_NAMES = 6  # exports reuse a few names, so that replacing a file is exercised too
BULK_PREFIX = "bulk:"
UPDATE_PREFIX = "upd:"


# --- the worker --------------------------------------------------------------------------

class Journal:
    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def log(self, **record) -> None:
        os.write(self.fd, (json.dumps(record, ensure_ascii=False) + "\n").encode())
        os.fsync(self.fd)


def work(archive_path: Path, key_hex: str, journal_path: Path, export_dir: Path, seed: int,
         max_ops: int = 100000) -> None:
    rng = random.Random(seed)
    db = storage.connect(archive_path, key_hex)
    database.initialize(db)
    archive = Archive(archive_path, db)
    archive.login_as("crash", CLERK)
    writer = archive.writer()
    journal = Journal(journal_path)
    ops = [(_create_child, 3), (_add_contact, 3), (_update_child, 2), (_bulk_contacts, 1),
           (_bulk_children, 1), (_export, 2)]
    funcs, weights = zip(*ops, strict=True)
    for i in range(max_ops):
        op = rng.choices(funcs, weights)[0]
        op(writer, journal, rng, f"{seed}-{i}", export_dir)


def _next_child_fields(n: int, name: str) -> dict:
    birth = date(2009, 1, 1) + timedelta(days=n // 400)
    return {"id_number": make_id_number(AREA, birth, (n % 400) * 2 + 1, True), "name": name,
            "entered_on": date(2025, 1, 1)}


def _max_child() -> int:
    return Child.select(Child.id).order_by(Child.id.desc()).scalar() or 0


def _create_child(writer, journal, rng, tag, export_dir):
    child = writer.create(Child, **_next_child_fields(_max_child() + 1, f"测试{tag}"))
    journal.log(op="child", id=child.id, name=child.name)


def _some_child(rng) -> int | None:
    top = _max_child()
    return rng.randint(1, top) if top else None


def _add_contact(writer, journal, rng, tag, export_dir):
    child_id = _some_child(rng)
    if child_id is None:
        return
    contact = writer.create(Contact, child=child_id, on=date(2025, 6, 1), kind="电话",
                            problems=f"contact:{tag}")
    journal.log(op="contact", id=contact.id, token=f"contact:{tag}")


def _update_child(writer, journal, rng, tag, export_dir):
    child_id = _some_child(rng)
    if child_id is None:
        return
    stamp = time.time_ns()
    writer.update(Child.get_by_id(child_id), notes=f"{UPDATE_PREFIX}{stamp}")
    journal.log(op="update", id=child_id, stamp=stamp)


def _bulk_contacts(writer, journal, rng, tag, export_dir):
    child_id = _some_child(rng)
    if child_id is None:
        return
    n = rng.randint(10, 80)
    marker = f"{BULK_PREFIX}{tag}:{n}"
    rows = [{"child": child_id, "on": date(2025, 1, 1) + timedelta(days=k), "kind": "入户走访",
             "follow_up": marker} for k in range(n)]
    ids = writer.create_many(Contact, rows)
    journal.log(op="bulk_contacts", marker=marker, n=n, first=ids[0], last=ids[-1])


def _bulk_children(writer, journal, rng, tag, export_dir):
    n = rng.randint(5, 40)
    start = _max_child() + 1
    marker = f"{BULK_PREFIX}{tag}:{n}"
    rows = []
    for k in range(n):
        fields = _next_child_fields(start + k, f"导入{tag}-{k}")
        fields["address"] = marker  # not notes: updates overwrite those
        rows.append(fields)
    writer.create_many(Child, rows)
    journal.log(op="bulk_children", marker=marker, n=n)


def _export(writer, journal, rng, tag, export_dir):
    name = f"导出{rng.randrange(EXPORT_NAMES)}.txt"
    body = os.urandom(rng.randint(1, 300) * 1024).hex()
    header = f"{hashlib.sha256(body.encode()).hexdigest()} {len(body)}\n"
    with atomic_path(Path(export_dir) / name) as tmp, open(tmp, "w", encoding="ascii") as f:
        f.write(header)
        for start in range(0, len(body), 65536):
            f.write(body[start:start + 65536])
            f.flush()
    journal.log(op="export", name=name, sha=header.split()[0])


def serve(archive_path: Path, key_hex: str, journal_path: Path, export_dir: Path) -> None:
    from models.pinyin import name_pinyin

    name_pinyin("测试")  # load the dictionary once, not in every child
    # Collect once and freeze what is loaded, as the docs advise before forking: otherwise
    # a child's first write pays for collecting the server's young objects (the pinyin
    # dictionary) — tens of milliseconds, longer than many of the random kill delays.
    import gc

    gc.collect()
    gc.freeze()
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            return
        seed = int(parts[1])
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                work(archive_path, key_hex, journal_path, export_dir, seed)
            except BaseException as exc:  # noqa: BLE001 - reported through the exit status
                print(f"worker error: {exc!r}", file=sys.stderr, flush=True)
                status = 3
            os._exit(status)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


# --- the checks ----------------------------------------------------------------------------

def read_journal(journal_path: Path) -> list[dict]:
    records = []
    if not journal_path.exists():
        return records
    lines = journal_path.read_bytes().split(b"\n")
    for n, line in enumerate(lines):
        if not line:
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            if n != len(lines) - 1:
                raise  # only the very last line may be cut short by the kill
    return records


def check(archive_path: Path, key_hex: str, journal_path: Path, export_dir: Path,
          full_chain: bool = True) -> list[str]:
    """Everything that is wrong with the archive and the export folder after a kill."""
    db = storage.connect(archive_path, key_hex)
    database.initialize(db)
    try:
        problems = [f"integrity: {p}" for p in storage.integrity_problems(db)]
        problems += _journal_problems(read_journal(journal_path))
        problems += _bulk_problems()
        problems += _audit_pairing_problems(db)
        if full_chain:
            problems += [f"chain: {p.message}" for p in verify_chain()]
    finally:
        storage.checkpoint(db)
        db.close()
    problems += export_problems(export_dir, read_journal(journal_path))
    return problems


def _journal_problems(records: list[dict]) -> list[str]:
    # A few whole-table reads instead of a query per record: this runs after every kill.
    names = dict(Child.select(Child.id, Child.name).tuples())
    notes = dict(Child.select(Child.id, Child.notes).tuples())
    tokens = dict(Contact.select(Contact.id, Contact.problems).tuples())
    bulk = _bulk_counts()
    problems = []
    last_update: dict[int, int] = {}
    for r in records:
        if r["op"] == "child" and names.get(r["id"]) != r["name"]:
            problems.append(f"committed child {r['id']} missing")
        elif r["op"] == "contact" and tokens.get(r["id"]) != r["token"]:
            problems.append(f"committed contact {r['id']} missing")
        elif r["op"] == "update":
            last_update[r["id"]] = max(last_update.get(r["id"], 0), r["stamp"])
        elif r["op"] in ("bulk_contacts", "bulk_children") and bulk.get(r["marker"]) != r["n"]:
            problems.append(f"committed bulk import {r['marker']} incomplete")
    for child_id, stamp in last_update.items():
        text = notes.get(child_id, "")
        if not text.startswith(UPDATE_PREFIX) or int(text[len(UPDATE_PREFIX):]) < stamp:
            problems.append(f"committed update of child {child_id} lost ({text!r})")
    return problems


def _bulk_counts() -> dict[str, int]:
    counts = {}
    for model, field in ((Contact, Contact.follow_up), (Child, Child.address)):
        query = (model.select(field, fn.COUNT(model.id)).where(field.startswith(BULK_PREFIX))
                 .group_by(field).tuples())
        counts.update(dict(query))
    return counts


def _bulk_problems() -> list[str]:
    """A bulk import is all there or not at all (the marker carries the row count)."""
    return [f"half-applied bulk import {marker}: {count} rows"
            for marker, count in _bulk_counts().items()
            if count != int(marker.rsplit(":", 1)[1])]


def _audit_pairing_problems(db) -> list[str]:
    """Every row is covered by a 'create' audit entry (one row, or a bulk range of ids) and
    every such entry's rows are all there."""
    problems = []
    for table in ("child", "contact"):
        ids = {r[0] for r in db.execute_sql(f'SELECT id FROM "{table}"').fetchall()}
        covered: set[int] = set()
        orphan_entries = 0
        for first, last in db.execute_sql(
                "SELECT record_id, coalesce(last_record_id, record_id) FROM audit_entry "
                f"WHERE \"table\" = '{table}' AND action = 'create'").fetchall():
            span = set(range(first, last + 1))
            covered |= span
            orphan_entries += not span <= ids
        orphan_rows = len(ids - covered)
        if orphan_rows:
            problems.append(f"{orphan_rows} {table} rows without their audit entry")
        if orphan_entries:
            problems.append(f"{orphan_entries} {table} audit entries without their row")
    return problems


def export_problems(export_dir: Path, records: list[dict]) -> list[str]:
    """Every export file under its name is whole; nothing but whole files and temp files."""
    problems = []
    for path in Path(export_dir).iterdir():
        if is_temp(path):
            continue
        text = path.read_text(encoding="ascii", errors="replace")
        header, _, body = text.partition("\n")
        sha, _, length = header.partition(" ")
        if not length.isdigit() or len(body) != int(length) or \
                hashlib.sha256(body.encode()).hexdigest() != sha:
            problems.append(f"partial export file {path.name}")
    problems.extend(f"committed export {r['name']} missing" for r in records
                    if r["op"] == "export" and not (Path(export_dir) / r["name"]).exists())
    return problems


def is_temp(path: Path) -> bool:
    """The temporary name exports.atomic uses (".<stem>.<random>.part")."""
    return path.name.startswith(".") and path.name.endswith(".part")


def sweep_temps(export_dir: Path) -> int:
    """What the app should do at start: remove temp files an interrupted export left."""
    temps = [p for p in Path(export_dir).iterdir() if is_temp(p)]
    for p in temps:
        p.unlink()
    return len(temps)


# --- a kill campaign (used by tests/models/test_crash.py and bench/crash_long.py) ----------

def campaign(workdir: Path, kills: int, seed: int = 0, max_delay: float = 0.05,
             chain_every: int = 5, recovery_code: str | None = None) -> dict:
    """Start, kill and check ``kills`` times; stops at the first problem (in the result)."""
    workdir = Path(workdir)
    exports = workdir / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    path, journal = workdir / "crash.tongdang", workdir / "journal.jsonl"
    code = recovery_code or keys.new_recovery_code()
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=code)
    archive.close()
    key_hex = keys.key_from_recovery_code(code)
    rng = random.Random(seed)
    server = subprocess.Popen([sys.executable, __file__, str(path), key_hex, str(journal),
                               str(exports)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    stats = {"kills": 0, "finished_before_kill": 0, "temps_swept": 0, "problems": []}
    try:
        for k in range(kills):
            server.stdin.write(f"run {seed * 1_000_000 + k}\n")
            server.stdin.flush()
            pid = int(server.stdout.readline().split()[1])
            time.sleep(rng.uniform(0, max_delay))
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            status = int(server.stdout.readline().split()[1])
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
                stats["kills"] += 1
            else:
                stats["finished_before_kill"] += 1
            full = k % chain_every == 0 or k == kills - 1
            problems = check(path, key_hex, journal, exports, full_chain=full)
            stats["temps_swept"] += sweep_temps(exports)
            if problems or not os.WIFSIGNALED(status):
                stats["problems"] = problems or [f"worker ended by itself (status {status})"]
                stats["failed_at"] = k
                break
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    stats.update(_totals(path, key_hex, journal))
    return stats


def _totals(path: Path, key_hex: str, journal: Path) -> dict:
    records = read_journal(journal)
    db = storage.connect(path, key_hex)
    database.initialize(db)
    try:
        return {"children": Child.select().count(), "contacts": Contact.select().count(),
                "audit_entries": AuditEntry.select().count(),
                "journal_records": len(records),
                "exports": sum(1 for r in records if r["op"] == "export")}
    finally:
        db.close()


if __name__ == "__main__":
    path, key, journal, exports = sys.argv[1:5]
    serve(Path(path), key, Path(journal), Path(exports))
