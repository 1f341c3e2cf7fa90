#!/usr/bin/env bash
# Builds the FROM scratch image around a static waf binary: the binary, its argv[0] symlinks, CA
# certificates, the non-root user, and what `waf init-iptables` runs (packaging/stage-iptables.sh).
# Usage: scripts/build-image.sh BINARY [TAG] [ARCH]   (ARCH: amd64 or arm64, default amd64)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:?usage: build-image.sh BINARY [TAG] [ARCH]}
tag=${2:-localhost/waf:dev}
arch=${3:-amd64}
case "$arch" in
  amd64) machine="x86-64" ;;
  arm64) machine="ARM aarch64" ;;
  *) echo "build-image: unknown architecture '$arch' (amd64 or arm64)" >&2; exit 2 ;;
esac
description=$(file -L "$binary")
if ! grep -q "statically linked" <<<"$description"; then
  echo "build-image: $binary is not statically linked" >&2
  exit 2
fi
if ! grep -q "$machine" <<<"$description"; then
  echo "build-image: $binary is not an $arch binary: $description" >&2
  exit 2
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/rootfs"
mkdir -p "$root/usr/bin" "$root/etc/ssl/certs" "$root/tmp"
install -m 0755 "$binary" "$root/usr/bin/waf"
for role in proxy controller init-iptables postanalytics inspect; do ln -s waf "$root/usr/bin/waf-$role"; done
echo "waf:x:65532:65532:waf:/nonexistent:/sbin/nologin" > "$root/etc/passwd"
echo "waf:x:65532:" > "$root/etc/group"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
"$here/packaging/stage-iptables.sh" "$arch" "$root"
cp "$here/packaging/Containerfile" "$stage/Containerfile"
"$here/scripts/podman.sh" build --quiet --arch "$arch" -t "$tag" "$stage" >/dev/null
echo "$tag"
