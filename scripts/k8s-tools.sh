#!/usr/bin/env bash
# Builds the Kubernetes tools the e2e tests need, from the Go module proxy (no prebuilt binaries):
# kube-apiserver and kube-controller-manager from k8s.io/kubernetes, helm from helm.sh/helm/v3.
# They land in a cache outside the repo keyed by version, so a second run builds nothing.
# etcd comes from Debian (etcd-server).
#
# Usage: scripts/k8s-tools.sh [print-dir]
#   (no argument)  build what is missing, then print the bin directory on stdout
#   print-dir      only print the bin directory (whether or not it is complete)
set -euo pipefail

KUBE_VERSION=${WAF_KUBE_VERSION:-v1.34.4}
HELM_VERSION=${WAF_HELM_VERSION:-v3.19.5}
cache=${WAF_K8S_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/waf-k8s-tools}
bin="$cache/kube-$KUBE_VERSION-helm-$HELM_VERSION/bin"

if [ "${1:-}" = print-dir ]; then
  echo "$bin"
  exit 0
fi

log() { echo "k8s-tools: $*" >&2; }
mkdir -p "$bin"

if ! command -v etcd >/dev/null 2>&1; then
  log "installing etcd-server from Debian"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
fi

command -v go >/dev/null 2>&1 || { log "go is not installed"; exit 1; }
# Low priority so other work keeps going on shared cores; GOFLAGS=-p=1 makes it gentler still.
# Measured with -p=1 on 2 cores shared with other builds (load ~14): helm 192s, kube-apiserver
# 1781s, kube-controller-manager 830s (it reuses most of the apiserver's packages).
export GOFLAGS="${GOFLAGS:--p=$(nproc)} -trimpath"
export CGO_ENABLED=0

# k8s.io/kubernetes cannot be required as a plain module: its go.mod points every staging module
# (k8s.io/api, k8s.io/apiserver, ...) at ./staging. A wrapper module replaces each of them with the
# published v0.X.Y of the same release, read from that go.mod so the list never goes stale.
build_kube() {
  local work="$cache/kube-$KUBE_VERSION-src"
  local staging="v0.${KUBE_VERSION#v1.}"
  mkdir -p "$work"
  if [ ! -f "$work/go.sum" ]; then
    log "resolving k8s.io/kubernetes $KUBE_VERSION"
    local gomod
    gomod=$(cd "$work" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    {
      echo "module waf.local/k8stools"
      echo
      echo "go 1.24"
      echo
      echo "require k8s.io/kubernetes $KUBE_VERSION"
      echo
      grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" |
        awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
    } >"$work/go.mod.new"
    mv "$work/go.mod.new" "$work/go.mod"
    printf 'package tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver/app"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"\n)\n' >"$work/tools.go"
    (cd "$work" && go mod tidy >&2)
  fi
  # Stamp the release version as the official build does: the API server reports it (helm reads it
  # for .Capabilities.KubeVersion), and an unstamped build says v0.0.0.
  local minor=${KUBE_VERSION#v1.}
  minor=${minor%%.*}
  local pkg=k8s.io/component-base/version
  local ldflags="-s -w -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  for tool in kube-apiserver kube-controller-manager; do
    if [ ! -x "$bin/$tool" ]; then
      log "building $tool $KUBE_VERSION (slow on 2 cores)"
      local start=$SECONDS
      (cd "$work" && nice -n 15 go build -ldflags "$ldflags" -o "$bin/$tool.tmp" "k8s.io/kubernetes/cmd/$tool")
      mv "$bin/$tool.tmp" "$bin/$tool"
      log "built $tool in $((SECONDS - start))s"
    fi
  done
}

build_helm() {
  [ -x "$bin/helm" ] && return
  log "building helm $HELM_VERSION"
  local start=$SECONDS
  GOBIN="$bin" nice -n 15 go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  log "built helm in $((SECONDS - start))s"
}

build_helm
build_kube
echo "$bin"
