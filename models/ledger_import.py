"""Importing an Excel ledger (台账): the archive's ``ledger`` facet, in three steps.

Reading (``models.ledger_reading``), checking every cell and row (``models.ledger_checking``),
then importing all or nothing (``models.ledger_importing``). The error report of a refused
ledger is an export (``exports.ledger_report``): callers hand its writer in.
"""

from __future__ import annotations

from datetime import date

from models.ledger_checking import validate_ledger
from models.ledger_importing import (
    EMPTY_LEDGER,
    ImportSummary,
    LedgerEmpty,
    LedgerInvalid,
    WriteReport,
    import_ledger,
)
from models.ledger_reading import (
    MAX_ROWS,
    ImportCancelled,
    ImportIssue,
    IsCancelled,
    LedgerCheck,
    LedgerRow,
    Progress,
)
from models.schema import ChildDirector, Village

__all__ = [
    "EMPTY_LEDGER", "MAX_ROWS", "ImportCancelled", "ImportIssue", "ImportSummary", "Ledger",
    "LedgerCheck", "LedgerEmpty", "LedgerInvalid", "LedgerRow", "import_ledger",
    "validate_ledger",
]


class Ledger:
    """``archive.ledger``: check a ledger file, or import it as the archive's current user."""

    def __init__(self, archive):
        self.archive = archive

    def check(self, path, today: date | None = None) -> LedgerCheck:
        """Every problem of the file, visits checked against the archive's children."""
        return validate_ledger(path, self.archive, today)

    def import_file(self, path, progress: Progress | None = None,
                    is_cancelled: IsCancelled | None = None, report_path=None,
                    today: date | None = None,
                    write_report: WriteReport | None = None) -> ImportSummary:
        return import_ledger(path, self.archive.writer(), progress, is_cancelled, report_path,
                             today, write_report)

    # -- the names a new template offers in its drop-down lists -------------------------------
    def village_names(self, by_name: bool = True) -> list[str]:
        """The villages (社区) of the archive, by name or in the order they were added."""
        order = Village.name if by_name else Village.id
        return [v.name for v in Village.select(Village.name).order_by(order)]

    def active_director_names(self) -> list[str]:
        """The 儿童主任 still in post (a name may repeat)."""
        return [d.name for d in ChildDirector.select().where(ChildDirector.ended_on.is_null())]
