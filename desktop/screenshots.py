"""Screenshots of the real window on a demo archive, for the README.

    xvfb-run -s "-screen 0 1366x768x24" python -m desktop.screenshots [--archive PATH] [--out docs/img]
        [--font 12]

Taken at 1366×768, the most common office screen (the window fills it, as a maximised
window would). 
Without ``--archive`` a fresh 300-child demo archive is made in a temporary folder. Settings go
to a temporary file, so the user's own window layout is not touched.
"""

from __future__ import annotations

import argparse
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
    from models import demo
    from models.archive import DEMO_RECOVERY_CODE, Archive
    from models.derived import refresh_all

    archive, _ = Archive.create(folder / "demo.tongdang", "丹朱镇", "长子县", "changzhi",
                                recovery_code=DEMO_RECOVERY_CODE, is_demo=True)
    demo.generate(300, seed=2026, writer=archive.writer())
    refresh_all()
    return archive


def interesting_child():
    """A child with categories, completeness problems and a few records: a full header."""
    from models.schema import Child, Contact

    query = (Child.select().where(Child.closed_on.is_null() & (Child.colour == "yellow")
                                  & (Child.categories.contains("留守")))
             .order_by(Child.id))
    for child in query:
        if Contact.select().where(Contact.child == child.id).count() >= 4:
            return child
    return Child.select().where(Child.closed_on.is_null()).first()


def bad_ledger(path: Path) -> Path:
    """A ledger with a few typical mistakes, for the 导入台账 error list."""
    from datetime import date

    from openpyxl import load_workbook

    from exports.ledger_template import write_ledger_template
    from forms import ledger
    from forms.idnumber import make_id_number

    write_ledger_template(path)
    book = load_workbook(path)
    sheet = book[ledger.CHILDREN.name]
    rows = [
        {"姓名": "王明", "身份证号": make_id_number("140428", date(2015, 3, 1), 11, True),
         "村(社区)": "东坡村", "父亲状况": "在家", "父亲外出范围": "跨省",
         "父亲联系电话": "+86 138 1234 5678"},
        {"姓名": "李芳", "身份证号": "14042820150301001", "村(社区)": "东坡村",
         "母亲联系电话": "12345"},
        {"姓名": "", "身份证号": make_id_number("140428", date(2016, 4, 2), 13, True),
         "村(社区)": "南山村", "登记日期": "2099-01-01"},
    ]
    for row in rows:
        sheet.append([row.get(h) for h in ledger.CHILDREN.headers])
    book.save(path)
    return path


def _demo_users(archive) -> None:
    """Three fictional users for the 用户管理 picture."""
    from models import users

    if users.has_users():
        return
    writer = archive.writer()
    for username, name, role in (("lijuan", "李娟", "管理员"), ("wangjg", "王建国", "录入员"),
                                 ("zhaomin", "赵敏", "查阅")):
        users.create_user(writer, username, "演示密码-2026-demo", role, name)


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
        from models.keys import recovery_code_from_env

        archive, _ = Archive.open(Path(args.archive),
                                  recovery_code=recovery_code_from_env() or DEMO_RECOVERY_CODE)
    else:
        archive = demo_archive(folder)
    prepare_archive(archive)
    _demo_users(archive)
    archive.login_as("lijuan", "管理员")
    window = MainWindow(archive, Settings(folder / "settings.ini"))
    window.resize(WIDTH, HEIGHT)
    window.show()
    dashboard = window.page("dashboard")
    wait(until=lambda: dashboard.board is not None, timeout=60)
    grab(window, out / "dashboard.png")
    window.show_page("children")
    wait(0.5)
    page = window.page("children")
    page.list.table.selectRow(2)
    grab(window, out / "main-list.png")

    child = interesting_child()
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
    reports.kind.setCurrentIndex(reports.kind.findData("lists"))
    reports.make_preview()
    wait(until=lambda: reports.form is not None, timeout=60)
    counts = [reports.tabs.widget(i).model().rowCount() for i in range(reports.tabs.count())]
    reports.tabs.setCurrentIndex(next((i for i, n in enumerate(counts) if n), 0))
    grab(window, out / "reports.png")

    window.show_page("spotcheck")
    grab(window, out / "spotcheck.png")

    window.show_page("ledger_import")
    ledger_page = window.page("ledger_import")
    ledger_page.choose(str(bad_ledger(folder / "台账.xlsx")))
    wait(until=lambda: ledger_page.task is None or ledger_page.task.done, timeout=60)
    grab(window, out / "import-report.png")

    window.show_page("settings")
    settings_page = window.page("settings")
    if getattr(settings_page, "users_section", None) is not None:
        scroll = settings_page.parentWidget().parentWidget()
        if isinstance(scroll, QScrollArea):
            scroll.ensureWidgetVisible(settings_page.users_section)
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
