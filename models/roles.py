"""Users' roles and what each may do. Enforced in the data layer (the writer), not only the GUI."""

from models.schema import Township, User

ADMIN, CLERK, READER = "管理员", "录入员", "查阅"
ROLES = (ADMIN, CLERK, READER)
SYSTEM = "系统"  # the archive's own writes (creation, demo data, migrations)

ADMIN_ONLY_MODELS = (User, Township)


class PermissionDenied(Exception):
    """The user's role does not allow this; ``str()`` is a Chinese message."""


def check_can_write(role: str, model) -> None:
    if role == SYSTEM or role == ADMIN:
        return
    if role == CLERK:
        if model in ADMIN_ONLY_MODELS:
            raise PermissionDenied("只有管理员可以修改用户和乡镇设置。")
        return
    if role == READER:
        raise PermissionDenied("当前用户为“查阅”角色，只能查看，不能修改档案。")
    raise PermissionDenied(f"未知的用户角色：{role}")
