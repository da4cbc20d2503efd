#!/usr/bin/env bash
# One command, on a fresh machine: install everything the suite needs, then run every test.
# Heavy installs (Kubernetes binaries, code-server, Node 24) are cached outside the clone in
# $REINHARDT_CACHE, keyed by version, so a second run spends its time testing, not building.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export REINHARDT_CACHE="${REINHARDT_CACHE:-$HOME/.cache/reinhardt-cloud}"
ARTIFACTS="$ROOT/.artifacts"
mkdir -p "$ARTIFACTS" "$REINHARDT_CACHE"
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "npm ci"
npm ci --no-audit --no-fund

step "simulated cluster binaries (build or reuse)"
bash test/cluster/build.sh

step "editor end-to-end tools: chromium, Node 24, code-server (install or reuse)"
# shellcheck disable=SC1090
source <(bash extension/test/e2e/install.sh --print-env)

# Start the cluster once for the whole run; stop it at the end only if this run started it.
cluster_was_up=0
if [ -f .cluster/kubeconfig ] && .cluster/bin/kubectl --kubeconfig .cluster/kubeconfig get --raw /readyz >/dev/null 2>&1; then
  cluster_was_up=1
fi
cleanup() { if [ "$cluster_was_up" = 0 ]; then npm run --silent cluster:down >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT
step "cluster up"
npm run --silent cluster:up

status=0
step "lint, typecheck, build"
npm run lint || status=1
npm run typecheck || status=1
npm run build || status=1

step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile="$ARTIFACTS/vitest.json" || status=1

step "editor end-to-end tests (code-server + chromium)"
npm run test:e2e -w extension 2>&1 | tee "$ARTIFACTS/e2e.log" || status=1

step "summary"
node scripts/test-summary.mjs "$ARTIFACTS/vitest.json" "$ARTIFACTS/e2e.log" || status=1
exit "$status"
