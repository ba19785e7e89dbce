"""The repository passes ruff with the rules of pyproject.toml ([tool.ruff.lint]).

ruff is in the ``test`` extra; the test runs it as ``python -m ruff`` so that it is the
version installed next to pytest, not whatever ``ruff`` is first on PATH. Without it the test
fails ("No module named ruff"): install the test extra.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    findings = (result.stdout + result.stderr).strip()
    print(findings)
    assert result.returncode == 0, f"ruff check found problems:\n{findings}"
