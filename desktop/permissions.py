"""What the GUI offers each role. The table itself is in models.roles (one place for the GUI,
the command line and the data layer); this module adds the GUI's pages.

    can(role, action) -> bool

Unknown actions are refused, so a typo hides a button rather than showing it to everyone.
"""

from models.roles import (  # noqa: F401 - re-exported for the pages
    ALLOWED,
    BACKUP,
    CHANGE_OWN_PASSWORD,
    CHANGE_TOWNSHIP,
    EDIT_CHILDREN,
    EDIT_DIRECTORS,
    IMPORT_LEDGER,
    MANAGE_USERS,
    READ_CHILDREN,
    REPORT_TO_COUNTY,
    RUN_SPOTCHECK,
    SHOW_FULL_ID,
    SYSTEM,
    can,
)

# Navigation pages a role does not see at all (module name -> action it needs).
PAGE_ACTIONS = {"quick_entry": EDIT_CHILDREN, "ledger_import": IMPORT_LEDGER}


def may_open_page(role: str, page: str) -> bool:
    action = PAGE_ACTIONS.get(page)
    return action is None or can(role, action)


def role_of(context) -> str:
    """The logged-in role of a page's context (``系统`` when the archive has no login)."""
    return getattr(getattr(context, "archive", None), "role", SYSTEM) or SYSTEM
