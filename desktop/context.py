"""What every page of the main window is given: the open archive and ways to reach the rest
of the window. Pages never import the main window; they call back through this object.

Page modules live in ``desktop/pages/<name>.py`` and define ``class Page(QWidget)`` with
``title`` (the Chinese navigation label), ``__init__(self, context: AppContext)`` and
``refresh()`` (called when the page is shown or the archive changed).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class ChildFilter:
    """What the children list shows (the dashboard's clicks and the list's own filters)."""

    text: str = ""  # name, pinyin initials, full pinyin, or ID-number digits
    village: str | None = None
    colour: str | None = None  # red / yellow / blue / green
    category: str | None = None  # a word of forms.vocab (留守, 孤儿, ...)
    overdue_only: bool = False
    urgent_only: bool = False
    include_closed: bool = False
    child_ids: tuple[int, ...] | None = None  # an explicit set (e.g. "ageing out in 60 days")
    label: str = ""  # shown above the list, e.g. "工作台：逾期未走访"


@dataclass
class AppContext:
    archive: Any  # models.archive.Archive
    settings: Any = None  # desktop.settings.Settings
    on: date = field(default_factory=date.today)  # "today" as chosen on the dashboard
    show_children: Callable[[ChildFilter], None] = lambda f: None
    open_child: Callable[[int], None] = lambda child_id: None
    run_in_background: Callable[..., Any] = None  # desktop.worker.run_in_background
    archive_changed: Callable[[], None] = lambda: None
    # A county login changes the township the window works in (desktop/pages/county.py):
    # first asked (False: a page with unsaved edits keeps it), then told.
    township_changing: Callable[[], bool] = lambda: True
    township_changed: Callable[[], None] = lambda: None
