"""Importing a checked ledger into the archive, all or nothing.

``import_ledger`` refuses a ledger with any problem (``LedgerInvalid``; the error report is
written by the ``write_report`` it is given, ``exports.ledger_report.write_issue_report``),
otherwise it imports in one transaction through the writer, so the audit trail shows each
change and a cancel or crash leaves nothing half-imported. Children are matched by ID number:
importing the same ledger twice changes nothing the second time. No Qt here (the GUI calls
this off its thread).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from forms import vocab
from models.ledger_checking import CHUNK, PARENTS, check_ledger
from models.ledger_reading import ImportIssue, IsCancelled, LedgerCheck, Progress, check_cancelled
from models.record_kinds import CARER
from models.records import stored_from
from models.roles import check_can_write
from models.schema import (
    Carer,
    Child,
    ChildDirector,
    Contact,
    DirectorVillage,
    FamilyMember,
    RiskFinding,
    Village,
    database,
)
from models.writer import Writer

# (issues, report path or None for the default beside the ledger, the ledger) -> report path
WriteReport = Callable[[list[ImportIssue], Path | None, Path], Path]
_PERSON_FIELDS = ("name", "id_number", "status", "distance", "away_since", "phone")
# Child columns stored as they are (ledger key = Child field).
_CHILD_FIELDS = ("name", "ethnicity", "registration", "address", "school", "grade", "schooling",
                 "health", "disability_category", "disability_grade", "single_parent",
                 "entered_on", "notes")


@dataclass
class ImportSummary:
    new_children: int = 0
    updated_children: int = 0
    unchanged_children: int = 0
    new_villages: int = 0
    new_directors: int = 0
    visits_added: int = 0
    visits_already_present: int = 0
    risk_findings_added: int = 0

    def lines(self) -> list[str]:
        return [
            f"新建儿童档案：{self.new_children} 名",
            f"更新儿童档案：{self.updated_children} 名",
            f"内容无变化：{self.unchanged_children} 名",
            f"新建村（社区）：{self.new_villages} 个",
            f"新建儿童主任：{self.new_directors} 名",
            f"新增走访记录：{self.visits_added} 条（已有而未重复导入：{self.visits_already_present} 条）",
            f"新增风险情形：{self.risk_findings_added} 项",
        ]


class LedgerInvalid(Exception):
    """The ledger has problems; nothing was imported."""

    def __init__(self, issues: list[ImportIssue], report_path: Path | None = None):
        self.issues = issues
        self.report_path = report_path
        text = f"台账中有 {len(issues)} 处问题，未导入任何数据。"
        if report_path:
            text += f"错误报告已保存到：{report_path}"
        super().__init__(text)


EMPTY_LEDGER = ("台账“{name}”中没有填写任何儿童或走访记录（只有表头），没有可导入的内容。"
                "请在“儿童”表和“走访记录”表中从第2行起逐行填写（每名儿童、每次走访一行）后再导入。")


class LedgerEmpty(Exception):
    """The ledger has no row to import (e.g. the blank template); nothing was imported."""

    def __init__(self, path):
        self.path = Path(path)
        super().__init__(EMPTY_LEDGER.format(name=self.path.name))



# -- importing -------------------------------------------------------------------------------

def import_ledger(path, writer: Writer, progress: Progress | None = None,
                  is_cancelled: IsCancelled | None = None, report_path=None,
                  today: date | None = None, write_report: WriteReport | None = None
                  ) -> ImportSummary:
    """Import a ledger into the open archive, all or nothing.

    Raises ``LedgerInvalid`` (with the report's path) when any cell or row has a problem,
    ``LedgerEmpty`` when there is no row at all (the blank template),
    ``ImportCancelled`` when ``is_cancelled()`` turns true; in both cases nothing changed.
    With ``write_report``, a refused ledger's problems are written to ``report_path`` (by
    default beside the ledger) and ``LedgerInvalid.report_path`` says where.
    ``progress(done, total)`` is called while reading with total 0 (rows read so far, total
    not known yet), then while importing with the real total (children twice, visits once).
    """
    today = today or date.today()
    check_can_write(writer.role, Child)  # a 查阅 user learns it before the file is read
    check = check_ledger(path, True, today, is_cancelled, progress)
    if check.issues:
        raise LedgerInvalid(check.issues, _report(write_report, check.issues, report_path, path))
    if check.empty:
        raise LedgerEmpty(path)
    changed: set[int] = set()
    # Children touched are collected and the cached state refreshed once, at the end.
    quiet = Writer(writer.username, writer.role, changed.update)
    with database.atomic():
        summary = _Importer(quiet, check, today, progress, is_cancelled).run()
        notify = getattr(writer, "_on_children_changed", None)
        if changed and notify is not None:
            notify(changed)
    return summary


def _report(write_report: WriteReport | None, issues: list[ImportIssue], report_path,
            path) -> Path | None:
    if write_report is None:
        return None
    try:
        return write_report(issues, Path(report_path) if report_path else None, Path(path))
    except OSError:
        return None


class _Importer:
    def __init__(self, writer: Writer, check: LedgerCheck, today: date,
                 progress: Progress | None, is_cancelled: IsCancelled | None):
        self.writer, self.check, self.today = writer, check, today
        self.progress, self.is_cancelled = progress, is_cancelled
        self.summary = ImportSummary()
        self.total = len(check.children) * 2 + len(check.visits)
        self.done = 0
        self.child_ids: dict[str, int] = {}  # ID number -> Child.id
        self.changed: set[int] = set()  # existing children with any change
        self.old_ids: set[int] = set()

    def _step(self, count: int = 1) -> None:
        self.done += count
        if self.done % 500 < count or self.done == self.total:
            check_cancelled(self.is_cancelled)
            if self.progress:
                self.progress(self.done, self.total)

    def run(self) -> ImportSummary:
        rows = self.check.children
        existing = _children_by_id_number(
            [r.values["id_number"] for r in rows]
            + [r.values["id_number"] for r in self.check.visits])
        self.child_ids = {number: child.id for number, child in existing.items()}
        self.old_ids = set(self.child_ids.values())
        villages = self._villages({r.values["village"] for r in rows})
        directors = self._directors({r.values["director"] for r in rows if r.values.get("director")})
        self._children(rows, existing, villages, directors)
        self._link_directors(rows, villages, directors)
        self._people(rows, existing)
        self._risk_findings(rows)
        self._visits(self.check.visits)
        known = sum(1 for r in rows if r.values["id_number"] in existing)
        self.summary.updated_children = len(self.changed)
        self.summary.unchanged_children = known - len(self.changed)
        if self.progress:
            self.progress(self.total, self.total)
        return self.summary

    # villages and 儿童主任 ----------------------------------------------------------------
    def _villages(self, names: set[str]) -> dict[str, int]:
        ids = dict(Village.select(Village.name, Village.id).tuples())
        new = sorted(n for n in names if n not in ids)
        if new:
            created = self.writer.create_many(
                Village, [{"name": n, "kind": "社区" if n.endswith("社区") else "村"} for n in new])
            ids.update(zip(new, created, strict=True))
            self.summary.new_villages = len(new)
        return ids

    def _directors(self, names: set[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for name, id_ in (ChildDirector.select(ChildDirector.name, ChildDirector.id)
                          .order_by(ChildDirector.id).tuples()):
            ids.setdefault(name, id_)
        new = sorted(n for n in names if n not in ids)
        if new:
            created = self.writer.create_many(ChildDirector, [{"name": n} for n in new])
            ids.update(zip(new, created, strict=True))
            self.summary.new_directors = len(new)
        return ids

    def _link_directors(self, rows, villages, directors) -> None:
        pairs = {(directors[r.values["director"]], villages[r.values["village"]])
                 for r in rows if r.values.get("director")}
        if not pairs:
            return
        known = set(DirectorVillage.select(DirectorVillage.director, DirectorVillage.village).tuples())
        new = sorted(pairs - known)
        if new:
            self.writer.create_many(DirectorVillage, [{"director": d, "village": v} for d, v in new])

    # children -------------------------------------------------------------------------------
    def _children(self, rows, existing: dict[str, Child], villages, directors) -> None:
        new_rows, new_numbers = [], []
        for row in rows:
            v = row.values
            fields = {k: v[k] for k in _CHILD_FIELDS if k in v}
            fields["village"] = villages[v["village"]]
            if "director" in v:
                fields["director"] = directors[v["director"]]
            if "hardship_categories" in v:
                fields["hardship_categories"] = vocab.join_multi(v["hardship_categories"])
            child = existing.get(v["id_number"])
            if child is None:
                new_rows.append(_new_child_row(v["id_number"], fields, self.today))
                new_numbers.append(v["id_number"])
            else:
                changes = _child_changes(child, fields)
                if changes and self.writer.update(child, **changes):
                    self.changed.add(child.id)
            self._step()
        if new_rows:
            ids = self.writer.create_many(Child, new_rows)
            self.child_ids.update(zip(new_numbers, ids, strict=True))
            self.summary.new_children = len(ids)

    # parents and carers ---------------------------------------------------------------------
    def _people(self, rows, existing: dict[str, Child]) -> None:
        old_ids = [existing[r.values["id_number"]].id for r in rows if r.values["id_number"] in existing]
        members = _members_by_child(old_ids)
        carers = _current_carers(old_ids)
        new_members, new_carers = [], []
        for row in rows:
            v = row.values
            child_id = self.child_ids[v["id_number"]]
            for key, relation in PARENTS:
                fields = {f: v[f"{key}_{f}"] for f in _PERSON_FIELDS if f"{key}_{f}" in v}
                if not fields:
                    continue
                if fields.get("status", "外出务工") != "外出务工":  # back home: no longer away
                    fields.update(distance=None, away_since=None)
                member = members.get((child_id, relation))
                if member is None:
                    new_members.append(_new_member_row(child_id, relation, fields))
                elif self._update(member, fields):
                    self.changed.add(child_id)
            if v.get("carer_name"):
                self._carer(child_id, v, carers.get(child_id), new_carers)
            self._step()
        if new_members:
            self.writer.create_many(FamilyMember, new_members)
            self._mark_changed(r["child"] for r in new_members)
        if new_carers:
            self.writer.create_many(Carer, new_carers)
            self._mark_changed(r["child"] for r in new_carers)

    def _carer(self, child_id: int, v: dict, current: Carer | None, new_carers: list) -> None:
        fields = stored_from(CARER, v)  # the ledger's 照护人 columns are the agreement's keys
        if current is not None and current.name == v["carer_name"]:
            if self._update(current, fields):
                self.changed.add(child_id)
            return
        if current is not None:  # a different person cares for the child now
            self.writer.update(current, current=False)
        new_carers.append({"child": child_id, "name": v["carer_name"], "relation": "",
                           "id_number": "", "phone": "", "current": True, **fields})

    def _update(self, instance, fields: dict) -> bool:
        changes = {k: value for k, value in fields.items() if getattr(instance, k) != value}
        return bool(changes) and bool(self.writer.update(instance, **changes))

    def _mark_changed(self, child_ids: Iterable[int]) -> None:
        self.changed.update(i for i in child_ids if i in self.old_ids)

    # risk findings --------------------------------------------------------------------------
    def _risk_findings(self, rows) -> None:
        wanted = [(self.child_ids[r.values["id_number"]], criterion,
                   r.values.get("entered_on") or self.today)
                  for r in rows for criterion in r.values.get("risk_criteria", ())]
        if not wanted:
            return
        open_findings = _open_findings({c for c, _, _ in wanted})
        new = [{"child": c, "criterion": crit, "found_on": on}
               for c, crit, on in wanted if (c, crit) not in open_findings]
        if new:
            self.writer.create_many(RiskFinding, new)
            self._mark_changed(r["child"] for r in new)
            self.summary.risk_findings_added = len(new)

    # visits ---------------------------------------------------------------------------------
    def _visits(self, rows) -> None:
        if not rows:
            return
        child_ids = {self.child_ids[r.values["id_number"]] for r in rows}
        seen = _visit_keys(child_ids)
        new = []
        for row in rows:
            v = row.values
            child_id = self.child_ids[v["id_number"]]
            key = (child_id, v["on"], v["kind"], v.get("visitor", ""))
            if key in seen:
                self.summary.visits_already_present += 1
            else:
                seen.add(key)
                new.append({"child": child_id, "on": v["on"], "kind": v["kind"],
                            "visitor": v.get("visitor", ""), "living": v.get("living", ""),
                            "problems": v.get("problems", ""), "actions": v.get("actions", "")})
            self._step()
        if new:
            self.writer.create_many(Contact, new)
            self.summary.visits_added = len(new)


# -- lookups, a chunk of IDs at a time -------------------------------------------------------

def _chunks(items: list):
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _children_by_id_number(numbers: list[str]) -> dict[str, Child]:
    found = {}
    for chunk in _chunks(sorted(set(numbers))):
        for child in Child.select().where(Child.id_number.in_(chunk)):
            found[child.id_number] = child
    return found


def _members_by_child(child_ids: list[int]) -> dict[tuple[int, str], FamilyMember]:
    found = {}
    for chunk in _chunks(sorted(set(child_ids))):
        query = (FamilyMember.select()
                 .where(FamilyMember.child.in_(chunk)
                        & FamilyMember.relation.in_([r for _, r in PARENTS]))
                 .order_by(FamilyMember.id))
        for member in query:
            found.setdefault((member.child_id, member.relation), member)
    return found


def _current_carers(child_ids: list[int]) -> dict[int, Carer]:
    found = {}
    for chunk in _chunks(sorted(set(child_ids))):
        query = (Carer.select().where(Carer.child.in_(chunk) & (Carer.current == True))
                 .order_by(Carer.id))
        for carer in query:
            found.setdefault(carer.child_id, carer)
    return found


def _open_findings(child_ids: set[int]) -> set[tuple[int, str]]:
    found = set()
    for chunk in _chunks(sorted(child_ids)):
        found.update(RiskFinding.select(RiskFinding.child, RiskFinding.criterion)
                     .where(RiskFinding.child.in_(chunk) & RiskFinding.resolved_on.is_null())
                     .tuples())
    return found


def _visit_keys(child_ids: set[int]) -> set[tuple]:
    found = set()
    for chunk in _chunks(sorted(child_ids)):
        found.update(Contact.select(Contact.child, Contact.on, Contact.kind, Contact.visitor)
                     .where(Contact.child.in_(chunk)).tuples())
    return found


# -- rows for new records and changes to old ones --------------------------------------------

_CHILD_DEFAULTS = {
    "ethnicity": "", "registration": "农村", "address": "", "school": "", "grade": "",
    "schooling": "", "health": "", "disability_category": "", "disability_grade": "",
    "single_parent": False, "hardship_categories": "", "notes": "", "director": None,
}


def _new_child_row(id_number: str, fields: dict, today: date) -> dict:
    row = {"id_number": id_number, **_CHILD_DEFAULTS, **fields}
    row.setdefault("entered_on", today)
    return row


def _child_changes(child: Child, fields: dict) -> dict:
    changes = {}
    for key, value in fields.items():
        if key in ("village", "director"):
            current = getattr(child, f"{key}_id")
        elif key == "hardship_categories":
            if set(vocab.split_multi(child.hardship_categories)) == set(vocab.split_multi(value)):
                continue
            current = child.hardship_categories
        else:
            current = getattr(child, key)
        if current != value:
            changes[key] = value
    return changes


def _new_member_row(child_id: int, relation: str, fields: dict) -> dict:
    row = {"child": child_id, "relation": relation, "name": "", "id_number": "", "status": "在家",
           "distance": None, "away_since": None, "phone": ""}
    row.update(fields)
    return row
