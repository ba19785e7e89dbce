"""The county's tables from the county database (issue 17, item 2), township by township:
each township's part is computed as its own archive computes it (the rows and the rules that
township sees, ``logins.choose_township``).

- Annex 1 (附件1): a column of 人数 per township, the county's 合计 their sum.
- Annex 2 (附件2) and the red/yellow/blue lists: every township's children in turn, the
  township named before the village, numbered through the county.
"""

from dataclasses import replace

from forms import county_tables as ct
from forms.spec import FilledForm
from models.reports import (
    ReportRequest,
    annex1_rows,
    annex2_rows,
    archive_info,
    risk_list_rows,
)
from models.server import logins
from models.state import entered_pairs
from models.statistics import annex1

VILLAGE_LABEL = "乡镇（街道）、村（社区）"


class NotCountyWide(ValueError):
    """The table needs a county login without a chosen township (Chinese message)."""


def townships(db) -> list[tuple[int, str]]:
    return [(i, name) for i, name in db.execute_sql("SELECT id, name FROM township ORDER BY id").fetchall()]


def by_township(archive, request: ReportRequest) -> FilledForm:
    """The county table ``request.kind`` (stats, screening or lists), township by township."""
    if not getattr(archive, "county_role", "") or archive.township_id is not None:
        raise NotCountyWide("按乡镇汇总的县级表格需要县级用户登录县级数据库，且不用 --town 选择乡镇。")
    if request.kind not in ("stats", "screening", "lists"):
        raise NotCountyWide("按乡镇汇总只适用于附件1、附件2和风险等级名单。")
    on = request.on
    parts = _each_township(archive.db, lambda: _part(request.kind, entered_pairs(on), request))
    info = archive_info()
    values = {"unit": request.unit.strip() or f"{info.county}民政局", "filler": request.filler,
              "on": on, "phone": request.phone}
    if request.kind == "stats":
        spec = ct.titled(ct.annex1_by_township([name for name, _part in parts]),
                         ct.annex1_title(info.county, on.year))
        return FilledForm(spec, values, {ct.ANNEX1_TABLE: _side_by_side([p for _n, p in parts])})
    if request.kind == "screening":
        spec = _village_with_township(ct.titled(ct.ANNEX2, ct.annex2_title(info.county)))
        return FilledForm(spec, values, {ct.ANNEX2_TABLE: _one_after_another(parts)})
    values["recipient"] = ct.recipient_name(request.recipient, info.county)
    spec = _village_with_township(ct.titled(ct.RISK_LIST, ct.risk_list_title(info.county)))
    return FilledForm(spec, values, {colour: _one_after_another([(n, p[colour]) for n, p in parts])
                                     for colour in ct.LIST_COLOURS})


def _part(kind: str, pairs, request: ReportRequest):
    if kind == "stats":
        return annex1_rows(annex1(pairs))
    if kind == "screening":
        return annex2_rows(pairs, request.on, request.mask_ids)
    return risk_list_rows(pairs, request.on)


def _each_township(db, work) -> list[tuple[str, object]]:
    every = townships(db)
    if not every:
        raise NotCountyWide("县级数据库中还没有乡镇。")
    parts = []
    try:
        for township_id, name in every:
            logins.choose_township(db, township_id)
            parts.append((name, work()))
    finally:
        logins.choose_township(db, None)
    return parts


def _side_by_side(tables: list[list[dict]]) -> list[dict]:
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


def _one_after_another(parts: list[tuple[str, list[dict]]]) -> list[dict]:
    rows = []
    for township, township_rows in parts:
        for row in township_rows:
            rows.append({**row, "no": len(rows) + 1, "village": f"{township}{row['village']}"})
    return rows


def _village_with_township(spec):
    sections = tuple(
        replace(s, columns=tuple(replace(f, label=VILLAGE_LABEL) if f.key == "village" else f
                                 for f in s.columns)) if s.columns else s
        for s in spec.sections)
    return replace(spec, sections=sections)
