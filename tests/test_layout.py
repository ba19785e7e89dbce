"""Imports point one way: forms ← models, forms ← exports, everything ← desktop.

Qt only in desktop, peewee only in models, and nothing imports desktop.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("forms", "models", "exports", "desktop", "resources")
ALLOWED = {
    "forms": {"forms"},
    "models": {"forms", "models"},
    "exports": {"forms", "exports", "resources"},
    "desktop": {"forms", "models", "exports", "desktop", "resources"},
    "resources": {"resources"},
}
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")
PEEWEE = ("peewee", "playhouse", "sqlcipher3")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def source_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield package, path


@pytest.mark.parametrize("package, path", list(source_files()),
                         ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v)
def test_imports_point_one_way(package, path):
    for module in imported_modules(path):
        top = module.split(".")[0]
        if top in PACKAGES:
            assert top in ALLOWED[package], f"{path.relative_to(ROOT)} imports {module}"
        if top in QT:
            assert package == "desktop", f"Qt outside desktop: {path.relative_to(ROOT)}"
        if top in PEEWEE:
            assert package == "models", f"peewee outside models: {path.relative_to(ROOT)}"


def test_the_layout_test_sees_violations(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport models.schema\n")
    assert list(imported_modules(bad)) == ["PySide6.QtWidgets", "models.schema"]
