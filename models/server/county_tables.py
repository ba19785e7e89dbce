"""The county's tables from the county database (issue 17, item 2): Annex 1 with a column
per township, each township's figures computed as its own archive computes them (the rows
that township sees, ``logins.choose_township``), the county's 合计 their sum."""

from datetime import date

from forms import county_tables as ct
from forms.spec import FilledForm
from models.reports import ReportHeader, annex1_rows, archive_info
from models.server import logins
from models.state import entered_pairs
from models.statistics import annex1


class NotCountyWide(ValueError):
    """The table needs a county login without a chosen township (Chinese message)."""


def townships(db) -> list[tuple[int, str]]:
    return [(i, name) for i, name in db.execute_sql("SELECT id, name FROM township ORDER BY id").fetchall()]


def annex1_by_township(archive, on: date, header: ReportHeader | None = None) -> FilledForm:
    if not getattr(archive, "county_role", "") or archive.township_id is not None:
        raise NotCountyWide("按乡镇分列的摸排情况数据表需要县级用户登录县级数据库，且不用 --town 选择乡镇。")
    db = archive.db
    every = townships(db)
    if not every:
        raise NotCountyWide("县级数据库中还没有乡镇。")
    tables = []
    try:
        for township_id, _name in every:
            logins.choose_township(db, township_id)
            tables.append(annex1_rows(annex1(entered_pairs(on))))
    finally:
        logins.choose_township(db, None)
    rows = _by_township(tables)
    info = archive_info()
    header = header or ReportHeader()
    values = {"unit": header.unit.strip() or f"{info.county}民政局", "filler": header.filler,
              "on": on, "phone": header.phone}
    spec = ct.titled(ct.annex1_by_township([name for _i, name in every]),
                     ct.annex1_title(info.county, on.year))
    return FilledForm(spec, values, {ct.ANNEX1_TABLE: rows})


def _by_township(tables: list[list[dict]]) -> list[dict]:
    """One township's Annex 1 rows per table, in the same order: each row's count per
    township side by side, and their sum."""
    rows = []
    for lines in zip(*tables, strict=True):
        row = {k: v for k, v in lines[0].items() if k != "count"}
        counts = [line["count"] for line in lines]
        row.update({ct.township_column(n): c for n, c in enumerate(counts)})
        row[ct.TOTAL_COLUMN] = sum(counts)
        rows.append(row)
    return rows
