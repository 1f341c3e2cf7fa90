#!/usr/bin/env bash
# podman as this project runs it: runc (crun fails on hybrid cgroups), cgroupfs, vfs storage.
here=$(cd "$(dirname "$0")/.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/packaging/containers.conf}
exec podman --runtime runc --cgroup-manager cgroupfs --storage-driver vfs "$@"
