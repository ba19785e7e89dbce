"""Before there is an archive object: opening the demo, restoring a backup, checking a new
account's name and password, the server's openers, and how waits and database errors are
shown. ``desktop/`` calls these (``tests/test_layout.py``), not the modules behind them; once
an archive is open, everything goes through its facets (``models.archive.Archive``).
"""

from __future__ import annotations

from pathlib import Path

from models import keys, storage
from models.archive import Archive


def open_demo(*args, **kwargs) -> Archive:
    """The demo archive, made and filled on first use (``models.demo_archive.open_demo``)."""
    from models.demo_archive import open_demo

    return open_demo(*args, **kwargs)


def create_demo_archive(path: Path) -> Archive:
    """A new, empty archive marked as demo, opened with the public code."""
    from models.demo_archive import create_demo_archive

    return create_demo_archive(path)


def fill_demo_archive(archive: Archive, children: int, seed: int | None = None,
                      progress=None) -> int:
    """Fictional children into a demo archive, in one transaction (``models.demo``)."""
    from models import demo

    return demo.fill_archive(archive, children, seed=seed, progress=progress)


def restore_backup(backup_path: Path, recovery_code: str, target_path: Path, **options):
    """Replace the archive at ``target_path`` by a checked backup; the old file is kept
    aside (``models.backup.restore_backup_detailed``: its result names both)."""
    from models.backup import restore_backup_detailed

    return restore_backup_detailed(backup_path, recovery_code, target_path, **options)


def check_username(text) -> str:
    """A new account's user name as stored; ``BadUserInput`` (Chinese) when refused."""
    from models.users import check_username

    return check_username(text)


def check_password(text) -> None:
    """``BadUserInput`` (Chinese) when a new password is refused."""
    from models.users import check_password

    check_password(text)


def keyring_available() -> bool:
    """Whether this computer keeps archive keys (else every opening asks for the code)."""
    return keys.keyring_available()


def recovery_code_from_env() -> str | None:
    return keys.recovery_code_from_env()


def show_waits_with(callback) -> None:
    """How a program waiting for another's write says so (``models.storage.on_wait``)."""
    storage.on_wait = callback


def database_error_message(exc: BaseException) -> str | None:
    """The Chinese message for a database error met after opening (a damaged page read by a
    command, another program holding the write lock), or None for anything else."""
    if isinstance(exc, storage.ArchiveOpenError):
        return str(exc)
    if "Error" not in type(exc).__name__:
        return None
    if storage.is_damage_error(exc):
        return storage.DAMAGED_MESSAGE.format(detail=exc)
    if storage.is_busy_error(exc):
        return storage.BUSY_MESSAGE.format(what="写入档案库")
    return None


# -- the county database on a server (models/server/) --------------------------------------
def open_server(setting, password: str | None = None, township: str | None = None):
    """(archive, None): a township's archive in the county database, the same API as a file's
    (``models.server.archive.ServerArchive``)."""
    from models.server.archive import ServerArchive

    return ServerArchive.open(setting, password, township=township)


def stored_server_password(setting) -> str | None:
    """The password kept in the OS keyring for this server login, if any."""
    from models.server.connection import stored_password

    return stored_password(setting)


def store_server_password(setting, password: str) -> bool:
    """Keep the password in the OS keyring for this server login (False: not kept)."""
    from models.server.connection import store_password

    return store_password(setting, password)


def open_county_as_owner(setting, password: str | None):
    """The county database as its owner sets it up (``models.server.owner.CountyOwner``)."""
    from models.server.owner import CountyOwner

    return CountyOwner.open(setting, password)
