"""Screenshots of the county 工作台 (issue 17, item 1), for the README and docs/desktop.md.

    python bench/bench_county_overview.py --serve 20 2000 &     # prints the logins' address
    xvfb-run -s "-screen 0 1366x768x24" python -m desktop.county_screenshots \
        postgresql://countyreader@127.0.0.1:PORT/bench?sslmode=disable [--out docs/img]

Makes county-dashboard.png (全县: the township table), county-dashboard-reminders.png (its
提醒 tab) and county-township.png (one township
chosen: its own 工作台), at 1366×768, with the login's password from ``TONGDANG_PASSWORD``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from desktop.screenshots import HEIGHT, WIDTH, grab, wait

TOWNSHIP = "鲍店镇"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="为说明文档截取县级工作台截图")
    parser.add_argument("server", help="县级用户的服务器地址（密码取自 TONGDANG_PASSWORD）")
    parser.add_argument("--out", default="docs/img")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="tongdang-county-shots-"))

    from desktop.app import ensure_cjk_font, make_application, prepare_archive
    from desktop.mainwindow import MainWindow
    from desktop.settings import Settings
    from models.opening import open_server

    app = make_application()
    ensure_cjk_font(app)
    archive, _ = open_server(args.server, os.environ.get("TONGDANG_PASSWORD"))
    archive.county.choose(None)
    prepare_archive(archive)
    window = MainWindow(archive, Settings(folder / "settings.ini"))
    window.resize(WIDTH, HEIGHT)
    window.show()
    window.show_page("dashboard")
    page = window.page("dashboard")
    wait(until=lambda: page.overview is not None, timeout=120)
    grab(window, out / "county-dashboard.png")
    page.tabs.setCurrentIndex(1)
    grab(window, out / "county-dashboard-reminders.png")
    page.tabs.setCurrentIndex(0)
    page.choose(TOWNSHIP)
    wait(until=lambda: page.township_page.board is not None, timeout=120)
    grab(window, out / "county-township.png")
    window.close()
    archive.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
