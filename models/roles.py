"""Users' roles and what each may do: the one table used by the GUI, the command line and the
data layer (the writer refuses writes a role may not make, whatever the front end shows).

    can(role, action) -> bool
    check_can(role, action)        # PermissionDenied with a Chinese message
    check_can_write(role, model)   # used by models.writer

Unknown actions are refused, so a typo hides a button rather than showing it to everyone.
"""

from models.schema import Township, User

ADMIN, CLERK, READER = "管理员", "录入员", "查阅"
ROLES = (ADMIN, CLERK, READER)
SYSTEM = "系统"  # the archive's own writes (creation, demo data, migrations); no users yet

ADMIN_ONLY_MODELS = (User, Township)

# --- actions ---------------------------------------------------------------------------
READ_CHILDREN = "read_children"  # see, check and export children's files (every logged-in role)
EDIT_CHILDREN = "edit_children"  # 新建儿童档案, 走访录入, editing a child's file
IMPORT_LEDGER = "import_ledger"  # 导入台账
EDIT_DIRECTORS = "edit_directors"  # 儿童主任台账, 培训, 摸底排查 buttons
RUN_SPOTCHECK = "run_spotcheck"  # draws a sample and records a SpotCheck row
BACKUP = "backup"  # 立即备份, the backup folder
RESTORE = "restore"  # replace the archive with a backup
ADD_DEMO_DATA = "add_demo_data"  # fictional children, into a demo archive only
CHANGE_TOWNSHIP = "change_township"  # township, county, regional profile
MANAGE_USERS = "manage_users"  # 用户管理
SHOW_FULL_ID = "show_full_id"  # full ID numbers in lists (the GUI's setting; `tongdang check`)
CHANGE_OWN_PASSWORD = "change_own_password"  # 修改我的密码 (needs a logged-in user)
REPORT_TO_COUNTY = "report_to_county"  # 生成上报包 (the whole archive, sealed for the county)

# What the action is, in a refusal: "当前用户为“查阅”角色，不能{name}。"
ACTION_NAMES = {
    READ_CHILDREN: "查看儿童档案", EDIT_CHILDREN: "修改儿童档案", IMPORT_LEDGER: "导入台账",
    EDIT_DIRECTORS: "修改儿童主任台账", RUN_SPOTCHECK: "抽查档案", BACKUP: "备份档案库",
    RESTORE: "从备份恢复档案库", ADD_DEMO_DATA: "填入演示数据", CHANGE_TOWNSHIP: "修改乡镇设置",
    MANAGE_USERS: "管理用户", SHOW_FULL_ID: "查看完整身份证号", CHANGE_OWN_PASSWORD: "修改密码", REPORT_TO_COUNTY: "生成上报包",
}

_WRITE_CHILDREN = {EDIT_CHILDREN, IMPORT_LEDGER, EDIT_DIRECTORS, RUN_SPOTCHECK, BACKUP, RESTORE,
                   ADD_DEMO_DATA, REPORT_TO_COUNTY}
_ADMIN_ONLY = {CHANGE_TOWNSHIP, MANAGE_USERS, SHOW_FULL_ID}

ALLOWED: dict[str, frozenset[str]] = {
    ADMIN: frozenset({READ_CHILDREN} | _WRITE_CHILDREN | _ADMIN_ONLY | {CHANGE_OWN_PASSWORD}),
    CLERK: frozenset({READ_CHILDREN} | _WRITE_CHILDREN | {CHANGE_OWN_PASSWORD}),
    READER: frozenset({READ_CHILDREN, CHANGE_OWN_PASSWORD}),
    # The archive opened without users (older archives, tests): nobody to change a password for.
    SYSTEM: frozenset({READ_CHILDREN} | _WRITE_CHILDREN | _ADMIN_ONLY),
}


class PermissionDenied(Exception):
    """The user's role does not allow this; ``str()`` is a Chinese message."""


def can(role: str, action: str) -> bool:
    return action in ALLOWED.get(role, frozenset())


def check_can(role: str, action: str) -> None:
    if can(role, action):
        return
    what = ACTION_NAMES.get(action, action)
    if action in _ADMIN_ONLY:
        raise PermissionDenied(f"只有管理员可以{what}（当前用户为“{role}”角色）。")
    if role in ROLES:
        raise PermissionDenied(f"当前用户为“{role}”角色，不能{what}。")
    raise PermissionDenied(f"未知的用户角色：{role}")


def may_see_full_id(role: str) -> bool:
    """Whether lists may show this role full ID numbers (the GUI also asks its setting)."""
    return can(role, SHOW_FULL_ID)


def check_can_write(role: str, model) -> None:
    if role in (SYSTEM, ADMIN):
        return
    if role == CLERK:
        if model in ADMIN_ONLY_MODELS:
            raise PermissionDenied("只有管理员可以修改用户和乡镇设置。")
        return
    if role == READER:
        raise PermissionDenied("当前用户为“查阅”角色，只能查看，不能修改档案。")
    raise PermissionDenied(f"未知的用户角色：{role}")
