"""The county's side of the 上报包 (issue 17, item 4): its key pair, and packages checked
before anything is applied.

Run as the database's owner (the county's IT office), like ``server township``:
- ``county_key`` makes the county's X25519 key pair once and keeps the private key in
  ``tongdang_county_key``, a table no login can read (the owner's only); the public key text is
  what the townships enter in 设置.
- ``check_package`` opens a package (``models.report_package.open_package``) and checks it
  against what the county already has: the township must exist in the county database; the
  first package of a township registers its signing key (its fingerprint is shown for a phone
  check), a later one signed by another key is refused as foreign; the same package again is
  recognised (nothing to do); a package made before the last one applied is refused (an
  older package never overwrites a newer one).
- ``record_applied`` notes a package in ``tongdang_report_package`` in the transaction that
  applies it.
"""

from dataclasses import dataclass

from models import report_package as rp
from models.report_package import PackageRefused

TABLES = """
CREATE TABLE IF NOT EXISTS tongdang_county_key (
    id integer PRIMARY KEY CHECK (id = 1),
    private_key bytea NOT NULL,
    public_text text NOT NULL,
    made_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON tongdang_county_key FROM PUBLIC;
CREATE TABLE IF NOT EXISTS tongdang_report_package (
    sha256 text PRIMARY KEY,
    township_id integer NOT NULL REFERENCES township (id),
    signer text NOT NULL,
    made_at text NOT NULL,
    children integer NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON tongdang_report_package FROM PUBLIC;
"""


@dataclass(frozen=True)
class Checked:
    opened: rp.Opened
    township_id: int
    first: bool  # the township's first package: its signer has just been registered
    already_applied: bool

    @property
    def signer_fingerprint(self) -> str:
        return rp.fingerprint(self.opened.header.signer)


def _tables(db) -> None:
    db.execute_sql(TABLES)


def county_key(db) -> str:
    """The county's public key text, made on first use."""
    _tables(db)
    row = db.execute_sql("SELECT public_text FROM tongdang_county_key").fetchone()
    if row:
        return row[0]
    private, public = rp.new_county_key()
    db.execute_sql("INSERT INTO tongdang_county_key (id, private_key, public_text) VALUES (1, %s, %s)",
                   (private, public))
    return public


def _private_key(db) -> bytes:
    _tables(db)
    row = db.execute_sql("SELECT private_key FROM tongdang_county_key").fetchone()
    if row is None:
        raise PackageRefused("县级数据库还没有县级密钥：请先运行 tongdang server county-key，"
                             "把显示的公钥发给各乡镇。")
    return bytes(row[0])


def check_package(db, data: bytes) -> Checked:
    """Open and check ``data`` (nothing is written). ``PackageRefused`` says why not."""
    opened = rp.open_package(data, _private_key(db))
    header = opened.header
    row = db.execute_sql("SELECT id, county FROM township WHERE name = %s", (header.township,)).fetchone()
    if row is None:
        raise PackageRefused(f"县级数据库中没有乡镇“{header.township}”。请先用 tongdang server township 添加，"
                             "再导入它的上报包。")
    township_id = row[0]
    if row[1] != header.county:
        raise PackageRefused(f"上报包来自“{header.county}{header.township}”，与县级数据库中的"
                             f"“{row[1]}{header.township}”不符，未导入任何内容。")
    if db.execute_sql("SELECT 1 FROM tongdang_report_package WHERE sha256 = %s",
                      (opened.sha256,)).fetchone():
        return Checked(opened, township_id, first=False, already_applied=True)
    last = db.execute_sql(
        "SELECT signer, made_at FROM tongdang_report_package WHERE township_id = %s "
        "ORDER BY made_at DESC, applied_at DESC LIMIT 1", (township_id,)).fetchone()
    if last is not None and last[0] != header.signer:
        raise PackageRefused(
            f"这个上报包的签名（指纹 {rp.fingerprint(header.signer)}）与“{header.township}”以前上报所用的"
            f"（指纹 {rp.fingerprint(last[0])}）不同，可能不是该乡镇生成的，未导入任何内容。"
            "请与乡镇电话核对指纹。")
    if last is not None and header.made_at <= last[1]:
        raise PackageRefused(
            f"这个上报包生成于 {header.made_at}，不晚于已导入的上报包（{last[1]}），"
            "旧的上报包不会覆盖新的，未导入任何内容。")
    return Checked(opened, township_id, first=last is None, already_applied=False)


def record_applied(db, checked: Checked) -> None:
    header = checked.opened.header
    db.execute_sql(
        "INSERT INTO tongdang_report_package (sha256, township_id, signer, made_at, children) "
        "VALUES (%s, %s, %s, %s, %s)",
        (checked.opened.sha256, checked.township_id, header.signer, header.made_at, header.children))


__all__ = ["Checked", "PackageRefused", "check_package", "county_key", "record_applied"]
