"""Shared test fixtures: an in-memory keyring, scratch archives, demo data, offscreen Qt."""

import os

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
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def new_archive(tmp_path):
    from models.archive import Archive

    archive, _ = Archive.create(tmp_path / "a.tongdang", "丹朱镇", "长子县", "changzhi",
                                recovery_code=RECOVERY)
    try:
        yield archive
    finally:
        archive.close()


@pytest.fixture
def demo_archive(new_archive):
    from models import demo
    from models.derived import refresh_all

    demo.generate(50, seed=1, writer=new_archive.writer())
    refresh_all()
    return new_archive
