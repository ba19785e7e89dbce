"""Users of one archive: slow salted password hashes, login with lock-out, password changes.

Passwords are kept only as ``scrypt$n$r$p$salt$hash`` (hex salt and hash, a random salt per
user). The string carries its own cost parameters, so a hash made with older (cheaper) ones still
verifies and is rewritten with the current ones at the next successful login.
Five wrong passwords in a row lock the user for 15 minutes; a right one resets the count.
An unknown user name, a wrong password and a disabled user get the same answer, so that trying
names does not tell which exist (only a right password learns that its user is disabled).
Creating users and resetting other users' passwords go through the writer, so the data layer
refuses anyone but a 管理员. The archive always keeps an active 管理员: the first user is one,
and the last one cannot be disabled or demoted. Logins (also failed ones) leave an audit entry.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from models import audit
from models.roles import ADMIN, ROLES, SYSTEM, check_can_write
from models.schema import AuditEntry, User, database
from models.writer import Writer

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
IDLE_LOCK_MINUTES_DEFAULT = 10  # the GUI locks the window after this many idle minutes
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
MAX_USERNAME_LENGTH = 32

# scrypt cost: the OWASP Password Storage Cheat Sheet's minimum for scrypt (N=2^17, r=8, p=1):
# 128 MiB and about 0.4 s per check on a 2020s office PC. Hashes with other parameters are
# rehashed with these at the next successful login.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
_DKLEN = 32
# A stored hash is data: refuse parameters far beyond ours rather than let a doctored row
# ask for gigabytes of memory or minutes of work.
_MAX_N, _MAX_R, _MAX_P = 2**20, 16, 4

LOGIN_FAILED = "用户名或密码不正确。"


class LoginFailed(Exception):
    """Login refused; ``str()`` is a Chinese message for the user."""


class BadUserInput(ValueError):
    """A username, password or role that cannot be accepted; ``str()`` is Chinese."""


# --- hashing ---------------------------------------------------------------------------

def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        n, r, p = int(n), int(r), int(p)
        if scheme != "scrypt" or not (1 < n <= _MAX_N and 0 < r <= _MAX_R and 0 < p <= _MAX_P):
            return False
        digest = _scrypt(password, bytes.fromhex(salt_hex), n, r, p)
    except (ValueError, TypeError, AttributeError):
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash was made with other than the current scrypt parameters."""
    parts = stored.split("$") if isinstance(stored, str) else []
    return parts[:4] != ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P)]


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # scrypt needs 128·r·N bytes (plus a little for p blocks); OpenSSL refuses more than maxmem.
    maxmem = 128 * r * (n + p + 2) + 1024 * 1024
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          dklen=_DKLEN, maxmem=maxmem)


# A hash to check against when the username is unknown, so that the answer takes as long.
_DUMMY_HASH = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None or needs_rehash(_DUMMY_HASH):  # as costly as a real user's check
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH


# --- checks ----------------------------------------------------------------------------

def check_username(username) -> str:
    if not isinstance(username, str) or not username.strip():
        raise BadUserInput("用户名不能为空。")
    username = username.strip()
    if len(username) > MAX_USERNAME_LENGTH:
        raise BadUserInput(f"用户名不能超过{MAX_USERNAME_LENGTH}个字符。")
    if any(ch.isspace() or not ch.isprintable() for ch in username):
        raise BadUserInput("用户名不能包含空格或不可见字符。")
    return username


def check_password(password) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise BadUserInput(f"密码至少需要{MIN_PASSWORD_LENGTH}个字符。")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise BadUserInput(f"密码不能超过{MAX_PASSWORD_LENGTH}个字符。")
    if password.strip() != password or not password.isprintable():
        raise BadUserInput("密码首尾不能是空格，也不能包含不可见字符。")


def check_role(role) -> None:
    if role not in ROLES:
        raise BadUserInput(f"用户角色应为：{'、'.join(ROLES)}。")


# --- users -----------------------------------------------------------------------------

def has_users() -> bool:
    return User.select().exists()


def has_active_admin() -> bool:
    return User.select().where((User.role == ADMIN) & User.active).exists()


def find_user(username: str) -> User | None:
    return User.get_or_none(User.username == username)


def create_user(writer: Writer, username: str, password: str, role: str,
                display_name: str = "") -> User:
    """A new user; only a 管理员 (or the archive itself) may do this — the writer refuses others.

    The first user of an archive is always a 管理员, whatever ``role`` says: once an archive
    has users it asks for a login, and someone must be able to manage them.
    """
    username = check_username(username)
    check_password(password)
    check_role(role)
    if not has_users():
        role = ADMIN
    display_name = (display_name or "").strip()[:64]
    if find_user(username) is not None:
        raise BadUserInput(f"用户名“{username}”已存在，请换一个。")
    return writer.create(User, username=username, display_name=display_name or username,
                         role=role, password_hash=hash_password(password))


def create_first_admin(archive, username: str, password: str, display_name: str = "") -> User:
    """The archive's first 管理员, right after ``Archive.create``; refused once users exist."""
    if has_users():
        raise BadUserInput("档案库已有用户，新用户须由管理员添加。")
    return create_user(Writer(SYSTEM, SYSTEM), username, password, ADMIN, display_name)


def add_missing_admin(by_username: str, username: str, password: str,
                      display_name: str = "") -> User:
    """Repair an archive left without an active 管理员 (before the first user was always one,
    the GUI's 添加用户 could make the only user a 录入员): a logged-in user of any role adds
    one. Refused while the archive has an active 管理员."""
    if has_active_admin():
        raise BadUserInput("档案库已有管理员，新用户须由管理员添加。")
    by = find_user(by_username)
    if by is None or not by.active:
        raise BadUserInput("请先以档案库的用户登录。")
    return create_user(Writer(by.username, SYSTEM), username, password, ADMIN, display_name)


def authenticate(username: str, password: str, now: datetime | None = None) -> User:
    """The user when the password is right; ``LoginFailed`` (Chinese message) otherwise.

    Unknown user, wrong password and disabled user (with a wrong password) all answer
    ``LOGIN_FAILED`` after the same scrypt work. A disabled user goes through the same count
    and lock as an active one, so the "已停用" answer is no oracle for guessing its password.
    """
    now = now or datetime.now()
    password = password if isinstance(password, str) else ""
    user = find_user(username.strip()) if isinstance(username, str) else None
    if user is None:
        verify_password(password, _dummy_hash())
        raise LoginFailed(LOGIN_FAILED)
    if user.locked_until and user.locked_until > now:
        _login_outcome(user, now, user.failed_attempts, user.locked_until, "已锁定，拒绝登录")
        raise LoginFailed(_locked_message(user.locked_until))
    if verify_password(password, user.password_hash):
        if not user.active:
            _login_outcome(user, now, 0, None, "已停用，拒绝登录")
            raise LoginFailed("该用户已停用，请联系管理员。")
        _login_outcome(user, now, 0, None, "成功", new_password=password)
        return user
    failed = user.failed_attempts + 1
    if failed >= MAX_FAILED_ATTEMPTS:
        until = now + timedelta(minutes=LOCK_MINUTES)
        _login_outcome(user, now, 0, until,
                       f"密码错误{MAX_FAILED_ATTEMPTS}次，锁定至{until:%H:%M}")
        raise LoginFailed(f"密码连续错误{MAX_FAILED_ATTEMPTS}次，" + _locked_message(until))
    _login_outcome(user, now, failed, user.locked_until, "密码错误")
    raise LoginFailed(LOGIN_FAILED)


def login(archive, username: str, password: str, now: datetime | None = None) -> User:
    """Authenticate and make the archive write as this user."""
    user = authenticate(username, password, now)
    archive.login_as(user.username, user.role)
    return user


def change_password(username: str, old_password: str, new_password: str,
                    now: datetime | None = None) -> None:
    """A user changes their own password; the old one must be right (counts as a login try)."""
    user = authenticate(username, old_password, now)
    check_password(new_password)
    if new_password == old_password:
        raise BadUserInput("新密码不能与原密码相同。")
    # The user proved who they are: any role may change its own password.
    _write_secret(Writer(user.username, SYSTEM), user,
                  {"password_hash": hash_password(new_password)}, "本人修改密码")


def reset_password(writer: Writer, user: User, new_password: str) -> None:
    """A 管理员 sets another user's password (forgotten password); also lifts a lock."""
    check_password(new_password)
    _write_secret(writer, user, {"password_hash": hash_password(new_password),
                                 "failed_attempts": 0, "locked_until": None}, "管理员重设密码")


def unlock_user(writer: Writer, user: User) -> None:
    _write_secret(writer, user, {"failed_attempts": 0, "locked_until": None}, "管理员解除锁定")


def set_role(writer: Writer, user: User, role: str) -> None:
    check_role(role)
    if user.role == ADMIN and role != ADMIN and _other_active_admins(user) == 0:
        raise BadUserInput("至少要保留一个管理员。")
    writer.update(user, role=role)


def set_active(writer: Writer, user: User, active: bool) -> None:
    if not active and user.role == ADMIN and _other_active_admins(user) == 0:
        raise BadUserInput("至少要保留一个启用的管理员。")
    writer.update(user, active=bool(active))


def _other_active_admins(user: User) -> int:
    return (User.select().where((User.role == ADMIN) & User.active & (User.id != user.id))
            .count())


def _locked_message(until: datetime) -> str:
    return f"该用户已被锁定，请在{until:%H:%M}以后再试，或请管理员解锁。"


# --- secrets and login bookkeeping -----------------------------------------------------------------
# The writer leaves out audit-excluded fields (the hash, the counter, the lock), so these are
# written here, each with an audit entry that says what happened without the secret itself.

def _write_secret(writer: Writer, user: User, fields: dict, note: str) -> None:
    check_can_write(writer.role, User)
    with database.atomic():
        User.update(**fields).where(User.id == user.id).execute()
        entry = audit.new_entry_row(audit.last_hash(), writer.username, User._meta.table_name,
                                    user.id, "update", {"安全设置": [None, note]})
        AuditEntry.insert(entry).execute()
    for key, value in fields.items():
        setattr(user, key, value)


def _login_outcome(user: User, now: datetime, failed: int, locked_until: datetime | None,
                   outcome: str, new_password: str | None = None) -> None:
    """Record a login try; after a right password made with old scrypt parameters
    (``new_password`` given), store it hashed with the current ones in the same transaction."""
    fields = {}
    if (user.failed_attempts, user.locked_until) != (failed, locked_until):
        fields.update(failed_attempts=failed, locked_until=locked_until)
    if new_password is not None and needs_rehash(user.password_hash):
        fields["password_hash"] = hash_password(new_password)
        outcome += "（密码存储已按当前安全参数更新）"
    with database.atomic():
        if fields:
            User.update(**fields).where(User.id == user.id).execute()
        entry = audit.new_entry_row(audit.last_hash(), user.username, User._meta.table_name,
                                    user.id, "login", {"结果": [None, outcome]})
        AuditEntry.insert(entry).execute()
    for key, value in fields.items():
        setattr(user, key, value)


class Users:
    """``archive.users``: the archive's user accounts (written by the functions above)."""

    def __init__(self, archive):
        self.archive = archive

    def all(self) -> list[User]:
        """Every account, in the order they were added."""
        return list(User.select().order_by(User.id))

    def find(self, username: str) -> User | None:
        return find_user(username)

    def logged_in(self) -> User | None:
        """The account the archive is open as (None for the system or no login)."""
        return find_user(getattr(self.archive, "username", ""))

    # -- the account functions above, reached through the archive (desktop/ calls these) --
    def has_users(self) -> bool:
        return has_users()

    def has_active_admin(self) -> bool:
        return has_active_admin()

    def login(self, username: str, password: str, now: datetime | None = None) -> User:
        return login(self.archive, username, password, now)

    def authenticate(self, username: str, password: str, now: datetime | None = None) -> User:
        return authenticate(username, password, now)

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        change_password(username, old_password, new_password)

    def create(self, username: str, password: str, role: str, display_name: str = "") -> User:
        return create_user(self.archive.writer(), username, password, role, display_name)

    def create_first_admin(self, username: str, password: str, display_name: str = "") -> User:
        return create_first_admin(self.archive, username, password, display_name)

    def add_missing_admin(self, username: str, password: str, display_name: str = "") -> User:
        return add_missing_admin(self.archive.username, username, password, display_name)

    def reset_password(self, user: User, new_password: str) -> None:
        reset_password(self.archive.writer(), user, new_password)

    def unlock(self, user: User) -> None:
        unlock_user(self.archive.writer(), user)

    def set_role(self, user: User, role: str) -> None:
        set_role(self.archive.writer(), user, role)

    def set_active(self, user: User, active: bool) -> None:
        set_active(self.archive.writer(), user, active)
