"""The 上报包 (issue 17, item 4): sealed for one county, signed by the township, refused whole
when damaged, truncated, tampered with, for another county or not a package at all."""

import json
import struct

import pytest

from models import report_package as rp
from models import storage
from models.report_package import PackageRefused
from tests.conftest import RECOVERY


@pytest.fixture
def county():
    private, public = rp.new_county_key()
    return private, public


@pytest.fixture
def made(demo_archive, county):
    demo_archive.reporting.set_county_key(county[1])
    return demo_archive.reporting.make_package()


def _children_in(opened, tmp_path):
    copy = tmp_path / "copy.tongdang"
    copy.write_bytes(opened.payload)
    db = storage.connect(copy, opened.archive_key)
    try:
        return db.execute_sql("SELECT count(*) FROM child").fetchone()[0], storage.get_user_version(db)
    finally:
        db.close()


def test_the_county_opens_what_the_township_sealed(demo_archive, made, county, tmp_path):
    from models.schema import SCHEMA_VERSION, Child

    opened = rp.open_package(made.data, county[0])
    assert opened.header.township == "丹朱镇" and opened.header.county == "长子县"
    assert opened.header.children == Child.select().where(Child.closed_on.is_null()).count()
    assert _children_in(opened, tmp_path) == (Child.select().count(), SCHEMA_VERSION)
    assert opened.header.signer == made.header.signer
    # the records are not readable without the county's key: no name appears in the bytes
    name = Child.select().first().name.encode("utf-8")
    assert name not in made.data and b"SQLite format 3" not in made.data


def test_the_payload_archive_is_not_the_township_key(made, county, tmp_path):
    from models.keys import key_from_recovery_code

    opened = rp.open_package(made.data, county[0])
    assert opened.archive_key != key_from_recovery_code(RECOVERY)


def test_the_signature_comes_from_the_archive_key(demo_archive, made):
    # the same recovery code signs the same way after a reinstall or a restore
    assert rp.fingerprint(made.header.signer) == demo_archive.reporting.signer_fingerprint()
    assert demo_archive.reporting.make_package().header.signer == made.header.signer


def test_each_package_is_encrypted_afresh(demo_archive, made):
    again = demo_archive.reporting.make_package()
    assert again.header.ephemeral != made.header.ephemeral
    assert again.data[-200:] != made.data[-200:]


@pytest.mark.parametrize("where", ["header", "ciphertext", "signature"])
def test_a_changed_byte_is_refused(made, county, where):
    data = bytearray(made.data)
    _header, start = rp.read_header(bytes(data))
    at = {"header": len(rp.MAGIC) + 10, "ciphertext": start + 1000, "signature": len(data) - 5}[where]
    data[at] ^= 0x01
    with pytest.raises(PackageRefused, match=r"签名不符|已损坏"):
        rp.open_package(bytes(data), county[0])


def test_a_rewritten_header_is_refused_even_when_well_formed(made, county):
    _header, start = rp.read_header(made.data)
    fields = json.loads(made.data[len(rp.MAGIC) + 4:start])
    fields["township"] = "别的镇"
    head = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()
    data = rp.MAGIC + struct.pack(">I", len(head)) + head + made.data[start:]
    with pytest.raises(PackageRefused, match="签名不符"):
        rp.open_package(data, county[0])


def test_a_package_resigned_by_someone_else_does_not_decrypt_differently(made, county):
    """Someone who re-signs a changed package with their own key gets past the signature
    (the county then compares the signer with the township's registered one), but not past
    the encryption's own check."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _header, start = rp.read_header(made.data)
    body = bytearray(made.data[:-rp.SIGNATURE_SIZE])
    body[start + 50] ^= 0x01
    forged = bytes(body) + Ed25519PrivateKey.generate().sign(bytes(body))
    with pytest.raises(PackageRefused, match=r"签名不符|无法解密"):
        rp.open_package(forged, county[0])


@pytest.mark.parametrize("keep", [0, 5, len(rp.MAGIC) + 3, 200, -1])
def test_a_truncated_package_is_refused(made, county, keep):
    data = made.data[:keep] if keep >= 0 else made.data[:-1]
    with pytest.raises(PackageRefused, match=r"截断|签名不符|不是童档上报包"):
        rp.open_package(data, county[0])


def test_a_package_for_another_county_is_refused(made):
    other, _ = rp.new_county_key()
    with pytest.raises(PackageRefused, match="不是发给本县的"):
        rp.open_package(made.data, other)


def test_a_file_that_is_not_a_package_is_refused(county, tmp_path):
    with pytest.raises(PackageRefused, match="不是童档上报包"):
        rp.open_package(b"PK\x03\x04" + b"\x00" * 500, county[0])


def test_no_package_without_a_county_key(demo_archive):
    with pytest.raises(PackageRefused, match="还没有填写县级公钥"):
        demo_archive.reporting.make_package()


def _typo(text):
    at = len(text) - 10
    return text[:at] + ("B" if text[at] != "B" else "C") + text[at + 1:]


@pytest.mark.parametrize("text", ["", "TONGDANG-COUNTY-KEY/1:abc", "hello",
                                  "TONGDANG-COUNTY-KEY/1:" + "A" * 48, "typo", "short"])
def test_a_bad_county_key_is_refused_and_nothing_saved(demo_archive, county, text):
    text = {"typo": _typo(county[1]), "short": county[1][:-4]}.get(text, text)
    with pytest.raises(PackageRefused, match="县级公钥"):
        demo_archive.reporting.set_county_key(text)
    assert demo_archive.reporting.county_key() == ""


def test_the_county_key_survives_copying_with_line_breaks(demo_archive, county):
    text = county[1]
    broken = text[:20] + "\n  " + text[20:] + "\n"
    fingerprint = demo_archive.reporting.set_county_key(broken)
    assert demo_archive.reporting.county_key() == text
    assert fingerprint == rp.county_key_fingerprint(text)


def test_setting_the_county_key_is_audited(demo_archive, county):
    from models.schema import AuditEntry

    demo_archive.reporting.set_county_key(county[1])
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert entry.table == "township" and "county_public_key" in entry.changes


def test_drafts_stay_on_the_pc(demo_archive, made, county, tmp_path):
    from models.schema import Draft

    assert Draft.select().count() >= 0
    opened = rp.open_package(made.data, county[0])
    copy = tmp_path / "copy.tongdang"
    copy.write_bytes(opened.payload)
    db = storage.connect(copy, opened.archive_key)
    try:
        assert db.execute_sql("SELECT count(*) FROM draft").fetchone()[0] == 0
    finally:
        db.close()


def test_nothing_is_left_beside_the_archive(demo_archive, made):
    assert sorted(p.name for p in demo_archive.path.parent.iterdir()
                  if "上报包" in p.name) == []
