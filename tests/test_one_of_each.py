"""One of each (issue 15): the ID number's normalisation, age, the phone rule, the colour's
words, the atomic write and the renderers are each written in one place and called from
everywhere else; a second copy fails here."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("forms", "models", "exports", "desktop")


def sources(*packages: str):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def where(pattern: str, *packages: str) -> list[str]:
    found = re.compile(pattern)
    return [name for name, text in sources(*(packages or PACKAGES)) if found.search(text)]


@pytest.mark.parametrize("function, home", [
    ("normalise_id_number", "forms/idnumber.py"),
    ("parse_id_number", "forms/idnumber.py"),
    ("age_on", "models/rules/dates.py"),
    ("normalise_phone", "forms/checks.py"),
    ("phone_problem", "forms/checks.py"),
    ("risk_level", "forms/colours.py"),
    ("atomic_path", "exports/atomic.py"),
    ("renderer", "exports/renderers.py"),
])
def test_defined_once(function, home):
    assert where(rf"\ndef {function}\(") == [home]


def test_the_colour_and_its_level_are_put_together_in_one_module():
    assert where(r"COLOUR_LEVELS") == ["forms/colours.py", "forms/vocab.py"]


def test_temporary_files_for_atomic_writes_come_from_exports_atomic():
    # models/ledger_import.py writes the Excel error report; models/ may not import exports/.
    # When the report moves to exports/, it uses atomic_path and leaves this list.
    assert set(where(r"mkstemp\(|mkdtemp\(", "models", "exports")) <= {
        "exports/atomic.py", "models/ledger_import.py"}


def test_no_renderer_or_module_found_by_its_name_in_exports():
    assert where(r"import_module|__import__", "exports", "forms", "models") == []


def test_id_numbers_are_normalised_by_normalise_id_number_only():
    """``text.strip().upper()`` left full-width digits as they were (export --child said the
    child did not exist): every ID number goes through forms.idnumber.normalise_id_number."""
    assert where(r"strip\(\)\.upper\(\)|strip\(\)\.replace\(\" \", \"\"\)\.upper\(\)") == [
        "forms/idnumber.py"]


def test_the_parts_of_an_id_number_are_read_in_one_place():
    # models/ledger_import.py: its checks move to their own module (issue 15, item 5), which
    # then reads them with forms.idnumber.birth_date_of / sex_of.
    assert set(where(r"number\[6:10\]|number\[16\]")) <= {
        "forms/idnumber.py", "models/ledger_import.py"}
