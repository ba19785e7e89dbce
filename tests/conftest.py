"""Shared test fixtures: an in-memory keyring, scratch archives (on SQLite and, for the tests
marked ``both_backends``, also on the throwaway PostgreSQL), demo data, offscreen Qt."""

import os
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import keyring
import keyring.backend
import keyring.errors
import pytest

# A valid recovery code (32 characters of the Crockford alphabet), used by every scratch archive.
RECOVERY = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store that lives only as long as the test."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        try:
            del self.store[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not found") from None


@pytest.fixture(autouse=True)
def gui_as_users_get_it(request):
    """A GUI test runs in the application as ``tongdang`` sets it up (``desktop.app.run_gui``):
    the bundled Chinese font where the system has none, Qt's own strings in Chinese. Without
    it a test run on its own printed the recovery-code sheet without its Chinese text."""
    if "qtbot" not in request.fixturenames:
        return
    from desktop.app import ensure_cjk_font, install_qt_chinese

    app = request.getfixturevalue("qapp")
    install_qt_chinese(app)
    ensure_cjk_font(app)


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def cheap_scrypt(request, monkeypatch):
    """Password hashes in tests cost 2^14 instead of the production 2^17 (0.05 s, not 0.4 s, on
    a shared 2-core machine), as many tests add users and log in. Tests that ask for the
    ``real_scrypt`` fixture, and every command run as a subprocess, use the real cost."""
    if "real_scrypt" in request.fixturenames:
        yield
        return
    from models import users

    monkeypatch.setattr(users, "SCRYPT_N", 2**14)
    yield


@pytest.fixture
def real_scrypt():
    """The production scrypt parameters (see ``cheap_scrypt``)."""
    from models import users

    return users.SCRYPT_N, users.SCRYPT_R, users.SCRYPT_P


# --- two backends: a township's file and a township of the county database ------------------
# A test (or a module, with ``pytestmark``) marked ``both_backends`` runs twice: on SQLite and
# on PostgreSQL. The PostgreSQL run is also marked ``pgserver`` (``-m "not pgserver"`` leaves
# every PostgreSQL test out), as is every test in tests/pgserver/. One cluster serves the
# whole session. See tests/backends/archives.py and docs/architecture.md ("The tests").
BOTH_BACKENDS = "both_backends"
PGSERVER = "pgserver"


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(BOTH_BACKENDS):
        metafunc.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                                marks=pytest.mark.pgserver)],
                             indirect=True)


def pytest_collection_modifyitems(config, items):
    server_tests = Path(__file__).parent / "pgserver"
    for item in items:
        if server_tests in item.path.parents:
            item.add_marker(PGSERVER)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL for the session (tests/pgserver/pgcluster.py): skipped where
    there is none on a developer's machine, a failure in CI (``./run`` installs it)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (./run installs it)")
    from pgserver.pgcluster import Cluster, NoPostgres

    try:
        cluster = Cluster().start()
    except NoPostgres as exc:
        _unavailable(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def backend_template(pg_cluster):
    """The county database each server archive of ``backend`` is copied from."""
    from backends.archives import make_template

    make_template(pg_cluster)
    return pg_cluster


@pytest.fixture(scope="session")
def backend_demo_template(backend_template):
    """The same with ``demo_archive``'s demo data in it."""
    from backends.archives import make_demo_template

    return make_demo_template(backend_template, fill_demo)


@pytest.fixture
def backend(request, tmp_path):
    """Where ``new_archive`` is made: SQLite, unless the test is marked ``both_backends`` (then
    SQLite and PostgreSQL in turn)."""
    from backends.archives import ServerArchives, SqliteArchives

    if getattr(request, "param", "sqlite") == "sqlite":
        archives = SqliteArchives(tmp_path, RECOVERY)
    else:
        archives = ServerArchives(request.getfixturevalue("backend_template"),
                                  lambda: request.getfixturevalue("backend_demo_template"))
    try:
        yield archives
    finally:
        archives.remove()


@pytest.fixture
def new_archive(backend, request):
    # A server archive for demo_archive is copied with its demo data (made once a session).
    archive = backend.create(with_demo="demo_archive" in request.fixturenames)
    try:
        yield archive
    finally:
        archive.close()


@pytest.fixture
def demo_archive(new_archive, backend):
    if not backend.made_with_demo:
        fill_demo(new_archive)
    return new_archive


def fill_demo(archive) -> None:
    """The demo data of ``demo_archive``: 50 fictional children with two years of records."""
    from models import demo
    from models.derived import refresh_all

    demo.generate(50, seed=1, writer=archive.writer())
    refresh_all()


@pytest.fixture
def county_archive(demo_archive):
    """The demo archive plus red children, a closed file and a formula-looking name, for the
    county-table tests (their independent counts are in tests/county_counts.py)."""
    from datetime import timedelta

    from models.derived import refresh_all
    from models.schema import Child, Referral, RiskFinding
    from tests.county_counts import FORMULA_NAME, TODAY, in_scope_states

    w = demo_archive.writer()
    ids = [f.extra["child_id"] for f, s in in_scope_states() if s.colour == "green"]
    a, b, c, d, e = (Child.get_by_id(i) for i in ids[:5])
    w.create(RiskFinding, child=a, criterion="遭受侵害", found_on=TODAY - timedelta(days=30))
    w.create(Referral, child=a, on=TODAY - timedelta(days=10), department="县级公安")
    w.create(RiskFinding, child=b, criterion="自杀自残", found_on=TODAY - timedelta(days=1))
    w.update(c, manual_colour="red", manual_colour_reason="@SUM(A1)", manual_colour_on=TODAY)
    w.close_child(d, TODAY - timedelta(days=3), "年满十八周岁")
    w.update(e, name=FORMULA_NAME)
    refresh_all()
    demo_archive.marked = {"abused": a.id, "self_harm": b.id, "manual": c.id, "closed": d.id,
                           "formula": e.id}
    return demo_archive
