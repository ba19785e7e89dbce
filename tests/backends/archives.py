"""Where a test's scratch archive lives: an encrypted SQLite file, or one township of a county
database on the throwaway PostgreSQL (``tests/pgserver/pgcluster.py``).

``tests/conftest.py`` runs the tests marked ``both_backends`` once on each: the ``backend``
fixture is an ``Archives`` below, and ``new_archive`` (with ``demo_archive`` and
``county_archive`` on top of it) is made by it. Both make the same township, 丹朱镇 of 长子县
with the changzhi plan, so a test reads the same on either.
"""

import itertools

from pgserver.pgcluster import PASSWORD

TOWNSHIP, COUNTY, PROFILE = "丹朱镇", "长子县", "changzhi"
TEMPLATE = "backend_template"
# The township's administrator: a PostgreSQL login role (one for the cluster, so its name is
# not one of tests/pgserver's).
LOGIN = "danzhu_admin"

_numbers = itertools.count(1)


class SqliteArchives:
    """Scratch archives in a test's temporary folder, as a township keeps them."""

    name = "sqlite"
    made_with_demo = False

    def __init__(self, tmp_path, recovery_code: str):
        self.tmp_path, self.recovery_code = tmp_path, recovery_code

    def create(self, with_demo: bool = False):
        from models.archive import Archive

        archive, _ = Archive.create(self.tmp_path / "a.tongdang", TOWNSHIP, COUNTY, PROFILE,
                                    recovery_code=self.recovery_code)
        return archive

    def reopen(self, archive):
        """The same archive closed and opened again, as the next program start does."""
        from models.archive import Archive

        archive.close()
        reopened, _ = Archive.open(archive.path)
        return reopened

    def remove(self) -> None:
        pass


def make_template(cluster) -> None:
    """The county database every server archive is copied from: one township and its
    administrator's login (``CREATE DATABASE … TEMPLATE`` copies it in a fraction of the
    time that making it takes)."""
    from models.schema import database
    from models.server import connection, county, logins

    cluster.create_database(TEMPLATE)
    setting = connection.ServerSetting.parse(cluster.url(TEMPLATE))
    db = connection.connect(setting, cluster.password)
    try:
        database.initialize(db)
        county.create_county(db)
        township = logins.add_township(db, TOWNSHIP, COUNTY, PROFILE)
        logins.add_login(db, LOGIN, PASSWORD, "管理员", township)
    finally:
        db.close()
        database.initialize(None)


DEMO_TEMPLATE = "backend_demo_template"


def make_demo_template(cluster, fill) -> str:
    """The template with ``fill``'s demo data in the township (made once a session)."""
    archives = ServerArchives(cluster)
    archive = archives.create()
    try:
        fill(archive)
    finally:
        archive.close()
    from models.schema import database

    database.initialize(None)
    cluster.create_database(DEMO_TEMPLATE, template=archives.databases[0])
    archives.remove()
    return DEMO_TEMPLATE


class ServerArchives:
    """Scratch archives as a township of a county database: a fresh copy of the template for
    each test, opened by the township's administrator login, dropped at the end."""

    name = "postgresql"

    def __init__(self, cluster, demo_template=None):
        self.cluster = cluster
        self.demo_template = demo_template  # makes DEMO_TEMPLATE on first use
        self.databases: list[str] = []
        self.made_with_demo = False

    def create(self, with_demo: bool = False):
        """A fresh township; ``with_demo``: with the demo data of ``demo_archive`` already in
        it (copied, which takes a fraction of generating it on the server)."""
        name = f"backend{next(_numbers)}"
        template = TEMPLATE
        if with_demo and self.demo_template is not None:
            template, self.made_with_demo = self.demo_template(), True
        self.cluster.create_database(name, template=template)
        self.databases.append(name)
        return self._open(name)

    def _open(self, name: str):
        from models.server.archive import ServerArchive

        archive, _ = ServerArchive.open(self.cluster.url(name, LOGIN), PASSWORD)
        return archive

    def reopen(self, archive):
        """The same township logged in to again, as the next program start does."""
        archive.close()
        return self._open(archive.setting.database)

    def remove(self) -> None:
        from models.schema import database

        database.initialize(None)
        for name in self.databases:
            self.cluster.drop_database(name)
