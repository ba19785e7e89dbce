"""The encrypted archive: keyring, recovery code, wrong keys, no plaintext on disk."""

import re
from datetime import date

import keyring
import keyring.backend
import pytest

from forms.idnumber import make_id_number
from models import keys
from models.archive import Archive, NeedRecoveryCode
from models.schema import Child, FamilyMember, Village
from models.storage import WrongKey

CODE = "7K3M-9QXP-2B4N-HV8R-T6WC-YJ1D-5GZF-0SAE"


def make(tmp_path, code=CODE):
    archive, shown = Archive.create(tmp_path / "a.tongdang", "丹朱镇", "长子县", "changzhi",
                                    recovery_code=code)
    return archive, shown


def test_recovery_code_is_shown_normalised(tmp_path):
    archive, shown = make(tmp_path, CODE.lower().replace("-", " "))
    archive.close()
    assert shown == CODE


def test_reopens_through_the_keyring(tmp_path):
    archive, _ = make(tmp_path)
    archive.close()
    archive, result = Archive.open(tmp_path / "a.tongdang")
    assert result.key_source == "keyring"
    assert archive.township.name == "丹朱镇"
    archive.close()


def test_recovery_code_reopens_after_keyring_entry_is_gone(tmp_path):
    archive, _ = make(tmp_path)
    archive.close()
    keys.forget_key(tmp_path / "a.tongdang")
    with pytest.raises(NeedRecoveryCode, match="恢复码"):
        Archive.open(tmp_path / "a.tongdang")
    archive, result = Archive.open(tmp_path / "a.tongdang", recovery_code=CODE)
    assert result.key_source == "recovery_code" and result.key_stored
    archive.close()
    archive, result = Archive.open(tmp_path / "a.tongdang")  # the key was put back
    assert result.key_source == "keyring"
    archive.close()


def test_wrong_recovery_code_is_a_clear_message(tmp_path):
    archive, _ = make(tmp_path)
    archive.close()
    keys.forget_key(tmp_path / "a.tongdang")
    with pytest.raises(WrongKey) as error:
        Archive.open(tmp_path / "a.tongdang", recovery_code=keys.new_recovery_code())
    assert "恢复码" in str(error.value) and "not a database" not in str(error.value)


def test_mistyped_code_format_is_explained():
    with pytest.raises(keys.BadRecoveryCode, match="32个"):
        keys.key_from_recovery_code("ABCD-EFGH")


def test_similar_looking_characters_are_forgiven():
    typed = CODE.replace("0", "O").replace("1", "I")
    assert keys.key_from_recovery_code(typed) == keys.key_from_recovery_code(CODE)


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt's plaintext file store."""

    priority = 1
    __module__ = "keyrings.alt.file"

    def get_password(self, service, username):
        raise AssertionError("must not be read")

    def set_password(self, service, username, password):
        raise AssertionError("must not be written: the key would sit in a plain file")

    def delete_password(self, service, username):
        pass


def test_plaintext_keyring_is_refused_and_code_is_asked(tmp_path, monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        archive, _ = make(tmp_path)
        archive.close()
        assert not keys.keyring_available()
        with pytest.raises(NeedRecoveryCode, match="凭据存储"):
            Archive.open(tmp_path / "a.tongdang")
        monkeypatch.setenv(keys.RECOVERY_ENV, CODE)
        archive, result = Archive.open(tmp_path / "a.tongdang")
        assert result.key_source == "recovery_code" and not result.key_stored
        archive.close()
    finally:
        keyring.set_keyring(previous)


def test_no_plaintext_in_the_file_or_its_wal(tmp_path):
    archive, _ = make(tmp_path)
    writer = archive.writer()
    village = writer.create(Village, name="东坡村")
    secrets = []
    for n in range(30):
        name = "欧阳" + "春夏秋冬梅兰竹菊"[n % 8] + "花草树木山水云雨"[n // 8]
        number = make_id_number("140428", date(2015, 1, 1 + n), n, n % 2 == 0)
        phone = f"139{n:08d}"
        child = writer.create(Child, id_number=number, name=name, village=village,
                              entered_on=date(2025, 1, 1))
        writer.create(FamilyMember, child=child, relation="父亲", name="欧阳建国", phone=phone,
                      status="外出务工", distance="跨省", away_since=date(2024, 1, 1))
        secrets += [name, number, phone]
    path = tmp_path / "a.tongdang"
    wal = tmp_path / "a.tongdang-wal"
    assert wal.exists() and wal.stat().st_size > 0  # the check below must cover the WAL too
    while_open = path.read_bytes() + wal.read_bytes()
    archive.close()
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for blob in (while_open, data):
        for secret in secrets + ["东坡村", "欧阳建国"]:
            assert secret.encode("utf-8") not in blob, secret


def test_a_2000_child_demo_archive_leaks_no_name_id_or_phone(tmp_path):
    from models import demo
    from models.schema import Carer

    archive, _ = make(tmp_path)
    demo.generate(2000, seed=5, writer=archive.writer())
    secrets = set()
    for name, number in Child.select(Child.name, Child.id_number).tuples():
        secrets.update((name, number))
    for phone, name in FamilyMember.select(FamilyMember.phone, FamilyMember.name).tuples():
        secrets.update((phone, name))
    secrets.update(phone for (phone,) in Carer.select(Carer.phone).tuples())
    secrets.discard("")
    path, wal = tmp_path / "a.tongdang", tmp_path / "a.tongdang-wal"
    blobs = [path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")]
    archive.close()
    blobs.append(path.read_bytes())
    assert not blobs[1].startswith(b"SQLite format 3")
    assert len(secrets) > 5000
    for blob in blobs:
        assert plaintext_fragments(blob) & secrets == set()


def plaintext_fragments(blob: bytes) -> set[str]:
    """Every run of digits (ID, phone) and of Chinese characters (names) readable in ``blob``,
    and each run's substrings of name length: one pass instead of one search per secret."""
    found = set()
    for run in re.findall(rb"[0-9X]{11,}", blob):
        text = run.decode()
        found.update(text[i:i + n] for n in (11, 18) for i in range(len(text) - n + 1))
    for run in re.findall(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){2,}", blob):
        text = run.decode("utf-8", "ignore")
        found.update(text[i:i + n] for n in (2, 3, 4) for i in range(len(text) - n + 1))
    return found


def test_the_fragment_scan_sees_plaintext():
    blob = (b"\x00\x13" + "张三丰".encode() + b"\x07" + b"13912345678" + b"\xff"
            + b"7" + b"11010519491231002X" + b"13800138000")
    assert {"张三丰", "张三", "13912345678", "11010519491231002X",
            "13800138000"} <= plaintext_fragments(blob)
