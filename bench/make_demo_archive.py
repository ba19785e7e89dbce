"""Make a large demo archive for the benchmarks (``python bench/make_demo_archive.py PATH N``).

Opened with the public demo recovery code.
"""

import sys
import time
from pathlib import Path

from models import demo
from models.archive import DEMO_RECOVERY_CODE, Archive, remove_archive_files
from models.derived import refresh_all


def main(path: str, children: int) -> None:
    target = Path(path)
    remove_archive_files(target)
    archive, _ = Archive.create(target, "丹朱镇", "长子县", "changzhi",
                                recovery_code=DEMO_RECOVERY_CODE, is_demo=True)
    started = time.perf_counter()
    demo.generate(children, seed=7, writer=archive.writer(),
                  progress=lambda d, t: print(f"\r{d}/{t}", end="", file=sys.stderr))
    refresh_all()
    archive.close()
    print(f"\n{children} children in {time.perf_counter() - started:.0f} s: {target}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20000)
