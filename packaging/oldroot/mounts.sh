# Sourced by packaging/build_oldroot.sh and packaging/check_deb_in_root.sh: mounts into a root
# that are undone on exit, and a guard for removing a root.
mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" || true; done
  mounted=()
}
trap unmount_all EXIT
mount_in() {  # mount_in 挂载点 mount参数…
  local at=$1; shift
  mkdir -p "$at"
  mountpoint -q "$at" || { mount "$@" "$at"; mounted+=("$at"); }
}
# A root is removed only with nothing mounted inside: the repository is bind-mounted at /src,
# and `rm -rf` would go through a mount left by a run that was killed.
remove_root() {  # remove_root 文件夹
  local dir=$1 at
  [ -e "$dir" ] || return 0
  unmount_all
  findmnt -rn -o TARGET | grep -F "$dir/" | sort -r | while read -r at; do
    umount "$at" || umount -l "$at" || true
  done
  if findmnt -rn -o TARGET | grep -qF "$dir/"; then
    echo "无法删除 $dir：其中仍有挂载点（findmnt | grep $dir）" >&2
    exit 1
  fi
  rm -rf --one-file-system "$dir"
}
