#!/usr/bin/env bash
# Runs INSIDE the build root (chroot), called by packaging/build_oldroot.sh; the repository is
# mounted at /src, the downloaded sources at /sources.
#   inside.sh python    compile SQLite and Python 3.11 (shared) into /opt/python3.11
#   inside.sh bundle    (re)make the virtual environment /opt/venv, then packaging/build_bundle.sh
#   inside.sh smoke     packaging/smoke.sh on the bundle, in this old system
set -euo pipefail
PREFIX=/opt/python3.11
# Every C file includes glibc-2.28.h (old symbol versions of exp/log/pow, see there).
COMPAT="-include /src/packaging/oldroot/glibc-2.28.h"

python() {
  local work=/tmp/build
  rm -rf "$work" && mkdir -p "$work" && cd "$work"
  tar xJf /sources/sqlite3_3.34.1.orig.tar.xz
  cd sqlite3-3.34.1
  # The flags Debian builds its libsqlite3 with (the ones Python's sqlite3 module relies on).
  CFLAGS="-O2 $COMPAT -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3 \
    -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 \
    -DSQLITE_ENABLE_JSON1 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_UNLOCK_NOTIFY \
    -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_LOAD_EXTENSION \
    -DSQLITE_MAX_VARIABLE_NUMBER=250000" \
    LIBS=-lm ./configure -q --prefix="$PREFIX" --disable-tcl --disable-static >/dev/null
  make -s -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -40 "$work/make.log"; exit 1; }
  make -s install >/dev/null
  cd "$work"
  tar xzf /sources/python3.11_3.11.2.orig.tar.gz
  tar xJf /sources/python3.11_3.11.2-6+deb12u8.debian.tar.xz
  cd Python-3.11.2
  # Debian's series starts with its own file layout (dist-packages, multiarch, …), which we do
  # not want; from shutdown-deadlock.diff on it is crash fixes and the CVE fixes of 3.11.2-6+deb12u8.
  local patch
  for patch in $(sed -n '/^shutdown-deadlock.diff/,$p' ../debian/patches/series | grep -v '^#'); do
    patch -p1 -s <"../debian/patches/$patch"
  done
  # CVE-2026-4224's fix includes an internal header that Debian's build (Modules/Setup) allows
  # with Py_BUILD_CORE_MODULE; setup.py builds pyexpat without it. Define it as 3.12 does.
  sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' Modules/pyexpat.c
  # sem_clockwait is GLIBC_2.30; without it Python uses sem_timedwait, as on older systems.
  ac_cv_func_sem_clockwait=no ./configure -q --prefix="$PREFIX" --enable-shared \
    --with-ensurepip=install CFLAGS="$COMPAT" CPPFLAGS="-I$PREFIX/include" \
    LDFLAGS="-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib" >/dev/null
  make -s -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -40 "$work/make.log"; exit 1; }
  if grep -A3 -E '^Failed to build these modules|could not be imported' "$work/make.log"; then
    exit 1
  fi
  make -s install >"$work/install.log" 2>&1 || { tail -40 "$work/install.log"; exit 1; }
  "$PREFIX/bin/python3.11" -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, uuid, decimal, pyexpat
print("Python", __import__("sys").version.split()[0], ssl.OPENSSL_VERSION, "SQLite", sqlite3.sqlite_version)'
  cd / && rm -rf "$work"
}

bundle() {
  [ -x /opt/venv/bin/python ] || "$PREFIX/bin/python3.11" -m venv /opt/venv
  /opt/venv/bin/python - >/tmp/requirements.txt <<'PY'
import tomllib
project = tomllib.load(open("/src/pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["bundle"]))
PY
  /opt/venv/bin/python -m pip install -q -r /tmp/requirements.txt \
    -c /src/packaging/oldroot/constraints.txt
  cd /src
  PYTHON=/opt/venv/bin/python TONGDANG_BUILD_CACHE=/bundle-cache packaging/build_bundle.sh
}

smoke() {
  /src/packaging/smoke.sh /src/dist/tongdang/tongdang
}

"$@"
