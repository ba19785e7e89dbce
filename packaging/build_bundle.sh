#!/usr/bin/env bash
# Build the one-folder program dist/tongdang/ (PyInstaller, packaging/tongdang.spec).
#   packaging/build_bundle.sh            uses .venv/bin/python (what `./run bundle` sets up)
#   PYTHON=/path/to/python packaging/build_bundle.sh
# A finished build is kept in $TONGDANG_BUILD_CACHE (default ~/.cache/tongdang-build, outside
# the repository), keyed on a hash of everything that goes in: our sources and resources, the
# spec, pyproject.toml and the installed packages. An unchanged tree is copied, not rebuilt.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
CACHE=${TONGDANG_BUILD_CACHE:-$HOME/.cache/tongdang-build}

if ! "$PYTHON" -c "import PyInstaller" >/dev/null 2>&1; then
  echo "安装 PyInstaller（pyproject.toml 的 bundle 组）……"
  "$PYTHON" -m pip install -q "pyinstaller>=6.10"
fi

key=$(
  {
    find forms models exports desktop resources packaging pyproject.toml -type f \
      -not -path '*/__pycache__/*' -not -name '*.pyc' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    "$PYTHON" -m pip freeze --exclude-editable 2>/dev/null
    "$PYTHON" -VV
    uname -m
  } | sha256sum | cut -c1-20
)
cached="$CACHE/bundle-$key"

if [ -x "$cached/tongdang/tongdang" ]; then
  echo "使用缓存的程序文件夹：$cached（输入未改变）"
else
  echo "正在打包程序文件夹（PyInstaller，需要几分钟）……"
  rm -rf build/pyinstaller dist/tongdang
  PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m PyInstaller --noconfirm --clean \
    --log-level WARN --distpath dist --workpath build/pyinstaller packaging/tongdang.spec
  mkdir -p "$CACHE"
  rm -rf "$CACHE"/bundle-* "$CACHE/.tmp-$key"
  cp -a dist/tongdang "$CACHE/.tmp-$key"
  mkdir -p "$cached" && mv "$CACHE/.tmp-$key" "$cached/tongdang"
fi
rm -rf dist/tongdang
mkdir -p dist
cp -a "$cached/tongdang" dist/tongdang
size=$(du -sm dist/tongdang | cut -f1)
echo "程序文件夹：dist/tongdang（${size} MB，运行 dist/tongdang/tongdang）"
