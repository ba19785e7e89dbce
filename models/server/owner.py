"""The county database as its owner sets it up (``tongdang server init|township|login``)."""

from models.server import county, county_settings, logins
from models.server.archive import open_as_owner


class CountyOwner:
    """The owner's connection to the county database; opened by
    ``models.archive.open_county_as_owner``, closed by ``close``."""

    def __init__(self, db):
        self.db = db

    @classmethod
    def open(cls, setting, password: str | None) -> "CountyOwner":
        return cls(open_as_owner(setting, password))

    def close(self) -> None:
        self.db.close()

    def create_county(self) -> None:
        county.create_county(self.db)
        county_settings.create_tables(self.db)

    def schema_version(self) -> int:
        return county.schema_version(self.db)

    def upgrade(self) -> list[int]:
        """The server brought to this program's schema version (``models.server.schema_version``)."""
        from models.server import schema_version

        steps = schema_version.upgrade(self.db)
        county_settings.create_tables(self.db)  # the county's own tables, made if missing
        return steps

    def check_current(self, setting_text: str) -> None:
        """``ServerNeedsUpgrade`` / ``NewerServer`` (Chinese) unless at this program's version."""
        from models.server import schema_version

        schema_version.check_current(self.db, setting_text)

    def add_township(self, name: str, county_name: str, profile: str, area_code: str) -> int:
        return logins.add_township(self.db, name, county_name, profile, area_code)

    def township_id(self, name: str) -> int:
        """``ValueError`` (Chinese) when the county database has no such township."""
        return logins.township_id(name)

    def add_login(self, username: str, password: str, role: str,
                  township: int | None = None) -> None:
        logins.add_login(self.db, username, password, role, township)

    def import_township(self, archive, name: str):
        """Move the open township file ``archive`` (checked first by the caller: ``tongdang
        verify``'s checks) in as township ``name`` (``models.server.township_import``);
        ``ImportRefused`` (Chinese) when it cannot be."""
        from models.server.township_import import import_township

        return import_township(self.db, archive.db, name, archive.path.name,
                               self.db.connect_params["user"])

    def set_password(self, username: str, password: str) -> None:
        logins.set_password(self.db, username, password)

    def county_key(self) -> str:
        """The county's public key for the townships' 上报包 (made on first use)."""
        from models.server.packages import county_key

        return county_key(self.db)

    def county_key_fingerprint(self) -> str:
        from models.report_package import county_key_fingerprint

        return county_key_fingerprint(self.county_key())

    def import_package(self, data: bytes):
        """Check a 上报包 and apply it as its township's state (``models.server.package_import``);
        ``PackageRefused`` (Chinese) when it is not, with nothing applied."""
        from models.server.package_import import import_package

        return import_package(self.db, data, self.db.connect_params["user"])
