"""Who may do what in the county database: the app's roles and the PostgreSQL group roles.

Township roles are those of a township archive (管理员 / 录入员 / 查阅, ``models.roles``); the
county adds two. Every login role is a member of exactly one group role, which holds the table
privileges; the row-level-security policies (``models.server.county``) add the township.
"""

COUNTY_ADMIN = "县级管理员"  # townships, users, settings; every township
COUNTY_READER = "县级查阅"  # reads every township; spot checks
COUNTY_ROLES = (COUNTY_ADMIN, COUNTY_READER)
TOWNSHIP_ROLES = ("管理员", "录入员", "查阅")

_GROUP_OF = {
    COUNTY_ADMIN: "tongdang_county_admin",
    COUNTY_READER: "tongdang_county_reader",
    "管理员": "tongdang_township_writer",
    "录入员": "tongdang_township_writer",
    "查阅": "tongdang_township_reader",
}
GROUPS = tuple(dict.fromkeys(_GROUP_OF.values()))


def group_for(role: str) -> str:
    try:
        return _GROUP_OF[role]
    except KeyError:
        raise ValueError(f"未知的角色：{role}（可选：{'、'.join(_GROUP_OF)}）") from None


def app_role(role: str) -> str:
    """The app's own permission role (models.roles) of a login: a county administrator acts as
    a township's 管理员 in the township it opened, a county reader as 查阅."""
    return {COUNTY_ADMIN: "管理员", COUNTY_READER: "查阅"}.get(role, role)
