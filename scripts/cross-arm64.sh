#!/usr/bin/env bash
# The arm64 build: installs Debian's cross toolchain and the :arm64 libraries (multiarch), builds
# the static waf and the unit tests for arm64 into build/arm64 from the same CMakeLists.txt, runs
# the unit tests under qemu-user-static, builds the arm64 image and, next to the amd64 image of
# AMD64_BINARY, a multi-arch manifest list TAG (images TAG-amd64 and TAG-arm64).
# Usage: scripts/cross-arm64.sh [AMD64_BINARY] [TAG]
#   (defaults: build/release/waf, localhost/waf:dev; without an AMD64_BINARY file, arm64 only)
# JOBS (default nproc) sets the build parallelism. Each phase prints how long it took.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
amd64_binary=${1:-$here/build/release/waf}
tag=${2:-localhost/waf:dev}
jobs=${JOBS:-$(nproc)}
build="$here/build/arm64"

phase_start=$SECONDS
phase() {
  echo "cross-arm64: $1 done in $((SECONDS - phase_start))s"
  phase_start=$SECONDS
}

sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
pkgs=(g++-aarch64-linux-gnu qemu-user-static binfmt-support
  libssl-dev:arm64 libvectorscan-dev:arm64 libpcre2-dev:arm64 libc-ares-dev:arm64)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "cross-arm64: installing ${missing[*]}"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then "${sudo_cmd[@]}" dpkg --add-architecture arm64; fi
  "${sudo_cmd[@]}" apt-get update -qq
  # :arm64 -dev packages are Multi-Arch: same, so apt may upgrade their amd64 twins to match.
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
"$here/scripts/deps.sh" build  # the same sources (simdjson, mimalloc, llhttp) as the amd64 build
phase "dependencies"

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$here/cmake/toolchain-aarch64.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DWAF_WERROR=ON >/dev/null
fi
nice -n 10 cmake --build "$build" -j "$jobs"
phase "cross build"

# Every unit test executable under qemu-aarch64-static (what `ctest -L unit` runs through the
# toolchain's CMAKE_CROSSCOMPILING_EMULATOR), minus the cases that bound CPU time: their limits
# are calibrated for native code and emulation is several times slower.
timing_cases="*cost microseconds*,*takes milliseconds*"
for test in "$build"/test/unit/unit_*; do
  [ -x "$test" ] || continue
  echo "cross-arm64: $(basename "$test")"
  qemu-aarch64-static -L /usr/aarch64-linux-gnu "$test" --test-case-exclude="$timing_cases" --minimal
done
qemu-aarch64-static "$build/waf" version
phase "unit tests under qemu"

"$here/scripts/build-image.sh" "$build/waf" "$tag-arm64" arm64 >/dev/null
podman_sh="$here/scripts/podman.sh"

# No emulator is registered with the kernel here (binfmt_misc is not mounted), so podman cannot
# start arm64 containers: the image's own files are checked under qemu-aarch64-static instead.
# The static waf runs, and every iptables program starts with the image's loader and libraries.
# (Applying rules cannot be checked this way: qemu-user translates neither nfnetlink sockets nor
# the legacy iptables socket options. The amd64 image proves the plan in test_pod_kube_play.py.)
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
container=$("$podman_sh" create --arch arm64 "$tag-arm64")
"$podman_sh" export "$container" | tar -x -C "$rootfs"
"$podman_sh" rm "$container" >/dev/null
qemu-aarch64-static "$rootfs/usr/bin/waf" version | grep -q "arch: aarch64"
for program in "$rootfs"/usr/sbin/ip*tables-*; do
  qemu-aarch64-static -L "$rootfs" -0 "$(basename "$program")" "$rootfs/usr/sbin/$(readlink "$program")" --version |
    grep -q "v1\."
done
echo "cross-arm64: the arm64 image's waf and iptables programs run under qemu"
images=("$tag-arm64")
if [ -f "$amd64_binary" ]; then
  "$here/scripts/build-image.sh" "$amd64_binary" "$tag-amd64" amd64 >/dev/null
  images+=("$tag-amd64")
else
  echo "cross-arm64: no amd64 binary at $amd64_binary (make build), the manifest list has arm64 only"
fi
"$podman_sh" manifest rm "$tag" >/dev/null 2>&1 || true
"$podman_sh" manifest create "$tag" >/dev/null
for image in "${images[@]}"; do
  "$podman_sh" manifest add "$tag" "containers-storage:$image" >/dev/null
  echo "cross-arm64: $image: $("$podman_sh" save "$image" | gzip | wc -c) bytes compressed"
done
"$podman_sh" manifest inspect "$tag" |
  python3 -c 'import json, sys; print("cross-arm64: manifest list", sys.argv[1], "=",
              [m["platform"]["architecture"] for m in json.load(sys.stdin)["manifests"]])' "$tag"
phase "images"
