#!/usr/bin/env bash
# Stages what `waf init-iptables` runs into an image root: the Debian iptables programs
# (xtables-{nft,legacy}-multi and their {ip,ip6}tables-{nft,legacy}-{save,restore} names), the
# xtables extensions our rules load with dlopen, and every shared library those need, for one
# architecture. The files come from Debian's own packages for that architecture (apt-get download,
# cached), never from the build host, so amd64 and arm64 images are assembled the same way.
# This is the only list of those files: the libraries are not listed, they are the ELF closure.
# Usage: packaging/stage-iptables.sh ARCH ROOT   (ARCH: a Debian architecture, amd64 or arm64)
set -euo pipefail
arch=${1:?usage: stage-iptables.sh ARCH ROOT}
root=${2:?usage: stage-iptables.sh ARCH ROOT}
here=$(cd "$(dirname "$0")/.." && pwd)

packages=(iptables libxtables12 libip4tc2 libip6tc2 libnftnl11 libmnl0 libc6)
programs=(/usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi)
declare -A aliases=(
  [xtables-nft-multi]="iptables-nft-save iptables-nft-restore ip6tables-nft-save ip6tables-nft-restore"
  [xtables-legacy-multi]="iptables-legacy-save iptables-legacy-restore ip6tables-legacy-save ip6tables-legacy-restore"
)
triplet=$(dpkg-architecture -a "$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
# -m tcp --dport, -j RETURN (standard) and -j REDIRECT: loaded at run time, invisible to the closure.
extensions=(/usr/lib/"$triplet"/xtables/libxt_{tcp,standard,REDIRECT}.so)
lib_dirs=(/lib/"$triplet" /usr/lib/"$triplet")

cache=${WAF_DEB_CACHE:-$here/build/debs}/$arch
tree=$cache/tree
if [ ! -f "$cache/.complete" ]; then
  rm -rf "$cache" && mkdir -p "$tree"
  if ! (cd "$cache" && apt-get download -q "${packages[@]/%/:$arch}" >/dev/null 2>"$cache/apt.log"); then
    echo "stage-iptables: apt-get download failed for $arch (for a foreign architecture run" \
      "'dpkg --add-architecture $arch && apt-get update' first):" >&2
    cat "$cache/apt.log" >&2
    exit 1
  fi
  for deb in "$cache"/*.deb; do dpkg-deb -x "$deb" "$tree"; done
  touch "$cache/.complete"
fi

# One hop of a symlink of the extracted tree, as an absolute path (Debian's loader link is
# absolute: /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2).
link_target() {
  local target
  target=$(readlink "$tree$1")
  [[ $target == /* ]] || target=$(dirname "$1")/$target
  echo "$target"
}

# Breadth-first over the programs, the extensions, the loader and every library they need:
# symlinks are copied as symlinks (their target follows), files are scanned for NEEDED entries.
declare -A staged=()
queue=("${programs[@]}" "${extensions[@]}")
for program in "${programs[@]}"; do
  queue+=("$(readelf -l "$tree$program" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')")
done
while [ ${#queue[@]} -gt 0 ]; do
  path=${queue[0]}
  queue=("${queue[@]:1}")
  [ -z "${staged[$path]:-}" ] || continue
  staged[$path]=1
  mkdir -p "$root$(dirname "$path")"
  if [ -L "$tree$path" ]; then
    cp -P "$tree$path" "$root$path"
    queue+=("$(link_target "$path")")
    continue
  fi
  [ -f "$tree$path" ] || { echo "stage-iptables: $path is not in the $arch packages" >&2; exit 1; }
  install -m 0755 "$tree$path" "$root$path"
  for needed in $(readelf -d "$tree$path" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    found=
    for dir in "${lib_dirs[@]}"; do
      if [ -e "$tree$dir/$needed" ] || [ -L "$tree$dir/$needed" ]; then found=$dir/$needed; break; fi
    done
    [ -n "$found" ] || { echo "stage-iptables: $path needs $needed, not in the $arch packages" >&2; exit 1; }
    queue+=("$found")
  done
done
for multi in "${!aliases[@]}"; do
  for name in ${aliases[$multi]}; do ln -sf "$multi" "$root/usr/sbin/$name"; done
done
