"""Screenshots of the real window on a demo archive, for the README.

    xvfb-run -s "-screen 0 1366x768x24" python -m desktop.screenshots [--archive PATH] [--out docs/img]
        [--font 12]

Taken at 1366×768, the most common office screen (the window fills it, as a maximised window
would; the print preview sizes itself to the screen).

Makes welcome, server-login, server-township, dashboard, main-list, child-file, print-preview, quick-entry, reports, spotcheck
import-report and users. Without ``--archive`` a fresh 300-child demo archive is made in a temporary
folder (the same data as ``./run`` → 先看看演示, so it shows the 演示数据 banner). Settings go
to a temporary file, so the user's own window layout is not touched.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QScrollArea

WIDTH, HEIGHT = 1366, 768


def wait(seconds: float = 0.3, until=None, timeout: float = 60) -> None:
    end = time.monotonic() + (timeout if until else seconds)
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        if until is not None and until():
            break
        time.sleep(0.02)
    QCoreApplication.processEvents()


def demo_archive(folder: Path):
    from models.archive import Archive

    return Archive.filled_demo(folder / "demo.tongdang", 300, seed=2026)


def welcome_screen(out: Path, folder: Path) -> None:
    """The first-use screen, as a computer with no archive shows it."""
    from desktop.settings import Settings
    from desktop.welcome import WelcomeDialog
    from models.archive import default_path

    # A clerk's user folder rather than the one of whoever makes the screenshots.
    place = Path("/home/minzhengban/.local/share/tongdang") / default_path().name
    dialog = WelcomeDialog(Settings(folder / "welcome.ini"), place)
    dialog.show()
    grab(dialog, out / "welcome.png")
    dialog.close()


class _CountyLogin:
    """What the connection dialog shows of a county login (no server needed for the picture)."""

    county_role = "县级查阅"

    def township_names(self) -> list[str]:
        return ["丹朱镇", "鲍店镇", "南漳镇", "石哲镇", "慈林镇"]

    def close(self) -> None:
        pass


def server_screens(out: Path, folder: Path) -> None:
    """打开县级数据库: the connection setting and login, then a county login's township."""
    from desktop.server_open import ServerOpenDialog
    from desktop.settings import Settings

    settings = Settings(folder / "server.ini")
    settings.server = "postgresql://wangfang@10.12.0.5:5432/tongdang?sslmode=verify-full"
    dialog = ServerOpenDialog(settings)
    dialog.password.setText("********")
    dialog.show()
    grab(dialog, out / "server-login.png")
    dialog._ask_township(_CountyLogin())
    dialog.township.setCurrentText("鲍店镇")
    grab(dialog, out / "server-township.png")
    dialog.pending = None
    dialog.close()


def faulty_ledger(folder: Path) -> Path:
    """A ledger as a clerk might fill it first: a wrong check digit, a date that does not
    exist, an unknown village kind — what the import page lists."""
    from datetime import date

    from openpyxl import load_workbook

    from exports.ledger_template import write_ledger_template
    from forms import ledger
    from forms.idnumber import make_id_number

    path = folder / "东坡村台账.xlsx"
    write_ledger_template(path)
    wb = load_workbook(path)
    ws = wb[ledger.CHILDREN.name]
    good = make_id_number("140428", date(2016, 5, 1), 21, True)
    rows = [
        {"姓名": "赵小军", "身份证号": good, "民族": "汉族", "户籍类型": "农村", "村(社区)": "东坡村",
         "就学状况": "小学", "健康状况": "健康", "登记日期": "2026-02-30"},
        {"姓名": "钱小红", "身份证号": good[:-1] + ("0" if good[-1] != "0" else "1"), "民族": "汉族",
         "户籍类型": "农村", "村(社区)": "东坡村", "就学状况": "小学", "健康状况": "健康"},
        {"姓名": "孙小明", "身份证号": make_id_number("140428", date(2013, 9, 9), 22, True),
         "民族": "汉族", "户籍类型": "城里", "村(社区)": "西岭村", "就学状况": "初中",
         "健康状况": "健康", "父亲状况": "出国"},
    ]
    for row in rows:
        ws.append([row.get(h) for h in ledger.CHILDREN.headers])
    wb.save(path)
    return path


def _demo_users(archive) -> None:
    """Three fictional users for the 用户管理 picture."""
    if archive.users.has_users():
        return
    for username, name, role in (("lijuan", "李娟", "管理员"), ("wangjg", "王建国", "录入员"),
                                 ("zhaomin", "赵敏", "查阅")):
        archive.users.create(username, "演示密码-2026-demo", role, name)


def grab(widget, path: Path) -> None:
    wait(0.4)
    widget.grab().save(str(path))
    print(f"已保存：{path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="为说明文档截取主窗口截图")
    parser.add_argument("--archive", help="演示档案库（用 TONGDANG_RECOVERY_CODE 或演示恢复码打开）")
    parser.add_argument("--out", default="docs/img")
    parser.add_argument("--font", type=int, default=0, help="字号（0 为系统默认）")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="tongdang-shots-"))

    from desktop.app import apply_font_size, ensure_cjk_font, make_application, prepare_archive
    from desktop.mainwindow import MainWindow
    from desktop.settings import Settings

    app = make_application()
    ensure_cjk_font(app)
    apply_font_size(app, args.font)
    if args.archive:
        from models.archive import DEMO_RECOVERY_CODE, Archive
        from models.keys import RECOVERY_ENV

        archive, _ = Archive.open(Path(args.archive),
                                  recovery_code=os.environ.get(RECOVERY_ENV) or DEMO_RECOVERY_CODE)
    else:
        archive = demo_archive(folder)
    welcome_screen(out, folder)
    server_screens(out, folder)
    prepare_archive(archive)
    _demo_users(archive)
    archive.login_as("lijuan", "管理员")
    window = MainWindow(archive, Settings(folder / "settings.ini"))
    window.resize(WIDTH, HEIGHT)
    window.show()
    window.show_page("dashboard")
    board = window.page("dashboard")
    wait(until=lambda: board.board is not None, timeout=120)
    grab(window, out / "dashboard.png")
    window.show_page("children")
    wait(0.5)
    page = window.page("children")
    page.list.table.selectRow(2)
    grab(window, out / "main-list.png")

    child = archive.showcase.interesting_child()
    file = page.open_child(child.id)
    file.show_tab("走访记录")
    wait(0.3)
    panel = file.panel("contact")
    home = next((row for row, record in enumerate(panel.records) if record.kind == "入户走访"), 0)
    panel.table.selectRow(home)
    grab(window, out / "child-file.png")

    request = file.print_form("委托照护协议书")
    wait(until=lambda: request.dialog is not None or bool(request.error), timeout=60)
    if request.dialog is not None:
        wait(1.0)  # the dialog sizes itself to the screen (desktop.screen)
        grab(request.dialog, out / "print-preview.png")
        request.dialog.close()
    page.close_file()

    window.show_page("quick_entry")
    quick = window.page("quick_entry")
    quick.search.setText(child.pinyin)
    quick.choose()
    quick.editor.set_value("kind", "电话")
    quick.editor.set_value("visitor", "王建国")
    quick.editor.set_value("living", "电话联系照护人，了解近况。")
    quick.save()
    quick.search.setText("zh")
    wait(0.2)
    quick.choose()
    quick.editor.set_value("visitor", "王建国")
    quick.editor.set_value("living", "照护人为祖母，身体尚可；儿童按时上学，情绪稳定。")
    quick.editor.set_value("problems", "冬季取暖用电线路老化。")
    quick.editor.set_value("actions", "提醒照护人注意用电安全，已联系村委会安排检修。")
    quick.search.setFocus()
    grab(window, out / "quick-entry.png")

    window.show_page("reports")
    reports = window.page("reports")
    reports.make_preview()
    wait(until=lambda: reports.form is not None, timeout=120)
    grab(window, out / "reports.png")

    window.show_page("spotcheck")
    spot = window.page("spotcheck")
    spot.seed.setText("2026")
    spot.draw()
    wait(until=lambda: spot.run is not None, timeout=120)
    grab(window, out / "spotcheck.png")

    window.show_page("ledger_import")
    ledger_page = window.page("ledger_import")
    ledger_page.choose(str(faulty_ledger(folder)))
    wait(until=lambda: ledger_page.check is not None, timeout=120)
    grab(window, out / "import-report.png")

    window.show_page("settings")
    settings_page = window.page("settings")
    if getattr(settings_page, "users_section", None) is not None:
        outer = settings_page.parentWidget().parentWidget()
        if isinstance(outer, QScrollArea):
            outer.ensureWidgetVisible(settings_page.users_section)
        inner = settings_page.findChild(QScrollArea)
        if inner is not None:
            inner.ensureWidgetVisible(settings_page.users_section)
        grab(window, out / "users.png")

    window.close()
    archive.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
