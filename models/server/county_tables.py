"""The county's tables from the county database (issue 17, item 2), township by township:
each township's part is computed as its own archive computes it (the rows and the rules that
township sees, ``logins.choose_township``).

- Annex 1 (附件1): a column of 人数 per township, the county's 合计 their sum.
- Annex 2 (附件2), the red/yellow/blue lists and the school-term list for 教育: every
  township's children in turn, the township named before the village, numbered through the
  county.
- ``township_sheets``: any of them as a book (``forms.county_tables.TableBook``): each
  township's own table (as its archive makes it, its name in the title) and a 汇总 — for
  Annex 1 the county's Annex 1 (each line the sum of the townships'), for the lists a count per
  township.
"""

from dataclasses import replace
from datetime import date

from forms import county_tables as ct
from forms import school_list as sl
from forms import vocab
from forms.spec import FilledForm
from models.reports import (
    ReportRequest,
    annex1_rows,
    annex2_rows,
    archive_info,
    county_form,
    risk_list_rows,
)
from models.server import logins
from models.state import entered_pairs
from models.statistics import annex1

VILLAGE_LABEL = "乡镇（街道）、村（社区）"


KINDS = ("stats", "screening", "lists", "school")


class NotCountyWide(ValueError):
    """The table needs a county login without a chosen township (Chinese message)."""


def _check_county_wide(archive, request: ReportRequest) -> None:
    if not getattr(archive, "county_role", "") or archive.township_id is not None:
        raise NotCountyWide("按乡镇汇总的县级表格需要县级用户登录县级数据库，且不用 --town 选择乡镇。")
    if request.kind not in KINDS:
        raise NotCountyWide("按乡镇汇总只适用于附件1、附件2、风险等级名单和教育部门名单。")


def townships(db) -> list[tuple[int, str]]:
    return [(i, name) for i, name in db.execute_sql("SELECT id, name FROM township ORDER BY id").fetchall()]


def by_township(archive, request: ReportRequest) -> FilledForm:
    """The county table ``request.kind`` (stats, screening or lists), township by township."""
    _check_county_wide(archive, request)
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
    if request.kind == "school":
        from models.school_list import _titled

        term = request.school_term()
        values.update(recipient=sl.recipient_name(info.county), term=term.label)
        spec = _village_with_township(_titled(info.county, term))
        return FilledForm(spec, values, {sl.TABLE_KEY: _one_after_another(parts)})
    values["recipient"] = ct.recipient_name(request.recipient, info.county)
    spec = _village_with_township(ct.titled(ct.RISK_LIST, ct.risk_list_title(info.county)))
    return FilledForm(spec, values, {colour: _one_after_another([(n, p[colour]) for n, p in parts])
                                     for colour in ct.LIST_COLOURS})


def _part(kind: str, pairs, request: ReportRequest):
    if kind == "stats":
        return annex1_rows(annex1(pairs))
    if kind == "screening":
        return annex2_rows(pairs, request.on, request.mask_ids)
    if kind == "school":
        from models.school_list import school_list_rows

        return school_list_rows(pairs, request.school_term(), request.mask_ids)
    return risk_list_rows(pairs, request.on)


# --- a sheet per township ------------------------------------------------------------------

# What the 汇总 counts per township, by table: (key, label) per column.
SUMMARY_COUNTS = {
    "screening": tuple((c, vocab.COLOUR_NAMES[c]) for c in ("red", "yellow", "blue", "green")),
    "lists": tuple((c, vocab.COLOUR_NAMES[c]) for c in ct.LIST_COLOURS),
    "school": tuple((c, sl.CATEGORY_LABELS[c]) for c in sl.CATEGORIES),
}


def township_sheets(archive, request: ReportRequest) -> ct.TableBook:
    """The county table ``request.kind`` as a book: each township's own table, and a 汇总."""
    _check_county_wide(archive, request)
    on = request.on
    parts = _each_township(archive.db, lambda: _own_table(replace(request, layout="")))
    info = archive_info()
    unit = request.unit.strip() or f"{info.county}民政局"
    values = {"unit": unit, "filler": request.filler, "on": on, "phone": request.phone}
    if request.kind == "stats":
        rows = _side_by_side([p.rows[ct.ANNEX1_TABLE] for _n, p in parts])
        totals = [{k: v for k, v in r.items() if not k.startswith("township_")} for r in rows]
        summary = FilledForm(ct.titled(ct.ANNEX1, ct.annex1_title(info.county, on.year)), values,
                             {ct.ANNEX1_TABLE: totals}, demo=info.is_demo)
    else:
        summary = _count_summary(request.kind, parts, values, on, info.is_demo)
    title = f"{parts[0][1].title.replace(parts[0][0], '', 1)}（各乡镇分表）"
    return ct.TableBook(title, summary, tuple(parts))


def one_township(archive, request: ReportRequest) -> FilledForm:
    """One township's table, as its own archive makes it, for a county login working in the
    whole county (the window keeps the whole county)."""
    _check_county_wide(archive, replace(request, kind="stats"))  # any table of one township
    wanted = {name: i for i, name in townships(archive.db)}
    if request.township not in wanted:
        raise NotCountyWide(f"县级数据库中没有乡镇“{request.township}”。")
    try:
        logins.choose_township(archive.db, wanted[request.township])
        return _own_table(replace(request, township=""), keep_unit=True)
    finally:
        logins.choose_township(archive.db, None)


def _own_table(request: ReportRequest, keep_unit: bool = False) -> FilledForm:
    """This township's table as its own archive makes it, its name in the title."""
    own = request if keep_unit else replace(request, unit="")
    filled = county_form(own, entered_pairs(request.on))
    info = archive_info()
    title = filled.title
    title = (title.replace(info.county, info.county + info.township, 1) if info.county in title
             else info.township + title)
    return replace(filled, spec=ct.titled(filled.spec, title))


def _count_summary(kind: str, parts, values: dict, on: date, demo: bool) -> FilledForm:
    counts = SUMMARY_COUNTS[kind]
    rows, totals = [], dict.fromkeys([k for k, _l in counts], 0)
    for township, part in parts:
        found = _counts(kind, part)
        rows.append({ct.SUMMARY_TOWNSHIP: township, **found, ct.TOTAL_COLUMN: _children(kind, part)})
        for key in totals:
            totals[key] += found[key]
    rows.append({ct.SUMMARY_TOWNSHIP: "合计", **totals,
                 ct.TOTAL_COLUMN: sum(r[ct.TOTAL_COLUMN] for r in rows), ct.ROW_STYLE: ct.TOTAL})
    what = parts[0][1].title.replace(parts[0][0], "", 1) if parts else ""
    spec = ct.titled(ct.township_summary(counts),
                     f"{what}各乡镇人数汇总（截至{on.year}年{on.month}月{on.day}日）")
    return FilledForm(spec, values, {ct.SUMMARY_TABLE: rows}, demo=demo)


def _counts(kind: str, part: FilledForm) -> dict[str, int]:
    if kind == "lists":
        return {c: len(part.rows.get(c, [])) for c in ct.LIST_COLOURS}
    if kind == "school":
        rows = part.rows.get(sl.TABLE_KEY, [])
        return {c: sum(1 for r in rows if sl.CATEGORY_LABELS[c] in r["category"])
                for c in sl.CATEGORIES}
    rows = part.rows.get(ct.ANNEX2_TABLE, [])
    return {c: sum(1 for r in rows if r.get(ct.ROW_COLOUR) == c) for c in ("red", "yellow", "blue", "green")}


def _children(kind: str, part: FilledForm) -> int:
    if kind == "lists":
        return sum(len(part.rows.get(c, [])) for c in ct.LIST_COLOURS)
    key = sl.TABLE_KEY if kind == "school" else ct.ANNEX2_TABLE
    return len(part.rows.get(key, []))


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
