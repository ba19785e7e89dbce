#!/usr/bin/env bash
# Print the highest GLIBC_x.y symbol version any ELF file under the given folders (or files)
# needs (objdump -T): the oldest C library the program runs on. With -v, the files needing it.
#   packaging/glibc_needed.sh dist/tongdang         → 2.28
set -euo pipefail
verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
[ $# -gt 0 ] || { echo "用法：packaging/glibc_needed.sh [-v] 文件夹…" >&2; exit 2; }
versions() {  # versions 文件: the GLIBC_ versions it needs, one a line
  objdump -T "$1" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' || true
}
highest=
while IFS= read -r -d '' file; do
  # ELF files only (shared libraries, extension modules, executables)
  [ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = 177ELF ] || continue
  v=$(versions "$file" | sort -u -V | tail -1)
  [ -n "$v" ] || continue
  [ "$verbose" = 1 ] && echo "$v $file" >&2
  highest=$(printf '%s\n' "$highest" "$v" | sed '/^$/d' | sort -V | tail -1)
done < <(find "$@" -type f -print0)
[ -n "$highest" ] || { echo "没有找到需要 glibc 的 ELF 文件：$*" >&2; exit 1; }
echo "$highest"
