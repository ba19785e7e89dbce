"""What the GUI offers each role. The data layer (models.roles, the writer) refuses anyway;
this table only keeps buttons and pages away from those who may not use them.

    can(role, action) -> bool

Unknown actions are refused, so a typo hides a button rather than showing it to everyone.
"""

from models.roles import ADMIN, CLERK, READER, SYSTEM

# Actions a 管理员 and the archive itself (no login, e.g. tests and the demo) may take.
EDIT_CHILDREN = "edit_children"  # 新建儿童档案, 走访录入, editing a child's file
IMPORT_LEDGER = "import_ledger"  # 导入台账
EDIT_DIRECTORS = "edit_directors"  # 儿童主任台账, 培训, 摸底排查 buttons
RUN_SPOTCHECK = "run_spotcheck"  # draws a sample and records a SpotCheck row
BACKUP = "backup"  # 立即备份, the backup folder
CHANGE_TOWNSHIP = "change_township"  # township, county, regional profile
MANAGE_USERS = "manage_users"  # 用户管理
SHOW_FULL_ID = "show_full_id"  # the setting to show full ID numbers in lists
CHANGE_OWN_PASSWORD = "change_own_password"  # 修改我的密码 (needs a logged-in user)

_WRITE_CHILDREN = {EDIT_CHILDREN, IMPORT_LEDGER, EDIT_DIRECTORS, RUN_SPOTCHECK, BACKUP}
_ADMIN_ONLY = {CHANGE_TOWNSHIP, MANAGE_USERS, SHOW_FULL_ID}

ALLOWED: dict[str, frozenset[str]] = {
    ADMIN: frozenset(_WRITE_CHILDREN | _ADMIN_ONLY | {CHANGE_OWN_PASSWORD}),
    CLERK: frozenset(_WRITE_CHILDREN | {CHANGE_OWN_PASSWORD}),
    READER: frozenset({CHANGE_OWN_PASSWORD}),
    # The archive opened without users (older archives, tests): nobody to change a password for.
    SYSTEM: frozenset(_WRITE_CHILDREN | _ADMIN_ONLY),
}

# Navigation pages a role does not see at all (module name -> action it needs).
PAGE_ACTIONS = {"quick_entry": EDIT_CHILDREN, "ledger_import": IMPORT_LEDGER}


def can(role: str, action: str) -> bool:
    return action in ALLOWED.get(role, frozenset())


def may_open_page(role: str, page: str) -> bool:
    action = PAGE_ACTIONS.get(page)
    return action is None or can(role, action)


def role_of(context) -> str:
    """The logged-in role of a page's context (``系统`` when the archive has no login)."""
    return getattr(getattr(context, "archive", None), "role", SYSTEM) or SYSTEM
