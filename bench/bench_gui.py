"""GUI benchmark on a large demo archive (figures are printed, not asserted).

    python bench/make_demo_archive.py /tmp/gui20k/demo20k.tongdang 20000   # once, ~3 min
    xvfb-run -s "-screen 0 1366x768x24" python bench/bench_gui.py /tmp/gui20k/demo20k.tongdang

Measures: cold start to the page the clerk lands on, drawn and usable (a fresh process:
imports, Qt, font, opening the archive through the keyring, the 工作台 with its counts painted —
its lists follow in the background and are timed too), the same for a bare PySide6 window
started alternately in the same run and the ratio of the two, one filter keystroke in the search box, opening a child's file, and the
peak memory of the process. The demo archive's recovery code is the public demo code unless
TONGDANG_RECOVERY_CODE is set.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5

# The child process of the cold-start measurement: the same steps as desktop.app.run_gui, with
# the archive key in an in-memory keyring (as the Windows Credential Manager would hold it).
APP_START = r"""
import os, sys, time
sys.path.insert(0, {root!r})
import keyring, keyring.backend
class Mem(keyring.backend.KeyringBackend):
    priority = 1
    store = {{}}
    def get_password(self, s, u): return self.store.get((s, u))
    def set_password(self, s, u, p): self.store[(s, u)] = p
    def delete_password(self, s, u): self.store.pop((s, u), None)
keyring.set_keyring(Mem())
from models import keys
keys.store_key({path!r}, os.environ["BENCH_KEY_HEX"])
from PySide6.QtCore import QTimer
from desktop.app import Session, apply_font_size, ensure_cjk_font, make_application
from desktop.settings import Settings
app = make_application()
ensure_cjk_font(app)
settings = Settings({ini!r})
apply_font_size(app, settings.font_size)
session = Session(app, settings)
assert session.start({path!r})
started = time.perf_counter()
def ready():
    # The page the clerk lands on (工作台 by default), drawn: the whole window is painted now.
    window = session.window
    page = window.current_page()
    window.repaint()
    import resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if hasattr(page, "list"):  # 儿童档案: its first rows
        rows = page.list.model.rowCount()
    else:  # 工作台: the counts drawn in the charts
        rows = sum(b.value for b in page.colour_chart.bars)
    print("READY", rows, rss, type(page).__module__, time.process_time(), flush=True)
    started_wait = time.perf_counter()
    def filled():  # the lists that come in the background
        if getattr(page, "board", True) is not None or time.perf_counter() - started_wait > 30:
            print("FILLED", flush=True)
            app.quit()
        else:
            QTimer.singleShot(10, filled)
    filled()
QTimer.singleShot(0, ready)
app.exec()
os._exit(0)
"""

BARE_START = r"""
import os
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("童档"))
window.resize(1280, 800)
window.show()
def ready():
    window.repaint()
    import time
    print("READY", 0, 0, "bare", time.process_time(), flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
os._exit(0)
"""


TIMEOUT = 60  # s: a start that never gets ready is reported, not waited for


def timed_start(script: str, env: dict) -> tuple[float, list[str]]:
    """Seconds from launch to the READY line (the page drawn), and that line's words; the
    background filling time, when the script reports one, is appended as the last word."""
    import threading

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    watchdog = threading.Timer(TIMEOUT, proc.kill)
    watchdog.start()
    elapsed, parts = None, []
    try:
        for line in proc.stdout:
            if line.startswith("READY"):
                elapsed, parts = time.perf_counter() - started, line.split()
            elif line.startswith("FILLED") and elapsed is not None:
                parts.append(f"{time.perf_counter() - started:.3f}")
        proc.wait()
    finally:
        watchdog.cancel()
    if elapsed is None:
        raise RuntimeError(f"the window did not get ready within {TIMEOUT} s")
    return elapsed, parts


def pinyin_import_cost(env: dict) -> float:
    def run(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        return time.perf_counter() - started

    run("import pypinyin")
    return statistics.median(run("import pypinyin") - run("pass") for _ in range(RUNS))


def cold_starts(path: Path, key_hex: str) -> None:
    env = dict(os.environ, BENCH_KEY_HEX=key_hex, PYTHONDONTWRITEBYTECODE="0")
    ini = str(Path(tempfile.mkdtemp()) / "settings.ini")
    app_script = APP_START.format(root=str(ROOT), path=str(path), ini=ini)
    timed_start(app_script, env)  # warm the OS file cache and .pyc files once
    timed_start(BARE_START, env)
    app_times, bare_times, filled_times, rss, rows, page = [], [], [], 0, 0, ""
    app_cpu, bare_cpu = [], []
    for _ in range(RUNS):  # interleaved: a busy machine slows both alike
        elapsed, parts = timed_start(app_script, env)
        app_times.append(elapsed)
        rows, rss, page = int(parts[1]), int(parts[2]), parts[3]
        app_cpu.append(float(parts[4]))
        if len(parts) > 5:
            filled_times.append(float(parts[5]))
        elapsed, parts = timed_start(BARE_START, env)
        bare_times.append(elapsed)
        bare_cpu.append(float(parts[4]))
    app, bare = statistics.median(app_times), statistics.median(bare_times)
    where = "工作台，计数已绘制" if page.endswith("dashboard") else "儿童档案，列表首屏已绘制"
    print(f"冷启动到可用的首页（{page}：{where}，{rows} 名儿童）：中位数 {app:.3f} s，"
          f"最慢 {max(app_times):.3f} s（目标 ≤ 1.0 s）；各次 "
          + "、".join(f"{t:.3f}" for t in app_times))
    print(f"空白 PySide6 窗口启动（同一轮交替测量）：中位数 {bare:.3f} s；各次 "
          + "、".join(f"{t:.3f}" for t in bare_times))
    print(f"比值（首页 / 空白窗口）：{app / bare:.1f}")
    cpu, cpu_bare = statistics.median(app_cpu), statistics.median(bare_cpu)
    print(f"进程 CPU 时间到首页绘制完（不受机器繁忙影响）：中位数 {cpu:.3f} s；空白窗口 "
          f"{cpu_bare:.3f} s；比值 {cpu / cpu_bare:.1f}")
    if filled_times:
        print(f"后台填好工作台各列表（自启动起）：中位数 {statistics.median(filled_times):.3f} s")
    print(f"启动后进程内存峰值：{rss / 1024:.0f} MB")
    print(f"其中导入 pypinyin（models.pinyin 在模块加载时导入）约 {pinyin_import_cost(env):.3f} s")


def in_process(path: Path, code: str) -> None:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest

    from desktop.app import ensure_cjk_font, make_application, prepare_archive
    from desktop.mainwindow import MainWindow
    from desktop.settings import Settings
    from models.archive import Archive

    app = make_application()
    ensure_cjk_font(app)
    archive, _ = Archive.open(path, recovery_code=code)
    prepare_archive(archive)
    window = MainWindow(archive, Settings(Path(tempfile.mkdtemp()) / "s.ini"))
    window.resize(1400, 900)
    window.show()
    board = window.page("dashboard")  # the start page fills its lists in the background first
    deadline = time.perf_counter() + 60
    while getattr(board, "board", True) is None and time.perf_counter() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    window.show_page("children")
    QCoreApplication.processEvents()
    page = window.page("children")
    search, table = page.list.search, page.list.table

    def settle():  # the event loop paints the changed rows once, as in the running app
        QCoreApplication.processEvents()

    keystrokes, keystrokes_cpu = [], []
    for word in ("zhang", "wang", "liy", "chen", "1404", "2012", "x"):
        search.clear()
        settle()
        for ch in word:
            started, cpu = time.perf_counter(), time.process_time()
            QTest.keyClick(search, ch)
            settle()
            keystrokes.append(time.perf_counter() - started)
            keystrokes_cpu.append(time.process_time() - cpu)
    search.clear()
    settle()
    print(f"一次筛选按键（查询、刷新列表并重绘首屏，{len(keystrokes)} 次）：中位数 "
          f"{statistics.median(keystrokes) * 1000:.1f} ms，最慢 {max(keystrokes) * 1000:.1f} ms（目标 ≤ 30 ms）；"
          f"CPU 时间中位数 {statistics.median(keystrokes_cpu) * 1000:.1f} ms")

    filters = []
    for checkbox in (page.list.overdue, page.list.urgent, page.list.closed):
        for state in (True, False):
            started = time.perf_counter()
            checkbox.setChecked(state)
            settle()
            filters.append(time.perf_counter() - started)
    print(f"切换一个筛选条件：中位数 {statistics.median(filters) * 1000:.1f} ms，最慢 {max(filters) * 1000:.1f} ms")

    model = page.list.model
    opens, opens_cpu = [], []
    step = max(1, model.rowCount() // 25)
    for row in range(0, model.rowCount(), step)[:25]:
        child_id = model.child_id(row)
        started, cpu = time.perf_counter(), time.process_time()
        page.open_child(child_id)
        QCoreApplication.processEvents()
        opens.append(time.perf_counter() - started)
        opens_cpu.append(time.process_time() - cpu)
        page.close_file()
        QCoreApplication.processEvents()
    print(f"打开一名儿童的档案（{len(opens)} 次）：中位数 {statistics.median(opens) * 1000:.0f} ms，"
          f"最慢 {max(opens) * 1000:.0f} ms（目标 ≤ 200 ms）；CPU 时间中位数 "
          f"{statistics.median(opens_cpu) * 1000:.0f} ms")

    started = time.perf_counter()
    table.scrollToBottom()
    for row in range(0, model.rowCount(), 200):
        table.scrollTo(model.index(row, 0))
        settle()
    scrolled = time.perf_counter() - started
    print(f"从头滚动到尾（{model.rowCount()} 行，{model.pages_loaded} 次分页读取）：{scrolled:.1f} s")
    sort_times = []
    for column in range(model.columnCount()):
        started = time.perf_counter()
        table.sortByColumn(column, Qt.DescendingOrder)
        settle()
        sort_times.append(time.perf_counter() - started)
    print(f"按一列排序：中位数 {statistics.median(sort_times) * 1000:.1f} ms，最慢 {max(sort_times) * 1000:.1f} ms")

    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"整个测试过程的进程内存峰值：{rss / 1024:.0f} MB（目标 ≤ 300 MB）")
    window.close()
    archive.close()


def main() -> None:
    if len(sys.argv) < 2:
        print(__doc__)
        raise SystemExit(2)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    sys.path.insert(0, str(ROOT))
    from models import keys
    from models.archive import DEMO_RECOVERY_CODE

    path = Path(sys.argv[1]).resolve()
    code = os.environ.get("TONGDANG_RECOVERY_CODE") or DEMO_RECOVERY_CODE
    print(f"档案库：{path}（Qt 平台：{os.environ['QT_QPA_PLATFORM']}）")
    if not os.environ.get("BENCH_SKIP_COLD"):  # BENCH_SKIP_COLD=1: only the in-window figures
        cold_starts(path, keys.key_from_recovery_code(code))
    in_process(path, code)


if __name__ == "__main__":
    main()
