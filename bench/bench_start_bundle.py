"""Launch to a usable window: the bundled program vs the virtual environment (figures printed).

    python bench/make_demo_archive.py /tmp/gui20k/demo20k.tongdang 20000      # once
    python bench/bench_start_bundle.py /tmp/gui20k/demo20k.tongdang dist/tongdang/tongdang

Each start is a fresh process with TONGDANG_SMOKE_QUIT=1: the time from launching it to the line
SMOKE-WINDOW-SHOWN (printed once the main window is drawn). Both open the same archive with its
recovery code (no keyring here, so both pay the same key derivation). One warm-up start each,
then RUNS starts, alternating; the median is reported, with the load average.
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


def start(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env, cwd=tempfile.gettempdir())
    for line in proc.stdout:
        if line.startswith("SMOKE-WINDOW-SHOWN"):
            elapsed = time.perf_counter() - started
            proc.wait()
            return elapsed
    proc.wait()
    raise RuntimeError(f"no window from {command}")


def main(archive: str, bundle: str, venv_python: str = sys.executable) -> None:
    home = Path(tempfile.mkdtemp())
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               TONGDANG_SMOKE_QUIT="1", TONGDANG_ARCHIVE=archive,
               TONGDANG_RECOVERY_CODE=os.environ.get(
                   "TONGDANG_RECOVERY_CODE", "DEMO-0000-0000-0000-0000-0000-0000-0000"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    venv_env = dict(env, PYTHONPATH=str(ROOT))
    commands = {"bundle": ([str(Path(bundle).resolve())], env),
                "venv": ([venv_python, "-m", "desktop.cli"], venv_env)}
    times = {name: [] for name in commands}
    for command, e in commands.values():
        start(command, e)  # warm the file cache
    for _ in range(RUNS):
        for name, (command, e) in commands.items():
            times[name].append(start(command, e))
    load = os.getloadavg()
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values):.2f} s  "
              f"({', '.join(f'{v:.2f}' for v in values)})")
    ratio = statistics.median(times["bundle"]) / statistics.median(times["venv"])
    print(f"bundle / venv: {ratio:.2f}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main(*sys.argv[1:])
