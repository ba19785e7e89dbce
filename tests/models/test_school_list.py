"""The school-term list for 教育 (长治 二(三)12) from a demo archive: which children, what is
printed, and that it reads back from each format. The expected children are picked here with
a plain loop over ``child_state`` results."""

import subprocess
from datetime import date, timedelta

import pytest

from forms import school_list as sl
from forms.school_term import parse_term
from models import reports
from models.profiles import get_profile
from models.rules import child_state
from models.rules.dates import age_on
from models.schema import Child, Township
from models.snapshot import load_facts

ON = date.today()


def expected(on, starts):
    """id number -> (facts, categories) of the open 孤儿 / 事实无人抚养 children aged 3 to 17
    on the term's first day."""
    profile = get_profile(Township.get().profile)
    out = {}
    for facts in load_facts():
        if facts.entered_on and facts.entered_on > on:
            continue
        state = child_state(facts, on, profile)
        wanted = [c for c in ("孤儿", "事实无人抚养") if c in state.categories]
        if state.closed or not wanted or facts.birth_date is None:
            continue
        if 3 <= age_on(facts.birth_date, starts) < 18:
            out[facts.id_number] = (facts, wanted)
    return out


def _form(term="2027春", mask=False):
    return reports.county_form(reports.ReportRequest("school", ON, term=term, mask_ids=mask),
                               reports.archive_pairs(ON))


@pytest.mark.usefixtures("demo_archive")
def test_every_school_age_orphan_and_unsupported_child_is_listed_once():
    term = parse_term("2027春")
    want = expected(ON, term.starts_on)
    filled = _form()
    rows = filled.rows[sl.TABLE_KEY]
    assert len(rows) == len(want) > 0
    assert sorted(r["id_number"] for r in rows) == sorted(want)  # in full: education matches on it
    assert [r["no"] for r in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        facts, categories = want[row["id_number"]]
        assert row["category"] == "、".join(sl.CATEGORY_LABELS[c] for c in categories)
        assert row["age"] == age_on(facts.birth_date, term.starts_on)
        assert (row["school"], row["grade"], row["schooling"]) == (facts.school, facts.grade,
                                                                   facts.schooling)
    assert filled.values["term"] == "2027年春季学期"
    assert filled.values["recipient"].endswith("教育局")
    assert "2027年春季学期" in filled.title and filled.errors() == {}
    printed = {c.key for c in filled.spec.section(sl.TABLE_KEY).columns}
    assert not printed & {"colour", "criteria", "parents", "note_colour"}


def test_age_is_counted_on_the_first_day_of_the_term(demo_archive):
    """A child who is 18 on the term's first day is left off, though 17 on the list's date."""
    term = parse_term("2027春")
    rows = _form().rows[sl.TABLE_KEY]
    some = rows[0]["id_number"]
    eighteen = term.starts_on.replace(year=term.starts_on.year - 18) - timedelta(days=1)
    assert age_on(eighteen, ON) == 17
    demo_archive.writer().update(Child.get(Child.id_number == some), birth_date=eighteen)
    assert some not in {r["id_number"] for r in _form().rows[sl.TABLE_KEY]}


@pytest.mark.usefixtures("demo_archive")
def test_masked_ids_on_request_and_every_format_reads_back(tmp_path):
    import openpyxl
    from docx import Document

    from exports.tables import render_table

    filled = _form(mask=True)
    rows = filled.rows[sl.TABLE_KEY]
    assert rows and all("*" in r["id_number"] for r in rows)
    full = _form()
    for fmt in ("xlsx", "docx", "pdf"):
        path = render_table(full, tmp_path / f"名单.{fmt}", fmt)
        if fmt == "xlsx":
            text = "\n".join(str(c.value) for row in openpyxl.load_workbook(path).active.iter_rows()
                             for c in row if c.value is not None)
        elif fmt == "docx":
            document = Document(path)
            text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
            text += "\n".join(p.text for p in document.paragraphs)
        else:
            text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout
        for row in full.rows[sl.TABLE_KEY]:
            assert row["name"] in text, (fmt, row["name"])
        assert "本地做法" in text.replace("\n", "").replace(" ", "")


@pytest.mark.usefixtures("demo_archive")
def test_the_printed_basis_follows_the_archives_plan():
    """长治's clause is printed as the list's basis only under 长治's plan; elsewhere the list says
    it is the county's own practice following that clause."""
    township = Township.get()
    for profile, policy in (("changzhi", True), ("puning", False), ("national", False)):
        Township.update(profile=profile).where(Township.id == township.id).execute()
        note = _form().spec.copies_note
        assert note.startswith("注：1. 依据长治市实施方案二(三)12：") is policy, profile
        assert ("本地做法：本方案未规定此名单，参照长治市实施方案二(三)12" in note) is not policy
