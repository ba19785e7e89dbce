"""Imports point one way: forms ← models, forms ← exports, everything ← desktop.

Qt only in desktop, peewee only in models, and nothing imports desktop.
"""

import ast
import dataclasses
import importlib
import types
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
PEEWEE = ("peewee", "playhouse", "sqlcipher3", "psycopg")


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


# --- desktop/ calls only the archive API (issue 15, docs/architecture.md) ----------------
# Inside desktop/: no import of the tables (models.schema) or the audited writer
# (models.writer), no peewee query, no relative import and no module looked up by its name
# (importlib, __import__): the archive API in models/ does those, and desktop calls it.
TABLE_MODULES = ("models.schema", "models.writer")
NAME_LOOKUPS = ("importlib", "__import__")
QUERY_METHODS = {  # peewee's: never the name of a Qt or Python method used in desktop/
    "select", "where", "get_or_none", "get_by_id", "execute", "atomic", "prefetch",
    "order_by", "insert", "insert_many", "insert_from", "delete_instance", "delete_by_id",
    "replace_many", "on_conflict",
}
MODEL_METHODS = {"get", "create", "update", "delete", "replace"}  # also a dict's, a widget's
WRITER_METHODS = {"create", "update", "delete", "save"}  # on archive.writer()

def _model_names() -> set[str]:
    from models import schema

    return {name for name, value in vars(schema).items()
            if isinstance(value, type) and issubclass(value, schema.BaseModel)}


def _receiver(call: ast.Call):
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def _is_writer(node) -> bool:
    """``archive.writer()`` or ``self.writer()`` (a write with a row in desktop/)."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "writer")


def archive_api_violations(source: str, models: set[str]) -> list[str]:
    """What in ``source`` (a desktop module) goes past the archive API, one line each."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom) and node.level:
            found.append(f"{line}: relative import")
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names
                                       if f"{node.module}.{alias.name}" in TABLE_MODULES]
        for module in modules:
            if module in TABLE_MODULES or module.startswith(tuple(f"{m}." for m in TABLE_MODULES)):
                found.append(f"{line}: imports {module}")
            if module.split(".")[0] in PEEWEE:
                found.append(f"{line}: imports {module}")
            if module.split(".")[0] in NAME_LOOKUPS:
                found.append(f"{line}: imports {module} (a module looked up by its name)")
        if isinstance(node, ast.Name) and node.id == "__import__":
            found.append(f"{line}: __import__ (a module looked up by its name)")
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, _receiver(node)
        on_model = isinstance(receiver, ast.Name) and receiver.id in models
        if (method in QUERY_METHODS or (on_model and method in MODEL_METHODS)
                or (_is_writer(receiver) and method in WRITER_METHODS)):
            found.append(f"{line}: query .{method}()")
    return sorted(set(found), key=lambda text: int(text.split(":")[0]))


def desktop_files():
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("name", list(desktop_files()))
def test_desktop_calls_only_the_archive_api(name):
    violations = archive_api_violations((ROOT / name).read_text(encoding="utf-8"), _model_names())
    assert not violations, f"{name}:\n" + "\n".join(violations)


@pytest.mark.parametrize("source, expected", [
    ("from models.schema import Child\n", "1: imports models.schema"),
    ("import models.schema as s\n", "1: imports models.schema"),
    ("from models import schema\n", "1: imports models.schema"),
    ("from models import writer\n", "1: imports models.writer"),
    ("from models.writer import Writer\n", "1: imports models.writer"),
    ("import peewee\n", "1: imports peewee"),
    ("from playhouse.shortcuts import model_to_dict\n", "1: imports playhouse.shortcuts"),
    ("from . import common\n", "1: relative import"),
    ("from .pages import users\n", "1: relative import"),
    ("import importlib\n", "1: imports importlib (a module looked up by its name)"),
    ("from importlib import import_module\n",
     "1: imports importlib (a module looked up by its name)"),
    ("m = __import__('desktop.pages.users')\n", "1: __import__ (a module looked up by its name)"),
    ("rows = list(anything.select())\n", "1: query .select()"),
    ("q = rows.where(x == 1)\n", "1: query .where()"),
    ("c = Child.get(Child.id == 3)\n", "1: query .get()"),
    ("c = Child.get_or_none(Child.id == 3)\n", "1: query .get_or_none()"),
    ("c = Village.get_by_id(3)\n", "1: query .get_by_id()"),
    ("Village.create(name='东坡村')\n", "1: query .create()"),
    ("Village.update(name='x').execute()\n", "1: query .execute()"),
    ("Village.delete().where(Village.id == 1)\n", "1: query .delete()"),
    ("Village.insert_many(rows)\n", "1: query .insert_many()"),
    ("row.delete_instance()\n", "1: query .delete_instance()"),
    ("with archive.db.atomic():\n    pass\n", "1: query .atomic()"),
    ("x = prefetch_all.prefetch(y)\n", "1: query .prefetch()"),
    ("x = q.order_by(Village.name)\n", "1: query .order_by()"),
    ("archive.writer().update(township, name='丹朱镇')\n", "1: query .update()"),
    ("self.context.archive.writer().create(Village, name='x')\n", "1: query .create()"),
])
def test_the_archive_api_check_sees_each_violation(source, expected):
    assert expected in archive_api_violations(source, {"Child", "Village"})


def test_the_archive_api_check_leaves_qt_and_dicts_alone():
    source = ("self.update()\nwidget.deleteLater()\nsettings.get('font')\nd.update(a=1)\n"
              "Archive.create(path, '丹朱镇', '长子县', 'shanxi')\ndialog.exec()\n"
              "from models.archive import Archive\nfrom desktop.pages import users\n")
    assert archive_api_violations(source, {"Child", "Village"}) == []


# A page is given what it needs through its AppContext (desktop/context.py): it never imports
# the application, the main window or the command line (which import the pages).
ABOVE_THE_PAGES = ("desktop.app", "desktop.mainwindow", "desktop.cli", "desktop.commands")


@pytest.mark.parametrize("path", sorted((ROOT / "desktop" / "pages").glob("*.py")),
                         ids=lambda p: p.name)
def test_pages_do_not_import_what_imports_them(path):
    for module in imported_modules(path):
        assert not (module in ABOVE_THE_PAGES or module.startswith(
            tuple(f"{m}." for m in ABOVE_THE_PAGES))), f"{path.name} imports {module}"


# --- desktop/ reaches models only through the archive object (issue 15, item 1) ----------
# desktop/ may import anything from models.archive (the Archive, opening and creating, paths),
# models.opening (what is done before there is an archive object: the demo, restoring a backup,
# a new account's checks, the server's openers), models.roles and models.record_kinds; from any
# other models module only
# exception classes, dataclass types (values given to or returned by facets) and UPPER_CASE
# constants; never a module itself. Functions are reached through the archive object: a facet
# method (archive.users.login(...)), or an Archive classmethod before there is an archive.
FACADE_MODULES = ("models.archive", "models.opening", "models.roles", "models.record_kinds")


def _is_module(value) -> bool:
    return isinstance(value, types.ModuleType)


def _passes_the_facade(value, name: str) -> bool:
    """An exception class, a dataclass type or an UPPER_CASE constant (never a module)."""
    if _is_module(value):
        return False
    if isinstance(value, type) and (issubclass(value, BaseException)
                                    or dataclasses.is_dataclass(value)):
        return True
    return name.isupper()


def _on_the_facade(module: str) -> bool:
    return module in FACADE_MODULES or module.startswith(tuple(f"{m}." for m in FACADE_MODULES))


def facade_violations(source: str) -> list[str]:
    """Where ``source`` (a desktop module) reaches models past the archive object."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{line}: imports the module {alias.name}" for alias in node.names
                      if alias.name.split(".")[0] == "models" and not _on_the_facade(alias.name)]
        elif (isinstance(node, ast.ImportFrom) and not node.level and node.module
              and node.module.split(".")[0] == "models" and not _on_the_facade(node.module)):
            module = importlib.import_module(node.module)
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if _on_the_facade(full):
                    continue
                value = getattr(module, alias.name, None)
                if value is None:  # a submodule not yet imported by its package
                    value = importlib.import_module(full)
                if _is_module(value):
                    found.append(f"{line}: imports the module {full}")
                elif not _passes_the_facade(value, alias.name):
                    found.append(f"{line}: imports {full} (reach it through a facet)")
    return sorted(set(found), key=lambda text: int(text.split(":")[0]))


@pytest.mark.parametrize("name", list(desktop_files()))
def test_desktop_reaches_models_only_through_the_archive(name):
    violations = facade_violations((ROOT / name).read_text(encoding="utf-8"))
    assert not violations, f"{name}:\n" + "\n".join(violations)


@pytest.mark.parametrize("source, expected", [
    ("from models import users\n", "1: imports the module models.users"),
    ("import models.users\n", "1: imports the module models.users"),
    ("import models.backup as b\n", "1: imports the module models.backup"),
    ("from models.server import connection\n", "1: imports the module models.server.connection"),
    ("def f():\n    from models.users import check_password\n",
     "2: imports models.users.check_password (reach it through a facet)"),
    ("from models.derived import refresh_all\n",
     "1: imports models.derived.refresh_all (reach it through a facet)"),
])
def test_the_facade_check_sees_each_violation(source, expected):
    assert expected in facade_violations(source)


def test_the_facade_check_lets_the_allowed_names_pass():
    source = ("from models.archive import Archive, default_path\n"
              "import models.archive\n"
              "from models import archive, roles, record_kinds\n"
              "from models.roles import ADMIN\n"
              "from models.users import BadUserInput\n"  # an exception
              "from models.storage import ArchiveOpenError, REPLACED_MESSAGE\n"  # and a constant
              "from models.child_query import ChildQuery\n"  # a dataclass
              "from models.reports import ReportRequest\n"
              "from desktop.pages import users\n")
    assert facade_violations(source) == []
