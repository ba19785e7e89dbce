"""A real PostgreSQL for the county-database tests: one throwaway cluster for the session
(``pg_cluster``, in ``tests/conftest.py``: the archive tests marked ``both_backends`` share it),
a fresh county database for each test.

Without PostgreSQL or psycopg these tests are skipped on a developer's machine; in CI (``CI``
set) they fail instead, since ``./run`` installs both.
"""

import itertools
import os

import pytest

from pgserver.pgcluster import PASSWORD

try:
    import psycopg  # noqa: F401
except ImportError:  # a developer's environment from before psycopg joined the dependencies
    if not os.environ.get("CI"):
        collect_ignore_glob = ["test_*.py"]

_numbers = itertools.count(1)


class County:
    """A county database with two townships, 甲镇 and 乙镇, and a login for each role."""

    def __init__(self, cluster, name: str):
        self.cluster, self.name = cluster, name
        self.townships: dict[str, int] = {}
        self.logins: dict[str, str] = {}  # short name -> login role name

    def setting(self, login: str | None = None) -> str:
        user = self.logins[login] if login else "postgres"
        return self.cluster.url(self.name, user)

    def owner_db(self):
        from models.server import connection

        return connection.connect(connection.ServerSetting.parse(self.setting()),
                                  self.cluster.password)

    def plain_owner(self):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.cluster.port, dbname=self.name,
                               user="postgres", password=self.cluster.password, autocommit=True)

    def plain_sql(self, login: str):
        """A psql-like connection of ``login``: no app, just SQL with the login's password."""
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.cluster.port, dbname=self.name,
                               user=self.logins[login], password=PASSWORD, autocommit=True)


LOGINS = (("clerk_a", "录入员", "甲镇"), ("clerk_b", "录入员", "乙镇"), ("reader_a", "查阅", "甲镇"),
          ("admin_a", "管理员", "甲镇"), ("county_admin", "县级管理员", None),
          ("county_reader", "县级查阅", None))


@pytest.fixture(scope="session")
def county_template(pg_cluster):
    """The county database made once (tables, policies, townships, logins); each test gets a
    copy (``CREATE DATABASE … TEMPLATE``), which takes a fraction of making it anew. Logins are
    the cluster's, so every copy has the same ones."""
    from models.schema import database
    from models.server import county as county_db
    from models.server import logins

    template = County(pg_cluster, "county_template")
    pg_cluster.create_database(template.name)
    db = template.owner_db()
    database.initialize(db)
    county_db.create_county(db)
    for township in ("甲镇", "乙镇"):
        template.townships[township] = logins.add_township(db, township, "某县", "national")
    for login, role, township in LOGINS:
        template.logins[login] = login
        logins.add_login(db, login, PASSWORD, role,
                         template.townships[township] if township else None)
    db.close()
    database.initialize(None)
    return template


@pytest.fixture
def county(pg_cluster, county_template):
    """A fresh copy of the county database with two townships, 甲镇 and 乙镇, and a login for
    each role."""
    from models.schema import database

    county = County(pg_cluster, f"county{next(_numbers)}")
    pg_cluster.create_database(county.name, template=county_template.name)
    county.townships = dict(county_template.townships)
    county.logins = dict(county_template.logins)
    yield county
    database.initialize(None)

def add_child(db, township_id: int, name: str, sequence: int):
    """A child of ``township_id`` written as the app writes (through the writer), by the owner."""
    from datetime import date

    from forms.idnumber import make_id_number
    from models.roles import SYSTEM
    from models.schema import Child
    from models.server.logins import working_in
    from models.writer import Writer

    with working_in(db, township_id):
        child = Writer(SYSTEM, SYSTEM).create(
            Child, id_number=make_id_number("130102", date(2015, 3, 4), sequence, True),
            name=name, entered_on=date(2026, 1, 5))
    return child.id


@pytest.fixture
def two_children(county):
    """One child in 甲镇 and one in 乙镇: {township: child id}."""
    from models.schema import database

    db = county.owner_db()
    database.initialize(db)
    ids = {"甲镇": add_child(db, county.townships["甲镇"], "张小明", 11),
           "乙镇": add_child(db, county.townships["乙镇"], "李小红", 12)}
    db.close()
    return ids
