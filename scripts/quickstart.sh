#!/usr/bin/env bash
# Quick start on a fresh machine: install, build, then run the CLI on a copy of the example project
# (examples/bookshelf): `init` infers reinhardt-cloud.toml, `deploy --dry-run` prints the Project
# manifest the operator would receive. Set KEEP=1 to keep the temporary copy for a look around;
# pass --no-install to reuse an existing install and build.
set -euo pipefail
install=1
for arg in "$@"; do
  case "$arg" in
    --no-install) install=0 ;;
    *) echo "usage: bash scripts/quickstart.sh [--no-install]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }
else
  step() { printf '\n== %s\n' "$1"; }
fi

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20.19 or newer is required (https://nodejs.org); node is not on PATH." >&2
  exit 2
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Node.js 20.19 or newer is required; found $(node --version)." >&2
  exit 2
fi

if [ "$install" = 1 ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
  step "npm run build"
  npm run build
fi

# The workspace bin link npm creates; the bundle itself if the link is missing.
if [ -x "$ROOT/node_modules/.bin/reinhardt-cloud" ]; then
  CLI=("$ROOT/node_modules/.bin/reinhardt-cloud")
else
  CLI=(node "$ROOT/cli/dist/reinhardt-cloud.js")
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/reinhardt-cloud-quickstart.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
  trap 'echo; echo "Kept the example copy in $WORK/bookshelf"' EXIT
else
  trap 'rm -rf "$WORK"' EXIT
fi
cp -R examples/bookshelf "$WORK/bookshelf"
cd "$WORK/bookshelf"

step "reinhardt-cloud --version"
"${CLI[@]}" --version

# The example is a skeleton without real Rust sources, so `manage introspect` cannot run: skip it.
step "reinhardt-cloud init --no-introspect   (in a copy of examples/bookshelf)"
"${CLI[@]}" init --no-introspect

step "reinhardt-cloud.toml (generated)"
cat reinhardt-cloud.toml

step "reinhardt-cloud validate"
"${CLI[@]}" validate

step "reinhardt-cloud deploy --dry-run"
"${CLI[@]}" deploy --dry-run

step "done"
echo "Next: run the same commands in your own Reinhardt project, or \`bash scripts/test-all.sh\` for the test suite."
