#!/usr/bin/env bash
# Build (or reuse) the binaries of the simulated control plane from Go modules:
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubectl  (k8s.io/kubernetes, via a wrapper module)
#   etcd                                                            (go.etcd.io/etcd/server/v3, via a wrapper module)
#   kwok                                                            (sigs.k8s.io/kwok/cmd/kwok)
#   helm                                                            (helm.sh/helm/v3/cmd/helm)
# Outputs go to ${REINHARDT_CACHE:-$HOME/.cache/reinhardt-cloud}/cluster/<version-key>/bin, Go caches to
# ${REINHARDT_CACHE}/go. A second run finds the stamp file and returns in well under a second.
# Prints the bin directory on stdout (everything else goes to stderr).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${REINHARDT_CACHE:-$HOME/.cache/reinhardt-cloud}"
go_version="$(go env GOVERSION)"
version_key="k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_helm-${HELM_VERSION}_${go_version}"
out="$cache/cluster/$version_key"
bin="$out/bin"
stamp="$out/.complete"

log() { printf '[cluster:build] %s\n' "$*" >&2; }

if [[ -f "$stamp" ]]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$out" "$cache/go"
# One build at a time per version key (tests, CI and a developer may all call this at once).
exec 9>"$out/.lock"
flock 9
if [[ -f "$stamp" ]]; then
  echo "$bin"
  exit 0
fi

export GOMODCACHE="$cache/go/mod"
export GOCACHE="$cache/go/build"
export GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOWORK=off
# GOPROXY/GOSUMDB: the defaults (module checksums are verified against sum.golang.org).
parallel="${REINHARDT_BUILD_PARALLEL:-2}"
build() { nice -n 10 go build -p "$parallel" -trimpath "$@"; }

started=$(date +%s)
mkdir -p "$bin" "$out/src"

# The wrapper modules' go.mod/go.sum/tools.go are checked in under test/cluster/modules/<name>, so every
# build resolves exactly the same module graph, with sums from the repo. When versions.env moves to a
# version they do not pin, the wrapper is generated and tidied afresh, and the log says how to pin it.
# use_pinned_module <name> <module> <version> <work dir>
use_pinned_module() {
  local pinned="$here/modules/$1" module="$2" version="$3" dest="$4"
  [[ -f "$pinned/go.mod" && -f "$pinned/go.sum" && -f "$pinned/tools.go" ]] || return 1
  awk -v m="$module" -v v="$version" \
    '($1 == m && $2 == v) || ($1 == "require" && $2 == m && $3 == v) {found = 1} END {exit !found}' \
    "$pinned/go.mod" || return 1
  cp "$pinned/go.mod" "$pinned/go.sum" "$pinned/tools.go" "$dest/"
}

# Prints the path of k8s.io/kubernetes' go.mod and checks that ETCD_VERSION is the etcd it requires.
kubernetes_gomod() {
  local k8s_gomod wanted_etcd
  k8s_gomod="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')"
  [[ -f "$k8s_gomod" ]] || { log "could not download k8s.io/kubernetes@$KUBERNETES_VERSION (go mod download failed)"; exit 1; }
  wanted_etcd="$(awk '$1 == "go.etcd.io/etcd/server/v3" {print $2}' "$k8s_gomod" | head -n1)"
  if [[ "$wanted_etcd" != "$ETCD_VERSION" ]]; then
    log "versions.env: ETCD_VERSION=$ETCD_VERSION but k8s.io/kubernetes@$KUBERNETES_VERSION requires $wanted_etcd; set ETCD_VERSION=$wanted_etcd"
    exit 1
  fi
  echo "$k8s_gomod"
}

# Derive the Kubernetes wrapper from k8s.io/kubernetes' own go.mod: every line
# `k8s.io/<m> => ./staging/src/k8s.io/<m>` names a staging module, published as k8s.io/<m> v0.N.P.
generate_kubernetes_wrapper() {
  local wrapper="$1" k8s_gomod="$2" go_directive godebug staging_version
  go_directive="$(awk '$1 == "go" {print $2; exit}' "$k8s_gomod")"
  godebug="$(grep -E '^godebug ' "$k8s_gomod" || true)"
  staging_version="v0.${KUBERNETES_VERSION#v1.}"
  {
    echo "module reinhardt.cloud/test/cluster/kubernetes"
    echo
    echo "go $go_directive"
    [[ -n "$godebug" ]] && { echo; echo "$godebug"; }
    echo
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo
    awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print "replace " $1 " => " $1 " '"$staging_version"'"}' "$k8s_gomod"
  } >"$wrapper/go.mod"
  cat >"$wrapper/tools.go" <<'GO'
//go:build tools

// Package tools makes the Kubernetes commands part of this module's build list.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  log "go mod tidy (kubernetes wrapper)"
  (cd "$wrapper" && nice -n 10 go mod tidy -e >&2)
  log "resolved a new kubernetes wrapper; to pin it: cp $wrapper/{go.mod,go.sum,tools.go} $here/modules/kubernetes/"
}

generate_etcd_wrapper() {
  local wrapper="$1"
  cat >"$wrapper/go.mod" <<GO
module reinhardt.cloud/test/cluster/etcd

go 1.23

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
GO
  cat >"$wrapper/tools.go" <<'GO'
//go:build tools

// Package tools makes the etcd server command part of this module's build list.
package tools

import _ "go.etcd.io/etcd/server/v3"
GO
  log "go mod tidy (etcd wrapper)"
  (cd "$wrapper" && nice -n 10 go mod tidy -e >&2)
  log "resolved a new etcd wrapper; to pin it: cp $wrapper/{go.mod,go.sum,tools.go} $here/modules/etcd/"
}

# ---- Kubernetes: a wrapper module that mirrors the staging replaces of k8s.io/kubernetes ----
k8s_bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
need_k8s=0
for b in "${k8s_bins[@]}"; do [[ -x "$bin/$b" ]] || need_k8s=1; done
if [[ $need_k8s == 1 ]]; then
  wrapper="$out/src/kubernetes"
  mkdir -p "$wrapper"
  log "resolving k8s.io/kubernetes@$KUBERNETES_VERSION"
  k8s_gomod="$(kubernetes_gomod)"
  if use_pinned_module kubernetes k8s.io/kubernetes "$KUBERNETES_VERSION" "$wrapper"; then
    log "using the pinned wrapper module test/cluster/modules/kubernetes"
  else
    generate_kubernetes_wrapper "$wrapper" "$k8s_gomod"
  fi
  minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
  done
  (
    cd "$wrapper"
    for b in "${k8s_bins[@]}"; do
      [[ -x "$bin/$b" ]] && continue
      log "building $b $KUBERNETES_VERSION"
      # -mod=readonly: the (pinned or freshly tidied) go.mod/go.sum are used as they are, never re-resolved
      GOFLAGS="-mod=readonly -buildvcs=false" build -tags tools -ldflags "$ldflags" -o "$bin/$b.tmp" "k8s.io/kubernetes/cmd/$b"
      mv "$bin/$b.tmp" "$bin/$b"
    done
  )
fi

# ---- etcd: go.etcd.io/etcd/server/v3 (its module root is package main) ----
if [[ ! -x "$bin/etcd" ]]; then
  wrapper="$out/src/etcd"
  mkdir -p "$wrapper"
  if use_pinned_module etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "$wrapper"; then
    log "using the pinned wrapper module test/cluster/modules/etcd"
  else
    generate_etcd_wrapper "$wrapper"
  fi
  (
    cd "$wrapper"
    log "building etcd $ETCD_VERSION"
    GOFLAGS="-mod=readonly -buildvcs=false" build -tags tools -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" \
      -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3
    mv "$bin/etcd.tmp" "$bin/etcd"
  )
fi

# ---- kwok and helm: plain `go install pkg@version` (no replace directives in these tags) ----
install_tool() { # <name> <package@version> [ldflags]
  local name="$1" pkg="$2" flags="${3:-}"
  [[ -x "$bin/$name" ]] && return 0
  log "building $name ($pkg)"
  local tmp="$out/gobin-$name"
  mkdir -p "$tmp"
  GOFLAGS="-buildvcs=false" GOBIN="$tmp" nice -n 10 go install -p "$parallel" -trimpath -ldflags "-s -w $flags" "$pkg"
  mv "$tmp/$name" "$bin/$name"
  rmdir "$tmp"
}
install_tool kwok "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" \
  "-X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION"
install_tool helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" \
  "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"

# kwok needs Stage objects: the same defaults kwokctl uses (node init + heartbeat with lease, pod ready/complete/delete),
# taken from the kwok module at the pinned version.
if [[ ! -f "$out/kwok-stages.yaml" ]]; then
  kwok_dir="$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",\?$/\1/p')"
  stages="$kwok_dir/kustomize/stage"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    [[ -f "$stages/$f" ]] || { log "kwok stage $stages/$f not found in sigs.k8s.io/kwok@$KWOK_VERSION"; exit 1; }
    echo "---"
    cat "$stages/$f"
  done >"$out/kwok-stages.yaml.tmp"
  mv "$out/kwok-stages.yaml.tmp" "$out/kwok-stages.yaml"
fi

for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm; do
  [[ -x "$bin/$b" ]] || { log "missing $bin/$b after build"; exit 1; }
done
elapsed=$(($(date +%s) - started))
printf '%s built in %ss with %s on %s cores\n' "$version_key" "$elapsed" "$go_version" "$(nproc)" >"$out/build-info.txt"
touch "$stamp"
log "done in ${elapsed}s: $bin"
echo "$bin"
