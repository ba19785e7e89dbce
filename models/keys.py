"""The archive key, the recovery code and the OS credential store.

The archive key is derived from the recovery code (scrypt), so the code alone reopens the
archive on any machine. The derived key is kept in the OS keyring so that daily opening needs
no typing; it is never written to a plain file. Backends that only encode secrets on disk
(keyrings.alt) or that do nothing (fail/null) are refused.
"""

import hashlib
import os
import secrets
from pathlib import Path

SERVICE = "tongdang"
RECOVERY_ENV = "TONGDANG_RECOVERY_CODE"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
_GROUPS, _GROUP_LEN = 8, 4  # 32 characters = 160 bits
_SALT = b"tongdang/archive-key/v1"


class KeyError_(Exception):
    """Base of key problems; ``str()`` is a Chinese message for the user."""


class NoSecureKeyring(KeyError_):
    pass


class BadRecoveryCode(KeyError_):
    pass


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LEN))
    return format_recovery_code(chars)


def format_recovery_code(chars: str) -> str:
    return "-".join(chars[i:i + _GROUP_LEN] for i in range(0, len(chars), _GROUP_LEN))


def normalise_recovery_code(text: str) -> str:
    """Accept what a person types: lower case, spaces, dashes, O for 0, I/L for 1."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != _GROUPS * _GROUP_LEN or any(ch not in _ALPHABET for ch in cleaned):
        raise BadRecoveryCode(
            "恢复码格式不对：应为32个字母或数字（如 ABCD-EFGH-…，共8组，每组4个），请对照打印的恢复码重新输入。"
        )
    return cleaned


def key_from_recovery_code(code: str) -> str:
    """The archive key (64 hex digits) for a recovery code. Deliberately slow (scrypt)."""
    cleaned = normalise_recovery_code(code)
    key = hashlib.scrypt(cleaned.encode(), salt=_SALT, n=2**14, r=8, p=1, dklen=32)
    return key.hex()


def _entry_name(archive: Path) -> str:
    return "archive:" + str(Path(archive).resolve())


def _keyring():
    """keyring takes 0.1 s to import; the window should not wait for it before it is needed."""
    import keyring
    import keyring.errors

    return keyring


def _secure_backend():
    backend = _keyring().get_keyring()
    module = type(backend).__module__
    name = type(backend).__name__
    insecure = (
        module.startswith("keyrings.alt")
        or module in ("keyring.backends.fail", "keyring.backends.null")
        or "Plaintext" in name
    )
    if insecure:
        raise NoSecureKeyring(
            "本机没有可用的系统凭据存储（钥匙串），无法自动保存档案库密钥。"
            "请输入恢复码打开档案库（或设置环境变量 TONGDANG_RECOVERY_CODE）。"
        )
    return backend


def store_key(archive: Path, key_hex: str) -> None:
    backend = _secure_backend()
    try:
        backend.set_password(SERVICE, _entry_name(archive), key_hex)
    except _keyring().errors.KeyringError as exc:
        raise NoSecureKeyring(f"无法把密钥保存到系统凭据存储：{exc}。请妥善保管恢复码。") from exc


def load_key(archive: Path) -> str | None:
    """The stored key, or None when the keyring has no entry (or there is no keyring)."""
    try:
        backend = _secure_backend()
        return backend.get_password(SERVICE, _entry_name(archive))
    except (NoSecureKeyring, _keyring().errors.KeyringError):
        return None


def forget_key(archive: Path) -> None:
    try:
        _secure_backend().delete_password(SERVICE, _entry_name(archive))
    except (NoSecureKeyring, _keyring().errors.KeyringError):
        pass


def keyring_available() -> bool:
    try:
        _secure_backend()
    except NoSecureKeyring:
        return False
    return True


def recovery_code_from_env() -> str | None:
    return os.environ.get(RECOVERY_ENV) or None
