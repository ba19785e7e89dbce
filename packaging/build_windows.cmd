@echo off
rem Build the one-folder Windows program dist\tongdang\tongdang.exe (see packaging\README.md).
rem Needs Python 3.11 or newer (64-bit) from python.org; run from the repository folder.
setlocal
chcp 65001 >nul
cd /d "%~dp0.."
if not exist .venv\Scripts\python.exe py -3 -m venv .venv || goto :error
.venv\Scripts\python -m pip install --upgrade pip || goto :error
.venv\Scripts\python -m pip install -e ".[bundle]" || goto :error
set PYTHONPATH=%CD%
.venv\Scripts\python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\tongdang.spec || goto :error
dist\tongdang\tongdang-cli.exe --version || goto :error
echo.
echo 程序文件夹：dist\tongdang  （把整个文件夹拷到乡镇电脑，双击 tongdang.exe）
exit /b 0
:error
echo 构建失败。
exit /b 1
