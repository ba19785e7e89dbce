"""A township's 上报包 for the county, made from its open archive (issue 17, item 4).

``archive.reporting``: the county's public key kept in the archive (given once, in 设置 or with
``tongdang report-package --county-key``), the township's signing fingerprint for the county to
compare, and the package itself (``models.report_package``): a consistent copy of the archive
as it is now, sealed for the county.
"""

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from models import report_package as rp
from models import storage
from models.archive import remove_archive_files
from models.report_package import PackageRefused
from models.schema import SCHEMA_VERSION, Child, Township

__all__ = ["SUFFIX", "PackageRefused", "Reporting"]

SUFFIX = ".tdpkg"


@dataclass(frozen=True)
class Made:
    data: bytes
    header: rp.Header

    @property
    def signer_fingerprint(self) -> str:
        return rp.fingerprint(self.header.signer)


class Reporting:
    def __init__(self, archive):
        self.archive = archive

    @property
    def needed(self) -> bool:
        """Whether this archive reports by package: a township file, not the county database."""
        from models.server import is_server

        return not is_server(self.archive.db)

    def default_name(self, on: date | None = None) -> str:
        return f"{Township.get().name}上报包{(on or date.today()).strftime('%Y%m%d')}{SUFFIX}"

    def county_key(self) -> str:
        return Township.get().county_public_key or ""

    def county_key_fingerprint(self) -> str:
        text = self.county_key()
        return rp.county_key_fingerprint(text) if text else ""

    def set_county_key(self, text: str) -> str:
        """Keep the county's public key (checked first); returns its fingerprint."""
        rp.parse_county_key(text)
        cleaned = "".join(text.split())
        with self.archive.db.atomic():
            self.archive.writer().update(Township.get(), county_public_key=cleaned)
        return rp.county_key_fingerprint(cleaned)

    def signer_fingerprint(self) -> str:
        """The fingerprint the county sees on this township's packages."""
        return rp.fingerprint(rp.signer_text(rp.signing_key(self._archive_key())))

    def make_package(self, now: datetime | None = None) -> Made:
        """The package bytes of the archive as it is now; nothing is written to the archive."""
        text = self.county_key()
        if not text:
            raise PackageRefused("还没有填写县级公钥。请在“设置”中填写县民政局给的公钥后再生成上报包。")
        county = rp.parse_county_key(text)
        township = Township.get()
        ephemeral, copy_key = rp.payload_key(county)
        payload = self._archive_copy(copy_key)
        made_at = (now or datetime.now()).isoformat(timespec="seconds")
        children = Child.select().where(Child.closed_on.is_null()).count()
        data = rp.seal(payload, township=township.name, county=township.county, made_at=made_at,
                       schema_version=SCHEMA_VERSION, children=children,
                       signer=rp.signing_key(self._archive_key()), county_key=county,
                       ephemeral=ephemeral)
        return Made(data, rp.read_header(data)[0])

    def _archive_key(self) -> str:
        from models.server import is_server

        if is_server(self.archive.db):
            raise PackageRefused("县级数据库中的乡镇不需要上报包：县里直接看得到。")
        return self.archive.db.connect_params["passphrase"]

    def _archive_copy(self, copy_key: str) -> bytes:
        """A consistent copy of the open archive, re-keyed with ``copy_key``, as bytes. The
        copy lives for a moment in the archive's own folder (private), encrypted throughout."""
        temp = self.archive.path.with_name(f".{self.archive.path.name}.上报包.{os.getpid()}.part")
        try:
            remove_archive_files(temp)  # a copy cut short by a power cut
            storage.backup_to(self.archive.db, temp)
            _rekey(temp, self._archive_key(), copy_key)
            return temp.read_bytes()
        finally:
            remove_archive_files(temp)


def _rekey(path: Path, key_hex: str, new_key_hex: str) -> None:
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        conn.execute("DELETE FROM draft")  # unsaved edits belong to the PC they were typed on
        conn.commit()
        conn.execute(f"PRAGMA rekey = \"x'{new_key_hex}'\"")
    finally:
        conn.close()
