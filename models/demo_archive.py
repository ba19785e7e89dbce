"""The demo archive: fictional children in the user's data folder, opened with a public code.

Its recovery code is published (``DEMO_RECOVERY_CODE``) because nothing in it is real; it is
marked as demo so everything printed from it carries 演示数据.
"""

from collections.abc import Callable

from models import demo
from models.archive import DEMO_RECOVERY_CODE, Archive, demo_path
from models.derived import attach, refresh_all

DEMO_CHILDREN = 300


def open_demo(children: int = DEMO_CHILDREN,
              progress: Callable[[int, int], None] | None = None) -> Archive:
    """Open the demo archive, creating and filling it first if it does not exist yet."""
    path = demo_path()
    if path.exists():
        archive, _ = Archive.open(path, recovery_code=DEMO_RECOVERY_CODE)
    else:
        archive = create_demo_archive(path)
        demo.generate(children, seed=2026, writer=archive.writer(), progress=progress)
        refresh_all()
    attach(archive)
    return archive


def create_demo_archive(path) -> Archive:
    """A new, empty archive marked as demo (fictional data only), opened with the public code."""
    archive, _ = Archive.create(path, "示范镇", "示范县", "national",
                                recovery_code=DEMO_RECOVERY_CODE, is_demo=True)
    return archive


def filled_demo_archive(path, children: int, seed: int) -> Archive:
    """A new demo archive of 丹朱镇 (长治 practice) with ``children`` generated children: for
    the screenshots and the screen-fit check."""
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi",
                                recovery_code=DEMO_RECOVERY_CODE, is_demo=True)
    demo.generate(children, seed=seed, writer=archive.writer())
    refresh_all()
    return archive
