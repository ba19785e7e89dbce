"""The old-glibc build (packaging/build_oldroot.sh) without building it: the pieces that decide
which systems the program runs on.

- packaging/glibc_needed.sh reads the highest GLIBC_ symbol version from the ELF files (it
  gives the .deb's `libc6 (>= …)` and stops the old-root build above 2.28);
- packaging/oldroot/glibc-2.28.h binds exp/log/pow to their glibc 2.2.5 versions: a shared
  library compiled with it on this machine (glibc 2.36) needs less than one compiled without
  it, and computes the same numbers;
- packaging/oldroot/constraints.txt pins PySide6 inside pyproject.toml's range.

Building the root itself takes ten minutes; CI does it (.ci/run), these tests take a second.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
NEEDED = ROOT / "packaging" / "glibc_needed.sh"
COMPAT = ROOT / "packaging" / "oldroot" / "glibc-2.28.h"
# A shared library, as in the bundle (an executable built here would also need this glibc's
# __libc_start_main@GLIBC_2.34, from its start-up code, which the bundle's do not contain).
LIBRARY = r"""
#include <math.h>
double compute(int which, double x) {
    switch (which) {
    case 0: return exp(x);
    case 1: return log(x);
    case 2: return pow(x, 2.5);
    case 3: return exp2(x);
    default: return log2(x);
    }
}
"""

needs_compiler = pytest.mark.skipif(
    shutil.which("gcc") is None or shutil.which("objdump") is None,
    reason="needs gcc and objdump (binutils)")


def compile_library(folder: Path, *flags: str) -> Path:
    folder.mkdir()
    source = folder / "compute.c"
    source.write_text(LIBRARY)
    out = folder / "libcompute.so"
    subprocess.run(["gcc", "-O0", "-fno-builtin", "-shared", "-fPIC", *flags, "-o", str(out),
                    str(source), "-lm"], check=True, capture_output=True)
    return out


def glibc_needed(*paths: Path) -> Version:
    result = subprocess.run(["bash", str(NEEDED), *map(str, paths)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    return Version(result.stdout.strip())


@needs_compiler
def test_the_compat_header_lowers_the_glibc_a_program_needs(tmp_path):
    plain = compile_library(tmp_path / "plain")
    compat = compile_library(tmp_path / "compat", "-include", str(COMPAT))
    # This machine's glibc (2.36) has exp/log/pow@GLIBC_2.29: without the header they are used.
    assert glibc_needed(plain) >= Version("2.29")
    assert glibc_needed(compat) <= Version("2.28")
    # A folder needs the highest of what is in it.
    assert glibc_needed(tmp_path) == glibc_needed(plain)
    functions = []
    for library in (plain, compat):
        compute = ctypes.CDLL(str(library)).compute
        compute.restype, compute.argtypes = ctypes.c_double, [ctypes.c_int, ctypes.c_double]
        functions.append(compute)
    for which in range(5):
        for x in (1.5, 0.001, 700.0, 1e-300, 2.0):
            assert functions[0](which, x) == functions[1](which, x), (which, x)


def test_glibc_needed_refuses_a_folder_without_programs(tmp_path):
    (tmp_path / "readme.txt").write_text("不是程序")
    result = subprocess.run(["bash", str(NEEDED), str(tmp_path)], capture_output=True, text=True)
    assert result.returncode != 0
    assert "没有找到" in result.stderr


def test_the_pinned_pyside6_is_inside_the_range_pyproject_allows():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = {Requirement(r).name.lower(): Requirement(r).specifier
               for r in project["dependencies"]}
    pins = [Requirement(line) for line in
            (ROOT / "packaging" / "oldroot" / "constraints.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    pinned = {p.name.lower(): next(iter(p.specifier)).version for p in pins}
    assert {"pyside6-essentials", "pyside6-addons"} <= pinned.keys()
    for name in ("pyside6-essentials", "pyside6-addons"):
        assert allowed[name].contains(pinned[name]), (name, pinned[name], allowed[name])
    # Essentials, Addons and shiboken6 are one release: mixing them does not load.
    assert len(set(pinned.values())) == 1
