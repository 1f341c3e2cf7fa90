#!/usr/bin/env bash
# Installs everything the build, the tests and the benchmarks need, from Debian packages only.
# Idempotent: a second run installs nothing and re-extracts nothing.
# Usage: scripts/deps.sh [build|test|bench|all]   (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}

build_pkgs=(build-essential cmake ninja-build pkg-config file git
  libasio-dev node-llhttp libssl-dev libsimdjson-dev libcli11-dev libfmt-dev doctest-dev
  libmimalloc-dev libpcre2-dev libvectorscan-dev libc-ares-dev dpkg-dev)
# Sanitizer builds use clang's runtime; the tests drive the binary from Python.
test_pkgs=(clang libclang-rt-14-dev python3 python3-pytest curl iproute2 iptables procps podman runc catatonit ca-certificates openssl chromium redis-server)
bench_pkgs=(nginx-light wrk util-linux libnginx-mod-http-modsecurity modsecurity-crs curl)

pkgs=("${build_pkgs[@]}")
case "$what" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${bench_pkgs[@]}") ;;
  all) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "deps.sh: unknown group '$what' (build|test|bench|all)" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian ships no static archive for simdjson and mimalloc: build them from their Debian source
# packages (third_party/CMakeLists.txt compiles them). Nothing of theirs is committed.
src_dir="$here/third_party/src"
need_src=()
[ -f "$src_dir/simdjson/singleheader/simdjson.cpp" ] || need_src+=(simdjson)
[ -f "$src_dir/mimalloc/src/static.c" ] || need_src+=(mimalloc)
if [ ${#need_src[@]} -gt 0 ]; then
  if ! ls /etc/apt/sources.list.d/*-src.sources >/dev/null 2>&1; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    "${sudo_cmd[@]}" apt-get update -qq
  fi
  mkdir -p "$src_dir"
  tmp=$(mktemp -d)
  for pkg in "${need_src[@]}"; do
    (cd "$tmp" && apt-get source --download-only -qq "$pkg" >/dev/null)
    orig=$(ls "$tmp"/"${pkg}"_*.orig.tar.* | head -n1)
    rm -rf "${src_dir:?}/$pkg" && mkdir -p "$src_dir/$pkg"
    tar -xf "$orig" -C "$src_dir/$pkg" --strip-components=1
    echo "deps: extracted $(basename "$orig") into third_party/src/$pkg"
  done
  rm -rf "$tmp"
fi
# --- test: the console's browser test (test/console) drives Debian's chromium with npm's
# playwright-core, pinned in test/console/package.json and package-lock.json. npm runs only when the
# installed version differs from the pin, so a second run needs no network.
if [ "$what" = test ] || [ "$what" = all ]; then
  console_dir="$here/test/console"
  want=$(sed -n 's/.*"playwright-core": *"\([^"]*\)".*/\1/p' "$console_dir/package.json")
  have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$console_dir/node_modules/playwright-core/package.json" 2>/dev/null | head -n1 || true)
  if [ "$want" != "$have" ]; then
    if command -v npm >/dev/null; then
      echo "deps: npm ci in test/console (playwright-core $want)"
      (cd "$console_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    else
      echo "deps: no npm here: the console's browser test (test/console) will skip" >&2
    fi
  fi
fi
echo "deps: ready ($what)"
