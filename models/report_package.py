"""The 上报包: a township's records sealed for its county (issue 17, item 4).

A township that keeps its own archive file sends the county a package: a copy of its archive,
encrypted for the county's public key and signed by the township, so that only the county can
read it and the county can tell that it is whole and whose it is. This module is the file
format alone; ``models.reporting`` makes a package from an open archive and
``models.server.packages`` applies one to the county database.

The cryptography is the ``cryptography`` library's, nothing hand-made:
- the county has an X25519 key pair; the township an Ed25519 signing key derived from its
  archive key (HKDF), so it needs no storage of its own and a restored archive signs as before;
- a package is ``MAGIC | header length | header (JSON) | ciphertext | signature``: the payload
  is encrypted with AES-256-GCM under a key agreed between a fresh ephemeral X25519 key and
  the county's key (HKDF-SHA256), with the magic and the header as associated data; the
  Ed25519 signature covers every byte before it.
The payload is itself an SQLCipher file keyed with a second key from the same agreement, so
that the county opens it without ever writing the records unencrypted to disk.
"""

import base64
import hashlib
import json
import struct
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"TONGDANG-REPORT/1\n"
COUNTY_KEY_PREFIX = "TONGDANG-COUNTY-KEY/1:"
SIGNATURE_SIZE = 64
_LENGTH = struct.Struct(">I")
_MAX_HEADER = 64 * 1024


class PackageRefused(Exception):
    """A package that is not applied; ``str()`` says why in Chinese."""


@dataclass(frozen=True)
class Header:
    """What a package says about itself, readable without the county's key (but signed)."""

    township: str
    county: str
    made_at: str  # ISO date and time, the township PC's clock
    schema_version: int
    children: int
    signer: str  # the township's signing public key (base64)
    county_key: str  # fingerprint of the county key the package is encrypted for
    ephemeral: str  # base64
    nonce: str  # base64
    payload_sha256: str


@dataclass(frozen=True)
class Opened:
    header: Header
    payload: bytes  # the archive copy (an SQLCipher file)
    archive_key: str  # its key, 64 hex digits
    sha256: str  # of the whole package: the same package imported twice is recognised by it


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _raw(key) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_b64: str) -> str:
    """A short form of a public key for people to compare (groups of four hex digits)."""
    digest = hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:20].upper()
    return "-".join(digest[i:i + 4] for i in range(0, len(digest), 4))


# -- the county's key pair ------------------------------------------------------------------

def new_county_key() -> tuple[bytes, str]:
    """(private key bytes to keep at the county, public key text to give the townships)."""
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    return raw, county_key_text(private.public_key())


def county_key_text(public: X25519PublicKey) -> str:
    """The text handed to the townships: the key and four bytes of its hash, so that a key
    mistyped or cut short is refused rather than used."""
    raw = _raw(public)
    return COUNTY_KEY_PREFIX + _b64(raw + hashlib.sha256(raw).digest()[:4])


def county_public_from_private(raw: bytes) -> str:
    return county_key_text(X25519PrivateKey.from_private_bytes(raw).public_key())


def parse_county_key(text: str) -> X25519PublicKey:
    """The county's public key from the text the county handed out (spaces and line breaks
    as copied from a message or a printed page are ignored)."""
    cleaned = "".join((text or "").split())
    if not cleaned.startswith(COUNTY_KEY_PREFIX):
        raise PackageRefused(f"县级公钥格式不对：应以“{COUNTY_KEY_PREFIX}”开头。请从县民政局给的公钥文件原样复制。")
    try:
        data = base64.b64decode(cleaned[len(COUNTY_KEY_PREFIX):], validate=True)
        raw, check = data[:32], data[32:]
        if len(data) != 36 or hashlib.sha256(raw).digest()[:4] != check:
            raise ValueError(cleaned)
        return X25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise PackageRefused("县级公钥不完整或有错字。请从县民政局给的公钥文件原样复制。") from None


def county_key_fingerprint(text: str) -> str:
    cleaned = "".join(text.split())
    return fingerprint(_b64(_raw(parse_county_key(cleaned))))


# -- the township's signing key -------------------------------------------------------------

def signing_key(archive_key_hex: str) -> Ed25519PrivateKey:
    """The township's signing key, derived from its archive key: the recovery code that
    reopens the archive also restores the key its packages are signed with."""
    seed = HKDF(hashes.SHA256(), 32, salt=b"tongdang/report-signing/v1", info=b"").derive(
        bytes.fromhex(archive_key_hex))
    return Ed25519PrivateKey.from_private_bytes(seed)


def signer_text(key: Ed25519PrivateKey) -> str:
    return _b64(_raw(key.public_key()))


# -- sealing and opening --------------------------------------------------------------------

def _keys(shared: bytes, ephemeral: bytes) -> tuple[bytes, str]:
    """(AES-GCM key, the payload archive's key in hex) from the agreed secret."""
    out = HKDF(hashes.SHA256(), 64, salt=b"tongdang/report/v1", info=ephemeral).derive(shared)
    return out[:32], out[32:].hex()


def payload_key(county: X25519PublicKey) -> tuple[X25519PrivateKey, str]:
    """A fresh ephemeral key and the key the payload archive must be written with."""
    ephemeral = X25519PrivateKey.generate()
    _, archive_key = _keys(ephemeral.exchange(county), _raw(ephemeral.public_key()))
    return ephemeral, archive_key


def seal(payload: bytes, *, township: str, county: str, made_at: str, schema_version: int,
         children: int, signer: Ed25519PrivateKey, county_key: X25519PublicKey,
         ephemeral: X25519PrivateKey) -> bytes:
    """The package bytes. ``payload``: the archive copy written with ``payload_key``'s key."""
    import os

    aes_key, _ = _keys(ephemeral.exchange(county_key), _raw(ephemeral.public_key()))
    nonce = os.urandom(12)
    header = Header(
        township=township, county=county, made_at=made_at, schema_version=schema_version,
        children=children, signer=signer_text(signer),
        county_key=fingerprint(_b64(_raw(county_key))), ephemeral=_b64(_raw(ephemeral.public_key())),
        nonce=_b64(nonce), payload_sha256=hashlib.sha256(payload).hexdigest())
    head = json.dumps(asdict(header), ensure_ascii=False, sort_keys=True).encode("utf-8")
    front = MAGIC + _LENGTH.pack(len(head)) + head
    body = front + AESGCM(aes_key).encrypt(nonce, payload, front)
    return body + signer.sign(body)


def read_header(data: bytes) -> tuple[Header, int]:
    """The header and where the ciphertext starts; refuses what is not a whole package."""
    if not data.startswith(MAGIC):
        raise PackageRefused("这不是童档上报包（文件开头不对），未导入任何内容。")
    start = len(MAGIC) + _LENGTH.size
    if len(data) < start:
        raise PackageRefused("上报包不完整（文件被截断），未导入任何内容。请让乡镇重新发送。")
    (length,) = _LENGTH.unpack_from(data, len(MAGIC))
    if length > _MAX_HEADER or len(data) < start + length + SIGNATURE_SIZE:
        raise PackageRefused("上报包不完整（文件被截断），未导入任何内容。请让乡镇重新发送。")
    try:
        fields = json.loads(data[start:start + length].decode("utf-8"))
        return Header(**fields), start + length
    except (ValueError, TypeError):
        raise PackageRefused("上报包已损坏（包头无法读取），未导入任何内容。请让乡镇重新发送。") from None


def open_package(data: bytes, county_private: bytes) -> Opened:
    """Check the signature, then decrypt. Every failure is a ``PackageRefused``."""
    header, body_start = read_header(data)
    body, signature = data[:-SIGNATURE_SIZE], data[-SIGNATURE_SIZE:]
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(header.signer)).verify(signature, body)
    except (InvalidSignature, ValueError):
        raise PackageRefused(
            "上报包的签名不符：文件在生成后被改动过或已损坏，未导入任何内容。请让乡镇重新生成并发送。") from None
    private = X25519PrivateKey.from_private_bytes(county_private)
    if header.county_key != fingerprint(_b64(_raw(private.public_key()))):
        raise PackageRefused(
            f"这个上报包不是发给本县的（加密所用的县级公钥指纹为 {header.county_key}），未导入任何内容。"
            "请乡镇在“设置”中填写本县的公钥后重新生成。")
    ephemeral = base64.b64decode(header.ephemeral)
    aes_key, archive_key = _keys(private.exchange(X25519PublicKey.from_public_bytes(ephemeral)), ephemeral)
    try:
        payload = AESGCM(aes_key).decrypt(base64.b64decode(header.nonce), data[body_start:-SIGNATURE_SIZE],
                                          data[:body_start])
    except InvalidTag:
        raise PackageRefused("上报包无法解密（内容与包头不符），未导入任何内容。请让乡镇重新生成并发送。") from None
    if hashlib.sha256(payload).hexdigest() != header.payload_sha256:
        raise PackageRefused("上报包内容校验不符，未导入任何内容。请让乡镇重新生成并发送。")
    return Opened(header, payload, archive_key, hashlib.sha256(data).hexdigest())
